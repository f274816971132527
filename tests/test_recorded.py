"""Recorded runs are read, checked and rendered from their JSON, never retyped."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest

from convnotes import recorded
from convnotes.models import SOURCE_RESULTS

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, record: object) -> Path:
    path = tmp_path / "run.json"
    path.write_text(json.dumps(record))
    return path


def test_round_trip_and_comparison(tmp_path: Path) -> None:
    record = recorded.example_record()
    loaded = recorded.load_run_record(write(tmp_path, record))
    rows = dict((name, (ref, got)) for name, ref, got in recorded.comparison_rows(loaded))
    assert rows["test_accuracy"] == (SOURCE_RESULTS["test_accuracy"], 0.78)
    assert rows["train_loss"] == (SOURCE_RESULTS["train_loss"], 0.15)
    # 0.78 - 0.7962 = -1.62 points, computed by hand
    assert recorded.points_from_reference(loaded) == pytest.approx(-1.62)
    assert recorded.training_hours(loaded) == pytest.approx(1.0)  # 2 x 1,800 s


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "holds a list"),
        ('{"kind": "train"}', "missing config, metrics, history, provenance"),
    ],
)
def test_malformed_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=message) as info:
        recorded.load_run_record(path)
    assert str(path) in str(info.value)


def test_wrong_kind_and_missing_metric(tmp_path: Path) -> None:
    record = recorded.example_record()
    record["kind"] = "tune"
    with pytest.raises(ValueError, match="'tune' run, not 'train'"):
        recorded.load_run_record(write(tmp_path, record))
    record = recorded.example_record()
    del record["metrics"]["test"]["loss"]
    with pytest.raises(ValueError, match=r"metrics\.test\.loss"):
        recorded.load_run_record(write(tmp_path, record))
    with pytest.raises(FileNotFoundError, match="no recorded run"):
        recorded.load_run_record(tmp_path / "absent.json")


def test_tables_speak_the_page_language() -> None:
    record = recorded.example_record()
    en = recorded.comparison_table_html(record, "en").data
    fa = recorded.comparison_table_html(record, "fa").data
    assert "Test accuracy" in en and "0.7962" in en and "-0.0162" in en
    assert 'dir="rtl"' in fa and "دقت آزمون" in fa and "۰٫۷۹۶۲" in fa
    with pytest.raises(ValueError, match="lang"):
        recorded.comparison_table_html(record, "de")


def test_provenance_names_the_caveat_and_escapes() -> None:
    record = recorded.example_record()
    record["provenance"]["command"] = "convnotes train --out <x>.json"
    record["provenance"]["data"] = {"source": "materialized copy", "jpeg_derived": True}
    en = recorded.provenance_html(record, "en", link="results/x.json").data
    assert "&lt;x&gt;.json" in en and "<x>" not in en
    assert "comparable to, not identical with" in en
    assert 'href="results/x.json"' in en
    fa = recorded.provenance_html(record, "fa").data
    assert "اجرای ثبت‌شده" in fa and "قابل مقایسه" in fa


def test_curves_thin_their_ticks_for_long_runs() -> None:
    record = recorded.example_record()
    epochs = list(range(1, 51))
    record["history"] = {
        "epoch": epochs,
        "loss": [1 / e for e in epochs],
        "accuracy": [1 - 1 / e for e in epochs],
        "test_loss": [1 / e for e in epochs],
        "test_accuracy": [1 - 1 / e for e in epochs],
    }
    figure = recorded.plot_recorded_curves(record, "en")
    loss_axes = figure.axes[0]
    assert len(loss_axes.get_xticks()) <= 10
    assert len(loss_axes.get_lines()) == 2  # training and test


@pytest.mark.parametrize("path", sorted((ROOT / "results").glob("train-full-*.json")))
def test_committed_records_load(path: Path) -> None:
    record = recorded.load_run_record(path)
    assert record["config"]["epochs"] == len(record["history"]["epoch"])
    assert record["provenance"]["git"]["commit"]
