"""Which package files each chapter depends on, for its execution-cache key.

jupyter-cache hashes a notebook's code cells and its ``kernelspec`` metadata, so
a chapter whose cells did not change is never re-executed, even when the
``convnotes`` code those cells call did. The build closes that gap per chapter:
:func:`chapter_dependencies` follows the chapter's ``import convnotes...``
statements through the package's own imports (every ``import`` in a module,
those inside functions included), and :func:`dependency_key` hashes those files
with ``requirements.txt`` and, for chapters that read recorded runs, the
``results/*.json`` records. :func:`inject_key` writes the key into the chapter's
``kernelspec`` as it is read, so the cache re-executes exactly the chapters whose
dependencies changed: a change to a figure module re-executes the chapters that
import it, not the whole book.
"""

from __future__ import annotations

import ast
import hashlib
import re
from functools import cache
from pathlib import Path

PACKAGE = "convnotes"
#: The metadata key added to a chapter's kernelspec.
KEY_NAME = "convnotes_dependencies"

_CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
_FRONT_MATTER_KERNELSPEC = re.compile(r"\A(---\n(?:(?!---\n).*\n)*?kernelspec:\n)")


def code_cells(text: str) -> list[str]:
    """The sources of the ``{code-cell}`` blocks of a MyST chapter."""
    return [match.group(1) for match in _CODE_CELL.finditer(text)]


def imported_modules(source: str, package: str = PACKAGE) -> set[str]:
    """Dotted names of ``package`` modules that ``source`` imports (anywhere in it).

    ``from convnotes import conv`` names ``convnotes.conv`` as a candidate; whether
    that is a module or an attribute of the package is settled by
    :func:`module_file`. Code that does not parse (a cell with IPython magics)
    is scanned line by line.

    >>> sorted(imported_modules("from convnotes import conv, book\\nimport numpy"))
    ['convnotes', 'convnotes.book', 'convnotes.conv']
    >>> sorted(imported_modules("def f():\\n    from convnotes.tuning import schedule"))
    ['convnotes', 'convnotes.tuning', 'convnotes.tuning.schedule']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        found: set[str] = set()
        for line in source.splitlines():
            if line.lstrip().startswith(("import ", "from ")):
                found |= imported_modules(line.strip(), package)
        return found
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    modules: set[str] = set()
    for name in names:
        parts = name.split(".")
        if parts[0] != package:
            continue
        modules |= {".".join(parts[: k + 1]) for k in range(len(parts))}
    return modules


def module_file(src: Path, name: str) -> Path | None:
    """The file of module ``name`` under ``src`` (a package's ``__init__.py``), or None."""
    base = src.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _module_imports(path: Path, mtime: float) -> frozenset[str]:
    return frozenset(imported_modules(path.read_text(encoding="utf-8")))


def module_closure(src: Path, roots: set[str]) -> set[Path]:
    """Files of the modules in ``roots`` and of every package module they import."""
    seen: set[Path] = set()
    stack = sorted(roots)
    while stack:
        path = module_file(src, stack.pop())
        if path is None or path in seen:
            continue
        seen.add(path)
        stack += sorted(_module_imports(path, path.stat().st_mtime))
    return seen


def reads_records(text: str) -> bool:
    """Whether a chapter renders recorded runs (``results/``)."""
    cells = "\n".join(code_cells(text))
    return "results" in cells or "recorded" in cells


def chapter_dependencies(root: Path, chapter: Path) -> list[Path]:
    """Every file besides its own cells that the executed ``chapter`` depends on."""
    text = chapter.read_text(encoding="utf-8")
    modules = set()
    for cell in code_cells(text):
        modules |= imported_modules(cell)
    files = set(module_closure(root / "src", modules))
    files.add(root / "requirements.txt")
    if reads_records(text):
        files |= {
            path
            for path in (root / "results").rglob("*.json")
            if "keras_tuner" not in path.relative_to(root).parts
        }
    return sorted(path for path in files if path.exists())


def dependency_key(root: Path, chapter: Path) -> str:
    """A short hash of the chapter's dependencies (names and contents)."""
    digest = hashlib.sha256()
    for path in chapter_dependencies(root, chapter):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def inject_key(text: str, key: str) -> str:
    """``text`` with ``key`` written into its front matter's ``kernelspec``.

    >>> page = "---\\nkernelspec:\\n  name: python3\\n---\\n# T\\n"
    >>> print(inject_key(page, "abc"), end="")
    ---
    kernelspec:
      convnotes_dependencies: abc
      name: python3
    ---
    # T
    """
    match = _FRONT_MATTER_KERNELSPEC.match(text)
    if match is None:
        return text
    return text[: match.end()] + f"  {KEY_NAME}: {key}\n" + text[match.end() :]
