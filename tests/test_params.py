"""Parameter and shape arithmetic against Keras itself.

Each property test draws random layer configurations and input shapes, computes the
output shape and the trainable/non-trainable counts with :mod:`convnotes.params`, and
compares them with a Keras layer built on that shape (``layer.build`` +
``compute_output_shape`` + its weight shapes). When our arithmetic rejects a
configuration, Keras must reject it too (or produce an empty output).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convnotes import params
from convnotes._tf import import_keras
from convnotes.params import (
    RELATIONS,
    SOURCE_CIFAR10_MODEL,
    SOURCE_EXERCISE_MODEL,
    LayerSpec,
    build_keras_model,
    compare_weight_sharing,
    count_layer,
    layer,
    summarize,
)
from convnotes.presentation import params as params_text

keras = import_keras()

# Each example builds one small Keras layer (a few milliseconds).
EXAMPLES = 300
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def keras_reference(kind: str, config: dict, input_shape):
    """(output shape, trainable, non-trainable) of the real Keras layer, or None if it
    refuses the configuration."""
    multi = kind in {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"}
    batch = [(None, *s) for s in input_shape] if multi else (None, *input_shape)
    try:
        obj = params.keras_layer(LayerSpec(kind, config))
        out = obj.compute_output_shape(batch)
        obj.build(batch)
    except (ValueError, TypeError):
        return None
    out = tuple(out)[1:]
    if any(d is not None and d <= 0 for d in out):
        return None
    trainable = sum(math.prod(w.shape) for w in obj.trainable_weights)
    non_trainable = sum(math.prod(w.shape) for w in obj.non_trainable_weights)
    assert obj.count_params() == trainable + non_trainable
    return out, trainable, non_trainable


def check_against_keras(kind: str, config: dict, input_shape) -> None:
    expected = keras_reference(kind, config, input_shape)
    if expected is None:
        with pytest.raises(ValueError, match=r"layer '.+' \(" + kind + r"\): "):
            count_layer(kind, config, input_shape)
        return
    got = count_layer(kind, config, input_shape)
    assert (got.output_shape, got.trainable, got.non_trainable) == expected
    # The formula's arithmetic evaluates to the count it states.
    if got.total:
        assert eval(got.expression.replace(" x ", "*")) == got.total  # noqa: S307


# ----------------------------------------------------------------------- strategies

dims = st.integers(1, 12)
small = st.integers(1, 4)
formats = st.sampled_from(["channels_last", "channels_first"])


def spatial_input(rank: int, data_format: str, channels: int, max_size: int = 14):
    size = st.integers(1, max_size if rank < 3 else 7)
    return st.tuples(*[size] * rank).map(
        lambda sp: (*sp, channels) if data_format == "channels_last" else (channels, *sp)
    )


@st.composite
def conv_case(draw):
    rank = draw(st.integers(1, 3))
    fmt = draw(formats)
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    cin = groups * draw(small)
    config = {
        "filters": groups * draw(small),
        "kernel_size": draw(st.tuples(*[st.integers(1, 5)] * rank)),
        "strides": draw(st.tuples(*[st.integers(1, 3)] * rank)),
        "dilation_rate": draw(st.sampled_from([1, 1, 2, 3])),
        "groups": groups,
        "padding": draw(
            st.sampled_from(["valid", "same", "causal"] if rank == 1 else ["valid", "same"])
        ),
        "use_bias": draw(st.booleans()),
        "data_format": fmt,
    }
    if config["padding"] == "causal":
        config["data_format"] = fmt = "channels_last"
    return f"Conv{rank}D", config, draw(spatial_input(rank, fmt, cin))


@st.composite
def transpose_case(draw):
    rank = draw(st.integers(1, 3))
    fmt = draw(formats)
    strides = draw(st.tuples(*[st.integers(1, 3)] * rank))
    config = {
        "filters": draw(st.integers(1, 6)),
        "kernel_size": draw(st.tuples(*[st.integers(1, 5)] * rank)),
        "strides": strides,
        "padding": draw(st.sampled_from(["valid", "same"])),
        "dilation_rate": 1 if max(strides) > 1 else draw(st.integers(1, 3)),
        "use_bias": draw(st.booleans()),
        "data_format": fmt,
    }
    if draw(st.booleans()):
        config["output_padding"] = tuple(draw(st.integers(0, s - 1)) for s in strides)
    return f"Conv{rank}DTranspose", config, draw(spatial_input(rank, fmt, draw(small), 9))


@st.composite
def depthwise_separable_case(draw):
    rank = draw(st.integers(1, 2))
    kind = draw(st.sampled_from(["DepthwiseConv", "SeparableConv"]))
    fmt = draw(formats)
    config = {
        "kernel_size": draw(st.tuples(*[st.integers(1, 5)] * rank)),
        "strides": draw(st.integers(1, 3)),
        "dilation_rate": draw(st.sampled_from([1, 1, 2])),
        "depth_multiplier": draw(st.integers(1, 3)),
        "padding": draw(st.sampled_from(["valid", "same"])),
        "use_bias": draw(st.booleans()),
        "data_format": fmt,
    }
    if kind == "SeparableConv":
        config["filters"] = draw(st.integers(1, 8))
    return f"{kind}{rank}D", config, draw(spatial_input(rank, fmt, draw(st.integers(1, 6))))


@st.composite
def pooling_case(draw):
    rank = draw(st.integers(1, 3))
    family = draw(
        st.sampled_from(
            [
                "MaxPooling",
                "AveragePooling",
                "GlobalMaxPooling",
                "GlobalAveragePooling",
                "AdaptiveMaxPooling",
                "AdaptiveAveragePooling",
                "MinPooling",
            ]
        )
    )
    if family == "MinPooling":  # convnotes.layers.MinPooling2D
        rank = 2
    fmt = draw(formats)
    config: dict = {"data_format": fmt}
    if family in ("MaxPooling", "AveragePooling", "MinPooling"):
        config["pool_size"] = draw(st.tuples(*[st.integers(1, 4)] * rank))
        config["strides"] = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3)] * rank)))
        config["padding"] = draw(st.sampled_from(["valid", "same"]))
    elif family.startswith("Global"):
        config["keepdims"] = draw(st.booleans())
    else:
        config["output_size"] = draw(st.tuples(*[st.integers(1, 4)] * rank))
    return f"{family}{rank}D", config, draw(spatial_input(rank, fmt, draw(small)))


@st.composite
def dense_embedding_case(draw):
    shape = draw(st.lists(dims, min_size=1, max_size=3).map(tuple))
    if draw(st.booleans()):
        return "Dense", {"units": draw(st.integers(1, 40)), "use_bias": draw(st.booleans())}, shape
    return (
        "Embedding",
        {"input_dim": draw(st.integers(1, 300)), "output_dim": draw(st.integers(1, 32))},
        shape,
    )


@st.composite
def normalization_case(draw):
    shape = draw(st.lists(st.integers(1, 9), min_size=1, max_size=4).map(tuple))
    ndim = len(shape)
    axis = draw(st.sampled_from([*range(1, ndim + 1), *range(-ndim, 0)]))
    kind = draw(st.sampled_from(["BatchNormalization", "LayerNormalization", "Normalization"]))
    config: dict = {"axis": axis}
    if kind == "LayerNormalization":
        if draw(st.booleans()):
            config["axis"] = sorted(set(draw(st.lists(st.integers(1, ndim), min_size=1))))
        config["rms_scaling"] = draw(st.booleans())
    if kind != "Normalization":
        config["center"] = draw(st.booleans())
        config["scale"] = draw(st.booleans())
    return kind, config, shape


@st.composite
def locally_connected_case(draw):
    rank = draw(st.integers(1, 2))
    fmt = draw(formats)
    config = {
        "filters": draw(st.integers(1, 5)),
        "kernel_size": draw(st.tuples(*[st.integers(1, 5)] * rank)),
        "strides": draw(st.tuples(*[st.integers(1, 3)] * rank)),
        "use_bias": draw(st.booleans()),
        "data_format": fmt,
    }
    return f"LocallyConnected{rank}D", config, draw(spatial_input(rank, fmt, draw(small), 10))


@st.composite
def reshaping_case(draw):
    shape = draw(st.lists(st.integers(1, 6), min_size=1, max_size=4).map(tuple))
    kind = draw(
        st.sampled_from(
            [
                "Flatten",
                "Dropout",
                "Reshape",
                "SpatialDropout",
                "ZeroPadding",
                "Cropping",
                "UpSampling",
                "Activation",
            ]
        )
    )
    if kind == "Flatten":
        return kind, {}, shape
    if kind == "Dropout":
        return kind, {"rate": draw(st.floats(0, 0.9))}, shape
    if kind == "Activation":
        return kind, {"activation": "relu"}, shape
    if kind == "Reshape":
        size = math.prod(shape)
        divisors = [d for d in range(1, size + 1) if size % d == 0]
        first = draw(st.sampled_from(divisors))
        target = (first, -1) if draw(st.booleans()) else (first, size // first)
        return kind, {"target_shape": target}, shape
    rank = draw(st.integers(1, 3))
    full = (*draw(st.tuples(*[st.integers(1, 7)] * rank)), draw(small))
    if kind == "SpatialDropout":
        return f"SpatialDropout{rank}D", {"rate": 0.3}, full
    if kind == "UpSampling":
        return f"UpSampling{rank}D", {"size": draw(st.integers(1, 3))}, full
    pairs = tuple((draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(rank))
    key = "padding" if kind == "ZeroPadding" else "cropping"
    return f"{kind}{rank}D", {key: pairs[0] if rank == 1 else pairs}, full


@st.composite
def merge_case(draw):
    shape = draw(st.lists(st.integers(1, 6), min_size=1, max_size=3).map(tuple))
    n = draw(st.integers(2, 4))
    kind = draw(
        st.sampled_from(
            ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"]
        )
    )
    if kind == "Subtract":
        n = 2
    if kind == "Concatenate":
        axis = draw(st.integers(1, len(shape)))
        shapes = []
        for _ in range(n):
            s = list(shape)
            s[axis - 1] = draw(st.integers(1, 6))
            shapes.append(tuple(s))
        return kind, {"axis": draw(st.sampled_from([axis, axis - len(shape) - 1]))}, shapes
    # Element-wise merges broadcast size-1 dimensions.
    shapes = [tuple(1 if draw(st.integers(0, 4)) == 0 else d for d in shape) for _ in range(n)]
    return kind, {}, shapes


CASES = {
    "conv": conv_case(),
    "transpose": transpose_case(),
    "depthwise_separable": depthwise_separable_case(),
    "pooling": pooling_case(),
    "dense_embedding": dense_embedding_case(),
    "normalization": normalization_case(),
    "locally_connected": locally_connected_case(),
    "reshaping": reshaping_case(),
    "merge": merge_case(),
}


EXAMPLES_RUN: dict[str, int] = {}


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:You passed `rms_scaling=True`:UserWarning")
@pytest.mark.parametrize("family", sorted(CASES))
def test_random_configurations_match_keras(family):
    EXAMPLES_RUN[family] = 0

    @SETTINGS
    @given(CASES[family])
    def run(case):
        EXAMPLES_RUN[family] += 1
        kind, config, shape = case
        check_against_keras(kind, config, shape)

    run()
    assert EXAMPLES_RUN[family] >= EXAMPLES // 2


@settings(max_examples=25, deadline=None, derandomize=True)
@given(locally_connected_case())
def test_locally_connected_counts_match_tf_keras(case):
    tf_keras = pytest.importorskip("tf_keras")
    kind, config, shape = case
    theirs = getattr(tf_keras.layers, kind)(**config)
    try:
        theirs.build((None, *shape))
    except ValueError:
        with pytest.raises(ValueError, match="larger than the input"):
            count_layer(kind, config, shape)
        return
    # Our layer agrees with the arithmetic (previous test), and so does the Keras 2 one.
    got = count_layer(kind, config, shape)
    out = tuple(theirs.compute_output_shape((None, *shape)))[1:]
    assert (out, theirs.count_params()) == (got.output_shape, got.total)


# ----------------------------------------------------------------- whole networks


def assert_summary_matches(model) -> None:
    summary = summarize(model)
    assert summary.total == model.count_params()
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    assert (summary.trainable, summary.non_trainable) == (
        trainable,
        model.count_params() - trainable,
    )
    by_name = {item.name: item for item in model.layers}
    for row in summary.rows:
        if row.kind == "InputLayer":
            continue
        keras_layer = by_name[row.name]
        assert row.total == keras_layer.count_params(), row.name
        assert row.output_shape == tuple(keras_layer.output.shape)[1:], row.name


@pytest.mark.slow
@pytest.mark.parametrize("name", ["MobileNetV2", "ResNet50", "DenseNet121", "EfficientNetB0"])
def test_well_known_networks(name):
    model = getattr(keras.applications, name)(weights=None)
    assert_summary_matches(model)
    del model
    keras.backend.clear_session()


def test_source_exercise_model_both_ways():
    summary = summarize(SOURCE_EXERCISE_MODEL)
    assert [r.total for r in summary.rows[1:]] == [1000, 0, 5010, 4550, 0, 510]
    assert summary.total == 11070
    model = build_keras_model(SOURCE_EXERCISE_MODEL)
    assert model.count_params() == 11070
    assert_summary_matches(model)


def test_tuned_cifar10_model_both_ways():
    summary = summarize(SOURCE_CIFAR10_MODEL)
    convs = [r for r in summary.rows if r.kind == "Conv2D"]
    assert [r.output_shape[-1] for r in convs] == [48, 48, 96, 96]
    # The layer table of the source material.
    assert [r.total for r in summary.rows if r.total] == [
        1344,
        20784,
        41568,
        83040,
        786560,
        16512,
        1290,
    ]
    assert summary.total == 951098
    model = build_keras_model(SOURCE_CIFAR10_MODEL)
    assert model.count_params() == 951098
    assert_summary_matches(model)
    models = pytest.importorskip("convnotes.models")  # the training chapter's builder
    assert_summary_matches(models.build_model(compile=False))


def test_sequential_and_functional_models():
    seq = keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            keras.layers.Conv2D(8, 3),
            keras.layers.BatchNormalization(),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(4),
        ]
    )
    assert_summary_matches(seq)
    seq_built_later = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(2)])
    seq_built_later.build((None, 7))
    assert_summary_matches(seq_built_later)
    inp = keras.Input((12, 12, 4))
    a = keras.layers.Conv2D(6, 3, padding="same")(inp)
    b = keras.layers.SeparableConv2D(6, 5, padding="same")(inp)
    c = keras.layers.Add()([a, b])
    d = keras.layers.Concatenate()([c, inp])
    e = keras.layers.Conv2DTranspose(2, 3, strides=2, output_padding=1)(d)
    assert_summary_matches(keras.Model(inp, e))


def test_specs_graph_with_named_inputs():
    specs = [
        layer("Input", shape=(10, 10, 3), name="image"),
        layer("Conv2D", filters=4, kernel_size=3, padding="same", name="left"),
        layer("Conv2D", filters=4, kernel_size=1, inputs="image", name="right"),
        layer("Add", inputs=["left", "right"]),
        layer("Flatten"),
        layer("Dense", units=3),
    ]
    summary = summarize(specs)
    assert summary["add"].output_shape == (10, 10, 4)
    assert summary.total == (4 * 28 + 4 * 4 + 400 * 3 + 3)
    assert_summary_matches(build_keras_model(specs))


def test_frozen_layer_counts_as_non_trainable():
    c = count_layer("Dense", {"units": 3, "trainable": False}, (4,))
    assert (c.trainable, c.non_trainable) == (0, 15)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3, trainable=False), keras.layers.Dense(2)]
    )
    assert_summary_matches(model)


# -------------------------------------------------------------------- formulas


def test_formulas_in_both_languages():
    conv = count_layer("Conv2D", {"filters": 20, "kernel_size": 7}, (28, 28, 1))
    assert params_text.formula(conv, "en") == "20 x (7 x 7 x 1 + 1) = 1,000"
    assert params_text.formula(conv, "fa") == "20 x (7 x 7 x 1 + 1) = 1,000"
    assert params_text.formula(conv, "fa", persian_digits=True) == "۲۰ x (۷ x ۷ x ۱ + ۱) = ۱٬۰۰۰"
    assert (
        params_text.rule(conv, "en")
        == "filters x (kernel height x kernel width x input channels + 1)"
    )
    assert (
        params_text.rule(conv, "fa") == "فیلترها × (ارتفاع هسته × پهنای هسته × کانال‌های ورودی + ۱)"
    )
    bn = count_layer("BatchNormalization", {}, (8, 8, 64))
    assert params_text.formula(bn, "en") == "2 x 64 + 2 x 64 = 256 (128 non-trainable)"
    assert params_text.formula(bn, "fa") == "2 x 64 + 2 x 64 = 256 (128 غیرآموزشی)"
    pool = count_layer("MaxPooling2D", {"pool_size": 2}, (22, 22, 20))
    assert params_text.formula(pool, "en") == "0" and "weights" in params_text.rule(pool, "en")
    grouped = count_layer("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 4}, (9, 9, 16))
    assert params_text.formula(grouped, "en") == "8 x (3 x 3 x 16/4 + 1) = 296"
    with pytest.raises(ValueError, match="lang must be one of"):
        params_text.formula(conv, "de")


def test_summary_renderings():
    summary = summarize(SOURCE_EXERCISE_MODEL)
    text = params_text.summary_text(summary, "en")
    assert "locally_connected2d (LocallyConnected2D)" in text
    assert "(None, 5, 5, 2)" in text and "Total params: 11,070" in text
    assert "کل پارامترها: ۱۱٬۰۷۰" in params_text.summary_text(summary, "fa", persian_digits=True)
    md = params_text.summary_markdown(summary, "en")
    assert "| dense (Dense) | `(None, 10)` | 510 | `10 x (50 + 1) = 510` |" in md
    page = params_text.summary_html(summary, "fa")
    assert 'dir="rtl"' in page and "۱۱٬۰۷۰" in page and "<code" in page


# -------------------------------------------------------- Dumoulin & Visin relations


def keras_1d_output(relation) -> int:
    e = dict(relation.example)
    i, k, s, p = e["i"], e["k"], e.get("s", 1), e.get("p", 0)
    x = keras.Input((i, 1))
    if relation.operation == "pooling":
        y = keras.layers.MaxPooling1D(k, strides=s)(x)
    elif relation.operation == "convolution":
        y = keras.layers.ZeroPadding1D(p)(x)
        y = keras.layers.Conv1D(1, k, strides=s, dilation_rate=e.get("d", 1))(y)
    else:
        a = e.get("a", 0)
        y = keras.layers.Conv1DTranspose(1, k, strides=s, output_padding=a if s > 1 else None)(x)
        y = keras.layers.Cropping1D(p)(y)
    return y.shape[1]


@pytest.mark.parametrize("relation", RELATIONS, ids=lambda r: f"relation-{r.number}")
def test_relations_against_keras(relation):
    assert relation.output() == relation.general_output() == keras_1d_output(relation)


@given(
    i=st.integers(1, 40),
    k=st.integers(1, 9),
    s=st.integers(1, 4),
    p=st.integers(0, 4),
    d=st.integers(1, 3),
)
@settings(max_examples=300, derandomize=True)
def test_transposed_relation_inverts_convolution_sizes(i, k, s, p, d):
    """Relation 14: the transposed convolution recovers i from o when a = (i + 2p - k') mod s."""
    span = params.effective_kernel(k, d)
    assume(i + 2 * p >= span)
    o = params.conv_output_length(i, k, s, p, d)
    a = (i + 2 * p - span) % s
    assert params.transposed_output_length(o, k, s, p, a, d) == i


def test_alexnet_first_layer_cs231n():
    c = compare_weight_sharing((227, 227, 3), 96, 11, strides=4)
    assert c.output_shape == (55, 55, 96)
    assert c.neurons == 55 * 55 * 96 == 290_400
    assert c.weights_per_neuron == 11 * 11 * 3 + 1 == 364
    assert c.shared == 96 * (11 * 11 * 3) + 96 == 34_944
    assert c.unshared == 290_400 * 364 == 105_705_600


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("kind", "config", "shape", "message"),
    [
        (
            "Conv2D",
            {"filters": 4, "kernel_size": 5},
            (3, 8, 1),
            r"layer 'conv2d' \(Conv2D\): the kernel \(5\) is larger than the input \(3\)",
        ),
        (
            "Conv2D",
            {"filters": 0, "kernel_size": 3},
            (8, 8, 1),
            r"\(Conv2D\): filters must be a positive integer, got 0",
        ),
        (
            "Conv1D",
            {"filters": 2, "kernel_size": -3},
            (8, 1),
            r"kernel_size must be a positive integer, got -3",
        ),
        ("Dense", {"units": 2.5}, (8,), r"\(Dense\): units must be an integer, got 2.5"),
        (
            "Conv2D",
            {"filters": 2, "kernel_size": 3, "strides": True},
            (8, 8, 1),
            r"strides must be an integer, got True",
        ),
        (
            "Conv2D",
            {"filters": 2, "kernel_size": 3},
            (0, 8, 1),
            r"every input dimension must be a positive integer, got 0",
        ),
        (
            "MaxPooling2D",
            {"pool_size": 4},
            (3, 3, 2),
            r"the pool_size \(4\) is larger than the input \(3\)",
        ),
        (
            "Conv2D",
            {"filters": 6, "kernel_size": 3, "groups": 4},
            (8, 8, 8),
            r"groups \(4\) must divide both filters \(6\)",
        ),
        (
            "Conv2D",
            {"filters": 2, "kernel_size": 3, "padding": "causal"},
            (8, 8, 1),
            r"padding must be one of \('valid', 'same'\)",
        ),
        (
            "LocallyConnected2D",
            {"filters": 2, "kernel_size": 3, "padding": "same"},
            (8, 8, 1),
            r"padding must be one of \('valid',\)",
        ),
        (
            "Conv2DTranspose",
            {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2},
            (4, 4, 1),
            r"output_padding \(2, 2\) must be strictly less than strides",
        ),
        (
            "Conv2D",
            {"filters": 2, "kernel_size": 3},
            (8, 8),
            r"expects inputs with 2 spatial dimension\(s\) and channels",
        ),
        ("Bidirectional", {}, (8, 3), r"layer 'bidirectional' \(Bidirectional\): unsupported"),
        ("Reshape", {"target_shape": (7, -1)}, (4, 5), r"cannot reshape 20 values"),
        ("Dropout", {"rate": 1.5}, (4,), r"rate must be a number between 0 and 1"),
        ("Concatenate", {}, [(4, 5), (3, 6)], r"must match except along"),
    ],
)
def test_bad_input_names_layer_and_rule(kind, config, shape, message):
    with pytest.raises(ValueError, match=message):
        count_layer(kind, config, shape)


def test_bad_specs():
    with pytest.raises(ValueError, match=r"'dense' \(Dense\): no input"):
        summarize([layer("Dense", units=3)])
    with pytest.raises(ValueError, match=r"unknown input layer\(s\) \['nowhere'\]"):
        summarize([layer("Input", shape=(3,)), layer("Dense", units=3, inputs="nowhere")])
    impossible = [layer("Input", shape=(5, 5, 1)), layer("Conv2D", filters=2, kernel_size=7)]
    with pytest.raises(ValueError, match="larger than the input"):
        build_keras_model(impossible)  # rejected before Keras sees it


def test_mixed_shapes_are_not_silently_wrong():
    np.testing.assert_equal(params.keras_conv_output_length(None, 3), None)
    c = count_layer("Conv1D", {"filters": 4, "kernel_size": 3}, (None, 2))
    assert c.output_shape == (None, 4) and c.total == 4 * (3 * 2 + 1)
    with pytest.raises(ValueError, match="number of input channels must be known"):
        count_layer("Conv1D", {"filters": 4, "kernel_size": 3}, (10, None))
