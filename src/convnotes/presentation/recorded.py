"""Recorded runs: full-scale CIFAR-10 results, rendered from their JSON records.

The book executes the quick profile live. The source material's full protocol (50,000
training images, 50 epochs) takes hours on a CPU, so it is run with
``convnotes train --profile full --out results/NAME.json`` and the chapter renders the
record that command wrote: the comparison with the source material, the learning
curves and the provenance (command, commit, machine, data and its caveat). Nothing here
computes a result; everything shown is read from the record.

Examples
--------
>>> record = example_record()
>>> [(name, reference, round(value, 4)) for name, reference, value in comparison_rows(record)]
... # doctest: +NORMALIZE_WHITESPACE
[('train_accuracy', 0.9442, 0.95), ('train_loss', 0.2014, 0.15),
 ('test_accuracy', 0.7962, 0.78), ('test_loss', 0.6705, 0.8)]
>>> points_from_reference(record)
-1.62
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from convnotes.i18n import Text, check_language, format_number, localize_digits
from convnotes.runrecord import TRAIN_KIND, load_record
from convnotes.source import BEST_HYPERPARAMETERS, SOURCE_RESULTS

#: Keys every run record written by ``convnotes train`` has.
RECORD_KEYS: tuple[str, ...] = ("kind", "config", "metrics", "history", "provenance")
#: The rows of the comparison: (record split, metric, key in ``SOURCE_RESULTS``).
COMPARED: tuple[tuple[str, str, str], ...] = (
    ("train", "accuracy", "train_accuracy"),
    ("train", "loss", "train_loss"),
    ("test", "accuracy", "test_accuracy"),
    ("test", "loss", "test_loss"),
)
_ROW_NAMES: Mapping[str, Text] = MappingProxyType(
    {
        "train_accuracy": Text("Training accuracy", "دقت روی دادهٔ آموزش"),
        "train_loss": Text("Training loss", "اتلاف روی دادهٔ آموزش"),
        "test_accuracy": Text("Test accuracy", "دقت آزمون"),
        "test_loss": Text("Test loss", "اتلاف آزمون"),
    }
)
#: The words of the comparison table and of the provenance list.
_WORDS: Mapping[str, Text] = MappingProxyType(
    {
        "metric": Text("Metric", "سنجه"),
        "source": Text("Source material", "درس‌نامه"),
        "recorded": Text("Recorded run", "اجرای ثبت‌شده"),
        "difference": Text("Difference", "تفاوت"),
        "command": Text("Command", "فرمان"),
        "commit": Text("Commit", "کامیت"),
        "created": Text("Recorded on", "تاریخ ثبت"),
        "hardware": Text("Hardware", "سخت‌افزار"),
        "cores": Text(", {cores} cores", "، {cores} هسته"),
        "profile": Text("Profile", "پیکربندی"),
        "sizes": Text(
            "{train} training and {test} test images, {epochs} epochs, batch {batch}",
            "{train} تصویر آموزشی و {test} تصویر آزمون، {epochs} دوره، دسته‌های {batch}تایی",
        ),
        "options": Text("Options", "گزینه‌ها"),
        "no_options": Text("none: the source's model and training", "هیچ: همان مدل و آموزش منبع"),
        "seed": Text("Seed", "بذر"),
        "precision": Text("Precision", "قالب عددی"),
        "time": Text("Training time", "زمان آموزش"),
        "hours": Text("{hours} h", "{hours} ساعت"),
        "data": Text("Data", "داده"),
        "jpeg": Text(
            "most pixels are JPEG-derived: comparable to, not identical with, the "
            "official CIFAR-10",
            "بیشتر پیکسل‌ها از نسخه‌ای JPEG بازسازی شده‌اند: قابل مقایسه با CIFAR-10 رسمی، "
            "نه یکسان با آن",
        ),
        "record": Text("Record", "پروندهٔ ثبت"),
    }
)
#: The sentences of :func:`reference_verdict` and :func:`target_verdict`; the numbers
#: in them are already written in the page's digits.
_VERDICTS: Mapping[str, Text] = MappingProxyType(
    {
        "below": Text("below", "کمتر"),
        "above": Text("above", "بیشتر"),
        "head": Text(
            "That is {size} percentage points {side} the source's {expected}",
            "این دقت {size} واحد درصد {side} از {expected} منبع است",
        ),
        "within": Text(
            "{head}, within the {tolerance} points that JPEG-derived pixels and a "
            "different seed can explain.",
            "{head}، یعنی در همان {tolerance} واحدی که "
            "پیکسل‌های بازسازی‌شده از JPEG و بذر متفاوت توضیح می‌دهند.",
        ),
        "beyond": Text(
            "{head}, more than the {tolerance} points that JPEG-derived pixels and a "
            "different seed would explain; the provenance above lists how this run differs.",
            "{head}، بیش از {tolerance} واحدی که پیکسل‌های "
            "بازسازی‌شده از JPEG و بذر متفاوت توضیح می‌دهند؛ خاستگاه اجرا در بالا "
            "تفاوت‌های این اجرا با اجرای منبع را نشان می‌دهد.",
        ),
        "passed": Text(
            "The target was {goal}: the run passed it by {points} percentage points.",
            "هدف {goal} بود و اجرا {points} واحد درصد از آن بالاتر رفت.",
        ),
        "short": Text(
            "The target was {goal}: the run fell short by {points} percentage points.",
            "هدف {goal} بود و اجرا {points} واحد درصد به آن نرسید.",
        ),
    }
)


def load_run_record(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check a ``convnotes train`` run record.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not JSON, is not a training record, or lacks the metrics the book
        shows (training and test accuracy and loss).
    """
    record = load_record(path, kind=TRAIN_KIND)
    missing = [key for key in RECORD_KEYS if key not in record]
    if missing:
        raise ValueError(f"path: {path} is not a run record (missing {', '.join(missing)})")
    for split, metric, _ in COMPARED:
        value = record["metrics"].get(split, {}).get(metric)
        if not isinstance(value, (int, float)):
            raise ValueError(f"path: {path} has no number for metrics.{split}.{metric}")
    return record


