"""vault-tools: expands system-design stubs in an Obsidian vault."""

__version__ = "0.1.0"
