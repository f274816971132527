"""Figures for the filters chapter whose words follow the page language.

The computations live in :mod:`convnotes.filters` (``apply_filter``, ``log_kernel``,
``zero_crossings``); these functions only draw their results.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from convnotes.filters import _book_style, apply_filter, check_image
from convnotes.i18n import check_language, localize_digits
from convnotes.plots import style_axes, words

_SIGNED_CMAP = "RdBu_r"

#: The three normalisations compared by :func:`plot_normalisation`:
#: (window size, denominator).
NORMALISATIONS: tuple[tuple[int, int], ...] = ((3, 9), (3, 25), (5, 25))


def _number(value: float, lang: str, fmt: str = "g") -> str:
    return localize_digits(format(value, fmt), lang)


def _bare(ax: Any) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


@_book_style
def plot_normalisation(image: Any, lang: str) -> Any:
    """``image`` after a box of ones divided by 9 or 25, on one gray scale (0 to 255).

    The panels are the input, a 3x3 window of ones divided by 9 and by 25, and a
    5x5 window divided by 25 (:data:`NORMALISATIONS`); each title gives the mean
    brightness. Dividing by more only darkens; averaging over more pixels smooths.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    image = check_image(image, allow_channels=False)
    panels = [(words(lang, "input", "ورودی"), image.astype(np.float32))]
    for size, denominator in NORMALISATIONS:
        kernel = np.ones((size, size)) / denominator
        s, d = _number(size, lang), _number(denominator, lang)
        panels.append(
            (
                words(
                    lang,
                    f"{size}×{size} ones ÷ {denominator}",
                    f"پنجرهٔ {s}×{s} از یک‌ها، تقسیم بر {d}",
                ),
                apply_filter(image, kernel),
            )
        )
    fig, axes = plt.subplots(2, 2, figsize=(7.2, 7.6))
    for ax, (title, array) in zip(axes.flat, panels, strict=True):
        ax.imshow(array, cmap="gray", vmin=0, vmax=255)
        _bare(ax)
        mean = _number(float(array.mean()), lang, ".1f")
        style_axes(ax, lang, title=f"{title}\n" + words(lang, f"mean {mean}", f"میانگین {mean}"))
    fig.tight_layout()
    return fig


#: The panels :func:`plot_edge_detectors` draws, in order, with their titles.
EDGE_PANELS: tuple[tuple[str, str, str], ...] = (
    ("kernel", "LoG kernel, σ = {sigma}", "هستهٔ لاپلاسینِ گاوسی، σ = {sigma}"),
    ("log", "LoG response", "پاسخ لاپلاسینِ گاوسی"),
    ("crossings", "all zero crossings", "همهٔ گذرهای از صفر"),
    ("strong_crossings", "zero crossings above the threshold", "گذرهای از صفرِ بالای آستانه"),
    ("canny", "Canny after a Gaussian, σ = {sigma}", "کنی پس از گاوسی، σ = {sigma}"),
    ("canny_raw", "Canny on the raw image", "کنی روی تصویر خام"),
)


@_book_style
def plot_edge_detectors(arrays: Mapping[str, Any], lang: str, sigma: float) -> Any:
    """The LoG kernel, its response, its zero crossings and Canny's edges, side by side.

    ``arrays`` maps every key of :data:`EDGE_PANELS` to a 2-D array: ``"kernel"``
    and ``"log"`` are signed (red positive, blue negative, white 0); the others
    are edge maps (non-zero = edge), drawn black on white.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    missing = [key for key, _, _ in EDGE_PANELS if key not in arrays]
    if missing:
        raise ValueError(f"arrays must hold every panel of EDGE_PANELS; missing {missing}")
    fig, axes = plt.subplots(2, 3, figsize=(9.0, 7.6))
    shown_sigma = _number(sigma, lang)
    for ax, (key, en, fa) in zip(axes.flat, EDGE_PANELS, strict=True):
        array = np.asarray(arrays[key], dtype=np.float64)
        if key in ("kernel", "log"):
            # the response: limits at its 99.5th percentile; the kernel: at a third of its
            # largest weight, so that the faint positive ring stays visible
            if key == "log":
                limit = float(np.percentile(np.abs(array), 99.5))
            else:
                limit = float(np.abs(array).max()) / 3
            limit = limit or float(np.abs(array).max()) or 1.0
            ax.imshow(array, cmap=_SIGNED_CMAP, vmin=-limit, vmax=limit)
        else:
            ax.imshow(array == 0, cmap="gray", vmin=0, vmax=1)
            share = _number(100 * float(np.mean(array != 0)), lang, ".1f")
            en = f"{en}\n{share}% of the pixels"
            fa = f"{fa}\n{share}٪ از پیکسل‌ها"
        _bare(ax)
        style_axes(ax, lang, title=words(lang, en, fa).replace("{sigma}", shown_sigma))
        ax.title.set_fontsize(12)
    fig.tight_layout()
    return fig


__all__ = ["EDGE_PANELS", "NORMALISATIONS", "plot_edge_detectors", "plot_normalisation"]
