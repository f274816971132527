#!/usr/bin/env python3
"""Check that the English and Persian editions of the book stay in step.

For every chapter in ``book/en`` and ``book/fa`` it requires:

* a counterpart with the same file name in the other language;
* byte-identical code cells, in the same order (one cached execution serves both);
* the same section structure: the same heading levels in the same order, and the
  same section labels once their ``en-``/``fa-`` prefix is removed;
* the same glue names used by ``{glue}`` roles and directives.

Exit status 0 when the editions agree, 1 otherwise (each problem on its own line).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import myst_read  # noqa: E402  (the sibling script: the book's MyST reader)

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "fa")
_LANG_SUFFIXES = ("-en", "-fa")


@dataclass
class Outline:
    """What must agree between the editions of a page."""

    code_cells: list[str]  #: the text between each code cell's fences, options included
    headings: list[int]  #: heading levels
    labels: list[str]  #: ``(en-x)=`` as ``x``; a label without the page's prefix as ``!label``
    glue_names: list[str]  #: glued names without their ``-en``/``-fa``


def outline(text: str, lang: str) -> Outline:
    """Code cells, heading levels, unprefixed labels and glue names of a MyST page."""
    page = myst_read.read_chapter(text)
    prefix = f"{lang}-"
    labels = [target.name for target in page.targets if target.kind == "label"]
    return Outline(
        code_cells=[cell.text for cell in page.code_cells],
        headings=[heading.level for heading in page.headings],
        labels=[
            label.removeprefix(prefix) if label.startswith(prefix) else "!" + label
            for label in labels
        ],
        glue_names=[_unsuffixed(glue.name) for glue in page.glue],
    )


def _unsuffixed(name: str) -> str:
    """``curves-en`` -> ``curves``: the two editions glue one name per language."""
    for suffix in _LANG_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def compare(name: str, en: Outline, fa: Outline) -> list[str]:
    problems: list[str] = []
    if len(en.code_cells) != len(fa.code_cells):
        problems.append(
            f"{name}: {len(en.code_cells)} code cells in en, {len(fa.code_cells)} in fa"
        )
    for index, (a, b) in enumerate(zip(en.code_cells, fa.code_cells, strict=False), start=1):
        if a != b:
            problems.append(f"{name}: code cell {index} differs between en and fa")
    if en.headings != fa.headings:
        problems.append(f"{name}: heading levels differ: en {en.headings} vs fa {fa.headings}")
    if en.labels != fa.labels:
        problems.append(f"{name}: section labels differ: en {en.labels} vs fa {fa.labels}")
    if sorted(set(en.glue_names)) != sorted(set(fa.glue_names)):
        problems.append(
            f"{name}: glued names differ: en {sorted(set(en.glue_names))} "
            f"vs fa {sorted(set(fa.glue_names))}"
        )
    return problems


def check(book: Path) -> list[str]:
    """All parity problems between ``book/en`` and ``book/fa``."""
    problems: list[str] = []
    files = {lang: {p.name for p in (book / lang).glob("*.md")} for lang in LANGS}
    for lang, other in (("en", "fa"), ("fa", "en")):
        for missing in sorted(files[lang] - files[other]):
            problems.append(f"{lang}/{missing}: no counterpart in {other}/")
    for name in sorted(files["en"] & files["fa"]):
        outlines = {
            lang: outline((book / lang / name).read_text(encoding="utf-8"), lang) for lang in LANGS
        }
        problems += compare(name, outlines["en"], outlines["fa"])
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    book = Path(args[0]) if args else ROOT / "book"
    problems = check(book)
    for problem in problems:
        print(problem)
    if not problems:
        count = len(list((book / "en").glob("*.md")))
        print(f"parity: {count} chapter pairs agree (code cells, sections, labels, glue names)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
