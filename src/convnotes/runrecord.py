"""Run records: the JSON file a command writes about one run, and reading it back.

``convnotes train``, ``convnotes tune`` and the benchmark scripts each write one record
(what ran, its results, how long it took and where it came from, see
:func:`convnotes.training.collect_provenance`) with :func:`write_record`, and every
reader goes through :func:`load_record`. Field names are shared: ``kind`` says which
command wrote it, ``wall_time_s`` is the run's wall-clock time in seconds and
``provenance`` where it came from. Records written before the names were unified
(``wall_seconds``) load with the current names.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypedDict

#: Old field names and the names they have now.
RENAMED = {"wall_seconds": "wall_time_s"}


class RunRecord(TypedDict, total=False):
    """The fields every run record shares; each command adds its own."""

    kind: str
    wall_time_s: float | None
    provenance: dict[str, Any]


def write_record(record: RunRecord | dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write ``record`` as indented JSON to ``path`` (folders created); return the path.

    Examples
    --------
    >>> import tempfile
    >>> path = write_record({"kind": "demo", "wall_time_s": 1.5}, tempfile.mkdtemp() + "/r.json")
    >>> load_record(path, kind="demo")["wall_time_s"]
    1.5
    """
    if "kind" not in record:
        raise ValueError("record: a run record needs a 'kind' (the command that wrote it)")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, default=str) + "\n", encoding="utf-8")
    return path


def load_record(path: str | os.PathLike[str], kind: str | None = None) -> dict[str, Any]:
    """Read the run record at ``path``, with old field names renamed.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the file is not JSON, is not a run record, or (with ``kind``) was written
        by another command.

    Examples
    --------
    >>> import json, tempfile
    >>> old = Path(tempfile.mkdtemp()) / "old.json"
    >>> _ = old.write_text(json.dumps({"kind": "train", "wall_seconds": 60.0}))
    >>> load_record(old, kind="train")["wall_time_s"]
    60.0
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path: no recorded run at {path}")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"path: {path} is not valid JSON ({exc})") from None
    if not isinstance(record, dict):
        raise ValueError(f"path: {path} holds a {type(record).__name__}, not a run record")
    if "kind" not in record:
        raise ValueError(f"path: {path} is not a run record (no 'kind')")
    if kind is not None and record["kind"] != kind:
        raise ValueError(f"path: {path} records a {record['kind']!r} run, not {kind!r}")
    for old, new in RENAMED.items():
        if old in record and new not in record:
            record[new] = record.pop(old)
    return record
