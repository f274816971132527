"""Test helpers: which TensorFlow CPU path runs, its pinned defects, and loop references.

The Keras comparison tests run on whichever path this pytest process took (oneDNN or
Eigen, see :mod:`convnotes._tf`); ``.ci/run`` runs them once on each. Where Keras is
wrong on one path, a test pins what that path does (a fact about the path, not a
reason to loosen a tolerance) and checks the convnotes reference against the direct
loops below instead, so no case goes unchecked.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from convnotes._tf import onednn_enabled

ONEDNN = onednn_enabled()


def same_padding_total(n: int, k_eff: int, stride: int) -> int:
    """TensorFlow's "same" padding total before clipping: negative when the stride skips."""
    return (math.ceil(n / stride) - 1) * stride + k_eff - n


def eigen_start_shift(spatial, k_eff, strides, padding) -> tuple[int, ...] | None:
    """Where Eigen's 3D kernels read from, when "same" asks for a negative padding.

    TensorFlow clips a negative "same" padding to zero, so the first window starts at
    the first sample. Eigen's Conv3D, MaxPooling3D and AveragePooling3D keep the negative
    amount and start the first window ``(-total) // 2`` samples in (3 samples, kernel 1,
    stride 3: the middle one). Returns that shift per axis, or None where no axis is affected.
    """
    if padding != "same":
        return None
    shift = tuple(
        max(-same_padding_total(n, k, s), 0) // 2
        for n, k, s in zip(spatial, k_eff, strides, strict=True)
    )
    return shift if any(shift) else None


def crop_start(x: np.ndarray, shift: tuple[int, ...]) -> np.ndarray:
    """``x`` (batch, *spatial, channels) without the first ``shift`` samples per axis."""
    return x[(slice(None), *(slice(s, None) for s in shift), slice(None))]


def same_pads(n: int, k_eff: int, stride: int) -> tuple[int, int]:
    """TensorFlow's documented "same" padding (clipped at zero, larger half after)."""
    total = max(same_padding_total(n, k_eff, stride), 0)
    return total // 2, total - total // 2


def loop_correlate(x, weights, bias, padding, stride, dilation):
    """Multi-channel N-d cross-correlation by a Python loop over output positions.

    ``x`` (batch, *spatial, C_in), ``weights`` (*kernel, C_in, C_out): the textbook sum,
    with TensorFlow's padding rule written out here, independent of convnotes.conv.
    """
    rank = weights.ndim - 2
    kernel = weights.shape[:rank]
    k_eff = [d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True)]
    spatial = x.shape[1:-1]
    if padding == "same":
        pads = [same_pads(n, k, s) for n, k, s in zip(spatial, k_eff, stride, strict=True)]
    else:
        pads = [(0, 0)] * rank
    xp = np.pad(x.astype(np.float64), [(0, 0), *pads, (0, 0)])
    out_shape = [
        (n + p0 + p1 - k) // s + 1
        for n, (p0, p1), k, s in zip(spatial, pads, k_eff, stride, strict=True)
    ]
    out = np.empty((x.shape[0], *out_shape, weights.shape[-1]))
    for pos in itertools.product(*(range(o) for o in out_shape)):
        index = tuple(
            slice(p * s, p * s + k, d)
            for p, s, k, d in zip(pos, stride, k_eff, dilation, strict=True)
        )
        patch = xp[(slice(None), *index, slice(None))]  # (batch, *kernel, C_in)
        out[(slice(None), *pos, slice(None))] = (
            np.tensordot(patch, weights.astype(np.float64), axes=rank + 1) + bias
        )
    return out


def loop_pool(x, size, strides, padding, mode):
    """N-d pooling of (batch, *spatial, C) by a loop over windows; padding never wins.

    Padded positions are left out of every window (TensorFlow's rule for max, min and
    average alike).
    """
    rank = x.ndim - 2
    strides = size if strides is None else strides
    spatial = x.shape[1:-1]
    if padding == "same":
        pads = [same_pads(n, k, s) for n, k, s in zip(spatial, size, strides, strict=True)]
    else:
        pads = [(0, 0)] * rank
    out_shape = [
        (n + p0 + p1 - k) // s + 1
        for n, (p0, p1), k, s in zip(spatial, pads, size, strides, strict=True)
    ]
    reduce = {"max": np.max, "min": np.min, "average": np.mean}[mode]
    out = np.empty((x.shape[0], *out_shape, x.shape[-1]))
    for pos in itertools.product(*(range(o) for o in out_shape)):
        index = tuple(
            slice(max(p * s - p0, 0), min(p * s - p0 + k, n))
            for p, s, (p0, _), k, n in zip(pos, strides, pads, size, spatial, strict=True)
        )
        window = x[(slice(None), *index, slice(None))].astype(np.float64)
        out[(slice(None), *pos, slice(None))] = reduce(
            window.reshape(x.shape[0], -1, x.shape[-1]), axis=1
        )
    return out
