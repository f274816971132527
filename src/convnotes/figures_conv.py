"""Figures for the convolution chapter whose words follow the page language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from convnotes.i18n import localize_digits
from convnotes.plots import style_axes, text_props, words


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


__all__ = ["plot_receptive_field"]
