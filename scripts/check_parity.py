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

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "fa")

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*\{code-cell\}")
_HEADING = re.compile(r"^(#{1,6})\s+\S")
_LABEL = re.compile(r"^\((?P<label>[^)\s]+)\)=\s*$")
_GLUE = re.compile(r"\{glue(?::[a-z]+)?\}`?\s*([A-Za-z0-9_.\-]+?)(?:-(?:en|fa))?[`\s\n]")
_ANY_FENCE = re.compile(r"^(`{3,}|~{3,})")


@dataclass
class Outline:
    code_cells: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    glue_names: list[str] = field(default_factory=list)


def _strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


def outline(text: str, lang: str) -> Outline:
    """Code cells, heading levels, unprefixed labels and glue names of a MyST page."""
    result = Outline()
    lines = _strip_front_matter(text).splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        cell = _FENCE.match(line)
        fence = _ANY_FENCE.match(line)
        if cell or fence:
            marker = (cell or fence).group(1) if fence else cell.group("fence")
            body: list[str] = []
            i += 1
            while i < len(lines) and lines[i].rstrip() != marker:
                body.append(lines[i])
                i += 1
            if cell:
                result.code_cells.append("\n".join(body))
            elif "{glue" in line:
                result.glue_names += _glue_names(line + "\n")
            i += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            result.headings.append(len(heading.group(1)))
        label = _LABEL.match(line)
        if label:
            name = label.group("label")
            prefix = f"{lang}-"
            result.labels.append(name[len(prefix) :] if name.startswith(prefix) else "!" + name)
        result.glue_names += _glue_names(line + "\n")
        i += 1
    return result


def _glue_names(text: str) -> list[str]:
    return [m.group(1) for m in _GLUE.finditer(text)]


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
