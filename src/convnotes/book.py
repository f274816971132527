"""Helpers for the book's code cells.

A chapter's code cells are identical in both languages, so jupyter-cache runs
them once for both pages. Anything that carries words (a figure's labels, a
table's headers) is therefore made once per language and *glued* under
``NAME-en`` and ``NAME-fa``; each page shows its own with
``{glue:figure} NAME-fa`` or ``{glue} NAME-en``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from convnotes.i18n import LANGUAGES

#: Set by the first cell of a notebook downloaded from the book: the reader's language.
#: Jupyter does not render glued outputs, so that language's objects are also displayed.
NOTEBOOK_LANG_ENV = "CONVNOTES_NOTEBOOK_LANG"


def glue_by_language(name: str, make: Callable[[str], Any]) -> None:
    """Build ``make(lang)`` for every book language and glue each as ``{name}-{lang}``.

    Matplotlib figures are closed after gluing so they are not displayed twice.
    In a notebook whose environment sets ``CONVNOTES_NOTEBOOK_LANG`` (the downloaded
    notebooks do), the object of that language is displayed as an ordinary output
    (unless it is a bare string or number, which the notebook's prose already shows).
    Returns nothing, so a call that ends a code cell adds no stray output (such as
    ``{'en': <Figure size ...>, 'fa': ...}``) to the page.
    """
    from myst_nb import glue

    shown = os.environ.get(NOTEBOOK_LANG_ENV)
    for lang in LANGUAGES:
        obj = make(lang)
        glue(f"{name}-{lang}", obj, display=False)
        if lang == shown and not isinstance(obj, (str, int, float)):
            from IPython.display import display

            display(obj)
        _close_if_figure(obj)


def glue_value(name: str, value: Any) -> None:
    """Glue a language-neutral value (a number, a short code string) as ``name``."""
    from myst_nb import glue

    glue(name, value, display=False)


def _close_if_figure(obj: Any) -> None:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return
    if isinstance(obj, Figure):
        import matplotlib.pyplot as plt

        plt.close(obj)


# Latin runs in the Persian names sit in left-to-right isolates (U+2066 ... U+2069), so
# their brackets do not mirror inside a right-to-left cell.
_DEFECT_NAMES = {
    "conv3d_same_negative": (
        "Conv3D, padding same, stride 3 over 3 samples",
        "\u2066Conv3D\u2069، حاشیه‌گذاری \u2066same\u2069، گام ۳ روی ۳ نمونه",
    ),
    "maxpool3d_same_negative": (
        "MaxPooling3D, padding same, stride 3 over 3 samples",
        "\u2066MaxPooling3D\u2069، حاشیه‌گذاری \u2066same\u2069، گام ۳ روی ۳ نمونه",
    ),
    "avgpool3d_same_negative": (
        "AveragePooling3D, padding same, stride 3 over 3 samples",
        "\u2066AveragePooling3D\u2069، حاشیه‌گذاری \u2066same\u2069، گام ۳ روی ۳ نمونه",
    ),
    "conv2d_single_channel_strided": (
        "Conv2D, one channel, stride 2 along the width, padding same",
        "\u2066Conv2D\u2069 تک‌کاناله، گام ۲ در پهنا، حاشیه‌گذاری \u2066same\u2069",
    ),
    "adaptive_max_pooling_width_1": (
        "AdaptiveMaxPooling2D((2, 1)) on a 6×6 map",
        "\u2066AdaptiveMaxPooling2D((2, 1))\u2069 روی نقشهٔ ۶×۶",
    ),
}


def _numbers(values: list[float], lang: str) -> str:
    from convnotes.i18n import localize_digits

    separator = ", " if lang == "en" else "، "
    return localize_digits(separator.join(f"{v:g}" for v in values), lang)


def _defect_outcome(outcome: dict[str, Any], lang: str) -> str:
    if outcome["crashed"]:
        return (
            f"killed ({outcome['crashed']})" if lang == "en" else f"کشته شد ({outcome['crashed']})"
        )
    if outcome["agrees"]:
        return "right" if lang == "en" else "درست"
    keras, reference = _numbers(outcome["keras"], lang), _numbers(outcome["reference"], lang)
    if lang == "en":
        return f"wrong: {keras}, not {reference}"
    return f"نادرست: {keras} به جای {reference}"


def defects_html(observed: dict[str, dict[str, Any]], lang: str) -> Any:
    """The table of :func:`convnotes.tf_defects.observe_both`'s results, in ``lang``.

    One row per known defect, one column per CPU path: what Keras did there ("right":
    the same values as convnotes; "wrong": Keras' values, then convnotes'; "killed":
    the process died from that signal).
    """
    from IPython.display import HTML

    from convnotes.i18n import check_language
    from convnotes.presentation.tables import html_table

    check_language(lang)
    headers = (
        ["Keras layer and case", "oneDNN", "Eigen"]
        if lang == "en"
        else ["لایهٔ Keras و حالت", "oneDNN", "Eigen"]
    )
    rows = [
        [
            _DEFECT_NAMES[name][0 if lang == "en" else 1],
            _defect_outcome(observed["onednn"][name], lang),
            _defect_outcome(observed["eigen"][name], lang),
        ]
        for name in _DEFECT_NAMES
    ]
    return HTML(html_table(headers, rows, lang))
