"""convnotes.pooling and the MinPooling2D layer against Keras and direct loops."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convnotes import pooling
from convnotes._tf import import_keras
from convnotes.layers import MinPooling2D

import keras_paths

keras = import_keras()
L = keras.layers

KERAS_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def to_numpy(tensor):
    return keras.ops.convert_to_numpy(tensor)


def loop_pool2d(x, size, stride, mode):
    """Direct 'valid' pooling of an (H, W) map with Python loops over the windows."""
    k_h, k_w = size
    s_h, s_w = stride
    out_h, out_w = (x.shape[0] - k_h) // s_h + 1, (x.shape[1] - k_w) // s_w + 1
    reduce = {"max": np.max, "min": np.min, "average": np.mean}[mode]
    out = np.empty((out_h, out_w))
    for r in range(out_h):
        for c in range(out_w):
            out[r, c] = reduce(x[r * s_h : r * s_h + k_h, c * s_w : c * s_w + k_w])
    return out


def loop_adaptive2d(x, output_size, mode):
    """Adaptive pooling of an (H, W) map from the textbook bin rule, with loops."""
    reduce = {"max": np.max, "min": np.min, "average": np.mean}[mode]
    (n_h, n_w), (o_h, o_w) = x.shape, output_size
    out = np.empty(output_size)
    for i in range(o_h):
        rows = slice(math.floor(i * n_h / o_h), math.ceil((i + 1) * n_h / o_h))
        for j in range(o_w):
            cols = slice(math.floor(j * n_w / o_w), math.ceil((j + 1) * n_w / o_w))
            out[i, j] = reduce(x[rows, cols])
    return out


# --------------------------------------------------------------------------
# Worked examples
# --------------------------------------------------------------------------

FMAP = np.array([[1, 3, 2, 0], [4, 6, 1, 1], [0, 2, 5, 7], [1, 1, 3, 8]])


def test_worked_example_by_hand():
    np.testing.assert_array_equal(pooling.pool2d(FMAP, 2), [[6, 2], [2, 8]])
    np.testing.assert_array_equal(pooling.pool2d(FMAP, 2, mode="min"), [[1, 0], [0, 3]])
    np.testing.assert_array_equal(
        pooling.pool2d(FMAP, 2, mode="average"), [[3.5, 1.0], [1.0, 5.75]]
    )
    assert pooling.global_pool2d(FMAP) == 8
    assert pooling.global_pool2d(FMAP, "average") == FMAP.sum() / 16


def test_same_padding_never_lets_padding_win():
    x = -np.ones((3, 3))  # all negative: a zero from padding would win a max
    np.testing.assert_array_equal(pooling.pool2d(x, 2, padding="same"), -np.ones((2, 2)))
    y = np.ones((3, 3))  # all positive: a zero from padding would win a min
    np.testing.assert_array_equal(pooling.pool2d(y, 2, padding="same", mode="min"), np.ones((2, 2)))
    # the average divides by the real values only: corner window holds one value
    z = np.arange(9.0).reshape(3, 3)
    assert pooling.pool2d(z, 2, padding="same", mode="average")[1, 1] == 8.0


def test_integer_maps_keep_their_dtype_for_max_and_min():
    x = np.array([[1, 2], [3, 4]], dtype=np.uint8)
    assert pooling.pool2d(x, 2, padding="same").dtype == np.uint8
    assert pooling.pool2d(x, 3, strides=1, padding="same", mode="min")[1, 1] == 1
    assert pooling.pool2d(x, 2, mode="average").dtype == np.float64


def test_layouts_round_trip():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 6, 6, 3))
    batch = pooling.pool2d(x, 2)
    np.testing.assert_array_equal(pooling.pool2d(x[0], 2), batch[0])
    np.testing.assert_array_equal(pooling.pool2d(x[0, ..., 1], 2), batch[0, ..., 1])
    assert pooling.global_pool2d(x).shape == (2, 3)
    assert pooling.global_pool2d(x[0]).shape == (3,)
    assert pooling.adaptive_pool2d(x, 4).shape == (2, 4, 4, 3)


@pytest.mark.parametrize(
    ("n", "out", "starts", "ends"),
    [
        (7, 3, [0, 2, 4], [3, 5, 7]),
        (6, 4, [0, 1, 3, 4], [2, 3, 5, 6]),
        (8, 4, [0, 2, 4, 6], [2, 4, 6, 8]),  # divisible: plain non-overlapping windows
        (3, 5, [0, 0, 1, 1, 2], [1, 2, 2, 3, 3]),  # more bins than positions
    ],
)
def test_adaptive_bins_follow_the_floor_ceil_rule(n, out, starts, ends):
    got_starts, got_ends = pooling.adaptive_bins(n, out)
    assert got_starts.tolist() == starts
    assert got_ends.tolist() == ends


# --------------------------------------------------------------------------
# Against loops and Keras
# --------------------------------------------------------------------------


@given(
    h=st.integers(1, 10),
    w=st.integers(1, 10),
    k_h=st.integers(1, 4),
    k_w=st.integers(1, 4),
    s_h=st.integers(1, 3),
    s_w=st.integers(1, 3),
    mode=st.sampled_from(pooling.MODES),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=80, deadline=None)
def test_valid_pooling_matches_loops(h, w, k_h, k_w, s_h, s_w, mode, seed):
    x = np.random.default_rng(seed).standard_normal((h, w))
    if k_h > h or k_w > w:
        with pytest.raises(ValueError, match="larger than the input"):
            pooling.pool2d(x, (k_h, k_w), (s_h, s_w), mode=mode)
        return
    np.testing.assert_allclose(
        pooling.pool2d(x, (k_h, k_w), (s_h, s_w), mode=mode),
        loop_pool2d(x, (k_h, k_w), (s_h, s_w), mode),
        atol=1e-12,
    )


@st.composite
def pool_cases(draw, rank):
    spatial = tuple(draw(st.integers(1, 9 if rank < 3 else 6)) for _ in range(rank))
    size = tuple(draw(st.integers(1, 4)) for _ in range(rank))
    strides = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3) for _ in range(rank)])))
    padding = draw(st.sampled_from(["valid", "same"]))
    if padding == "valid" and any(k > n for k, n in zip(size, spatial, strict=True)):
        padding = "same"
    x = (
        np.random.default_rng(draw(st.integers(0, 2**16)))
        .standard_normal((draw(st.integers(1, 2)), *spatial, draw(st.integers(1, 3))))
        .astype(np.float32)
    )
    return x, size, strides, padding


KERAS_POOL = {
    1: (pooling.pool1d, L.MaxPooling1D, L.AveragePooling1D),
    2: (pooling.pool2d, L.MaxPooling2D, L.AveragePooling2D),
    3: (pooling.pool3d, L.MaxPooling3D, L.AveragePooling3D),
}


def _check_against_keras(rank, case):
    x, size, strides, padding = case
    ours, max_layer, average_layer = KERAS_POOL[rank]
    expected = {
        "max": to_numpy(max_layer(size, strides, padding)(x)),
        "min": -to_numpy(max_layer(size, strides, padding)(-x)),
        "average": to_numpy(average_layer(size, strides, padding)(x)),
    }
    shift = keras_paths.eigen_start_shift(
        x.shape[1:-1], size, size if strides is None else strides, padding
    )
    if rank == 3 and shift is not None and not keras_paths.ONEDNN:
        # Eigen's MaxPooling3D and AveragePooling3D start "same" windows inside the
        # input when the padding would be negative: pinned, and the reference checked
        # against the direct loop instead.
        cropped = keras_paths.crop_start(x, shift)
        for mode in pooling.MODES:
            np.testing.assert_allclose(
                expected[mode], ours(cropped, size, strides, padding, mode), rtol=1e-5, atol=1e-6
            )
            expected[mode] = keras_paths.loop_pool(x, size, strides, padding, mode)
    np.testing.assert_array_equal(ours(x, size, strides, padding, "max"), expected["max"])
    np.testing.assert_array_equal(ours(x, size, strides, padding, "min"), expected["min"])
    np.testing.assert_allclose(
        ours(x, size, strides, padding, "average"), expected["average"], rtol=1e-5, atol=1e-6
    )


@given(case=pool_cases(2))
@KERAS_SETTINGS
def test_pool2d_matches_keras(case):
    _check_against_keras(2, case)


@given(case=pool_cases(1))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_pool1d_matches_keras(case):
    _check_against_keras(1, case)


@given(case=pool_cases(3))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_pool3d_matches_keras(case):
    _check_against_keras(3, case)


@given(case=pool_cases(3))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_pool3d_matches_a_direct_loop(case):
    x, size, strides, padding = case
    for mode in pooling.MODES:
        np.testing.assert_allclose(
            pooling.pool3d(x, size, strides, padding, mode),
            keras_paths.loop_pool(x, size, strides, padding, mode),
            rtol=1e-6,
            atol=1e-6,
        )


def test_global_pooling_matches_keras():
    rng = np.random.default_rng(3)
    for rank, (max_layer, average_layer, ours) in {
        1: (L.GlobalMaxPooling1D, L.GlobalAveragePooling1D, pooling.global_pool1d),
        2: (L.GlobalMaxPooling2D, L.GlobalAveragePooling2D, pooling.global_pool2d),
        3: (L.GlobalMaxPooling3D, L.GlobalAveragePooling3D, pooling.global_pool3d),
    }.items():
        x = rng.standard_normal((2, *([5] * rank), 4)).astype(np.float32)
        np.testing.assert_array_equal(ours(x, "max"), to_numpy(max_layer()(x)))
        np.testing.assert_allclose(ours(x, "average"), to_numpy(average_layer()(x)), rtol=1e-6)
        np.testing.assert_allclose(
            ours(x, "average", keepdims=True), to_numpy(average_layer(keepdims=True)(x)), rtol=1e-6
        )


@given(
    h=st.integers(1, 12),
    w=st.integers(1, 12),
    o_h=st.integers(1, 6),
    o_w=st.integers(1, 6),
    mode=st.sampled_from(pooling.MODES),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=80, deadline=None)
def test_adaptive_pooling_matches_the_bin_rule(h, w, o_h, o_w, mode, seed):
    x = np.random.default_rng(seed).standard_normal((h, w))
    np.testing.assert_allclose(
        pooling.adaptive_pool2d(x, (o_h, o_w), mode),
        loop_adaptive2d(x, (o_h, o_w), mode),
        atol=1e-12,
    )


@given(
    h=st.integers(1, 14),
    w=st.integers(2, 14),
    o_h=st.integers(1, 7),
    o_w=st.integers(2, 7),
    seed=st.integers(0, 2**16),
)
@KERAS_SETTINGS
def test_adaptive_pooling_matches_keras(h, w, o_h, o_w, seed):
    # A width of 1 (input or output) is left out: Keras 3.15's AdaptiveMaxPooling2D
    # crashes the process there on the oneDNN path (see tests/test_tf_defects.py).
    x = np.random.default_rng(seed).standard_normal((2, h, w, 3)).astype(np.float32)
    np.testing.assert_array_equal(
        pooling.adaptive_pool2d(x, (o_h, o_w), "max"),
        to_numpy(L.AdaptiveMaxPooling2D((o_h, o_w))(x)),
    )
    np.testing.assert_allclose(
        pooling.adaptive_pool2d(x, (o_h, o_w), "average"),
        to_numpy(L.AdaptiveAveragePooling2D((o_h, o_w))(x)),
        rtol=1e-5,
        atol=1e-6,
    )


def test_adaptive_pooling_1d_3d_match_keras():
    rng = np.random.default_rng(4)
    x1 = rng.standard_normal((2, 11, 3)).astype(np.float32)
    np.testing.assert_array_equal(
        pooling.adaptive_pool1d(x1, 4), to_numpy(L.AdaptiveMaxPooling1D(4)(x1))
    )
    x3 = rng.standard_normal((1, 5, 7, 6, 2)).astype(np.float32)
    np.testing.assert_allclose(
        pooling.adaptive_pool3d(x3, (2, 3, 4), "average"),
        to_numpy(L.AdaptiveAveragePooling3D((2, 3, 4))(x3)),
        rtol=1e-5,
        atol=1e-6,
    )


# --------------------------------------------------------------------------
# MinPooling2D
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "strides", "padding"),
    [
        (2, None, "valid"),
        (3, 2, "same"),
        ((2, 3), (1, 2), "same"),
        (3, 1, "valid"),
    ],
)
def test_min_pooling_layer_matches_reference(size, strides, padding):
    x = np.random.default_rng(5).standard_normal((2, 7, 8, 3)).astype(np.float32)
    layer = MinPooling2D(size, strides, padding)
    got = to_numpy(layer(x))
    np.testing.assert_array_equal(got, pooling.pool2d(x, size, strides, padding, "min"))
    assert tuple(layer.compute_output_shape(x.shape)) == got.shape
    assert layer.count_params() == 0


def test_min_pooling_layer_channels_first():
    x = np.random.default_rng(6).standard_normal((1, 2, 6, 6)).astype(np.float32)
    got = to_numpy(MinPooling2D(2, data_format="channels_first")(x))
    expected = pooling.pool2d(np.moveaxis(x, 1, -1), 2, mode="min")
    np.testing.assert_array_equal(got, np.moveaxis(expected, -1, 1))


def test_min_pooling_gradient_flows_to_each_window_minimum():
    tf = __import__("tensorflow")
    x = tf.constant(np.array([[4.0, 2.0], [3.0, 5.0]], np.float32).reshape(1, 2, 2, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = MinPooling2D(2)(x)
    grad = tape.gradient(y, x).numpy().reshape(2, 2)
    np.testing.assert_array_equal(grad, [[0.0, 1.0], [0.0, 0.0]])


def test_min_pooling_model_trains_saves_and_reloads(tmp_path):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(7)
    # Dark strokes on a bright background; label: is there a stroke in the left half?
    images = np.ones((64, 8, 8, 1), np.float32)
    labels = rng.integers(0, 2, 64)
    for i, label in enumerate(labels):
        col = rng.integers(0, 4) if label else rng.integers(4, 8)
        images[i, 1:7, col, 0] = 0.0
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            L.Conv2D(4, 3, padding="same"),  # linear: after a ReLU most minima would be 0
            MinPooling2D(2),
            L.Flatten(),
            L.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    before = model.evaluate(images, labels, verbose=0)
    model.fit(images, labels, epochs=15, batch_size=16, verbose=0)
    after = model.evaluate(images, labels, verbose=0)
    assert after < 0.5 * before
    path = tmp_path / "minpool.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    assert isinstance(reloaded.layers[1], MinPooling2D)
    assert reloaded.layers[1].get_config()["pool_size"] == (2, 2)
    np.testing.assert_allclose(
        reloaded.predict(images, verbose=0), model.predict(images, verbose=0), rtol=1e-6
    )


def test_min_pooling_layer_config_round_trip():
    layer = MinPooling2D((2, 3), strides=1, padding="SAME", name="mp")
    clone = MinPooling2D.from_config(layer.get_config())
    assert (clone.pool_size, clone.strides, clone.padding, clone.name) == (
        (2, 3),
        (1, 1),
        "same",
        "mp",
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pool_size": 0}, "pool_size must be positive integers"),
        ({"pool_size": 2, "strides": -1}, "strides must be positive integers"),
        ({"pool_size": 2, "padding": "full"}, "padding must be 'valid' or 'same'"),
        ({"pool_size": 2, "data_format": "nhwc"}, "data_format must be"),
    ],
)
def test_min_pooling_layer_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        MinPooling2D(**kwargs)


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: pooling.pool2d(np.ones(4), 2),
            ValueError,
            "x must be 2-D (height, width) or 3-D (height, width, channels) or 4-D",
        ),
        (lambda: pooling.pool2d(np.ones((1, 2, 3, 4, 5)), 2), ValueError, "got a 5-D array"),
        (lambda: pooling.pool2d(np.ones((0, 4)), 2), ValueError, "x must not be empty"),
        (lambda: pooling.pool2d(np.array([["a"]]), 2), TypeError, "x must hold real numbers"),
        (
            lambda: pooling.pool2d(np.ones((4, 4)), 0),
            ValueError,
            "pool_size must be a positive integer, got 0",
        ),
        (
            lambda: pooling.pool2d(np.ones((4, 4)), 2, strides=(2, 0)),
            ValueError,
            "strides must be a positive integer, got 0",
        ),
        (
            lambda: pooling.pool2d(np.ones((4, 4)), 5),
            ValueError,
            "pool_size (5) is larger than the input (4) along height under 'valid' padding",
        ),
        (
            lambda: pooling.pool2d(np.ones((4, 4)), 2, padding="full"),
            ValueError,
            "padding must be one of 'valid', 'same', got 'full'",
        ),
        (
            lambda: pooling.pool2d(np.ones((4, 4)), 2, mode="median"),
            ValueError,
            "mode must be one of 'max', 'average', 'min', got 'median'",
        ),
        (
            lambda: pooling.adaptive_pool2d(np.ones((4, 4)), 0),
            ValueError,
            "output_size must be a positive integer, got 0",
        ),
        (
            lambda: pooling.adaptive_pool2d(np.ones((4, 4)), (2, 2, 2)),
            TypeError,
            "output_size must be a positive integer or a sequence of 2",
        ),
        (lambda: pooling.global_pool2d(np.ones(3)), ValueError, "x must be 2-D"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_keras_adaptive_pooling_needs_static_sizes_in_compiled_calls():
    """Documents the Keras limitation the pooling chapter shows; update the book if it fails."""
    net = keras.Sequential([keras.Input((None, None, 2)), L.AdaptiveAveragePooling2D((2, 2))])
    for size in (6, 9):
        x = np.ones((1, size, size, 2), np.float32)
        assert to_numpy(net(x)).shape == (1, 2, 2, 2)  # eager calls see the static size
    net.predict(np.ones((1, 6, 6, 2), np.float32), verbose=0)
    with pytest.raises(ValueError, match="statically known"):
        net.predict(np.ones((1, 9, 9, 2), np.float32), verbose=0)
