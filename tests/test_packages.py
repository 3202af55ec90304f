"""The product does not depend on the mirror: no module under tmvspider/ imports tmvmirror."""

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
    offenders = {str(source): sorted(name for name in names if name.split(".")[0] == "tmvmirror")
                 for source, names in imports.items()}
    assert {source: names for source, names in offenders.items() if names} == {}
