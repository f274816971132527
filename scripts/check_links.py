#!/usr/bin/env python3
"""Check every internal link of the built site: the file exists and so does its #anchor.

    python scripts/check_links.py [_build/html] [--require PATH ...]

Reads every ``.html`` page of the site (not the theme's templates in ``_static/``) and
follows each ``href``/``src`` that stays
inside it (``a``, ``link``, ``img``, ``script``, ``source``, ``iframe``, ``video``,
``audio``): the target file must exist and, for a fragment into an HTML page, an element
with that ``id`` (or an ``<a name>``) must exist there. External URLs are not fetched
(the build machines have no network); cross-references between pages are already
checked by the nitpicky (``-n -W``) Sphinx build, this catches what Sphinx does not
see: raw HTML links (PDFs, notebooks), theme templates and post-processed pages.
``--require`` names files that must exist (e.g. the PDFs) even if no page links them.

Exit status 0 when every link resolves, 1 otherwise (one line per broken link).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "source": "src",
    "iframe": "src",
    "video": "src",
    "audio": "src",
    "area": "href",
}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "data", "javascript", "tel", "ftp"}


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        attr = LINK_ATTRS.get(tag)
        if attr and values.get(attr):
            if tag == "link" and values.get("rel") in ("preconnect", "dns-prefetch"):
                return
            self.links.append((self.getpos()[0], values[attr] or ""))
        if tag == "img" and values.get("srcset"):
            for candidate in (values["srcset"] or "").split(","):
                if candidate.strip():
                    self.links.append((self.getpos()[0], candidate.split()[0]))


def parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def is_internal(url: str) -> bool:
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith("//"))


def broken_links(site: Path) -> Iterator[str]:
    """``page:line: url (why)`` for every internal link of ``site`` that does not resolve."""
    site = site.resolve()
    # Templates the theme copies into _static/ (Jinja macros) are not pages.
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)
    parsed = {page: parse(page) for page in pages}
    for page, result in parsed.items():
        for line, url in result.links:
            if not is_internal(url) or url.startswith("#!"):
                continue
            parts = urlsplit(url)
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            where = f"{page.relative_to(site)}:{line}: {url}"
            if target != site and site not in target.parents:
                yield f"{where} (points outside the site)"
                continue
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                yield f"{where} (no such file)"
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if fragment not in ids:
                    yield f"{where} (no element with id {fragment!r})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("_build/html"))
    parser.add_argument(
        "--require",
        action="append",
        default=[],
        metavar="PATH",
        help="a file (relative to the site) that must exist",
    )
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(f"{args.site}: no such directory (build the book first)", file=sys.stderr)
        return 1
    problems = list(broken_links(args.site))
    problems += [
        f"{path} (required, missing)" for path in args.require if not (args.site / path).is_file()
    ]
    for problem in problems:
        print(problem)
    pages = sum(
        1 for p in args.site.rglob("*.html") if "_static" not in p.relative_to(args.site).parts
    )
    if problems:
        print(f"{len(problems)} broken internal links in {pages} pages", file=sys.stderr)
        return 1
    print(f"{args.site}: every internal link of {pages} pages resolves")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
