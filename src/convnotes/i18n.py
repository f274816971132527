"""The book's two languages and the words its figures and tables use.

Code cells are byte-identical in the English and Persian chapters, so a cell
never asks which page it is on: it renders every language (see
:func:`convnotes.book.glue_by_language`) and each page shows its own. The words
in both languages are one type, :class:`Text` (``Text(en, fa)[lang]``; its
shorthand :func:`words`); numbers are written in each language's digits by
:func:`format_number` and :func:`localize_digits`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "fa")

#: The one table of Persian digits (U+06F0..U+06F9) in the book.
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DIGITS_ONLY = str.maketrans("0123456789", PERSIAN_DIGITS)
_PERSIAN_DIGITS = str.maketrans("0123456789.,-", PERSIAN_DIGITS + "٫٬−")


def check_language(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`LANGUAGES`, else raise ``ValueError``."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    return lang


@dataclass(frozen=True)
class Text:
    """The same words in English and in Persian: the book's one bilingual text type.

    A page picks its own with ``text[lang]``; tables of words are
    ``Mapping[str, Text]``. A Text reads like the mapping ``{"en": ..., "fa": ...}``
    (``dict(text)`` gives that dict), but it is not iterable: ``en, fa = text`` raises
    ``TypeError`` rather than unpacking the keys.

    Parameters
    ----------
    en, fa
        The English and the Persian string.

    Raises
    ------
    TypeError
        If ``en`` or ``fa`` is not a ``str``.

    Examples
    --------
    >>> title = Text("input", "ورودی")
    >>> title["en"], title["fa"]
    ('input', 'ورودی')
    >>> dict(title)
    {'en': 'input', 'fa': 'ورودی'}
    >>> Text("{n} filters", "{n} فیلتر").format(n="۸")["fa"]
    '۸ فیلتر'
    >>> title["de"]
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of ('en', 'fa'), got 'de'
    """

    en: str
    fa: str

    #: Not iterable (a ``str`` key is needed); see the class docstring.
    __iter__ = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        for name in LANGUAGES:
            value = getattr(self, name)
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a str, got {type(value).__name__}")

    def __getitem__(self, lang: str) -> str:
        """The string of ``lang`` (checked with :func:`check_language`)."""
        return self.fa if check_language(lang) == "fa" else self.en

    def keys(self) -> tuple[str, ...]:
        """:data:`LANGUAGES`, so that ``dict(text)`` is ``{"en": ..., "fa": ...}``."""
        return LANGUAGES

    def format(self, **fields: Any) -> Text:
        """Both strings formatted with ``str.format(**fields)``, as a new :class:`Text`.

        The same fields fill both strings; a number that must be written in each
        language's digits is formatted by the caller (pick the language first with
        ``text[lang].format(...)``).

        Examples
        --------
        >>> Text("stride {s}", "گام {s}").format(s="`2`")
        Text(en='stride `2`', fa='گام `2`')
        """
        return Text(self.en.format(**fields), self.fa.format(**fields))


def words(lang: str, en: str, fa: str) -> str:
    """Shorthand for ``Text(en, fa)[lang]``: the English or the Persian string.

    Examples
    --------
    >>> words("fa", "input", "ورودی")
    'ورودی'
    >>> words("en", "input", "ورودی")
    'input'
    """
    return Text(en, fa)[lang]


def persian_digits(text: str) -> str:
    """``text`` with its ASCII digits, and nothing else, written as Persian digits.

    For text whose punctuation must stay as it is (a date, a version, a figure number).

    Examples
    --------
    >>> persian_digits("2026-12-01, Fig. 12")
    '۲۰۲۶-۱۲-۰۱, Fig. ۱۲'
    """
    return text.translate(_DIGITS_ONLY)


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


_LIST_COMMA, _LIST_AND = Text(", ", "، "), Text(" and ", " و ")


def format_list(values: list[float | int], lang: str, decimals: int | None = None) -> str:
    """Numbers as a sentence lists them in ``lang``: "48 and 96", «۴۸ و ۹۶».

    A glued Python list (``[48, 96]``) would show Latin digits and brackets that the
    bidi algorithm reorders on a Persian page; this is the form for prose.

    Examples
    --------
    >>> format_list([48, 96], "en")
    '48 and 96'
    >>> format_list([24, 48, 96], "fa")
    '۲۴، ۴۸ و ۹۶'
    >>> format_list([32], "fa")
    '۳۲'
    """
    if not values:
        raise ValueError("values must hold at least one number")
    words = [format_number(v, lang, decimals) for v in values]
    if len(words) == 1:
        return words[0]
    return _LIST_COMMA[lang].join(words[:-1]) + _LIST_AND[lang] + words[-1]
