"""convnotes.conv against hand computations, SciPy, OpenCV and Keras Conv2D/Conv3D."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import signal

from convnotes import conv
from convnotes._tf import import_keras

import keras_paths

keras = import_keras()

KERAS_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def keras_conv(x, weights, bias, padding, stride, dilation):
    """Run ``x`` through a Keras Conv2D/Conv3D layer holding ``weights`` and ``bias``.

    A single-channel input gets a second, all-zero channel (with zero weights):
    the same mathematics, but it keeps TensorFlow off a defective path. TF 2.21's
    oneDNN convolution returned wrong values (zeros, sometimes garbage) on an AVX-512
    CPU for some single-channel inputs with a stride above 1 along the width and
    "same" padding, e.g. x of shape (2, 2, 1, 1), a 1x2 kernel and strides (1, 2);
    Eigen, and oneDNN on AVX2-only CPUs, are right there (tests/test_tf_defects.py).
    """
    if x.shape[-1] == 1:
        x = np.concatenate([x, np.zeros_like(x)], axis=-1)
        weights = np.concatenate([weights, np.zeros_like(weights)], axis=-2)
    rank = weights.ndim - 2
    layer_class = keras.layers.Conv2D if rank == 2 else keras.layers.Conv3D
    layer = layer_class(
        weights.shape[-1],
        weights.shape[:rank],
        strides=stride,
        padding=padding,
        dilation_rate=dilation,
    )
    layer.build(x.shape)
    layer.set_weights([weights, bias])
    return keras.ops.convert_to_numpy(layer(x))


def dilate(kernel, dilation):
    """Insert ``dilation - 1`` zeros between kernel taps (an independent dilation reference)."""
    k_h, k_w = kernel.shape
    d_h, d_w = dilation
    out = np.zeros(((k_h - 1) * d_h + 1, (k_w - 1) * d_w + 1), kernel.dtype)
    out[::d_h, ::d_w] = kernel
    return out


# --------------------------------------------------------------------------
# Hand-computed examples
# --------------------------------------------------------------------------


def test_correlation_by_hand():
    image = np.array([[1, 2, 0], [0, 1, 3], [2, 1, 1]])
    kernel = np.array([[1, 0], [2, -1]])
    # top-left: 1*1 + 2*0 + 0*2 + 1*(-1) = 0, top-right: 2 + 0 + 2 - 3 = 1, ...
    expected = np.array([[0.0, 1.0], [3.0, 2.0]])
    np.testing.assert_array_equal(conv.correlate2d(image, kernel), expected)


def test_convolution_flips_the_kernel_by_hand():
    image = np.array([[1, 2, 0], [0, 1, 3], [2, 1, 1]])
    kernel = np.array([[1, 0], [2, -1]])
    # flipped kernel [[-1, 2], [0, 1]]: top-left -1 + 4 + 0 + 1 = 4
    expected = np.array([[4.0, 1.0], [3.0, 6.0]])
    np.testing.assert_array_equal(conv.convolve2d(image, kernel), expected)


def test_same_padding_with_even_kernel_puts_extra_zeros_after():
    image = np.arange(1, 10).reshape(3, 3)
    kernel = np.ones((2, 2))
    # Keras/TF rule: total padding 1 per axis, all of it after (bottom/right).
    expected = np.array([[12.0, 16.0, 9.0], [24.0, 28.0, 15.0], [15.0, 17.0, 9.0]])
    np.testing.assert_array_equal(conv.correlate2d(image, kernel, padding="same"), expected)


def test_stride_and_dilation_by_hand():
    image = np.arange(25).reshape(5, 5)
    # dilation 2: taps at rows/cols 0 and 2 -> x[0,0] + x[2,2] = 0 + 12
    out = conv.correlate2d(image, np.eye(2), dilation=2)
    assert out.shape == (3, 3)
    assert out[0, 0] == 12
    out = conv.correlate2d(image, np.ones((1, 1)), stride=2)
    np.testing.assert_array_equal(out, image[::2, ::2])


def test_multichannel_filter_sums_over_all_input_channels():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 7, 3))
    weights = rng.standard_normal((3, 3, 3, 2))
    bias = np.array([0.5, -1.0])
    out = conv.conv2d(x, weights, bias, padding="same")
    for o in range(2):
        expected = (
            sum(conv.correlate2d(x[..., c], weights[..., c, o], padding="same") for c in range(3))
            + bias[o]
        )
        np.testing.assert_allclose(out[..., o], expected, rtol=1e-12, atol=1e-12)


def test_conv3d_slides_along_depth_and_spans_channels():
    x = np.zeros((5, 4, 4, 2))
    x[2, 1, 1, 1] = 1.0  # one voxel in channel 1
    weights = np.zeros((3, 3, 3, 2, 1))
    weights[0, 0, 0, 1, 0] = 7.0
    out = conv.conv3d(x, weights)
    assert out.shape == (3, 2, 2, 1)  # depth is an axis the kernel slides along
    # the tap (0, 0, 0) sees the voxel when the window starts at (2, 1, 1)
    assert out[2, 1, 1, 0] == 7.0
    assert np.count_nonzero(out) == 1


def test_float32_stays_float32_and_integers_become_float64():
    image = np.ones((4, 4), np.float32)
    assert conv.correlate2d(image, np.ones((3, 3), np.float32)).dtype == np.float32
    assert conv.correlate2d(np.ones((4, 4), int), np.ones((3, 3), int)).dtype == np.float64


# --------------------------------------------------------------------------
# Output-shape arithmetic
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "k", "padding", "stride", "dilation", "expected"),
    [
        (32, 3, "valid", 1, 1, 30),
        (32, 3, "same", 1, 1, 32),
        (32, 3, "full", 1, 1, 34),
        (32, 3, "same", 2, 1, 16),
        (33, 3, "same", 2, 1, 17),
        (7, 3, "valid", 2, 1, 3),
        (7, 3, "valid", 1, 2, 3),
        (6, 4, "full", 3, 1, 3),
    ],
)
def test_output_size_table(n, k, padding, stride, dilation, expected):
    assert conv.output_size(n, k, padding, stride, dilation) == expected


@given(
    n=st.integers(1, 40),
    k=st.integers(1, 7),
    stride=st.integers(1, 4),
    dilation=st.integers(1, 3),
    padding=st.sampled_from(["valid", "same"]),
)
@settings(max_examples=60, deadline=None)
def test_output_size_matches_keras(n, k, stride, dilation, padding):
    if stride > 1 and dilation > 1:  # Keras refuses this combination
        dilation = 1
    if padding == "valid" and conv.effective_size(k, dilation) > n:
        with pytest.raises(ValueError, match="larger than the input"):
            conv.output_size(n, k, padding, stride, dilation)
        return
    layer = keras.layers.Conv2D(
        1, (k, 1), strides=(stride, 1), padding=padding, dilation_rate=(dilation, 1)
    )
    keras_shape = layer.compute_output_shape((1, n, 1, 1))
    assert conv.output_size(n, k, padding, stride, dilation) == keras_shape[1]


@given(
    n=st.integers(1, 30), k=st.integers(1, 6), stride=st.integers(1, 4), dilation=st.integers(1, 3)
)
@settings(max_examples=60, deadline=None)
def test_same_padding_amounts_follow_tensorflow(n, k, stride, dilation):
    before, after = conv.padding_amounts(n, k, "same", stride, dilation)
    out = -(-n // stride)
    k_eff = (k - 1) * dilation + 1
    total = max((out - 1) * stride + k_eff - n, 0)
    assert (before, after) == (total // 2, total - total // 2)
    # the padded input holds exactly `out` windows
    assert (n + before + after - k_eff) // stride + 1 == out


# --------------------------------------------------------------------------
# Single channel: SciPy and OpenCV
# --------------------------------------------------------------------------

small_images = st.tuples(st.integers(1, 12), st.integers(1, 12))
small_kernels = st.tuples(st.integers(1, 5), st.integers(1, 5))


@given(
    shape=small_images,
    kshape=small_kernels,
    seed=st.integers(0, 2**16),
    mode=st.sampled_from(["valid", "same", "full"]),
)
@settings(max_examples=80, deadline=None)
def test_correlate2d_matches_scipy(shape, kshape, seed, mode):
    rng = np.random.default_rng(seed)
    image, kernel = rng.standard_normal(shape), rng.standard_normal(kshape)
    if mode == "valid" and (kshape[0] > shape[0] or kshape[1] > shape[1]):
        with pytest.raises(ValueError, match="valid"):
            conv.correlate2d(image, kernel, padding=mode)
        return
    np.testing.assert_allclose(
        conv.correlate2d(image, kernel, padding=mode),
        signal.correlate2d(image, kernel, mode=mode),
        rtol=1e-10,
        atol=1e-10,
    )


@given(
    shape=small_images,
    kshape=small_kernels,
    seed=st.integers(0, 2**16),
    mode=st.sampled_from(["valid", "full"]),
)
@settings(max_examples=50, deadline=None)
def test_convolve2d_matches_scipy(shape, kshape, seed, mode):
    rng = np.random.default_rng(seed)
    image, kernel = rng.standard_normal(shape), rng.standard_normal(kshape)
    if mode == "valid" and (kshape[0] > shape[0] or kshape[1] > shape[1]):
        return
    np.testing.assert_allclose(
        conv.convolve2d(image, kernel, padding=mode),
        signal.convolve2d(image, kernel, mode=mode),
        rtol=1e-10,
        atol=1e-10,
    )


def test_convolve2d_same_vs_scipy_for_odd_and_even_kernels():
    rng = np.random.default_rng(1)
    image = rng.standard_normal((9, 8))
    odd = rng.standard_normal((3, 5))
    np.testing.assert_allclose(
        conv.convolve2d(image, odd, padding="same"),
        signal.convolve2d(image, odd, mode="same"),
        atol=1e-12,
    )
    # For an even kernel both are windows of the "full" result, one position apart:
    # SciPy centres its window on the full output, convolve2d flips the kernel and then
    # applies Keras' rule (the extra zero after the input).
    even = rng.standard_normal((4, 2))
    full = conv.convolve2d(image, even, padding="full")  # shape (12, 9)
    np.testing.assert_allclose(
        signal.convolve2d(image, even, mode="same"), full[1:10, 0:8], atol=1e-12
    )
    np.testing.assert_allclose(
        conv.convolve2d(image, even, padding="same"), full[2:11, 1:9], atol=1e-12
    )


@given(
    shape=small_images,
    kshape=small_kernels,
    seed=st.integers(0, 2**16),
    d_h=st.integers(1, 3),
    d_w=st.integers(1, 3),
    mode=st.sampled_from(["valid", "same", "full"]),
)
@settings(max_examples=80, deadline=None)
def test_dilation_equals_a_kernel_with_zeros_inserted(shape, kshape, seed, d_h, d_w, mode):
    rng = np.random.default_rng(seed)
    image, kernel = rng.standard_normal(shape), rng.standard_normal(kshape)
    spread = dilate(kernel, (d_h, d_w))
    if mode == "valid" and (spread.shape[0] > shape[0] or spread.shape[1] > shape[1]):
        return
    np.testing.assert_allclose(
        conv.correlate2d(image, kernel, padding=mode, dilation=(d_h, d_w)),
        conv.correlate2d(image, spread, padding=mode),
        rtol=1e-10,
        atol=1e-10,
    )
    if mode != "same":
        np.testing.assert_allclose(
            conv.correlate2d(image, kernel, padding=mode, dilation=(d_h, d_w)),
            signal.correlate2d(image, spread, mode=mode),
            rtol=1e-10,
            atol=1e-10,
        )


@given(
    shape=small_images,
    kshape=small_kernels,
    seed=st.integers(0, 2**16),
    s_h=st.integers(1, 4),
    s_w=st.integers(1, 4),
    dilation=st.integers(1, 2),
    mode=st.sampled_from(["valid", "same", "full"]),
)
@settings(max_examples=80, deadline=None)
def test_stride_samples_the_stride_one_result_of_the_padded_input(
    shape, kshape, seed, s_h, s_w, dilation, mode
):
    rng = np.random.default_rng(seed)
    image, kernel = rng.standard_normal(shape), rng.standard_normal(kshape)
    k_eff = [conv.effective_size(k, dilation) for k in kshape]
    if mode == "valid" and (k_eff[0] > shape[0] or k_eff[1] > shape[1]):
        return
    pads = [
        conv.padding_amounts(n, k, mode, s, dilation)
        for n, k, s in zip(shape, kshape, (s_h, s_w), strict=True)
    ]
    dense = signal.correlate2d(
        np.pad(image, pads), dilate(kernel, (dilation, dilation)), mode="valid"
    )
    np.testing.assert_allclose(
        conv.correlate2d(image, kernel, padding=mode, stride=(s_h, s_w), dilation=dilation),
        dense[::s_h, ::s_w],
        rtol=1e-10,
        atol=1e-10,
    )


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 7])
def test_same_correlation_matches_opencv_filter2d(k):
    rng = np.random.default_rng(k)
    image = rng.standard_normal((37, 53)).astype(np.float32)
    kernel = rng.standard_normal((k, k)).astype(np.float32)
    anchor = ((k - 1) // 2, (k - 1) // 2)  # Keras' split of an even kernel's padding
    expected = cv2.filter2D(image, -1, kernel, anchor=anchor, borderType=cv2.BORDER_CONSTANT)
    got = conv.correlate2d(image, kernel, padding="same")
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5 * np.abs(kernel).sum())


def test_large_image_fast_path_matches_general_engine():
    rng = np.random.default_rng(5)
    image = rng.standard_normal((300, 260)).astype(np.float32)  # several 64K blocks
    for kshape, dilation in [((3, 3), 1), ((7, 7), 1), ((4, 2), 2), ((1, 5), 3)]:
        kernel = rng.standard_normal(kshape).astype(np.float32)
        fast = conv.correlate2d(image, kernel, padding="same", dilation=dilation)
        reference = signal.correlate2d(
            np.pad(
                image.astype(np.float64),
                [
                    conv.padding_amounts(n, k, "same", 1, dilation)
                    for n, k in zip(image.shape, kshape, strict=True)
                ],
            ),
            dilate(kernel.astype(np.float64), (dilation, dilation)),
            mode="valid",
        )
        np.testing.assert_allclose(fast, reference, rtol=1e-4, atol=1e-4)


# --------------------------------------------------------------------------
# Keras Conv2D / Conv3D with the same weights
# --------------------------------------------------------------------------


@st.composite
def conv_cases(draw, rank):
    batch = draw(st.integers(1, 2))
    spatial = tuple(draw(st.integers(1, 9 if rank == 2 else 6)) for _ in range(rank))
    kernel = tuple(draw(st.integers(1, 4 if rank == 2 else 3)) for _ in range(rank))
    c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["valid", "same"]))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    if all(s == 1 for s in stride):
        dilation = tuple(draw(st.integers(1, 2)) for _ in range(rank))
    else:  # Keras does not combine stride > 1 with dilation > 1
        dilation = (1,) * rank
    k_eff = [conv.effective_size(k, d) for k, d in zip(kernel, dilation, strict=True)]
    if padding == "valid" and any(k > n for k, n in zip(k_eff, spatial, strict=True)):
        padding = "same"
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, *spatial, c_in)).astype(np.float32)
    weights = rng.standard_normal((*kernel, c_in, c_out)).astype(np.float32)
    bias = rng.standard_normal(c_out).astype(np.float32)
    return x, weights, bias, padding, stride, dilation


def _assert_float32_close(got, expected, weights):
    scale = float(np.abs(weights).sum(axis=tuple(range(weights.ndim - 1))).max()) * 4
    np.testing.assert_allclose(got, expected, rtol=0, atol=2e-6 * max(scale, 1.0))


@given(case=conv_cases(2))
@KERAS_SETTINGS
def test_conv2d_matches_keras(case):
    x, weights, bias, padding, stride, dilation = case
    expected = keras_conv(x, weights, bias, padding, stride, dilation)
    got = conv.conv2d(x, weights, bias, padding=padding, stride=stride, dilation=dilation)
    assert got.shape == expected.shape
    assert got.dtype == np.float32
    _assert_float32_close(got, expected, weights)


@given(case=conv_cases(3))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_conv3d_matches_keras(case):
    x, weights, bias, padding, stride, dilation = case
    expected = keras_conv(x, weights, bias, padding, stride, dilation)
    got = conv.conv3d(x, weights, bias, padding=padding, stride=stride, dilation=dilation)
    assert got.shape == expected.shape
    k_eff = [conv.effective_size(k, d) for k, d in zip(weights.shape[:3], dilation, strict=True)]
    shift = keras_paths.eigen_start_shift(x.shape[1:-1], k_eff, stride, padding)
    if shift is None or keras_paths.ONEDNN:
        _assert_float32_close(got, expected, weights)
        return
    # Eigen's Conv3D starts "same" windows inside the input when the padding would be
    # negative: pinned, and the reference checked against the direct loop instead.
    shifted = conv.conv3d(
        keras_paths.crop_start(x, shift), weights, bias, padding=padding, stride=stride
    )
    _assert_float32_close(expected, shifted, weights)
    loop = keras_paths.loop_correlate(x, weights, bias, padding, stride, dilation)
    _assert_float32_close(got, loop, weights)


@given(case=conv_cases(3))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_conv3d_matches_a_direct_loop(case):
    x, weights, bias, padding, stride, dilation = case
    got = conv.conv3d(x, weights, bias, padding=padding, stride=stride, dilation=dilation)
    loop = keras_paths.loop_correlate(x, weights, bias, padding, stride, dilation)
    _assert_float32_close(got, loop, weights)


@pytest.mark.parametrize(
    ("shape", "stride"), [((2, 2, 1, 1), (1, 2)), ((1, 1, 3, 1, 1), (1, 1, 2))]
)
def test_tensorflow_single_channel_defect(shape, stride):
    """The cases behind keras_conv's extra zero channel, checked by hand."""
    x = np.array([0.5, -2.0, 1.5, 3.0][: int(np.prod(shape))], np.float32).reshape(shape)
    weights = np.array([2.0, 7.0], np.float32).reshape((1,) * (len(shape) - 4) + (1, 2, 1, 1))
    # width 1, kernel width 2, stride 2, 'same': one zero after; only the tap 2.0 reads x
    expected = 2.0 * x
    convolve = conv.conv2d if len(shape) == 4 else conv.conv3d
    np.testing.assert_array_equal(convolve(x, weights, padding="same", stride=stride), expected)
    dilation = (1,) * (len(shape) - 2)
    via_keras = keras_conv(x, weights, np.zeros(1, np.float32), "same", stride, dilation)
    np.testing.assert_allclose(via_keras, expected, rtol=1e-6)


