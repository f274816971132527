"""Figures and tables of the tuning chapters, in English or Persian.

Every function takes ``lang`` ("en" or "fa") and draws only what it is given:
the numbers come from executed searches, oracle runs and schedules.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from convnotes.i18n import Text, check_language, format_number, localize_digits, words
from convnotes.presentation import plots
from convnotes.presentation.tables import html_table
from convnotes.tuning.schedule import HyperbandSchedule

TUNER_LABELS = {
    "random": "RandomSearch",
    "grid": "GridSearch",
    "hyperband": "Hyperband",
    "bayesian": "BayesianOptimization",
    "sklearn": "SklearnTuner",
    "custom": "CustomTrainingTuner",
}


def format_value(value: Any, lang: str) -> str:
    """A hyperparameter value as a short string (floats to 3 significant digits)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.3g}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        return str(value)
    return localize_digits(text, lang)


def _number(value: float | int | None, lang: str, decimals: int | None = None) -> str:
    if value is None:
        return "—"
    return format_number(value, lang, decimals)


def signed_number(value: float, lang: str, decimals: int = 3) -> str:
    """``value`` with its sign always written (``+0.015``, ``−0.020``), Persian digits for fa.

    In Persian the number is wrapped in a left-to-right isolate, so the sign stays on
    its left inside right-to-left text.

    Examples
    --------
    >>> signed_number(0.0151, "en"), signed_number(-0.02, "en")
    ('+0.015', '−0.020')
    >>> signed_number(0.0151, "fa") == "\u2066+۰٫۰۱۵\u2069"
    True
    """
    check_language(lang)
    text = f"{value:+.{decimals}f}".replace("-", "−")
    return text if lang == "en" else "\u2066" + localize_digits(text, lang) + "\u2069"


def _localize_ticks(ax: Any, lang: str, axis: str = "both", fmt: str = "{:g}") -> None:
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: localize_digits(fmt.format(v), lang))
    if axis in ("x", "both"):
        ax.xaxis.set_major_formatter(formatter)
    if axis in ("y", "both"):
        ax.yaxis.set_major_formatter(formatter)


# ----------------------------------------------------------------- hyperparameter types


def tour_table_html(tour: Sequence[Mapping[str, Any]], lang: str) -> str:
    """The hyperparameter tour: declaration, GridSearch's values, random draws."""
    check_language(lang)
    headers = [
        words(lang, "declaration", "تعریف"),
        words(lang, "GridSearch tries", "مقدارهای GridSearch"),
        words(lang, "RandomSearch draws (first 8)", "نمونه‌های RandomSearch (۸ تای اول)"),
    ]
    rows = []
    for item in tour:
        grid = item["grid"]
        grid_text = ", ".join(format_value(v, "en") for v in grid[:6])
        if len(grid) > 6:
            grid_text += f", … ({len(grid)})"
        rows.append(
            [
                item["declaration"],
                grid_text,
                ", ".join(format_value(v, "en") for v in item["samples"]),
            ]
        )
    return html_table(headers, rows, lang, code_columns=(0, 1, 2))


def sampling_figure(
    samples: Mapping[str, Sequence[float]], low: float, high: float, lang: str
) -> Any:
    """Histograms of Float draws for each sampling rule, on a logarithmic axis."""
    import matplotlib.pyplot as plt
    import numpy as np

    check_language(lang)
    fig, axes = plt.subplots(
        1, len(samples), figsize=(3.2 * len(samples), 2.8), sharey=True, layout="constrained"
    )
    bins = np.logspace(math.log10(low), math.log10(high), 25)
    for ax, (rule, values) in zip(np.atleast_1d(axes), samples.items(), strict=True):
        ax.hist(values, bins=bins, color="#0b7285", alpha=0.85)
        ax.set_xscale("log")
        ax.set_xticks([10.0**k for k in range(round(math.log10(low)), round(math.log10(high)) + 1)])
        _localize_ticks(ax, lang, "x", "{:g}")
        _localize_ticks(ax, lang, "y", "{:.0f}")
        plots.style_axes(
            ax,
            lang,
            title=f"sampling={rule!r}",
            xlabel=words(lang, "value (log scale)", "مقدار (مقیاس لگاریتمی)"),
        )
    plots.style_axes(
        np.atleast_1d(axes)[0],
        lang,
        ylabel=words(
            lang,
            f"draws out of {len(next(iter(samples.values())))}",
            f"تعداد از {format_number(len(next(iter(samples.values()))), 'fa')} نمونه",
        ),
    )
    return fig


