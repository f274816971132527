"""Run records: the JSON file a command writes about one run, and reading it back.

``convnotes train``, ``convnotes tune``, ``python -m convnotes.tuning.memory`` and the
benchmarks each build their record with :func:`make_record`, write it with
:func:`write_record`, and every reader goes through :func:`load_record`.

Every record shares one envelope (:class:`RunRecord`):

``kind``
    which command wrote it, one of :data:`KINDS` (``convnotes.<command>/<version>``; the
    version changes when the record's shape does);
``created``
    when it was written, UTC ISO time;
``wall_time_s``
    the run's wall-clock time in seconds (``None`` when unknown, e.g. a search recorded
    afterwards with ``--record-only``);
``provenance``
    where it came from (:func:`convnotes.training.collect_provenance`, or
    :func:`provenance` where TensorFlow is not wanted);
``config``
    what ran.

Each kind adds its results (:class:`TrainRecord`, :class:`TuneRecord`,
:class:`TuneMemoryRecord`, :class:`BenchmarkRecord`). The types are ``TypedDict``: a
record is a plain ``dict``, read with ``record["..."]``.

Records written before the kinds and names were unified still load with the current
ones: kind ``"train"`` becomes :data:`TRAIN_KIND`, ``"benchmark"`` :data:`BENCHMARK_KIND`,
``wall_seconds`` becomes ``wall_time_s`` (``None`` when the record had neither), a
missing ``created`` is taken from ``provenance["created"]``, and a search or memory record
without ``config`` gets one from its own fields (:data:`CONFIG_FIELDS`). The files are
never rewritten.
"""

import json
import math
import os
import platform
import subprocess
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NotRequired, Required, TypedDict

TRAIN_KIND = "convnotes.train/1"
TUNE_KIND = "convnotes.tune/1"
TUNE_MEMORY_KIND = "convnotes.tune-memory/1"
BENCHMARK_KIND = "convnotes.benchmark/1"

#: The kinds of record written now.
KINDS = (TRAIN_KIND, TUNE_KIND, TUNE_MEMORY_KIND, BENCHMARK_KIND)

#: Kinds written before they were versioned, and the kinds they load as.
OLD_KINDS = {"train": TRAIN_KIND, "benchmark": BENCHMARK_KIND}

#: Old field names and the names they have now.
RENAMED = {"wall_seconds": "wall_time_s"}

#: Kinds whose ``config`` repeats their own top-level settings (their readers use the
#: top-level ones); :func:`make_record` builds it from these when no ``config`` is given.
CONFIG_FIELDS = {
    TUNE_KIND: ("tuner", "problem", "profile", "objective", "budget", "seed"),
    TUNE_MEMORY_KIND: ("trials",),
}


class RunRecord(TypedDict, total=False):
    """The envelope every run record shares; each kind adds its own fields.

    ``provenance`` is in every record :func:`make_record` builds; only the first
    benchmark record (``results/bench/conv-pooling.json``) was written without it.
    """

    kind: Required[str]
    created: Required[str | None]
    wall_time_s: Required[float | None]
    config: Required[dict[str, Any]]
    provenance: dict[str, Any]


class TrainRecord(RunRecord):
    """``convnotes train``: the final metrics and per-epoch history of one training run."""

    metrics: dict[str, dict[str, Any]]  # "train", "test" (and "val"): accuracy, loss, ...
    history: dict[str, list[float]]  # per-epoch values, keyed by metric, "epoch", "seconds"
    model: dict[str, int]  # "parameters", "replicas"
    class_names: list[str]
    notes: str


class TuneRecord(RunRecord):
    """``convnotes tune``: a search and every trial (see :mod:`convnotes.tuning.records`)."""

    tuner: str
    problem: str
    profile: str
    objective: dict[str, str]  # "name", "direction"
    budget: dict[str, Any]
    search_space: list[dict[str, Any]]
    project_dir: str
    seed: int
    summary: dict[str, Any]
    trials: list[dict[str, Any]]
    hyperband_schedule: NotRequired[dict[str, Any]]  # Hyperband only
    finished: NotRequired[bool]  # Hyperband only
    test_scores: NotRequired[dict[str, Any]]  # with --score-test


class TuneMemoryRecord(RunRecord):
    """``python -m convnotes.tuning.memory``: resident memory after every trial."""

    trials: int
    rss_mb: dict[str, list[float]]  # "clear_session_only", "graphs_released"


class BenchmarkRecord(RunRecord):
    """``convnotes benchmark`` and ``scripts/bench_*.py``: timings (fields vary by script)."""

    metrics: dict[str, Any]
    command: NotRequired[str]
    machine: NotRequired[dict[str, Any]]
    conv2d: NotRequired[list[dict[str, Any]]]
    pooling: NotRequired[list[dict[str, Any]]]
    target: NotRequired[dict[str, Any]]
    load_average_before: NotRequired[list[float]]
    load_average_after: NotRequired[list[float]]
    notes: NotRequired[str]


