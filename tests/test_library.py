"""The knowledge library and the cross-topic blocks that link it to topics."""

import re


from helpers import stub

from vault_tools import blocks
from vault_tools.links import LinkStyle, Resolver
from vault_tools.sync import Pipeline, sync

USED_BY = "%% vault-tools:begin used-by %%\n%% vault-tools:end used-by %%\n"

LIBRARY = {
    "Trade-offs/SQL vs NoSQL.md": (
        "---\ntags: [system-design/trade-off]\naliases: [sql-vs-nosql]\noptions: [SQL, NoSQL]\n"
        "choose:\n  - {when: read-heavy, choice: NoSQL, why: key lookups dominate}\n---\n"
        "Summary line.\n\n## Probing questions\n\n- Which query needs a join?\n- What is the partition key?\n\n"
        "## Where this came up\n\n" + USED_BY),
    "Deep Dives/Caching and Invalidation.md": (
        "---\ntags: [system-design/deep-dive]\naliases: [caching, cache]\nsuggest-when: [read-heavy]\n---\n"
        "## Summary\n\nCache-aside with TTLs.\n\n## Probing questions\n\n- What is the hit ratio?\n\n"
        "## Used by\n\n" + USED_BY),
    "Deep Dives/Rate Limiting.md": (
        "---\ntags: [system-design/deep-dive]\naliases: [rate-limiting]\n---\n"
        "## Summary\n\nToken bucket.\n\n## Used by\n\n" + USED_BY),
    "Capacity/Capacity across topics.md": (
        "---\ntags: [system-design/capacity]\n---\nAll topics.\n\n"
        "%% vault-tools:begin capacity-table %%\n%% vault-tools:end capacity-table %%\n"),
    "Capacity/QPS.md": (
        "---\ntags: [system-design/capacity]\nfigures: qps\n---\nQPS.\n\n## Across topics\n\n"
        "%% vault-tools:begin figures %%\n%% vault-tools:end figures %%\n"),
    "Catalog/Components.md": (
        "---\ntags: [system-design/catalog]\n---\n| Component | Aliases | Layer | Azure | AWS | Open source | Notes |\n"
        "|---|---|---|---|---|---|---|\n| cache | redis | data | Azure Cache for Redis | ElastiCache | Redis | |\n"
        "| nosql | | data | Cosmos DB | DynamoDB | Cassandra | |\n"),
}


def block(text: str, name: str) -> str:
    return next(b.inner for b in blocks.find(text)[0] if b.name == name)


def read(root, rel):
    return (root / rel).read_text()


def topic(**props):
    base = {"dau": "10M", "writes": "1/user/day", "read-write-ratio": '"100:1"', "components": "[cache, nosql]"}
    base.update(props)
    return stub("mine\n", **base)


def test_topic_links_the_library(vault):
    root = vault({**LIBRARY, "Topics/Shortener.md": topic(**{"trade-offs": '["[[SQL vs NoSQL]]"]'})})
    report = sync(root)
    text = read(root, "Topics/Shortener.md")
    dives = block(text, "deep-dives")
    assert "![[Caching and Invalidation#Summary]]" in dives and "suggested: read:write 100:1" in dives
    assert "| [[SQL vs NoSQL]] | SQL, NoSQL | NoSQL | key lookups dominate (read:write 100:1) |" in text
    assert "| cache | data | Azure Cache for Redis | ElastiCache | Redis |" in block(text, "components")
    probes = block(text, "probes")
    assert "- What is the hit ratio?" in probes and "- Which query needs a join?" in probes
    assert report.problems == []
    used = block(read(root, "Trade-offs/SQL vs NoSQL.md"), "used-by")
    assert used == "| Topic | Choice | Why |\n|---|---|---|\n| [[Shortener]] | NoSQL | key lookups dominate (read:write 100:1) |\n"
    assert block(read(root, "Deep Dives/Caching and Invalidation.md"), "used-by") == "- [[Shortener]]\n"
    assert "No topic uses" in block(read(root, "Deep Dives/Rate Limiting.md"), "used-by")
    table = block(read(root, "Capacity/Capacity across topics.md"), "capacity-table")
    assert "| [[Shortener]] | 10M |" in table
    assert "| [[Shortener]] |" in block(read(root, "Capacity/QPS.md"), "figures")
    assert sync(root).changes == []


