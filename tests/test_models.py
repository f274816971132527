"""The source material's CNN and its Keras Tuner search space."""

from __future__ import annotations

import keras_tuner
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnotes import models

# The source material's summary of its best model (layer, output shape, parameters).
SOURCE_TABLE = [
    ("InputLayer", (None, 32, 32, 3), 0),
    ("Conv2D", (None, 32, 32, 48), 1344),
    ("Conv2D", (None, 32, 32, 48), 20784),
    ("MaxPooling2D", (None, 16, 16, 48), 0),
    ("Dropout", (None, 16, 16, 48), 0),
    ("Conv2D", (None, 16, 16, 96), 41568),
    ("Conv2D", (None, 16, 16, 96), 83040),
    ("MaxPooling2D", (None, 8, 8, 96), 0),
    ("Dropout", (None, 8, 8, 96), 0),
    ("Flatten", (None, 6144), 0),
    ("Dense", (None, 128), 786560),
    ("Dropout", (None, 128), 0),
    ("Dense", (None, 128), 16512),
    ("Dropout", (None, 128), 0),
    ("Dense", (None, 10), 1290),
]


def test_best_model_reproduces_the_source_table():
    model = models.build_model(**models.BEST_HYPERPARAMETERS)
    assert model.count_params() == 951_098
    rows = [(kind, shape, params) for _, kind, shape, params in models.layer_table(model)]
    assert rows == SOURCE_TABLE
    assert models.build_model().count_params() == 951_098  # the defaults are the best trial


def expected_parameters(conv_layers, dense_layers, units, filters, side=32, channels=3, classes=10):
    """Hand count: 3x3 convolutions with bias, 2x2 pooling halving the side, dense layers."""
    total, c_in = 0, channels
    for i in range(conv_layers):
        width = filters * 2 ** (i + 1)
        total += (9 * c_in + 1) * width + (9 * width + 1) * width
        c_in, side = width, side // 2
    features = side * side * c_in
    for _ in range(dense_layers):
        total += (features + 1) * units
        features = units
    return total + (features + 1) * classes


@settings(max_examples=25, deadline=None)
@given(
    conv_layers=st.integers(1, 3),
    dense_layers=st.integers(1, 4),
    units=st.sampled_from([128, 192, 256]),
    filters=st.sampled_from([8, 16, 24, 32]),
)
def test_parameter_count_matches_hand_count(conv_layers, dense_layers, units, filters):
    model = models.build_model(conv_layers, dense_layers, units, filters, compile=False)
    assert model.count_params() == expected_parameters(conv_layers, dense_layers, units, filters)
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv2D"]
    assert [c.filters for c in convs[::2]] == models.block_filters(filters, conv_layers)
    assert all(c.kernel_size == (3, 3) and c.padding == "same" for c in convs)
    assert model.output_shape == (None, 10)


def test_dropout_rates_and_choices():
    model = models.build_model(compile=False)
    rates = [layer.rate for layer in model.layers if type(layer).__name__ == "Dropout"]
    assert rates == [0.25, 0.25, 0.5, 0.5]
    model = models.build_model(dropout=0.1, compile=False)
    assert {layer.rate for layer in model.layers if hasattr(layer, "rate")} == {0.1}
    assert models.build_model(dropout=(0.0, 0.3), compile=False).count_params() == 951_098


