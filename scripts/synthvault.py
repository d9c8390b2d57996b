"""Realistic synthetic vaults for the benchmarks.

`make(root, notes)` builds a vault from `vault-template/` (the library, the
templates, the demo topics) and fills it to `notes` Markdown files: one in
ten a topic with varied properties (half already expanded, half stubs still
to expand, some with entities, journeys, deep dives and trade-offs), the rest
the notes a real vault holds — daily notes, reading notes with aliases,
tables, code and links (to each other, to topics, to the library, some
broken), in nested folders — plus an attachment every 20 notes and a few
plugin files in `.obsidian/`.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vault_tools.create import init_vault  # noqa: E402
from vault_tools.sync import sync  # noqa: E402

TOPIC_SHARE = 10  # one note in ten is a topic
COMPONENTS = ["cdn", "gateway", "app", "cache", "nosql", "sql", "blob", "queue", "worker", "search", "websocket"]
DEEP_DIVES = ["caching", "rate-limiting", "search", "notifications", "real-time updates", "consensus (raft)"]
TRADE_OFFS = ['"[[SQL vs NoSQL]]"', '"[[Push vs Pull Fan-out]]"', '"[[Strong vs Eventual Consistency]]"',
              '"[[Build vs Buy]]"']
WORDS = ("cache shard queue latency replica index partition quorum leader follower write read fan-out "
         "backpressure idempotent consistency throughput tail budget outage retry timeout").split()


def stub(i: int, rng: random.Random) -> str:
    """A stub with varied properties: users as dau or mau, reads as a ratio or a rate."""
    lines = ["---", "tags: [system-design/stub]", f"topic: Topic {i}", f"cloud: {rng.choice(['azure', 'aws'])}"]
    if rng.random() < 0.7:
        lines.append(f"dau: {rng.choice(['1M', '10M', '50M', '100M', '300M'])}")
    else:
        lines += [f"mau: {rng.choice(['20M', '200M', '1B'])}", f"daily-active: {rng.choice([20, 35, 50])}%"]
    lines.append(f"writes: {rng.randint(1, 20)}/user/day")
    if rng.random() < 0.7:
        lines.append(f'read-write-ratio: "{rng.choice([5, 10, 100])}:1"')
    else:
        lines.append(f"reads: {rng.choice(['100M', '2B', '10B'])}/day")
    lines += [f"write-size: {rng.choice(['200 B', '1 KB', '4 KB'])}",
              f"retention: {rng.choice(['1 year', '5 years', '36 months'])}",
              f"availability: {rng.choice(['99.9%', '99.95%', '99.99%'])}",
              f"latency-p99: {rng.choice(['100ms', '200ms', '1s'])}",
              f"components: [{', '.join(rng.sample(COMPONENTS, rng.randint(3, 7)))}]"]
    if rng.random() < 0.3:
        lines += [f"media-share: {rng.choice([5, 10, 30])}%", f"media-size: {rng.choice(['200 KB', '1 MB'])}"]
    if rng.random() < 0.3:
        lines.append(f"growth: {rng.choice([20, 40, 100])}%/year")
    if rng.random() < 0.4:
        lines += ["entities: {User: [id uuid pk, name text], "
                  f"Item{i}: [id uuid pk, owner uuid fk User, body text, created timestamp]}}",
                  "journeys: [Create an item, Read the feed]", "shard-key: id"]
    if rng.random() < 0.5:
        lines.append(f"deep-dives: [{', '.join(rng.sample(DEEP_DIVES, rng.randint(1, 3)))}]")
    if rng.random() < 0.5:
        lines.append(f"trade-offs: [{', '.join(rng.sample(TRADE_OFFS, rng.randint(1, 2)))}]")
    body = f"Notes for topic {i}: {' '.join(rng.choices(WORDS, k=30))}.\n"
    return "\n".join(lines) + "\n---\n" + body


def ordinary(i: int, notes: int, rng: random.Random) -> tuple[str, str]:
    """A note that is not ours: its path and text."""
    links = [f"[[Note {rng.randrange(notes)}]]" for _ in range(rng.randint(1, 8))]
    if rng.random() < 0.2:
        links.append(f"[[Topic {rng.randrange(0, notes, TOPIC_SHARE)}]]")
    if rng.random() < 0.1:
        links.append(rng.choice(["[[SQL vs NoSQL]]", "[[Caching and Invalidation]]", "[[Missing note]]"]))
    prose = "\n\n".join(" ".join(rng.choices(WORDS, k=rng.randint(20, 120))) for _ in range(rng.randint(1, 6)))
    if i % 7 == 0:  # a daily note
        day = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
        return (f"Daily/{day[:7]}/{day} {i}.md",
                f"# {day}\n\n- [ ] review {links[0]}\n- [x] read {' '.join(links[1:])}\n\n{prose}\n")
    extra = ""
    if i % 5 == 0:
        extra += "\n| metric | value |\n|---|---|\n| p99 | 120 ms |\n| QPS | 4,000 |\n"
    if i % 9 == 0:
        extra += "\n```python\ndef retry(call, attempts=3):\n    return call()\n```\n"
    if i % 20 == 1:
        extra += f"\n![[attachment {i - 1}.png]]\n"
    alias = f"aliases: [N{i}]\n" if i % 7 == 1 else ""  # some notes have aliases; most don't
    text = (f"---\ntags: [reading, {rng.choice(WORDS)}]\n{alias}created: 2026-01-{1 + i % 28:02d}\n"
            f"source: https://example.com/{i}\n---\n# Note {i}\n\n{prose}\n\nSee {', '.join(links)}.\n{extra}")
    return f"Notes/{i % 23}/{i % 4}/Note {i}.md", text


def make(root: Path, notes: int, seed: int = 1, debounce: float | None = None) -> dict[str, int]:
    """Fill a new vault at `root` to `notes` Markdown files (library included);
    half of the topics are expanded by a sync, half stay stubs. Returns counts."""
    rng = random.Random(seed)
    init_vault(root)
    if debounce is not None:
        (root / "vault-tools.yaml").write_text(f"debounce-seconds: {debounce}\n")
    plugin = root / ".obsidian/plugins/dataview"
    plugin.mkdir(parents=True, exist_ok=True)
    (plugin / "data.json").write_text(json.dumps({"renderNullAs": "-", "refreshInterval": 2500}))
    existing = sum(1 for _ in root.rglob("*.md"))
    topics, stubs_later = 0, []
    for i in range(max(0, notes - existing)):
        if i % TOPIC_SHARE == 0:
            path, text = root / "Topics" / f"Topic {i}.md", stub(i, rng)
            topics += 1
            if topics % 2 == 0:
                stubs_later.append((path, text))
                continue
        else:
            rel, text = ordinary(i, notes, rng)
            path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if i % 20 == 0:
            (path.parent / f"attachment {i}.png").write_bytes(rng.randbytes(4096))
    sync(root)  # the first half of the topics: expanded, with their drawings
    for path, text in stubs_later:
        path.write_text(text, encoding="utf-8")
    return {"markdown": sum(1 for _ in root.rglob("*.md")), "topics": topics, "stubs": len(stubs_later)}


if __name__ == "__main__":
    counts = make(Path(sys.argv[1]), int(sys.argv[2]))
    print(counts)
