"""The recorded full-scale search renders from its record, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from convnotes import runrecord
from convnotes.presentation import search_report, tuning
from convnotes.source import BEST_HYPERPARAMETERS
from convnotes.tuning import records
from convnotes.tuning.schedule import keras_tuner_schedule


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    from convnotes.cli import main

    out = tmp_path_factory.mktemp("search") / "record.json"
    assert main(["tune", "--problem", "analytic", "--tuner", "hyperband", "--max-epochs", "9",
                 "--directory", str(out.parent / "kt"), "--out", str(out)]) == 0  # fmt: skip
    return runrecord.load_record(out, kind=runrecord.TUNE_KIND)


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
    finished = _cells(tuning.schedule_table_html(planned, "en", ran=schedule_from_trials(values)))
    assert len(finished) == len(planned.rounds) + 1
    assert all(row[4] == row[5] for row in finished)  # a finished search ran its plan
    half = values[: len(values) // 2]
    partial = _cells(tuning.schedule_table_html(planned, "fa", ran=schedule_from_trials(half)))
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


# -- the one schedule table: keras_tuner_schedule(10, 3), planned and as the full search ran

_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# Keras Tuner's Hyperband for max_epochs=10, factor=3, as the tuning chapter works it out:
# (bracket, round, models, from epoch, to epoch); epochs trained = models x (to - from).
_PLANNED_10_3 = [(2, 0, 12, 0, 2), (2, 1, 4, 2, 4), (2, 2, 2, 4, 10),
                 (1, 0, 6, 0, 4), (1, 1, 2, 4, 10), (0, 0, 4, 0, 10)]  # fmt: skip
_HEADERS = {
    "plan": {
        "en": ["bracket", "round", "models (trials)", "from epoch", "to epoch", "epochs trained"],
        "fa": ["براکت", "مرحله", "مدل‌ها (آزمایش‌ها)", "از دورهٔ", "تا دورهٔ", "دوره‌های آموزش"],
    },
    "progress": {
        "en": ["bracket", "round", "from epoch", "to epoch", "models planned", "models run"],
        "fa": ["براکت", "مرحله", "از دورهٔ", "تا دورهٔ", "مدل‌های برنامه", "مدل‌های اجراشده"],
    },
}


def _table_by_hand(headers, rows, lang):
    """The markup the book's tables have, written out (numbers in the page's digits)."""

    def cell(value):
        text = str(value)
        return text.translate(_PERSIAN) if lang == "fa" else text

    direction = "rtl" if lang == "fa" else "ltr"
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return (f'<table class="table cn-table" lang="{lang}" dir="{direction}"><thead><tr>{head}'
            f"</tr></thead><tbody>{body}</tbody></table>")  # fmt: skip


def _full_search_values():
    full = runrecord.load_record(
        Path(__file__).parents[1] / "results/tune-cifar-hyperband-full.json"
    )
    return [{f"tuner/{k}": v for k, v in t["hyperband"].items()} for t in full["trials"]]


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_planned_schedule_table_is_the_schedule_written_out(lang):
    from convnotes.presentation import tuning

    rows = [[b, r, n, start, end, n * (end - start)] for b, r, n, start, end in _PLANNED_10_3]
    rows.append([{"en": "total", "fa": "جمع"}[lang], "", 30, "", "", 120])
    expected = _table_by_hand(_HEADERS["plan"][lang], rows, lang)
    assert tuning.schedule_table_html(keras_tuner_schedule(10, 3), lang) == expected


@pytest.mark.parametrize("lang", ["en", "fa"])
@pytest.mark.parametrize("unplanned", [False, True])
def test_the_schedule_table_with_ran_counts_the_record_trials_by_hand(lang, unplanned):
    from convnotes.presentation import tuning
    from convnotes.tuning.schedule import schedule_from_trials

    values = _full_search_values()
    if unplanned:  # a round with a budget the plan does not have gets a row of its own
        values.append({"tuner/bracket": 2, "tuner/round": 0, "tuner/epochs": 3,
                       "tuner/initial_epoch": 0})  # fmt: skip
    counted: dict[tuple[int, int, int, int], int] = {}
    for v in values:
        key = (v["tuner/bracket"], v["tuner/round"], v["tuner/initial_epoch"], v["tuner/epochs"])
        counted[key] = counted.get(key, 0) + 1
    rows = [[b, r, start, end, n, counted.pop((b, r, start, end), 0)]
            for b, r, n, start, end in _PLANNED_10_3]  # fmt: skip
    rows += [[b, r, start, end, "—", n] for (b, r, start, end), n in counted.items()]
    assert len(rows) == len(_PLANNED_10_3) + unplanned
    rows.append([{"en": "total", "fa": "جمع"}[lang], "", "", "", 30, len(values)])
    expected = _table_by_hand(_HEADERS["progress"][lang], rows, lang)
    planned, ran = keras_tuner_schedule(10, 3), schedule_from_trials(values)
    assert tuning.schedule_table_html(planned, lang, ran=ran) == expected


def _train_record(hyperparameters, parameters, train, test):
    return {"config": {"hyperparameters": hyperparameters}, "model": {"parameters": parameters},
            "metrics": {"train": {"accuracy": train}, "test": {"accuracy": test}}}  # fmt: skip


_SEARCHED = dict(BEST_HYPERPARAMETERS, conv_layers=1, units=256)
_SEARCH = {
    "objective": {"name": "val_accuracy", "direction": "max"},
    "trials": [
        {"trial_id": "0003", "status": "COMPLETED", "score": 0.61,
         "hyperparameters": BEST_HYPERPARAMETERS, "hyperband": {"epochs": 4}},
        {"trial_id": "0007", "status": "COMPLETED", "score": 0.65,
         "hyperparameters": _SEARCHED, "hyperband": {"epochs": 6}},
        {"trial_id": "0008", "status": "RUNNING", "score": None,
         "hyperparameters": BEST_HYPERPARAMETERS, "hyperband": {"epochs": 10}},
    ],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_trained_table_puts_each_winner_next_to_the_course(lang):
    source_run = _train_record(BEST_HYPERPARAMETERS, 951_098, 0.9628, 0.7805)
    searched_run = _train_record(_SEARCHED, 1_234_567, 0.9912, 0.7012)
    html = search_report.trained_table_html(_SEARCH, source_run, searched_run, lang)
    rows = _cells(html)  # the body rows
    digits = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫") if lang == "fa" else {}
    by_hand = [
        ["0.6915", "10", "951,098", "0.9442", "0.7962"],  # the course's own numbers
        ["—", "—", "951,098", "0.9628", "0.7805"],
        ["0.6500", "6", "1,234,567", "0.9912", "0.7012"],  # trial 0007, the best completed
    ]
    if lang == "fa":
        by_hand = [[v.translate(digits).replace(",", "٬") for v in row] for row in by_hand]
    assert [row[1:] for row in rows] == by_hand
    assert "0007" in rows[2][0]


def test_the_trained_table_refuses_a_run_of_another_configuration():
    source_run = _train_record(BEST_HYPERPARAMETERS, 951_098, 0.9628, 0.7805)
    with pytest.raises(ValueError, match="searched_run trained .* not the best trial .*0007"):
        search_report.trained_table_html(_SEARCH, source_run, source_run, "en")
