"""The layout's two rules, read from the source (docs/architecture.md): claims never imports
verification, not even inside a function, and no product file is over 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("claims", "verification", "config")
MAX_LINES = 400


def product_files(*apps: str) -> list[Path]:
    return sorted(
        path
        for app in apps
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def imported_modules(path: Path) -> set[str]:
    """Every module an ``import`` or ``from … import`` names anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_the_walk_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "def f():\n    from verification.models import Review\n    import verification\n"
    )
    assert imported_modules(source) == {"verification.models", "verification"}


@pytest.mark.parametrize("path", product_files("claims"), ids=lambda p: str(p.relative_to(ROOT)))
def test_claims_imports_nothing_from_verification(path):
    wrong = {name for name in imported_modules(path) if name.split(".")[0] == "verification"}
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_no_product_file_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in product_files(*PRODUCT)
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, long


@pytest.mark.parametrize(
    "path", product_files("claims", "verification"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_neither_app_below_imports_the_archive_or_the_webhooks(path):
    above = ("config.archive", "archive", "config.webhooks", "webhooks")
    wrong = {name for name in imported_modules(path) if name.startswith(above)}
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"
