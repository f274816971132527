"""Matplotlib helpers for figures whose words follow the page language.

Every plotting function of :mod:`convnotes.presentation` takes ``lang`` ("en" or
"fa"). Persian labels are set in Vazirmatn (SIL Open Font License, shipped in
``convnotes/fonts``); matplotlib 3.11 shapes Arabic-script text itself, so the
strings are passed as written. :func:`words` (``words(lang, en, fa)``) is
:func:`convnotes.i18n.words`, the shorthand for ``Text(en, fa)[lang]``, kept here
for the figure code that picks a label inline.

Examples
--------
>>> words("fa", "input", "ورودی")
'ورودی'
>>> text_props("en")
{'fontfamily': ['DejaVu Sans']}
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from convnotes.i18n import check_language, words

FONT_DIR = Path(__file__).parent.parent / "fonts"
PERSIAN_FONT = "Vazirmatn"


@cache
def register_fonts() -> str:
    """Register the shipped Persian font with matplotlib; return its family name."""
    from matplotlib import font_manager

    for path in sorted(FONT_DIR.glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))
    return PERSIAN_FONT


def font_family(lang: str) -> list[str]:
    """The font family list to use for text in ``lang``."""
    if check_language(lang) == "fa":
        return [register_fonts(), "DejaVu Sans"]
    return ["DejaVu Sans"]


def text_props(lang: str) -> dict[str, Any]:
    """Keyword arguments for ``set_title``/``set_xlabel``/``text``/``legend`` in ``lang``."""
    return {"fontfamily": font_family(lang)}


def style_axes(
    ax: Any,
    lang: str,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
) -> Any:
    """Set title and axis labels in ``lang`` and use its font for tick labels."""
    props = text_props(lang)
    if title is not None:
        ax.set_title(title, **props)
    if xlabel is not None:
        ax.set_xlabel(xlabel, **props)
    if ylabel is not None:
        ax.set_ylabel(ylabel, **props)
    for tick in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        tick.set_fontfamily(props["fontfamily"])
    return ax


def legend(ax: Any, lang: str, **kwargs: Any) -> Any:
    """A legend whose entries use the font of ``lang``."""
    from matplotlib.font_manager import FontProperties

    return ax.legend(prop=FontProperties(family=font_family(lang)), **kwargs)


__all__ = ["font_family", "legend", "register_fonts", "style_axes", "text_props", "words"]