# ----------------------------------------------------------------- tuner comparison


def comparison_table_html(rows: Sequence[Mapping[str, Any]], lang: str) -> str:
    """One row per tuner: best score, trials, epochs, trial time, wall time."""
    check_language(lang)
    headers = [
        words(lang, "tuner", "تنظیم‌گر"),
        words(lang, "best validation accuracy", "بهترین دقت اعتبارسنجی"),
        words(lang, "trials", "آزمایش‌ها"),
        words(lang, "epochs", "دوره‌ها"),
        words(lang, "wall time (s)", "زمان (ثانیه)"),
    ]
    body = []
    for row in rows:
        epochs = row.get("epochs")
        body.append(
            [
                TUNER_LABELS.get(row["tuner"], row["tuner"]),
                _number(row["best"], lang, 3),
                _number(row["trials"], lang),
                words(lang, "— (CV fits: ", "— (برازش‌های اعتبارسنجی متقابل: ")
                + _number(row["fits"], lang)
                + ")"
                if epochs is None
                else _number(epochs, lang),
                _number(row["seconds"], lang, 1),
            ]
        )
    return html_table(headers, body, lang, code_columns=(0,))


def best_so_far_figure(
    curves: Mapping[str, Sequence[Mapping[str, float]]], lang: str, x: str = "epochs"
) -> Any:
    """Best validation accuracy so far against epochs spent, one line per tuner."""
    import matplotlib.pyplot as plt

    check_language(lang)
    fig, ax = plt.subplots(figsize=(6.6, 3.6), layout="constrained")
    markers = iter("osD^vP*X")
    for name, points in curves.items():
        if not points:
            continue
        xs = [0] + [p[x] for p in points]
        ys = [points[0]["best"]] + [p["best"] for p in points]
        ax.step(
            xs[1:],
            ys[1:],
            where="post",
            marker=next(markers),
            markersize=4,
            label=TUNER_LABELS.get(name, name),
        )
    ax.grid(alpha=0.3)
    _localize_ticks(ax, lang, "x", "{:g}")
    _localize_ticks(ax, lang, "y", "{:.2f}")
    plots.style_axes(
        ax,
        lang,
        xlabel=words(lang, "epochs trained so far", "دوره‌های آموزش‌دیده تا این لحظه"),
        ylabel=words(lang, "best validation accuracy so far", "بهترین دقت اعتبارسنجی تا این لحظه"),
    )
    plots.legend(ax, lang, fontsize=8, loc="lower right")
    return fig


# ----------------------------------------------------------------- Hyperband


#: The words of :func:`schedule_table_html`.
SCHEDULE_WORDS: Mapping[str, Text] = {
    "bracket": Text("bracket", "براکت"),
    "round": Text("round", "مرحله"),
    "models": Text("models (trials)", "مدل‌ها (آزمایش‌ها)"),
    "from": Text("from epoch", "از دورهٔ"),
    "to": Text("to epoch", "تا دورهٔ"),
    "trained": Text("epochs trained", "دوره‌های آموزش"),
    "planned": Text("models planned", "مدل‌های برنامه"),
    "ran": Text("models run", "مدل‌های اجراشده"),
    "total": Text("total", "جمع"),
}

#: A column of the schedule table: its key in SCHEDULE_WORDS, its cell of a round, its total.
_Column = tuple[str, Callable[[Any], int | None], int | None]


