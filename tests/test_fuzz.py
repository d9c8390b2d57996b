"""Fuzzing the parsers: property reader, frontmatter splitter, live-block
splicer, wikilink/table reader. Whatever a note holds, no exception escapes
(only the documented FrontmatterError, where documented) and no byte outside
live blocks changes."""

import math
import posixpath
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import links, make_vault, outside_blocks, stub

from vault_tools import blocks, frontmatter, markdown
from vault_tools.capacity import quantity, show
from vault_tools.capacity.inputs import CLOUDS, Inputs, read_inputs
from vault_tools.frontmatter import FrontmatterError
from vault_tools.links import LinkStyle, Resolver, slug
from vault_tools.markdown import WIKILINK, Link
from vault_tools.note import STUB, TOPIC, Note, parse, safe_file_name
from vault_tools.problems import Problem
from vault_tools.settings import Settings
from vault_tools.sync import sync

LIMIT = 64 * 1024
TRIGGER, TOPIC_TAG = "system-design/stub", "system-design/topic"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- YAML-ish frontmatter ------------------------------------------------------------

KEYS = ["tags", "tag", "Tags", "dau", "DAU", "mau", "writes", "reads", "read-write-ratio", "write_size",
        "retention", "growth", "availability", "topic", "aliases", "components", "cloud", "choose", "a", "a",
        "? [a]", "<<", "'quoted key'", "x y", "", "-", "1", "true", "~"]
VALUES = ["[system-design/stub]", "system-design/stub", "'#System-Design/Stub'", "[system-design/topic]",
          "system-design/trade-off", "[other, system-design/stub]", "1M", "100M/day", "2/user/day", '"10:1"',
          "10:1", "2 KB", "10 years", "40%/year", "99.95%", "&x 1", "*x", "&y [a]", "[", "]", "{", "}", "'", '"',
          "|", ">-", "- item", "  - nested", "~", "null", "yes", "true", ".inf", ".nan", "2024-01-01", "-0", "0x1F",
          "!!timestamp x", "!!bool maybe", "!!int 0x" + "f" * 4000, "!!int 0b" + "1" * 15_000, "!!binary aGk=",
          "!!set {a}", "!!omap [a]", "!!str", "!!python/object:os.system", "!!float nan", "!!int 1:2:3",
          "[" * 60 + "]" * 60, "{a: " * 60 + "}" * 60, "9" * 5000, "1e999", "[[Rate Limiting]]",
          "[cdn, nosql, redis]", "{a: 1}", "# comment", "x" * 70_000,
          "%% vault-tools:begin a %%", "\x00", "\x07", "\ufeff", "é", "\u2028"]
NEWLINES = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"]


@st.composite
def yaml_lines(draw) -> str:
    """Lines of frontmatter-like YAML: fences, tabs, anchors, tags, duplicate keys, odd scalars."""
    lines = draw(st.lists(st.tuples(
        st.sampled_from(["", "", "", " ", "  ", "\t", "- ", "---", "..."]),
        st.sampled_from(KEYS) | st.text(max_size=6),
        st.sampled_from([": ", ": ", ":", ":\t", " : ", ""]),
        st.sampled_from(VALUES) | st.text(max_size=12),
        st.sampled_from(["", "", "  # note", "\t", " "]),
    ).map("".join), max_size=8))
    newline = draw(st.sampled_from(NEWLINES))
    return "".join(line + (newline if draw(st.booleans()) else draw(st.sampled_from(NEWLINES))) for line in lines)


