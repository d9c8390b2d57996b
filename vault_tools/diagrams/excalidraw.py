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
import re
from typing import TYPE_CHECKING

from vault_tools.diagrams import LAYERS, Architecture, Node, architecture

if TYPE_CHECKING:
    from vault_tools.topic import Topic

SOURCE = "vault-tools"
BOX_W, BOX_H, COLUMN_GAP, ROW_GAP, GAP = 220, 80, 140, 40, 8
TOP = 70  # below the title: column headers, then boxes
FONT = 5  # Excalifont; Excalidraw falls back to its default if unknown
_FILL = {"client": "#e7f5ff", "edge": "#fff4e6", "service": "#ebfbee", "data": "#f3f0ff",
         "async": "#fff9db", "external": "#f1f3f5"}
_TITLES = {"client": "Client", "edge": "Edge", "service": "Services", "data": "Data",
           "async": "Async messaging", "external": "External"}
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
        column_elements = [make.text(f"header {layer}", _TITLES[layer], x, TOP, 20)]
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
            "startArrowhead": None, "endArrowhead": "arrow", "elbowed": False,
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


# ---------------------------------------------------------------- checking

_NUMBER, _TEXT = (int, float), (str,)
_BASE_FIELDS = {
    "id": _TEXT, "type": _TEXT, "x": _NUMBER, "y": _NUMBER, "width": _NUMBER, "height": _NUMBER,
    "angle": _NUMBER, "strokeColor": _TEXT, "backgroundColor": _TEXT, "fillStyle": _TEXT,
    "strokeWidth": _NUMBER, "strokeStyle": _TEXT, "roughness": _NUMBER, "opacity": _NUMBER,
    "groupIds": (list,), "frameId": (str, type(None)), "roundness": (dict, type(None)), "seed": (int,),
    "version": (int,), "versionNonce": (int,), "isDeleted": (bool,), "boundElements": (list, type(None)),
    "updated": _NUMBER, "link": (str, type(None)), "locked": (bool,),
}
_KIND_FIELDS = {
    "text": {"text": _TEXT, "fontSize": _NUMBER, "fontFamily": (int,), "textAlign": _TEXT,
             "verticalAlign": _TEXT, "containerId": (str, type(None)), "originalText": _TEXT,
             "lineHeight": _NUMBER, "autoResize": (bool,)},
    "arrow": {"points": (list,), "startBinding": (dict, type(None)), "endBinding": (dict, type(None)),
              "startArrowhead": (str, type(None)), "endArrowhead": (str, type(None)),
              "lastCommittedPoint": (list, type(None)), "elbowed": (bool,)},
}
_CHOICES = {"fillStyle": {"hachure", "cross-hatch", "solid", "zigzag"}, "strokeStyle": {"solid", "dashed", "dotted"},
            "textAlign": {"left", "center", "right"}, "verticalAlign": {"top", "middle", "bottom"}}
_BLOCK_ID = re.compile(r"[0-9A-Za-z]{8}")


def validate(drawing_json: dict) -> list[str]:
    """Format errors of an Excalidraw scene: missing or mistyped fields,
    duplicate ids, bound text ↔ container and arrow ↔ boundElements mismatches."""
    if not isinstance(drawing_json, dict):
        return ["the drawing is not a JSON object"]
    errors = [f"`{key}` should be {kind.__name__}" for key, kind in
              (("elements", list), ("appState", dict), ("files", dict)) if not isinstance(drawing_json.get(key), kind)]
    if drawing_json.get("type") != "excalidraw" or drawing_json.get("version") != 2:
        errors.append("`type` should be excalidraw and `version` 2")
    elements = [e for e in drawing_json.get("elements") or [] if isinstance(e, dict)]
    ids = [e.get("id") for e in elements]
    errors += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1}, key=str)]
    by_id = {e.get("id"): e for e in elements}
    for element in elements:
        errors += [f"{element.get('id')}: {problem}" for problem in _element_errors(element, by_id)]
    return errors