def _round_key(r: Any) -> tuple[int, int, int, int, int]:
    return (r.iteration, r.bracket, r.round, r.initial_epoch, r.epochs)


def schedule_table_html(
    schedule: HyperbandSchedule, lang: str, ran: HyperbandSchedule | None = None
) -> str:
    """One row per round of ``schedule`` and a row of totals; with ``ran``, its progress.

    Without ``ran`` the columns are bracket, round, models (trials), from epoch, to
    epoch and epochs trained. With ``ran`` (the schedule rebuilt from the completed
    trials by :func:`convnotes.tuning.schedule.schedule_from_trials`) they are bracket,
    round, from epoch, to epoch, models planned and models run: rounds are matched on
    iteration, bracket, round and epochs, and a round that ran but was not planned (a
    different budget) gets a row of its own, with "—" planned, so nothing is hidden.

    Examples
    --------
    >>> from convnotes.tuning.schedule import keras_tuner_schedule, schedule_from_trials
    >>> planned = keras_tuner_schedule(10, 3)
    >>> "<th>epochs trained</th>" in schedule_table_html(planned, "en")
    True
    >>> ran = schedule_from_trials([{"tuner/bracket": 2, "tuner/round": 0,
    ...                              "tuner/epochs": 2, "tuner/initial_epoch": 0}] * 5)
    >>> "<td>5</td>" in schedule_table_html(planned, "en", ran=ran)
    True
    """
    check_language(lang)
    rounds = list(schedule.rounds)
    columns: list[_Column] = [
        ("bracket", lambda r: r.bracket, None),
        ("round", lambda r: r.round, None),
        ("from", lambda r: r.initial_epoch, None),
        ("to", lambda r: r.epochs, None),
    ]
    if ran is None:
        columns[2:2] = [("models", lambda r: r.models, schedule.trials)]
        columns.append(("trained", lambda r: r.epochs_resumed, schedule.epochs))
    else:
        planned = {_round_key(r) for r in schedule.rounds}
        done = {_round_key(r): r.models for r in ran.rounds}
        rounds += [r for r in ran.rounds if _round_key(r) not in planned]
        columns += [
            ("planned", lambda r: r.models if _round_key(r) in planned else None, schedule.trials),
            ("ran", lambda r: done.get(_round_key(r), 0), ran.trials),
        ]
    headers = [SCHEDULE_WORDS[name][lang] for name, _, _ in columns]
    rows = [[_number(cell(r), lang) for _, cell, _ in columns] for r in rounds]
    totals = ["" if total is None else _number(total, lang) for _, _, total in columns[1:]]
    rows.append([SCHEDULE_WORDS["total"][lang], *totals])
    return html_table(headers, rows, lang)


def paper_table_html(schedule: HyperbandSchedule, lang: str) -> str:
    """The paper's layout: one column pair (n_i, r_i) per bracket s, one row per round i."""
    check_language(lang)
    brackets = sorted({r.bracket for r in schedule.rounds}, reverse=True)
    depth = max(r.round for r in schedule.rounds) + 1
    headers = ["i"]
    for s in brackets:
        headers += [f"s={s}: n_i", f"s={s}: r_i"]
    cells = {(r.bracket, r.round): r for r in schedule.rounds}
    rows = []
    for i in range(depth):
        row = [localize_digits(str(i), lang)]
        for s in brackets:
            r = cells.get((s, i))
            row += [_number(r.models, lang), _number(r.epochs, lang)] if r else ["", ""]
        rows.append(row)
    return html_table(headers, rows, lang)


