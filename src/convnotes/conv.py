"""Reference 2D and 3D cross-correlation and convolution in NumPy.

Deep-learning "convolution" layers compute a *cross-correlation*: the kernel is
slid over the input as it is, and at every position the products of kernel and
input values are summed. True (mathematical) *convolution* flips the kernel
along every spatial axis first. This module provides both, for

* one single-channel image: :func:`correlate2d`, :func:`convolve2d`;
* multi-channel images with ``C_out`` filters (Keras ``Conv2D`` semantics, a
  filter spans every input channel and yields one output channel):
  :func:`conv2d`;
* volumes, depth x height x width x channels (Keras ``Conv3D``): :func:`conv3d`.

All of them accept ``padding`` ("valid", "same", "full"), ``stride`` and
``dilation``. "same" follows Keras/TensorFlow exactly: the output has
``ceil(n / stride)`` positions and when the total padding is odd the extra row
or column goes after the input (bottom/right). "full" pads ``k_eff - 1`` on each
side, where ``k_eff = dilation * (k - 1) + 1`` is the reach of a dilated kernel.

The implementation loops over the *kernel taps* (``k_h * k_w`` of them, 9 for a
3x3 kernel), never over pixels: each tap adds one shifted, strided view of the
padded input times that tap's weight. Results are computed in the common
floating type of the inputs (float32 stays float32; integers become float64).

The output-size arithmetic (:func:`output_size`, :func:`padding_amounts`, ...) lives
in :mod:`convnotes.shapes` and is re-exported here; the array checks here are shared
with :mod:`convnotes.pooling`. Figures of these operations are in
:mod:`convnotes.presentation.conv`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from convnotes.shapes import (
    PADDINGS,
    check_padding,
    conv_output_length,
    effective_size,
    output_size,
    padding_amounts,
    positive_ints,
    total_padding,
)

# Elements per block of the single-channel fast path: 64K float32 values keep
# the accumulator and the temporary inside a core's L2 cache.
_BLOCK = 1 << 16


# --------------------------------------------------------------------------
# Array checks (shared with convnotes.pooling)
# --------------------------------------------------------------------------


def as_real_array(value: Any, name: str) -> np.ndarray:
    """``value`` as a non-empty NumPy array of booleans, integers or floats.

    Raises ``TypeError`` for anything else (strings, objects, complex numbers)
    and ``ValueError`` for an empty array.

    Examples
    --------
    >>> as_real_array([[1, 2], [3, 4]], "image").dtype.kind
    'i'
    >>> as_real_array(["a", "b"], "image")
    Traceback (most recent call last):
    ...
    TypeError: image must hold real numbers (bool, int or float), got dtype <U1
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists
        raise TypeError(f"{name} must be an array of real numbers: {error}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold real numbers (bool, int or float), got dtype {array.dtype}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return array


def check_ndim(array: np.ndarray, name: str, allowed: dict[int, str]) -> None:
    """Raise ``ValueError`` unless ``array.ndim`` is a key of ``allowed`` (ndim -> layout)."""
    if array.ndim not in allowed:
        layouts = " or ".join(f"{ndim}-D {layout}" for ndim, layout in allowed.items())
        raise ValueError(
            f"{name} must be {layouts}, got a {array.ndim}-D array of shape {array.shape}"
        )


def float_dtype(*arrays: np.ndarray) -> np.dtype:
    """The common floating type of ``arrays`` (integers and booleans give float64)."""
    dtype = np.result_type(*arrays)
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


# --------------------------------------------------------------------------
# Single-channel 2D
# --------------------------------------------------------------------------


def correlate2d(
    image: Any, kernel: Any, *, padding: str = "valid", stride: Any = 1, dilation: Any = 1
) -> np.ndarray:
    """Cross-correlate a single-channel image with a kernel (no flip), as CNN layers do.

    ``out[r, c] = sum_ij kernel[i, j] * padded[r*s_h + i*d_h, c*s_w + j*d_w]``

    Parameters
    ----------
    image : array_like, shape (H, W)
        One channel of real numbers.
    kernel : array_like, shape (k_h, k_w)
    padding : {"valid", "same", "full"}
        "same" uses Keras' rule (extra row/column at the bottom/right).
    stride, dilation : int or (int, int)
        Step between output positions; spacing between kernel taps.

    Returns
    -------
    ndarray, shape (H_out, W_out)
        See :func:`output_size`; floating type common to the inputs.

    Examples
    --------
    >>> image = np.arange(16).reshape(4, 4)
    >>> correlate2d(image, [[1, 0], [0, -1]])
    array([[-5., -5., -5.],
           [-5., -5., -5.],
           [-5., -5., -5.]])
    >>> correlate2d(image, np.ones((3, 3)), padding="same", stride=2)
    array([[45., 39.],
           [66., 50.]])
    """
    image = as_real_array(image, "image")
    kernel = as_real_array(kernel, "kernel")
    check_ndim(image, "image", {2: "(height, width)"})
    check_ndim(kernel, "kernel", {2: "(kernel_height, kernel_width)"})
    padding = check_padding(padding)
    strides = positive_ints(stride, 2, "stride")
    dilations = positive_ints(dilation, 2, "dilation")
    pads = _pads(image.shape, kernel.shape, padding, strides, dilations)
    dtype = float_dtype(image, kernel)
    image, kernel = image.astype(dtype, copy=False), kernel.astype(dtype, copy=False)
    if padding == "same" and strides == (1, 1) and sum(pads[1]) < image.shape[1]:
        return _correlate2d_same_flat(image, kernel, pads, dilations)
    out = _correlate(image[None, ..., None], kernel[..., None, None], pads, strides, dilations)
    return out[0, ..., 0]


def convolve2d(
    image: Any, kernel: Any, *, padding: str = "valid", stride: Any = 1, dilation: Any = 1
) -> np.ndarray:
    """True 2D convolution: :func:`correlate2d` with the kernel flipped in both axes.

    ``convolve2d(x, k, ...) == correlate2d(x, k[::-1, ::-1], ...)``, with the same
    padding rule. For symmetric kernels (blur, Laplacian) the two agree.

    Examples
    --------
    >>> image = np.arange(16).reshape(4, 4)
    >>> convolve2d(image, [[1, 0], [0, -1]])
    array([[5., 5., 5.],
           [5., 5., 5.],
           [5., 5., 5.]])
    """
    kernel = as_real_array(kernel, "kernel")
    check_ndim(kernel, "kernel", {2: "(kernel_height, kernel_width)"})
    return correlate2d(image, kernel[::-1, ::-1], padding=padding, stride=stride, dilation=dilation)


# --------------------------------------------------------------------------
# Multi-channel 2D and 3D (Keras Conv2D / Conv3D semantics)
# --------------------------------------------------------------------------


def conv2d(
    x: Any,
    weights: Any,
    bias: Any = None,
    *,
    padding: str = "valid",
    stride: Any = 1,
    dilation: Any = 1,
) -> np.ndarray:
    """What ``keras.layers.Conv2D`` computes (channels last, no activation).

    Each of the ``C_out`` filters spans the whole kernel window *and every input
    channel*; it slides along height and width only and produces one output
    channel. Output channel ``o`` is the sum over input channels ``c`` of
    ``correlate2d(x[..., c], weights[..., c, o])``, plus ``bias[o]``.

    Parameters
    ----------
    x : array_like, shape (H, W, C_in) or (N, H, W, C_in)
    weights : array_like, shape (k_h, k_w, C_in, C_out)
        The layout of ``Conv2D.kernel``.
    bias : array_like, shape (C_out,), optional
    padding, stride, dilation
        As in :func:`correlate2d`.

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out) or (N, H_out, W_out, C_out)

    Examples
    --------
    >>> x = np.ones((4, 4, 3))
    >>> w = np.ones((3, 3, 3, 2))
    >>> conv2d(x, w, bias=[0.0, 1.0]).shape
    (2, 2, 2)
    >>> conv2d(x, w, bias=[0.0, 1.0])[0, 0]
    array([27., 28.])
    """
    return _conv(x, weights, bias, 2, padding, stride, dilation)


def conv3d(
    x: Any,
    weights: Any,
    bias: Any = None,
    *,
    padding: str = "valid",
    stride: Any = 1,
    dilation: Any = 1,
) -> np.ndarray:
    """What ``keras.layers.Conv3D`` computes (channels last, no activation).

    The kernel is four-dimensional, ``(k_d, k_h, k_w, C_in)``: it covers every
    input channel at once and slides along depth, height *and* width; each of the
    ``C_out`` filters yields one output volume.

    Parameters
    ----------
    x : array_like, shape (D, H, W, C_in) or (N, D, H, W, C_in)
    weights : array_like, shape (k_d, k_h, k_w, C_in, C_out)
    bias : array_like, shape (C_out,), optional
    padding : {"valid", "same", "full"}
    stride, dilation : int or (int, int, int)

    Returns
    -------
    ndarray, shape (D_out, H_out, W_out, C_out) or with the batch axis first

    Examples
    --------
    >>> volume = np.ones((4, 5, 6, 2))
    >>> conv3d(volume, np.ones((3, 3, 3, 2, 1))).shape
    (2, 3, 4, 1)
    >>> float(conv3d(volume, np.ones((3, 3, 3, 2, 1)))[0, 0, 0, 0])
    54.0
    """
    return _conv(x, weights, bias, 3, padding, stride, dilation)


_AXIS_NAMES = {1: ("width",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def _conv(
    x: Any, weights: Any, bias: Any, rank: int, padding: str, stride: Any, dilation: Any
) -> np.ndarray:
    spatial = ", ".join(_AXIS_NAMES[rank])
    kernel_axes = ", ".join(f"k_{name[0]}" for name in _AXIS_NAMES[rank])
    x = as_real_array(x, "x")
    weights = as_real_array(weights, "weights")
    check_ndim(
        x, "x", {rank + 1: f"({spatial}, channels)", rank + 2: f"(batch, {spatial}, channels)"}
    )
    check_ndim(weights, "weights", {rank + 2: f"({kernel_axes}, in_channels, out_channels)"})
    if weights.shape[-2] != x.shape[-1]:
        raise ValueError(
            f"weights expect {weights.shape[-2]} input channels (weights.shape[-2]) "
            f"but x has {x.shape[-1]} (x.shape[-1]): every filter spans all input channels"
        )
    padding = check_padding(padding)
    strides = positive_ints(stride, rank, "stride")
    dilations = positive_ints(dilation, rank, "dilation")
    batched = x.ndim == rank + 2
    spatial_shape = x.shape[1:-1] if batched else x.shape[:-1]
    pads = _pads(spatial_shape, weights.shape[:rank], padding, strides, dilations)
    arrays = [x, weights]
    if bias is not None:
        bias = as_real_array(bias, "bias")
        if bias.shape != (weights.shape[-1],):
            raise ValueError(
                f"bias must have shape ({weights.shape[-1]},), one value per filter, "
                f"got shape {bias.shape}"
            )
        arrays.append(bias)
    dtype = float_dtype(*arrays)
    batch = x.astype(dtype, copy=False) if batched else x[None].astype(dtype, copy=False)
    out = _correlate(batch, weights.astype(dtype, copy=False), pads, strides, dilations)
    if bias is not None:
        out += bias.astype(dtype, copy=False)
    return out if batched else out[0]


# --------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------


def _pads(
    shape: Sequence[int],
    kernel_shape: Sequence[int],
    padding: str,
    strides: Sequence[int],
    dilations: Sequence[int],
) -> list[tuple[int, int]]:
    """Per-axis (before, after) padding; raises if a kernel outgrows a 'valid' input."""
    pads = []
    names = _AXIS_NAMES.get(len(shape), tuple(f"axis {i}" for i in range(len(shape))))
    for n, k, s, d, name in zip(shape, kernel_shape, strides, dilations, names, strict=True):
        k_eff = effective_size(k, d)
        if padding == "valid" and k_eff > n:
            dilated = f" with dilation {d}" if d > 1 else ""
            raise ValueError(
                f"kernel (effective size {k_eff}{dilated}) is larger than the input ({n}) "
                f"along {name} under 'valid' padding; use padding='same' or a smaller kernel"
            )
        pads.append(padding_amounts(n, k, padding, s, d))
    return pads


def _correlate(
    x: np.ndarray,
    w: np.ndarray,
    pads: Sequence[tuple[int, int]],
    strides: Sequence[int],
    dilations: Sequence[int],
) -> np.ndarray:
    """Cross-correlate ``x`` (N, *spatial, C_in) with ``w`` (*kernel, C_in, C_out).

    One pass per kernel tap: the tap's strided view of the padded input, shape
    (N, *out, C_in), is multiplied by the tap's (C_in, C_out) weight matrix and
    added to the output.
    """
    rank = w.ndim - 2
    padded = np.pad(x, [(0, 0), *pads, (0, 0)]) if any(map(any, pads)) else x
    out_shape = [
        conv_output_length(n, k, s, 0, d)
        for n, k, s, d in zip(padded.shape[1:-1], w.shape[:rank], strides, dilations, strict=True)
    ]
    out = np.zeros((x.shape[0], *out_shape, w.shape[-1]), dtype=x.dtype)
    single_channel = w.shape[-2] == 1 and w.shape[-1] == 1
    product = np.empty_like(out)
    for tap in np.ndindex(*w.shape[:rank]):
        window = padded[
            (slice(None),)
            + tuple(
                slice(t * d, t * d + (o - 1) * s + 1, s)
                for t, d, o, s in zip(tap, dilations, out_shape, strides, strict=True)
            )
        ]
        if single_channel:
            np.multiply(window, w[tap][0, 0], out=product)
        else:
            np.matmul(window, w[tap], out=product)
        out += product
    return out


def _correlate2d_same_flat(
    image: np.ndarray, kernel: np.ndarray, pads: Sequence[tuple[int, int]], dilations: Sequence[int]
) -> np.ndarray:
    """Single-channel 'same' correlation with stride 1, without a padded copy.

    With the image flattened row by row, every tap is one contiguous 1-D slice
    at offset ``di * W + dj``: rows that fall outside the image fall outside the
    flat array and are skipped, but a column shift wraps into the neighbouring
    row. The few border columns a wrap can reach are recomputed by the general
    engine afterwards (requires ``left + right < W``). The output is built in
    cache-sized blocks.
    """
    height, width = image.shape
    (top, _), (left, right) = pads
    d_h, d_w = dilations
    flat = image.ravel()
    n = flat.size
    out = np.empty(n, dtype=image.dtype)
    block = np.empty(min(n, _BLOCK), dtype=image.dtype)
    taps = [
        ((i * d_h - top) * width + (j * d_w - left), kernel[i, j])
        for i, j in np.ndindex(*kernel.shape)
    ]
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        acc = out[start:stop]
        initialised = False
        for offset, weight in taps:
            lo, hi = max(start, -offset), min(stop, n - offset)
            if lo >= hi:
                continue
            source = flat[lo + offset : hi + offset]
            if not initialised and (lo, hi) == (start, stop):
                np.multiply(source, weight, out=acc)
                initialised = True
                continue
            if not initialised:
                acc.fill(0)
                initialised = True
            tmp = block[: hi - lo]
            np.multiply(source, weight, out=tmp)
            acc[lo - start : hi - start] += tmp
        if not initialised:
            acc.fill(0)
    out = out.reshape(height, width)
    # Border columns, computed on the transposed strip so that the engine's
    # inner loops run along the long axis.
    kernel_t = kernel.T[..., None, None]
    dilations_t = dilations[::-1]
    if left:  # output columns [0, left) read input columns [0, left + right)
        strip = image[:, : left + right].T[None, ..., None]
        columns = _correlate(strip, kernel_t, [(left, 0), pads[0]], (1, 1), dilations_t)
        out[:, :left] = columns[0, ..., 0].T
    if right:  # output columns [width - right, width) read [width - right - left, width)
        strip = image[:, width - right - left :].T[None, ..., None]
        columns = _correlate(strip, kernel_t, [(0, right), pads[0]], (1, 1), dilations_t)
        out[:, width - right :] = columns[0, ..., 0].T
    return out


# --------------------------------------------------------------------------
# Backpropagation
# --------------------------------------------------------------------------


def conv2d_backward(
    x: Any,
    weights: Any,
    grad_output: Any,
    *,
    padding: str = "valid",
    stride: Any = 1,
    dilation: Any = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a :func:`conv2d` layer with respect to its input, weights and bias.

    For ``y = conv2d(x, weights, bias, ...)`` and the gradient ``grad_output`` of a
    loss with respect to ``y``:

    * ``grad_x`` spreads every output gradient back over the window that produced
      it, weighted by the kernel: for stride 1 and no padding it is the *full*
      correlation of ``grad_output`` with the kernel flipped in both axes (and its
      channel axes swapped), i.e. a full convolution;
    * ``grad_weights[i, j, c, o]`` is the correlation of the (padded) input with
      ``grad_output``: the sum over positions of
      ``x[r*s + i*d, c*s + j*d, c] * grad_output[r, c, o]``;
    * ``grad_bias[o]`` is the sum of ``grad_output[..., o]`` over batch and positions.

    Parameters
    ----------
    x : array_like, shape (H, W, C_in) or (N, H, W, C_in)
    weights : array_like, shape (k_h, k_w, C_in, C_out)
    grad_output : array_like, shape of the output of ``conv2d(x, weights, ...)``
    padding, stride, dilation
        As in :func:`conv2d`.

    Returns
    -------
    grad_x : ndarray, shape of ``x``
    grad_weights : ndarray, shape of ``weights``
    grad_bias : ndarray, shape (C_out,)

    Examples
    --------
    >>> x = np.arange(9.0).reshape(3, 3, 1)
    >>> w = np.ones((2, 2, 1, 1))
    >>> g = np.ones((2, 2, 1))
    >>> gx, gw, gb = conv2d_backward(x, w, g)
    >>> gx[..., 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> gw[..., 0, 0]
    array([[ 8., 12.],
           [20., 24.]])
    >>> gb
    array([4.])
    """
    x = as_real_array(x, "x")
    weights = as_real_array(weights, "weights")
    grad_output = as_real_array(grad_output, "grad_output")
    check_ndim(x, "x", {3: "(height, width, channels)", 4: "(batch, height, width, channels)"})
    check_ndim(weights, "weights", {4: "(k_h, k_w, in_channels, out_channels)"})
    if weights.shape[-2] != x.shape[-1]:
        raise ValueError(
            f"weights expect {weights.shape[-2]} input channels (weights.shape[-2]) "
            f"but x has {x.shape[-1]} (x.shape[-1])"
        )
    padding = check_padding(padding)
    strides = positive_ints(stride, 2, "stride")
    dilations = positive_ints(dilation, 2, "dilation")
    batched = x.ndim == 4
    spatial = x.shape[1:3] if batched else x.shape[:2]
    pads = _pads(spatial, weights.shape[:2], padding, strides, dilations)
    out_shape = tuple(
        output_size(n, k, padding, s, d)
        for n, k, s, d in zip(spatial, weights.shape[:2], strides, dilations, strict=True)
    )
    expected = (*((x.shape[0],) if batched else ()), *out_shape, weights.shape[-1])
    if grad_output.shape != expected:
        raise ValueError(
            f"grad_output must have the shape of the layer's output, {expected}, "
            f"got {grad_output.shape}"
        )
    dtype = float_dtype(x, weights, grad_output)
    batch = (x if batched else x[None]).astype(dtype, copy=False)
    grad = (grad_output if batched else grad_output[None]).astype(dtype, copy=False)
    w = weights.astype(dtype, copy=False)
    padded = np.pad(batch, [(0, 0), *pads, (0, 0)])
    grad_padded = np.zeros_like(padded)
    grad_w = np.zeros_like(w)
    n_in, n_out = w.shape[-2], w.shape[-1]
    flat_grad = grad.reshape(-1, n_out)
    for tap in np.ndindex(*w.shape[:2]):
        index = (slice(None),) + tuple(
            slice(t * d, t * d + (o - 1) * s + 1, s)
            for t, d, o, s in zip(tap, dilations, out_shape, strides, strict=True)
        )
        window = padded[index]
        grad_w[tap] = window.reshape(-1, n_in).T @ flat_grad
        grad_padded[index] += grad @ w[tap].T
    (top, _), (left, _) = pads
    grad_x = grad_padded[:, top : top + spatial[0], left : left + spatial[1]]
    grad_b = flat_grad.sum(axis=0)
    return (grad_x if batched else grad_x[0]), grad_w, grad_b


def receptive_field_growth(
    kernel_sizes: Sequence[int],
    strides: Sequence[int] | None = None,
    dilations: Sequence[int] | None = None,
) -> list[tuple[int, int]]:
    """Receptive field and jump after each layer of a stack, along one axis.

    Layer ``l`` has a kernel (or pooling window) of ``k_l`` taps, stride ``s_l``
    and dilation ``d_l``; a pooling layer is a kernel whose stride equals its
    size. The *jump* ``J_l = s_1 * ... * s_l`` is the distance, in input
    positions, between neighbouring outputs of layer ``l``; each layer widens
    the field by ``(k_eff_l - 1)`` of the previous layer's jumps:
    ``r_l = r_{l-1} + (d_l (k_l - 1)) J_{l-1}`` with ``r_0 = 1``, ``J_0 = 1``.
    Padding shifts the window but does not change its size.

    Returns
    -------
    list of (field, jump)
        One pair per layer.

    Examples
    --------
    >>> receptive_field_growth([3, 3, 3])
    [(3, 1), (5, 1), (7, 1)]
    >>> receptive_field_growth([3, 2, 3], strides=[1, 2, 1])   # conv, 2x2 pool, conv
    [(3, 1), (4, 2), (8, 2)]
    >>> receptive_field_growth([3, 3], dilations=[1, 2])
    [(3, 1), (7, 1)]
    """
    if isinstance(kernel_sizes, (int, str)) or not isinstance(kernel_sizes, Sequence):
        raise TypeError(
            f"kernel_sizes must be a sequence of positive integers, one per layer, "
            f"got {kernel_sizes!r}"
        )
    count = len(kernel_sizes)
    if count == 0:
        raise ValueError("kernel_sizes must name at least one layer")
    sizes = positive_ints(tuple(kernel_sizes), count, "kernel_sizes")
    steps = (1,) * count if strides is None else _per_layer(strides, count, "strides")
    gaps = (1,) * count if dilations is None else _per_layer(dilations, count, "dilations")
    field, jump = 1, 1
    growth = []
    for k, s, d in zip(sizes, steps, gaps, strict=True):
        field += (effective_size(k, d) - 1) * jump
        jump *= s
        growth.append((field, jump))
    return growth


def _per_layer(values: Any, count: int, name: str) -> tuple[int, ...]:
    if isinstance(values, (int, str)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a sequence of {count} positive integers, got {values!r}")
    if len(values) != count:
        raise ValueError(
            f"{name} must have one value per layer ({count}, as kernel_sizes), got {len(values)}"
        )
    return positive_ints(tuple(values), count, name)


def receptive_field(
    kernel_sizes: Sequence[int],
    strides: Sequence[int] | None = None,
    dilations: Sequence[int] | None = None,
) -> int:
    """Receptive field, in input positions, of a stack of convolution/pooling layers.

    ``r = 1 + sum_l (k_eff_l - 1) * prod_{m<l} s_m``, where ``k_eff = d (k - 1) + 1``.
    A pooling layer enters as a kernel of its window size with stride equal to
    the window (see :func:`receptive_field_growth` for the field after every
    layer).

    Examples
    --------
    >>> receptive_field([3, 3])
    5
    >>> receptive_field([3, 2, 3], strides=[1, 2, 1])
    8
    >>> receptive_field([3, 3, 3], dilations=[1, 2, 4])
    15
    """
    return receptive_field_growth(kernel_sizes, strides, dilations)[-1][0]


__all__ = [
    "PADDINGS",
    "as_real_array",
    "check_ndim",
    "check_padding",
    "conv2d",
    "conv2d_backward",
    "conv3d",
    "convolve2d",
    "correlate2d",
    "effective_size",
    "float_dtype",
    "output_size",
    "padding_amounts",
    "positive_ints",
    "receptive_field",
    "receptive_field_growth",
    "total_padding",
]
