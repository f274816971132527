"""Recorded runs are read, checked and rendered from their JSON, never retyped."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest

from convnotes.models import SOURCE_RESULTS
from convnotes.presentation import recorded

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
    record["kind"] = "convnotes.tune/1"
    with pytest.raises(ValueError, match="'convnotes.tune/1' run, not"):
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


@pytest.mark.parametrize(
    ("accuracy", "en", "fa"),
    [
        (0.7805, "1.57 percentage points below the source's 0.7962, within", "۱٫۵۷ واحد درصد کمتر"),
        (
            0.8062,
            "1.00 percentage points above the source's 0.7962, within",
            "۱٫۰۰ واحد درصد بیشتر",
        ),
        (0.7500, "4.62 percentage points below the source's 0.7962, more than", "بیش از ۲ واحدی"),
    ],
)
def test_reference_verdict_by_hand(accuracy: float, en: str, fa: str) -> None:
    record = recorded.example_record()
    record["metrics"]["test"]["accuracy"] = accuracy
    assert en in recorded.reference_verdict(record, "en")
    assert fa in recorded.reference_verdict(record, "fa")


def test_target_verdict_says_reached_or_missed() -> None:
    record = recorded.example_record()
    record["metrics"]["test"]["accuracy"] = 0.8612
    assert recorded.target_verdict(record, "en", 0.85).endswith(
        "passed it by 1.12 percentage points."
    )
    assert "۱٫۱۲ واحد درصد از آن بالاتر" in recorded.target_verdict(record, "fa", 0.85)
    record["metrics"]["test"]["accuracy"] = 0.8499
    assert "fell short by 0.01" in recorded.target_verdict(record, "en", 0.85)
    with pytest.raises(ValueError, match="lang"):
        recorded.target_verdict(record, "de", 0.85)


def test_provenance_lists_options_and_speaks_persian() -> None:
    record = recorded.example_record()
    record["config"].update(
        augment=True,
        batch_norm=True,
        lr_schedule="cosine",
        epochs=50,
        batch_size=32,
        sizes={"train": 50000, "val": 0, "test": 10000},
    )
    record["provenance"]["data"] = {
        "source": "CIFAR-10 (python version) at /data [argument]",
        "name": "CIFAR-10",
        "jpeg_derived": True,
        "checksums_sha256": {"data_batch_1": "ab", "test_batch": "cd"},
    }
    english = recorded.provenance_html(record, "en").data
    persian = recorded.provenance_html(record, "fa").data
    for option in ("--augment", "--batch-norm", "--lr-schedule cosine"):
        assert f"<code>{option}</code>" in english and f"<code>{option}</code>" in persian
    assert "50,000 training and 10,000 test images, 50 epochs, batch 32" in english
    assert "۵۰٬۰۰۰ تصویر آموزشی" in persian and "python version" not in persian
    assert "۲ پرونده با چکیدهٔ SHA-256" in persian
    record["provenance"]["machine"] = {"cpu": "AMD EPYC", "cpu_count": 2}
    assert "AMD EPYC، ۲ هسته" in recorded.provenance_html(record, "fa").data
    plain = recorded.example_record()
    assert "none: the source" in recorded.provenance_html(plain, "en").data


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("train-full-source.json", []),
        ("train-full-improved.json", ["--augment", "--batch-norm", "--lr-schedule cosine"]),
        ("train-full-searched.json", ["--hyperparameters-from"]),
    ],
)
def test_options_of_the_committed_runs_are_those_their_commands_used(name, options) -> None:
    run = recorded.load_run_record(ROOT / "results" / name)
    assert recorded.run_options(run["config"]) == options
    for option in options:
        assert option in run["provenance"]["command"]
    html = recorded.provenance_html(run, "en").data
    assert ("none: the source" in html) == (not options)
