"""The CIFAR-10 CNN of the source material and its Keras Tuner search space.

The network is a stack of ``conv_layers`` blocks followed by ``dense_layers`` dense
layers. Block ``i`` (counting from 0) is

    Conv2D(f_i, 3x3, 'same', ReLU) -> Conv2D(f_i, 3x3, 'same', ReLU)
    -> MaxPooling2D(2x2) -> Dropout(conv dropout)

with ``f_i = filters * 2 ** (i + 1)``: the ``filters`` hyperparameter is a base width
that doubles in every block, starting with ``2 * filters``. This is the rule that turns
the source material's best trial (``filters=24``) into the model it rebuilt and
trained, with 48 and 96 filters and 951,098 parameters; the source's trial table shows
``filters: 24`` without saying so. Then ``Flatten`` and ``dense_layers`` times
``Dense(units, ReLU) -> Dropout(dense dropout)``, and ``Dense(10, softmax)``.

The source does not give its dropout rates. We use 0.25 after every convolutional block
and 0.5 after every hidden dense layer, the rates of Keras' classic CIFAR-10 example;
dropout has no parameters, so the count does not depend on them.

Precision: with ``precision="auto"`` (the default) the layers compute in bfloat16 and
keep their weights in float32 (Keras' ``mixed_bfloat16`` policy) when the processor
has native bfloat16 arithmetic (x86 ``avx512_bf16``/``amx_bf16``, or an NVIDIA GPU of
compute capability 8.0 or newer), and in float32 otherwise. The softmax output is
always float32. On the 2-core AMD EPYC machines this book is built on, bfloat16 trains
about twice as fast; ``scripts/bench_training.py`` measures speed and accuracy of both.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from convnotes import machine
from convnotes._tf import import_keras, import_tensorflow

# The source's best configuration and results, re-exported (``models.SOURCE_RESULTS``).
from convnotes.source import BEST_HYPERPARAMETERS as BEST_HYPERPARAMETERS
from convnotes.source import SOURCE_RESULTS as SOURCE_RESULTS

keras = import_keras()

try:
    import keras_tuner

    _HyperModelBase: Any = keras_tuner.HyperModel
except ImportError:  # pragma: no cover - keras-tuner is a dependency
    keras_tuner = None
    _HyperModelBase = object

#: The source material's search space, in the order its ``build(hp)`` defines it.
SEARCH_SPACE: dict[str, dict[str, Any]] = {
    "conv_layers": {"type": "Int", "min_value": 1, "max_value": 3, "step": 1},
    "dense_layers": {"type": "Int", "min_value": 1, "max_value": 4, "step": 1},
    "units": {"type": "Int", "min_value": 128, "max_value": 256, "step": 64},
    "filters": {"type": "Int", "min_value": 8, "max_value": 32, "step": 8},
    "learning_rate": {"type": "Choice", "values": [1e-4, 5e-4, 1e-3], "ordered": True},
    "optimizer": {"type": "Choice", "values": ["adam", "sgd"], "ordered": False},
}

DEFAULT_DROPOUT: tuple[float, float] = (0.25, 0.5)
OPTIMIZERS = ("adam", "sgd")
PRECISIONS = ("auto", "float32", "mixed_bfloat16")


@cache
def native_bfloat16() -> bool:
    """Whether this machine computes bfloat16 natively (so mixed precision is faster)."""
    tf = import_tensorflow()
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        return all(
            tuple(tf.config.experimental.get_device_details(gpu).get("compute_capability", (0, 0)))
            >= (8, 0)
            for gpu in gpus
        )
    return machine.native_bfloat16_cpu()


def resolve_precision(precision: str = "auto") -> str:
    """``"float32"`` or ``"mixed_bfloat16"``: what ``precision`` means on this machine.

    Examples
    --------
    >>> resolve_precision("float32")
    'float32'
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    if precision == "auto":
        return "mixed_bfloat16" if native_bfloat16() else "float32"
    return precision


def block_filters(filters: int, conv_layers: int) -> list[int]:
    """Filters of each convolutional block: ``filters * 2 ** (i + 1)`` for block ``i``.

    Examples
    --------
    >>> block_filters(24, 2)
    [48, 96]
    >>> block_filters(8, 3)
    [16, 32, 64]
    """
    return [filters * 2 ** (i + 1) for i in range(conv_layers)]


def _positive_int(name: str, value: Any, low: int = 1, high: int | None = None) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        rule = f"an integer in {low}..{high}" if high is not None else f"an integer >= {low}"
        raise ValueError(f"{name} must be {rule}, got {value!r}")
    return value


