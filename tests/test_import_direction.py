"""Computation never imports presentation (issue 14: one job per layer of the code).

The computation modules return numbers, arrays and language-free records; figures,
HTML tables and the words of the two languages live in ``convnotes.presentation``.
This test reads every computation module's source (``ast``, nothing is imported) and
fails on an import of plotting, notebook display or presentation code anywhere in it,
at module level or inside a function, unless that place is a known exception below.
import-linter would say the same; it is not a dependency, so this test is the check.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "convnotes"

#: What a computation module must not import (a name or any of its submodules).
FORBIDDEN: tuple[str, ...] = (
    "matplotlib",
    "mpl_toolkits",
    "IPython",
    "convnotes.presentation",
    "convnotes.plots",
    "convnotes.book",
)
#: Modules of the package whose name starts so are figure modules (presentation).
FORBIDDEN_PREFIXES: tuple[str, ...] = ("convnotes.figures_",)

COMPUTATION: tuple[str, ...] = (
    "conv.py",
    "pooling.py",
    "filters.py",
    "params.py",
    "shapes.py",
    "layers.py",
    "data.py",
    "models.py",
    "training.py",
)

#: Whole modules that are presentation still living among the computation modules.
PRESENTATION_MODULES: frozenset[str] = frozenset()

#: Functions of computation modules allowed to import presentation, and why. Each is a
#: debt with a plan; the test also fails when an entry no longer imports anything, so
#: the list shrinks as the code moves.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def computation_modules() -> list[str]:
    tuning = sorted(
        f"tuning/{path.name}"
        for path in (PACKAGE / "tuning").glob("*.py")
        if f"tuning/{path.name}" not in PRESENTATION_MODULES
    )
    return [*COMPUTATION, *tuning]


def is_forbidden(name: str) -> bool:
    """Whether importing the dotted ``name`` brings in presentation code.

    >>> is_forbidden("matplotlib.pyplot"), is_forbidden("convnotes.figures_conv")
    (True, True)
    >>> is_forbidden("convnotes.shapes"), is_forbidden("IPythonic")
    (False, False)
    """
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN) or name.startswith(
        FORBIDDEN_PREFIXES
    )


def imported_names(node: ast.Import | ast.ImportFrom, module: str) -> list[str]:
    """The dotted names an import statement of ``module`` (``"tuning/space.py"``) loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # a relative import: resolve it against the module's package
        package = ["convnotes", *module.split("/")[:-1]]
        base = package[: len(package) - node.level + 1]
        prefix = ".".join([*base, *([node.module] if node.module else [])])
    else:
        prefix = node.module or ""
    return [prefix, *(f"{prefix}.{alias.name}" for alias in node.names)]


def presentation_imports(source: str, module: str) -> list[tuple[str, str, int]]:
    """``(enclosing function, imported name, line)`` of every forbidden import in ``source``.

    The enclosing function is a dotted qualified name (``"Summary.to_html"``), empty at
    module level.

    >>> presentation_imports("import numpy\\ndef f():\\n    import matplotlib.pyplot", "x.py")
    [('f', 'matplotlib.pyplot', 3)]
    >>> presentation_imports("from convnotes import plots", "x.py")
    [('', 'convnotes.plots', 1)]
    >>> presentation_imports("from .. import book", "tuning/x.py")
    [('', 'convnotes.book', 1)]
    """
    found: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, scope: tuple[str, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(child, (*scope, child.name))
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for name in imported_names(child, module):
                    if is_forbidden(name):
                        found.append((".".join(scope), name, child.lineno))
                        break
            visit(child, scope)

    visit(ast.parse(source), ())
    return found


@pytest.mark.parametrize("module", computation_modules())
def test_computation_module_imports_no_presentation(module: str) -> None:
    source = (PACKAGE / module).read_text(encoding="utf-8")
    unexpected = [
        f"{module}:{line} ({scope or 'module level'}) imports {name}"
        for scope, name, line in presentation_imports(source, module)
        if (module, scope) not in KNOWN_EXCEPTIONS
    ]
    assert not unexpected, (
        "computation modules must not import plotting, display or presentation code; "
        "move the figure, table or words into convnotes.presentation:\n" + "\n".join(unexpected)
    )


def test_every_known_exception_still_imports_presentation() -> None:
    stale = []
    for (module, scope), _why in KNOWN_EXCEPTIONS.items():
        source = (PACKAGE / module).read_text(encoding="utf-8")
        if scope not in {s for s, _, _ in presentation_imports(source, module)}:
            stale.append(f"{module}: {scope}")
    assert not stale, (
        f"these no longer import presentation; drop them from KNOWN_EXCEPTIONS: {stale}"
    )


def test_the_list_covers_the_computation_modules() -> None:
    modules = set(computation_modules())
    assert {"shapes.py", "params.py", "tuning/space.py", "tuning/tuners.py"} <= modules
    assert not modules & PRESENTATION_MODULES
    for module in modules | PRESENTATION_MODULES:
        assert (PACKAGE / module).is_file(), module
    presentation = {path.stem for path in (PACKAGE / "presentation").glob("*.py")}
    assert {"plots", "tables", "conv", "filters", "pooling", "params", "data"} <= presentation
    # the figure modules that moved are gone from the computation layer
    assert not {"plots.py", "figures_conv.py", "figures_filters.py", "figures_pooling.py"} & {
        path.name for path in PACKAGE.glob("*.py")
    }


def test_the_check_sees_an_import_anywhere() -> None:
    """The check itself: a forbidden import is found at module level, in a method and
    behind a condition; a harmless one is not."""
    source = (
        "import numpy as np\n"
        "from convnotes.shapes import output_size\n"
        "class A:\n"
        "    def f(self):\n"
        "        if True:\n"
        "            from IPython.display import HTML\n"
        "def g():\n"
        "    from convnotes.presentation.tables import html_table\n"
        "from convnotes import figures_training\n"
    )
    assert presentation_imports(source, "x.py") == [
        ("A.f", "IPython.display", 6),
        ("g", "convnotes.presentation.tables", 8),
        ("", "convnotes.figures_training", 9),
    ]