@st.composite
def documents(draw) -> str:
    """A whole note: maybe a BOM, maybe fences (well or badly formed), YAML, a Markdown body."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    opening = draw(st.sampled_from(["---", "---", "--- ", "---\t", "----", " ---", "", "---\r"]))
    closing = draw(st.sampled_from(["---", "---", "--- ", "...", "", "----", "---\t"]))
    body = draw(markdown_text())
    return bom + opening + newline + draw(yaml_lines()) + closing + draw(st.sampled_from([newline, ""])) + body


any_text = st.text(max_size=200) | documents()


@FUZZ
@given(text=any_text)
@example(text="---")
@example(text="---\n---")
@example(text="---\r\n---\r\nbody")
@example(text="---\ntags: [a]\n---")
def test_split_finds_obsidian_fences_or_says_why(text):
    try:
        span = frontmatter.split(text)
    except FrontmatterError as error:
        assert str(error) and error.hint
        assert re.match(r"---[ \t]*\r?\n", text), "only an opened fence can be unclosed"
        return
    if span is None:
        assert not re.match(r"---[ \t]*\r?\n", text)
        return
    opening, yaml_text, closing = text[:span.yaml_start], text[span.yaml_start:span.yaml_end], \
        text[span.yaml_end:span.body_start]
    assert re.fullmatch(r"---[ \t]*\r?\n", opening)
    assert re.fullmatch(r"---[ \t]*(\r?\n)?", closing)
    assert yaml_text == "" or yaml_text.endswith("\n"), "the closing fence starts a line"
    assert not re.search(r"^---[ \t]*\r?$", yaml_text, re.MULTILINE), "the first closing fence is used"
    assert opening + yaml_text + closing + text[span.body_start:] == text


def shows(data: object) -> str:
    """Every loaded value can be shown to the person (absurd ints and nesting cannot)."""
    return quantity.shown(data) and repr(data)


@FUZZ
@given(yaml_text=yaml_lines() | st.text(max_size=200))
@example(yaml_text="a: !!timestamp x\n")
@example(yaml_text="a: !!bool maybe\n")
@example(yaml_text="dau: !!int 0x" + "f" * 4000 + "\n")
@example(yaml_text="dau: !!int 0b" + "1" * 15_000 + "\n")
@example(yaml_text="a: !!int 1:2:3\n")
@example(yaml_text="dau: " + "[" * 500 + "]" * 500 + "\n")
def test_load_gives_a_dict_or_a_frontmatter_error(yaml_text):
    try:
        data = frontmatter.load(yaml_text, LIMIT)
    except FrontmatterError as error:
        assert str(error)
        return
    assert isinstance(data, dict)
    assert shows(data)
    assert all(isinstance(tag, str) for tag in frontmatter.tag_values(data)), "the tag reader takes whatever loaded"


@FUZZ
@given(raw=st.binary(max_size=200) | documents().map(str.encode)
       | st.tuples(documents().map(str.encode), st.integers(0, 400), st.binary(min_size=1, max_size=3))
       .map(lambda t: t[0][:t[1]] + t[2] + t[0][t[1]:]))
@example(raw=b"\xef\xbb\xbf---\r\ntags: [system-design/stub]\r\n---\r\n")
@example(raw=b"---\ntags: [system-design/stub]\ndau: !!timestamp x\n---\n")
def test_parse_keeps_every_byte_or_gives_problems(raw):
    note, problems = parse("Topics/x.md", raw, Settings())
    assert all(isinstance(p, Problem) and p.path == "Topics/x.md" for p in problems)
    if note is None:
        return
    assert problems == []
    assert note.encode(note.text) == raw, "BOM + text re-joins to the bytes read"
    assert note.newline in ("\n", "\r\n")
    if note.span is not None:
        head = note.text[:note.span.yaml_start] + note.yaml_text + note.text[note.span.yaml_end:note.span.body_start]
        assert head + note.body == note.text
    assert shows(note.props) and isinstance(note.topic_name, str)


TAG_FORMS = ["tags: [{t}]", "tags: {t}", "tags: '#{t}'", "tags:{nl}  - other{nl}  - {t}", "tag: [x, {t}]",
             "tags: other, {t}", 'tags: ["{t}"]', "tags:{nl}- {t}  # mine", "tags:   [ '{t}' , other ]   ",
             "tags: [{t}, {t}]", "Tags: [{t}]"]
CLEAN_LINES = ["dau: 1M", "topic: about system-design/stub", "title: 'x: y'", "aliases: [a, b]",
               "notes: |{nl}  system-design/stub{nl}  more", "n: 10", "f: 1.5", "day: 2024-01-01", "# comment",
               "writes: 100M/day", "url: https://x.y/system-design/stub", "cloud: aws", ""]


@FUZZ
@given(form=st.sampled_from(TAG_FORMS[:-1]), tag=st.sampled_from([TRIGGER, "System-Design/Stub", "SYSTEM-DESIGN/STUB"]),
       others=st.lists(st.sampled_from(CLEAN_LINES), max_size=5, unique=True), at=st.integers(0, 5),
       newline=st.sampled_from(["\n", "\r\n"]))
@example(form="tag: [{t}, x, '#{t}']", tag=TRIGGER, others=[], at=0, newline="\n")  # was swapped once: expanded twice
def test_swap_tag_changes_only_the_tag(form, tag, others, at, newline):
    lines = others[:at] + [form] + others[at:]
    yaml_text = newline.join(line.format(t=tag, nl=newline) for line in lines) + newline
    swapped = frontmatter.swap_tag(yaml_text, TRIGGER, TOPIC_TAG, LIMIT)
    assert_only_tag_swapped(yaml_text, swapped)


def assert_only_tag_swapped(yaml_text: str, swapped: str) -> None:
    """`swapped` is `yaml_text` with (some copies of) the stub tag written as the topic tag, nothing else."""
    parts = re.split(f"({re.escape(TRIGGER)})", yaml_text, flags=re.IGNORECASE)
    pattern = "".join(re.escape(part) if i % 2 == 0 else f"(?:{re.escape(part)}|{re.escape(TOPIC_TAG)})"
                      for i, part in enumerate(parts))
    assert swapped != yaml_text and re.fullmatch(pattern, swapped)
    old, new = frontmatter.load(yaml_text, LIMIT), frontmatter.load(swapped, LIMIT)
    assert frontmatter.has_tag(new, TOPIC_TAG) and not frontmatter.has_tag(new, TRIGGER), "a stub no more"
    assert {k: v for k, v in old.items() if k not in ("tags", "tag")} == \
        {k: v for k, v in new.items() if k not in ("tags", "tag")}


@FUZZ
@given(yaml_text=st.tuples(yaml_lines(), st.sampled_from(TAG_FORMS), yaml_lines())
       .map(lambda t: t[0] + t[1].format(t=TRIGGER, nl="\n") + "\n" + t[2]))
def test_swap_tag_on_noisy_yaml_swaps_only_the_tag_or_refuses(yaml_text):
    try:
        swapped = frontmatter.swap_tag(yaml_text, TRIGGER, TOPIC_TAG, LIMIT)
    except FrontmatterError as error:
        assert str(error)
        return
    assert_only_tag_swapped(yaml_text, swapped)


# -- property / quantity reader ------------------------------------------------------

READERS = (quantity.read_count, quantity.read_rate, quantity.read_throughput, quantity.read_size,
           quantity.read_duration, quantity.read_latency, quantity.read_fraction, quantity.read_ratio,
           quantity.read_factor, quantity.read_growth)
NUMBER_TEXT = (st.integers().map(str) | st.floats().map(str) | st.floats(0, 1e6).map(lambda f: f"{f:,.3f}")
               | st.sampled_from(["1,000", "1,5", ".5", "5.", "1e999", "-0", "1_000", "١٢٣", "０", "1e-400", "",
                                  "."]))
UNIT_TEXT = st.sampled_from(["", " ", "k", "M", "B", "bn", "T", " million", " users", "/s", "/day", " per day",
                             "/user/day", " qps", "rps", " KB", "MiB", "EB", "ms", "µs", " s", " years", "m", "mo",
                             "%", " percent", "%/year", "x/month", "x", "×", ":1", ": 0", ":", "/", " a year"])
PROPERTY_TEXT = st.tuples(st.sampled_from(["", " ", "x", "×", "+", "-"]), NUMBER_TEXT, UNIT_TEXT, UNIT_TEXT) \
    .map("".join)
SCALAR = (st.none() | st.booleans() | st.integers() | st.integers(-10**400, 10**400) | st.floats()
          | st.text(max_size=30) | PROPERTY_TEXT | st.text(max_size=150))
PROPERTY_VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4)
                              | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)


@FUZZ
@given(reader=st.sampled_from(READERS), key=st.sampled_from(sorted(quantity.EXAMPLES) + ["k"]),
       value=PROPERTY_VALUE)
def test_reader_gives_a_quantity_a_problem_or_none(reader, key, value):
    result = reader(key, value)
    if result is None:
        assert value is None or (isinstance(value, str) and not value.strip())
    elif isinstance(result, Problem):
        assert result.key == key and result.kind == "property" and f"`{key}`" in result.message
    else:
        assert isinstance(result, quantity.Quantity)
        assert math.isfinite(result.value) and abs(result.value) <= 1e18
        assert result.text == quantity.shown(value)


INPUT_KEYS = sorted(quantity.EXAMPLES) + ["cloud", "components", "write_size", "DAU"]


@FUZZ
@given(props=st.dictionaries(st.sampled_from(INPUT_KEYS), PROPERTY_VALUE, max_size=8))
def test_read_inputs_never_raises_and_gives_finite_numbers(props):
    inputs, working = read_inputs(props)
    assert isinstance(inputs, Inputs)
    for name, value in vars(inputs).items():
        if isinstance(value, float):
            assert math.isfinite(value), name
    assert inputs.cloud in CLOUDS
    assert all(isinstance(name, str) and name for name in inputs.components)
    assert all(isinstance(p, Problem) and p.key for p in working.problems)


def close(read: object, expected: float) -> bool:
    """Three significant digits: within half a unit of the third digit."""
    return isinstance(read, quantity.Quantity) and math.isclose(read.value, expected, rel_tol=0.005 + 1e-9)


@FUZZ
@given(number=st.floats(1.0, 9.9e17))
@example(number=999.6)
@example(number=999_950.0)
def test_shown_numbers_read_back_within_rounding(number):
    assert close(quantity.read_size("write-size", show.human_bytes(number)), number)
    assert close(quantity.read_count("dau", show.human_count(number)), number)
    assert close(quantity.read_rate("writes", show.human_rate(number)), number)
    assert close(quantity.read_duration("retention", show.human_duration(number)), number)


@FUZZ
@given(seconds=st.floats(1e-3, 3599.0), fraction=st.floats(0.0, 1.0))
def test_shown_latencies_and_percentages_read_back(seconds, fraction):
    assert close(quantity.read_latency("latency-p99", show.human_duration(seconds)), seconds)
    shown = quantity.read_fraction("availability", show.human_percent(fraction))
    assert isinstance(shown, quantity.Quantity) and abs(shown.value - fraction) <= 5e-7


# -- live blocks ----------------------------------------------------------------------

NAMES = ["a", "b", "x.y-z"]
person_text = st.text(max_size=40).filter(lambda s: "vault-tools:" not in s)


def begin(name: str, hash_: str, trail: str) -> str:
    return f"%% vault-tools:begin {name}{hash_} %%{trail}"


def marker_pieces(names: list[str]):
    return st.one_of(
        st.builds(begin, st.sampled_from(names), st.sampled_from(["", " hash=deadbeef", " hash=", " hash=XYZ",
                                                                  " hash=" + blocks.digest("x\n")]),
                  st.sampled_from(["", "", " ", "\t", " x"])),
        st.builds("%% vault-tools:end {} %%{}".format, st.sampled_from(names), st.sampled_from(["", "", " ", " x"])),
        st.builds(blocks.render, st.sampled_from(names), person_text, st.sampled_from(["\n", "\r\n"])),
        st.tuples(st.sampled_from(names), st.integers(0, 40)).map(lambda t: begin(t[0], " hash=1", "")[:t[1]]),
        person_text,
    )


@st.composite
def marked_text(draw, names: list[str] = NAMES) -> str:
    """Person text with markers inserted, duplicated, misnested and cut short."""
    pieces = draw(st.lists(marker_pieces(names), max_size=12))
    return "".join(piece + draw(st.sampled_from(["\n", "\n", "\r\n", "", "\r"])) for piece in pieces)


@FUZZ
@given(text=marked_text())
def test_find_reports_broken_markers_and_only_sound_blocks(text):
    found, problems = blocks.find(text)
    assert all(p.kind == "live-block" and p.key in NAMES for p in problems)
    position = 0
    for block in found:
        assert position <= block.start < block.inner_start <= block.inner_end < block.end <= len(text)
        assert block.start == 0 or text[block.start - 1] == "\n"
        assert re.fullmatch(rf"%% vault-tools:begin {re.escape(block.name)}( hash=[0-9a-f]+)? %%[ \t]*\r?\n?",
                            text[block.start:block.inner_start])
        assert re.fullmatch(rf"%% vault-tools:end {re.escape(block.name)} %%[ \t]*", text[block.inner_end:block.end])
        assert block.inner == text[block.inner_start:block.inner_end]
        position = block.end


@FUZZ
@given(text=marked_text(), names=st.sets(st.sampled_from(NAMES)), content=person_text,
       newline=st.sampled_from(["\n", "\r\n"]))
@example(text=blocks.render("a", "x\n") + "\n", names={"a"}, content="y\r", newline="\r\n")
def test_refresh_changes_no_byte_outside_the_blocks_it_replaces(text, names, content, newline):
    def generate(name):
        return content if name in names else None

    old, _ = blocks.find(text)
    new, problems = blocks.refresh(text, generate, newline)
    found, _ = blocks.find(new)
    assert [b.name for b in found] == [b.name for b in old]
    old_end = new_end = 0
    for before, after in zip(old, found):
        assert new[new_end:after.start] == text[old_end:before.start], "text between blocks is kept"
        if before.name in names and before.state != blocks.EDITED:
            assert after.state == (blocks.OWNED if content.strip() else blocks.EMPTY)
            assert after.inner.replace("\r\n", "\n") == blocks._with_final_newline(content).replace("\r\n", "\n")
        else:
            assert new[after.start:after.end] == text[before.start:before.end], "other blocks are kept"
        old_end, new_end = before.end, after.end
    assert new[new_end:] == text[old_end:]
    conflicts = [p.key for p in problems if p.kind == "conflict"]
    assert conflicts == [b.name for b in old if b.name in names and b.state == blocks.EDITED]
    assert blocks.refresh(new, generate, newline)[0] == new, "a second refresh changes nothing"


# -- wikilinks and tables -------------------------------------------------------------

MARKDOWN_BITS = ["[[", "]]", "|", "\\|", "#", "^", "`", "```", "~~~", "\n", "\n\n", "\r\n", "    ", "\t", "> ",
                 "- ", "1. ", "| a | b |\n| --- | --- |\n", "| [[x\\|y]] | `[[z]]` |\n", "![[", "[", "]", "(",
                 ")", "](", "<", ">", "*", "_", "~~", "\\", "%%", "Note", "a b", "#h", "^id", "![x](y.md)",
                 "[t](Deep%20Dives/Rate%20Limiting.md#Summary)", "https://x.y", "&amp;", "<div>", "$$"]


def markdown_text():
    return st.lists(st.sampled_from(MARKDOWN_BITS) | st.text(max_size=8), max_size=30).map("".join)


def wikilink_tokens(text: str) -> list[dict]:
    return [t for t in markdown._walk(markdown.tokens(text)) if t["type"] == "wikilink"]


@FUZZ
@given(text=markdown_text() | st.text(max_size=200), heading=st.text(max_size=10))
def test_markdown_readers_never_raise_and_find_only_written_links(text, heading):
    found = links(text)
    assert all(isinstance(link, Link) for link in found)
    for token in wikilink_tokens(text):
        assert token["raw"] in text, "a wikilink is text the person wrote"
        match = re.fullmatch(WIKILINK, token["raw"])
        link = token["attrs"]["link"]
        assert match and link.target == match["wl_target"].strip() and link.target in text
        assert link in found
    for table in markdown.tables(text):
        for row in table:
            for cell in row.values():
                assert all(link.target in text or "%" in text for link in cell.links)
    assert all(isinstance(item, str) for item in markdown.bullets(text))
    assert markdown.section(text, heading) in text


target_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789 -", min_size=1, max_size=12) \
    .filter(lambda s: s.strip() and not s.startswith("-"))


def link_text(target: str, variant: int) -> str:
    return [f"[[{target}]]", f"[[{target}#Heading]]", f"[[{target}|shown]]", f"![[{target}]]",
            f"[[{target}#^block|shown]]"][variant]


def expected_link(target: str, variant: int) -> Link:
    anchor = {1: "Heading", 4: "^block"}.get(variant, "")
    return Link(target.strip(), anchor, variant == 3)


@st.composite
def links_in_and_out_of_code(draw) -> tuple[str, list[Link]]:
    """Markdown with wikilinks in prose, tables, inline code, fenced and indented code."""
    pieces, expected = [], []
    for _ in range(draw(st.integers(1, 6))):
        target, variant = draw(target_names), draw(st.integers(0, 4))
        link = link_text(target, variant)
        where = draw(st.sampled_from(["prose", "list", "table", "inline", "fenced", "tilde", "indented"]))
        if where in ("prose", "list", "table"):
            expected.append(expected_link(target, variant))
        pieces.append({
            "prose": f"Some text {link} and more.",
            "list": f"- item {link}",
            "table": "| a | b |\n| --- | --- |\n| {0} | `{0}` |".format(link.replace("|", "\\|")),
            "inline": f"Code `{link}` here.",
            "fenced": f"```\n{link}\n```",
            "tilde": f"~~~md\n{link}\n~~~",
            "indented": f"Para.\n\n    {link}",
        }[where])
    return "\n\n".join(pieces) + "\n", expected


@FUZZ
@given(case=links_in_and_out_of_code())
@example(case=("`[[a]]` [[b]]\n", [Link("b")]))
def test_links_inside_code_do_not_count(case):
    text, expected = case
    assert links(text) == expected
    in_tables = [link for table in markdown.tables(text) for row in table for cell in row.values()
                 for link in cell.links]
    assert all(link in expected for link in in_tables)


paths = st.tuples(st.sampled_from(["", "Topics/", "Deep Dives/", "Topics/Sub/"]),
                  st.text(max_size=20).map(safe_file_name)).map(lambda t: f"{t[0]}{t[1]}.md")


@FUZZ
@given(notes=st.lists(paths, min_size=1, max_size=5, unique_by=str.lower), source=paths,
       markdown_links=st.booleans(), format_=st.sampled_from(["shortest", "absolute"]),
       text=st.text(max_size=20), alias=st.text(max_size=8))
def test_written_links_read_back_to_the_note(notes, source, markdown_links, format_, text, alias):
    resolver = Resolver({path: (alias,) if alias.strip() else () for path in notes})
    style = LinkStyle(markdown_links, format_)
    for path in notes:
        written = style.link(path, source, resolver, text=safe_file_name(text))
        found = links(written)
        assert len(found) == 1, written
        shadowed = "/" not in path and f"{posixpath.dirname(source)}/{path}".lower() in map(str.lower, notes)
        if not shadowed:  # `[[Name]]` for a root note is read as the linking note's neighbour first
            assert resolver.resolve(found[0].target, source) == path, written
    assert resolver.resolve(text, source) in (None, *notes)
    assert resolver.suggestion(text) is None or isinstance(resolver.suggestion(text), str)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*|", slug(text)) and slug(slug(text)) == slug(text)


# -- end to end -----------------------------------------------------------------------

LIVE_NAMES = ["overview", "capacity", "used-by", "figures", "capacity-table", "a"]


note_bytes = (st.binary(max_size=300) | documents().map(str.encode)
              | st.tuples(documents().map(str.encode), st.integers(0, 300), st.binary(min_size=1, max_size=3))
              .map(lambda t: t[0][:t[1]] + t[2] + t[0][t[1]:])
              | st.tuples(st.sampled_from(TAG_FORMS), yaml_lines(), markdown_text())
              .map(lambda t: f"---\n{t[0].format(t=TRIGGER, nl=chr(10))}\n{t[1]}---\n{t[2]}".encode())
              | st.tuples(st.sampled_from([TOPIC_TAG, "system-design/trade-off", "system-design/capacity",
                                           "system-design/deep-dive"]), st.sampled_from(["\n", "\r\n"]),
                          marked_text(LIVE_NAMES))
              .map(lambda t: f"---{t[1]}tags: [{t[0]}]{t[1]}---{t[1]}{t[2]}".encode()))


@SLOW_FUZZ
@given(raw=note_bytes)
@example(raw=b"---\ntags: [system-design/stub]\ndau: !!int 0x" + b"f" * 4000 + b"\n---\n")
@example(raw=b"---\ntags: [system-design/stub]\ndau: !!bool maybe\n---\n")
@example(raw=b"---\ntags: [system-design/stub]\n---\ncaf\xe9\n")
@example(raw=b"---\ntags: [system-design/stub]\n---")  # was expanded to `---## 1.`: frontmatter unclosed
@example(raw=b"---\ntag: [system-design/stub,system-design/stub]\n---\n")  # was still a stub
def test_sync_survives_any_note_and_still_expands_the_good_stub(raw):
    with tempfile.TemporaryDirectory() as folder:
        root = make_vault(Path(folder) / "v", {"Topics/random.md": raw,
                                               "Topics/good.md": stub("See [[random]].\n", dau="1M")})
        sync(root)
        good = (root / "Topics/good.md").read_text(encoding="utf-8")
        assert TOPIC_TAG in good and "## 13." in good and TRIGGER not in good
        after = (root / "Topics/random.md").read_bytes()
        assert sync(root).written == [], "a second sync writes nothing"
    if after == raw:
        return
    before, _ = parse("Topics/random.md", raw, Settings())
    now, _ = parse("Topics/random.md", after, Settings())
    assert isinstance(before, Note) and isinstance(now, Note), "only a note that parsed is written"
    if before.kind == STUB:
        assert now.kind == TOPIC and now.bom == before.bom
        assert now.text[:now.span.yaml_start] == before.text[:before.span.yaml_start]
        assert_only_tag_swapped(before.yaml_text, now.yaml_text)
        assert now.body.startswith(before.body) and "## 13." in now.body
    else:
        assert outside_blocks(now.text) == outside_blocks(before.text), "only live blocks change"


def test_deeply_nested_property_is_a_problem_not_a_stack_overflow(tmp_path):
    """Regression: `dau: [[[…]]]` 500 deep loaded, then overflowed the stack of the property reader
    (a plain test: Hypothesis raises the recursion limit while it runs)."""
    deep = "[" * 500 + "]" * 500
    root = make_vault(tmp_path / "v", {"Topics/deep.md": stub(dau=deep), "Topics/good.md": stub()})
    report = sync(root)
    assert [p.path for p in report.problems] == ["Topics/deep.md"]
    assert "levels deep" in report.problems[0].message
    assert (root / "Topics/deep.md").read_text(encoding="utf-8") == stub(dau=deep)
    assert TOPIC_TAG in (root / "Topics/good.md").read_text(encoding="utf-8")


def test_a_note_whose_name_ends_in_md_is_found_by_its_own_name():
    """Found by hypothesis: `[[0.MD]]` opens `0.MD.md`; `[[Note.md]]` still opens `Note.md`."""
    resolver = Resolver({"0.MD.md": (), "Note.md": ()})
    assert resolver.resolve("0.MD") == "0.MD.md"
    assert resolver.resolve("Note.md") == "Note.md"
