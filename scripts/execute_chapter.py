#!/usr/bin/env python3
"""Execute one or more MyST chapters outside the book build and report the time taken.

    python scripts/execute_chapter.py book/en/pooling.md [book/en/filters.md ...]

Useful while writing a chapter: it runs the code cells exactly as the build would
(working directory = the chapter's folder, same kernel), stops at the first failing
cell with its traceback, and prints the wall time of each chapter and its slowest
cells. It does not touch the book's execution cache.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbclient
from myst_nb.core.read import read_myst_markdown_notebook


def execute(path: Path, timeout: int = 600) -> float:
    notebook = read_myst_markdown_notebook(path.read_text(encoding="utf-8"))
    notebook.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3"})
    client = nbclient.NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    total = time.perf_counter() - start
    timings = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        info = cell.metadata.get("execution", {})
        began, ended = info.get("iopub.execute_input"), info.get("shell.execute_reply")
        if began and ended:
            from datetime import datetime

            seconds = (
                datetime.fromisoformat(ended.replace("Z", "+00:00"))
                - datetime.fromisoformat(began.replace("Z", "+00:00"))
            ).total_seconds()
            timings.append((seconds, index, cell.source.splitlines()[0] if cell.source else ""))
    print(f"{path}: {total:.1f} s")
    for seconds, index, first_line in sorted(timings, reverse=True)[:5]:
        print(f"  cell {index:>3}: {seconds:6.1f} s  {first_line[:70]}")
    return total


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for name in argv:
        execute(Path(name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