def settings_table_html(rows: Sequence[Mapping[str, Any]], lang: str) -> str:
    """keras-tuner's and the paper's counts for several (max_epochs, factor) settings."""
    check_language(lang)
    headers = [
        "max_epochs = R",
        "factor = η",
        words(lang, "keras-tuner: trials", "keras-tuner: آزمایش‌ها"),
        words(lang, "keras-tuner: configurations", "keras-tuner: پیکربندی‌ها"),
        words(lang, "keras-tuner: epochs", "keras-tuner: دوره‌ها"),
        words(lang, "paper: configurations", "مقاله: پیکربندی‌ها"),
        words(lang, "paper: epochs (resumed)", "مقاله: دوره‌ها (با ادامهٔ آموزش)"),
        words(lang, "real oracle: trials", "oracle واقعی: آزمایش‌ها"),
    ]
    body = [
        [
            _number(r["max_epochs"], lang),
            _number(r["factor"], lang),
            _number(r["kt_trials"], lang),
            _number(r["kt_configurations"], lang),
            _number(r["kt_epochs"], lang),
            _number(r["paper_configurations"], lang),
            _number(r["paper_epochs"], lang),
            _number(r["oracle_trials"], lang),
        ]
        for r in rows
    ]
    return html_table(headers, body, lang)


def hyperband_timeline_figure(schedule: HyperbandSchedule, lang: str) -> Any:
    """Every trial of a schedule as a bar from its first to its last epoch."""
    import matplotlib.pyplot as plt

    check_language(lang)
    fig, ax = plt.subplots(figsize=(6.6, 0.16 * schedule.trials + 1.3), layout="constrained")
    colors = ["#0b7285", "#e8590c", "#5f3dc4", "#2b8a3e", "#c2255c", "#495057"]
    y = 0
    seen = set()
    for r in schedule.rounds:
        color = colors[r.bracket % len(colors)]
        label = None
        if (r.iteration, r.bracket) not in seen:
            seen.add((r.iteration, r.bracket))
            if not r.iteration:
                label = words(
                    lang, f"bracket {r.bracket}", f"براکت {localize_digits(str(r.bracket), 'fa')}"
                )
        for _ in range(r.models):
            ax.barh(
                y,
                r.epochs - r.initial_epoch,
                left=r.initial_epoch,
                height=0.75,
                color=color,
                alpha=0.9 if r.round else 0.55,
                label=label,
            )
            label = None
            y += 1
    ax.invert_yaxis()
    ax.set_yticks([])
    ax.grid(axis="x", alpha=0.3)
    _localize_ticks(ax, lang, "x", "{:g}")
    plots.style_axes(
        ax,
        lang,
        xlabel=words(lang, "epoch", "دوره"),
        ylabel=words(lang, "trials, in the order they run", "آزمایش‌ها به ترتیب اجرا"),
    )
    plots.legend(ax, lang, fontsize=8, loc="lower right")
    return fig


# ----------------------------------------------------------------- memory, trials


def memory_figure(series: Mapping[str, Sequence[float]], lang: str) -> Any:
    """Resident memory after each trial, one line per variant (MiB)."""
    import matplotlib.pyplot as plt

    check_language(lang)
    fig, ax = plt.subplots(figsize=(6.6, 3.2), layout="constrained")
    for (label, values), marker in zip(series.items(), "os^D", strict=False):
        ax.plot(range(1, len(values) + 1), values, marker=marker, markersize=4, label=label)
    ax.grid(alpha=0.3)
    _localize_ticks(ax, lang, "x", "{:g}")
    _localize_ticks(ax, lang, "y", "{:.0f}")
    plots.style_axes(
        ax,
        lang,
        xlabel=words(lang, "trial", "آزمایش"),
        ylabel=words(lang, "resident memory (MiB)", "حافظهٔ مقیم (MiB)"),
    )
    plots.legend(ax, lang, fontsize=8)
    return fig


TRIAL_COLUMNS: Mapping[str, Text] = {
    "trial_id": Text("trial", "آزمایش"),
    "tuner_id": Text("worker", "کارگر"),
    "status": Text("status", "وضعیت"),
    "runs": Text("executions", "اجراها"),
    "score": Text("score", "امتیاز"),
    "epochs": Text("epochs", "دوره‌ها"),
    "bracket": Text("tuner/bracket", "tuner/bracket"),
    "round": Text("tuner/round", "tuner/round"),
    "from": Text("from epoch", "از دورهٔ"),
    "to": Text("to epoch", "تا دورهٔ"),
}


