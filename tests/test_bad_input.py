"""Bad input: a clear message, the file untouched, nothing lost."""

import os
from pathlib import Path

import pytest

from helpers import stub

from vault_tools.sync import sync

BAD_NOTES = {
    "malformed YAML": ("---\ntags: [system-design/stub]\ndau: [1,\n---\n", "malformed YAML at line"),
    "frontmatter is a list": ("---\n- system-design/stub\n- b\n---\n", "is a list"),
    "frontmatter is a scalar": ("---\nsystem-design/stub\n---\n", "single value"),
    "unclosed fence": ("---\ntags: [system-design/stub]\ndau: 1M\n", "never closed"),
    "non-UTF-8": (b"---\ntags: [system-design/stub]\n---\ncaf\xe9\n", "not UTF-8: byte 0xe9 at offset"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    "frontmatter over 64 KiB": ("---\ntags: [system-design/stub]\nx: " + "y" * 70_000 + "\n---\n", "over the 65,536"),
    "anchors": ("---\ntags: [system-design/stub]\na: &x 1\nb: *x\n---\n", "anchors or aliases"),
    "duplicate keys": ("---\ntags: [system-design/stub]\ndau: 1M\ndau: 2M\n---\n", "duplicate key `dau`"),
    "note over the size limit": ("---\ntags: [system-design/stub]\n---\n" + "x" * (2 * 1024 * 1024), "over the"),
}


@pytest.mark.parametrize("case", BAD_NOTES)
def test_bad_note_is_a_problem_and_untouched(vault, case):
    content, message = BAD_NOTES[case]
    root = vault({"Topics/bad.md": content, "Topics/good.md": stub()})
    before = (root / "Topics/bad.md").read_bytes()
    report = sync(root)
    assert (root / "Topics/bad.md").read_bytes() == before
    assert [p.path for p in report.problems] == ["Topics/bad.md"]
    assert message in report.problems[0].message
    assert report.problems[0].hint
    assert "system-design/topic" in (root / "Topics/good.md").read_text()


@pytest.mark.parametrize("content", ["", "---\ntags: [system-design/stub]\n---\n", "---\ntags: [system-design/stub]\n---"])
def test_empty_and_frontmatter_only_notes(vault, content):
    root = vault({"Topics/a.md": content})
    report = sync(root)
    assert report.problems == []
    text = (root / "Topics/a.md").read_text()
    if content:
        assert text.startswith(content.replace("stub", "topic")) and "## 13. Interview Discussion Points" in text
    else:
        assert text == ""


def test_folder_named_like_a_note(vault):
    root = vault({"x.md/inside.md": stub()})
    report = sync(root)
    assert report.problems == [] and (root / "x.md").is_dir()
    assert "system-design/topic" in (root / "x.md/inside.md").read_text()


def test_read_only_note(vault):
    root = vault({"Topics/a.md": stub()})
    path = root / "Topics/a.md"
    os.chmod(path, 0o444)
    report = sync(root)
    assert path.read_text() == stub()
    assert [p.kind for p in report.problems] == ["read-only"]


def outside_snapshot(folder: Path) -> dict:
    return {p.as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_symlinks_pointing_outside_are_never_written(vault, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "stub.md").write_text(stub())
    (outside / "folder").mkdir()
    (outside / "folder/inner.md").write_text(stub())
    before = outside_snapshot(outside)
    root = vault({"Topics/good.md": stub()})
    (root / "Topics/linked.md").symlink_to(outside / "stub.md")
    (root / "Linked folder").symlink_to(outside / "folder")
    report = sync(root)
    assert outside_snapshot(outside) == before
    assert [(p.path, p.kind) for p in report.problems] == [("Topics/linked.md", "unsafe")]
    assert "symbolic link" in report.problems[0].message
    assert "system-design/topic" in (root / "Topics/good.md").read_text()


def test_stale_temp_files_of_a_killed_sync_are_removed(vault):
    root = vault({"Topics/a.md": stub(), "Topics/.a.md.vault-tools-999999999-0abc1234.tmp": "half"})
    sync(root)
    assert not (root / "Topics/.a.md.vault-tools-999999999-0abc1234.tmp").exists()


@pytest.mark.parametrize("key, value", [
    ("dau", "-5"), ("dau", "0"), ("dau", "NaN"), ("dau", "inf"), ("dau", "1e30"), ("read-write-ratio", "'0:1'"),
    ("read-write-ratio", "'10:0'"), ("writes", "5/fortnight"), ("write-size", "12 XB"), ("media-share", "150%"),
])
def test_unreadable_numbers_are_problems_and_the_note_still_expands(vault, key, value):
    props = {"dau": "1M", "writes": "1/user/day", key: value}
    root = vault({"Topics/a.md": stub(**props)})
    report = sync(root)
    text = (root / "Topics/a.md").read_text()
    assert "## 13. Interview Discussion Points" in text and "system-design/topic" in text
    mine = [p for p in report.problems if p.key == key]
    assert mine and mine[0].path == "Topics/a.md" and mine[0].hint.startswith(f"e.g. {key}:")
    assert f"> [!warning] Could not read `{key}`" in text


def test_a_stale_temp_file_of_the_stamp_cache_is_removed(vault):
    root = vault({"Topics/a.md": stub()})
    sync(root)
    temp = root / ".vault-tools/.index.json.vault-tools-999999999-0abc1234.tmp"
    temp.write_text("half")
    (root / "Topics/a.md").write_text(stub())  # a change, so the sync does its work
    sync(root)
    assert not temp.exists()
