#!/usr/bin/env python3
"""Render the book's BibTeX entry and Zenodo metadata from ``CITATION.cff``.

    python scripts/make_citation.py           # write book/cite-convnotes.bib and .zenodo.json
    python scripts/make_citation.py --check   # exit 1 if either is out of date

``CITATION.cff`` is the one source of truth: the landing page shows
``book/cite-convnotes.bib`` (in both languages) and Zenodo reads ``.zenodo.json`` when a
GitHub release is archived. ``tests/test_publishing.py`` fails when they drift apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIB_PATH = Path("book/cite-convnotes.bib")
ZENODO_PATH = Path(".zenodo.json")
#: The prose and figures are CC BY 4.0 (LICENSE-PROSE.md); CITATION.cff's licence is the code's.
PROSE_LICENSE = "CC-BY-4.0"


def read_citation(root: Path = ROOT) -> dict[str, Any]:
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    if not isinstance(citation, dict):
        raise ValueError("CITATION.cff must be a YAML mapping")
    return citation


def _year(citation: dict[str, Any]) -> int:
    released = citation.get("date-released")
    if isinstance(released, dt.date):
        return released.year
    return int(str(released)[:4])


def _person(author: dict[str, Any], *, bibtex: bool) -> str:
    """One CFF author as BibTeX (``Family, Given``; an entity braced) or Zenodo wants it."""
    if "name" in author:  # an entity, e.g. "The convnotes authors"
        return "{" + author["name"] + "}" if bibtex else author["name"]
    family = " ".join(filter(None, [author.get("name-particle"), author["family-names"]]))
    given = author.get("given-names", "")
    return f"{family}, {given}".strip(", ")


def cite_key(citation: dict[str, Any]) -> str:
    """``<first word of the title><year>``, e.g. ``convnotes2026``."""
    first = re.match(r"[A-Za-z0-9]+", citation["title"])
    return f"{first.group(0).lower() if first else 'book'}{_year(citation)}"


def _bib_escape(text: str) -> str:
    return re.sub(r"([&%#_$])", r"\\\1", text)


def render_bibtex(citation: dict[str, Any]) -> str:
    """The BibTeX entry of the book (``@misc``, which every bibliography style accepts)."""
    url = citation.get("url") or citation["repository-code"]
    fields = [
        ("author", " and ".join(_person(a, bibtex=True) for a in citation["authors"])),
        ("title", "{" + _bib_escape(citation["title"]) + "}"),
        ("year", str(_year(citation))),
        ("version", str(citation["version"])),
        ("howpublished", "\\url{" + url + "}"),
        ("url", url),
        ("note", f"Version {citation['version']}; code at \\url{{{citation['repository-code']}}}"),
    ]
    if citation.get("doi"):
        fields.insert(4, ("doi", citation["doi"]))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@misc{{{cite_key(citation)},\n{body}\n}}\n"


def render_zenodo(citation: dict[str, Any]) -> dict[str, Any]:
    """Zenodo's deposit metadata for the same work."""
    url = citation.get("url") or citation["repository-code"]
    record: dict[str, Any] = {
        "title": citation["title"],
        "upload_type": "software",
        "description": (
            f"<p>{citation.get('abstract') or citation['title']}</p>"
            f'<p>Read online: <a href="{url}">{url}</a>. Code under {citation["license"]}; '
            f"prose and figures under {PROSE_LICENSE}.</p>"
        ),
        "creators": [{"name": _person(a, bibtex=False)} for a in citation["authors"]],
        "version": str(citation["version"]),
        "publication_date": dt.date(
            *map(int, str(citation["date-released"]).split("-"))
        ).isoformat(),
        "access_right": "open",
        "license": citation["license"],
        "keywords": list(citation.get("keywords", [])),
        "language": "eng",
        "related_identifiers": [
            {"identifier": url, "relation": "isDocumentedBy", "scheme": "url"},
        ],
        "notes": "The book has an English and a Persian edition with identical code cells.",
    }
    return record


def rendered(root: Path = ROOT) -> dict[Path, str]:
    citation = read_citation(root)
    return {
        BIB_PATH: render_bibtex(citation),
        ZENODO_PATH: json.dumps(render_zenodo(citation), indent=2, ensure_ascii=False) + "\n",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for relative, text in rendered(ROOT).items():
        path = ROOT / relative
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(str(relative))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {relative}")
    if stale:
        print(
            "out of date with CITATION.cff (run scripts/make_citation.py): " + ", ".join(stale),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