def test_optimizer_and_learning_rate_are_used():
    model = models.build_model(optimizer="sgd", learning_rate=1e-3)
    assert type(model.optimizer).__name__ == "SGD"
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    model = models.build_model()
    assert type(model.optimizer).__name__ == "Adam"
    assert float(model.optimizer.learning_rate) == pytest.approx(5e-4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"conv_layers": 0}, "conv_layers must be an integer >= 1, got 0"),
        ({"filters": 2.5}, "filters must be an integer"),
        ({"optimizer": "rmsprop"}, "optimizer must be one of"),
        ({"learning_rate": 0}, "learning_rate must be a positive number"),
        ({"dropout": 1.0}, r"dropout must be a rate in \[0, 1\)"),
        ({"conv_layers": 3, "input_shape": (4, 4, 3)}, "only 4 pixels wide"),
        ({"num_classes": 1}, "num_classes must be an integer >= 2"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        models.build_model(**kwargs, compile=False)


def test_hypermodel_defines_exactly_the_source_search_space():
    hp = keras_tuner.HyperParameters()
    hypermodel = models.CifarHyperModel(input_shape=(32, 32, 3), num_classes=10)
    assert isinstance(hypermodel, keras_tuner.HyperModel)
    model = hypermodel.build(hp)
    assert [p.name for p in hp.space] == list(models.SEARCH_SPACE)
    for param in hp.space:
        spec = models.SEARCH_SPACE[param.name]
        config = param.get_config()
        assert type(param).__name__ == spec["type"]
        if spec["type"] == "Int":
            assert (config["min_value"], config["max_value"], config["step"]) == (
                spec["min_value"],
                spec["max_value"],
                spec["step"],
            )
        else:
            assert config["values"] == spec["values"]
            assert config["ordered"] == spec["ordered"]
    # The source's search-space summary: lists, steps and ranges as printed there.
    assert models.SEARCH_SPACE["units"]["step"] == 64
    assert models.SEARCH_SPACE["learning_rate"]["values"] == [0.0001, 0.0005, 0.001]
    # With every hyperparameter at its default (the minimum / first choice).
    assert model.count_params() == expected_parameters(1, 1, 128, 8)


def test_hypermodel_builds_the_best_trial():
    hp = keras_tuner.HyperParameters()
    for name, value in models.BEST_HYPERPARAMETERS.items():
        hp.Fixed(name, value)
    model = models.CifarHyperModel().build(hp)
    assert model.count_params() == 951_098
    assert float(model.optimizer.learning_rate) == pytest.approx(5e-4)


def test_precision_policies():
    mixed = models.build_model(precision="mixed_bfloat16", compile=False)
    conv = mixed.get_layer("block1_conv1")
    assert conv.compute_dtype == "bfloat16" and conv.variable_dtype == "float32"
    assert mixed.get_layer("class_probabilities").compute_dtype == "float32"
    assert mixed.count_params() == 951_098
    plain = models.build_model(precision="float32", compile=False)
    assert plain.get_layer("block1_conv1").compute_dtype == "float32"
    assert models.resolve_precision("auto") in ("float32", "mixed_bfloat16")
    with pytest.raises(ValueError, match="precision must be one of"):
        models.resolve_precision("float16")


def test_batch_norm_model_normalizes_every_convolution_and_dense_layer():
    model = models.build_model(batch_norm=True, precision="float32")
    kinds = [layer.__class__.__name__ for layer in model.layers]
    normalized = [
        layer for layer in model.layers if layer.__class__.__name__ in ("Conv2D", "Dense")
    ][:-1]  # the output layer stays a plain softmax
    assert len(normalized) == 6 and kinds.count("BatchNormalization") == 6
    assert not any(layer.use_bias for layer in normalized)
    non_trainable = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    assert non_trainable == 2 * (48 + 48 + 96 + 96 + 128 + 128)  # moving mean and variance
    with pytest.raises(TypeError, match="batch_norm must be True or False"):
        models.build_model(batch_norm="yes")


def test_cosine_schedule_matches_the_formula():
    schedule = models.make_learning_rate(1e-3, "cosine", decay_steps=10)
    for step in (0, 3, 7, 10, 15):
        expected = 1e-3 * 0.5 * (1 + np.cos(np.pi * min(step, 10) / 10))
        assert float(schedule(step)) == pytest.approx(expected, rel=1e-5, abs=1e-9)
    with pytest.raises(ValueError, match="schedule must be one of"):
        models.make_learning_rate(1e-3, "step")
    with pytest.raises(ValueError, match="decay_steps must be a positive integer"):
        models.make_learning_rate(1e-3, "cosine")
