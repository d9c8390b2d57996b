"""Golden files: tests/golden/NAME.stub.md, put in a vault made by `init`,
expands to NAME.expected.md.

After a deliberate change of the output, regenerate them with
`VAULT_TOOLS_REGEN=1 scripts/test tests/test_golden.py` and review the diff.
"""

import os
from pathlib import Path

import pytest
from vault_tools.create import init_vault
from vault_tools.sync import sync

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name[: -len(".stub.md")] for p in GOLDEN.glob("*.stub.md"))


@pytest.mark.parametrize("name", CASES)
def test_golden(name, tmp_path):
    root = tmp_path / "v"
    init_vault(root)  # the starter vault's library, catalog and prices
    (root / f"Topics/{name}.md").write_bytes((GOLDEN / f"{name}.stub.md").read_bytes())
    report = sync(root)
    out = (root / f"Topics/{name}.md").read_bytes()
    expected = GOLDEN / f"{name}.expected.md"
    if os.environ.get("VAULT_TOOLS_REGEN"):
        expected.write_bytes(out)
    assert out == expected.read_bytes()
    assert [p.line() for p in report.problems] == []
    assert sync(root).changes == []


def test_there_are_golden_cases():
    assert len(CASES) >= 3
