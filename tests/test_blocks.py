from helpers import block
from vault_tools import blocks


def test_render_then_find_round_trips():
    text = "before\n" + block("a", "x\ny\n") + "\nafter\n"
    found, problems = blocks.find(text)
    assert problems == []
    assert [(b.name, b.inner, b.state) for b in found] == [("a", "x\ny\n", blocks.OWNED)]


def test_refresh_replaces_owned_blocks_and_keeps_the_rest():
    text = "head\n" + block("a", "old\n") + "\nmiddle\n" + block("b", "keep\n") + "\ntail"
    new, problems = blocks.refresh(text, lambda name: "new\n" if name == "a" else None, "\n")
    assert problems == []
    assert new == "head\n" + block("a", "new\n") + "\nmiddle\n" + block("b", "keep\n") + "\ntail"


def test_edited_block_is_never_overwritten_and_is_a_conflict():
    text = block("a", "generated\n").replace("generated", "my own words")
    new, problems = blocks.refresh(text, lambda name: "fresh\n", "\n")
    assert new == text
    assert [(p.key, p.kind) for p in problems] == [("a", "conflict")]


def test_emptied_block_is_handed_back():
    text = "%% vault-tools:begin a hash=deadbeef %%\n\n%% vault-tools:end a %%\n"
    new, problems = blocks.refresh(text, lambda name: "fresh\n", "\n")
    assert problems == []
    assert new == block("a", "fresh\n") + "\n"


def test_block_without_markers_is_plain_text():
    text = "generated once, then the person's\n"
    assert blocks.refresh(text, lambda name: "fresh\n", "\n") == (text, [])


def test_crlf_block_keeps_crlf_and_its_hash():
    text = "a\r\n" + block("a", "x\ny\n", "\r\n") + "\r\nb\r\n"
    assert "\r\nx\r\ny\r\n%%" in text
    found, _ = blocks.find(text)
    assert found[0].state == blocks.OWNED
    assert blocks.refresh(text, lambda name: "x\ny\n", "\r\n") == (text, [])


def test_broken_markers_are_reported_and_left_alone():
    text = "%% vault-tools:begin a hash=00000000 %%\nx\n%% vault-tools:end b %%\n"
    new, problems = blocks.refresh(text, lambda name: "fresh\n", "\n")
    assert new == text
    assert sorted(p.kind for p in problems) == ["live-block", "live-block"]
