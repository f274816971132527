"""Reference pooling in NumPy: max, average, min, global and adaptive.

A pooling layer summarises each window of a feature map by one number and has
no weights. Every function here works channel by channel and accepts

* 1D: ``(L,)``, ``(L, C)`` or ``(N, L, C)``;
* 2D: ``(H, W)``, ``(H, W, C)`` or ``(N, H, W, C)`` (channels last, as Keras);
* 3D: ``(D, H, W)``, ``(D, H, W, C)`` or ``(N, D, H, W, C)``;

and returns an array of the same layout.

Padding follows Keras/TensorFlow: "same" pads with the split of
:func:`convnotes.conv.padding_amounts`, padded positions never win a max or a
min, and an average divides by the number of *real* values in the window.

Adaptive pooling fixes the output size instead of the window: along an axis of
length ``n`` pooled to ``out`` bins, bin ``i`` covers positions
``floor(i * n / out)`` up to (excluding) ``ceil((i + 1) * n / out)``. Neighbouring
bins overlap by one position when ``out`` does not divide ``n``.

The windows are reduced one spatial axis at a time (a max over a rectangle is
the max over rows of the max over columns; sums split the same way), so the
work per output value grows with ``k_h + k_w``, not ``k_h * k_w``; along an axis,
one vectorized pass per window offset combines the offset's strided view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from convnotes.conv import (
    as_real_array,
    check_padding,
    output_size,
    padding_amounts,
    positive_ints,
)

MODES: tuple[str, ...] = ("max", "average", "min")

_LAYOUTS = {
    1: ("(length)", "(length, channels)", "(batch, length, channels)"),
    2: ("(height, width)", "(height, width, channels)", "(batch, height, width, channels)"),
    3: (
        "(depth, height, width)",
        "(depth, height, width, channels)",
        "(batch, depth, height, width, channels)",
    ),
}
_AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


# --------------------------------------------------------------------------
# Windowed pooling
# --------------------------------------------------------------------------


def pool1d(
    x: Any, pool_size: Any = 2, strides: Any = None, padding: str = "valid", mode: str = "max"
) -> np.ndarray:
    """Pool a sequence; see :func:`pool2d` (Keras ``MaxPooling1D``/``AveragePooling1D``).

    Examples
    --------
    >>> pool1d([1, 5, 2, 0, 3], pool_size=2, padding="same", mode="min")
    array([1, 0, 3])
    """
    return _pool(x, 1, pool_size, strides, padding, mode)


def pool2d(
    x: Any, pool_size: Any = 2, strides: Any = None, padding: str = "valid", mode: str = "max"
) -> np.ndarray:
    """Max, average or min pooling over height and width, channel by channel.

    Parameters
    ----------
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
    pool_size : int or (int, int)
        Window size.
    strides : int or (int, int), optional
        Step between windows; defaults to ``pool_size`` (non-overlapping
        windows), as in Keras.
    padding : {"valid", "same"}
        "same" gives ``ceil(n / stride)`` outputs per axis (Keras' rule).
    mode : {"max", "average", "min"}

    Returns
    -------
    ndarray
        Same layout as ``x``. Max and min keep the dtype of ``x``; average
        returns floats.

    Examples
    --------
    >>> fmap = np.array([[1, 3, 2, 0],
    ...                  [4, 6, 1, 1],
    ...                  [0, 2, 5, 7],
    ...                  [1, 1, 3, 8]])
    >>> pool2d(fmap, 2)
    array([[6, 2],
           [2, 8]])
    >>> pool2d(fmap, 2, mode="average")
    array([[3.5 , 1.  ],
           [1.  , 5.75]])
    >>> pool2d(fmap, 2, mode="min")
    array([[1, 0],
           [0, 3]])
    >>> pool2d(fmap, 3, strides=2, padding="same")
    array([[6, 7],
           [5, 8]])
    """
    return _pool(x, 2, pool_size, strides, padding, mode)


def pool2d_backward(
    x: Any,
    grad_output: Any,
    pool_size: Any = 2,
    strides: Any = None,
    padding: str = "valid",
    mode: str = "max",
) -> np.ndarray:
    """Gradient of :func:`pool2d` with respect to its input.

    Pooling has no weights, so backpropagation only *routes* each output
    gradient back into its window:

    * max (min): the whole gradient goes to the window's largest (smallest)
      value, the first one in row-major order on a tie; the others get 0;
    * average: each of the window's real (unpadded) values gets
      ``grad / count``, ``1 / k**2`` of it for a full ``k x k`` window.

    Where windows overlap (stride smaller than the window) the contributions add.

    Parameters
    ----------
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        The input of the forward pass.
    grad_output : array_like
        Gradient with respect to ``pool2d(x, pool_size, strides, padding, mode)``,
        of that output's shape.
    pool_size, strides, padding, mode
        As in :func:`pool2d`.

    Returns
    -------
    ndarray, shape of ``x``, floating point

    Examples
    --------
    >>> fmap = np.array([[1, 3, 2, 0],
    ...                  [4, 6, 1, 1],
    ...                  [0, 2, 5, 7],
    ...                  [1, 1, 3, 8]])
    >>> pool2d_backward(fmap, np.ones((2, 2)))
    array([[0., 0., 1., 0.],
           [0., 1., 0., 0.],
           [0., 1., 0., 0.],
           [0., 0., 0., 1.]])
    >>> pool2d_backward(fmap, np.ones((2, 2)), mode="average")
    array([[0.25, 0.25, 0.25, 0.25],
           [0.25, 0.25, 0.25, 0.25],
           [0.25, 0.25, 0.25, 0.25],
           [0.25, 0.25, 0.25, 0.25]])
    """
    batch, restore = _to_batch(x, 2)
    sizes = positive_ints(pool_size, 2, "pool_size")
    steps = sizes if strides is None else positive_ints(strides, 2, "strides")
    padding = check_padding(padding, ("valid", "same"))
    mode = _check_mode(mode)
    forward = _to_batch(pool2d(x, pool_size, strides, padding, mode), 2)[0]
    grad = as_real_array(grad_output, "grad_output")
    if grad.shape != np.shape(restore(forward)):
        raise ValueError(
            f"grad_output must have the shape of the pooled output, "
            f"{np.shape(restore(forward))}, got {grad.shape}"
        )
    grad = _to_batch(grad, 2)[0]
    dtype = np.result_type(batch.dtype, grad.dtype, np.float32)
    dtype = dtype if dtype.kind == "f" else np.dtype(np.float64)
    spatial = batch.shape[1:3]
    pads = [
        padding_amounts(n, k, padding, s) for n, k, s in zip(spatial, sizes, steps, strict=True)
    ]
    out_shape = forward.shape[1:3]
    fill = _neutral(batch.dtype, mode)
    padded = np.pad(batch, [(0, 0), *pads, (0, 0)], constant_values=fill)
    grad_padded = np.zeros(padded.shape, dtype=dtype)
    grad = grad.astype(dtype, copy=False)
    if mode == "average":
        real = np.pad(np.ones(spatial, dtype=dtype), pads)
        counts = np.zeros(out_shape, dtype=dtype)
    taken = np.zeros(forward.shape, dtype=bool)
    windows = []
    for tap in np.ndindex(*sizes):
        index = (slice(None),) + tuple(
            slice(t, t + (o - 1) * s + 1, s) for t, o, s in zip(tap, out_shape, steps, strict=True)
        )
        windows.append(index)
        if mode == "average":
            counts += real[index[1:]]
    for index in windows:
        if mode == "average":
            grad_padded[index] += grad * (real[index[1:]] / counts)[None, ..., None]
        else:
            winner = (padded[index] == forward) & ~taken
            taken |= winner
            grad_padded[index] += np.where(winner, grad, 0)
    (top, _), (left, _) = pads
    return restore(grad_padded[:, top : top + spatial[0], left : left + spatial[1]])


def pool3d(
    x: Any, pool_size: Any = 2, strides: Any = None, padding: str = "valid", mode: str = "max"
) -> np.ndarray:
    """Pool a volume along depth, height and width; see :func:`pool2d`.

    Examples
    --------
    >>> volume = np.arange(8).reshape(2, 2, 2)
    >>> pool3d(volume, 2, mode="average")
    array([[[3.5]]])
    """
    return _pool(x, 3, pool_size, strides, padding, mode)


def global_pool1d(x: Any, mode: str = "max", keepdims: bool = False) -> np.ndarray:
    """Reduce the length axis to one value per channel; see :func:`global_pool2d`."""
    return _global_pool(x, 1, mode, keepdims)


def global_pool2d(x: Any, mode: str = "max", keepdims: bool = False) -> np.ndarray:
    """One value per channel (and per example): the max, mean or min over height and width.

    This is Keras' ``GlobalMaxPooling2D`` / ``GlobalAveragePooling2D``: an
    ``(N, H, W, C)`` batch becomes ``(N, C)``, or ``(N, 1, 1, C)`` with
    ``keepdims=True``, whatever ``H`` and ``W`` are.

    Examples
    --------
    >>> x = np.arange(12.0).reshape(2, 3, 2)      # H=2, W=3, C=2
    >>> global_pool2d(x, "average")
    array([5., 6.])
    >>> global_pool2d(x, "max", keepdims=True).shape
    (1, 1, 2)
    """
    return _global_pool(x, 2, mode, keepdims)


def global_pool3d(x: Any, mode: str = "max", keepdims: bool = False) -> np.ndarray:
    """Reduce depth, height and width to one value per channel; see :func:`global_pool2d`."""
    return _global_pool(x, 3, mode, keepdims)


# --------------------------------------------------------------------------
# Adaptive pooling
# --------------------------------------------------------------------------


def adaptive_bins(n: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """Start (inclusive) and end (exclusive) of each of ``out`` adaptive bins over ``n``.

    ``start_i = floor(i * n / out)`` and ``end_i = ceil((i + 1) * n / out)``.

    Examples
    --------
    >>> starts, ends = adaptive_bins(7, 3)
    >>> starts.tolist(), ends.tolist()
    ([0, 2, 4], [3, 5, 7])
    >>> starts, ends = adaptive_bins(5, 3)
    >>> (ends - starts).tolist()
    [2, 3, 2]
    """
    (n,) = positive_ints(n, 1, "n")
    (out,) = positive_ints(out, 1, "output_size")
    i = np.arange(out)
    starts = (i * n) // out
    ends = -((-(i + 1) * n) // out)
    return starts, ends


def adaptive_pool1d(x: Any, output_size: Any, mode: str = "max") -> np.ndarray:
    """Pool a sequence to ``output_size`` bins; see :func:`adaptive_pool2d`."""
    return _adaptive_pool(x, 1, output_size, mode)


def adaptive_pool2d(x: Any, output_size: Any, mode: str = "max") -> np.ndarray:
    """Pool to a fixed ``output_size`` whatever the input size (Keras ``Adaptive*Pooling2D``).

    The bins along each axis come from :func:`adaptive_bins`; windows are
    chosen by the layer, not by the user.

    Parameters
    ----------
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
    output_size : int or (int, int)
    mode : {"max", "average", "min"}

    Examples
    --------
    >>> fmap = np.arange(25).reshape(5, 5)
    >>> adaptive_pool2d(fmap, 2)
    array([[12, 14],
           [22, 24]])
    >>> adaptive_pool2d(fmap, (1, 3), mode="average")
    array([[10.5, 12. , 13.5]])
    """
    return _adaptive_pool(x, 2, output_size, mode)


def adaptive_pool3d(x: Any, output_size: Any, mode: str = "max") -> np.ndarray:
    """Pool a volume to a fixed ``output_size``; see :func:`adaptive_pool2d`."""
    return _adaptive_pool(x, 3, output_size, mode)


# --------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------


def _check_mode(mode: Any) -> str:
    if not isinstance(mode, str) or mode.lower() not in MODES:
        names = ", ".join(repr(name) for name in MODES)
        raise ValueError(f"mode must be one of {names}, got {mode!r}")
    return mode.lower()


def _to_batch(x: Any, rank: int) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """``x`` as (N, *spatial, C) and a function that restores the caller's layout."""
    x = as_real_array(x, "x")
    layouts = _LAYOUTS[rank]
    if x.ndim not in (rank, rank + 1, rank + 2):
        names = " or ".join(f"{rank + i}-D {layout}" for i, layout in enumerate(layouts))
        raise ValueError(f"x must be {names}, got a {x.ndim}-D array of shape {x.shape}")
    if x.dtype.kind == "b":  # booleans pool as 0/1
        x = x.astype(np.uint8)
    if x.ndim == rank:
        return x[None, ..., None], lambda y: y[0, ..., 0]
    if x.ndim == rank + 1:
        return x[None], lambda y: y[0]
    return x, lambda y: y


def _pool(x: Any, rank: int, pool_size: Any, strides: Any, padding: str, mode: str) -> np.ndarray:
    batch, restore = _to_batch(x, rank)
    sizes = positive_ints(pool_size, rank, "pool_size")
    steps = sizes if strides is None else positive_ints(strides, rank, "strides")
    padding = check_padding(padding, ("valid", "same"))
    mode = _check_mode(mode)
    spatial = batch.shape[1:-1]
    for n, k, name in zip(spatial, sizes, _AXES[rank], strict=True):
        if padding == "valid" and k > n:
            raise ValueError(
                f"pool_size ({k}) is larger than the input ({n}) along {name} under "
                "'valid' padding; use padding='same' or a smaller pool_size"
            )
    if mode == "average":
        batch = batch.astype(
            np.result_type(batch.dtype, np.float32) if batch.dtype.kind == "f" else np.float64,
            copy=False,
        )
    fill = _neutral(batch.dtype, mode)
    combine = {"max": np.maximum, "min": np.minimum, "average": np.add}[mode]
    counts = np.ones((1,) * (rank + 2), dtype=batch.dtype)
    out = batch
    for axis, (n, k, s) in enumerate(zip(spatial, sizes, steps, strict=True), start=1):
        before, after = padding_amounts(n, k, padding, s)
        if before or after:
            pad_width = [(0, 0)] * out.ndim
            pad_width[axis] = (before, after)
            out = np.pad(out, pad_width, constant_values=fill)
        # One vectorized pass per window offset j: the j-th element of every window.
        n_out = (out.shape[axis] - k) // s + 1
        index: list[Any] = [slice(None)] * out.ndim
        index[axis] = slice(0, (n_out - 1) * s + 1, s)
        reduced = out[tuple(index)].copy()
        for j in range(1, k):
            index[axis] = slice(j, j + (n_out - 1) * s + 1, s)
            combine(reduced, out[tuple(index)], out=reduced)
        out = reduced
        if mode == "average":
            starts = np.arange(out.shape[axis]) * s - before
            real = np.minimum(starts + k, n) - np.maximum(starts, 0)
            shape = [1] * out.ndim
            shape[axis] = -1
            counts = counts * real.reshape(shape)
    if mode == "average":
        out = out / counts
    return restore(out)


def _neutral(dtype: np.dtype, mode: str) -> Any:
    """The padding value that never wins: -inf for max, +inf for min, 0 for a sum."""
    if mode == "average":
        return 0
    if dtype.kind == "f":
        return -np.inf if mode == "max" else np.inf
    info = np.iinfo(dtype)
    return info.min if mode == "max" else info.max


def _global_pool(x: Any, rank: int, mode: str, keepdims: bool) -> np.ndarray:
    batch, restore = _to_batch(x, rank)
    mode = _check_mode(mode)
    axes = tuple(range(1, rank + 1))
    reduce = {"max": np.max, "min": np.min, "average": np.mean}[mode]
    out = reduce(batch, axis=axes, keepdims=True)
    if keepdims:
        return restore(out)
    original_ndim = np.ndim(x)
    out = out.reshape(out.shape[0], out.shape[-1])
    if original_ndim == rank:
        return out[0, 0]
    if original_ndim == rank + 1:
        return out[0]
    return out


def _adaptive_pool(x: Any, rank: int, output_size: Any, mode: str) -> np.ndarray:
    batch, restore = _to_batch(x, rank)
    sizes = positive_ints(output_size, rank, "output_size")
    mode = _check_mode(mode)
    if mode == "average" and batch.dtype.kind != "f":
        batch = batch.astype(np.float64)
    out = batch
    for axis, (n, m) in enumerate(zip(batch.shape[1:-1], sizes, strict=True), start=1):
        starts, ends = adaptive_bins(n, m)
        longest = int((ends - starts).max())
        index = starts[:, None] + np.arange(longest)[None, :]
        inside = index < ends[:, None]
        # Positions past a bin's end repeat its last element: harmless for max and
        # min, masked out for the average.
        gathered = np.take(out, np.minimum(index, ends[:, None] - 1), axis=axis)
        if mode == "average":
            shape = [1] * gathered.ndim
            shape[axis], shape[axis + 1] = m, longest
            total = np.where(inside.reshape(shape), gathered, 0).sum(axis=axis + 1)
            width = [1] * total.ndim
            width[axis] = m
            out = total / (ends - starts).reshape(width).astype(total.dtype)
        else:
            out = (np.max if mode == "max" else np.min)(gathered, axis=axis + 1)
    return restore(out)


def pooled_size(n: int, pool_size: int, strides: int | None = None, padding: str = "valid") -> int:
    """Output length of pooling an axis of length ``n`` (Keras' rule).

    Examples
    --------
    >>> pooled_size(32, 2)
    16
    >>> pooled_size(7, 2, padding="same")
    4
    """
    check_padding(padding, ("valid", "same"))
    return output_size(n, pool_size, padding, pool_size if strides is None else strides)


# --------------------------------------------------------------------------
# Figures and demonstration data
# --------------------------------------------------------------------------

_WINDOW_COLOURS = ("#fde0c5", "#c6dbef", "#d9f0d3", "#e7d4e8", "#fff2ae", "#f2f2f2")


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

    from convnotes.i18n import localize_digits

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

    from convnotes.plots import text_props, words

    fmap = np.asarray(fmap)
    if fmap.ndim != 2:
        raise ValueError(f"fmap must be 2-D (height, width), got shape {fmap.shape}")
    outputs = [
        (pool2d(fmap, pool_size, mode=mode), title)
        for mode, title in (
            ("max", ("max", "بیشینه")),
            ("average", ("average", "میانگین")),
            ("min", ("min", "کمینه")),
        )
    ]
    out_h, out_w = outputs[0][0].shape
    window = (np.arange(out_h)[:, None] * out_w + np.arange(out_w)[None, :]) % len(_WINDOW_COLOURS)
    palette = np.array(_WINDOW_COLOURS)
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
    for values, (en, fa) in outputs:
        _draw_grid(ax, values, x, y, palette[window], lang, fmt=".4g")
        ax.text(x + out_w / 2, y + 1.25, words(lang, en, fa), ha="center", fontsize=11, **props)
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

    from convnotes.i18n import localize_digits
    from convnotes.plots import text_props, words

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
                    facecolor=_WINDOW_COLOURS[b % 4],
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

    from convnotes.i18n import localize_digits
    from convnotes.plots import style_axes, text_props, words

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


__all__: Sequence[str] = [
    "MODES",
    "adaptive_bins",
    "adaptive_pool1d",
    "adaptive_pool2d",
    "adaptive_pool3d",
    "global_pool1d",
    "global_pool2d",
    "global_pool3d",
    "plot_adaptive_bins",
    "plot_bars",
    "plot_pooling_example",
    "pool1d",
    "pool2d",
    "pool2d_backward",
    "pool3d",
    "pooled_size",
    "text_image",
]
