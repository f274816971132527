#!/usr/bin/env python3
"""Fail when a built page shows a Python object's repr instead of the object.

A code cell whose last expression returns a figure, a dictionary of figures or a
display object prints its repr under the cell (``<Figure size 640x480 with 1
Axes>``, ``<IPython.core.display.Markdown object>``, ``<... object at 0x7f...>``);
that is bookkeeping leaking into the page, never what the reader should see.

    python scripts/check_stray_output.py _build/html

Exit status 0 when no page has one, 1 otherwise (each is printed as
``page: the repr``).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

#: Reprs that mean an object was printed instead of displayed.
STRAY = re.compile(
    r"<Figure size \d+x\d+ with \d+ Axes>"
    r"|<IPython\.core\.display\.\w+ object>"
    r"|<[\w.]+ object at 0x[0-9a-f]+>"
)


def stray_outputs(page: str) -> list[str]:
    """The stray reprs in the HTML of one page (entities decoded).

    >>> stray_outputs("<pre>{'en': &lt;Figure size 640x360 with 1 Axes&gt;}</pre>")
    ['<Figure size 640x360 with 1 Axes>']
    >>> stray_outputs("<p>A figure of size 640x360.</p>")
    []
    """
    return STRAY.findall(html.unescape(page))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", type=Path, help="the built site (_build/html)")
    args = parser.parse_args(argv)
    pages = sorted((args.html_dir / "book").rglob("*.html"))
    if not pages:
        print(f"no pages under {args.html_dir / 'book'}", file=sys.stderr)
        return 1
    problems = 0
    for page in pages:
        for found in stray_outputs(page.read_text(encoding="utf-8")):
            print(f"{page.relative_to(args.html_dir)}: {found}")
            problems += 1
    print(f"stray outputs: {problems} in {len(pages)} pages")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