def comparison_rows(
    record: dict[str, Any], reference: dict[str, float] = SOURCE_RESULTS
) -> list[tuple[str, float, float]]:
    """``(name, reference value, recorded value)`` for training/test accuracy and loss."""
    return [
        (key, float(reference[key]), float(record["metrics"][split][metric]))
        for split, metric, key in COMPARED
    ]


def points_from_reference(
    record: dict[str, Any], reference: dict[str, float] = SOURCE_RESULTS
) -> float:
    """Recorded test accuracy minus the reference's, in percentage points (2 decimals)."""
    recorded = float(record["metrics"]["test"]["accuracy"])
    return round(100 * (recorded - reference["test_accuracy"]), 2)


def training_hours(record: dict[str, Any]) -> float:
    """Hours spent in the epochs themselves, summed over every resumption of the run."""
    seconds = record["history"].get("seconds") or []
    if seconds:
        return sum(seconds) / 3600
    return float(record.get("wall_time_s") or 0.0) / 3600


def comparison_table_html(
    record: dict[str, Any], lang: str, reference: dict[str, float] = SOURCE_RESULTS
) -> Any:
    """The source material's numbers next to the recorded run's, as an HTML table."""
    from IPython.display import HTML

    from convnotes.presentation.tables import html_table

    check_language(lang)
    head = [_WORDS[key][lang] for key in ("metric", "source", "recorded", "difference")]
    rows = [
        [
            _ROW_NAMES[key][lang],
            format_number(expected, lang, 4),
            format_number(got, lang, 4),
            localize_digits(f"{got - expected:+.4f}", lang),
        ]
        for key, expected, got in comparison_rows(record, reference)
    ]
    return HTML(html_table(head, rows, lang))


def provenance_html(record: dict[str, Any], lang: str, link: str | None = None) -> Any:
    """Where the recorded numbers came from: a labelled description list.

    ``link`` (for example the record's URL in the repository) is shown as the source of
    the numbers.
    """
    from IPython.display import HTML

    check_language(lang)
    words = {key: text[lang] for key, text in _WORDS.items()}
    prov = record["provenance"]
    config = record["config"]
    machine = prov.get("machine", {})
    gpus = ", ".join(g.get("device_name") or g.get("name", "") for g in machine.get("gpus", []))
    hardware = machine.get("cpu", "")
    if machine.get("cpu_count"):
        hardware += words["cores"].format(cores=format_number(machine["cpu_count"], lang))
    if gpus:
        hardware += f"; {gpus}"
    git = prov.get("git") or {}
    commit = git.get("commit", "")[:12] + (" (dirty)" if git.get("dirty") else "")
    data = prov.get("data", {})
    caveat = ""
    if data.get("jpeg_derived"):
        caveat = words["jpeg"]
    hours = training_hours(record)
    rows = [
        (words["command"], f"<code>{html.escape(prov.get('command', ''))}</code>"),
        (words["commit"], f"<code>{html.escape(commit)}</code>"),
        (words["created"], html.escape(prov.get("created", ""))),
        (words["hardware"], html.escape(hardware)),
        (words["profile"], html.escape(_profile_text(config, lang))),
        (words["options"], _options_html(config, lang)),
        (words["seed"], html.escape(localize_digits(str(prov.get("seed", "")), lang))),
        (words["precision"], f"<code>{html.escape(str(config.get('precision')))}</code>"),
        (words["time"], html.escape(words["hours"].format(hours=format_number(hours, lang, 1)))),
        (
            words["data"],
            html.escape(_data_text(data, lang)) + (f" ({caveat})" if caveat else ""),
        ),
    ]
    if link:
        rows.append((words["record"], f'<a href="{html.escape(link)}">{html.escape(link)}</a>'))
    items = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    direction = "rtl" if lang == "fa" else "ltr"
    label = words["recorded"]
    return HTML(
        f'<div class="cn-recorded" lang="{lang}" dir="{direction}"><p><strong>{label}</strong></p>'
        f"<dl>{items}</dl></div>"
    )


