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


def glue_by_language(name: str, make: Callable[[str], Any]) -> dict[str, Any]:
    """Build ``make(lang)`` for every book language and glue each as ``{name}-{lang}``.

    Matplotlib figures are closed after gluing so they are not displayed twice.
    In a notebook whose environment sets ``CONVNOTES_NOTEBOOK_LANG`` (the downloaded
    notebooks do), the object of that language is displayed as an ordinary output
    (unless it is a bare string or number, which the notebook's prose already shows).
    Returns the objects keyed by language.
    """
    from myst_nb import glue

    shown = os.environ.get(NOTEBOOK_LANG_ENV)
    made: dict[str, Any] = {}
    for lang in LANGUAGES:
        obj = make(lang)
        glue(f"{name}-{lang}", obj, display=False)
        if lang == shown and not isinstance(obj, (str, int, float)):
            from IPython.display import display

            display(obj)
        made[lang] = obj
        _close_if_figure(obj)
    return made


def glue_value(name: str, value: Any) -> Any:
    """Glue a language-neutral value (a number, a short code string) as ``name``."""
    from myst_nb import glue

    glue(name, value, display=False)
    return value


def _close_if_figure(obj: Any) -> None:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return
    if isinstance(obj, Figure):
        import matplotlib.pyplot as plt

        plt.close(obj)
