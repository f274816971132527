"""Output shapes and parameter counts of Keras layers, computed from their configurations.

Every count here comes from this module's own formulas applied to a layer's
configuration (the arguments you would pass to the Keras constructor) and its input
shape; nothing calls ``count_params``. The tests compare the results with Keras on
thousands of random configurations and on whole networks.

Shapes exclude the batch dimension: a 28x28 grey image is ``(28, 28, 1)``.

Three levels:

* the output-size relations of Dumoulin & Visin (2016), :func:`conv_output_length`
  and friends, listed in :data:`RELATIONS`, come from :mod:`convnotes.shapes`;
* :func:`count_layer` gives one layer's output shape, trainable and non-trainable
  parameter counts, multiply-adds, and the formula as arithmetic and as a
  language-free rule;
* :func:`summarize` does a whole model, given as a list of :class:`LayerSpec`
  (see :func:`layer`) or as a built Keras model.

Each Keras class this module knows is one :class:`LayerKind` entry of
:data:`LAYER_KINDS`. The words of the formulas, the summary tables and the
parameters chapter's figure are in :mod:`convnotes.presentation.params`.

Examples
--------
>>> c = count_layer("Conv2D", {"filters": 20, "kernel_size": 7}, (28, 28, 1))
>>> c.output_shape, c.total
((22, 22, 20), 1000)
>>> c.arithmetic()
'20 x (7 x 7 x 1 + 1) = 1,000'
>>> c.rule
'{filters} x ({kernel_height} x {kernel_width} x {input_channels} + 1)'
>>> summary = summarize(SOURCE_EXERCISE_MODEL)
>>> summary.total
11070
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from types import MappingProxyType
from typing import Any

from convnotes.shapes import RELATIONS as RELATIONS
from convnotes.shapes import Relation as Relation
from convnotes.shapes import conv_output_length as conv_output_length
from convnotes.shapes import effective_size as effective_kernel
from convnotes.shapes import keras_conv_output_length as keras_conv_output_length
from convnotes.shapes import keras_transposed_output_length as keras_transposed_output_length
from convnotes.shapes import pool_output_length as pool_output_length
from convnotes.shapes import transposed_output_length as transposed_output_length

Shape = tuple[int | None, ...]


# --------------------------------------------------------------------------------------
# One layer
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerCount:
    """What one layer does to the shape and how many parameters it holds.

    ``expression`` is the arithmetic with this layer's numbers (``"20 x (7 x 7 x 1 + 1)"``),
    ``rule`` the same formula with named terms instead of numbers, as a template
    (``"{filters} x ({kernel_height} x {kernel_width} x {input_channels} + 1)"``) that
    :func:`convnotes.presentation.params.rule` writes in either language, and
    ``shape_expression`` how the output size was found (empty when it is just copied).

    ``macs`` counts the multiply-accumulates of one example's forward pass (bias
    additions and activations not included; 0 for layers without weights, ``None``
    when a spatial size is unknown), with ``macs_expression`` and the template
    ``macs_rule`` written like the parameter formula.

    Examples
    --------
    >>> c = count_layer("BatchNormalization", {}, (8, 8, 64))
    >>> c.trainable, c.non_trainable, c.arithmetic()
    (128, 128, '2 x 64 + 2 x 64 = 256')
    """

    name: str
    kind: str
    input_shapes: tuple[Shape, ...]
    output_shape: Shape
    trainable: int
    non_trainable: int
    expression: str
    rule: str
    shape_expression: str = ""
    macs: int | None = 0
    macs_expression: str = ""
    macs_rule: str = ""

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable

    def arithmetic(self) -> str:
        """The language-neutral arithmetic: ``'20 x (7 x 7 x 1 + 1) = 1,000'`` (or ``'0'``)."""
        return f"{self.expression} = {self.total:,}" if self.total else "0"

    def macs_arithmetic(self) -> str:
        """``'22 x 22 x 20 x (7 x 7 x 1) = 474,320'``, or ``'0'`` without multiply-adds."""
        if self.macs is None:
            return "?"
        return f"{self.macs_expression} = {self.macs:,}" if self.macs else "0"


@dataclass(frozen=True)
class LayerSpec:
    """A layer described by its Keras class name and constructor arguments.

    ``inputs`` names earlier layers whose outputs feed this one; ``None`` means the
    previous layer in the list (a plain stack). Build one with :func:`layer`.
    """

    kind: str
    config: Mapping[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] | None = None

    @property
    def name(self) -> str | None:
        return self.config.get("name")


def layer(kind: str, *, inputs: str | Sequence[str] | None = None, **config: Any) -> LayerSpec:
    """A :class:`LayerSpec` written like the Keras call: ``layer("Conv2D", filters=20, ...)``.

    Examples
    --------
    >>> layer("Conv2D", filters=20, kernel_size=7)
    LayerSpec(kind='Conv2D', config={'filters': 20, 'kernel_size': 7}, inputs=None)
    >>> layer("Add", inputs=["a", "b"]).inputs
    ('a', 'b')
    """
    if isinstance(inputs, str):
        inputs = (inputs,)
    return LayerSpec(kind, dict(config), None if inputs is None else tuple(inputs))


class _Config:
    """Reads and validates one layer's configuration; errors name the layer and the rule."""

    def __init__(self, kind: str, config: Mapping[str, Any], name: str) -> None:
        self.kind, self.config, self.name = kind, config, name

    def error(self, rule: str) -> ValueError:
        return ValueError(f"layer {self.name!r} ({self.kind}): {rule}")

    def get(self, key: str, default: Any = None) -> Any:
        value = self.config.get(key, default)
        return default if value is None else value

    def require(self, key: str) -> Any:
        if self.config.get(key) is None:
            raise self.error(f"{key} is required")
        return self.config[key]

    def integer(self, key: str, default: Any = None, minimum: int = 1) -> int:
        value = self.require(key) if default is None else self.get(key, default)
        return _check_int(value, key, minimum, self)

    def ints(self, key: str, rank: int, default: Any = None, minimum: int = 1) -> tuple[int, ...]:
        value = self.require(key) if default is None else self.get(key, default)
        if isinstance(value, (list, tuple)):
            if len(value) != rank:
                raise self.error(f"{key} must be an integer or {rank} integers, got {value!r}")
            return tuple(_check_int(v, key, minimum, self) for v in value)
        return (_check_int(value, key, minimum, self),) * rank

    def boolean(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.error(f"{key} must be True or False, got {value!r}")
        return value

    def choice(self, key: str, options: Sequence[str], default: str) -> str:
        value = self.get(key, default)
        value = value.lower() if isinstance(value, str) else value
        if value not in options:
            raise self.error(f"{key} must be one of {tuple(options)}, got {value!r}")
        return value

    def data_format(self) -> str:
        return self.choice("data_format", ("channels_last", "channels_first"), "channels_last")

    def no_lora(self) -> None:
        if self.config.get("lora_rank"):
            raise self.error("lora_rank is not supported (LoRA adds low-rank weights)")


def _check_int(value: Any, what: str, minimum: int, cfg: _Config) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise cfg.error(f"{what} must be an integer, got {value!r}")
    if value < minimum:
        rule = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise cfg.error(f"{what} must be {rule}, got {value}")
    return int(value)


def _check_shape(shape: Any, cfg: _Config) -> Shape:
    if not isinstance(shape, (tuple, list)):
        raise cfg.error(f"input shape must be a tuple of sizes, got {shape!r}")
    for dim in shape:
        if dim is not None:
            _check_int(dim, "every input dimension", 1, cfg)
    return tuple(None if d is None else int(d) for d in shape)


def _prod(values: Iterable[int]) -> int:
    return math.prod(values)


def _x(values: Iterable[Any]) -> str:
    return " x ".join(str(v) for v in values)


def _split(shape: Shape, rank: int, cfg: _Config, data_format: str) -> tuple[Shape, int | None]:
    if len(shape) != rank + 1:
        raise cfg.error(
            f"expects inputs with {rank} spatial dimension(s) and channels "
            f"({rank + 1} dimensions without the batch), got shape {shape}"
        )
    if data_format == "channels_last":
        return shape[:-1], shape[-1]
    return shape[1:], shape[0]


def _join(spatial: Shape, channels: int | None, data_format: str) -> Shape:
    if data_format == "channels_last":
        return (*spatial, channels)
    return (channels, *spatial)


def _known_channels(channels: int | None, cfg: _Config) -> int:
    if channels is None:
        raise cfg.error("the number of input channels must be known")
    return channels


def _sliding(
    spatial: Shape,
    kernel: Sequence[int],
    strides: Sequence[int],
    padding: str,
    dilation: Sequence[int],
    cfg: _Config,
    what: str = "kernel",
) -> tuple[Shape, str]:
    """Output sizes of a sliding window and how each was computed."""
    out: list[int | None] = []
    notes: list[str] = []
    sizes = zip(spatial, kernel, strides, dilation, strict=True)
    for axis, (n, k, s, d) in enumerate(sizes, start=1):
        span = effective_kernel(k, d)
        if n is None:
            out.append(None)
            continue
        if padding == "valid" and span > n:
            spans = f"{k} (span {span} with dilation {d})" if d > 1 else f"{k}"
            raise cfg.error(
                f"the {what} ({spans}) is larger than the input ({n}) along spatial axis "
                f"{axis}; padding='valid' needs {what} span <= input size"
            )
        o = keras_conv_output_length(n, k, s, padding, d)
        out.append(o)
        if padding == "valid":
            notes.append(
                f"floor(({n} - {span}) / {s}) + 1 = {o}" if s > 1 else f"{n} - {span} + 1 = {o}"
            )
        else:
            notes.append(f"ceil({n} / {s}) = {o}" if s > 1 else f"{padding}: {o}")
    return tuple(out), _join_notes(notes)


def _join_notes(notes: Sequence[str]) -> str:
    """One note when every axis was computed alike, else the axes in order."""
    return notes[0] if notes and len(set(notes)) == 1 else "; ".join(notes)


# ----- the formula as a rule: a template of named terms, worded by the presentation
# (convnotes.presentation.params.RULE_TERMS holds the words of every term name).

_KERNEL_TERMS = {
    1: ("kernel_length",),
    2: ("kernel_height", "kernel_width"),
    3: ("kernel_depth", "kernel_height", "kernel_width"),
}

#: What a layer without weights does, one rule term ``no_weights_<what>`` each.
NO_WEIGHT_ROLES: tuple[str, ...] = (
    "pool",
    "reshape",
    "dropout",
    "merge",
    "concat",
    "input",
    "pad",
    "activation",
)


def _kernel_terms(rank: int) -> str:
    """``'{kernel_height} x {kernel_width}'`` for a 2D kernel."""
    return " x ".join("{" + term + "}" for term in _KERNEL_TERMS[rank])


def _no_weights(
    cfg: _Config, inputs: Sequence[Shape], out: Shape, what: str, shape_expression: str = ""
) -> LayerCount:
    rule = "{no_weights_" + what + "}"
    return LayerCount(cfg.name, cfg.kind, tuple(inputs), out, 0, 0, "0", rule, shape_expression)


def _weights(
    cfg: _Config,
    inputs: Sequence[Shape],
    out: Shape,
    count: int,
    expression: str,
    rule: str,
    shape_expression: str = "",
    non_trainable: int = 0,
) -> LayerCount:
    trainable_flag = cfg.get("trainable", True)
    if trainable_flag is False:  # a frozen layer keeps its weights, none of them trained
        count, non_trainable = 0, count + non_trainable
    return LayerCount(
        cfg.name,
        cfg.kind,
        tuple(inputs),
        out,
        count,
        non_trainable,
        expression,
        rule,
        shape_expression,
    )


# ----- counters, one per family of layers. Each takes the config and the input shapes.


def _input(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
    if cfg.config.get("batch_shape") is not None:
        shape = tuple(cfg.config["batch_shape"])[1:]
    elif cfg.config.get("batch_input_shape") is not None:
        shape = tuple(cfg.config["batch_input_shape"])[1:]
    else:
        shape = cfg.require("shape")
        shape = (shape,) if isinstance(shape, Integral) else tuple(shape)
    shape = _check_shape(shape, cfg)
    return _no_weights(cfg, (), shape, "input")


def _dense(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
    (shape,) = shapes
    cfg.no_lora()
    units = cfg.integer("units")
    bias = cfg.boolean("use_bias", True)
    if not shape or shape[-1] is None:
        raise cfg.error(f"the last input dimension must be known, got shape {shape}")
    n = shape[-1]
    if bias:
        expr, rule = f"{units} x ({n} + 1)", "{units} x ({inputs} + 1)"
    else:
        expr, rule = f"{units} x {n}", "{units} x {inputs}"
    return _weights(cfg, shapes, (*shape[:-1], units), units * (n + bias), expr, rule)


def _window(cfg: _Config, rank: int) -> tuple[tuple[int, ...], ...]:
    """``kernel_size``, ``strides`` and ``dilation_rate`` of a sliding layer, one per axis."""
    return (
        cfg.ints("kernel_size", rank),
        cfg.ints("strides", rank, 1),
        cfg.ints("dilation_rate", rank, 1),
    )


def _conv_rule(rank: int, groups: int, bias: bool, lead: str) -> str:
    channels = "{input_channels}" + (" / {groups}" if groups > 1 else "")
    body = f"{_kernel_terms(rank)} x {channels}"
    return f"{lead} x ({body} + 1)" if bias else f"{lead} x {body}"


def _conv_expression(lead: str, kernel: Sequence[int], channels: str, bias: bool) -> str:
    body = _x((*kernel, channels))
    return f"{lead} x ({body} + 1)" if bias else f"{lead} x {body}"


def _conv(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        cfg.no_lora()
        fmt = cfg.data_format()
        filters = cfg.integer("filters")
        kernel, strides, dilation = _window(cfg, rank)
        groups = cfg.integer("groups", 1)
        bias = cfg.boolean("use_bias", True)
        padding = cfg.choice(
            "padding", ("valid", "same", "causal") if rank == 1 else ("valid", "same"), "valid"
        )
        if max(strides) > 1 and max(dilation) > 1:
            raise cfg.error("strides > 1 cannot be combined with dilation_rate > 1")
        spatial, cin = _split(shape, rank, cfg, fmt)
        cin = _known_channels(cin, cfg)
        if filters % groups or cin % groups:
            raise cfg.error(
                f"groups ({groups}) must divide both filters ({filters}) "
                f"and the input channels ({cin})"
            )
        out, note = _sliding(spatial, kernel, strides, padding, dilation, cfg)
        per_group = cin // groups
        params = filters * (_prod(kernel) * per_group + bias)
        chans = f"{cin}/{groups}" if groups > 1 else str(cin)
        expr = _conv_expression(str(filters), kernel, chans, bias)
        rule = _conv_rule(rank, groups, bias, "{filters}")
        return _weights(cfg, shapes, _join(out, filters, fmt), params, expr, rule, note)

    return count


def _conv_transpose(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = cfg.data_format()
        filters = cfg.integer("filters")
        kernel, strides, dilation = _window(cfg, rank)
        bias = cfg.boolean("use_bias", True)
        padding = cfg.choice("padding", ("valid", "same"), "valid")
        raw_pad = cfg.config.get("output_padding")
        out_pad = None if raw_pad is None else cfg.ints("output_padding", rank, 0, minimum=0)
        if max(strides) > 1 and max(dilation) > 1:
            raise cfg.error("strides > 1 cannot be combined with dilation_rate > 1")
        if out_pad is not None and any(a >= s for a, s in zip(out_pad, strides, strict=True)):
            raise cfg.error(
                f"output_padding {out_pad} must be strictly less than strides {strides}"
            )
        spatial, cin = _split(shape, rank, cfg, fmt)
        cin = _known_channels(cin, cfg)
        out: list[int | None] = []
        notes: list[str] = []
        for axis, (n, k, s, d) in enumerate(zip(spatial, kernel, strides, dilation, strict=True)):
            a = None if out_pad is None else out_pad[axis]
            o = keras_transposed_output_length(n, k, s, padding, a, d)
            if o is not None and o <= 0:
                raise cfg.error(
                    f"the output size along spatial axis {axis + 1} would be {o}; "
                    "increase the input, kernel_size or output_padding"
                )
            out.append(o)
            if n is not None:
                span = effective_kernel(k, d)
                if a is None:
                    notes.append(
                        f"{n} x {s} = {o}"
                        if padding == "same"
                        else f"({n} - 1) x {s} + max({span}, {s}) = {o}"
                    )
                else:
                    p = span // 2 if padding == "same" else 0
                    notes.append(f"({n} - 1) x {s} + {a} + {span} - 2 x {p} = {o}")
        params = filters * (_prod(kernel) * cin + bias)
        expr = _conv_expression(str(filters), kernel, str(cin), bias)
        rule = _conv_rule(rank, 1, bias, "{filters}")
        return _weights(
            cfg, shapes, _join(tuple(out), filters, fmt), params, expr, rule, _join_notes(notes)
        )

    return count


def _depthwise(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = cfg.data_format()
        kernel, strides, dilation = _window(cfg, rank)
        multiplier = cfg.integer("depth_multiplier", 1)
        bias = cfg.boolean("use_bias", True)
        padding = cfg.choice("padding", ("valid", "same"), "valid")
        spatial, cin = _split(shape, rank, cfg, fmt)
        cin = _known_channels(cin, cfg)
        out, note = _sliding(spatial, kernel, strides, padding, dilation, cfg)
        params = cin * multiplier * (_prod(kernel) + bias)
        terms = _kernel_terms(rank)
        if bias:
            expr = f"{cin} x {multiplier} x ({_x(kernel)} + 1)"
            rule = "{input_channels} x {depth_multiplier} x (" + terms + " + 1)"
        else:
            expr = f"{cin} x {multiplier} x {_x(kernel)}"
            rule = "{input_channels} x {depth_multiplier} x " + terms
        return _weights(cfg, shapes, _join(out, cin * multiplier, fmt), params, expr, rule, note)

    return count


def _separable(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = cfg.data_format()
        filters = cfg.integer("filters")
        kernel, strides, dilation = _window(cfg, rank)
        multiplier = cfg.integer("depth_multiplier", 1)
        bias = cfg.boolean("use_bias", True)
        padding = cfg.choice("padding", ("valid", "same"), "valid")
        spatial, cin = _split(shape, rank, cfg, fmt)
        cin = _known_channels(cin, cfg)
        out, note = _sliding(spatial, kernel, strides, padding, dilation, cfg)
        depthwise = cin * multiplier * _prod(kernel)
        pointwise = filters * (cin * multiplier + bias)
        one = " + 1" if bias else ""
        expr = f"{cin} x {multiplier} x {_x(kernel)} + {filters} x ({cin} x {multiplier}{one})"
        rule = (
            "{input_channels} x {depth_multiplier} x " + _kernel_terms(rank) + " + {filters}"
            " x ({input_channels} x {depth_multiplier}" + one + ")"
        )
        return _weights(
            cfg, shapes, _join(out, filters, fmt), depthwise + pointwise, expr, rule, note
        )

    return count


def _locally_connected(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = cfg.data_format()
        filters = cfg.integer("filters")
        kernel = cfg.ints("kernel_size", rank)
        strides = cfg.ints("strides", rank, 1)
        bias = cfg.boolean("use_bias", True)
        cfg.choice("padding", ("valid",), "valid")
        spatial, cin = _split(shape, rank, cfg, fmt)
        cin = _known_channels(cin, cfg)
        if any(n is None for n in spatial):
            raise cfg.error(f"needs fully known spatial input sizes, got shape {shape}")
        out, note = _sliding(spatial, kernel, strides, "valid", (1,) * rank, cfg)
        positions = _prod(out)  # type: ignore[arg-type]
        params = filters * positions * (_prod(kernel) * cin + bias)
        pos = f"({_x(out)})" if rank > 1 else str(out[0])
        expr = _conv_expression(f"{filters} x {pos}", kernel, str(cin), bias)
        rule = _conv_rule(rank, 1, bias, "{filters} x {output_positions}")
        return _weights(cfg, shapes, _join(out, filters, fmt), params, expr, rule, note)

    return count


def _axis(axis: Any, ndim: int, cfg: _Config) -> int:
    """Keras axis (counting the batch as axis 0) -> index into a shape without the batch."""
    if isinstance(axis, bool) or not isinstance(axis, Integral):
        raise cfg.error(f"axis must be an integer, got {axis!r}")
    axis = int(axis)
    if axis == 0 or not -ndim <= axis <= ndim:
        raise cfg.error(
            f"axis {axis} is out of range for an input of {ndim} dimension(s) "
            "plus the batch (axis 0 is the batch)"
        )
    return axis - 1 if axis > 0 else ndim + axis


def _batch_norm(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
    (shape,) = shapes
    if cfg.get("renorm", False):
        raise cfg.error("renorm=True is not supported (it adds renormalisation weights)")
    center, scale = cfg.boolean("center", True), cfg.boolean("scale", True)
    axis = _axis(cfg.get("axis", -1), len(shape), cfg)
    channels = shape[axis]
    if channels is None:
        raise cfg.error(f"the normalised axis must have a known size, got shape {shape}")
    learned = center + scale
    expr = f"{learned} x {channels} + 2 x {channels}" if learned else f"2 x {channels}"
    names = {2: "gamma_beta", 1: "gamma" if scale else "beta"}.get(learned, "")
    lead = f"{learned} x {{channels}} ({{{names}}}) + " if learned else ""
    rule = lead + "2 x {channels} ({moving_stats})"
    return _weights(cfg, shapes, shape, learned * channels, expr, rule, non_trainable=2 * channels)


def _layer_norm(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
    (shape,) = shapes
    raw = cfg.get("axis", -1)
    axes = sorted(
        {_axis(a, len(shape), cfg) for a in (raw if isinstance(raw, (list, tuple)) else [raw])}
    )
    sizes = [shape[a] for a in axes]
    if None in sizes:
        raise cfg.error(f"the normalised axes must have known sizes, got shape {shape}")
    rms = cfg.boolean("rms_scaling", False)
    vectors = int(cfg.boolean("scale", True) or rms) + int(cfg.boolean("center", True) and not rms)
    size = _prod(sizes)  # type: ignore[arg-type]
    expr = f"{vectors} x {_x(sizes)}"
    rule = f"{vectors} x {{normalised_size}} ({{gamma_and_or_beta}})"
    return _weights(cfg, shapes, shape, vectors * size, expr, rule)


def _normalization(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
    (shape,) = shapes
    if cfg.config.get("mean") is not None or cfg.config.get("variance") is not None:
        return _no_weights(cfg, shapes, shape, "activation")
    raw = cfg.get("axis", -1)
    axes = sorted(
        {_axis(a, len(shape), cfg) for a in (raw if isinstance(raw, (list, tuple)) else [raw])}
    )
    sizes = [shape[a] for a in axes]
    if None in sizes:
        raise cfg.error(f"the kept axes must have known sizes, got shape {shape}")
    size = _prod(sizes)  # type: ignore[arg-type]
    expr = f"2 x {_x(sizes) if sizes else 1} + 1"
    count = 2 * size + 1
    return LayerCount(
        cfg.name,
        cfg.kind,
        tuple(shapes),
        shape,
        0,
        count,
        expr,
        "2 x {kept_size} + 1 ({mean_variance_count})",
    )


def _embedding(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
    (shape,) = shapes
    cfg.no_lora()
    vocab, dim = cfg.integer("input_dim"), cfg.integer("output_dim")
    return _weights(
        cfg,
        shapes,
        (*shape, dim),
        vocab * dim,
        f"{vocab} x {dim}",
        "{vocabulary_size} x {embedding_size}",
    )


def _pooling(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = cfg.data_format()
        pool = cfg.ints("pool_size", rank, 2)
        strides = cfg.ints("strides", rank, pool)
        padding = cfg.choice("padding", ("valid", "same"), "valid")
        spatial, channels = _split(shape, rank, cfg, fmt)
        out, note = _sliding(spatial, pool, strides, padding, (1,) * rank, cfg, what="pool_size")
        return _no_weights(cfg, shapes, _join(out, channels, fmt), "pool", note)

    return count


def _global_pooling(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = cfg.data_format()
        _, channels = _split(shape, rank, cfg, fmt)
        out = _join((1,) * rank, channels, fmt) if cfg.boolean("keepdims", False) else (channels,)
        return _no_weights(cfg, shapes, out, "pool")

    return count


def _adaptive_pooling(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = cfg.data_format()
        size = cfg.ints("output_size", rank)
        _, channels = _split(shape, rank, cfg, fmt)
        return _no_weights(cfg, shapes, _join(size, channels, fmt), "pool")

    return count


def _flatten(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
    (shape,) = shapes
    cfg.choice("data_format", ("channels_last", "channels_first"), "channels_last")
    size = None if None in shape else _prod(shape)  # type: ignore[arg-type]
    note = f"{_x(shape)} = {size}" if size is not None and len(shape) > 1 else ""
    return _no_weights(cfg, shapes, (size,), "reshape", note)


def _reshape(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
    (shape,) = shapes
    target = cfg.require("target_shape")
    target = (target,) if isinstance(target, Integral) else tuple(target)
    for dim in target:
        if dim != -1:
            _check_int(dim, "every target_shape entry (or one -1)", 1, cfg)
    if list(target).count(-1) > 1:
        raise cfg.error(f"target_shape may contain -1 at most once, got {target}")
    size = None if None in shape else _prod(shape)  # type: ignore[arg-type]
    known = _prod(d for d in target if d != -1)
    if size is None:
        out = tuple(None if d == -1 else d for d in target)
    elif -1 in target:
        if size % known:
            raise cfg.error(f"cannot reshape {size} values into {target}")
        out = tuple(size // known if d == -1 else d for d in target)
    else:
        if known != size:
            raise cfg.error(f"cannot reshape {size} values ({shape}) into {target}")
        out = target
    return _no_weights(cfg, shapes, out, "reshape")


def _same_shape(what: str) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        if what == "dropout":
            rate = cfg.get("rate", 0.0)
            if isinstance(rate, bool) or not isinstance(rate, Real) or not 0 <= rate <= 1:
                raise cfg.error(f"rate must be a number between 0 and 1, got {rate!r}")
        return _no_weights(cfg, shapes, shape, what)

    return count


def _pairs(cfg: _Config, key: str, rank: int, minimum: int = 0) -> tuple[tuple[int, int], ...]:
    value = cfg.get(key, 1)
    if isinstance(value, Integral) and not isinstance(value, bool):
        value = (value,) * rank
    if (
        rank == 1
        and isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(v, Integral) for v in value)
    ):
        value = (tuple(value),)
    if not isinstance(value, (list, tuple)) or len(value) != rank:
        raise cfg.error(f"{key} must be an integer or {rank} (before, after) pairs, got {value!r}")
    pairs = []
    for item in value:
        pair = (item, item) if isinstance(item, Integral) else tuple(item)
        if len(pair) != 2:
            raise cfg.error(f"{key} entries must be (before, after) pairs, got {item!r}")
        pairs.append(tuple(_check_int(v, key, minimum, cfg) for v in pair))
    return tuple(pairs)  # type: ignore[return-value]


def _padding_layer(rank: int, sign: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    key = "padding" if sign > 0 else "cropping"

    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = "channels_last" if rank == 1 else cfg.data_format()
        pairs = _pairs(cfg, key, rank)
        spatial, channels = _split(shape, rank, cfg, fmt)
        out: list[int | None] = []
        for n, (before, after) in zip(spatial, pairs, strict=True):
            if n is None:
                out.append(None)
                continue
            size = n + sign * (before + after)
            if size <= 0:
                raise cfg.error(f"cropping {before + after} from a size of {n} leaves nothing")
            out.append(size)
        return _no_weights(cfg, shapes, _join(tuple(out), channels, fmt), "pad")

    return count


def _upsampling(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = "channels_last" if rank == 1 else cfg.data_format()
        size = cfg.ints("size", rank, 2)
        spatial, channels = _split(shape, rank, cfg, fmt)
        out = tuple(None if n is None else n * f for n, f in zip(spatial, size, strict=True))
        return _no_weights(cfg, shapes, _join(out, channels, fmt), "pad")

    return count


def _broadcast(a: Shape, b: Shape, cfg: _Config) -> Shape:
    if len(a) != len(b):
        raise cfg.error(f"inputs must have the same rank, got {a} and {b}")
    out: list[int | None] = []
    for x, y in zip(a, b, strict=True):
        if x is None or y is None:
            out.append(None if x in (None, 1) and y in (None, 1) else (x or y))
        elif x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise cfg.error(f"input shapes {a} and {b} do not match (nor broadcast)")
    return tuple(out)


def _merge(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
    if len(shapes) < 2 or (cfg.kind == "Subtract" and len(shapes) != 2):
        need = "exactly 2" if cfg.kind == "Subtract" else "at least 2"
        raise cfg.error(f"needs {need} inputs, got {len(shapes)}")
    out = shapes[0]
    for shape in shapes[1:]:
        out = _broadcast(out, shape, cfg)
    return _no_weights(cfg, shapes, out, "merge")


def _concatenate(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
    if len(shapes) < 2:
        raise cfg.error(f"needs at least 2 inputs, got {len(shapes)}")
    ndim = len(shapes[0])
    if any(len(s) != ndim for s in shapes):
        raise cfg.error(f"inputs must have the same rank, got {list(shapes)}")
    axis = _axis(cfg.get("axis", -1), ndim, cfg)
    for shape in shapes[1:]:
        for i, (x, y) in enumerate(zip(shapes[0], shape, strict=True)):
            if i != axis and x is not None and y is not None and x != y:
                raise cfg.error(
                    f"inputs must match except along the concatenation axis, got {list(shapes)}"
                )
    sizes = [s[axis] for s in shapes]
    out = list(shapes[0])
    out[axis] = None if None in sizes else sum(sizes)  # type: ignore[arg-type]
    note = f"{' + '.join(map(str, sizes))} = {out[axis]}" if out[axis] is not None else ""
    return _no_weights(cfg, shapes, tuple(out), "concat", note)


# ----- multiply-accumulates, one function per family of layers with weights


def _k(kernel: Sequence[int]) -> str:
    return f"({_x(kernel)})" if len(kernel) > 1 else _x(kernel)


@dataclass(frozen=True)
class _Positions:
    """Where a layer's weights are applied: the positions, the inputs and outputs per one."""

    shape: Shape  # the positions (output positions; input positions for a transposed layer)
    text: str  # the positions as written in the arithmetic: "(22 x 22)" or "50"
    inputs: int
    outputs: int

    @property
    def count(self) -> int:
        return _prod(self.shape)  # type: ignore[arg-type]


def _positions(row: LayerCount, cfg: _Config, rank: int, *, of_input: bool = False) -> _Positions:
    shape_in, shape_out = row.input_shapes[0], row.output_shape
    if not rank:  # Dense: every position of all but the last axis
        shape, n_in, n_out = shape_in[:-1], shape_in[-1], shape_out[-1]
    else:
        spatial_in, n_in = _split(shape_in, rank, cfg, cfg.data_format())
        spatial_out, n_out = _split(shape_out, rank, cfg, cfg.data_format())
        shape = spatial_in if of_input else spatial_out
    text = f"({_x(shape)})" if len(shape) > 1 else _x(shape)
    return _Positions(shape, text, n_in, n_out)  # type: ignore[arg-type]


MacsRule = Callable[[_Positions, _Config, int], tuple[int, str, str]]
"""``(positions, config, rank) -> (multiply-adds, arithmetic, rule)`` of one family."""


def _macs_dense(at: _Positions, cfg: _Config, rank: int) -> tuple[int, str, str]:
    macs = at.count * at.outputs * at.inputs
    if not at.shape:
        return macs, f"{at.outputs} x {at.inputs}", "{units} x {inputs}"
    return macs, f"{at.text} x {at.outputs} x {at.inputs}", "{positions} x {units} x {inputs}"


def _macs_conv(at: _Positions, cfg: _Config, rank: int) -> tuple[int, str, str]:
    kernel = cfg.ints("kernel_size", rank)
    groups = 1 if cfg.kind.startswith("LocallyConnected") else cfg.integer("groups", 1)
    macs = at.count * at.outputs * _prod(kernel) * (at.inputs // groups)
    channels = f"{at.inputs}/{groups}" if groups > 1 else str(at.inputs)
    rule = "{output_positions} x {filters} x {kernel_size} x {input_channels}"
    return (
        macs,
        f"{at.text} x {at.outputs} x {_k(kernel)} x {channels}",
        rule + (" / {groups}" if groups > 1 else ""),
    )


def _macs_transposed(at: _Positions, cfg: _Config, rank: int) -> tuple[int, str, str]:
    kernel = cfg.ints("kernel_size", rank)
    return (
        at.count * at.outputs * _prod(kernel) * at.inputs,
        f"{at.text} x {at.outputs} x {_k(kernel)} x {at.inputs}",
        "{input_positions} x {filters} x {kernel_size} x {input_channels}",
    )


def _macs_depthwise(
    at: _Positions, cfg: _Config, rank: int, pointwise: bool = False
) -> tuple[int, str, str]:
    """A depthwise convolution; ``pointwise`` adds the 1x1 one of a separable layer."""
    kernel = cfg.ints("kernel_size", rank)
    multiplier = cfg.integer("depth_multiplier", 1)
    per_position = _prod(kernel) + (at.outputs if pointwise else 0)
    lead = f"{at.text} x {at.inputs} x {multiplier} x "
    rule = "{output_positions} x {input_channels} x {depth_multiplier} x "
    if pointwise:
        lead += f"({_x(kernel)} + {at.outputs})"
        rule += "({kernel_size} + {filters})"
    else:
        lead += _k(kernel)
        rule += "{kernel_size}"
    return at.count * at.inputs * multiplier * per_position, lead, rule


def _macs_separable(at: _Positions, cfg: _Config, rank: int) -> tuple[int, str, str]:
    return _macs_depthwise(at, cfg, rank, pointwise=True)


# --------------------------------------------------------------------------------------
# The registry: one entry per Keras layer class
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerKind:
    """Everything :func:`count_layer` needs to know about one Keras layer class.

    Attributes
    ----------
    name
        The Keras class name, ``"Conv2D"``.
    count
        ``(config, input shapes) -> LayerCount``: checks the configuration and gives the
        output shape, the trainable and non-trainable counts, the arithmetic and the
        rule (a template of named terms).
    macs
        The multiply-accumulates of the family (``None``: the layer multiplies nothing).
    macs_at_input
        The weights are applied at the *input* positions (transposed convolutions).
    rank
        Spatial dimensions (``Conv2D``: 2; ``Dense``: 0).
    aliases
        Other class names Keras accepts for the same layer (``"Convolution2D"``).
    multi_input
        The layer takes a list of inputs (``Add``, ``Concatenate``).
    own
        The class is in :mod:`convnotes.layers`, not ``keras.layers``.
    """

    name: str
    count: Callable[[_Config, Sequence[Shape]], LayerCount]
    macs: MacsRule | None = None
    macs_at_input: bool = False
    rank: int = 0
    aliases: tuple[str, ...] = ()
    multi_input: bool = False
    own: bool = False


_RANKS = (1, 2, 3)
_ACTIVATIONS = (
    "Activation",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "Softmax",
    "Rescaling",
    "GaussianNoise",
    "GaussianDropout",
    "ActivityRegularization",
)
_MERGES = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")


def _registry(kinds: Iterable[LayerKind]) -> Mapping[str, LayerKind]:
    table: dict[str, LayerKind] = {}
    for kind in kinds:
        if kind.name in table:
            raise ValueError(f"layer kind {kind.name!r} is registered twice")
        table[kind.name] = kind
    return MappingProxyType(table)


LAYER_KINDS: Mapping[str, LayerKind] = _registry(
    [
        LayerKind("InputLayer", _input, aliases=("Input",)),
        LayerKind("Dense", _dense, macs=_macs_dense),
        LayerKind("Embedding", _embedding),
        LayerKind("BatchNormalization", _batch_norm),
        LayerKind("LayerNormalization", _layer_norm),
        LayerKind("Normalization", _normalization),
        LayerKind("Flatten", _flatten),
        LayerKind("Reshape", _reshape),
        LayerKind("Dropout", _same_shape("dropout")),
        LayerKind("Concatenate", _concatenate, multi_input=True),
        *(LayerKind(name, _same_shape("activation")) for name in _ACTIVATIONS),
        *(LayerKind(name, _merge, multi_input=True) for name in _MERGES),
        *(
            LayerKind(f"Conv{r}D", _conv(r), macs=_macs_conv, rank=r, aliases=(f"Convolution{r}D",))
            for r in _RANKS
        ),
        *(
            LayerKind(
                f"Conv{r}DTranspose",
                _conv_transpose(r),
                macs=_macs_transposed,
                macs_at_input=True,
                rank=r,
                aliases=(f"Convolution{r}DTranspose",),
            )
            for r in _RANKS
        ),
        *(
            LayerKind(f"DepthwiseConv{r}D", _depthwise(r), macs=_macs_depthwise, rank=r)
            for r in (1, 2)
        ),
        *(
            LayerKind(f"SeparableConv{r}D", _separable(r), macs=_macs_separable, rank=r)
            for r in (1, 2)
        ),
        *(
            LayerKind(
                f"LocallyConnected{r}D", _locally_connected(r), macs=_macs_conv, rank=r, own=True
            )
            for r in (1, 2)
        ),
        *(
            LayerKind(f"MaxPooling{r}D", _pooling(r), rank=r, aliases=(f"MaxPool{r}D",))
            for r in _RANKS
        ),
        *(
            LayerKind(f"AveragePooling{r}D", _pooling(r), rank=r, aliases=(f"AvgPool{r}D",))
            for r in _RANKS
        ),
        LayerKind("MinPooling2D", _pooling(2), rank=2, aliases=("MinPool2D",), own=True),
        *(
            LayerKind(
                f"GlobalMaxPooling{r}D", _global_pooling(r), rank=r, aliases=(f"GlobalMaxPool{r}D",)
            )
            for r in _RANKS
        ),
        *(
            LayerKind(
                f"GlobalAveragePooling{r}D",
                _global_pooling(r),
                rank=r,
                aliases=(f"GlobalAvgPool{r}D",),
            )
            for r in _RANKS
        ),
        *(LayerKind(f"AdaptiveMaxPooling{r}D", _adaptive_pooling(r), rank=r) for r in _RANKS),
        *(LayerKind(f"AdaptiveAveragePooling{r}D", _adaptive_pooling(r), rank=r) for r in _RANKS),
        *(LayerKind(f"ZeroPadding{r}D", _padding_layer(r, +1), rank=r) for r in _RANKS),
        *(LayerKind(f"Cropping{r}D", _padding_layer(r, -1), rank=r) for r in _RANKS),
        *(LayerKind(f"UpSampling{r}D", _upsampling(r), rank=r) for r in _RANKS),
        *(LayerKind(f"SpatialDropout{r}D", _same_shape("dropout"), rank=r) for r in _RANKS),
    ]
)
"""Every Keras layer class :func:`count_layer` knows, by class name."""

SUPPORTED_KINDS: tuple[str, ...] = tuple(sorted(LAYER_KINDS))
"""Keras class names :func:`count_layer` knows (aliases such as ``MaxPool2D`` also work)."""

_ALIASES: Mapping[str, str] = MappingProxyType(
    {alias: kind.name for kind in LAYER_KINDS.values() for alias in kind.aliases}
)


def canonical_kind(kind: str) -> str:
    """The Keras class name for ``kind`` (``"MaxPool2D"`` -> ``"MaxPooling2D"``).

    Examples
    --------
    >>> canonical_kind("MaxPool2D"), canonical_kind("Input"), canonical_kind("Conv2D")
    ('MaxPooling2D', 'InputLayer', 'Conv2D')
    """
    return _ALIASES.get(kind, kind)


def default_name(kind: str) -> str:
    """Keras' default layer name stem: ``"MaxPooling2D"`` -> ``"max_pooling2d"``.

    Examples
    --------
    >>> default_name("LocallyConnected2D"), default_name("InputLayer")
    ('locally_connected2d', 'input_layer')
    """
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", kind)  # Keras' own to_snake_case
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _is_multi_input(kind: str) -> bool:
    info = LAYER_KINDS.get(kind)
    return info is not None and info.multi_input


def count_layer(
    kind: str,
    config: Mapping[str, Any] | None = None,
    input_shape: Shape | Sequence[Shape] | None = None,
    name: str | None = None,
) -> LayerCount:
    """Output shape and parameters of one layer, from its configuration.

    Parameters
    ----------
    kind
        The Keras class name, e.g. ``"Conv2D"`` (see :data:`SUPPORTED_KINDS`), or an
        alias Keras accepts (``"MaxPool2D"``).
    config
        The constructor arguments, as for ``keras.layers.Conv2D(**config)`` or as
        returned by ``layer.get_config()``.
    input_shape
        The input shape without the batch dimension; a list of shapes for merge
        layers (``Add``, ``Concatenate`` ...). Ignored for ``InputLayer``.
    name
        The layer's name for messages and tables; defaults to ``config["name"]``.

    Raises
    ------
    ValueError
        For an unsupported layer or an impossible configuration, naming the layer and
        the rule it breaks.

    Examples
    --------
    >>> c = count_layer("LocallyConnected2D", {"filters": 2, "kernel_size": 3}, (7, 7, 10))
    >>> c.output_shape, c.arithmetic()
    ((5, 5, 2), '2 x (5 x 5) x (3 x 3 x 10 + 1) = 4,550')
    >>> count_layer("Conv2D", {"filters": 4, "kernel_size": 5}, (3, 3, 1))
    Traceback (most recent call last):
    ...
    ValueError: layer 'conv2d' (Conv2D): the kernel (5) is larger than the input (3) along \
spatial axis 1; padding='valid' needs kernel span <= input size
    """
    config = dict(config or {})
    kind = canonical_kind(kind)
    name = name or config.get("name") or default_name(kind)
    cfg = _Config(kind, config, name)
    info = LAYER_KINDS.get(kind)
    if info is None:
        raise cfg.error(f"unsupported layer kind; supported: {', '.join(SUPPORTED_KINDS)}")
    if kind == "InputLayer":
        shapes: list[Shape] = []
    elif input_shape is None:
        raise cfg.error("an input shape is required")
    elif info.multi_input:
        if not (
            isinstance(input_shape, (list, tuple))
            and all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise cfg.error(f"expects a list of input shapes, got {input_shape!r}")
        shapes = [_check_shape(s, cfg) for s in input_shape]
    else:
        if (
            isinstance(input_shape, (list, tuple))
            and len(input_shape) == 1
            and isinstance(input_shape[0], (list, tuple))
        ):
            input_shape = input_shape[0]
        shapes = [_check_shape(input_shape, cfg)]
    return _with_macs(info.count(cfg, shapes), cfg, info)


def rank_of(kind: str) -> int:
    """Spatial rank of a layer kind (``"Conv2D"`` -> 2, ``"Dense"`` -> 0).

    Examples
    --------
    >>> rank_of("Conv2D"), rank_of("MaxPool3D"), rank_of("Dense")
    (2, 3, 0)
    """
    info = LAYER_KINDS.get(canonical_kind(kind))
    if info is not None:
        return info.rank
    match = re.search(r"([123])D", kind)
    return int(match.group(1)) if match else 0


def _with_macs(row: LayerCount, cfg: _Config, info: LayerKind) -> LayerCount:
    """``row`` with its forward multiply-accumulates per example (see :class:`LayerCount`)."""
    if info.macs is None:
        return row
    at = _positions(row, cfg, info.rank, of_input=info.macs_at_input)
    if any(n is None for n in at.shape):
        return dataclasses.replace(row, macs=None)
    macs, expression, rule = info.macs(at, cfg, info.rank)
    return dataclasses.replace(row, macs=macs, macs_expression=expression, macs_rule=rule)


# --------------------------------------------------------------------------------------
# Whole models
# --------------------------------------------------------------------------------------

#: Extra values an optimizer keeps per trainable weight (Keras' defaults):
#: SGD without momentum none, with momentum one velocity, RMSprop one mean square,
#: Adam/AdamW/Nadam a first and a second moment.
OPTIMIZER_SLOTS: dict[str, int] = {
    "sgd": 0,
    "momentum": 1,
    "rmsprop": 1,
    "adagrad": 1,
    "adam": 2,
    "adamw": 2,
    "nadam": 2,
}


def format_shape(shape: Shape, batch: bool = True) -> str:
    """Write a shape as Keras' summary does: ``(None, 22, 22, 20)``.

    Examples
    --------
    >>> format_shape((50,)), format_shape((50,), batch=False)
    ('(None, 50)', '(50,)')
    """
    dims = (
        ("None", *("None" if d is None else str(d) for d in shape))
        if batch
        else tuple("None" if d is None else str(d) for d in shape)
    )
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


@dataclass(frozen=True)
class Summary:
    """Per-layer counts of a model and its totals.

    :mod:`convnotes.presentation.params` writes it as a table in either language
    (``summary_text``, ``summary_markdown``, ``summary_html``).
    """

    rows: tuple[LayerCount, ...]

    @property
    def trainable(self) -> int:
        return sum(r.trainable for r in self.rows)

    @property
    def non_trainable(self) -> int:
        return sum(r.non_trainable for r in self.rows)

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable

    @property
    def output_shape(self) -> Shape:
        return self.rows[-1].output_shape

    @property
    def macs(self) -> int:
        """Multiply-accumulates of one example's forward pass, summed over the layers."""
        unknown = [r.name for r in self.rows if r.macs is None]
        if unknown:
            raise ValueError(f"multiply-accumulates need known spatial sizes; unknown in {unknown}")
        return sum(r.macs or 0 for r in self.rows)

    @property
    def activations(self) -> int:
        """Values in the outputs of all layers (the input included) for one example.

        Training keeps them for the backward pass, so they set the activation memory.
        """
        total = 0
        for row in self.rows:
            if any(n is None for n in row.output_shape):
                raise ValueError(
                    f"layer {row.name!r}: activation memory needs a known output shape, "
                    f"got {row.output_shape}"
                )
            total += _prod(row.output_shape)  # type: ignore[arg-type]
        return total

    def memory(
        self, batch_size: int = 1, optimizer: str = "adam", bytes_per_value: int = 4
    ) -> dict[str, int]:
        """Bytes that training needs, by kind: weights, gradients, optimizer state, activations.

        The optimizer keeps :data:`OPTIMIZER_SLOTS` extra values per trainable weight
        (Adam two: the running mean and mean square of the gradients); activations
        grow with ``batch_size``, the rest does not.

        Examples
        --------
        >>> s = summarize_specs([layer("Dense", units=10)], input_shape=(50,))
        >>> s.memory(batch_size=2)
        {'weights': 2040, 'gradients': 2040, 'optimizer': 4080, 'activations': 480, 'total': 8640}
        """
        if isinstance(batch_size, bool) or not isinstance(batch_size, Integral) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if (
            isinstance(bytes_per_value, bool)
            or not isinstance(bytes_per_value, Integral)
            or (bytes_per_value < 1)
        ):
            raise ValueError(f"bytes_per_value must be a positive integer, got {bytes_per_value!r}")
        key = optimizer.lower() if isinstance(optimizer, str) else optimizer
        if key not in OPTIMIZER_SLOTS:
            names = ", ".join(repr(n) for n in OPTIMIZER_SLOTS)
            raise ValueError(f"optimizer must be one of {names}, got {optimizer!r}")
        out = {
            "weights": self.total * bytes_per_value,
            "gradients": self.trainable * bytes_per_value,
            "optimizer": OPTIMIZER_SLOTS[key] * self.trainable * bytes_per_value,
            "activations": batch_size * self.activations * bytes_per_value,
        }
        out["total"] = sum(out.values())
        return out

    def __getitem__(self, name: str) -> LayerCount:
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(name)


def assign_names(specs: Sequence[LayerSpec]) -> list[str]:
    """Names for ``specs``: their own, else Keras-style ``conv2d``, ``conv2d_1``, ...

    Examples
    --------
    >>> assign_names([layer("Input", shape=(4,)), layer("Dense", units=2),
    ...               layer("Dense", units=1)])
    ['input_layer', 'dense', 'dense_1']
    """
    seen: dict[str, int] = {}
    taken = {s.name for s in specs if s.name}
    names = []
    for spec in specs:
        if spec.name:
            names.append(spec.name)
            continue
        stem = default_name(canonical_kind(spec.kind))
        while True:
            n = seen.get(stem, 0)
            seen[stem] = n + 1
            candidate = stem if n == 0 else f"{stem}_{n}"
            if candidate not in taken:
                break
        taken.add(candidate)
        names.append(candidate)
    return names


def summarize_specs(specs: Sequence[LayerSpec], input_shape: Shape | None = None) -> Summary:
    """Summarise a list of layer specs (a stack, or a graph through ``inputs``).

    The list starts with an ``Input`` spec, or ``input_shape`` is given.

    Examples
    --------
    >>> s = summarize_specs([layer("Dense", units=10)], input_shape=(50,))
    >>> s.rows[-1].arithmetic(), s.total
    ('10 x (50 + 1) = 510', 510)
    """
    specs = list(specs)
    if not specs:
        raise ValueError("specs must contain at least one layer")
    if input_shape is not None and canonical_kind(specs[0].kind) != "InputLayer":
        specs.insert(0, layer("Input", shape=tuple(input_shape)))
    names = assign_names(specs)
    outputs: dict[str, Shape] = {}
    rows: list[LayerCount] = []
    previous: str | None = None
    for spec, name in zip(specs, names, strict=True):
        if not isinstance(spec, LayerSpec):
            raise TypeError(f"specs must be LayerSpec objects (see layer()), got {spec!r}")
        kind = canonical_kind(spec.kind)
        if name in outputs:
            raise ValueError(f"layer {name!r} ({kind}): the name is used twice")
        if kind == "InputLayer":
            row = count_layer(kind, spec.config, None, name)
        else:
            sources = spec.inputs or ((previous,) if previous else ())
            if not sources:
                raise ValueError(
                    f"layer {name!r} ({kind}): no input; start the list with "
                    "layer('Input', shape=...) or pass input_shape"
                )
            missing = [s for s in sources if s not in outputs]
            if missing:
                raise ValueError(f"layer {name!r} ({kind}): unknown input layer(s) {missing}")
            shapes = [outputs[s] for s in sources]
            multi = _is_multi_input(kind)
            row = count_layer(kind, spec.config, shapes if multi else shapes[0], name)
            if not multi and len(shapes) != 1:
                raise ValueError(f"layer {name!r} ({kind}): takes one input, got {len(shapes)}")
        outputs[name] = row.output_shape
        rows.append(row)
        previous = name
    return Summary(tuple(rows))


def _keras_tensor_sources(obj: Any) -> list[tuple[str, int, int]]:
    """(layer, node, tensor) triples of the Keras tensors in a serialized call argument."""
    found: list[tuple[str, int, int]] = []
    if isinstance(obj, dict):
        if obj.get("class_name") == "__keras_tensor__":
            name, node, index = obj["config"]["keras_history"]
            return [(name, int(node), int(index))]
        for value in obj.values():
            found += _keras_tensor_sources(value)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            found += _keras_tensor_sources(value)
    return found


def specs_from_model(model: Any) -> list[LayerSpec]:
    """The layer specs of a built Keras ``Sequential`` or functional model.

    Only the configurations and the connections are read; shapes and counts are left to
    :func:`summarize_specs`.
    """
    keras = _keras()
    if isinstance(model, keras.Sequential):
        if not model.inputs:
            raise ValueError(
                "the Sequential model is not built; give it an Input or call build(input_shape)"
            )
        shape = tuple(model.inputs[0].shape)[1:]
        specs = [LayerSpec("InputLayer", {"shape": shape, "name": "input_layer"})]
        for item in model.layers:
            _check_not_nested(item, keras)
            specs.append(LayerSpec(type(item).__name__, item.get_config()))
        return specs
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    config = model.get_config()
    if "layers" not in config:
        raise ValueError(
            "only Sequential and functional models are supported, not "
            f"subclassed models ({type(model).__name__})"
        )
    specs = []
    for entry in config["layers"]:
        name = entry["name"]
        item = model.get_layer(name)
        _check_not_nested(item, keras)
        nodes = entry.get("inbound_nodes") or []
        if len(nodes) > 1:
            raise ValueError(
                f"layer {name!r} ({type(item).__name__}): shared layers "
                "(called more than once) are not supported"
            )
        sources = _keras_tensor_sources(nodes[0]) if nodes else []
        if any(node or index for _, node, index in sources):
            raise ValueError(
                f"layer {name!r}: inputs from shared or multi-output layers are not supported"
            )
        layer_config = dict(item.get_config())
        layer_config["name"] = name
        inputs = tuple(s for s, _, _ in sources) or None
        specs.append(LayerSpec(type(item).__name__, layer_config, inputs))
    return specs


def _check_not_nested(item: Any, keras: Any) -> None:
    if isinstance(item, keras.Model):
        raise ValueError(
            f"layer {item.name!r}: nested models are not supported; "
            "summarise the inner model on its own"
        )


def summarize(model: Any, input_shape: Shape | None = None) -> Summary:
    """Summarise a Keras model or a list of :class:`LayerSpec`, with formulas.

    Examples
    --------
    >>> s = summarize(SOURCE_EXERCISE_MODEL)
    >>> [row.total for row in s.rows], s.total, s.non_trainable
    ([0, 1000, 0, 5010, 4550, 0, 510], 11070, 0)
    >>> s["dense"].arithmetic()
    '10 x (50 + 1) = 510'
    """
    if isinstance(model, (list, tuple)):
        return summarize_specs(model, input_shape)
    return summarize_specs(specs_from_model(model), input_shape)


def _keras() -> Any:
    from convnotes._tf import import_keras

    return import_keras()


def keras_layer(spec: LayerSpec, name: str | None = None) -> Any:
    """A Keras layer object for ``spec`` (convnotes' own layers included)."""
    keras = _keras()
    kind = canonical_kind(spec.kind)
    config = dict(spec.config)
    if name:
        config["name"] = name
    info = LAYER_KINDS.get(kind)
    if info is not None and info.own:
        from convnotes import layers as own

        return getattr(own, kind)(**config)
    cls = getattr(keras.layers, kind, None)
    if cls is None:
        raise ValueError(f"layer {config.get('name')!r} ({kind}): Keras has no such layer")
    if "dtype" in config and isinstance(config["dtype"], dict):
        return cls.from_config(config)
    return cls(**config)


def build_keras_model(
    specs: Sequence[LayerSpec], input_shape: Shape | None = None, name: str | None = None
) -> Any:
    """Build the functional Keras model that ``specs`` describe, with the same layer names.

    Checks the specs with :func:`summarize_specs` first, so an impossible model fails
    with this module's message before any TensorFlow call.
    """
    specs = list(specs)
    if input_shape is not None and canonical_kind(specs[0].kind) != "InputLayer":
        specs.insert(0, layer("Input", shape=tuple(input_shape)))
    summarize_specs(specs)
    keras = _keras()
    names = assign_names(specs)
    tensors: dict[str, Any] = {}
    inputs: list[Any] = []
    previous: str | None = None
    for spec, layer_name in zip(specs, names, strict=True):
        if canonical_kind(spec.kind) == "InputLayer":
            shape = count_layer("InputLayer", spec.config).output_shape
            tensors[layer_name] = keras.Input(shape=shape, name=layer_name)
            inputs.append(tensors[layer_name])
        else:
            sources = spec.inputs or (previous,)
            args = [tensors[s] for s in sources]
            multi = _is_multi_input(canonical_kind(spec.kind))
            tensors[layer_name] = keras_layer(spec, layer_name)(args if multi else args[0])
        previous = layer_name
    used = {s for spec in specs for s in (spec.inputs or ())}
    used |= {names[i - 1] for i, spec in enumerate(specs) if i and spec.inputs is None}
    outputs = [tensors[n] for n in names if n not in used]
    return keras.Model(
        inputs if len(inputs) > 1 else inputs[0],
        outputs if len(outputs) > 1 else outputs[0],
        name=name,
    )


# --------------------------------------------------------------------------------------
# The two models of the source material, and AlexNet's first layer
# --------------------------------------------------------------------------------------

SOURCE_EXERCISE_MODEL: tuple[LayerSpec, ...] = (
    layer("Input", shape=(28, 28, 1)),
    layer("Conv2D", filters=20, kernel_size=7),
    layer("MaxPooling2D", pool_size=2),
    layer("Conv2D", filters=10, kernel_size=5),
    layer("LocallyConnected2D", filters=2, kernel_size=3),
    layer("Flatten"),
    layer("Dense", units=10),
)
"""The parameter-counting exercise: 1,000 + 0 + 5,010 + 4,550 + 0 + 510 = 11,070."""


def tuned_cifar10_specs(
    conv_layers: int = 2,
    dense_layers: int = 2,
    units: int = 128,
    filters: int = 24,
    dropout: tuple[float, float] = (0.25, 0.5),
) -> tuple[LayerSpec, ...]:
    """The source material's CIFAR-10 CNN as layer specs (see :mod:`convnotes.models`).

    ``conv_layers`` blocks, block ``i`` (from 0) being two 3x3 'same' ReLU convolutions
    of ``filters * 2 ** (i + 1)`` filters (48 and 96 for the tuned ``filters=24``), 2x2
    max pooling and dropout; then Flatten, ``dense_layers`` times ReLU ``Dense(units)``
    with dropout, and a 10-way softmax.

    Examples
    --------
    >>> summarize(tuned_cifar10_specs()).total
    951098
    """
    specs = [layer("Input", shape=(32, 32, 3))]
    for block in range(conv_layers):
        for _ in range(2):
            specs.append(
                layer(
                    "Conv2D",
                    filters=filters * 2 ** (block + 1),
                    kernel_size=3,
                    padding="same",
                    activation="relu",
                )
            )
        specs += [layer("MaxPooling2D", pool_size=2), layer("Dropout", rate=dropout[0])]
    specs.append(layer("Flatten"))
    for _ in range(dense_layers):
        specs += [layer("Dense", units=units, activation="relu"), layer("Dropout", rate=dropout[1])]
    specs.append(layer("Dense", units=10, activation="softmax"))
    return tuple(specs)


SOURCE_CIFAR10_MODEL: tuple[LayerSpec, ...] = tuned_cifar10_specs()
"""The tuned CIFAR-10 model of the source material: 951,098 parameters."""


@dataclass(frozen=True)
class SharingComparison:
    """One layer counted with weight sharing (convolution) and without (locally connected)."""

    output_shape: Shape
    neurons: int
    weights_per_neuron: int
    shared: int
    unshared: int

    @property
    def ratio(self) -> float:
        return self.unshared / self.shared


def compare_weight_sharing(
    input_shape: Shape,
    filters: int,
    kernel_size: int | Sequence[int],
    strides: int | Sequence[int] = 1,
) -> SharingComparison:
    """Parameters of the same 2D layer as ``Conv2D`` and as ``LocallyConnected2D``.

    Examples
    --------
    >>> c = compare_weight_sharing((227, 227, 3), 96, 11, strides=4)  # AlexNet, CS231n
    >>> c.output_shape, c.neurons, c.weights_per_neuron, c.shared, c.unshared
    ((55, 55, 96), 290400, 364, 34944, 105705600)
    """
    config = {"filters": filters, "kernel_size": kernel_size, "strides": strides}
    shared = count_layer("Conv2D", config, input_shape)
    unshared = count_layer("LocallyConnected2D", config, input_shape)
    kernel = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    neurons = _prod(shared.output_shape)  # type: ignore[arg-type]
    return SharingComparison(
        shared.output_shape,
        neurons,
        _prod(kernel) * input_shape[-1] + 1,  # type: ignore[operator]
        shared.total,
        unshared.total,
    )


# --------------------------------------------------------------------------------------
# The relations checked with Keras
# --------------------------------------------------------------------------------------


def check_relations_with_keras() -> list[tuple[int, int, int]]:
    """(number, relation's output, Keras' output) for the example of every relation.

    Each example is run through 1D Keras layers: explicit zero padding then a valid
    convolution, a pooling layer, or a transposed convolution followed by cropping ``p``
    from both ends (the padding that the transposed operation undoes).
    """
    keras = _keras()
    results = []
    for r in RELATIONS:
        e = dict(r.example)
        i, k, s, p = e["i"], e["k"], e.get("s", 1), e.get("p", 0)
        x = keras.Input((i, 1))
        if r.operation == "pooling":
            y = keras.layers.MaxPooling1D(k, strides=s)(x)
        elif r.operation == "convolution":
            y = keras.layers.ZeroPadding1D(p)(x)
            y = keras.layers.Conv1D(1, k, strides=s, dilation_rate=e.get("d", 1))(y)
        else:
            y = keras.layers.Conv1DTranspose(
                1, k, strides=s, output_padding=e.get("a", 0) if s > 1 else None
            )(x)
            y = keras.layers.Cropping1D(p)(y)
        results.append((r.number, r.output(), int(y.shape[1])))
    return results