def test_a_persons_choice_flows_into_the_trade_off_note(vault):
    root = vault({**LIBRARY, "Topics/A.md": topic(**{"trade-offs": "[sql-vs-nosql]"})})
    sync(root)
    path = root / "Topics/A.md"
    path.write_text(path.read_text().replace("| NoSQL | key lookups dominate (read:write 100:1) |",
                                             "| **SQL** | we need joins for reporting |"))
    report = sync(root)
    assert report.written == ["Trade-offs/SQL vs NoSQL.md"]
    assert "| [[A]] | **SQL** | we need joins for reporting |" in read(root, "Trade-offs/SQL vs NoSQL.md")


def test_renames_and_deletions_update_every_table(vault):
    root = vault({**LIBRARY, "Topics/A.md": topic(), "Topics/B.md": topic(dau="5M")})
    sync(root)
    (root / "Topics/A.md").rename(root / "Topics/Renamed.md")
    (root / "Topics/B.md").unlink()
    sync(root)
    table = block(read(root, "Capacity/Capacity across topics.md"), "capacity-table")
    assert "[[Renamed]]" in table and "[[A]]" not in table and "[[B]]" not in table
    assert block(read(root, "Deep Dives/Caching and Invalidation.md"), "used-by") == "- [[Renamed]]\n"


def test_unknown_names_are_problems_with_the_closest_note(vault):
    root = vault({**LIBRARY, "Topics/A.md": topic(**{"deep-dives": "[rate-limitng]", "components": "[cache, nosq]"})})
    report = sync(root)
    messages = sorted((p.key, p.message, p.hint) for p in report.problems)
    assert messages == [
        ("components", "`nosq` is not in the component catalog", "did you mean `nosql`?"),
        ("deep-dives", "no deep-dive note called `rate-limitng`", "did you mean `Rate Limiting`?"),
    ]


def test_same_name_in_two_folders_and_aliases():
    resolver = Resolver({"A/Note.md": (), "B/Note.md": ("other name",), "Deep/Note.md": (), "Note.md": ()})
    assert resolver.resolve("Note", "B/x.md") == "B/Note.md"  # same folder first
    assert resolver.resolve("Note", "C/x.md") == "Note.md"  # then the shortest path
    assert resolver.resolve("A/Note", "C/x.md") == "A/Note.md"  # a path wins
    assert resolver.resolve("OTHER NAME") == "B/Note.md"  # aliases, any case
    assert resolver.resolve("nothing") is None


def test_links_are_written_the_vaults_way():
    resolver = Resolver({"A/Note.md": (), "B/Note.md": (), "Topics/Only.md": ()})
    shortest, absolute = LinkStyle(), LinkStyle(format="absolute")
    assert shortest.link("Topics/Only.md", "Topics/x.md", resolver) == "[[Only]]"
    assert shortest.link("A/Note.md", "Topics/x.md", resolver) == "[[A/Note]]"  # ambiguous name
    assert absolute.link("Topics/Only.md", "x.md", resolver, anchor="Summary", embed=True) == "![[Topics/Only#Summary]]"
    assert LinkStyle(format="relative").link("A/Note.md", "B/x.md", resolver) == "[[../A/Note]]"
    assert LinkStyle(markdown=True).link("Topics/Only.md", "x.md", resolver, "Only") == "[Only](Only.md)"


def test_a_link_inside_code_is_not_a_link(vault):
    body = "Use `[[Rate Limiting]]` syntax.\n\n```\n[[Rate Limiting]]\n```\n"
    root = vault({**LIBRARY, "Topics/A.md": stub(body, **{"deep-dives": "[caching]"})})
    sync(root)
    assert "No topic uses" in block(read(root, "Deep Dives/Rate Limiting.md"), "used-by")
    (root / "Topics/A.md").write_text(read(root, "Topics/A.md") + "\nSee [[Rate Limiting]].\n")
    sync(root)
    assert block(read(root, "Deep Dives/Rate Limiting.md"), "used-by") == "- [[A]]\n"


