"""Every Mermaid diagram the tool writes renders in the real renderer:
mermaid 11 (the version Obsidian bundles) in headless Chromium, all in one
browser session (tests/mermaid/render.mjs). Parse and render errors fail.

Diagrams come from the golden expected files, a demo vault made with `init`
+ `sync`, and topics whose every name is hostile. The Excalidraw drawings of
the same topics are checked with `excalidraw.check_note`.

Needs node, the npm packages in tests/mermaid and Chromium: run
`scripts/install-render-tools`. Without them the test is skipped, except on
CI (CI=true), where it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from test_diagrams import HOSTILE, blocks, hostile_topics

import excalidraw_check
from vault_tools.diagrams import excalidraw
from vault_tools.create import init_vault
from vault_tools.sync import Pipeline, sync

pytestmark = pytest.mark.slow  # the reliability campaign: scripts/test --fast leaves it out

HERE = Path(__file__).parent
RENDERER = HERE / "mermaid"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MERMAID_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def missing_tools() -> list[str]:
    missing = [] if shutil.which("node") else ["node"]
    missing += [f"tests/mermaid/node_modules/{package}" for package in ("mermaid", "puppeteer-core")
                if not (RENDERER / "node_modules" / package / "package.json").is_file()]
    return missing + ([] if os.access(CHROMIUM, os.X_OK) else [CHROMIUM])


def diagrams_in(text: str, source: str) -> list[dict]:
    found = MERMAID_BLOCK.findall(text.replace("\r\n", "\n"))
    return [{"id": f"{source} #{number}", "code": code} for number, code in enumerate(found, 1)]


def golden_diagrams() -> list[dict]:
    files = sorted(HERE.glob("golden/*.expected.md")) + sorted(HERE.glob("golden-vault/expected/**/*.md"))
    return [d for path in files for d in diagrams_in(path.read_text(encoding="utf-8-sig"), str(path.relative_to(HERE)))]


HOSTILE_STUB = {
    "tags": ["system-design/stub"], "topic": 'Shop (v2) "beta" #1; <end> 1. 😀 中文 | %% [[x]]',
    "components": ["cdn", "gateway", "app", "cache", "nosql", "queue", "worker", "email", "ledger (v2) #1"],
    "journeys": HOSTILE[:8], "shard-key": "Order.user_id",
    "entities": {"User": ["id uuid pk", "name text"], 'Order "x" (1)': ["id uuid pk", "user_id fk User"],
                 "中文": ["键 text pk", "end int", "style json"]},
}


def demo_vault(root: Path) -> list[Path]:
    """The starter vault plus a stub with hostile names and one title-only
    stub per problem of the library, expanded by `sync`."""
    init_vault(root)
    for problem in sorted((root / "Problems").glob("*.md")):
        (root / "Topics" / f"Design {problem.stem}.md").write_text(
            f'---\ntags: [system-design/stub]\nproblem: "[[{problem.stem}]]"\n---\n', encoding="utf-8")
    (root / "Topics" / "Hostile.md").write_text(
        "---\n" + yaml.safe_dump(HOSTILE_STUB, allow_unicode=True) + "---\nMy notes.\n", encoding="utf-8")
    report = sync(root)
    assert report.changes, "sync expanded nothing"
    return sorted(root.rglob("*.md"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict:
    """All diagrams, rendered in one browser launch: source → results."""
    missing = missing_tools()
    if missing:
        message = f"Mermaid render tools missing ({', '.join(missing)}): run scripts/install-render-tools"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip("!!! " + message)
    root = tmp_path_factory.mktemp("demo") / "vault"
    groups = {
        "golden": golden_diagrams(),
        "demo": [d for path in demo_vault(root)
                 for d in diagrams_in(path.read_text(encoding="utf-8-sig"), str(path.relative_to(root)))],
        "hostile": [d for index, topic in enumerate(hostile_topics())
                    for name, text in blocks(topic).items() for d in diagrams_in(text, f"hostile {index} {name}")],
    }
    everything = [d for group in groups.values() for d in group]
    batch = root.parent / "diagrams.json"
    batch.write_text(json.dumps(everything), encoding="utf-8")
    started = time.monotonic()
    run = subprocess.run(["node", str(RENDERER / "render.mjs"), str(batch)], capture_output=True, text=True,
                         timeout=600, env={**os.environ, "CHROMIUM": CHROMIUM})
    assert run.returncode == 0, f"render.mjs failed:\n{run.stderr}"
    output = json.loads(run.stdout)
    by_id = {r["id"]: r for r in output["results"]}
    print(f"\nrendered {len(everything)} Mermaid diagrams with mermaid {output['mermaid']} "
          f"in {time.monotonic() - started:.1f} s")
    return {"version": output["mermaid"], "root": root, "code": {d["id"]: d["code"] for d in everything},
            **{name: [by_id[d["id"]] for d in group] for name, group in groups.items()}}


def failures(rendered: dict, group: str) -> str:
    bad = [r for r in rendered[group] if not r["ok"]]
    return "\n\n".join(f"{r['id']}: {r['error']}\n{rendered['code'][r['id']]}" for r in bad)


def test_the_renderer_is_mermaid_11(rendered):
    assert rendered["version"].startswith("11.")


def test_golden_files_render(rendered):
    assert failures(rendered, "golden") == ""


def test_demo_vault_renders(rendered):
    sources = {r["id"].split(" #")[0] for r in rendered["demo"]}
    assert {"Topics/Design TinyURL.md", "Topics/Design Twitter.md", "Topics/Hostile.md"} <= sources
    problems = sorted((rendered["root"] / "Problems").glob("*.md"))
    assert len(problems) >= 12
    for problem in problems:  # every problem's architecture, flows, service map and ER diagram
        drawn = [r for r in rendered["demo"] if r["id"].startswith(f"Topics/Design {problem.stem}.md #")]
        assert len(drawn) >= 6, problem.stem
    assert len(rendered["demo"]) >= 12
    assert failures(rendered, "demo") == ""


def test_hostile_names_render(rendered):
    assert len(rendered["hostile"]) > 100
    assert failures(rendered, "hostile") == ""


def test_hostile_labels_reach_the_picture_intact(rendered):
    """Escaped labels are decoded by Mermaid: the SVG shows the person's text."""
    shown = " ".join(r["text"] for r in rendered["hostile"] if " architecture #" in r["id"])
    for name in ("a (b)", "[x]", "{y}", 'say "hi"', "#1 tag", "semi;colon", "p|q", "<script>x</script>", "1. first",
                 "😀 emoji", "中文名", "%% comment %%", "`tick`", "A & B"):
        assert name in shown, name
    demo = " ".join(r["text"] for r in rendered["demo"] if r["id"].startswith("Topics/Hostile.md"))
    assert 'Order "x" (1)' in demo and "中文" in demo and "ledger (v2) #1" in demo


def test_drawings_of_every_topic_are_valid_excalidraw(rendered):
    pipeline = Pipeline(rendered["root"])
    topics = [pipeline.topic(path) for path in ("Topics/Design TinyURL.md", "Topics/Design Twitter.md",
                                                "Topics/Hostile.md")]
    for topic in topics + hostile_topics():
        assert excalidraw_check.check_note(excalidraw.drawing_note(topic)) == [], topic.name
    written = sorted(rendered["root"].rglob("*.excalidraw.md"))  # as sync wrote them into the vault
    for path in written:
        assert excalidraw_check.check_note(path.read_text(encoding="utf-8")) == [], path.name
