"""One run record for every command: built, written and read by convnotes.runrecord.

The committed records under results/ are the reference for "old records still load":
their raw JSON says what the loaded record must hold once old kinds and names are mapped.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from convnotes import runrecord

ROOT = Path(__file__).resolve().parent.parent


def committed_records() -> list[Path]:
    """Every JSON file under results/ except the files of tuner project folders."""
    return [
        path
        for path in sorted((ROOT / "results").rglob("*.json"))
        if not any(part.startswith("trial_") for part in path.relative_to(ROOT).parts)
        and path.name not in ("oracle.json", "tuner0.json")
    ]


def test_there_are_committed_records_of_every_kind():
    kinds = {runrecord.load_record(path)["kind"] for path in committed_records()}
    assert kinds == set(runrecord.KINDS)


@pytest.mark.parametrize("path", committed_records(), ids=lambda p: p.name)
def test_committed_records_load_as_the_current_type(path):
    before = path.read_bytes()
    raw = json.loads(before)
    record = runrecord.load_record(path)
    assert path.read_bytes() == before  # read, never rewritten
    # the kind, made current by the documented table
    assert record["kind"] == runrecord.OLD_KINDS.get(raw["kind"], raw["kind"])
    assert record["kind"] in runrecord.KINDS
    assert runrecord.load_record(path, kind=raw["kind"])["kind"] == record["kind"]
    # the wall time under its current name, whichever name the file used
    assert "wall_seconds" not in record
    assert record["wall_time_s"] == raw.get("wall_time_s", raw.get("wall_seconds"))
    assert record["created"] == raw.get("created", raw.get("provenance", {}).get("created"))
    # every field its kind's type requires
    required = runrecord.RECORD_TYPES[record["kind"]].__required_keys__
    assert required <= set(record), sorted(required - set(record))
    # the fields it had, with the same values
    renamed = {runrecord.RENAMED.get(k, k): v for k, v in raw.items() if k != "kind"}
    assert {key: record[key] for key in renamed} == renamed


def test_the_types_share_the_envelope():
    envelope = {"kind", "created", "wall_time_s", "config", "provenance"}
    assert set(runrecord.RunRecord.__annotations__) == envelope
    for kind, record_type in runrecord.RECORD_TYPES.items():
        assert envelope <= set(record_type.__annotations__), kind
        assert {"kind", "created", "wall_time_s", "config"} <= record_type.__required_keys__
    assert set(runrecord.RECORD_TYPES) == set(runrecord.KINDS)


FIELDS = {
    runrecord.TRAIN_KIND: {
        "config": {"profile": "quick", "epochs": 2},
        "metrics": {"test": {"accuracy": 0.5, "loss": 1.25}},
        "history": {"epoch": [1, 2], "loss": [2.0, 1.5]},
        "model": {"parameters": 10, "replicas": 1},
        "class_names": ["cat", "dog"],
        "notes": "",
    },
    runrecord.TUNE_KIND: {
        "tuner": "random",
        "problem": "digits",
        "profile": "quick",
        "objective": {"name": "val_accuracy", "direction": "max"},
        "budget": {"max_trials": 2},
        "search_space": [],
        "project_dir": "/tmp/kt",
        "seed": 3,
        "summary": {"trials": 0},
        "trials": [],
    },
    runrecord.TUNE_MEMORY_KIND: {"trials": 3, "rss_mb": {"graphs_released": [1.0, 2.0, 3.0]}},
    runrecord.BENCHMARK_KIND: {"config": {"size": 8}, "metrics": {"conv2d_3x3": {"a": 1.0}}},
}


@pytest.mark.parametrize("kind", runrecord.KINDS)
def test_a_made_record_round_trips_equal(kind, tmp_path):
    provenance = {"command": "test", "created": "2026-01-02T03:04:05+00:00", "seed": 0}
    record = runrecord.make_record(kind, provenance=provenance, wall_time_s=1.5, **FIELDS[kind])
    assert record["kind"] == kind and record["provenance"] == provenance
    assert record["created"] == provenance["created"]  # the provenance's time
    assert runrecord.RECORD_TYPES[kind].__required_keys__ <= set(record)
    path = runrecord.write_record(record, tmp_path / "deep" / "record.json")
    assert runrecord.load_record(path, kind=kind) == record
    assert json.loads(path.read_text(encoding="utf-8")) == record  # nothing added on load


def test_config_repeats_a_search_s_settings_and_created_defaults_to_now():
    fields = FIELDS[runrecord.TUNE_KIND]
    record = runrecord.make_record(
        runrecord.TUNE_KIND, provenance={"command": "t"}, wall_time_s=None, **fields
    )
    assert record["config"] == {k: fields[k] for k in runrecord.CONFIG_FIELDS[record["kind"]]}
    assert record["config"]["seed"] == 3 and record["wall_time_s"] is None
    assert record["created"].endswith("+00:00")  # UTC, from the clock


def test_a_real_provenance_round_trips(tmp_path):
    provenance = runrecord.provenance(["convnotes", "benchmark"], data={"source": "x"}, seed=2)
    assert provenance["machine"]["cpu_count"] >= 1 and provenance["libraries"]["python"]
    record = runrecord.make_record(
        runrecord.BENCHMARK_KIND, provenance=provenance, wall_time_s=0, metrics={}
    )
    path = runrecord.write_record(record, tmp_path / "bench.json")
    assert runrecord.load_record(path) == record


def write_json(path: Path, content: object) -> Path:
    path.write_text(json.dumps(content))
    return path


def test_old_kinds_and_names_are_mapped(tmp_path):
    old_train = write_json(
        tmp_path / "train.json",
        {"kind": "train", "wall_seconds": 12.5, "provenance": {"created": "2025-05-06"}},
    )
    record = runrecord.load_record(old_train, kind=runrecord.TRAIN_KIND)
    assert record == {
        "kind": "convnotes.train/1",
        "wall_time_s": 12.5,
        "created": "2025-05-06",
        "provenance": {"created": "2025-05-06"},
    }
    assert runrecord.load_record(old_train, kind="train")["kind"] == runrecord.TRAIN_KIND
    old_bench = write_json(
        tmp_path / "bench.json", {"kind": "benchmark", "created": "2024", "metrics": {}}
    )
    record = runrecord.load_record(old_bench, kind=runrecord.BENCHMARK_KIND)
    assert record["wall_time_s"] is None and record["created"] == "2024"
    # a current name wins over an old one left next to it
    both = write_json(
        tmp_path / "both.json", {"kind": "train", "wall_seconds": 1.0, "wall_time_s": 2.0}
    )
    assert runrecord.load_record(both)["wall_time_s"] == 2.0
    # a search recorded before config was kept gets one from its own settings
    fields = FIELDS[runrecord.TUNE_KIND]
    search = write_json(tmp_path / "search.json", {"kind": runrecord.TUNE_KIND, **fields})
    assert runrecord.load_record(search)["config"] == {
        k: fields[k] for k in ("tuner", "problem", "profile", "objective", "budget", "seed")
    }
    with pytest.raises(ValueError, match=r"^path: .*records a 'convnotes.train/1' run, not"):
        runrecord.load_record(old_train, kind=runrecord.TUNE_KIND)


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        ({"kind": "convnotes.fit/1"}, "kind"),
        ({"kind": "train"}, "kind"),  # old names are read, never written
        ({"kind": 3}, "kind"),
        ({"wall_time_s": -0.5}, "wall_time_s"),
        ({"wall_time_s": math.nan}, "wall_time_s"),
        ({"wall_time_s": "60"}, "wall_time_s"),
        ({"wall_time_s": True}, "wall_time_s"),
        ({"provenance": None}, "provenance"),
        ({"provenance": {}}, "provenance"),
        ({"provenance": ["command"]}, "provenance"),
        ({"config": ["epochs"]}, "config"),
    ],
)
def test_bad_arguments_of_make_record_are_named(changes, argument):
    arguments = {
        "kind": runrecord.TRAIN_KIND,
        "provenance": {"command": "t"},
        "wall_time_s": 1.0,
        **changes,
    }
    kind = arguments.pop("kind")
    with pytest.raises(ValueError, match=rf"^{argument}: "):
        runrecord.make_record(kind, **arguments)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ([1, 2], "a run record is a dict, got a list"),
        ({"provenance": {"a": 1}, "wall_time_s": 1}, "needs a 'kind'"),
        ({"kind": "train", "provenance": {"a": 1}, "wall_time_s": 1}, "old name"),
        ({"kind": runrecord.TUNE_KIND, "wall_time_s": 1}, "provenance"),
        ({"kind": runrecord.TUNE_KIND, "provenance": {"a": 1}}, "wall_time_s"),
        ({"kind": runrecord.TUNE_KIND, "provenance": {"a": 1}, "wall_time_s": -1}, "at least 0"),
    ],
)
def test_write_record_refuses_what_is_not_a_run_record(record, message, tmp_path):
    with pytest.raises(ValueError, match=rf"^record.*{message}"):
        runrecord.write_record(record, tmp_path / "r.json")
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "holds a list, not a run record"),
        ("not json", "is not valid JSON"),
        (b"\xff\xfe{", "is not valid JSON"),
        ('{"wall_time_s": 1}', "no 'kind'"),
        ('{"kind": "tune"}', "unknown record kind 'tune'"),
        ('{"kind": ["train"]}', "a record kind is a string"),
    ],
)
def test_load_record_names_the_bad_file(content, message, tmp_path):
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(ValueError, match=r"^path: ") as info:
        runrecord.load_record(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_load_record_names_a_missing_file_and_an_unknown_kind(tmp_path):
    with pytest.raises(FileNotFoundError, match="^path: no recorded run"):
        runrecord.load_record(tmp_path / "absent.json")
    path = write_json(tmp_path / "tune.json", {"kind": runrecord.TUNE_KIND})
    with pytest.raises(ValueError, match="^kind: unknown record kind 'tuning'"):
        runrecord.load_record(path, kind="tuning")
