"""Figures of the pooling chapter whose words follow the page language.

The pooled arrays come from :mod:`convnotes.pooling`; these functions only draw them
(and :func:`text_image` renders the page of text that min pooling is tried on).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from convnotes.i18n import Text, localize_digits
from convnotes.pooling import adaptive_bins, pool2d
from convnotes.presentation.plots import style_axes, text_props, words

# One light colour per pooling window (the palette of the chapter's first figure).
WINDOW_COLOURS: tuple[str, ...] = ("#fde0c5", "#c6dbef", "#d9f0d3", "#e7d4e8", "#fff2ae", "#f2f2f2")

_MODE_WORDS: Mapping[str, Text] = {
    "max": Text("max pooling", "ادغام بیشینه"),
    "average": Text("average pooling", "ادغام میانگین"),
    "min": Text("min pooling", "ادغام کمینه"),
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
        title(x + width / 2, bottom, _MODE_WORDS[mode][lang] + "\n∂L/∂x")

    ax.set_xlim(-0.2, full_width + 0.2)
    ax.set_ylim(bottom - height - 0.2, top + 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------
# Pooling windows, bins and shift responses
# --------------------------------------------------------------------------


def _draw_grid(
    ax: Any,
    values: np.ndarray,
    x0: float,
    y0: float,
    colours: np.ndarray,
    lang: str,
    fmt: str = "g",
) -> None:
    from matplotlib.patches import Rectangle

    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            ax.add_patch(
                Rectangle(
                    (x0 + c, y0 - r),
                    1,
                    1,
                    facecolor=colours[r, c],
                    edgecolor="#555555",
                    linewidth=1.0,
                )
            )
            text = localize_digits(format(float(values[r, c]), fmt), lang)
            ax.text(x0 + c + 0.5, y0 - r + 0.5, text, ha="center", va="center", fontsize=10)


def plot_pooling_example(fmap: Any, pool_size: int, lang: str) -> Any:
    """A feature map with its pooling windows coloured, and its max, average and min pools.

    Non-overlapping ``pool_size`` windows ('valid'); each output cell has the
    colour of the window it summarises.
    """
    import matplotlib.pyplot as plt

    fmap = np.asarray(fmap)
    if fmap.ndim != 2:
        raise ValueError(f"fmap must be 2-D (height, width), got shape {fmap.shape}")
    outputs = [
        (pool2d(fmap, pool_size, mode=mode), title)
        for mode, title in (
            ("max", Text("max", "بیشینه")),
            ("average", Text("average", "میانگین")),
            ("min", Text("min", "کمینه")),
        )
    ]
    out_h, out_w = outputs[0][0].shape
    window = (np.arange(out_h)[:, None] * out_w + np.arange(out_w)[None, :]) % len(WINDOW_COLOURS)
    palette = np.array(WINDOW_COLOURS)
    in_colours = np.full(fmap.shape, "#ffffff", dtype=object)
    covered = palette[np.repeat(np.repeat(window, pool_size, 0), pool_size, 1)]
    in_colours[: covered.shape[0], : covered.shape[1]] = covered
    height, width = fmap.shape
    fig, ax = plt.subplots(figsize=(0.62 * (width + 3 * (out_w + 1.5) + 1), 0.62 * (height + 1.6)))
    props = text_props(lang)
    _draw_grid(ax, fmap, 0, 0, in_colours, lang)
    ax.text(
        width / 2, 1.25, words(lang, "feature map", "نقشهٔ ویژگی"), ha="center", fontsize=11, **props
    )
    x = width + 1.5
    y = -(height - out_h) / 2
    for values, name in outputs:
        _draw_grid(ax, values, x, y, palette[window], lang, fmt=".4g")
        ax.text(x + out_w / 2, y + 1.25, name[lang], ha="center", fontsize=11, **props)
        x += out_w + 1.5
    ax.set_xlim(-0.2, x - 1.3)
    ax.set_ylim(-height + 0.8, 2.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def plot_adaptive_bins(cases: Sequence[tuple[int, int]], lang: str) -> Any:
    """Each ``(n, out)`` case: ``n`` positions and the ``out`` adaptive bins over them."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    props = text_props(lang)
    widest = max(n for n, _ in cases)
    fig, axes = plt.subplots(
        len(cases),
        1,
        squeeze=False,
        figsize=(0.5 * widest + 1.0, sum(0.5 * (2.0 + 0.55 * out) for _, out in cases)),
    )
    for ax, (n, out) in zip(axes[:, 0], cases, strict=True):
        for i in range(n):
            ax.add_patch(Rectangle((i, 0), 1, 1, facecolor="#9ecae1", edgecolor="#3f6f95"))
            ax.text(
                i + 0.5, 0.5, localize_digits(str(i), lang), ha="center", va="center", fontsize=9
            )
        starts, ends = adaptive_bins(n, out)
        for b, (start, end) in enumerate(zip(starts, ends, strict=True)):
            y = -0.55 * (b + 1)
            ax.add_patch(
                Rectangle(
                    (start + 0.05, y),
                    end - start - 0.1,
                    0.4,
                    facecolor=WINDOW_COLOURS[b % 4],
                    edgecolor="#555555",
                )
            )
            ax.text(
                start + 0.15,
                y + 0.2,
                localize_digits(f"[{start}, {end})", lang),
                va="center",
                fontsize=8,
            )
        title = words(lang, f"n = {n} positions → {out} bins", f"n = {n} مکان ← {out} بازه")
        ax.set_title(localize_digits(title, lang), fontsize=10, **props)
        ax.set_xlim(-0.1, widest + 0.1)
        ax.set_ylim(-0.55 * out - 0.15, 1.1)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.tight_layout()
    return fig


def plot_bars(
    values: Sequence[float],
    labels: Sequence[tuple[str, str]],
    xlabel: tuple[str, str],
    lang: str,
    fmt: str = ".2f",
) -> Any:
    """A horizontal bar chart with per-language labels and the value written at each bar."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 0.42 * len(values) + 1.0))
    positions = np.arange(len(values))[::-1]
    ax.barh(positions, values, color="#4c8cbf")
    ax.set_yticks(positions, [words(lang, en, fa) for en, fa in labels])
    for y, value in zip(positions, values, strict=True):
        ax.text(
            value,
            y,
            " " + localize_digits(format(value, fmt), lang),
            va="center",
            fontsize=9,
            **text_props(lang),
        )
    ax.set_xlim(0, max(max(values) * 1.2, 1e-9))
    ax.spines[["top", "right"]].set_visible(False)
    style_axes(ax, lang, xlabel=words(lang, *xlabel))
    if lang == "fa":
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: localize_digits(f"{v:g}", lang)))
    fig.tight_layout()
    return fig


def text_image(text: str = "convnotes", height: int = 40, fontsize: int = 26) -> np.ndarray:
    """Dark text on a white page as a float array in [0, 1] (rendered with Matplotlib)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width = int(0.62 * fontsize * len(text)) + 8
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    canvas = FigureCanvasAgg(fig)
    fig.text(
        0.5,
        0.5,
        text,
        ha="center",
        va="center",
        fontsize=fontsize * 0.72,
        family="DejaVu Sans",
        color="black",
    )
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba(), dtype=np.float64)
    return rgba[..., :3].mean(axis=-1) / 255.0


__all__ = [
    "WINDOW_COLOURS",
    "plot_adaptive_bins",
    "plot_bars",
    "plot_gradient_routing",
    "plot_pooling_example",
    "text_image",
]
