"""LocallyConnected1D/2D: against a loop-per-position NumPy reference, against
tf_keras (when installed), training, serialization and bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from convnotes._tf import import_keras

keras = import_keras()

from convnotes.layers import LocallyConnected1D, LocallyConnected2D  # noqa: E402


def reference_2d(x, kernel, bias, kernel_size, strides, channels_first=False):
    """Unvectorized definition: one matrix product per output position."""
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    kh, kw = kernel_size
    sh, sw = strides
    oh = (x.shape[1] - kh) // sh + 1
    ow = (x.shape[2] - kw) // sw + 1
    out = np.zeros((x.shape[0], oh, ow, kernel.shape[-1]), dtype=x.dtype)
    for r, c in itertools.product(range(oh), range(ow)):
        patch = x[:, r * sh : r * sh + kh, c * sw : c * sw + kw, :]  # (b, kh, kw, cin)
        if channels_first:
            patch = np.moveaxis(patch, -1, 1)  # tf_keras flattens (cin, kh, kw) then
        out[:, r, c, :] = patch.reshape(x.shape[0], -1) @ kernel[r * ow + c]
    if channels_first:
        out = np.moveaxis(out, -1, 1)
        # tf_keras' layout: the (rows, cols, filters) bias is read as (filters, rows, cols).
        return out if bias is None else out + bias.reshape(out.shape[1:])
    return out if bias is None else out + bias


def reference_1d(x, kernel, bias, k, s):
    length = (x.shape[1] - k) // s + 1
    out = np.stack(
        [x[:, p * s : p * s + k, :].reshape(x.shape[0], -1) @ kernel[p] for p in range(length)],
        axis=1,
    )
    return out + bias if bias is not None else out


def randomize(layer, rng):
    layer.set_weights(
        [rng.standard_normal(tuple(w.shape)).astype(np.asarray(w).dtype) for w in layer.weights]
    )


@pytest.mark.parametrize(
    ("shape", "filters", "kernel", "strides", "use_bias", "data_format"),
    [
        ((7, 7, 10), 2, (3, 3), (1, 1), True, "channels_last"),
        ((9, 8, 3), 4, (2, 3), (2, 3), True, "channels_last"),
        ((6, 5, 2), 3, (6, 1), (1, 2), False, "channels_last"),
        ((3, 8, 7), 2, (3, 2), (2, 2), True, "channels_first"),
    ],
)
def test_2d_matches_loop_reference(shape, filters, kernel, strides, use_bias, data_format):
    rng = np.random.default_rng(0)
    layer = LocallyConnected2D(
        filters,
        kernel,
        strides=strides,
        use_bias=use_bias,
        data_format=data_format,
        dtype="float64",
    )
    x = rng.standard_normal((3, *shape))
    layer.build(x.shape)
    randomize(layer, rng)
    bias = layer.bias.numpy() if use_bias else None
    expected = reference_2d(
        x,
        layer.kernel.numpy(),
        bias,
        kernel,
        strides,
        channels_first=data_format == "channels_first",
    )
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("k", "s"), [(3, 1), (2, 3), (5, 2)])
def test_1d_matches_loop_reference(k, s):
    rng = np.random.default_rng(1)
    layer = LocallyConnected1D(3, k, strides=s, dtype="float64")
    x = rng.standard_normal((2, 11, 4))
    layer.build(x.shape)
    randomize(layer, rng)
    expected = reference_1d(x, layer.kernel.numpy(), layer.bias.numpy(), k, s)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("cls_name", "input_shape", "kwargs"),
    [
        ("LocallyConnected2D", (7, 7, 10), {"filters": 2, "kernel_size": 3}),
        (
            "LocallyConnected2D",
            (10, 9, 3),
            {"filters": 5, "kernel_size": (3, 2), "strides": (2, 3), "activation": "relu"},
        ),
        (
            "LocallyConnected2D",
            (4, 8, 9),
            {"filters": 3, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
        ),
        ("LocallyConnected2D", (6, 6, 2), {"filters": 2, "kernel_size": 3, "use_bias": False}),
        ("LocallyConnected1D", (12, 4), {"filters": 3, "kernel_size": 3, "strides": 2}),
        ("LocallyConnected1D", (5, 6), {"filters": 2, "kernel_size": 5}),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_identical_to_tf_keras(cls_name, input_shape, kwargs, dtype):
    tf_keras = pytest.importorskip("tf_keras")
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, *input_shape)).astype(dtype)
    theirs = getattr(tf_keras.layers, cls_name)(dtype=dtype, **kwargs)
    theirs.build((None, *input_shape))
    randomize(theirs, rng)
    ours = {"LocallyConnected1D": LocallyConnected1D, "LocallyConnected2D": LocallyConnected2D}[
        cls_name
    ](dtype=dtype, **kwargs)
    ours.build((None, *input_shape))
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    assert ours.count_params() == theirs.count_params()
    tol = 1e-12 if dtype == "float64" else 1e-5
    np.testing.assert_allclose(np.asarray(ours(x)), theirs(x).numpy(), rtol=tol, atol=tol)


def test_source_exercise_model_builds_with_11070_parameters():
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(20, 7),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(10, 5),
            LocallyConnected2D(2, 3),
            keras.layers.Flatten(),
            keras.layers.Dense(10),
        ]
    )
    assert model.output_shape == (None, 10)
    assert model.layers[3].output.shape == (None, 5, 5, 2)
    assert model.count_params() == 11070


def test_trains_and_unshared_weights_differ():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((64, 6, 6, 2)).astype("float32")
    y = (x[:, :3, :3, 0].sum(axis=(1, 2)) > 0).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((6, 6, 2)),
            LocallyConnected2D(3, 3, name="lc"),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    before = [w.copy() for w in model.get_layer("lc").get_weights()]
    first = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    after = model.get_layer("lc").get_weights()
    assert model.evaluate(x, y, verbose=0) < first
    assert not np.allclose(before[0], after[0])
    assert not np.allclose(before[1], after[1])
    # Positions learn separately: the update differs from one position to the next.
    delta = after[0] - before[0]
    assert not np.allclose(delta[0], delta[-1])


def test_get_config_round_trip_and_keras_file(tmp_path):
    rng = np.random.default_rng(4)
    model = keras.Sequential(
        [
            keras.Input((9, 9, 3)),
            LocallyConnected2D(
                4,
                (3, 2),
                strides=(2, 1),
                activation="relu",
                kernel_regularizer=keras.regularizers.L2(1e-3),
            ),
            keras.layers.Reshape((-1, 4)),
            LocallyConnected1D(2, 3),
        ]
    )
    config = model.layers[0].get_config()
    clone = LocallyConnected2D.from_config(config)
    assert clone.get_config() == config
    x = rng.standard_normal((2, 9, 9, 3)).astype("float32")
    path = tmp_path / "lc.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded.layers[0]) is LocallyConnected2D
    assert type(loaded.layers[2]) is LocallyConnected1D
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), rtol=1e-6)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: LocallyConnected2D(2, 3, padding="same"), "padding must be 'valid'"),
        (lambda: LocallyConnected2D(0, 3), "filters must be positive integers"),
        (lambda: LocallyConnected2D(2, 2.5), "kernel_size must be positive integers"),
        (lambda: LocallyConnected2D(2, (3, 3, 3)), "kernel_size must be an integer or 2"),
        (lambda: LocallyConnected1D(2, 3, strides=0), "strides must be positive integers"),
    ],
)
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_kernel_larger_than_input():
    with pytest.raises(ValueError, match=r"kernel \(5\) is larger than the input \(4\)"):
        LocallyConnected2D(2, 5).build((None, 4, 8, 1))
