"""Reference pooling in NumPy: max, average, min, global and adaptive.

A pooling layer summarises each window of a feature map by one number and has
no weights. Every function here works channel by channel and accepts

* 1D: ``(L,)``, ``(L, C)`` or ``(N, L, C)``;
* 2D: ``(H, W)``, ``(H, W, C)`` or ``(N, H, W, C)`` (channels last, as Keras);
* 3D: ``(D, H, W)``, ``(D, H, W, C)`` or ``(N, D, H, W, C)``;

and returns an array of the same layout.

Padding follows Keras/TensorFlow: "same" pads with the split of
:func:`convnotes.shapes.padding_amounts`, padded positions never win a max or a
min, and an average divides by the number of *real* values in the window. The
output length of a pooled axis is :func:`pooled_size` (from :mod:`convnotes.shapes`);
the figures of the pooling chapter are in :mod:`convnotes.presentation.pooling`.

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

from convnotes.conv import as_real_array
from convnotes.shapes import (
    check_padding,
    conv_output_length,
    padding_amounts,
    pooled_size,
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
        n_out = conv_output_length(out.shape[axis], k, s)
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


__all__: Sequence[str] = [
    "MODES",
    "adaptive_bins",
    "adaptive_pool1d",
    "adaptive_pool2d",
    "adaptive_pool3d",
    "global_pool1d",
    "global_pool2d",
    "global_pool3d",
    "pool1d",
    "pool2d",
    "pool2d_backward",
    "pool3d",
    "pooled_size",
]
