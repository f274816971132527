"""The recorded full-scale search renders from its record, in both languages."""

from __future__ import annotations

import re

import pytest

from convnotes.source import BEST_HYPERPARAMETERS
from convnotes.tuning import records, search_report
from convnotes.tuning.schedule import keras_tuner_schedule


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    from convnotes.cli import main

    out = tmp_path_factory.mktemp("search") / "record.json"
    assert main(["tune", "--problem", "analytic", "--tuner", "hyperband", "--max-epochs", "9",
                 "--directory", str(out.parent / "kt"), "--out", str(out)]) == 0  # fmt: skip
    return records.load_record(out)


def test_the_top_table_lists_the_best_trials_then_the_course(record):
    html = search_report.top_table_html(record, "en", k=3)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    assert len(rows) == 3 + 1
    best = records.top_trials(record["trials"], "max", k=3)
    for row, trial in zip(rows, best, strict=False):
        assert f"{trial['score']:.4f}" in row and str(trial["trial_id"]) in row
    assert "course material" in rows[-1] and "0.6915" in rows[-1]
    assert str(BEST_HYPERPARAMETERS["filters"]) in rows[-1]
    fa = search_report.top_table_html(record, "fa", k=3)
    assert "درس‌نامه" in fa and "۰٫۶۹۱۵" in fa


def test_progress_counts_what_the_record_holds(record):
    planned = keras_tuner_schedule(9, 3)
    text = search_report.progress_text(record, "en")
    assert text.startswith("finished: ")
    assert f"{planned.trials} of {planned.trials} trials" in text
    assert f"{planned.epochs} of {planned.epochs} epochs" in text
    partial = dict(record, finished=False, summary=dict(record["summary"], completed=5))
    assert search_report.progress_text(partial, "fa").startswith("ناتمام: ۵ آزمایش از")


def test_the_curves_figure_draws_one_line_per_configuration(record):
    fig = search_report.curves_figure(record, "fa", k=4)
    lines = [line for line in fig.axes[0].get_lines() if line.get_marker() == "o"]
    assert len(lines) == 4
    assert max(len(line.get_xdata()) for line in lines) == 9  # a configuration trained 9 epochs
