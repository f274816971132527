"""conv2d_backward, pool2d_backward and the receptive field against tf.GradientTape."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convnotes import conv, pooling

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def conv_cases(draw, allow_both=False):
    """Random conv2d settings; TF refuses stride > 1 together with dilation > 1."""
    n = draw(st.integers(1, 2))
    c_in, c_out = draw(st.integers(2, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["valid", "same"]))
    if draw(st.booleans()):
        stride, dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3))), (1, 1)
    else:
        stride, dilation = (1, 1), (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    if allow_both:
        stride, dilation = (draw(st.integers(1, 3)),) * 2, (draw(st.integers(1, 2)),) * 2
    h = draw(st.integers(dilation[0] * (kh - 1) + 1, 8))
    w = draw(st.integers(dilation[1] * (kw - 1) + 1, 8))
    seed = draw(st.integers(0, 2**16))
    return (n, h, w, c_in), (kh, kw, c_in, c_out), padding, stride, dilation, seed


def tf_conv_gradients(x, weights, grad_output, padding, stride, dilation):
    xt, wt = tf.constant(x), tf.constant(weights)
    bt = tf.zeros(weights.shape[-1], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch([xt, wt, bt])
        # tf.nn.convolution runs a dilated kernel through space_to_batch, whose
        # gradient the CPU supports (the dilated Conv2D gradient kernel is GPU-only)
        y = tf.nn.convolution(xt, wt, strides=stride, padding=padding.upper(), dilations=dilation)
        y = y + bt
        loss = tf.reduce_sum(y * grad_output)
    return [g.numpy() for g in tape.gradient(loss, [xt, wt, bt])]


@SETTINGS
@given(conv_cases())
def test_conv2d_backward_matches_gradient_tape(case):
    x_shape, w_shape, padding, stride, dilation, seed = case
    rng = np.random.default_rng(seed)
    x, weights = rng.normal(size=x_shape), rng.normal(size=w_shape)
    y = conv.conv2d(x, weights, padding=padding, stride=stride, dilation=dilation)
    grad_output = rng.normal(size=y.shape)
    ours = conv.conv2d_backward(
        x, weights, grad_output, padding=padding, stride=stride, dilation=dilation
    )
    theirs = tf_conv_gradients(x, weights, grad_output, padding, stride, dilation)
    for a, b in zip(ours, theirs, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(conv_cases(allow_both=True), st.sampled_from(["valid", "same", "full"]))
def test_conv2d_backward_is_the_adjoint(case, padding):
    """<conv(x, w), g> = <x, grad_x> = <w, grad_w>: the gradient is the transposed map."""
    x_shape, w_shape, _, stride, dilation, seed = case
    rng = np.random.default_rng(seed)
    x, weights = rng.normal(size=x_shape), rng.normal(size=w_shape)
    y = conv.conv2d(x, weights, padding=padding, stride=stride, dilation=dilation)
    g = rng.normal(size=y.shape)
    gx, gw, gb = conv.conv2d_backward(
        x, weights, g, padding=padding, stride=stride, dilation=dilation
    )
    inner = float(np.sum(y * g))
    assert np.isclose(inner, float(np.sum(x * gx)))
    assert np.isclose(inner, float(np.sum(weights * gw)))
    np.testing.assert_allclose(gb, g.sum(axis=(0, 1, 2)))


def test_input_gradient_is_full_convolution_with_flipped_kernel():
    rng = np.random.default_rng(0)
    x, kernel = rng.normal(size=(6, 7)), rng.normal(size=(3, 2))
    g = rng.normal(size=conv.correlate2d(x, kernel).shape)
    gx, gw, _ = conv.conv2d_backward(x[..., None], kernel[..., None, None], g[..., None])
    full = conv.correlate2d(g, kernel[::-1, ::-1], padding="full")
    np.testing.assert_allclose(gx[..., 0], full)
    np.testing.assert_allclose(gw[..., 0, 0], conv.correlate2d(x, g))


def test_conv2d_backward_unbatched_and_errors():
    x, w = np.ones((4, 4, 2)), np.ones((3, 3, 2, 1))
    gx, gw, gb = conv.conv2d_backward(x, w, np.ones((2, 2, 1)))
    assert gx.shape == x.shape and gw.shape == w.shape and gb.shape == (1,)
    assert gx[1, 1, 0] == 4 and gx[0, 0, 0] == 1
    with pytest.raises(ValueError, match="grad_output must have the shape"):
        conv.conv2d_backward(x, w, np.ones((3, 3, 1)))
    with pytest.raises(ValueError, match="input channels"):
        conv.conv2d_backward(x, np.ones((3, 3, 1, 1)), np.ones((2, 2, 1)))
    with pytest.raises(ValueError, match="padding must be one of"):
        conv.conv2d_backward(x, w, np.ones((2, 2, 1)), padding="mirror")
    with pytest.raises(ValueError, match="stride must be a positive integer"):
        conv.conv2d_backward(x, w, np.ones((2, 2, 1)), stride=0)
    with pytest.raises(TypeError, match="grad_output must hold real numbers"):
        conv.conv2d_backward(x, w, np.array([["a"]]))


# ----- pooling ---------------------------------------------------------------------


def tf_pool_gradient(x, grad_output, pool_size, strides, padding, mode):
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        if mode == "average":
            y = tf.nn.avg_pool2d(xt, pool_size, strides, padding.upper())
        elif mode == "max":
            y = tf.nn.max_pool2d(xt, pool_size, strides, padding.upper())
        else:
            y = -tf.nn.max_pool2d(-xt, pool_size, strides, padding.upper())
        loss = tf.reduce_sum(y * grad_output)
    return tape.gradient(loss, xt).numpy()


@SETTINGS
@given(
    st.integers(1, 2),
    st.integers(1, 7),
    st.integers(1, 7),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 3),
    st.sampled_from(["valid", "same"]),
    st.sampled_from(["max", "average", "min"]),
    st.integers(0, 2**16),
)
def test_pool2d_backward_matches_gradient_tape(n, h, w, c, k, s, padding, mode, seed):
    if padding == "valid" and k > min(h, w):
        k = min(h, w)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, h, w, c))  # distinct values: no ties in a window
    y = pooling.pool2d(x, k, s, padding, mode)
    g = rng.normal(size=y.shape)
    ours = pooling.pool2d_backward(x, g, k, s, padding, mode)
    np.testing.assert_allclose(ours, tf_pool_gradient(x, g, k, s, padding, mode), atol=1e-12)


def test_pool2d_backward_routing_by_hand():
    x = np.array([[1.0, 5.0], [3.0, 2.0]])
    assert pooling.pool2d_backward(x, [[2.0]]).tolist() == [[0, 2], [0, 0]]
    assert pooling.pool2d_backward(x, [[2.0]], mode="min").tolist() == [[2, 0], [0, 0]]
    assert pooling.pool2d_backward(x, [[2.0]], mode="average").tolist() == [[0.5, 0.5]] * 2
    with pytest.raises(ValueError, match="grad_output must have the shape"):
        pooling.pool2d_backward(x, np.ones((2, 2)))
    with pytest.raises(ValueError, match="mode must be one of"):
        pooling.pool2d_backward(x, [[1.0]], mode="median")


# ----- receptive field --------------------------------------------------------------


def measured_field(layers, size=64):
    """Input positions with a non-zero gradient of the centre output (one axis)."""
    model = tf.keras.Sequential([tf.keras.Input((size, 1, 1)), *layers])
    x = tf.constant(np.random.default_rng(0).normal(size=(1, size, 1, 1)).astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = model(x)
        centre = y[0, y.shape[1] // 2, 0, 0]
    grad = tape.gradient(centre, x).numpy()[0, :, 0, 0]
    (nonzero,) = np.nonzero(grad)
    return int(nonzero.max() - nonzero.min() + 1)


def _conv(k, s=1, d=1):
    return tf.keras.layers.Conv2D(
        1, (k, 1), strides=(s, 1), dilation_rate=(d, 1), kernel_initializer="ones"
    )


STACKS = [
    ([_conv(3), _conv(3), _conv(3)], [3, 3, 3], [1, 1, 1], [1, 1, 1]),
    (
        [_conv(3), tf.keras.layers.AveragePooling2D((2, 1)), _conv(3)],
        [3, 2, 3],
        [1, 2, 1],
        [1, 1, 1],
    ),
    ([_conv(3, s=2), _conv(3, s=2), _conv(3)], [3, 3, 3], [2, 2, 1], [1, 1, 1]),
    ([_conv(3), _conv(3, d=2), _conv(3, d=4)], [3, 3, 3], [1, 1, 1], [1, 2, 4]),
    (
        [_conv(5, s=2), tf.keras.layers.AveragePooling2D((3, 1), (2, 1)), _conv(3, d=2)],
        [5, 3, 3],
        [2, 2, 1],
        [1, 1, 2],
    ),
]


@pytest.mark.parametrize(("layers", "kernels", "strides", "dilations"), STACKS)
def test_receptive_field_matches_gradient(layers, kernels, strides, dilations):
    expected = measured_field(layers)
    assert conv.receptive_field(kernels, strides, dilations) == expected
    growth = conv.receptive_field_growth(kernels, strides, dilations)
    assert growth[-1][0] == expected
    assert [jump for _, jump in growth] == list(np.cumprod(strides))


def test_receptive_field_errors():
    with pytest.raises(ValueError, match="one value per layer"):
        conv.receptive_field([3, 3], strides=[1])
    with pytest.raises(ValueError, match="kernel_sizes must be a positive integer"):
        conv.receptive_field([3, 0])
    with pytest.raises(TypeError, match="kernel_sizes must be a sequence"):
        conv.receptive_field(3)
    with pytest.raises(ValueError, match="at least one layer"):
        conv.receptive_field([])
