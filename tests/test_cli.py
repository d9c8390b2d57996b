"""The command line, called in-process."""

import json

import yaml

from helpers import stub

from vault_tools import __version__


def test_version_and_help_work_everywhere(cli):
    for args in (["--version"], ["sync", "--version"], ["init", "--version"]):
        result = cli(*args)
        assert result.code == 0 and __version__ in result.out
    for args in (["--help"], ["sync", "--help"], ["new", "--help"], ["init", "--help"]):
        result = cli(*args)
        assert result.code == 0 and "usage:" in result.out


def test_usage_errors_exit_2(cli, tmp_path):
    assert cli().code == 2
    assert cli("sync", "--bogus").code == 2
    assert cli("frobnicate").code == 2


def test_a_folder_that_is_not_a_vault_is_refused(cli, tmp_path):
    (tmp_path / "a.md").write_text(stub())
    result = cli("sync", str(tmp_path))
    assert result.code == 2 and "not an Obsidian vault" in result.err
    assert (tmp_path / "a.md").read_text() == stub()
    assert "no such folder" in cli("sync", str(tmp_path / "missing")).err


def test_vault_tools_yaml_alone_makes_a_vault(cli, tmp_path):
    (tmp_path / "vault-tools.yaml").write_text("topics-folder: Designs\n")
    (tmp_path / "a.md").write_text(stub())
    assert cli("sync", str(tmp_path)).code == 0
    assert "system-design/topic" in (tmp_path / "a.md").read_text()


def test_init_new_sync_check(cli, tmp_path, monkeypatch):
    root = tmp_path / "v"
    result = cli("init", str(root))
    assert result.code == 0 and (root / ".obsidian").is_dir()
    assert (root / "Templates/System Design Stub.md").is_file()
    monkeypatch.chdir(root)
    result = cli("new", "Design a Chat App", "--dau", "50M", "--writes=20/user/day", "--components", "[cdn, cache]")
    assert result.code == 0 and "Topics/Design a Chat App.md" in result.out
    created = (root / "Topics/Design a Chat App.md").read_text()
    props = yaml.safe_load(created.split("---")[1])
    assert props["topic"] == "Design a Chat App" and props["dau"] == "50M"
    assert props["writes"] == "20/user/day" and props["components"] == ["cdn", "cache"]
    assert "system-design/stub" in props["tags"]
    assert cli("sync").code == 0
    assert "## 13. Interview Discussion Points" in (root / "Topics/Design a Chat App.md").read_text()
    assert cli("sync", "--check").code == 0


def test_init_never_overwrites(cli, tmp_path):
    root = tmp_path / "v"
    (root / "Templates").mkdir(parents=True)
    (root / "Templates/System Design Stub.md").write_text("mine\n")
    result = cli("init", str(root))
    assert result.code == 0 and "kept 1" in result.out
    assert (root / "Templates/System Design Stub.md").read_text() == "mine\n"


def test_new_refuses_to_overwrite_and_sanitises_titles(cli, vault):
    root = vault()
    hostile = 'a/b\\c:d*e?f"g<h>i|j#k^l[m]n'
    assert cli("new", hostile, "--vault", str(root)).code == 0
    created = list((root / "Topics").iterdir())
    assert [p.name for p in created] == ["a b c d e f g h i j k l m n.md"]
    assert yaml.safe_load(created[0].read_text().split("---")[1])["topic"] == hostile
    result = cli("new", hostile, "--vault", str(root))
    assert result.code == 2 and "already exists" in result.err
    assert cli("new", "x", "--vault", str(root), "--dau").code == 2


def test_path_like_titles_and_topics_stay_inside_the_vault(cli, vault, tmp_path):
    root = vault({"Topics/evil.md": stub(topic="../../etc/passwd")})
    assert cli("new", "../../outside", "--vault", str(root)).code == 0
    assert cli("sync", str(root)).code == 0
    inside = {p.resolve() for p in root.rglob("*")}
    assert all(p.is_relative_to(root.resolve()) for p in inside)
    notes = sorted(p.name for p in (root / "Topics").iterdir() if not p.name.endswith(".excalidraw.md"))
    assert notes == ["evil.md", "outside.md"]
    assert {p.name for p in tmp_path.iterdir()} == {root.name}


def test_check_dry_run_and_json(cli, vault):
    root = vault({"Topics/a.md": stub(), "Topics/bad.md": "---\ntags: [system-design/stub]\na: [\n---\n"})
    before = (root / "Topics/a.md").read_bytes()
    result = cli("sync", str(root), "--dry-run")
    assert result.code == 0 and "+## 1. System Overview" in result.out
    assert (root / "Topics/a.md").read_bytes() == before
    assert cli("sync", str(root), "--check").code == 1
    assert (root / "Topics/a.md").read_bytes() == before
    data = json.loads(cli("sync", str(root), "--json").out)
    assert [c["path"] for c in data["changes"]] == ["Topics/a.md", "vault-tools Problems.md"]
    assert data["problems"][0]["path"] == "Topics/bad.md" and "malformed YAML" in data["problems"][0]["message"]
    result = cli("sync", str(root))
    assert result.code == 0 and "problem: Topics/bad.md" in result.err
    assert cli("sync", str(root), "--check").code == 1  # the problem remains
    (root / "Topics/bad.md").write_text(stub())
    assert cli("sync", str(root)).code == 0
    assert cli("sync", str(root), "--check").code == 0


def test_new_comments_out_the_rival_of_a_key_it_sets(cli, vault):
    root = vault()
    (root / "Templates").mkdir()
    (root / "Templates/System Design Stub.md").write_text(
        '---\ntags: [system-design/stub]\ntopic: "{{title}}"\ndau: 10M   # daily users\n'
        '# mau: 300M  # monthly\nread-write-ratio: "10:1"\n---\n')
    assert cli("new", "Feed", "--vault", str(root), "--mau", "1B", "--daily-active", "20%", "--reads", "5B/day").code == 0
    props = yaml.safe_load((root / "Topics/Feed.md").read_text().split("---")[1])
    assert props == {"tags": ["system-design/stub"], "topic": "Feed", "mau": "1B", "daily-active": "20%",
                     "reads": "5B/day"}
    assert "# dau: 10M   # daily users" in (root / "Topics/Feed.md").read_text()


def test_capacity_command(cli, vault):
    root = vault({"Topics/Feed.md": stub(mau="300M", **{"daily-active": "50%", "writes": "2/user/day"}),
                  "Topics/bad.md": stub(dau="lots")})
    result = cli("capacity", str(root / "Topics/Feed.md"), "--json")
    data = json.loads(result.out)
    assert result.code == 0 and data["topic"] == "Feed" and data["dau"] == 150e6
    assert round(data["writes_per_second"], 1) == 3472.2 and "total" in data["monthly_cost_usd"]
    text = cli("capacity", str(root / "Topics/Feed.md"))
    assert text.code == 0 and "150M DAU × 2 writes ÷ 86,400 s ≈ 3.47K/s" in text.out
    bad = cli("capacity", str(root / "Topics/bad.md"), "--json")
    assert bad.code == 0 and json.loads(bad.out)["problems"][0]["key"] == "dau" and "lots" in bad.err
    assert cli("capacity", str(root / "missing.md")).code == 2