def test_unbatched_input_gives_unbatched_output():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 6, 2)).astype(np.float32)
    weights = rng.standard_normal((3, 3, 2, 4)).astype(np.float32)
    np.testing.assert_array_equal(conv.conv2d(x, weights), conv.conv2d(x[None], weights)[0])


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------

IMAGE = np.ones((5, 5))
KERNEL = np.ones((3, 3))
X = np.ones((5, 5, 3))
W = np.ones((3, 3, 3, 2))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: conv.correlate2d(np.ones((5, 5, 1)), KERNEL),
            ValueError,
            "image must be 2-D (height, width), got a 3-D array",
        ),
        (lambda: conv.correlate2d(IMAGE, np.ones(3)), ValueError, "kernel must be 2-D"),
        (lambda: conv.correlate2d(np.ones((0, 5)), KERNEL), ValueError, "image must not be empty"),
        (
            lambda: conv.correlate2d([["a", "b"], ["c", "d"]], KERNEL),
            TypeError,
            "image must hold real numbers",
        ),
        (lambda: conv.correlate2d(IMAGE + 1j, KERNEL), TypeError, "image must hold real numbers"),
        (
            lambda: conv.correlate2d(np.ones((2, 5)), KERNEL),
            ValueError,
            "kernel (effective size 3) is larger than the input (2) along height under 'valid'",
        ),
        (
            lambda: conv.correlate2d(IMAGE, KERNEL, dilation=3),
            ValueError,
            "effective size 7 with dilation 3",
        ),
        (
            lambda: conv.correlate2d(IMAGE, KERNEL, stride=0),
            ValueError,
            "stride must be a positive integer, got 0",
        ),
        (
            lambda: conv.correlate2d(IMAGE, KERNEL, stride=(1, -2)),
            ValueError,
            "stride must be a positive integer, got -2",
        ),
        (
            lambda: conv.correlate2d(IMAGE, KERNEL, dilation=0),
            ValueError,
            "dilation must be a positive integer, got 0",
        ),
        (
            lambda: conv.correlate2d(IMAGE, KERNEL, stride=1.5),
            TypeError,
            "stride must be a positive integer or a sequence of 2",
        ),
        (
            lambda: conv.correlate2d(IMAGE, KERNEL, stride=True),
            TypeError,
            "stride must be a positive integer",
        ),
        (
            lambda: conv.correlate2d(IMAGE, KERNEL, padding="causal"),
            ValueError,
            "padding must be one of 'valid', 'same', 'full', got 'causal'",
        ),
        (
            lambda: conv.conv2d(X, np.ones((3, 3, 4, 2))),
            ValueError,
            "weights expect 4 input channels (weights.shape[-2]) but x has 3",
        ),
        (
            lambda: conv.conv2d(np.ones((5, 5)), W),
            ValueError,
            "x must be 3-D (height, width, channels) or 4-D (batch, height, width, channels)",
        ),
        (
            lambda: conv.conv2d(X, np.ones((3, 3, 3))),
            ValueError,
            "weights must be 4-D (k_h, k_w, in_channels, out_channels)",
        ),
        (
            lambda: conv.conv2d(X, W, bias=np.ones(3)),
            ValueError,
            "bias must have shape (2,), one value per filter",
        ),
        (
            lambda: conv.conv3d(np.ones((4, 4, 4, 2)), np.ones((3, 3, 3, 1, 1))),
            ValueError,
            "weights expect 1 input channels",
        ),
        (
            lambda: conv.conv3d(np.ones((2, 4, 4, 1)), np.ones((3, 3, 3, 1, 1))),
            ValueError,
            "larger than the input (2) along depth",
        ),
        (lambda: conv.output_size(0, 3), ValueError, "n must be a positive integer, got 0"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()
