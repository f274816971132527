"""The recorded full-scale search, as the tuning-cifar chapter shows it, in English or Persian.

Everything here renders a run record written by ``convnotes tune`` (finished or, with
``--record-only``, as it stood): the best trials next to the course material's best
one, the validation curves of the best configurations across their Hyperband rounds,
and a one-line account of how far the search got.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from convnotes.i18n import check_language, format_number
from convnotes.presentation import plots
from convnotes.presentation.tables import Cell, escape, html_table
from convnotes.presentation.tuning import _localize_ticks, format_value
from convnotes.source import BEST_HYPERPARAMETERS, SOURCE_RESULTS
from convnotes.tuning import records
from convnotes.tuning.schedule import HyperbandSchedule

HYPERPARAMETERS = ("conv_layers", "dense_layers", "units", "filters", "learning_rate", "optimizer")


def _w(lang: str, en: str, fa: str) -> str:
    return plots.words(lang, en, fa)


def progress_text(record: Mapping[str, Any], lang: str) -> str:
    """How far the search got: trials completed of those the schedule plans, and epochs.

    Examples
    --------
    >>> record = {"summary": {"completed": 7, "epochs": 30, "trial_seconds": 7200.0},
    ...           "hyperband_schedule": {"expected_trials": 30, "expected_epochs": 114},
    ...           "finished": False}
    >>> progress_text(record, "en")
    'partial: 7 of 30 trials completed, 30 of 114 epochs, 2.0 hours of training'
    """
    check_language(lang)
    summary, plan = record["summary"], record.get("hyperband_schedule", {})
    done, planned = summary["completed"], plan.get("expected_trials")
    epochs, planned_epochs = summary["epochs"], plan.get("expected_epochs")
    hours = format_number(summary.get("trial_seconds", 0.0) / 3600, lang, 1)

    def n(value: int | None) -> str:
        return "?" if value is None else format_number(value, lang)

    if lang == "en":
        state = "finished" if record.get("finished") else "partial"
        return (
            f"{state}: {n(done)} of {n(planned)} trials completed, "
            f"{n(epochs)} of {n(planned_epochs)} epochs, {hours} hours of training"
        )
    state = "کامل" if record.get("finished") else "ناتمام"
    return (
        f"{state}: {n(done)} آزمایش از {n(planned)} آزمایش تمام شده، "
        f"{n(epochs)} دوره از {n(planned_epochs)} دوره، {hours} ساعت آموزش"
    )


def top_table_html(record: Mapping[str, Any], lang: str, k: int = 10) -> str:
    """The ``k`` best trials of the record and, in the last row, the course's best trial."""
    check_language(lang)
    direction = record["objective"]["direction"]
    top = records.top_trials(record["trials"], direction, k=k)
    tested = record.get("test_scores", {}).get("accuracy")
    headers = [
        _w(lang, "Rank", "رتبه"),
        _w(lang, "Trial", "آزمایش"),
        _w(lang, "Val. accuracy", "دقت اعتبارسنجی"),
        *([_w(lang, "Test accuracy", "دقت آزمون")] if tested else []),
        _w(lang, "Epochs", "دوره‌ها"),
        *HYPERPARAMETERS,
    ]
    rows = []
    for rank, trial in enumerate(top, start=1):
        test = [format_number(tested[trial["trial_id"]], lang, 4)] if tested else []
        rows.append(
            [
                format_number(rank, lang),
                str(trial["trial_id"]),
                format_number(trial["score"], lang, 4),
                *test,
                format_number(trial["hyperband"].get("epochs", trial.get("epochs") or 0), lang),
                *(format_value(trial["hyperparameters"].get(h), "en") for h in HYPERPARAMETERS),
            ]
        )
    rows.append(
        [
            "—",
            Cell(escape(_w(lang, "course material", "درس‌نامه"))),  # words, not code
            format_number(SOURCE_RESULTS["best_trial_val_accuracy"], lang, 4),
            *(["—"] if tested else []),
            format_number(10, lang),
            *(format_value(BEST_HYPERPARAMETERS[h], "en") for h in HYPERPARAMETERS),
        ]
    )
    first = 5 if tested else 4
    code = tuple(range(first, first + len(HYPERPARAMETERS)))
    return html_table(headers, rows, lang, code_columns=(1, *code))


def schedule_progress_html(planned: HyperbandSchedule, ran: HyperbandSchedule, lang: str) -> str:
    """Each round of the planned schedule beside the number of its models that have run.

    ``planned`` is the schedule the oracle will follow (:func:`keras_tuner_schedule`),
    ``ran`` the one rebuilt from the completed trials (:func:`schedule_from_trials`).
    Rounds are matched on bracket, round and epochs; a round that ran but was not
    planned (a different budget) gets a row of its own, so nothing is hidden.

    Examples
    --------
    >>> from convnotes.tuning.schedule import keras_tuner_schedule, schedule_from_trials
    >>> planned = keras_tuner_schedule(10, 3)
    >>> ran = schedule_from_trials([{"tuner/bracket": 2, "tuner/round": 0,
    ...                              "tuner/epochs": 2, "tuner/initial_epoch": 0}] * 5)
    >>> "<td>5</td>" in schedule_progress_html(planned, ran, "en")
    True
    """
    check_language(lang)

    def key(r: Any) -> tuple[int, int, int, int, int]:
        return (r.iteration, r.bracket, r.round, r.initial_epoch, r.epochs)

    done = {key(r): r.models for r in ran.rounds}
    rounds = list(planned.rounds) + [
        r for r in ran.rounds if key(r) not in {key(p) for p in planned.rounds}
    ]
    headers = [
        _w(lang, "bracket", "براکت"),
        _w(lang, "round", "مرحله"),
        _w(lang, "from epoch", "از دورهٔ"),
        _w(lang, "to epoch", "تا دورهٔ"),
        _w(lang, "models planned", "مدل‌های برنامه"),
        _w(lang, "models run", "مدل‌های اجراشده"),
    ]
    rows = [
        [
            format_number(r.bracket, lang),
            format_number(r.round, lang),
            format_number(r.initial_epoch, lang),
            format_number(r.epochs, lang),
            format_number(r.models, lang) if r in planned.rounds else "—",
            format_number(done.get(key(r), 0), lang),
        ]
        for r in rounds
    ]
    rows.append(
        [
            _w(lang, "total", "جمع"),
            "",
            "",
            "",
            format_number(planned.trials, lang),
            format_number(ran.trials, lang),
        ]
    )
    return html_table(headers, rows, lang)


def curves_figure(record: Mapping[str, Any], lang: str, k: int = 5) -> Any:
    """Validation accuracy per epoch of the ``k`` best configurations, over all their rounds."""
    check_language(lang)
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    direction = record["objective"]["direction"]
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for trial in records.top_trials(record["trials"], direction, k=k):
        curve = records.configuration_curve(record["trials"], trial["trial_id"])
        if not curve:
            continue
        epochs, values = zip(*curve, strict=True)
        ax.plot(epochs, values, marker="o", markersize=3, label=str(trial["trial_id"]))
    ax.axhline(SOURCE_RESULTS["best_trial_val_accuracy"], color="0.4", linestyle="--", linewidth=1)
    plots.style_axes(
        ax,
        lang,
        xlabel=_w(lang, "epoch", "دوره"),
        ylabel=_w(lang, "validation accuracy", "دقت اعتبارسنجی"),
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
    _localize_ticks(ax, lang)
    plots.legend(ax, lang, title=_w(lang, "trial", "آزمایش"), fontsize="small")
    fig.tight_layout()
    return fig
