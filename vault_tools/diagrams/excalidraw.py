"""The architecture as an Obsidian Excalidraw drawing (`<topic>.excalidraw.md`).

The file is what the Excalidraw plugin itself writes: frontmatter with
`excalidraw-plugin: parsed`, a `# Excalidraw Data` / `## Text Elements`
section listing every text element as `text ^id`, and the scene as
uncompressed JSON under `## Drawing`, inside `%%` so Obsidian hides it.
Output is deterministic: ids, seeds and nonces come from a hash of the topic
and component names, and `updated` is fixed, so an unchanged architecture
redraws to identical text.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from vault_tools.diagrams.architecture import LAYER_TITLES, LAYERS, Architecture, Node, architecture

if TYPE_CHECKING:
    from vault_tools.topic import Topic

SOURCE = "vault-tools"
BOX_W, BOX_H, COLUMN_GAP, ROW_GAP, GAP = 220, 80, 140, 40, 8
TOP = 70  # below the title: column headers, then boxes
FONT = 5  # Excalifont; Excalidraw falls back to its default if unknown
_FILL = {"client": "#e7f5ff", "edge": "#fff4e6", "service": "#ebfbee", "data": "#f3f0ff",
         "async": "#fff9db", "external": "#f1f3f5"}
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
FRONTMATTER = ("---\n\nexcalidraw-plugin: parsed\ntags: [excalidraw]\n\n---\n"
               "==⚠  Switch to EXCALIDRAW VIEW in the MORE OPTIONS menu of this document. ⚠==\n\n")


def drawing_note(topic: Topic) -> str:
    """The whole `.excalidraw.md` note of the topic's architecture."""
    scene = drawing(topic)
    texts = [e for e in scene["elements"] if e["type"] == "text"]
    # One line: json's C encoder (indenting falls back to the slow pure-Python one).
    data = json.dumps(scene, ensure_ascii=False).replace("`", "\\u0060")
    return (FRONTMATTER
            + f"Architecture of {topic.link(topic.note.path)}, drawn from its `components`.\n\n"
            + "# Excalidraw Data\n## Text Elements\n"
            + "".join(f"{e['text']} ^{e['id']}\n\n" for e in texts)
            + f"%%\n## Drawing\n```json\n{data}\n```\n%%\n")


def drawing(topic: Topic) -> dict:
    """The Excalidraw scene: one column per layer, a box per component, an
    arrow per call (dashed when asynchronous)."""
    arch = architecture(topic)
    make = _Maker(topic.name)
    elements = [make.text("title", topic.name, 0, 0, 28)]
    boxes: dict[str, dict] = {}
    layers = [layer for layer in LAYERS if arch.layer(layer)]
    for column, layer in enumerate(layers):
        x, group = column * (BOX_W + COLUMN_GAP), make.id(f"group {layer}")
        column_elements = [make.text(f"header {layer}", LAYER_TITLES[layer], x, TOP, 20)]
        for row, node in enumerate(arch.layer(layer)):
            box, text = make.box(node, x, TOP + 40 + row * (BOX_H + ROW_GAP), _FILL[layer])
            boxes[node.id] = box
            column_elements += [box, text]
        for element in column_elements:  # a column moves as one
            element["groupIds"] = [group]
        elements += column_elements
    by_id = {box["id"]: box for box in boxes.values()}
    for arrow in _arrows(arch, boxes, make):
        for side in ("startBinding", "endBinding"):
            by_id[arrow[side]["elementId"]]["boundElements"].append({"id": arrow["id"], "type": "arrow"})
        elements.append(arrow)
    for index, element in enumerate(elements):
        element["index"] = _fractional_index(index)
    return {"type": "excalidraw", "version": 2, "source": SOURCE, "elements": elements,
            "appState": {"gridSize": 20, "gridStep": 5, "gridModeEnabled": False,
                         "viewBackgroundColor": "#ffffff", "currentItemFontFamily": FONT},
            "files": {}}


def _arrows(arch: Architecture, boxes: dict[str, dict], make: _Maker) -> list[dict]:
    arrows = []
    for edge in arch.edges:
        start, end = boxes[edge.source], boxes[edge.target]
        (sx, sy), (ex, ey) = _ends(start, end)
        arrow = make.element("arrow", f"arrow {edge.source} {edge.target}", sx, sy, abs(ex - sx), abs(ey - sy))
        arrow.update({
            "strokeStyle": "dashed" if edge.asynchronous else "solid", "roundness": {"type": 2},
            "points": [[0, 0], [ex - sx, ey - sy]], "lastCommittedPoint": None,
            "startBinding": {"elementId": start["id"], "focus": 0, "gap": GAP},
            "endBinding": {"elementId": end["id"], "focus": 0, "gap": GAP},
            "startArrowhead": "arrow" if edge.both_ways else None, "endArrowhead": "arrow", "elbowed": False,
        })
        arrows.append(arrow)
    return arrows