#: The type of each kind of record.
RECORD_TYPES: dict[str, type] = {
    TRAIN_KIND: TrainRecord,
    TUNE_KIND: TuneRecord,
    TUNE_MEMORY_KIND: TuneMemoryRecord,
    BENCHMARK_KIND: BenchmarkRecord,
}


def current_kind(kind: object, name: str = "kind") -> str:
    """The current name of ``kind`` (old names mapped); ``ValueError`` naming ``name`` if unknown.

    Examples
    --------
    >>> current_kind("train"), current_kind("convnotes.tune/1")
    ('convnotes.train/1', 'convnotes.tune/1')
    """
    if not isinstance(kind, str):
        raise ValueError(f"{name}: a record kind is a string, got {kind!r}")
    kind = OLD_KINDS.get(kind, kind)
    if kind not in KINDS:
        raise ValueError(f"{name}: unknown record kind {kind!r}; the kinds are {', '.join(KINDS)}")
    return kind


def _check_wall_time(value: object, name: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name}: must be None or a number of seconds, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name}: must be None or at least 0 seconds, got {value!r}")


def _check_provenance(value: object, name: str) -> None:
    if not isinstance(value, Mapping) or not value:
        raise ValueError(
            f"{name}: a run record needs its provenance (a non-empty dict, see "
            f"convnotes.training.collect_provenance), got {value!r}"
        )


def make_record(
    kind: str,
    *,
    provenance: Mapping[str, Any],
    wall_time_s: float | None,
    config: Mapping[str, Any] | None = None,
    created: str | None = None,
    **fields: Any,
) -> RunRecord:
    """A run record of ``kind``: the shared envelope and the kind's own ``fields``.

    Parameters
    ----------
    kind
        One of :data:`KINDS`.
    provenance
        Where the run came from (:func:`convnotes.training.collect_provenance`).
    wall_time_s
        The run's wall-clock time in seconds, or ``None`` when it is not known.
    config
        What ran; by default built from ``fields`` for the kinds in
        :data:`CONFIG_FIELDS`, else empty.
    created
        UTC ISO time; by default ``provenance["created"]``, else now.
    **fields
        The kind's results and settings (see :class:`TrainRecord` and the others).

    Raises
    ------
    ValueError
        Naming ``kind`` (unknown), ``provenance`` (missing or empty) or ``wall_time_s``
        (negative, not finite, or not a number).

    Examples
    --------
    >>> record = make_record("convnotes.tune-memory/1", provenance={"seed": 1}, wall_time_s=2.5,
    ...                      trials=3, rss_mb={"graphs_released": [1.0, 1.0, 1.0]})
    >>> record["kind"], record["config"], record["wall_time_s"]
    ('convnotes.tune-memory/1', {'trials': 3}, 2.5)
    >>> make_record("train", provenance={"seed": 1}, wall_time_s=1.0)
    Traceback (most recent call last):
    ...
    ValueError: kind: 'train' is the old name of 'convnotes.train/1'; write the current kind
    >>> make_record("convnotes.train/1", provenance={"seed": 1}, wall_time_s=-1.0)
    Traceback (most recent call last):
    ...
    ValueError: wall_time_s: must be None or at least 0 seconds, got -1.0
    """
    if isinstance(kind, str) and kind in OLD_KINDS:
        raise ValueError(
            f"kind: {kind!r} is the old name of {OLD_KINDS[kind]!r}; write the current kind"
        )
    kind = current_kind(kind)
    _check_provenance(provenance, "provenance")
    _check_wall_time(wall_time_s, "wall_time_s")
    if config is None:
        config = {key: fields[key] for key in CONFIG_FIELDS.get(kind, ()) if key in fields}
    elif not isinstance(config, Mapping):
        raise ValueError(f"config: what ran is a dict of settings, got {config!r}")
    if created is None:
        created = provenance.get("created") or datetime.now(timezone.utc).isoformat(
            timespec="seconds"
        )
    record: dict[str, Any] = {
        "kind": kind,
        "created": created,
        "wall_time_s": wall_time_s,
        "config": dict(config),
        **fields,
        "provenance": dict(provenance),
    }
    return record  # type: ignore[return-value]


def check_record(record: object, name: str = "record") -> None:
    """Raise ``ValueError`` naming ``name`` unless ``record`` can be written as a run record.

    A record can be written when it is a dict with a current ``kind``, a non-empty
    ``provenance`` and a ``wall_time_s`` that is ``None`` or at least 0.
    """
    if not isinstance(record, Mapping):
        raise ValueError(f"{name}: a run record is a dict, got a {type(record).__name__}")
    if "kind" not in record:
        raise ValueError(f"{name}: a run record needs a 'kind' (the command that wrote it)")
    if current_kind(record["kind"], name) != record["kind"]:
        raise ValueError(f"{name}: kind {record['kind']!r} is an old name; use make_record")
    _check_provenance(record.get("provenance"), name)
    if "wall_time_s" not in record:
        raise ValueError(f"{name}: a run record needs 'wall_time_s' (None when unknown)")
    _check_wall_time(record["wall_time_s"], f"{name}['wall_time_s']")


