"""The §7 service map: services and their sync / async dependencies."""

from __future__ import annotations
from dataclasses import replace
from typing import TYPE_CHECKING
from vault_tools.diagrams.architecture import Architecture, architecture, arrow, box, styles
from vault_tools.diagrams.mermaid import label, mermaid
from vault_tools.markdown import cell, table

if TYPE_CHECKING:
    from vault_tools.library.problem_notes import Service
    from vault_tools.topic import Topic

_VERBS = {"cache": "cache-aside", "blob": "media", "search": "queries"}


def services_block(topic: Topic) -> str:
    """Who serves requests, who works in the background, and what each one
    calls, publishes and consumes — without the client and edge detail."""
    arch = architecture(topic)
    if topic.problem is not None and not topic.prop_list("components"):
        return _problem_services(topic, arch)
    if not arch.services and not arch.workers:
        return "> [!note] No services yet\n> List components in `components:` to draw the service map.\n"
    entry = (arch.layer("edge") or arch.layer("client"))[-1:]
    lines = ["flowchart LR"] + [f"    {box(n)}" for n in entry]
    instances = topic.capacity.instances
    lines.append('    subgraph request_path ["Request path: synchronous"]')
    for node in arch.services:
        alone = arch.handlers == [node]
        extra = f"<br/>{instances} instances at peak" if instances and alone else ""
        lines.append(f'        {node.id}["{label(node.name)}{extra}"]')
    lines.append("    end")
    if arch.workers:
        lines.append('    subgraph background ["Background: asynchronous"]')
        lines += [f"        {box(n)}" for n in arch.workers]
        lines.append("    end")
    lines += [f"    {box(n)}" for n in arch.buses + arch.layer("data") + arch.layer("external")]
    shown = {n.id for n in entry + arch.services + arch.workers + arch.buses + arch.layer("data")
             + arch.layer("external")}
    for edge in arch.edges:
        if edge.source in shown and edge.target in shown:
            target = arch.node(edge.target)
            verb = edge.label or _VERBS.get(target.role) or ("reads · writes" if target.layer == "data" else "calls")
            if arch.node(edge.source).role == "worker" and target.role == "search":
                verb = "indexes"
            lines.append(arrow(replace(edge, label=verb)))
    nodes = [n for n in arch.nodes if n.id in shown]
    return mermaid(lines + styles(nodes))


def _problem_services(topic: Topic, arch: Architecture) -> str:
    """The problem's services, what each owns, calls, publishes and consumes:
    the map, then the boundaries table (both follow the problem note)."""
    problem = topic.problem
    names = {s.name.casefold() for s in problem.services}
    services = [n for n in arch.nodes if n.name.casefold() in names]
    kept = {n.id for n in services}
    edges = [e for e in arch.edges if e.source in kept or e.target in kept]
    touched = {e.source for e in edges} | {e.target for e in edges}
    others = [n for n in arch.nodes if n.id in touched and n.id not in kept and n.layer not in ("client", "edge")]
    lines = ["flowchart LR", '    subgraph owned_services ["Services"]']
    lines += [f'        {n.id}["{label(n.name)}"]' for n in services]
    lines += ["    end"] + [f"    {box(n)}" for n in others]
    shown = kept | {n.id for n in others}
    for edge in edges:
        if edge.source in shown and edge.target in shown:
            target = arch.node(edge.target)
            verb = edge.label or ("reads · writes" if target.layer == "data" else
                                  "publish" if target.messaging else "calls")
            lines.append(arrow(replace(edge, label=verb)))
    rows = [[cell(s.name), cell(s.responsibility), cell(", ".join(s.owns) or "—"), cell(_calls(s) or "—"),
             cell(_events(s.publishes)), cell(_events(s.consumes))] for s in problem.services]
    header = ["Service", "Responsibility", "Owns data", "Sync calls", "Events published", "Events consumed"]
    return mermaid(lines + styles(services + others)) + "\n" + table(header, rows)


def _events(items: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    return "; ".join(f"{bus} ({', '.join(events)})" if events else bus for bus, events in items) or "—"


def _calls(service: Service) -> str:
    return ", ".join(f"{name} ({why})" if why else name for name, why in service.calls_with_notes())
