"""Diagrams drawn from a topic's properties, as Mermaid inside Markdown: the
architecture and its request paths (§6), the service map (§7) and the data
model (§4).

Pure functions of a `Topic`. Text a person wrote only ever reaches Mermaid
through `label` (entity codes for every character that could end a label, a
statement or the live block); node ids are ASCII slugs made here. SQL and
JSON use identifiers made by `ident`, never the person's raw text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from vault_tools.diagrams.architecture import (
    LAYER_TITLES, LAYERS, MESSAGING, STORES, Architecture, Edge, Node, architecture, architecture_flowchart, short_service,
)
from vault_tools.diagrams.data_model import (
    Entity, Field, Schema, data_model_block, ddl, document_item, er_diagram, partitioning, read_entities, sql_type,
)
from vault_tools.diagrams.mermaid import code, er_word, ident, label, mermaid, slug
from vault_tools.diagrams.sequences import architecture_block, journey, read_path, write_path
from vault_tools.diagrams.services import services_block

if TYPE_CHECKING:
    from vault_tools.topic import Topic

GENERATORS: dict[str, Callable[[Topic], str]] = {
    "architecture": architecture_block,
    "services": services_block,
    "data-model": data_model_block,
}

__all__ = [
    "GENERATORS", "LAYER_TITLES", "LAYERS", "MESSAGING", "STORES", "Architecture", "Edge", "Entity", "Field", "Node", "Schema",
    "architecture", "architecture_block", "architecture_flowchart", "code", "data_model_block", "ddl",
    "document_item", "er_diagram", "er_word", "ident", "journey", "label", "mermaid", "partitioning",
    "read_entities", "read_path", "services_block", "short_service", "slug", "sql_type", "write_path",
]
