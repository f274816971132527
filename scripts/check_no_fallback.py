#!/usr/bin/env python3
"""Fail when a built page shows the digits-fallback box instead of CIFAR-10 results.

    python scripts/check_no_fallback.py [_build/html]

CI builds the book on its CIFAR-10 copy with ``CONVNOTES_REQUIRE_CIFAR=1``; with that
setting a fallback already fails the chapter's execution, and this check confirms on the
built HTML that no page carries the fallback notice (the CSS class
``convnotes.data.FALLBACK_CSS_CLASS``). It also fails when no page shows the CIFAR-10
data note, i.e. when the data-dependent chapters were not built at all.
"""

from __future__ import annotations

import sys
from pathlib import Path

FALLBACK_CSS_CLASS = "cn-fallback-notice"  # convnotes.data.FALLBACK_CSS_CLASS
DATA_NOTE_CSS_CLASS = "cn-data-note"  # convnotes.data.DATA_NOTE_CSS_CLASS


def check(html_dir: Path) -> list[str]:
    """Problems found in ``html_dir``: pages with the fallback box, or no data note at all."""
    if not html_dir.is_dir():
        return [f"{html_dir}: no such directory (build the book first)"]
    problems, noted = [], 0
    for page in sorted(html_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if FALLBACK_CSS_CLASS in text:
            problems.append(f"{page.relative_to(html_dir)}: shows the digits-fallback box")
        noted += DATA_NOTE_CSS_CLASS in text
    if noted == 0:
        problems.append(f"{html_dir}: no page shows the CIFAR-10 data note")
    return problems


def main(argv: list[str]) -> int:
    html_dir = Path(argv[0]) if argv else Path("_build/html")
    problems = check(html_dir)
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{html_dir}: no page fell back to the digits; CIFAR-10 data notes present")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
