"""Property: whatever a person writes around and between the sections,
any number of syncs leaves every byte outside live blocks unchanged."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import make_vault, outside_blocks, stub

from vault_tools import blocks, frontmatter
from vault_tools.sync import sync


def line_starts_outside_blocks(text: str) -> list[int]:
    found, _ = blocks.find(text)
    body = frontmatter.split(text).body_start
    starts = [body] + [i + 1 for i, c in enumerate(text) if c == "\n" and i + 1 > body]
    return [s for s in starts if not any(b.start < s <= b.end for b in found)]


person_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80).filter(
    lambda s: "vault-tools:" not in s)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inserts=st.lists(st.tuples(st.integers(0, 10_000), person_text), max_size=6),
       dau=st.sampled_from(["1M", "2M", "300M", "lots", "1,5B"]),
       runs=st.integers(1, 3),
       newline=st.sampled_from(["\n", "\r\n"]))
def test_text_outside_live_blocks_never_changes(inserts, dau, runs, newline):
    with tempfile.TemporaryDirectory() as folder:
        root = make_vault(Path(folder) / "v", {"Topics/a.md": stub("mine\n", dau="1M").replace("\n", newline)})
        path = root / "Topics/a.md"
        sync(root)
        text = path.read_bytes().decode()
        for where, words in inserts:
            starts = line_starts_outside_blocks(text)
            at = starts[where % len(starts)]
            text = text[:at] + words + newline + text[at:]
        text = text.replace("dau: 1M", f"dau: {dau}")
        path.write_bytes(text.encode())
        expected = outside_blocks(text)
        for _ in range(runs):
            sync(root)
            assert outside_blocks(path.read_bytes().decode()) == expected