def _profile_text(config: dict[str, Any], lang: str) -> str:
    sizes, epochs, batch = config.get("sizes"), config.get("epochs"), config.get("batch_size")
    if not (isinstance(sizes, dict) and epochs and batch):
        return str(config.get("profile_description", config.get("profile", "")))
    numbers = {"train": sizes.get("train", 0), "test": sizes.get("test", 0)}
    numbers.update(epochs=epochs, batch=batch)
    return _WORDS["sizes"][lang].format(**{k: format_number(v, lang) for k, v in numbers.items()})


def run_options(config: dict[str, Any]) -> list[str]:
    """The command-line options that change the source's model or training, as recorded.

    >>> run_options({"augment": True, "batch_norm": False, "lr_schedule": "cosine"})
    ['--augment', '--lr-schedule cosine']
    >>> run_options({})
    []
    >>> run_options({"hyperparameters": dict(BEST_HYPERPARAMETERS, filters=16)})
    ['--hyperparameters-from']
    """
    options = []
    hyperparameters = config.get("hyperparameters")
    if hyperparameters is not None and dict(hyperparameters) != BEST_HYPERPARAMETERS:
        options.append("--hyperparameters-from")
    if config.get("augment"):
        options.append("--augment")
    if config.get("batch_norm"):
        options.append("--batch-norm")
    if config.get("lr_schedule", "constant") != "constant":
        options.append(f"--lr-schedule {config['lr_schedule']}")
    return options


def _options_html(config: dict[str, Any], lang: str) -> str:
    options = run_options(config)
    if not options:
        return html.escape(_WORDS["no_options"][lang])
    return " ".join(f"<code>{html.escape(option)}</code>" for option in options)


def _data_text(data: dict[str, Any], lang: str) -> str:
    if lang == "en" or not data.get("name"):
        return str(data.get("source", ""))
    files = len(data.get("checksums_sha256") or {})
    text = str(data["name"])
    if files:
        text += f"، {format_number(files, 'fa')} پرونده با چکیدهٔ SHA-256 در پروندهٔ ثبت"
    return text


def reference_verdict(
    record: dict[str, Any],
    lang: str,
    reference: dict[str, float] = SOURCE_RESULTS,
    tolerance: float = 2.0,
) -> str:
    """One sentence: how far the recorded test accuracy is from the reference's.

    Within ``tolerance`` percentage points the difference is what the data caveat
    (JPEG-derived pixels) and a different seed can explain; beyond it, it is not.

    >>> reference_verdict(example_record(), "en")  # doctest: +ELLIPSIS
    "That is 1.62 percentage points below the source's 0.7962, within the 2 points ..."
    """
    check_language(lang)
    points = points_from_reference(record, reference)
    expected = format_number(reference["test_accuracy"], lang, 4)
    size = format_number(abs(points), lang, 2)
    side = _VERDICTS["below" if points < 0 else "above"][lang]
    head = _VERDICTS["head"][lang].format(size=size, side=side, expected=expected)
    verdict = _VERDICTS["within" if abs(points) <= tolerance else "beyond"]
    return verdict[lang].format(head=head, tolerance=localize_digits(f"{tolerance:g}", lang))


def target_verdict(record: dict[str, Any], lang: str, target: float) -> str:
    """One sentence: whether the recorded test accuracy reached ``target``.

    >>> target_verdict(example_record(), "en", 0.85)
    'The target was 0.85: the run fell short by 7.00 percentage points.'
    """
    check_language(lang)
    got = float(record["metrics"]["test"]["accuracy"])
    points = format_number(abs(100 * (got - target)), lang, 2)
    goal = format_number(target, lang, 2)
    return _VERDICTS["passed" if got >= target else "short"][lang].format(goal=goal, points=points)


def plot_recorded_curves(record: dict[str, Any], lang: str) -> Any:
    """The record's per-epoch loss and accuracy (training and held-out), labelled in ``lang``."""
    from convnotes.presentation.training import plot_learning_curves

    history = record["history"]
    held_out = "test" if "test_accuracy" in history else "val"
    return plot_learning_curves(history, lang, validation_name=held_out)


def example_record() -> dict[str, Any]:
    """A small made-up record with the shape ``convnotes train`` writes (for examples)."""
    return {
        "kind": "train",
        "config": {"profile": "full", "precision": "float32"},
        "metrics": {
            "train": {"accuracy": 0.95, "loss": 0.15},
            "test": {"accuracy": 0.7800, "loss": 0.80},
        },
        "history": {
            "epoch": [1, 2],
            "loss": [1.5, 1.1],
            "accuracy": [0.45, 0.61],
            "test_loss": [1.2, 1.0],
            "test_accuracy": [0.57, 0.65],
            "seconds": [1800.0, 1800.0],
        },
        "provenance": {"command": "convnotes train --profile full", "created": "2026-11-28"},
    }
