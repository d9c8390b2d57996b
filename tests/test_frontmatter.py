import pytest

from vault_tools import frontmatter
from vault_tools.frontmatter import FrontmatterError

LIMIT = 64 * 1024


def yaml_of(text: str) -> str:
    span = frontmatter.split(text)
    return text[span.yaml_start:span.yaml_end]


def test_split_gives_offsets_that_keep_every_byte():
    text = "---\r\ntags: [a]\r\n---\r\nbody\r\n"
    span = frontmatter.split(text)
    assert text[span.yaml_start:span.yaml_end] == "tags: [a]\r\n"
    assert text[span.body_start:] == "body\r\n"


@pytest.mark.parametrize("text", ["", "no frontmatter\n", "----\na: 1\n---\n", " ---\na: 1\n---\n", "---"])
def test_no_frontmatter(text):
    assert frontmatter.split(text) is None


def test_unclosed_fence_is_an_error():
    with pytest.raises(FrontmatterError, match="never closed"):
        frontmatter.split("---\ntags: [system-design/stub]\nbody\n")


def test_values_are_read_as_obsidian_shows_them():
    data = frontmatter.load("ratio: 10:1\nday: 2024-01-01\nanswer: no\nn: 10\nf: 1.5\nt: true\n", LIMIT)
    assert data == {"ratio": "10:1", "day": "2024-01-01", "answer": "no", "n": 10, "f": 1.5, "t": True}


@pytest.mark.parametrize("yaml_text, message", [
    ("a: 1\nb: 2\na: 3\n", "duplicate key `a` (lines 2 and 4)"),
    ("a: &x [1, 2]\nb: *x\n", "anchors or aliases"),
    ("a: [\n", "malformed YAML at line"),
    ("- a\n- b\n", "is a list"),
    ("just text\n", "single value"),
    ("x: " + "y" * LIMIT + "\n", "over the 65,536-byte limit"),
])
def test_refused_frontmatter(yaml_text, message):
    with pytest.raises(FrontmatterError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        frontmatter.load(yaml_text, LIMIT)


def test_billion_laughs_is_refused_before_expanding():
    lol = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, 9):
        lol += f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join(['*' + chr(96 + i)] * 9)}]\n"
    with pytest.raises(FrontmatterError, match="anchors"):
        frontmatter.load(lol, LIMIT)


@pytest.mark.parametrize("yaml_text", [
    "tags: [system-design/stub]\n",
    "tags: system-design/stub\n",
    "tags: '#System-Design/Stub'\n",
    "tags:\n  - other\n  - system-design/stub\n",
    "tag: [x, system-design/stub]\n",
    "tags: other, system-design/stub\n",
])
def test_stub_tag_forms(yaml_text):
    assert frontmatter.has_tag(frontmatter.load(yaml_text, LIMIT), "system-design/stub")


@pytest.mark.parametrize("yaml_text", [
    "tags: [system-design/stubby]\n", "tags: [x/system-design/stub]\n", "topic: system-design/stub\n", "",
])
def test_not_stub_tags(yaml_text):
    assert not frontmatter.has_tag(frontmatter.load(yaml_text, LIMIT), "system-design/stub")


def test_swap_tag_changes_only_the_tag():
    before = "topic: about system-design/stub\ntags:\n  - '#system-design/stub'  # keep me\n  - other\ndau: 1M\n"
    after = frontmatter.swap_tag(before, "system-design/stub", "system-design/topic", LIMIT)
    assert after == "topic: about system-design/stub\ntags:\n  - '#system-design/topic'  # keep me\n  - other\ndau: 1M\n"
