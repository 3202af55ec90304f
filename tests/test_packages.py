"""The package's shape: the product does not depend on the mirror; its stats keys are named in one module;
no module of the product is over 450 lines."""

import ast
from pathlib import Path

import tmvspider


def imported_modules(source: Path) -> set[str]:
    """Every module an `import` or `from … import` statement of *source* names (absolute imports)."""
    names = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), filename=str(source))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_product_module_imports_the_mirror():
    modules = sorted(Path(tmvspider.__file__).parent.rglob("*.py"))
    imports = {source: imported_modules(source) for source in modules}
    assert any("scrapy" in names for names in imports.values())  # the scan reads real imports
    offenders = {
        str(source): sorted(name for name in names if name.split(".")[0] == "tmvmirror")
        for source, names in imports.items()
    }
    assert {source: names for source, names in offenders.items() if names} == {}


PRODUCT = sorted(Path(tmvspider.__file__).parent.rglob("*.py"))


def test_every_tmv_stat_is_named_in_statkeys_alone():
    from tmvspider import statkeys

    def literals(source: Path) -> list[str]:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        return [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("tmv/")
        ]

    named = [value for name, value in vars(statkeys).items() if name.isupper()]
    assert len(named) == len(set(named)) > 40  # each key once
    assert {str(s): literals(s) for s in PRODUCT if s.name != "statkeys.py" and literals(s)} == {}


def test_no_module_of_the_product_is_over_450_lines():
    sizes = {str(source): len(source.read_text(encoding="utf-8").splitlines()) for source in PRODUCT}
    assert {source: n for source, n in sizes.items() if n > 450} == {}
