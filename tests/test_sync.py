"""The promises of `sync` on real files in temp vaults."""

import os
import re

import pytest


from helpers import file_snapshot, headings_of, outside_blocks, stub

from vault_tools import blocks
from vault_tools import sync as sync_module
from vault_tools.sections import HEADINGS
from vault_tools.sync import sync


def test_stub_becomes_the_13_sections_in_order(vault):
    root = vault({"Topics/Chat.md": stub("My notes.\n", dau="100M")})
    report = sync(root)
    text = (root / "Topics/Chat.md").read_text()
    assert report.written == ["Topics/Chat.md"]
    assert headings_of(text) == [f"{n}. {h}" for n, h in enumerate(HEADINGS, 1)]
    assert text.startswith("---\ntags: [system-design/topic]\ndau: 100M\n---\nMy notes.\n\n## 1. System Overview")


def test_frontmatter_and_body_are_kept_verbatim(vault):
    original = ("---\n# a comment\ntags:   [ 'system-design/stub' , other ]   \n"
                "weird:    'spacing'\n---\n\nBody *as written*\n  with trailing   \n")
    root = vault({"Topics/x.md": original})
    sync(root)
    text = (root / "Topics/x.md").read_text()
    assert text.startswith(original.replace("system-design/stub", "system-design/topic"))


def test_second_sync_writes_nothing(vault):
    root = vault({"Topics/a.md": stub(dau="1M"), "Topics/b.md": stub(), "notes.md": "# mine\n"})
    sync(root)
    before = file_snapshot(root)
    report = sync(root)
    assert report.changes == [] and report.written == []
    assert file_snapshot(root) == before


def test_changed_property_rerenders_the_live_block_only(vault):
    root = vault({"Topics/a.md": stub(dau="1M")})
    sync(root)
    path = root / "Topics/a.md"
    text = path.read_text()
    path.write_text(text.replace("dau: 1M", "dau: 2M"))
    report = sync(root)
    assert report.written == ["Topics/a.md"]
    new = path.read_text()
    assert "| Daily active users | 2M |" in new
    assert outside_blocks(new) == outside_blocks(text).replace("dau: 1M", "dau: 2M")
    old_blocks = {b.name: b.inner for b in blocks.find(text)[0]}
    changed = sorted(b.name for b in blocks.find(new)[0] if b.inner != old_blocks[b.name])
    assert changed == ["capacity", "growth", "overview", "summary"]


def test_person_edited_block_is_kept_and_reported(vault):
    root = vault({"Topics/a.md": stub(dau="1M")})
    sync(root)
    path = root / "Topics/a.md"
    edited = path.read_text().replace("| Daily active users | 1M |", "| Daily active users | my guess |", 1)
    path.write_text(edited.replace("dau: 1M", "dau: 5M"))
    report = sync(root)
    overview = next(b.inner for b in blocks.find(path.read_text())[0] if b.name == "overview")
    assert "| Daily active users | my guess |" in overview and "5M" not in overview
    assert [(p.path, p.key, p.kind) for p in report.problems] == [("Topics/a.md", "overview", "conflict")]
    problems_note = (root / "vault-tools Problems.md").read_text()
    assert "Topics/a" in problems_note and "edited by hand" in problems_note


def test_emptied_block_is_regenerated_and_unmarked_text_is_left(vault):
    root = vault({"Topics/a.md": stub(dau="1M")})
    sync(root)
    path = root / "Topics/a.md"
    text = path.read_text()
    emptied = re.sub(r"(%% vault-tools:begin overview hash=\w+ %%\n).*?(%% vault-tools:end overview %%)",
                     r"\1\2", text, flags=re.S)
    path.write_text(emptied)
    sync(root)
    assert path.read_text() == text
    unmarked = re.sub(r"%% vault-tools:(begin|end) overview.*%%\n", "", text).replace("dau: 1M", "dau: 9M")
    path.write_text(unmarked)
    sync(root)
    assert outside_blocks(path.read_text()) == outside_blocks(unmarked)
    assert "| Daily active users | 1M |" in path.read_text()  # the person's now


def test_problems_note_clears_when_fixed(vault):
    root = vault({"Topics/bad.md": "---\ntags: [system-design/stub]\ndau: [\n---\n"})
    assert len(sync(root).problems) == 1
    note = root / "vault-tools Problems.md"
    assert "malformed YAML" in note.read_text()
    (root / "Topics/bad.md").write_text(stub(dau="1M"))
    assert sync(root).problems == []
    assert "No problems" in note.read_text() and "bad" not in note.read_text()


