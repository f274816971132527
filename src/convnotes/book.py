"""Helpers for the book's code cells.

A chapter's code cells are identical in both languages, so jupyter-cache runs
them once for both pages. Anything that carries words (a figure's labels, a
table's headers) is therefore made once per language and *glued* under
``NAME-en`` and ``NAME-fa``; each page shows its own with
``{glue:figure} NAME-fa`` or ``{glue} NAME-en``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from convnotes.i18n import LANGUAGES, Text

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


#: Left-to-right isolate (U+2066 ... U+2069): keeps a sign, a bracket or a Latin word in
#: place when a glued value sits inside right-to-left Persian text.
_LRI, _PDI = "\u2066", "\u2069"


def number_text(
    value: Any, lang: str, decimals: int | None = None, *, isolate: bool = False
) -> str:
    """``value`` as a chapter's prose shows it in ``lang`` (what :func:`glue_number` glues).

    The digits and separators come from :func:`convnotes.i18n.format_number`;
    ``isolate`` wraps the Persian text in a left-to-right isolate, so a minus sign stays
    in front of the number inside a Persian sentence.

    Examples
    --------
    >>> number_text(11070, "en")
    '11,070'
    >>> number_text(0.79623, "fa", 3)
    '۰٫۷۹۶'
    >>> number_text(-400.0, "fa", 0, isolate=True) == "\u2066\u2212۴۰۰\u2069"
    True
    """
    from convnotes.i18n import check_language, format_number

    check_language(lang)
    if isinstance(value, (str, bytes)) or not hasattr(value, "__float__"):
        raise TypeError(f"value must be a number, not {type(value).__name__}")
    if decimals is not None and (
        isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0
    ):
        raise ValueError(f"decimals must be None or a non-negative int, got {decimals!r}")
    text = format_number(value, lang, decimals)
    return _LRI + text + _PDI if isolate and lang != "en" else text


def glue_number(
    name: str, value: Any, decimals: int | None = None, *, isolate: bool = False
) -> None:
    """Glue ``value`` as ``{name}-{lang}``, written in the digits of each language.

    ``decimals`` fixes the digits after the point (an ``int`` is otherwise written
    whole, any other number with two); ``isolate`` is :func:`number_text`'s.

    Examples
    --------
    >>> glue_number("n-params", 951_098)

    The English page then shows ``{glue:text}`n-params-en``` as 951,098, the Persian
    one ``{glue:text}`n-params-fa``` as ۹۵۱٬۰۹۸.
    """
    number_text(value, "en", decimals, isolate=isolate)  # reject bad input before gluing
    glue_by_language(name, lambda lang: number_text(value, lang, decimals, isolate=isolate))


def text_for_page(value: Any, lang: str, localize: bool = True) -> str:
    """A number or a short text as :func:`glue_text` glues it for ``lang``.

    An ``int`` gets thousands separators; anything else is written with ``str``. The
    Persian text gets Persian digits and percent sign (unless ``localize`` is false)
    and sits in a left-to-right isolate, so signs and brackets keep their places.

    Examples
    --------
    >>> text_for_page(12345, "en")
    '12,345'
    >>> text_for_page("-3.5e-07", "fa") == "\u2066\u2212۳٫۵e\u2212۰۷\u2069"
    True
    >>> text_for_page("12%", "fa") == "\u2066۱۲٪\u2069"
    True
    >>> text_for_page([1, -2], "fa", localize=False) == "\u2066[1, -2]\u2069"
    True
    """
    from convnotes.i18n import check_language, localize_digits

    check_language(lang)
    text = f"{value:,}" if isinstance(value, int) else str(value)
    if lang == "en":
        return text
    shown = localize_digits(text, lang).replace("%", "\u066a") if localize else text
    return _LRI + shown + _PDI


def glue_text(name: str, value: Any, localize: bool = True) -> None:
    """Glue a number or a short text as ``{name}-{lang}`` (see :func:`text_for_page`).

    Examples
    --------
    >>> glue_text("rgb-keras-error", "1.2e-07")
    """
    glue_by_language(name, lambda lang: text_for_page(value, lang, localize))


def bound_text(difference: float, lang: str) -> str:
    """The power of ten just above ``|difference|``, as a plain decimal in ``lang``.

    Prose states a tiny numerical difference as "below 0.0001" rather than as its
    exact, machine-dependent value; a difference under ``1e-12`` counts as ``1e-12``.

    Examples
    --------
    >>> bound_text(3.2e-7, "en")
    '0.000001'
    >>> bound_text(0.04, "fa")
    '۰٫۱'
    >>> bound_text(0.0, "en")
    '0.00000000001'
    """
    import numpy as np

    from convnotes.i18n import check_language, localize_digits

    check_language(lang)
    size = abs(float(difference))
    if math.isnan(size) or math.isinf(size):
        raise ValueError(f"difference must be a finite number, got {difference!r}")
    bound = 10.0 ** (math.floor(math.log10(max(size, 1e-12))) + 1)
    return localize_digits(np.format_float_positional(bound, trim="-"), lang)


def glue_bound(name: str, difference: float) -> None:
    """Glue :func:`bound_text` of ``difference`` as ``{name}-{lang}``.

    Examples
    --------
    >>> glue_bound("normalizer-diff", 3.2e-7)
    """
    bound_text(difference, "en")  # reject bad input before gluing
    glue_by_language(name, lambda lang: bound_text(difference, lang))


def max_error(a: Any, b: Any) -> str:
    """The largest absolute difference of two arrays, as the book prints it (``1.2e-07``).

    Examples
    --------
    >>> max_error([1.0, 2.0], [1.0, 2.5])
    '5.0e-01'
    >>> max_error([[0, 0]], [[0, 0]])
    '0.0e+00'
    """
    import numpy as np

    first, second = np.asarray(a), np.asarray(b)
    try:
        difference = np.abs(first - second)
    except ValueError:
        raise ValueError(
            f"a and b must have shapes that broadcast, got {first.shape} and {second.shape}"
        ) from None
    return f"{float(np.max(difference)):.1e}"


def bilingual_table(
    headers_en: Sequence[str],
    headers_fa: Sequence[str],
    rows: Sequence[Sequence[Any]],
    lang: str,
    code_columns: Sequence[int] = (),
) -> Any:
    """An HTML table in ``lang``: its headers, and its digits outside code columns.

    Cells of ``code_columns`` stay as written (left to right); the other cells get the
    digits of ``lang``.

    Examples
    --------
    >>> table = bilingual_table(["n", "name"], ["n", "نام"], [(12, "x1")], "fa",
    ...                         code_columns=(1,))
    >>> "<td>۱۲</td>" in table.data and '<code dir="ltr">x1</code>' in table.data
    True
    """
    from IPython.display import HTML

    from convnotes.i18n import check_language, localize_digits
    from convnotes.presentation.tables import html_table

    check_language(lang)
    if len(headers_en) != len(headers_fa):
        raise ValueError(
            f"headers_en and headers_fa must name the same columns, got {len(headers_en)} "
            f"and {len(headers_fa)}"
        )
    headers = [Text(str(en), str(fa))[lang] for en, fa in zip(headers_en, headers_fa, strict=True)]
    cells = [
        [
            str(cell) if i in code_columns else localize_digits(str(cell), lang)
            for i, cell in enumerate(row)
        ]
        for row in rows
    ]
    return HTML(html_table(headers, cells, lang, code_columns=code_columns))


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
_DEFECT_NAMES: Mapping[str, Text] = MappingProxyType(
    {
        "conv3d_same_negative": Text(
            "Conv3D, padding same, stride 3 over 3 samples",
            "\u2066Conv3D\u2069، حاشیه‌گذاری \u2066same\u2069، گام ۳ روی ۳ نمونه",
        ),
        "maxpool3d_same_negative": Text(
            "MaxPooling3D, padding same, stride 3 over 3 samples",
            "\u2066MaxPooling3D\u2069، حاشیه‌گذاری \u2066same\u2069، گام ۳ روی ۳ نمونه",
        ),
        "avgpool3d_same_negative": Text(
            "AveragePooling3D, padding same, stride 3 over 3 samples",
            "\u2066AveragePooling3D\u2069، حاشیه‌گذاری \u2066same\u2069، گام ۳ روی ۳ نمونه",
        ),
        "conv2d_single_channel_strided": Text(
            "Conv2D, one channel, stride 2 along the width, padding same",
            "\u2066Conv2D\u2069 تک‌کاناله، گام ۲ در پهنا، حاشیه‌گذاری \u2066same\u2069",
        ),
        "adaptive_max_pooling_width_1": Text(
            "AdaptiveMaxPooling2D((2, 1)) on a 6×6 map",
            "\u2066AdaptiveMaxPooling2D((2, 1))\u2069 روی نقشهٔ ۶×۶",
        ),
    }
)
_DEFECT_WORDS: Mapping[str, Text] = MappingProxyType(
    {
        "header": Text("Keras layer and case", "لایهٔ Keras و حالت"),
        "killed": Text("killed ({signal})", "کشته شد ({signal})"),
        "right": Text("right", "درست"),
        "wrong": Text("wrong: {keras}, not {reference}", "نادرست: {keras} به جای {reference}"),
        "separator": Text(", ", "، "),
    }
)


def _numbers(values: list[float], lang: str) -> str:
    from convnotes.i18n import localize_digits

    separator = _DEFECT_WORDS["separator"][lang]
    return localize_digits(separator.join(f"{v:g}" for v in values), lang)


def _defect_outcome(outcome: dict[str, Any], lang: str) -> str:
    if outcome["crashed"]:
        return _DEFECT_WORDS["killed"][lang].format(signal=outcome["crashed"])
    if outcome["agrees"]:
        return _DEFECT_WORDS["right"][lang]
    return _DEFECT_WORDS["wrong"][lang].format(
        keras=_numbers(outcome["keras"], lang), reference=_numbers(outcome["reference"], lang)
    )


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
    headers = [_DEFECT_WORDS["header"][lang], "oneDNN", "Eigen"]
    rows = [
        [
            title[lang],
            _defect_outcome(observed["onednn"][name], lang),
            _defect_outcome(observed["eigen"][name], lang),
        ]
        for name, title in _DEFECT_NAMES.items()
    ]
    return HTML(html_table(headers, rows, lang))