def _element_errors(element: dict, by_id: dict[str, dict]) -> list[str]:
    fields = {**_BASE_FIELDS, **_KIND_FIELDS.get(element.get("type"), {})}
    errors = [f"`{key}` missing" if key not in element else f"`{key}` has the wrong type"
              for key, kinds in fields.items()
              if key not in element or not _is(element[key], kinds)]
    errors += [f"`{key}` is {element[key]!r}" for key, allowed in _CHOICES.items()
               if key in element and isinstance(element[key], str) and element[key] not in allowed]
    bound = element.get("boundElements") or []
    for ref in bound:
        other = by_id.get(ref.get("id")) if isinstance(ref, dict) else None
        if other is None:
            errors.append(f"bound element {ref!r} does not exist")
        elif ref.get("type") == "text" and other.get("containerId") != element.get("id"):
            errors.append(f"bound text {other['id']} has containerId {other.get('containerId')!r}")
        elif ref.get("type") == "arrow" and element.get("id") not in _ends_of(other):
            errors.append(f"arrow {other['id']} is listed in boundElements but not bound to it")
    if element.get("type") == "text":
        errors += _text_errors(element, by_id)
    if element.get("type") == "arrow":
        errors += _arrow_errors(element, by_id)
    return errors


def _text_errors(element: dict, by_id: dict[str, dict]) -> list[str]:
    errors = [] if _BLOCK_ID.fullmatch(str(element.get("id"))) else ["a text id must be 8 of [0-9A-Za-z]"]
    container = element.get("containerId")
    if container is not None:
        refs = (by_id.get(container) or {}).get("boundElements") or []
        if container not in by_id:
            errors.append(f"container {container} does not exist")
        elif {"id": element.get("id"), "type": "text"} not in refs:
            errors.append(f"container {container} does not list it in boundElements")
    return errors


def _arrow_errors(element: dict, by_id: dict[str, dict]) -> list[str]:
    points = element.get("points")
    errors = [] if (isinstance(points, list) and len(points) >= 2 and points[0] == [0, 0]
                    and all(isinstance(p, list) and len(p) == 2 for p in points)) \
        else ["`points` should be two or more [x, y] starting at [0, 0]"]
    for side in ("startBinding", "endBinding"):
        binding = element.get(side)
        if binding is None:
            continue
        target = by_id.get(binding.get("elementId"))
        if target is None:
            errors.append(f"{side} points at missing element {binding.get('elementId')}")
        elif {"id": element.get("id"), "type": "arrow"} not in (target.get("boundElements") or []):
            errors.append(f"{side} target {target['id']} does not list the arrow in boundElements")
    return errors


def _ends_of(arrow: dict) -> set[str]:
    return {b.get("elementId") for b in (arrow.get("startBinding"), arrow.get("endBinding")) if isinstance(b, dict)}


def _is(value: object, kinds: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in kinds:
        return False  # a bool is an int to Python, not to Excalidraw
    return isinstance(value, kinds)


def scene_of(note_text: str) -> dict:
    """The scene JSON of an `.excalidraw.md` note (uncompressed `## Drawing`)."""
    found = re.search(r"\n## Drawing\n```json\n(.*?)\n```\n", note_text, re.DOTALL)
    if not found:
        raise ValueError("no ```json block under `## Drawing`")
    return json.loads(found[1])


def check_note(note_text: str) -> list[str]:
    """`validate` of the note's scene, plus: the frontmatter marks it a drawing
    and `## Text Elements` lists exactly the scene's text elements."""
    errors = [] if note_text.startswith("---\n") and "\nexcalidraw-plugin: parsed\n" in note_text \
        else ["frontmatter lacks `excalidraw-plugin: parsed`"]
    try:
        scene = scene_of(note_text)
    except ValueError as error:
        return errors + [str(error)]
    errors += validate(scene)
    section = note_text.split("## Text Elements\n", 1)[-1].split("%%\n## Drawing\n", 1)[0]
    listed = {element_id: text for text, element_id in re.findall(r"(.*?) \^([0-9A-Za-z]{8})\n\n", section,
                                                                  re.DOTALL)}
    texts = {e["id"]: e["text"] for e in scene.get("elements", []) if e.get("type") == "text"}
    if listed != texts:
        errors.append("`## Text Elements` does not list exactly the scene's text elements")
    return errors
