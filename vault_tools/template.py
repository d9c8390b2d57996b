"""The starter vault shipped with the package: the one place that finds it
(in a wheel it sits inside the package, in a checkout beside it)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def package_template() -> Path:
    """The `vault-template/` folder of this installation."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "vault-template", here.parent / "vault-template"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the vault template is missing from this installation")
