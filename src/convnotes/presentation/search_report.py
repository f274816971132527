"""The recorded full-scale search, as the tuning-cifar chapter shows it, in English or Persian.

Everything here renders a run record written by ``convnotes tune`` (finished or, with
``--record-only``, as it stood): the best trials next to the course material's best
one, the validation curves of the best configurations across their Hyperband rounds,
and a one-line account of how far the search got.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from convnotes.i18n import Text, check_language, format_number, words
from convnotes.presentation import plots
from convnotes.presentation.tables import Cell, escape, html_table
from convnotes.presentation.tuning import _localize_ticks, format_value
from convnotes.source import BEST_HYPERPARAMETERS, SOURCE_RESULTS
from convnotes.tuning import records

HYPERPARAMETERS = ("conv_layers", "dense_layers", "units", "filters", "learning_rate", "optimizer")


#: The words of :func:`progress_text`; the numbers in it are written in the page's digits.
PROGRESS_WORDS: Mapping[str, Text] = {
    "finished": Text("finished", "کامل"),
    "partial": Text("partial", "ناتمام"),
    "progress": Text(
        "{state}: {done} of {planned} trials completed, "
        "{epochs} of {planned_epochs} epochs, {hours} hours of training",
        "{state}: {done} آزمایش از {planned} آزمایش تمام شده، "
        "{epochs} دوره از {planned_epochs} دوره، {hours} ساعت آموزش",
    ),
}


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

    state = PROGRESS_WORDS["finished" if record.get("finished") else "partial"]
    return PROGRESS_WORDS["progress"][lang].format(
        state=state[lang],
        done=n(done),
        planned=n(planned),
        epochs=n(epochs),
        planned_epochs=n(planned_epochs),
        hours=hours,
    )


def top_table_html(record: Mapping[str, Any], lang: str, k: int = 10) -> str:
    """The ``k`` best trials of the record and, in the last row, the course's best trial."""
    check_language(lang)
    direction = record["objective"]["direction"]
    top = records.top_trials(record["trials"], direction, k=k)
    tested = record.get("test_scores", {}).get("accuracy")
    headers = [
        words(lang, "Rank", "رتبه"),
        words(lang, "Trial", "آزمایش"),
        words(lang, "Val. accuracy", "دقت اعتبارسنجی"),
        *([words(lang, "Test accuracy", "دقت آزمون")] if tested else []),
        words(lang, "Epochs", "دوره‌ها"),
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
            Cell(escape(words(lang, "course material", "درس‌نامه"))),  # words, not code
            format_number(SOURCE_RESULTS["best_trial_val_accuracy"], lang, 4),
            *(["—"] if tested else []),
            format_number(10, lang),
            *(format_value(BEST_HYPERPARAMETERS[h], "en") for h in HYPERPARAMETERS),
        ]
    )
    first = 5 if tested else 4
    code = tuple(range(first, first + len(HYPERPARAMETERS)))
    return html_table(headers, rows, lang, code_columns=(1, *code))


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
        xlabel=words(lang, "epoch", "دوره"),
        ylabel=words(lang, "validation accuracy", "دقت اعتبارسنجی"),
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
    _localize_ticks(ax, lang)
    plots.legend(ax, lang, title=words(lang, "trial", "آزمایش"), fontsize="small")
    fig.tight_layout()
    return fig


def trained_table_html(
    search: Mapping[str, Any],
    source_run: Mapping[str, Any],
    searched_run: Mapping[str, Any],
    lang: str,
) -> str:
    """Each search's winner trained in full: the course's, ours of the course's, ours of ours.

    One row each for the course material's best trial as the course reports it, our
    ``convnotes train --profile full`` run of that configuration (``source_run``), and
    the same run of the best trial of ``search`` (``searched_run``): the validation
    accuracy that chose the configuration and after how many epochs, the model's
    parameters, and its training and test accuracy after the full training.

    Raises ``ValueError`` naming ``searched_run`` when that run did not train the best
    configuration of ``search``.
    """
    check_language(lang)
    best = records.best_trial(search["trials"], search["objective"]["direction"])
    trained = searched_run["config"]["hyperparameters"]
    if {h: trained.get(h) for h in HYPERPARAMETERS} != {
        h: best["hyperparameters"].get(h) for h in HYPERPARAMETERS
    }:
        raise ValueError(
            f"searched_run trained {trained}, not the best trial of the search "
            f"({best['trial_id']}: {best['hyperparameters']})"
        )

    def number(value: float | int | None, digits: int = 4) -> str:
        return "—" if value is None else format_number(value, lang, digits)

    def row(label: Text, val: float | None, epochs: int | None, run: Mapping[str, Any],
            train: float, test: float) -> list[Any]:  # fmt: skip
        return [
            Cell(escape(label[lang])),
            number(val),
            number(epochs, 0),
            format_number(run["model"]["parameters"], lang),
            number(train),
            number(test),
        ]

    def accuracies(run: Mapping[str, Any]) -> tuple[float, float]:
        return run["metrics"]["train"]["accuracy"], run["metrics"]["test"]["accuracy"]

    headers = [
        words(lang, "Configuration, training", "پیکربندی، آموزش"),
        words(lang, "Val. accuracy in the search", "دقت اعتبارسنجی در جست‌وجو"),
        words(lang, "Epochs in the search", "دوره‌ها در جست‌وجو"),
        words(lang, "Parameters", "پارامترها"),
        words(lang, "Training accuracy", "دقت آموزش"),
        words(lang, "Test accuracy", "دقت آزمون"),
    ]
    rows = [
        row(  # the course's model is the configuration of source_run: the same parameters
            Text("course's best trial, the course's run", "بهترین آزمایش درس‌نامه، اجرای درس‌نامه"),
            SOURCE_RESULTS["best_trial_val_accuracy"],
            10,
            source_run,
            SOURCE_RESULTS["train_accuracy"],
            SOURCE_RESULTS["test_accuracy"],
        ),
        row(
            Text("course's best trial, our run", "بهترین آزمایش درس‌نامه، اجرای ما"),
            None,
            None,
            source_run,
            *accuracies(source_run),
        ),
        row(
            Text(
                f"our best trial ({best['trial_id']}), our run",
                f"بهترین آزمایش ما ({best['trial_id']})، اجرای ما",
            ),
            best["score"],
            best["hyperband"].get("epochs", best.get("epochs")),
            searched_run,
            *accuracies(searched_run),
        ),
    ]
    return html_table(headers, rows, lang)
