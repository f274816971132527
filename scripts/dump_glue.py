#!/usr/bin/env python3
"""Execute chapters and write every glued value to JSON; compare two such dumps.

    python scripts/dump_glue.py OUT_DIR book/en/pooling.md [book/en/filters.md ...]
    python scripts/dump_glue.py --diff BEFORE_DIR AFTER_DIR

A refactoring that must not change what the book shows (issue 14) is checked by
dumping before and after and diffing. Each glued output is stored by its glue name with
its text forms (``text/plain``, ``text/html``, ``text/markdown``) and, for images, the
SHA-256 of the bytes. myst-nb's ``glue`` stores its outputs under
``application/papermill.record/<mime>``; that prefix is removed, so the text of a
glued number is compared, not an empty record. Printed output (stream text) is kept
in order under ``"printed"``, without cell numbers, so that adding or splitting cells
does not count as a change.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

GLUE_PREFIX = "application/papermill.record/"
TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex")
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml")


def glued_values(notebook: Any) -> dict[str, Any]:
    """The glued outputs (by name) and the printed text of an executed notebook."""
    values: dict[str, dict[str, Any]] = {}
    printed: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                printed.append(output["text"])
                continue
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if not name:
                continue
            data = {k.removeprefix(GLUE_PREFIX): v for k, v in output.get("data", {}).items()}
            entry: dict[str, Any] = {m: data[m] for m in TEXT_MIMES if m in data}
            for mime in IMAGE_MIMES:
                if mime in data:
                    raw = data[mime]
                    blob = raw.encode() if mime == "image/svg+xml" else base64.b64decode(raw)
                    entry[mime] = hashlib.sha256(blob).hexdigest()
            if not entry:
                raise ValueError(f"glue {name!r} has no text or image output: {sorted(data)}")
            values[name] = entry
    return {"glued": values, "printed": printed}


def execute(path: Path, timeout: int = 900) -> Any:
    import nbclient
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(path.read_text(encoding="utf-8"))
    notebook.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3"})
    nbclient.NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return notebook


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two dumps of one chapter, one line per difference."""
    problems = []
    old, new = before["glued"], after["glued"]
    for name in sorted(set(old) | set(new)):
        if name not in new:
            problems.append(f"{name}: glued before, not after")
        elif name not in old:
            problems.append(f"{name}: glued after, not before")
        elif old[name] != new[name]:
            changed = set(old[name]) | set(new[name])
            kinds = sorted(k for k in changed if old[name].get(k) != new[name].get(k))
            problems.append(f"{name}: {', '.join(kinds)} changed")
    if before["printed"] != after["printed"]:
        problems.append("printed output changed")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diff", action="store_true", help="compare two dump folders")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.diff:
        if len(args.paths) != 2:
            parser.error("--diff takes BEFORE_DIR AFTER_DIR")
        before_dir, after_dir = args.paths
        status = 0
        for before in sorted(before_dir.glob("*.json")):
            after = after_dir / before.name
            if not after.exists():
                print(f"{before.stem}: no dump in {after_dir}")
                status = 1
                continue
            one, two = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
            problems = diff(one, two)
            print(
                f"{before.stem}: {len(one['glued'])} glued values, "
                + ("identical" if not problems else f"{len(problems)} differences")
            )
            for line in problems:
                print("   ", line)
            status |= bool(problems)
        return status
    out, *chapters = args.paths
    out.mkdir(parents=True, exist_ok=True)
    for chapter in chapters:
        dump = glued_values(execute(chapter))
        target = out / f"{chapter.parent.name}-{chapter.stem}.json"
        target.write_text(json.dumps(dump, indent=1, ensure_ascii=False, sort_keys=True), "utf-8")
        print(f"{chapter}: {len(dump['glued'])} glued values -> {target}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
