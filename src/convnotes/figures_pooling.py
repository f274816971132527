"""Figures for the pooling chapter whose words follow the page language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from convnotes.i18n import localize_digits
from convnotes.plots import text_props, words

# One light colour per pooling window (the palette of the chapter's first figure).
WINDOW_COLOURS: tuple[str, ...] = ("#fde0c5", "#c6dbef", "#d9f0d3", "#e7d4e8", "#fff2ae", "#f2f2f2")

_MODE_WORDS = {
    "max": ("max pooling", "ادغام بیشینه"),
    "average": ("average pooling", "ادغام میانگین"),
    "min": ("min pooling", "ادغام کمینه"),
}


def _window_index(shape: tuple[int, int], pool_size: int) -> np.ndarray:
    """The number of the non-overlapping window that covers each cell, row by row."""
    rows, cols = shape
    per_row = cols // pool_size
    r, c = np.indices(shape)
    return (r // pool_size) * per_row + c // pool_size


def _grid(
    ax: Any,
    values: np.ndarray,
    origin: tuple[float, float],
    colours: np.ndarray,
    lang: str,
    faint: np.ndarray | None = None,
) -> None:
    """Draw ``values`` as a grid of squares whose top-left corner is at ``origin``."""
    from matplotlib.patches import Rectangle

    x0, y0 = origin
    for (r, c), value in np.ndenumerate(values):
        dim = faint is not None and bool(faint[r, c])
        ax.add_patch(
            Rectangle(
                (x0 + c, y0 - r - 1),
                1,
                1,
                facecolor="#ffffff" if dim else colours[r, c],
                edgecolor="#555555",
                linewidth=1.0,
            )
        )
        ax.text(
            x0 + c + 0.5,
            y0 - r - 0.5,
            localize_digits(format(float(value), ".3g"), lang),
            ha="center",
            va="center",
            fontsize=12,
            color="#9a9a9a" if dim else "#111111",
            fontweight="normal" if dim else "bold",
        )


def plot_gradient_routing(
    fmap: Any,
    grad_output: Any,
    routed: Mapping[str, Any],
    lang: str,
    pool_size: int = 2,
) -> Any:
    """Where backpropagation sends the gradient of each pooling window.

    Top row: the feature map with its ``pool_size`` x ``pool_size`` windows coloured,
    and the gradient that arrives from the layer above, one value per window (same
    colour). Bottom row: the gradient with respect to the input for each mode in
    ``routed`` (``{"max": ..., "average": ..., "min": ...}``, as returned by
    :func:`convnotes.pooling.pool2d_backward`); cells that receive nothing are white.

    Parameters
    ----------
    fmap : array_like, shape (H, W)
        The input of the forward pass; H and W are multiples of ``pool_size``.
    grad_output : array_like, shape (H / pool_size, W / pool_size)
    routed : mapping of str to array_like of shape (H, W)
    lang : {"en", "fa"}
    pool_size : int
        The side of the non-overlapping windows.

    Examples
    --------
    >>> from convnotes import pooling
    >>> x = np.array([[1.0, 5.0], [3.0, 2.0]])
    >>> fig = plot_gradient_routing(x, [[2.0]], {"max": pooling.pool2d_backward(x, [[2.0]])}, "en")
    >>> len(fig.axes[0].patches)   # 4 + 1 + 4 squares
    9
    """
    import matplotlib.pyplot as plt

    if not isinstance(pool_size, (int, np.integer)) or isinstance(pool_size, bool):
        raise TypeError(f"pool_size must be a positive integer, got {pool_size!r}")
    if pool_size < 1:
        raise ValueError(f"pool_size must be a positive integer, got {pool_size}")
    fmap = np.asarray(fmap, dtype=float)
    grad_output = np.asarray(grad_output, dtype=float)
    if fmap.ndim != 2 or fmap.shape[0] % pool_size or fmap.shape[1] % pool_size:
        raise ValueError(
            f"fmap must be 2-D (height, width) with sides that are multiples of pool_size "
            f"({pool_size}), got shape {fmap.shape}"
        )
    out_shape = (fmap.shape[0] // pool_size, fmap.shape[1] // pool_size)
    if grad_output.shape != out_shape:
        raise ValueError(
            f"grad_output must have the pooled shape {out_shape}, got {grad_output.shape}"
        )
    if not routed:
        raise ValueError("routed must hold at least one mode's input gradient")
    grads = {}
    for mode, grad in routed.items():
        if mode not in _MODE_WORDS:
            raise ValueError(f"routed keys must be among {tuple(_MODE_WORDS)}, got {mode!r}")
        grads[mode] = np.asarray(grad, dtype=float)
        if grads[mode].shape != fmap.shape:
            raise ValueError(
                f"routed[{mode!r}] must have the shape of fmap {fmap.shape}, "
                f"got {grads[mode].shape}"
            )

    palette = np.array(WINDOW_COLOURS, dtype=object)
    windows = _window_index(fmap.shape, pool_size) % len(WINDOW_COLOURS)
    in_colours = palette[windows]
    out_colours = palette[np.arange(grad_output.size).reshape(out_shape) % len(WINDOW_COLOURS)]

    height, width = fmap.shape
    gap = 1.0
    row_width = len(grads) * width + (len(grads) - 1) * gap
    top_width = width + gap + out_shape[1]
    full_width = max(row_width, top_width)
    fig, ax = plt.subplots(figsize=(0.5 * full_width + 0.4, 0.5 * (2 * height + 4.5)))
    props = text_props(lang)

    def title(x: float, y: float, text: str) -> None:
        ax.text(x, y + 0.3, text, ha="center", va="bottom", fontsize=12, **props)

    left = (full_width - top_width) / 2  # both rows centred on the wider one
    top = 0.0
    _grid(ax, fmap, (left, top), in_colours, lang)
    title(left + width / 2, top, words(lang, "feature map", "نقشهٔ ویژگی") + "\nx")
    g_left = left + width + gap
    g_top = top - (height - out_shape[0]) / 2
    _grid(ax, grad_output, (g_left, g_top), out_colours, lang)
    title(g_left + out_shape[1] / 2, g_top, words(lang, "from above", "از لایهٔ بالا") + "\n∂L/∂y")

    bottom = top - height - 2.4
    for index, (mode, grad) in enumerate(grads.items()):
        x = (full_width - row_width) / 2 + index * (width + gap)
        _grid(ax, grad, (x, bottom), in_colours, lang, faint=grad == 0)
        en, fa = _MODE_WORDS[mode]
        title(x + width / 2, bottom, words(lang, en, fa) + "\n∂L/∂x")

    ax.set_xlim(-0.2, full_width + 0.2)
    ax.set_ylim(bottom - height - 0.2, top + 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


__all__ = ["WINDOW_COLOURS", "plot_gradient_routing"]
