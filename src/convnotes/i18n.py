"""The book's two languages and the words its figures and tables use.

Code cells are byte-identical in the English and Persian chapters, so a cell
never asks which page it is on: it renders every language (see
:func:`convnotes.book.glue_by_language`) and each page shows its own.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("en", "fa")

_PERSIAN_DIGITS = str.maketrans("0123456789.,-", "۰۱۲۳۴۵۶۷۸۹٫٬−")


def check_language(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`LANGUAGES`, else raise ``ValueError``."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    return lang


def localize_digits(text: str, lang: str) -> str:
    """Write the ASCII digits (and decimal/thousands separators) of ``text`` in ``lang``.

    Examples
    --------
    >>> localize_digits("951,098", "fa")
    '۹۵۱٬۰۹۸'
    >>> localize_digits("0.7962", "en")
    '0.7962'
    """
    check_language(lang)
    return text.translate(_PERSIAN_DIGITS) if lang == "fa" else text


def format_number(value: float | int, lang: str, decimals: int | None = None) -> str:
    """Format a number with thousands separators in the digits of ``lang``.

    Examples
    --------
    >>> format_number(11070, "en")
    '11,070'
    >>> format_number(0.79623, "fa", decimals=3)
    '۰٫۷۹۶'
    """
    if decimals is None and isinstance(value, int):
        text = f"{value:,}"
    else:
        text = f"{value:,.{2 if decimals is None else decimals}f}"
    return localize_digits(text, lang)
