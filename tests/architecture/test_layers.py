"""The layers import only inward: domain <- application <- adapters/simulation/entrypoints.

simulation drives the use cases from outside, as entrypoints do; nothing inside the shop imports it.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
LAYERS = ("domain", "application", "adapters", "simulation", "entrypoints")
INFRASTRUCTURE = {
    "litestar", "sqlalchemy", "advanced_alchemy", "asyncpg", "aiosqlite", "alembic", "redis", "saq",
    "dependency_injector", "sklearn", "pandas", "uvicorn", "bcrypt", "joblib", "httpx", "tqdm", "zxcvbn",
    "aiosmtplib", "prometheus_client",
}  # fmt: skip
# Who may import whom, besides the standard library.
ALLOWED = {
    "domain": {"domain", "msgspec", "numpy", "scipy", "rapidfuzz", "Stemmer"},
    "application": {"domain", "application", "msgspec", "numpy", "scipy", "rapidfuzz"},
    "adapters": {"domain", "application", "adapters"} | INFRASTRUCTURE | {"msgspec", "numpy"},
    "simulation": {"domain", "application", "simulation", "msgspec", "numpy"},
    "entrypoints": set(LAYERS) | INFRASTRUCTURE | {"msgspec", "numpy"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def third_party_or_layer(root: str) -> bool:
    import sys

    return root not in sys.stdlib_module_names


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_what_it_may(layer: str) -> None:
    files = sorted((SRC / layer).rglob("*.py"))
    assert files, f"no files in src/{layer}"
    offences = []
    for path in files:
        for root in imported_roots(path):
            if third_party_or_layer(root) and root not in ALLOWED[layer]:
                offences.append(f"{path.relative_to(SRC)} imports {root}")
    assert offences == []


def test_domain_modules_do_not_reach_into_each_others_internals() -> None:
    """A domain module may use another's model and errors, never its adapters-facing ports' implementations."""
    offences = []
    for path in sorted((SRC / "domain").rglob("*.py")):
        module = path.relative_to(SRC / "domain").parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("domain."):
                parts = node.module.split(".")
                if parts[1] != module and parts[-1] not in {"model", "errors", "ports"}:
                    offences.append(f"{path.relative_to(SRC)} imports {node.module}")
    assert offences == []


def test_the_checker_catches_a_wrong_way_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom litestar import get\n", encoding="utf-8")
    assert {"sqlalchemy", "litestar"} <= imported_roots(bad)
    assert not ({"sqlalchemy", "litestar"} <= ALLOWED["domain"])


def test_the_shop_never_imports_the_simulation() -> None:
    offences = []
    for layer in ("domain", "application", "adapters"):
        for path in sorted((SRC / layer).rglob("*.py")):
            if "simulation" in imported_roots(path):
                offences.append(f"{path.relative_to(SRC)} imports simulation")
    assert offences == []


def test_the_checker_catches_an_import_of_the_simulation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from simulation.shoppers import Shopper\nimport simulation.experiment\n", encoding="utf-8"
    )
    assert imported_roots(bad) == {"simulation"}
    assert all("simulation" not in ALLOWED[layer] for layer in ("domain", "application", "adapters"))
