import pytest

from vault_tools.note import OTHER, STUB, TOPIC, parse, safe_file_name
from vault_tools.settings import Settings

SETTINGS = Settings(templates_folder="Templates")


def test_kinds():
    assert parse("Topics/a.md", b"---\ntags: [system-design/stub]\n---\n", SETTINGS)[0].kind == STUB
    assert parse("Topics/a.md", b"---\ntags: [system-design/topic]\n---\n", SETTINGS)[0].kind == TOPIC
    assert parse("Templates/Stub.md", b"---\ntags: [system-design/stub]\n---\n", SETTINGS)[0].kind == OTHER
    assert parse("a.md", b"# plain\n", SETTINGS)[0].kind == OTHER


def test_snake_case_keys_are_accepted():
    note, _ = parse("a.md", b"---\ntags: [system-design/stub]\nread_write_ratio: '10:1'\n---\n", SETTINGS)
    assert note.props["read-write-ratio"] == "10:1"


def test_topic_defaults_to_the_file_name_and_is_one_line():
    assert parse("Topics/Chat App.md", b"---\ntags: [x]\n---\n", SETTINGS)[0].topic_name == "Chat App"
    assert parse("a.md", b'---\ntopic: "A\\nB"\n---\n', SETTINGS)[0].topic_name == "A B"


def test_bom_and_crlf_are_remembered():
    note, _ = parse("a.md", "\ufeff---\r\ntags: [x]\r\n---\r\nbody\r\n".encode(), SETTINGS)
    assert note.bom and note.newline == "\r\n" and note.body == "body\r\n"
    assert note.encode(note.text) == note.raw


def test_broken_frontmatter_of_other_notes_is_not_our_problem():
    note, problems = parse("a.md", b"---\nfoo: [\n---\n", SETTINGS)
    assert note is None and problems == []


@pytest.mark.parametrize("title, name", [
    ('a/b\\c:d*e?f"g<h>i|j#k^l[m]n', "a b c d e f g h i j k l m n"),
    ("../../etc/passwd", "etc passwd"),
    ("  ...  ", "Untitled"),
    ("CON", "CON note"),
    ("Design a Chat App", "Design a Chat App"),
    ("x" * 300, "x" * 200),
])
def test_safe_file_name(title, name):
    assert safe_file_name(title) == name


def test_skimming_leaves_only_properties_that_cannot_matter_unloaded():
    plain = b"---\ncreated: 2026-01-01\nbroken: [\n---\nbody\n"
    note, problems = parse("a.md", plain, SETTINGS, skim=True)
    assert note.props == {} and note.kind == OTHER and problems == []
    for mattering in (b"---\naliases: [Plain]\n---\n", b"---\ntags: [System-Design/Stub]\n---\n",
                      b"---\ntags: [system-design/deep-dive]\n---\n"):
        assert parse("a.md", mattering, SETTINGS, skim=True)[0].props == parse("a.md", mattering, SETTINGS)[0].props
    assert parse("a.md", b"---\ntags: [system-design/stub]\n---\n", SETTINGS, skim=True)[0].kind == STUB
