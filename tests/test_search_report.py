"""The recorded full-scale search renders from its record, in both languages."""

from __future__ import annotations

import re

import pytest

from convnotes.presentation import search_report
from convnotes.source import BEST_HYPERPARAMETERS
from convnotes.tuning import records
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


def test_the_top_table_shows_test_accuracy_when_the_record_has_it(record):
    best = records.top_trials(record["trials"], "max", k=2)
    scored = dict(record, test_scores={"images": 100, "accuracy": {
        t["trial_id"]: 0.1234 + i / 100 for i, t in enumerate(record["trials"])}})  # fmt: skip
    html = search_report.top_table_html(scored, "en", k=2)
    assert "Test accuracy" in re.findall(r"<tr>(.*?)</tr>", html, re.S)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    for row, trial in zip(rows, best, strict=False):
        assert f"{scored['test_scores']['accuracy'][trial['trial_id']]:.4f}" in row
    assert "Test accuracy" not in search_report.top_table_html(record, "en", k=2)


def _cells(html):
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row) for row in
            re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]]  # fmt: skip


def test_the_schedule_table_counts_the_models_run_in_each_round(record):
    from convnotes.tuning.schedule import schedule_from_trials

    planned = keras_tuner_schedule(9, 3)
    values = [{f"tuner/{k}": v for k, v in t["hyperband"].items()} for t in record["trials"]]
    finished = _cells(search_report.schedule_progress_html(
        planned, schedule_from_trials(values), "en"))  # fmt: skip
    assert len(finished) == len(planned.rounds) + 1
    assert all(row[4] == row[5] for row in finished)  # a finished search ran its plan
    half = values[: len(values) // 2]
    partial = _cells(
        search_report.schedule_progress_html(planned, schedule_from_trials(half), "fa")
    )
    by_hand = {}
    for v in half:
        round_key = (v["tuner/bracket"], v["tuner/round"])
        by_hand[round_key] = by_hand.get(round_key, 0) + 1
    for r, row in zip(planned.rounds, partial, strict=False):
        assert row[5] == localize(by_hand.get((r.bracket, r.round), 0))
    assert partial[-1][5] == localize(len(half))


def localize(number):
    from convnotes.i18n import format_number

    return format_number(number, "fa")


def test_the_curves_figure_labels_whole_epochs_only(record):
    # a partial search whose configurations have trained two or three epochs: left to
    # itself matplotlib would put ticks at 1.25, 1.5, ...
    early = dict(record, trials=[t for t in record["trials"] if t["hyperband"]["epochs"] <= 3])
    fig = search_report.curves_figure(early, "en", k=3)
    assert max(max(line.get_xdata()) for line in fig.axes[0].get_lines()) <= 3
    ticks = fig.axes[0].get_xticks()
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)
