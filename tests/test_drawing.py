"""The Excalidraw drawing beside each topic: written, redrawn, then the person's."""

import json
import re


from excalidraw_check import validate
from helpers import stub

from vault_tools.sync import sync


def scene(text: str) -> dict:
    return json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))


def labels(text: str) -> set[str]:
    return {e["text"] for e in scene(text)["elements"] if e["type"] == "text"}


def test_drawing_is_written_embedded_redrawn_and_then_left_alone(vault):
    root = vault({"Topics/Chat.md": stub(components="[cdn, cache]")})
    drawing = root / "Topics/Chat.excalidraw.md"
    sync(root)
    text = drawing.read_text()
    assert text.startswith("---\nvault-tools-hash: ") and "excalidraw-plugin: parsed" in text
    assert validate(scene(text)) == []
    assert "![[Chat.excalidraw]]" in (root / "Topics/Chat.md").read_text()
    topic = root / "Topics/Chat.md"
    topic.write_text(topic.read_text().replace("components: [cdn, cache]", "components: [cdn, cache, queue, worker]"))
    report = sync(root)
    assert "Topics/Chat.excalidraw.md" in report.written
    assert len(labels(drawing.read_text())) > len(labels(text))
    drawn_by_person = drawing.read_text().replace('"x": ', '"x": 1', 1)
    drawing.write_text(drawn_by_person)
    topic.write_text(topic.read_text().replace("components: [cdn, cache, queue, worker]", "components: [cdn]"))
    report = sync(root)
    assert drawing.read_text() == drawn_by_person and "Topics/Chat.excalidraw.md" not in report.written
    assert sync(root).changes == []


def test_no_components_no_drawing(vault):
    root = vault({"Topics/Chat.md": stub()})
    sync(root)
    assert not (root / "Topics/Chat.excalidraw.md").exists()
