#!/usr/bin/env python3
"""Create a chapter in both editions, ready to write, that passes the book's checks.

    python scripts/new_chapter.py dilation --title-en "Dilated convolution" \\
        --title-fa "کانولوشن متسع" --after convolution

writes ``book/en/dilation.md`` and ``book/fa/dilation.md`` with the same front matter,
labels (``(en-dilation)=``, ``(fa-dilation-exercises)=`` ...), one code cell that
imports ``convnotes`` and glues a number in both languages, and an exercise with a
hidden solution; and adds the chapter to both parts of ``_toc.yml`` after ``--after``
(default: before the status page), checked first with Jupyter Book's own toc parser
(sphinx-external-toc) to list both new pages. The parity check, the language check and the
publishing tests pass on the result, so a new chapter starts green. Existing files
are never overwritten.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import myst_read  # noqa: E402  (the sibling script: reads _toc.yml as Jupyter Book does)

from convnotes.i18n import Text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
#: Pages that close each part; a new chapter goes before them by default.
CLOSING = "status"

FRONT_MATTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

SETUP_CELL = """```{{code-cell}} ipython3
from convnotes.book import glue_by_language
from convnotes.i18n import format_number

kernel_size = 3
glue_by_language("{name}-kernel-size", lambda lang: format_number(kernel_size, lang))
```
"""

EXERCISE_CELL = """```{{code-cell}} ipython3
:tags: [remove-cell]
glue_by_language("{name}-ex-1-answer", lambda lang: format_number(kernel_size**2, lang))
```
"""

TEXT = {
    "intro": Text(
        "What this chapter teaches, and why a student needs it.",
        "این فصل چه می‌آموزد و چرا دانشجو به آن نیاز دارد.",
    ),
    "section": Text("A first idea", "نخستین ایده"),
    "section_text": Text(
        "Motivate the idea, show it in a short code cell, then check it. A kernel of size "
        "{{glue:text}}`{name}-kernel-size-en` is the example.",
        "ایده را با انگیزه‌اش بگویید، در یک سلول کد کوتاه نشانش دهید و سپس وارسی‌اش کنید. "
        "هسته‌ای با اندازهٔ {{glue:text}}`{name}-kernel-size-fa` نمونهٔ این فصل است.",
    ),
    "exercises": Text("Exercises", "تمرین‌ها"),
    "exercise": Text(
        "How many weights does a {{glue:text}}`{name}-kernel-size-en` by "
        "{{glue:text}}`{name}-kernel-size-en` kernel of one channel have?",
        "هسته‌ای تک‌کاناله با اندازهٔ {{glue:text}}`{name}-kernel-size-fa` در "
        "{{glue:text}}`{name}-kernel-size-fa` چند وزن دارد؟",
    ),
    "solution": Text(
        "{{glue:text}}`{name}-ex-1-answer-en`: one weight per position of the kernel.",
        "{{glue:text}}`{name}-ex-1-answer-fa` وزن: برای هر مکان هسته یک وزن.",
    ),
}


def chapter_text(lang: str, name: str, title: str) -> str:
    """The MyST source of a new chapter ``name`` in ``lang``."""
    words = {key: text[lang].format(name=name) for key, text in TEXT.items()}
    return "\n".join(
        [
            FRONT_MATTER,
            f"({lang}-{name})=",
            f"# {title}",
            "",
            words["intro"],
            "",
            SETUP_CELL.format(name=name),
            f"({lang}-{name}-first-idea)=",
            f"## {words['section']}",
            "",
            words["section_text"],
            "",
            f"({lang}-{name}-exercises)=",
            f"## {words['exercises']}",
            "",
            EXERCISE_CELL.format(name=name),
            "```{exercise}",
            f":label: {lang}-{name}-ex-1",
            "",
            words["exercise"],
            "```",
            "",
            f"```{{solution}} {lang}-{name}-ex-1",
            ":class: dropdown",
            "",
            words["solution"],
            "```",
            "",
        ]
    )


def add_to_toc(toc: str, name: str, after: str | None) -> str:
    """``_toc.yml`` with ``book/{en,fa}/name`` added to both parts, after ``after``.

    >>> toc = "    chapters:\\n      - file: book/en/intro\\n      - file: book/en/status\\n"
    >>> print(add_to_toc(toc, "dilation", "intro"), end="")
        chapters:
          - file: book/en/intro
          - file: book/en/dilation
          - file: book/en/status
    """
    for lang in ("en", "fa"):
        if f"- file: book/{lang}/{name}\n" in toc:
            raise ValueError(f"name: book/{lang}/{name} is already in _toc.yml")
        anchor = after or CLOSING
        pattern = re.compile(rf"^(\s*)- file: book/{lang}/{re.escape(anchor)}\n", re.MULTILINE)
        match = pattern.search(toc)
        if match is None:
            if lang == "fa" and "- file: book/fa/" not in toc:
                continue  # a toc with the English edition only
            raise ValueError(f"--after: no chapter book/{lang}/{anchor} in _toc.yml")
        line = f"{match.group(1)}- file: book/{lang}/{name}\n"
        at = match.end() if after else match.start()
        toc = toc[:at] + line + toc[at:]
    return toc


def check_toc(before: str, after: str, name: str) -> None:
    """Check that Jupyter Book's toc parser reads ``after`` with ``name`` in each edition.

    ``before`` is the toc it was made from: an edition it lists gets the new page.
    Raises ``ValueError`` (and nothing has been written) when it does not.
    """
    listed = myst_read.toc_docnames(myst_read.parse_toc(before))
    editions = [lang for lang in ("en", "fa") if any(d.startswith(f"book/{lang}/") for d in listed)]
    pages = set(myst_read.toc_docnames(myst_read.parse_toc(after)))
    missing = [f"book/{lang}/{name}" for lang in editions if f"book/{lang}/{name}" not in pages]
    if missing:
        raise ValueError(f"_toc.yml: {', '.join(missing)} would not be a page of the book")


def create(root: Path, name: str, title_en: str, title_fa: str, after: str | None) -> list[Path]:
    """Write the two chapter files and the toc entries; return the files written."""
    if not NAME.match(name):
        raise ValueError(
            f"name: {name!r} must be lower-case words joined by hyphens (like 'dilation')"
        )
    if not re.search(r"[\u0600-\u06ff]", title_fa):
        raise ValueError(f"--title-fa: {title_fa!r} has no Persian letters")
    paths = [root / "book" / lang / f"{name}.md" for lang in ("en", "fa")]
    for path in paths:
        if path.exists():
            raise ValueError(f"name: {path.relative_to(root)} exists; nothing was written")
    toc_path = root / "_toc.yml"
    before = toc_path.read_text(encoding="utf-8")
    toc = add_to_toc(before, name, after)
    check_toc(before, toc, name)
    for path, lang, title in zip(paths, ("en", "fa"), (title_en, title_fa), strict=True):
        path.write_text(chapter_text(lang, name, title), encoding="utf-8")
    toc_path.write_text(toc, encoding="utf-8")
    return [*paths, toc_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="file name of the chapter, e.g. dilation")
    parser.add_argument("--title-en", required=True, help="the English title")
    parser.add_argument("--title-fa", required=True, help="the Persian title")
    parser.add_argument("--after", default=None, help="the chapter it follows (default: last)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        written = create(args.root, args.name, args.title_en, args.title_fa, args.after)
    except ValueError as error:
        print(f"new_chapter: error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(args.root)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