def write_record(record: RunRecord | Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write ``record`` (see :func:`check_record`) as indented JSON to ``path``; return the path.

    Folders are created. Values JSON does not know (a ``Path``, a NumPy scalar) are written
    as their ``str``.

    Examples
    --------
    >>> import tempfile
    >>> record = make_record(TUNE_MEMORY_KIND, provenance={"seed": 1}, wall_time_s=1.5,
    ...                      trials=3, rss_mb={})
    >>> path = write_record(record, Path(tempfile.mkdtemp()) / "r.json")
    >>> load_record(path, kind=TUNE_MEMORY_KIND) == record
    True
    """
    check_record(record)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, default=str) + "\n", encoding="utf-8")
    return path


def _upgrade(record: dict[str, Any], path: Path) -> dict[str, Any]:
    """``record`` with the current kind and field names (old records loaded as new)."""
    record["kind"] = current_kind(record["kind"], f"path: {path}")
    for old, new in RENAMED.items():
        if old in record and new not in record:
            record[new] = record.pop(old)
    record.setdefault("wall_time_s", None)
    if "created" not in record:
        provenance = record.get("provenance")
        record["created"] = provenance.get("created") if isinstance(provenance, dict) else None
    if "config" not in record and record["kind"] in CONFIG_FIELDS:
        record["config"] = {k: record[k] for k in CONFIG_FIELDS[record["kind"]] if k in record}
    return record


def load_record(path: str | os.PathLike[str], kind: str | None = None) -> RunRecord:
    """Read the run record at ``path``, with old kinds and field names made current.

    Parameters
    ----------
    path
        A JSON file written by :func:`write_record` (or by a command before it).
    kind
        If given, the kind the record must have (an old name is accepted: ``"train"``
        means :data:`TRAIN_KIND`).

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        Naming ``path`` if the file is not JSON, is not a run record (no object, no
        ``kind``, an unknown kind) or (with ``kind``) was written by another command;
        naming ``kind`` if ``kind`` is unknown.

    Examples
    --------
    >>> import tempfile
    >>> old = Path(tempfile.mkdtemp()) / "old.json"
    >>> _ = old.write_text(json.dumps({"kind": "train", "wall_seconds": 60.0}))
    >>> record = load_record(old, kind="convnotes.train/1")
    >>> record["kind"], record["wall_time_s"]
    ('convnotes.train/1', 60.0)
    """
    wanted = None if kind is None else current_kind(kind)
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path: no recorded run at {path}")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"path: {path} is not valid JSON ({exc})") from None
    if not isinstance(record, dict):
        raise ValueError(f"path: {path} holds a {type(record).__name__}, not a run record")
    if "kind" not in record:
        raise ValueError(f"path: {path} is not a run record (no 'kind')")
    record = _upgrade(record, path)
    if wanted is not None and record["kind"] != wanted:
        raise ValueError(f"path: {path} records a {record['kind']!r} run, not {wanted!r}")
    return record  # type: ignore[return-value]


# --------------------------------------------------------------------------- provenance


def _git_commit(start: Path) -> dict[str, Any] | None:
    def git(*args: str, cwd: Path | str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=True
        )
        return done.stdout.strip()

    try:
        top = git("rev-parse", "--show-toplevel", cwd=start)
        head = git("rev-parse", "HEAD", cwd=top)
        dirty = git("status", "--porcelain", "--untracked-files=no", cwd=top)
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head, "dirty": bool(dirty)}


def _library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versions = {"python": platform.python_version()}
    for name in (
        "numpy",
        "tensorflow",
        "tensorflow-cpu",
        "keras",
        "keras-tuner",
        "scikit-learn",
        "matplotlib",
    ):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            pass
    return versions


def provenance(
    command: Sequence[str] | str,
    *,
    data: Mapping[str, Any] | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Where a run came from, without importing TensorFlow.

    Keys: ``command``, ``convnotes_version``, ``git`` (commit and whether the tree was
    dirty; ``None`` outside a git checkout), ``created`` (UTC ISO time), ``seed``,
    ``data``, ``libraries`` (installed versions) and ``machine``
    (:func:`convnotes.machine.describe`). :func:`convnotes.training.collect_provenance`
    adds the GPUs to ``machine``.

    Examples
    --------
    >>> prov = provenance(["convnotes", "benchmark"], seed=0)
    >>> prov["command"], prov["seed"], prov["machine"]["cpu_count"] >= 1
    ('convnotes benchmark', 0, True)
    """
    from convnotes import __version__, machine

    return {
        "command": command if isinstance(command, str) else " ".join(map(str, command)),
        "convnotes_version": __version__,
        "git": _git_commit(Path(__file__).resolve().parent),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seed": seed,
        "data": dict(data or {}),
        "libraries": _library_versions(),
        "machine": machine.describe(),
    }
