"""An Excalidraw scene checker for the tests: the fields and bindings the
editor needs, and the `.excalidraw.md` note layout the Obsidian plugin reads."""

from __future__ import annotations

import json
import re

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
