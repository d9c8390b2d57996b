"""A vault's configuration, read by one function: settings, section
scaffolds, component catalog, prices, and the fingerprint that tells the
stamp cache whether any of them changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from vault_tools import cache
from vault_tools.capacity.assumptions import ASSUMPTIONS_NOTE, Assumptions, default_assumptions, parse_assumptions
from vault_tools.capacity.prices import PRICE_NOTE, PriceTable, default_prices, parse_prices
from vault_tools.library.catalog import CATALOG_NOTE, Catalog, load_catalog
from vault_tools.problems import Kind, Problem
from vault_tools.sections import Scaffolds, load_scaffolds
from vault_tools.settings import SETTINGS_FILE, Settings, load_settings
from vault_tools.template import package_template


@dataclass(frozen=True)
class VaultConfig:
    """Everything a run reads before the notes, and what was wrong with it."""

    settings: Settings
    scaffolds: Scaffolds
    catalog: Catalog
    prices: PriceTable
    assumptions: Assumptions = field(default_factory=default_assumptions)
    problems: list[Problem] = field(default_factory=list)
    fingerprint: str = ""

    def is_config(self, rel: str) -> bool:
        """Paths whose change means reading the configuration again."""
        return rel in (SETTINGS_FILE, CATALOG_NOTE, PRICE_NOTE, ASSUMPTIONS_NOTE) or \
            rel.startswith(self.settings.sections_folder + "/")


def load_config(root: Path) -> VaultConfig:
    """Read the vault's settings, scaffolds, catalog, prices and engine
    assumptions (each falls back to the shipped one) and fingerprint them
    with the code."""
    settings, problems = load_settings(root)
    scaffolds, found = load_scaffolds(root, settings.sections_folder)
    problems += found
    catalog, found = load_catalog(root, package_template())
    problems += found
    prices, found = _prices(root)
    problems += found
    assumptions = _assumptions(root)
    problems += assumptions.problems
    config = (settings, scaffolds, catalog.components, prices, assumptions)
    fingerprint = hashlib.sha256(f"{cache.code_fingerprint()}{config!r}".encode()).hexdigest()[:16]
    return VaultConfig(settings, scaffolds, catalog, prices, assumptions, problems, fingerprint)


def _assumptions(root: Path) -> Assumptions:
    path = root / ASSUMPTIONS_NOTE
    if path.is_file() and not path.is_symlink():
        try:
            return parse_assumptions(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as error:
            shipped = default_assumptions()
            return Assumptions(shipped.rows, shipped.split, [Problem(f"cannot read the engine assumptions: {error}",
                                                                     ASSUMPTIONS_NOTE, kind=Kind.PRICES)])
    return default_assumptions()


def _prices(root: Path) -> tuple[PriceTable, list[Problem]]:
    path = root / PRICE_NOTE
    if path.is_file() and not path.is_symlink():
        try:
            table, problems = parse_prices(path.read_text(encoding="utf-8-sig"))
            return table, [p if p.path else Problem(p.message, PRICE_NOTE, p.key, p.hint, p.kind)
                           for p in problems]
        except (OSError, UnicodeDecodeError) as error:
            return default_prices(), [Problem(f"cannot read prices: {error}", PRICE_NOTE, kind=Kind.PRICES)]
    return default_prices(), []
