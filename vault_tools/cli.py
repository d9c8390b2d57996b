"""Command line: owns arguments, output and exit codes; the work is elsewhere.

Exit codes: 0 ok, 1 changes pending or problems (with --check), 2 usage or
vault error. No traceback reaches the person unless --verbose.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import logging
import logging.handlers
import signal
import sys
import traceback
from pathlib import Path

from vault_tools import __version__
from vault_tools.create import init_vault, new_stub, planned
from vault_tools.capacity import whiteboard
from vault_tools.settings import STATE_DIR, VaultError, find_vault, load_settings, vault_of
from vault_tools.sync import Pipeline, SyncReport, sync
from vault_tools.watch import Watcher

OK, PENDING, ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors, as we do
        self.print_usage(sys.stderr)
        self.exit(ERROR, f"vault-tools: {message}\n")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--verbose", action="store_true", help="show tracebacks and skipped items")
    common.add_argument("--version", action="version", version=f"vault-tools {__version__}")
    parser = _Parser(prog="vault-tools", parents=[common],
                     description="Expand system-design stub notes in an Obsidian vault.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    init = commands.add_parser("init", parents=[common], help="make a new vault from the template")
    init.add_argument("dir", metavar="DIR")

    new = commands.add_parser("new", parents=[common], help="write a stub note from the stub template",
                              epilog="Any --PROP VALUE pair sets that stub property, e.g. --dau 100M.")
    new.add_argument("title", metavar="TITLE")
    new.add_argument("--vault", metavar="DIR", default=".")

    run = commands.add_parser("sync", parents=[common], help="expand stubs and refresh generated blocks, once")
    run.add_argument("dir", metavar="DIR", nargs="?", default=".")
    run.add_argument("--dry-run", action="store_true", help="print what would change (a diff); write nothing")
    run.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 if anything would change or any problem exists")
    run.add_argument("--json", action="store_true", help="print the report as JSON")
    capacity = commands.add_parser("capacity", parents=[common], help="print the capacity math of one note")
    capacity.add_argument("note", metavar="NOTE", help="path to the note (a stub or an expanded topic)")
    capacity.add_argument("--json", action="store_true", help="print the figures as JSON (base units)")

    problems = commands.add_parser("problems", parents=[common],
                                   help="list the problem library: aliases, and the topics that use each")
    problems.add_argument("--vault", metavar="DIR", default=".")
    problems.add_argument("--json", action="store_true", help="print the list as JSON")

    watch = commands.add_parser("watch", parents=[common], help="catch-up sync, then keep the vault up to date")
    watch.add_argument("dir", metavar="DIR", nargs="?", default=".")
    watch.add_argument("--poll", metavar="SECONDS", type=_positive,
                       help="poll for changes every SECONDS (network or cloud-synced folders)")
    watch.add_argument("--quiet", action="store_true", help="log problems only")
    watch.add_argument("--log", action="store_true", help=f"also log to {STATE_DIR}/watch.log in the vault")
    return parser


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, found {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != "new" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command is None:
        parser.print_help()
        return ERROR
    try:
        return _COMMANDS[args.command](args, extra)
    except VaultError as error:
        print(f"vault-tools: {error}", file=sys.stderr)
        return ERROR
    except KeyboardInterrupt:
        return ERROR
    except Exception as error:  # noqa: BLE001 - the CLI turns bugs into one line
        if args.verbose:
            traceback.print_exc()
        else:
            print(f"vault-tools: internal error: {error!r} (run with --verbose for details)", file=sys.stderr)
        return ERROR


def _init(args: argparse.Namespace, _extra: list[str]) -> int:
    report = init_vault(Path(args.dir))
    for problem in report.problems:
        print(problem.line(), file=sys.stderr)
    kept = f", kept {len(report.kept)} that existed" if report.kept else ""
    print(f"vault {args.dir}: created {len(report.created)} files{kept}")
    return ERROR if report.problems else OK


def _new(args: argparse.Namespace, extra: list[str]) -> int:
    root = find_vault(args.vault)
    settings, _ = load_settings(root)
    rel = new_stub(root, settings, args.title, _pairs(extra))
    print(f"created {rel}")
    pipeline = Pipeline(root)
    pipeline.index()
    for line in planned(pipeline.topic(rel)):
        print(line)
    return OK


def _pairs(extra: list[str]) -> dict[str, str]:
    """`--dau 100M --writes=100M/day` → {"dau": "100M", "writes": "100M/day"}."""
    props: dict[str, str] = {}
    tokens = list(extra)
    while tokens:
        token = tokens.pop(0)
        if not token.startswith("--") or len(token) < 3:
            raise VaultError(f"expected --PROP VALUE, found {token!r}")
        key, equals, value = token[2:].partition("=")
        if not equals:
            if not tokens or tokens[0].startswith("--"):
                raise VaultError(f"--{key} needs a value, e.g. --{key} 100M")
            value = tokens.pop(0)
        props[key] = value
    return props


def _sync(args: argparse.Namespace, _extra: list[str]) -> int:
    root = find_vault(args.dir)
    apply = not (args.dry_run or args.check)
    report = sync(root, apply=apply)
    if args.json:
        data = report.to_json()
        if args.dry_run:
            data["diff"] = _diff(report)
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        _print_report(report, apply, args)
    if args.check and (report.changes or report.problems):
        return PENDING
    return OK


def _print_report(report: SyncReport, applied: bool, args: argparse.Namespace) -> None:
    if args.dry_run:
        sys.stdout.write(_diff(report))
    for change in report.changes:
        if not applied:
            print(f"would be {change.action}: {change.path}")
        elif change.path in report.written:
            print(f"{change.action} {change.path}")
    for problem in report.retry:
        print(f"retry later: {problem.line()}")
    for problem in report.problems:
        print(f"problem: {problem.line()}", file=sys.stderr)
    done = len(report.written) if applied else len(report.changes)
    verb = "written" if applied else "would change"
    print(f"sync: {report.notes} notes, {done} {verb}, {len(report.problems)} problems")


def _diff(report: SyncReport) -> str:
    out: list[str] = []
    for change in report.changes:
        before = (change.before or b"").decode("utf-8", "replace").splitlines(keepends=True)
        after = change.after.decode("utf-8", "replace").splitlines(keepends=True)
        out += difflib.unified_diff(before, after, f"a/{change.path}", f"b/{change.path}")
    text = "".join(out)
    return text if not text or text.endswith("\n") else text + "\n"


def _capacity(args: argparse.Namespace, _extra: list[str]) -> int:
    path = Path(args.note).expanduser()
    if not path.is_file():
        raise VaultError(f"{args.note}: no such note")
    root = vault_of(path)
    rel = path.resolve().relative_to(root).as_posix()
    pipeline = Pipeline(root)
    pipeline.index()
    report = pipeline.topic(rel).capacity
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        titles = {"capacity": "Capacity", "sla": "SLA & latency budget", "growth": "Growth", "cost": "Monthly cost"}
        print(f"# {report.topic}\n")
        print("\n".join(f"## {title}\n\n{whiteboard.render(name, report)}" for name, title in titles.items()), end="")
    for problem in report.problems:
        print(f"problem: {dataclasses.replace(problem, path=rel).line()}", file=sys.stderr)
    return OK


def _problems(args: argparse.Namespace, _extra: list[str]) -> int:
    root = find_vault(args.vault)
    pipeline = Pipeline(root)
    topics = pipeline.index()
    used: dict[str, list[str]] = {}
    for rel in topics:
        topic = pipeline.topic(rel)
        if topic.match.problem is not None:
            used.setdefault(topic.match.problem.path, []).append(rel)
    library = pipeline.context().problem_library
    if args.json:
        print(json.dumps([{"problem": note.title, "path": note.path, "aliases": list(note.aliases),
                           "topics": used.get(note.path, [])} for note in library], indent=2, ensure_ascii=False))
        return OK
    for note in library:
        print(f"{note.title}  ({note.path})")
        if note.aliases:
            print(f"  aliases: {', '.join(note.aliases)}")
        print(f"  topics: {', '.join(used.get(note.path, [])) or 'none yet'}")
    print(f"{len(library)} problems, {sum(map(len, used.values()))} of {len(topics)} topics backed by one")
    return OK


def _watch(args: argparse.Namespace, _extra: list[str]) -> int:
    root = find_vault(args.dir)
    _log_to(root, args)
    watcher = Watcher(root, poll=args.poll)
    stop = lambda *_: watcher.stop()  # noqa: E731
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        watcher.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    logging.getLogger("vault_tools").info("stopped")
    return OK


def _log_to(root: Path, args: argparse.Namespace) -> None:
    logger = logging.getLogger("vault_tools")
    logger.setLevel(logging.DEBUG if args.verbose else logging.WARNING if args.quiet else logging.INFO)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    console = logging.StreamHandler(sys.stdout)
    console.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger.addHandler(console)
    if args.log:
        state = root / STATE_DIR
        state.mkdir(exist_ok=True)
        file = logging.handlers.RotatingFileHandler(state / "watch.log", maxBytes=1 << 20, backupCount=3,
                                                    encoding="utf-8")
        file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(file)


_COMMANDS = {"init": _init, "new": _new, "sync": _sync, "watch": _watch, "capacity": _capacity,
             "problems": _problems}