def test_compare_and_swap_when_the_person_saves_meanwhile(vault, monkeypatch):
    root = vault({"Topics/a.md": stub()})
    path = root / "Topics/a.md"
    real_render = sync_module.render

    def render_while_person_types(note, settings, scaffolds):
        result = real_render(note, settings, scaffolds)
        path.write_text(stub("typed meanwhile\n"))
        return result

    monkeypatch.setattr(sync_module, "render", render_while_person_types)
    report = sync(root)
    assert path.read_text() == stub("typed meanwhile\n")
    assert report.written == [] and [p.kind for p in report.retry] == ["retry"]
    monkeypatch.setattr(sync_module, "render", real_render)
    assert sync(root).written == ["Topics/a.md"]
    assert "typed meanwhile" in path.read_text()


def test_note_deleted_between_scan_and_write(vault, monkeypatch):
    root = vault({"Topics/a.md": stub()})
    real_render = sync_module.render

    def render_then_delete(note, settings, scaffolds):
        result = real_render(note, settings, scaffolds)
        (root / note.path).unlink()
        return result

    monkeypatch.setattr(sync_module, "render", render_then_delete)
    report = sync(root)
    assert not (root / "Topics/a.md").exists()
    assert report.written == [] and "deleted meanwhile" in report.retry[0].message


def test_templates_folder_is_not_expanded(vault):
    root = vault({"Templates/System Design Stub.md": stub("{{title}}\n"),
                  ".obsidian/templates.json": '{"folder": "My Templates"}',
                  "My Templates/Stub.md": stub()})
    sync(root)
    assert (root / "My Templates/Stub.md").read_text() == stub()
    assert "system-design/topic" in (root / "Templates/System Design Stub.md").read_text()


def test_dot_folders_and_ignored_paths_are_skipped(vault):
    files = {f"{folder}/a.md": stub() for folder in (".trash", ".git", ".obsidian", "Archive", "node/.hidden")}
    files[".obsidian/app.json"] = '{"userIgnoreFilters": ["Archive/"]}'
    root = vault(files)
    assert sync(root).changes == []


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
def test_line_endings_bom_and_mode_are_kept(vault, newline, bom):
    text = stub("body\n", dau="1M").replace("\n", newline)
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    root = vault({"Topics/a.md": raw})
    path = root / "Topics/a.md"
    os.chmod(path, 0o640)
    sync(root)
    out = path.read_bytes()
    assert out.startswith(raw.replace(b"system-design/stub", b"system-design/topic"))
    assert out.startswith(b"\xef\xbb\xbf") == bom and out.count(b"\xef\xbb\xbf") == (1 if bom else 0)
    body = out.decode("utf-8-sig")
    assert body.count("\n") == body.count(newline) if newline == "\r\n" else "\r" not in body
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert sync(root).changes == []


def test_heading_icons_setting(vault):
    root = vault({"vault-tools.yaml": "heading-icons: true\n", "Topics/a.md": stub(**{"trade-offs": "[x]"})})
    sync(root)
    text = (root / "Topics/a.md").read_text()
    assert "## 🎯 1. System Overview" in text and "## 🎤 13. Interview Discussion Points" in text
    assert [h.split(" ", 1)[1] for h in headings_of(text)] == [f"{n}. {h}" for n, h in enumerate(HEADINGS, 1)]
    assert sync(root).changes == []


def test_bad_settings_are_problems_and_defaults_apply(vault):
    root = vault({"vault-tools.yaml": "heading-icons: maybe\nfrobnicate: 1\n", "Topics/a.md": stub()})
    report = sync(root)
    assert sorted(p.key for p in report.problems) == ["frobnicate", "heading-icons"]
    assert "## 1. System Overview" in (root / "Topics/a.md").read_text()


@pytest.mark.parametrize("yaml_text", ["heading-icons: !!bool maybe\n", "created: !!timestamp x\n",
                                       "a: " + "[" * 2000 + "]" * 2000 + "\n"])
def test_unreadable_settings_are_a_problem_not_a_crash(vault, yaml_text):
    root = vault({"vault-tools.yaml": yaml_text, "Topics/a.md": stub()})
    report = sync(root)
    assert [p.path for p in report.problems] == ["vault-tools.yaml"]
    assert report.problems[0].message.startswith("cannot read settings")
    assert "## 1. System Overview" in (root / "Topics/a.md").read_text()