def _ends(start: dict, end: dict) -> tuple[tuple[float, float], tuple[float, float]]:
    """Arrow end points GAP away from the boxes: side to side between
    columns, bottom to top within one."""
    if start["x"] == end["x"]:
        x = start["x"] + BOX_W / 2
        down = end["y"] > start["y"]
        return ((x, start["y"] + BOX_H + GAP if down else start["y"] - GAP),
                (x, end["y"] - GAP if down else end["y"] + BOX_H + GAP))
    right = end["x"] > start["x"]
    return ((start["x"] + BOX_W + GAP if right else start["x"] - GAP, start["y"] + BOX_H / 2),
            (end["x"] - GAP if right else end["x"] + BOX_W + GAP, end["y"] + BOX_H / 2))


class _Maker:
    """Elements with every field Excalidraw requires, ids and seeds from hashes."""

    def __init__(self, topic: str):
        self.topic = topic
        self.used: set[str] = set()

    def _hash(self, key: str) -> bytes:
        return hashlib.sha256(f"{self.topic}\n{key}".encode()).digest()

    def id(self, key: str) -> str:
        """8 characters of [0-9A-Za-z], as the plugin's own ids (block-reference safe)."""
        digest, salt = self._hash(key), 0
        while True:
            number = int.from_bytes(digest, "big") + salt
            candidate = "".join(_ALPHABET[(number >> (6 * i)) % 62] for i in range(8))
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
            salt += 1

    def element(self, kind: str, key: str, x: float, y: float, width: float, height: float) -> dict:
        digest = self._hash(key)
        return {
            "id": self.id(key), "type": kind, "x": x, "y": y, "width": width, "height": height, "angle": 0,
            "strokeColor": "#1e1e1e", "backgroundColor": "transparent", "fillStyle": "solid",
            "strokeWidth": 2, "strokeStyle": "solid", "roughness": 1, "opacity": 100, "groupIds": [],
            "frameId": None, "index": None, "roundness": None,
            "seed": int.from_bytes(digest[:4], "big") % 2**31 or 1,
            "version": 1, "versionNonce": int.from_bytes(digest[4:8], "big") % 2**31,
            "isDeleted": False, "boundElements": [], "updated": 1, "link": None, "locked": False,
        }

    def text(self, key: str, text: str, x: float, y: float, size: int, container: dict | None = None) -> dict:
        text = "\n".join(plain(line) for line in text.split("\n"))
        lines = text.split("\n")
        width = min(max(len(line) for line in lines) * size * 0.6, BOX_W - 10 if container else 10_000)
        height = len(lines) * size * 1.25
        if container:
            x, y = container["x"] + (BOX_W - width) / 2, container["y"] + (BOX_H - height) / 2
        element = self.element("text", f"text {key}", x, y, width, height)
        element.update({
            "strokeWidth": 1, "text": text, "rawText": text, "originalText": text, "fontSize": size,
            "fontFamily": FONT, "textAlign": "center" if container else "left",
            "verticalAlign": "middle" if container else "top",
            "containerId": container["id"] if container else None, "lineHeight": 1.25, "autoResize": True,
        })
        return element

    def box(self, node: Node, x: float, y: float, fill: str) -> tuple[dict, dict]:
        box = self.element("rectangle", f"box {node.id}", x, y, BOX_W, BOX_H)
        box.update({"backgroundColor": fill, "roundness": {"type": 3},
                    "strokeStyle": "dashed" if node.implied else "solid"})
        text = self.text(node.id, node.name + (f"\n{node.service}" if node.service else ""), x, y, 20, box)
        box["boundElements"] = [{"id": text["id"], "type": "text"}]
        return box, text


def plain(text: str) -> str:
    """One line of a label as the plugin's `## Text Elements` section can hold it:
    no `%%` (ends the hidden part), no `[[` (read as a link), no backticks."""
    line = " ".join(text.split()).replace("`", "'").replace("%%", "% %")
    return line.replace("[[", "[ [").replace("]]", "] ]") or "unnamed"


def _fractional_index(position: int) -> str:
    """Excalidraw's ordering keys (fractional-indexing): a0, a1, … aZ, az, b00, …"""
    if position < 62:
        return "a" + _ALPHABET[position]
    return "b" + _ALPHABET[(position // 62) % 62] + _ALPHABET[position % 62]