def _dropout_rates(dropout: float | tuple[float, float]) -> tuple[float, float]:
    rates = (dropout, dropout) if isinstance(dropout, (int, float)) else tuple(dropout)
    if len(rates) != 2 or not all(isinstance(r, (int, float)) and 0 <= r < 1 for r in rates):
        raise ValueError(
            f"dropout must be a rate in [0, 1) or a (conv, dense) pair of rates, got {dropout!r}"
        )
    return float(rates[0]), float(rates[1])


def build_model(
    conv_layers: int = 2,
    dense_layers: int = 2,
    units: int = 128,
    filters: int = 24,
    learning_rate: float = 5e-4,
    optimizer: str = "adam",
    *,
    input_shape: tuple[int, int, int] = (32, 32, 3),
    num_classes: int = 10,
    dropout: float | tuple[float, float] = DEFAULT_DROPOUT,
    precision: str = "auto",
    batch_norm: bool = False,
    compile: bool = True,
    jit_compile: bool | str = False,
    steps_per_execution: int = 1,
    name: str = "cifar_cnn",
) -> Any:
    """The source material's CNN for the given hyperparameters, compiled.

    The defaults are the source's best trial: 48 and 96 filters, 951,098 parameters.

    Parameters
    ----------
    conv_layers, dense_layers, units, filters, learning_rate, optimizer
        The six hyperparameters of :data:`SEARCH_SPACE` (values outside it are allowed
        when they make sense, e.g. ``conv_layers=4`` on a large enough input).
    input_shape, num_classes
        Image shape (height, width, channels) and number of classes.
    dropout
        Rate after every convolutional block and after every hidden dense layer, or a
        ``(conv, dense)`` pair.
    precision
        ``"auto"``, ``"float32"`` or ``"mixed_bfloat16"`` (see the module notes).
    batch_norm
        Batch normalization after every convolution and every hidden dense layer,
        before its ReLU. Those layers then drop their biases (the normalization's shift
        replaces them), so the model stays within 0.2% of the plain one's parameter count
        (952,730 against 951,098 for the defaults, 1,088 of them non-trainable running
        statistics). Normalizing the convolutions alone was not enough: under the
        default dropout (0.5 on the dense layers) that model stayed at chance accuracy
        on CIFAR-10 (see ``tests/test_training.py``).
    compile, jit_compile, steps_per_execution
        Whether to compile (Adam or plain SGD, sparse categorical cross-entropy,
        accuracy), and two :meth:`keras.Model.compile` options. XLA (``jit_compile``)
        is off by default: on CPU it made this model about ten times slower.

    Examples
    --------
    >>> build_model().count_params()
    951098
    >>> build_model(batch_norm=True).count_params()
    952730
    """
    _positive_int("conv_layers", conv_layers)
    _positive_int("dense_layers", dense_layers, low=0)
    _positive_int("units", units)
    _positive_int("filters", filters)
    _positive_int("num_classes", num_classes, low=2)
    conv_rate, dense_rate = _dropout_rates(dropout)
    if len(input_shape) != 3 or not all(isinstance(d, int) and d > 0 for d in input_shape):
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    side = min(input_shape[:2])
    if side < 2**conv_layers:
        raise ValueError(
            f"conv_layers={conv_layers} halves the image {conv_layers} times, "
            f"but input_shape {input_shape} is only {side} pixels wide"
        )
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    if not isinstance(learning_rate, (int, float)) or not learning_rate > 0:
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    if not isinstance(batch_norm, bool):
        raise TypeError(f"batch_norm must be True or False, got {batch_norm!r}")

    policy = resolve_precision(precision)

    layers = keras.layers
    inputs = keras.Input(shape=input_shape, name="image")
    x = inputs
    for block, width in enumerate(block_filters(filters, conv_layers), start=1):
        for k in (1, 2):
            x = layers.Conv2D(
                width,
                3,
                padding="same",
                activation=None if batch_norm else "relu",
                use_bias=not batch_norm,
                name=f"block{block}_conv{k}",
                dtype=policy,
            )(x)
            if batch_norm:
                x = layers.BatchNormalization(name=f"block{block}_bn{k}", dtype=policy)(x)
                x = layers.ReLU(name=f"block{block}_relu{k}", dtype=policy)(x)
        x = layers.MaxPooling2D(2, name=f"block{block}_pool", dtype=policy)(x)
        x = layers.Dropout(conv_rate, name=f"block{block}_dropout", dtype=policy)(x)
    x = layers.Flatten(name="flatten", dtype=policy)(x)
    for index in range(1, dense_layers + 1):
        x = layers.Dense(
            units,
            activation=None if batch_norm else "relu",
            use_bias=not batch_norm,
            name=f"dense{index}",
            dtype=policy,
        )(x)
        if batch_norm:
            x = layers.BatchNormalization(name=f"dense{index}_bn", dtype=policy)(x)
            x = layers.ReLU(name=f"dense{index}_relu", dtype=policy)(x)
        x = layers.Dropout(dense_rate, name=f"dense{index}_dropout", dtype=policy)(x)
    # The softmax stays in float32 whatever the policy: probabilities near 0 and 1.
    outputs = layers.Dense(
        num_classes, activation="softmax", name="class_probabilities", dtype="float32"
    )(x)
    model = keras.Model(inputs, outputs, name=name)
    if compile:
        compile_model(
            model,
            learning_rate,
            optimizer,
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution,
        )
    return model


