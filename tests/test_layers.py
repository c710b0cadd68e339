"""The layers of dgm/ as folders: imports point down, never in a circle (STYLE.md, issue 26).

root (dgm/*.py) ← dgm.data ← dgm.engine ← dgm.present ← dgm.run ← dgm.cli: a module imports
from its own layer and the ones before it only. The entry points over every layer (the lazy
public API in dgm/__init__.py, `python -m dgm`, the notebooks' dgm.nb) may import any layer,
and no module imports them. Every import counts: at module level, inside functions, `import
dgm.x`, `from dgm import x`, relative ones, and a string naming a dgm module (the lazy API's
and the CLI's `importlib.import_module` tables). No two modules may reach each other.
"""

import ast
from pathlib import Path

import pytest

from dgm import paths

LAYERS = ("root", "data", "engine", "present", "run", "cli")
ENTRY_POINTS = ("dgm", "dgm.__main__", "dgm.nb")  # over every layer; nothing imports them
ROOT_MODULES = {  # dgm/*.py: what every layer uses (a new one here needs a reason)
    "dgm.constants",
    "dgm.errors",
    "dgm.jsonsafe",
    "dgm.labels",
    "dgm.lang",
    "dgm.paths",
    "dgm.words",
    "dgm.zh",
}


def modules(package: Path) -> dict[str, Path]:
    """{dotted name: file} of every module under `package` (a package is its __init__.py)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def layer(name: str) -> str:
    """The layer of a module: `dgm.engine.assess` → engine; `dgm.paths` → root; entry points: entry."""
    if name in ENTRY_POINTS:
        return "entry"
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "root"


def rank(name: str) -> int:
    """Position in LAYERS (entry points above them all)."""
    return len(LAYERS) if layer(name) == "entry" else LAYERS.index(layer(name))


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """(dgm module imported, line) for every import in a module, function-level ones included."""
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "dgm"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package this module is in (or is)
                base = name.split(".")[: len(name.split(".")) - node.level + is_package]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "dgm":
                continue
            for alias in node.names:  # `from dgm.data import atomic`: the module dgm.data.atomic
                sub = f"{module}.{alias.name}"
                found.append((sub if sub in known else module, node.lineno))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in known and node.value != "dgm":  # importlib.import_module("dgm.x")
                found.append((node.value, node.lineno))
    return [(m, line) for m, line in found if m != name]


def graph(package: Path) -> dict[str, dict[str, int]]:
    """{module: {dgm module it imports: first line}} for the package at `package`."""
    mods = modules(package)
    known = set(mods)
    out = {}
    for name, path in mods.items():
        edges: dict[str, int] = {}
        for target, line in imports(name, path, known):
            edges.setdefault(target, line)
        out[name] = edges
    return out


def upward(package: Path) -> list[str]:
    """Every import of a later layer (or of an entry point), as `module:line → module`."""
    out = []
    for name, edges in graph(package).items():
        if name in ENTRY_POINTS:
            continue
        for target, line in edges.items():
            if target in ENTRY_POINTS:
                out.append(f"{name}:{line} → {target} (an entry point)")
            elif rank(target) > rank(name):
                out.append(f"{name}:{line} ({layer(name)}) → {target} ({layer(target)})")
    return sorted(out)


def cycles(package: Path) -> list[list[str]]:
    """The groups of modules that reach each other (strongly connected components, Tarjan)."""
    g = graph(package)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in g.get(v, {}):
            if w not in g:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return sorted(found)


def stray_root_modules(package: Path) -> list[str]:
    """Modules directly in dgm/ that are neither ROOT_MODULES, an entry point nor a layer."""
    return sorted(
        n
        for n in modules(package)
        if n.count(".") == 1
        and n not in ROOT_MODULES | set(ENTRY_POINTS)
        and n.split(".")[1] not in LAYERS
    )


PACKAGE = paths.ROOT / "dgm"


def test_every_module_sits_in_a_layer():
    assert stray_root_modules(PACKAGE) == []
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__") == (
        sorted(LAYERS[1:])
    )


def test_imports_point_down_the_layers():
    assert upward(PACKAGE) == []


def test_no_module_reaches_itself_through_others():
    assert cycles(PACKAGE) == []


def test_the_checker_sees_every_kind_of_import(tmp_path):
    """A made-up tree with one of each: the checker must name them all."""
    pkg = tmp_path / "dgm"
    files = {
        "__init__.py": '_API = {"series": "dgm.data.loaders"}\n',
        "__main__.py": "from dgm.cli import main\n",
        "paths.py": "",
        "data/__init__.py": "",
        "data/loaders.py": "def f():\n    from dgm.engine import assess\n",  # up, in a function
        "engine/__init__.py": "",
        "engine/assess.py": "import dgm.data.loaders\nfrom . import backtest\n",  # relative
        "engine/backtest.py": "from dgm.engine import assess\n",  # a cycle with assess
        "present/__init__.py": "",
        "present/landing.py": "import dgm\nfrom dgm.run import report\n",
        "run/__init__.py": "",
        "run/report.py": "from dgm.present import landing\n",
        "cli/__init__.py": 'COMMANDS = {"report": "dgm.run.report"}\n',
        "oops.py": 'import importlib\nimportlib.import_module("dgm.cli")\n',  # a stray root module
    }
    for rel, text in files.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(text)
    assert upward(pkg) == [
        "dgm.data.loaders:2 (data) → dgm.engine.assess (engine)",
        "dgm.oops:2 (root) → dgm.cli (cli)",
        "dgm.present.landing:1 → dgm (an entry point)",
        "dgm.present.landing:2 (present) → dgm.run.report (run)",
    ]
    assert cycles(pkg) == [
        ["dgm.data.loaders", "dgm.engine.assess", "dgm.engine.backtest"],
        ["dgm.present.landing", "dgm.run.report"],
    ]
    assert stray_root_modules(pkg) == ["dgm.oops"]


def test_every_module_opens_with_a_docstring():
    """STYLE.md: a module opens with a docstring saying what it turns into what."""
    missing = [
        n for n, p in modules(PACKAGE).items() if not ast.get_docstring(ast.parse(p.read_text()))
    ]
    assert missing == []


@pytest.mark.parametrize("name", ["dgm.cli", "dgm.data", "dgm.engine", "dgm.present", "dgm.run"])
def test_a_layer_package_says_what_it_may_import_and_re_exports_nothing(name):
    path = modules(PACKAGE)[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree) or ""
    assert "import" in doc  # what the layer may import
    if name != "dgm.cli":  # the CLI's __init__ is main(); the others hold only their docstring
        assert len(tree.body) == 1, f"{name}/__init__.py holds more than its docstring"


def test_the_cli_is_one_module_per_command():
    """Every module of dgm/cli but options is a command of COMMANDS with its flags, help and body."""
    import importlib

    from dgm.cli import COMMANDS

    files = {n for n in modules(PACKAGE) if n.startswith("dgm.cli.")}
    assert files - set(COMMANDS.values()) == {"dgm.cli.options"}
    for module in COMMANDS.values():
        command = importlib.import_module(module)
        assert command.HELP and callable(command.add_arguments) and callable(command.run)
