"""Multiply-accumulates and training memory in convnotes.params.

References: the formulas worked by hand, a direct count of the multiplications a
loop performs, Keras' own layer shapes and optimizer variables, and the published
figures for VGG16 (about 15.5 G multiply-adds at 224x224, Simonyan & Zisserman 2015)
and MobileNetV2 (about 300 M, Sandler et al. 2018).
"""

from __future__ import annotations

import numpy as np
import pytest

from convnotes import params
from convnotes._tf import import_keras
from convnotes.params import count_layer, layer, summarize, summarize_specs
from convnotes.presentation import params as params_text

keras = import_keras()


def loop_macs(h, w, c_in, c_out, k, stride=1, padding="valid"):
    """Count the products a direct convolution loop computes (zeros of padding excluded)."""
    pad = (k - 1) // 2 if padding == "same" else 0
    count = 0
    for _r in range(0, h + 2 * pad - k + 1, stride):
        for _c in range(0, w + 2 * pad - k + 1, stride):
            count += k * k  # every tap, padded or not: what the layer multiplies
    return count * c_in * c_out


@pytest.mark.parametrize(
    ("kind", "config", "shape", "expected"),
    [
        ("Conv2D", {"filters": 20, "kernel_size": 7}, (28, 28, 1), 22 * 22 * 20 * 49),
        ("Conv2D", {"filters": 8, "kernel_size": 3, "padding": "same"}, (10, 12, 4), 120 * 8 * 36),
        ("Conv2D", {"filters": 6, "kernel_size": 3, "groups": 2}, (5, 5, 4), 9 * 6 * 9 * 2),
        ("Conv1D", {"filters": 4, "kernel_size": 5}, (20, 3), 16 * 4 * 5 * 3),
        ("Conv3D", {"filters": 2, "kernel_size": 3}, (4, 5, 6, 3), 2 * 3 * 4 * 2 * 27 * 3),
        ("Dense", {"units": 10}, (50,), 500),
        ("Dense", {"units": 4}, (7, 3), 7 * 4 * 3),
        ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}, (6, 6, 3), 16 * 6 * 9),
        ("SeparableConv2D", {"filters": 5, "kernel_size": 3}, (6, 6, 3), 16 * 3 * (9 + 5)),
        ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2}, (4, 4, 3), 16 * 54),
        ("LocallyConnected2D", {"filters": 2, "kernel_size": 3}, (7, 7, 10), 25 * 2 * 90),
        ("MaxPooling2D", {}, (8, 8, 3), 0),
        ("BatchNormalization", {}, (8, 8, 3), 0),
    ],
)
def test_layer_macs_by_hand(kind, config, shape, expected):
    row = count_layer(kind, config, shape)
    assert row.macs == expected
    if expected:
        assert row.macs_arithmetic().endswith(f"= {expected:,}")
        assert eval(row.macs_expression.replace("x", "*")) == expected  # noqa: S307
        assert params_text.macs_rule(row, "en") and params_text.macs_rule(row, "fa")
    else:
        assert row.macs_arithmetic() == "0"


@pytest.mark.parametrize(("stride", "padding"), [(1, "valid"), (1, "same"), (2, "valid")])
def test_conv_macs_equal_a_direct_loop(stride, padding):
    row = count_layer(
        "Conv2D",
        {"filters": 3, "kernel_size": 3, "strides": stride, "padding": padding},
        (9, 9, 2),
    )
    assert row.macs == loop_macs(9, 9, 2, 3, 3, stride, padding)


def test_unknown_spatial_size_gives_none():
    row = count_layer("Conv2D", {"filters": 2, "kernel_size": 3}, (None, None, 3))
    assert row.macs is None and row.macs_arithmetic() == "?"
    summary = summarize_specs([layer("Conv2D", filters=2, kernel_size=3)], (None, None, 3))
    with pytest.raises(ValueError, match="known spatial sizes"):
        _ = summary.macs


def vgg16_specs():
    specs = [layer("Input", shape=(224, 224, 3))]
    for filters, repeats in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        specs += [layer("Conv2D", filters=filters, kernel_size=3, padding="same")] * repeats
        specs.append(layer("MaxPooling2D"))
    specs += [layer("Flatten"), layer("Dense", units=4096), layer("Dense", units=4096)]
    return [*specs, layer("Dense", units=1000)]


def test_vgg16_multiply_adds_match_the_published_figure():
    summary = summarize_specs(vgg16_specs())
    assert summary.total == 138_357_544  # Keras' VGG16 parameter count
    assert summary.macs == pytest.approx(15.5e9, rel=0.01)


@pytest.mark.slow
def test_mobilenetv2_multiply_adds_match_the_published_figure():
    model = keras.applications.MobileNetV2(weights=None)
    summary = summarize(model)
    assert summary.macs == pytest.approx(300e6, rel=0.01)
    assert summary.activations == sum(int(np.prod(item.output.shape[1:])) for item in model.layers)
    keras.backend.clear_session()


def test_cifar_convolutions_hold_few_parameters_but_most_multiply_adds():
    summary = summarize_specs(params.tuned_cifar10_specs())
    convs = [r for r in summary.rows if r.kind == "Conv2D"]
    param_share = sum(r.total for r in convs) / summary.total
    mac_share = sum(r.macs for r in convs) / summary.macs
    assert 0.1 < param_share < 0.2
    assert mac_share > 0.95


@pytest.mark.parametrize(("name", "slots"), [("adam", 2), ("sgd", 0), ("rmsprop", 1)])
def test_optimizer_memory_matches_keras_optimizer_state(name, slots):
    specs = params.SOURCE_EXERCISE_MODEL
    model = params.build_keras_model(specs)
    optimizer = {
        "adam": keras.optimizers.Adam(),
        "sgd": keras.optimizers.SGD(),
        "rmsprop": keras.optimizers.RMSprop(),
    }[name]
    optimizer.build(model.trainable_variables)
    # Keras also keeps scalars (iteration count, learning rate): count only the
    # variables shaped like a weight
    shapes = {tuple(v.shape) for v in model.trainable_variables}
    state = sum(int(np.prod(v.shape)) for v in optimizer.variables if tuple(v.shape) in shapes)
    summary = summarize(specs)
    assert state == slots * summary.trainable
    memory = summary.memory(batch_size=8, optimizer=name)
    assert memory["optimizer"] == 4 * state
    assert memory["weights"] == 4 * model.count_params()
    # model.layers starts with the InputLayer: its output is the input image
    assert type(model.layers[0]).__name__ == "InputLayer"
    expected_activations = sum(int(np.prod(item.output.shape[1:])) for item in model.layers)
    assert memory["activations"] == 8 * 4 * expected_activations
    assert memory["total"] == sum(v for k, v in memory.items() if k != "total")


def test_memory_errors():
    summary = summarize(params.SOURCE_EXERCISE_MODEL)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        summary.memory(optimizer="lion")
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        summary.memory(batch_size=0)
    with pytest.raises(ValueError, match="bytes_per_value must be a positive integer"):
        summary.memory(bytes_per_value=0)