LR_SCHEDULES = ("constant", "cosine")


def make_learning_rate(
    learning_rate: float, schedule: str = "constant", decay_steps: int | None = None
) -> Any:
    """``learning_rate`` itself, or a cosine decay from it to zero over ``decay_steps``.

    Examples
    --------
    >>> make_learning_rate(5e-4)
    0.0005
    >>> cosine = make_learning_rate(5e-4, "cosine", decay_steps=100)
    >>> [round(float(cosine(step)), 6) for step in (0, 50, 100)]
    [0.0005, 0.00025, 0.0]
    """
    if schedule not in LR_SCHEDULES:
        raise ValueError(f"schedule must be one of {LR_SCHEDULES}, got {schedule!r}")
    if schedule == "constant":
        return learning_rate
    if isinstance(decay_steps, bool) or not isinstance(decay_steps, int) or decay_steps < 1:
        raise ValueError(
            f"decay_steps must be a positive integer for the cosine schedule, got {decay_steps!r}"
        )
    return keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps)


def make_optimizer(name: str, learning_rate: Any) -> Any:
    """Adam or plain SGD (no momentum: the source names only the optimizer and its rate).

    ``learning_rate`` is a number or a Keras learning-rate schedule.
    """
    if name == "adam":
        return keras.optimizers.Adam(learning_rate=learning_rate)
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate=learning_rate)
    raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")


def compile_model(
    model: Any,
    learning_rate: Any = 5e-4,
    optimizer: str = "adam",
    *,
    jit_compile: bool | str = False,
    steps_per_execution: int = 1,
) -> Any:
    """Compile ``model`` for integer labels: cross-entropy loss and accuracy.

    ``learning_rate`` is a number or a schedule (:func:`make_learning_rate`).
    """
    model.compile(
        optimizer=make_optimizer(optimizer, learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
    )
    return model


def layer_table(model: Any) -> list[tuple[str, str, tuple[Any, ...], int]]:
    """``(name, class name, output shape, parameters)`` for every layer, input first.

    Examples
    --------
    >>> rows = layer_table(build_model(compile=False))
    >>> rows[1]
    ('block1_conv1', 'Conv2D', (None, 32, 32, 48), 1344)
    >>> sum(r[3] for r in rows)
    951098
    """
    rows = [("image", "InputLayer", (None, *model.input_shape[1:]), 0)]
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        rows.append(
            (layer.name, type(layer).__name__, tuple(layer.output.shape), int(layer.count_params()))
        )
    return rows


class CifarHyperModel(_HyperModelBase):
    """The source material's search space as a ``keras_tuner.HyperModel``.

    ``build(hp)`` defines exactly the six hyperparameters of :data:`SEARCH_SPACE`, in
    that order, and returns :func:`build_model` of the sampled values.

    Examples
    --------
    >>> import keras_tuner
    >>> hp = keras_tuner.HyperParameters()
    >>> model = CifarHyperModel().build(hp)
    >>> sorted(hp.values) == sorted(SEARCH_SPACE)
    True
    """

    def __init__(
        self,
        input_shape: tuple[int, int, int] = (32, 32, 3),
        num_classes: int = 10,
        *,
        dropout: float | tuple[float, float] = DEFAULT_DROPOUT,
        precision: str = "auto",
        name: str | None = None,
        tunable: bool = True,
    ) -> None:
        if keras_tuner is None:  # pragma: no cover
            raise ImportError("CifarHyperModel needs keras-tuner")
        super().__init__(name=name, tunable=tunable)
        self.input_shape = tuple(input_shape)
        self.num_classes = num_classes
        self.dropout = dropout
        self.precision = precision

    def build(self, hp: Any) -> Any:
        values = {}
        for name, spec in SEARCH_SPACE.items():
            if spec["type"] == "Int":
                values[name] = hp.Int(
                    name,
                    min_value=spec["min_value"],
                    max_value=spec["max_value"],
                    step=spec["step"],
                )
            else:
                values[name] = hp.Choice(name, spec["values"], ordered=spec["ordered"])
        return build_model(
            **values,
            input_shape=self.input_shape,
            num_classes=self.num_classes,
            dropout=self.dropout,
            precision=self.precision,
        )