def trials_table_html(
    trials: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    lang: str,
    hyperparameters: Sequence[str] = (),
) -> str:
    """Selected columns of trial records (see :func:`convnotes.tuning.records.read_trials`)."""
    check_language(lang)
    headers = [TRIAL_COLUMNS[c][lang] for c in columns] + list(hyperparameters)
    body = []
    for t in trials:
        row = []
        for c in columns:
            hb = t.get("hyperband", {})
            value = {
                "runs": len(t["runs"]),
                "bracket": hb.get("bracket"),
                "round": hb.get("round"),
                "from": hb.get("initial_epoch"),
                "to": hb.get("epochs"),
            }.get(c, t.get(c))
            if c == "score" and value is not None:
                row.append(_number(value, lang, 3))
            elif isinstance(value, int) and not isinstance(value, bool):
                row.append(_number(value, lang))
            else:
                row.append("—" if value is None else str(value))
        row += [format_value(t["hyperparameters"].get(h), "en") for h in hyperparameters]
        body.append(row)
    code = tuple(range(len(columns), len(columns) + len(hyperparameters)))
    return html_table(headers, body, lang, code_columns=code)


# ----------------------------------------------------------------- choosing a tuner

#: For each oracle: cost of one trial, the search space, whether early epochs must rank
#: models well, parallel trials, and when to choose it; English then Persian.
TUNER_CHOICE: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "random",
        (
            "any",
            "any size and kind, conditional included",
            "not needed",
            "fully: trials are independent",
            "by default; a few dozen trials when only a few hyperparameters matter",
        ),
        (
            "هر اندازه",
            "هر اندازه و هر گونه، شرطی هم",
            "لازم نیست",
            "کامل: آزمایش‌ها مستقل‌اند",
            "به‌طور پیش‌فرض؛ چند ده آزمایش وقتی فقط چند ابرپارامتر مهم‌اند",
        ),
    ),
    (
        "grid",
        (
            "cheap",
            "a few hyperparameters with a handful of values each",
            "not needed",
            "fully",
            "every combination must be seen, as in a final comparison of a few settings",
        ),
        (
            "ارزان",
            "چند ابرپارامتر، هر کدام با چند مقدار",
            "لازم نیست",
            "کامل",
            "باید همهٔ ترکیب‌ها دیده شوند، مثل مقایسهٔ پایانی چند تنظیم",
        ),
    ),
    (
        "hyperband",
        (
            "high, and growing with the epochs",
            "any (random draws)",
            "required",
            "within a round; promotions wait for part of it",
            "many configurations can be started and poor ones look poor after a few epochs",
        ),
        (
            "زیاد و رو به افزایش با دوره‌ها",
            "هر فضایی (نمونه‌های تصادفی)",
            "لازم است",
            "درون هر مرحله؛ ارتقا منتظر بخشی از مرحله می‌ماند",
            "می‌توان پیکربندی‌های زیادی را شروع کرد و بدها پس از چند دوره پیدا هستند",
        ),
    ),
    (
        "bayesian",
        (
            "very high (minutes to hours)",
            "a few hyperparameters, mostly continuous",
            "not needed",
            "poorly: each proposal should see every earlier score",
            "trials are so expensive that a model of the score pays for itself",
        ),
        (
            "خیلی زیاد (دقیقه‌ها تا ساعت‌ها)",
            "چند ابرپارامتر، بیشتر پیوسته",
            "لازم نیست",
            "ضعیف: هر پیشنهاد باید همهٔ امتیازهای پیشین را ببیند",
            "آزمایش‌ها آن‌قدر گران‌اند که مدلی از امتیاز هزینهٔ خودش را درمی‌آورد",
        ),
    ),
)


