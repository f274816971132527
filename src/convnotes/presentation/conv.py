"""Figures of the convolution chapter whose words follow the page language.

The arrays come from :mod:`convnotes.conv`; these functions only draw them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from convnotes.i18n import localize_digits
from convnotes.presentation.plots import style_axes, text_props, words


def plot_maps(
    maps: Sequence[np.ndarray],
    titles: Sequence[tuple[str, str]],
    lang: str,
    *,
    ncols: int | None = None,
    signed: Sequence[bool] | bool = False,
    size: float = 2.4,
) -> Any:
    """Show images or feature maps side by side, each titled in ``lang``.

    ``titles`` holds one ``(english, persian)`` pair per map. RGB arrays are
    shown as colour images; a signed map uses a diverging colour map centred at
    zero (red positive, blue negative), any other map a grey scale.

    Examples
    --------
    >>> fig = plot_maps([np.eye(3), -np.eye(3)], [("a", "الف"), ("b", "ب")], "fa", signed=True)
    >>> [ax.get_title() for ax in fig.axes]
    ['الف', 'ب']
    """
    import matplotlib.pyplot as plt

    count = len(maps)
    ncols = count if ncols is None else ncols
    nrows = -(-count // ncols)
    flags = [signed] * count if isinstance(signed, bool) else list(signed)
    height, width = np.shape(maps[0])[:2]
    fig, axes = plt.subplots(
        nrows, ncols, squeeze=False, figsize=(size * ncols, (size * height / width + 0.45) * nrows)
    )
    for ax, array, (en, fa), is_signed in zip(axes.flat, maps, titles, flags, strict=False):
        array = np.asarray(array)
        if array.ndim == 3:
            ax.imshow(array if array.dtype == np.uint8 else np.clip(array, 0, 1))
        elif is_signed:
            # a robust limit, so that a few extreme values do not wash the map out
            limit = float(np.percentile(np.abs(array), 99.5)) or float(np.abs(array).max())
            ax.imshow(array, cmap="RdBu_r", vmin=-(limit or 1.0), vmax=limit or 1.0)
        else:
            ax.imshow(array, cmap="gray")
        ax.set_xticks([])
        ax.set_yticks([])
        style_axes(ax, lang, title=words(lang, en, fa))
    for ax in list(axes.flat)[count:]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def plot_receptive_field(
    stacks: Sequence[tuple[str, str, Sequence[int], Sequence[int]]], lang: str
) -> Any:
    """Receptive field against depth: the formula as lines, the gradient measurement as dots.

    ``stacks`` holds ``(label_en, label_fa, formula, measured)``, one value per
    depth (1, 2, ...) in ``formula`` and ``measured``.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    markers = "osD^v"
    styles = ("-", "-", "-", "--", ":")  # curves that coincide stay visible
    for index, (en, fa, formula, measured) in enumerate(stacks):
        depths = range(1, len(formula) + 1)
        (line,) = ax.plot(
            depths, formula, styles[index % len(styles)], lw=1.8, label=words(lang, en, fa)
        )
        ax.plot(
            depths,
            measured,
            markers[index % len(markers)],
            color=line.get_color(),
            ms=6,
            mfc="none",
        )
    ax.set_xticks(list(range(1, max(len(s[2]) for s in stacks) + 1)))
    if lang == "fa":
        ax.set_xticklabels([localize_digits(str(t), "fa") for t in ax.get_xticks()])
        ax.set_yticks(ax.get_yticks())
        ax.set_yticklabels([localize_digits(f"{t:g}", "fa") for t in ax.get_yticks()])
        ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    style_axes(
        ax,
        lang,
        xlabel=words(lang, "number of 3×3 layers", "تعداد لایه‌های ۳×۳"),
        ylabel=words(lang, "receptive field (pixels)", "میدان پذیرش (پیکسل)"),
    )
    ax.legend(prop={"family": text_props(lang)["fontfamily"]}, fontsize=9, frameon=False)
    ax.set_title(
        words(
            lang,
            "lines: formula, circles: measured by gradients",
            "خط: فرمول، دایره: اندازه‌گیری با گرادیان",
        ),
        fontsize=10,
        **text_props(lang),
    )
    fig.tight_layout()
    return fig


__all__ = ["plot_maps", "plot_receptive_field"]