def test_markdown_link_vault(vault):
    root = vault({**LIBRARY, ".obsidian/app.json": '{"useMarkdownLinks": true, "newLinkFormat": "absolute"}',
                  "Topics/A b.md": topic(**{"trade-offs": "[sql-vs-nosql]"})})
    sync(root)
    text = read(root, "Topics/A b.md")
    assert "![Caching and Invalidation](Deep%20Dives/Caching%20and%20Invalidation.md#Summary)" in text
    assert "[SQL vs NoSQL](Trade-offs/SQL%20vs%20NoSQL.md)" in text
    used = block(read(root, "Trade-offs/SQL vs NoSQL.md"), "used-by")
    assert "[A b](Topics/A%20b.md)" in used and "NoSQL" in used
    assert sync(root).changes == []


def test_watch_runs_touch_only_what_depends_on_the_change(vault):
    files = {**LIBRARY, **{f"Topics/T{i}.md": topic() for i in range(5)}, "Topics/Other.md": topic()}
    files["Topics/Other.md"] = stub(**{"deep-dives": "[rate-limiting]"})
    root = vault(files)
    pipeline = Pipeline(root)
    pipeline.run()
    path = root / "Topics/T1.md"
    path.write_text(path.read_text().replace("dau: 10M", "dau: 20M"))
    report = pipeline.run(["Topics/T1.md"])
    assert sorted(report.written) == ["Capacity/Capacity across topics.md", "Capacity/QPS.md", "Topics/T1.md"]
    assert "| [[T1]] | 20M |" in block(read(root, "Capacity/Capacity across topics.md"), "capacity-table")
    assert pipeline.run(["Topics/T1.md"]).written == []
    assert Pipeline(root).run(apply=False).changes == []  # the same result as a full sync


def test_a_library_edit_re_renders_the_topics(vault):
    root = vault({**LIBRARY, "Topics/A.md": topic()})
    pipeline = Pipeline(root)
    pipeline.run()
    path = root / "Deep Dives/Caching and Invalidation.md"
    path.write_text(path.read_text().replace("- What is the hit ratio?", "- What is the eviction policy?"))
    report = pipeline.run(["Deep Dives/Caching and Invalidation.md"])
    assert "Topics/A.md" in report.written
    assert "- What is the eviction policy?" in block(read(root, "Topics/A.md"), "probes")
    assert re.search(r"hit ratio", block(read(root, "Topics/A.md"), "probes")) is None


def test_an_emptied_library_block_is_refilled_by_a_watch_run(vault):
    root = vault({**LIBRARY, "Topics/A.md": topic()})
    pipeline = Pipeline(root)
    pipeline.run()
    path = root / "Deep Dives/Caching and Invalidation.md"
    full = path.read_text()
    path.write_text(re.sub(r"(begin used-by hash=\w+ %%\n).*?(%% vault-tools:end)", r"\1\2", full, flags=re.S))
    assert pipeline.run(["Deep Dives/Caching and Invalidation.md"]).written == ["Deep Dives/Caching and Invalidation.md"]
    assert path.read_text() == full


def test_a_capacity_note_says_which_figures_it_shows_so_a_rename_keeps_its_block(vault):
    qps = "---\ntags: [system-design/capacity]\nfigures: qps\n---\n%% vault-tools:begin figures %%\n%% vault-tools:end figures %%\n"
    root = vault({"Topics/T.md": stub(dau="1M", writes="1/user/day"), "Capacity/Requests per second.md": qps,
                  "Capacity/Untitled.md": qps.replace("figures: qps\n", "")})
    sync(root)
    renamed = (root / "Capacity/Requests per second.md").read_text()
    assert "| Topic | Writes/s avg | Writes/s peak | Reads/s avg | Reads/s peak |" in renamed
    assert "[[T]] | 11.6 |" in renamed
    assert "Say which figures this note shows: `figures:`" in (root / "Capacity/Untitled.md").read_text()


def test_rule_evidence_is_a_readable_number():
    from vault_tools.library import rules
    signals = rules.Signals(frozenset(), "", {"storage_bytes_total": 5.53e16, "peak_writes_per_second": 12_345.0}, 10.0)
    assert rules.holds("storage > 1 PB", signals) == (True, "storage ≈ 55,300T")
    assert rules.holds("peak-write-qps >= 10K", signals) == (True, "peak-write-qps ≈ 12.3K")
    assert rules.holds("peak-write-qps >= 10 lots", signals) == (False, "")