def tuner_choice_table_html(lang: str) -> str:
    """Which of Keras Tuner's oracles to choose, against the four questions that decide it.

    One row per oracle of :data:`TUNER_CHOICE` (cost of a trial, search space, whether
    early epochs must rank models well, parallel trials, when to choose it).

    Examples
    --------
    >>> html = tuner_choice_table_html("en")
    >>> html.count("<tr>") - 1, "Hyperband" in html
    (4, True)
    """
    check_language(lang)
    headers = [
        words(lang, "tuner", "تنظیم‌گر"),
        words(lang, "cost of one trial", "هزینهٔ یک آزمایش"),
        words(lang, "search space", "فضای جست‌وجو"),
        words(lang, "early epochs must rank models well", "رتبهٔ دوره‌های نخست باید درست باشد"),
        words(lang, "trials in parallel", "آزمایش‌های موازی"),
        words(lang, "choose it when", "کی انتخابش کنیم"),
    ]
    rows = [
        [TUNER_LABELS[name], *(Text(en, fa)[lang] for en, fa in zip(english, persian, strict=True))]
        for name, english, persian in TUNER_CHOICE
    ]
    return html_table(headers, rows, lang, code_columns=(0,))


# ----------------------------------------------------------------- selection bias


def selection_table_html(rows: Sequence[Mapping[str, Any]], lang: str) -> str:
    """Selection gaps for several validation-set sizes, one row each.

    Each row has ``validation`` and ``held_out`` (image counts), ``best``, ``top3`` and
    ``all`` (mean of validation minus held-out accuracy for the top trial, the top
    three and all trials, over the resampled draws), and ``optimistic`` (the share of
    draws in which the top trial scored higher on validation).

    Examples
    --------
    >>> row = {"validation": 150, "held_out": 449, "best": 0.0151, "top3": 0.004,
    ...        "all": 0.0, "optimistic": 0.75}
    >>> "+0.015" in selection_table_html([row], "en")
    True
    """
    check_language(lang)
    headers = [
        words(lang, "validation images", "تصویرهای اعتبارسنجی"),
        words(lang, "held-out images", "تصویرهای کنارگذاشته"),
        words(lang, "best trial: validation − held-out", "بهترین آزمایش: اعتبارسنجی − کنارگذاشته"),
        words(lang, "top three", "سه آزمایش برتر"),
        words(lang, "all trials", "همهٔ آزمایش‌ها"),
        words(
            lang, "draws where the best looks better", "نمونه‌هایی که بهترین در آن‌ها بهتر می‌نماید"
        ),
    ]

    def signed(value: float) -> str:
        return signed_number(value, lang, 3)

    body = [
        [
            _number(row["validation"], lang),
            _number(row["held_out"], lang),
            signed(row["best"]),
            signed(row["top3"]),
            signed(row["all"]),
            _number(100 * row["optimistic"], lang, 0) + Text("%", "٪")[lang],
        ]
        for row in rows
    ]
    return html_table(headers, body, lang)


def executions_table_html(trials: Iterable[Mapping[str, Any]], lang: str) -> str:
    """One row per execution of each trial: epochs run and best validation accuracy.

    ``trials`` are records of :func:`convnotes.tuning.records.read_trials`; the trial's
    score (the mean of its executions' best epochs) is repeated on its first row.
    """
    from convnotes.tuning.records import executions

    check_language(lang)
    headers = [
        words(lang, "trial", "آزمایش"),
        words(lang, "execution", "اجرا"),
        words(lang, "epochs run", "دوره‌های اجراشده"),
        words(lang, "best validation accuracy", "بهترین دقت اعتبارسنجی"),
        words(lang, "trial score", "امتیاز آزمایش"),
    ]
    rows = []
    for trial in trials:
        for index, run in enumerate(executions(trial.get("history") or []), start=1):
            best = max(entry["val_accuracy"] for entry in run)
            rows.append(
                [
                    str(trial["trial_id"]) if index == 1 else "",
                    _number(index, lang),
                    _number(len(run), lang),
                    _number(best, lang, 3),
                    _number(trial["score"], lang, 3) if index == 1 else "",
                ]
            )
    return html_table(headers, rows, lang)
