"""Output shapes and parameter counts of Keras layers, computed from their configurations.

Every count here comes from this module's own formulas applied to a layer's
configuration (the arguments you would pass to the Keras constructor) and its input
shape; nothing calls ``count_params``. The tests compare the results with Keras on
thousands of random configurations and on whole networks.

Shapes exclude the batch dimension: a 28x28 grey image is ``(28, 28, 1)``.

Three levels:

* :func:`conv_output_length` and friends are the output-size relations of
  Dumoulin & Visin (2016), listed in :data:`RELATIONS`;
* :func:`count_layer` gives one layer's output shape, trainable and non-trainable
  parameter counts, and its formula in English or Persian;
* :func:`summarize` does a whole model, given as a list of :class:`LayerSpec`
  (see :func:`layer`) or as a built Keras model.

Examples
--------
>>> c = count_layer("Conv2D", {"filters": 20, "kernel_size": 7}, (28, 28, 1))
>>> c.output_shape, c.total
((22, 22, 20), 1000)
>>> c.formula("en")
'20 x (7 x 7 x 1 + 1) = 1,000'
>>> summary = summarize(SOURCE_EXERCISE_MODEL)
>>> summary.total
11070
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

from convnotes.i18n import check_language, format_number, localize_digits

Shape = tuple[int | None, ...]

# --------------------------------------------------------------------------------------
# Output-size relations (Dumoulin & Visin 2016)
# --------------------------------------------------------------------------------------


def effective_kernel(k: int, d: int = 1) -> int:
    """Span of a kernel of size ``k`` with dilation ``d``: ``k + (k - 1)(d - 1)``.

    Examples
    --------
    >>> effective_kernel(3, 2)
    5
    """
    return k + (k - 1) * (d - 1)


def conv_output_length(i: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """Output size of a convolution with explicit zero padding ``p`` on both sides.

    Relation 15 of Dumoulin & Visin, which contains relations 1-6 as special cases:
    ``o = floor((i + 2p - k - (k - 1)(d - 1)) / s) + 1``.

    Examples
    --------
    >>> conv_output_length(5, 3)          # no padding, unit stride
    3
    >>> conv_output_length(5, 3, s=2, p=1)
    3
    >>> conv_output_length(227, 11, s=4)  # AlexNet's first layer
    55
    """
    span = effective_kernel(k, d)
    if i + 2 * p < span:
        raise ValueError(
            f"the kernel (span {span}) is larger than the padded input ({i} + 2 x {p})"
        )
    return (i + 2 * p - span) // s + 1


def pool_output_length(i: int, k: int, s: int | None = None) -> int:
    """Output size of a pooling window of size ``k`` and stride ``s`` (relation 7).

    Examples
    --------
    >>> pool_output_length(22, 2)
    11
    """
    return conv_output_length(i, k, s=k if s is None else s)


def transposed_output_length(i: int, k: int, s: int = 1, p: int = 0, a: int = 0, d: int = 1) -> int:
    """Output size of a transposed convolution (relation 14, with dilation).

    ``o' = s (i' - 1) + a + d (k - 1) + 1 - 2p``, where ``a`` (Keras'
    ``output_padding``) picks one of the ``s`` input sizes that the matching
    convolution maps to ``i'``.

    Examples
    --------
    >>> transposed_output_length(3, 3, s=2)      # undoes 7 -> 3 under stride 2
    7
    >>> transposed_output_length(3, 3, s=2, a=1) # or 8 -> 3
    8
    """
    return s * (i - 1) + a + effective_kernel(k, d) - 2 * p


def keras_conv_output_length(
    i: int | None, k: int, s: int = 1, padding: str = "valid", d: int = 1
) -> int | None:
    """Output size of a Keras convolution or pooling with ``padding`` valid/same/causal.

    ``valid`` is relation 15 with ``p = 0``; ``same`` and ``causal`` pad just enough that
    ``o = ceil(i / s)``.

    Examples
    --------
    >>> keras_conv_output_length(32, 3, 1, "same"), keras_conv_output_length(7, 3, 2, "same")
    (32, 4)
    """
    if i is None:
        return None
    if padding == "valid":
        return conv_output_length(i, k, s, 0, d)
    return -(-i // s)


def keras_transposed_output_length(
    i: int | None,
    k: int,
    s: int = 1,
    padding: str = "valid",
    output_padding: int | None = None,
    d: int = 1,
) -> int | None:
    """Output size of a Keras ``ConvNDTranspose``.

    With ``output_padding=None`` Keras chooses ``o' = s i'`` for ``same`` and
    ``o' = s (i' - 1) + max(k, s)`` for ``valid``; with an explicit ``output_padding``
    it is relation 14 with ``p = 0`` (valid) or ``p = floor(k / 2)`` (same).

    Examples
    --------
    >>> keras_transposed_output_length(16, 3, 2, "same")
    32
    >>> keras_transposed_output_length(16, 3, 2, "valid", output_padding=0)
    33
    """
    if i is None:
        return None
    span = effective_kernel(k, d)
    if output_padding is None:
        return i * s if padding == "same" else (i - 1) * s + max(span, s)
    p = span // 2 if padding == "same" else 0
    return transposed_output_length(i, k, s, p, output_padding, d)


@dataclass(frozen=True)
class Relation:
    """One numbered output-size relation of Dumoulin & Visin (2016)."""

    number: int
    operation: str  # "convolution", "pooling" or "transposed"
    setting_en: str
    setting_fa: str
    latex: str
    special: Callable[..., int]
    example: Mapping[str, int]

    def output(self) -> int:
        """The example's output size from the relation's own (special-case) formula."""
        return self.special(**self.example)

    def general_output(self) -> int:
        """The example's output size from the general formula of its operation."""
        e = dict(self.example)
        if self.operation == "pooling":
            return pool_output_length(e["i"], e["k"], e["s"])
        if self.operation == "transposed":
            return transposed_output_length(
                e["i"], e["k"], e.get("s", 1), e.get("p", 0), e.get("a", 0)
            )
        return conv_output_length(e["i"], e["k"], e.get("s", 1), e.get("p", 0), e.get("d", 1))

    def setting(self, lang: str) -> str:
        return self.setting_fa if check_language(lang) == "fa" else self.setting_en


RELATIONS: tuple[Relation, ...] = (
    Relation(
        1,
        "convolution",
        "no padding, unit stride",
        "بدون حاشیه، گام ۱",
        r"o = (i - k) + 1",
        lambda i, k: (i - k) + 1,
        {"i": 5, "k": 3},
    ),
    Relation(
        2,
        "convolution",
        "zero padding p, unit stride",
        "حاشیهٔ صفر p، گام ۱",
        r"o = (i - k) + 2p + 1",
        lambda i, k, p: (i - k) + 2 * p + 1,
        {"i": 5, "k": 4, "p": 2},
    ),
    Relation(
        3,
        "convolution",
        "half ('same') padding, k odd, p = floor(k/2), unit stride",
        "حاشیهٔ نیمه (same)، k فرد، p = floor(k/2)، گام ۱",
        r"o = i",
        lambda i, k, p: i,
        {"i": 5, "k": 3, "p": 1},
    ),
    Relation(
        4,
        "convolution",
        "full padding, p = k - 1, unit stride",
        "حاشیهٔ کامل، p = k - 1، گام ۱",
        r"o = i + (k - 1)",
        lambda i, k, p: i + (k - 1),
        {"i": 5, "k": 3, "p": 2},
    ),
    Relation(
        5,
        "convolution",
        "no padding, stride s",
        "بدون حاشیه، گام s",
        r"o = \lfloor (i - k)/s \rfloor + 1",
        lambda i, k, s: (i - k) // s + 1,
        {"i": 5, "k": 3, "s": 2},
    ),
    Relation(
        6,
        "convolution",
        "zero padding p, stride s",
        "حاشیهٔ صفر p، گام s",
        r"o = \lfloor (i + 2p - k)/s \rfloor + 1",
        lambda i, k, s, p: (i + 2 * p - k) // s + 1,
        {"i": 6, "k": 3, "s": 2, "p": 1},
    ),
    Relation(
        7,
        "pooling",
        "pooling window k, stride s",
        "پنجرهٔ ادغام k، گام s",
        r"o = \lfloor (i - k)/s \rfloor + 1",
        lambda i, k, s: (i - k) // s + 1,
        {"i": 5, "k": 3, "s": 1},
    ),
    Relation(
        8,
        "transposed",
        "transpose of: no padding, unit stride",
        "ترانهادهٔ: بدون حاشیه، گام ۱",
        r"o' = i' + (k - 1)",
        lambda i, k: i + (k - 1),
        {"i": 2, "k": 3},
    ),
    Relation(
        9,
        "transposed",
        "transpose of: zero padding p, unit stride",
        "ترانهادهٔ: حاشیهٔ صفر p، گام ۱",
        r"o' = i' + (k - 1) - 2p",
        lambda i, k, p: i + (k - 1) - 2 * p,
        {"i": 6, "k": 4, "p": 2},
    ),
    Relation(
        10,
        "transposed",
        "transpose of: half padding",
        "ترانهادهٔ: حاشیهٔ نیمه",
        r"o' = i'",
        lambda i, k, p: i,
        {"i": 5, "k": 3, "p": 1},
    ),
    Relation(
        11,
        "transposed",
        "transpose of: full padding",
        "ترانهادهٔ: حاشیهٔ کامل",
        r"o' = i' - (k - 1)",
        lambda i, k, p: i - (k - 1),
        {"i": 7, "k": 3, "p": 2},
    ),
    Relation(
        12,
        "transposed",
        "transpose of: no padding, stride s, s divides i - k",
        "ترانهادهٔ: بدون حاشیه، گام s، i - k بخش‌پذیر بر s",
        r"o' = s (i' - 1) + k",
        lambda i, k, s: s * (i - 1) + k,
        {"i": 2, "k": 3, "s": 2},
    ),
    Relation(
        13,
        "transposed",
        "transpose of: padding p, stride s, s divides i + 2p - k",
        "ترانهادهٔ: حاشیهٔ p، گام s، i + 2p - k بخش‌پذیر بر s",
        r"o' = s (i' - 1) + k - 2p",
        lambda i, k, s, p: s * (i - 1) + k - 2 * p,
        {"i": 3, "k": 3, "s": 2, "p": 1},
    ),
    Relation(
        14,
        "transposed",
        "transpose of: padding p, stride s, a = (i + 2p - k) mod s",
        "ترانهادهٔ: حاشیهٔ p، گام s، a = (i + 2p - k) mod s",
        r"o' = s (i' - 1) + a + k - 2p",
        lambda i, k, s, p, a: s * (i - 1) + a + k - 2 * p,
        {"i": 3, "k": 3, "s": 2, "p": 1, "a": 1},
    ),
    Relation(
        15,
        "convolution",
        "dilation d, padding p, stride s",
        "اتساع d، حاشیهٔ p، گام s",
        r"o = \lfloor (i + 2p - k - (k - 1)(d - 1))/s \rfloor + 1",
        lambda i, k, s, p, d: (i + 2 * p - k - (k - 1) * (d - 1)) // s + 1,
        {"i": 7, "k": 3, "s": 1, "p": 0, "d": 2},
    ),
)


# --------------------------------------------------------------------------------------
# One layer
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerCount:
    """What one layer does to the shape and how many parameters it holds.

    ``expression`` is the arithmetic with this layer's numbers (``"20 x (7 x 7 x 1 + 1)"``),
    ``rule_en``/``rule_fa`` the same formula in words, ``shape_expression`` how the
    output size was found (empty when it is just copied).

    ``macs`` counts the multiply-accumulates of one example's forward pass (bias
    additions and activations not included; 0 for layers without weights, ``None``
    when a spatial size is unknown), with ``macs_expression`` and
    ``macs_rule_en``/``macs_rule_fa`` written like the parameter formula.
    """

    name: str
    kind: str
    input_shapes: tuple[Shape, ...]
    output_shape: Shape
    trainable: int
    non_trainable: int
    expression: str
    rule_en: str
    rule_fa: str
    shape_expression: str = ""
    macs: int | None = 0
    macs_expression: str = ""
    macs_rule_en: str = ""
    macs_rule_fa: str = ""

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable

    def rule(self, lang: str = "en") -> str:
        """The formula in words, in ``lang``."""
        return self.rule_fa if check_language(lang) == "fa" else self.rule_en

    def arithmetic(self) -> str:
        """The language-neutral arithmetic: ``'20 x (7 x 7 x 1 + 1) = 1,000'`` (or ``'0'``)."""
        return f"{self.expression} = {self.total:,}" if self.total else "0"

    def note(self, lang: str = "en", persian_digits: bool = False) -> str:
        """How many of the parameters are not trained, in words; empty when none."""
        check_language(lang)
        if not self.non_trainable:
            return ""
        if self.trainable:
            text = (
                f"({self.non_trainable:,} غیرآموزشی)"
                if lang == "fa"
                else f"({self.non_trainable:,} non-trainable)"
            )
        else:
            text = "(همه غیرآموزشی)" if lang == "fa" else "(all non-trainable)"
        return localize_digits(text, lang) if persian_digits else text

    def formula(self, lang: str = "en", persian_digits: bool = False) -> str:
        """The arithmetic, its result and the non-trainable note in ``lang``.

        For example ``'20 x (7 x 7 x 1 + 1) = 1,000'``; ``persian_digits`` writes the
        digits of a Persian formula as ۰-۹.
        """
        check_language(lang)
        text = " ".join(part for part in (self.arithmetic(), self.note(lang)) if part)
        return localize_digits(text, lang) if lang == "fa" and persian_digits else text

    def formula_html(self, lang: str = "en") -> str:
        """The arithmetic as left-to-right code, then the note as text in ``lang``."""
        check_language(lang)
        code = f'<code dir="ltr">{html.escape(self.arithmetic())}</code>'
        note = self.note(lang, persian_digits=lang == "fa")
        return f"{code} {html.escape(note)}" if note else code

    def macs_arithmetic(self) -> str:
        """``'22 x 22 x 20 x (7 x 7 x 1) = 474,320'``, or ``'0'`` without multiply-adds."""
        if self.macs is None:
            return "?"
        return f"{self.macs_expression} = {self.macs:,}" if self.macs else "0"

    def macs_rule(self, lang: str = "en") -> str:
        """The multiply-accumulate formula in words, in ``lang`` (empty when none)."""
        return self.macs_rule_fa if check_language(lang) == "fa" else self.macs_rule_en


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


# Class-name aliases Keras accepts for the same layer.
_ALIASES = {
    "Input": "InputLayer",
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D",
    "Convolution1DTranspose": "Conv1DTranspose",
    "Convolution2DTranspose": "Conv2DTranspose",
    "Convolution3DTranspose": "Conv3DTranspose",
    "MaxPool1D": "MaxPooling1D",
    "MaxPool2D": "MaxPooling2D",
    "MaxPool3D": "MaxPooling3D",
    "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D",
    "AvgPool3D": "AveragePooling3D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalMaxPool3D": "GlobalMaxPooling3D",
    "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D",
    "GlobalAvgPool3D": "GlobalAveragePooling3D",
    "MinPool2D": "MinPooling2D",
}


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


_KERNEL_WORDS = {
    1: (("kernel length",), ("طول هسته",)),
    2: (("kernel height", "kernel width"), ("ارتفاع هسته", "پهنای هسته")),
    3: (
        ("kernel depth", "kernel height", "kernel width"),
        ("عمق هسته", "ارتفاع هسته", "پهنای هسته"),
    ),
}

_NO_WEIGHTS = {
    "pool": (
        "no weights: each window is summarised by a fixed rule",
        "بدون وزن: هر پنجره با قاعده‌ای ثابت خلاصه می‌شود",
    ),
    "reshape": (
        "no weights: only rearranges the values",
        "بدون وزن: فقط چیدمان مقدارها را عوض می‌کند",
    ),
    "dropout": (
        "no weights: zeroes random activations during training",
        "بدون وزن: هنگام آموزش فعال‌سازی‌هایی تصادفی را صفر می‌کند",
    ),
    "merge": (
        "no weights: combines its inputs element by element",
        "بدون وزن: ورودی‌هایش را درایه به درایه ترکیب می‌کند",
    ),
    "concat": (
        "no weights: joins its inputs along one axis",
        "بدون وزن: ورودی‌هایش را در امتداد یک محور کنار هم می‌گذارد",
    ),
    "input": ("no weights: declares the input shape", "بدون وزن: شکل ورودی را اعلام می‌کند"),
    "pad": (
        "no weights: pads, crops or repeats values",
        "بدون وزن: مقدارها را حاشیه‌گذاری، برش یا تکرار می‌کند",
    ),
    "activation": (
        "no weights: applies a fixed function to every value",
        "بدون وزن: تابعی ثابت را روی هر مقدار اعمال می‌کند",
    ),
}


def _no_weights(
    cfg: _Config, inputs: Sequence[Shape], out: Shape, what: str, shape_expression: str = ""
) -> LayerCount:
    en, fa = _NO_WEIGHTS[what]
    return LayerCount(cfg.name, cfg.kind, tuple(inputs), out, 0, 0, "0", en, fa, shape_expression)


def _weights(
    cfg: _Config,
    inputs: Sequence[Shape],
    out: Shape,
    count: int,
    expression: str,
    en: str,
    fa: str,
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
        en,
        fa,
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
        expr, en, fa = (f"{units} x ({n} + 1)", "units x (inputs + 1)", "واحدها × (ورودی‌ها + ۱)")
    else:
        expr, en, fa = f"{units} x {n}", "units x inputs", "واحدها × ورودی‌ها"
    return _weights(cfg, shapes, (*shape[:-1], units), units * (n + bias), expr, en, fa)


def _conv_rules(
    rank: int, cin: int, groups: int, bias: bool, lead: tuple[str, str]
) -> tuple[str, str]:
    words_en, words_fa = _KERNEL_WORDS[rank]
    chan_en = "input channels" + (" / groups" if groups > 1 else "")
    chan_fa = "کانال‌های ورودی" + (" / گروه‌ها" if groups > 1 else "")
    body_en = " x ".join((*words_en, chan_en))
    body_fa = " × ".join((*words_fa, chan_fa))
    if bias:
        return f"{lead[0]} x ({body_en} + 1)", f"{lead[1]} × ({body_fa} + ۱)"
    return f"{lead[0]} x {body_en}", f"{lead[1]} × {body_fa}"


def _conv_expression(lead: str, kernel: Sequence[int], channels: str, bias: bool) -> str:
    body = _x((*kernel, channels))
    return f"{lead} x ({body} + 1)" if bias else f"{lead} x {body}"


def _conv(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        cfg.no_lora()
        fmt = cfg.data_format()
        filters = cfg.integer("filters")
        kernel = cfg.ints("kernel_size", rank)
        strides = cfg.ints("strides", rank, 1)
        dilation = cfg.ints("dilation_rate", rank, 1)
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
        en, fa = _conv_rules(rank, cin, groups, bias, ("filters", "فیلترها"))
        return _weights(cfg, shapes, _join(out, filters, fmt), params, expr, en, fa, note)

    return count


def _conv_transpose(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = cfg.data_format()
        filters = cfg.integer("filters")
        kernel = cfg.ints("kernel_size", rank)
        strides = cfg.ints("strides", rank, 1)
        dilation = cfg.ints("dilation_rate", rank, 1)
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
        en, fa = _conv_rules(rank, cin, 1, bias, ("filters", "فیلترها"))
        return _weights(
            cfg, shapes, _join(tuple(out), filters, fmt), params, expr, en, fa, _join_notes(notes)
        )

    return count


def _depthwise(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = cfg.data_format()
        kernel = cfg.ints("kernel_size", rank)
        strides = cfg.ints("strides", rank, 1)
        dilation = cfg.ints("dilation_rate", rank, 1)
        multiplier = cfg.integer("depth_multiplier", 1)
        bias = cfg.boolean("use_bias", True)
        padding = cfg.choice("padding", ("valid", "same"), "valid")
        spatial, cin = _split(shape, rank, cfg, fmt)
        cin = _known_channels(cin, cfg)
        out, note = _sliding(spatial, kernel, strides, padding, dilation, cfg)
        params = cin * multiplier * (_prod(kernel) + bias)
        words_en, words_fa = _KERNEL_WORDS[rank]
        k_en, k_fa = " x ".join(words_en), " × ".join(words_fa)
        if bias:
            expr = f"{cin} x {multiplier} x ({_x(kernel)} + 1)"
            en = f"input channels x depth multiplier x ({k_en} + 1)"
            fa = f"کانال‌های ورودی × ضریب عمق × ({k_fa} + ۱)"
        else:
            expr = f"{cin} x {multiplier} x {_x(kernel)}"
            en = f"input channels x depth multiplier x {k_en}"
            fa = f"کانال‌های ورودی × ضریب عمق × {k_fa}"
        return _weights(cfg, shapes, _join(out, cin * multiplier, fmt), params, expr, en, fa, note)

    return count


def _separable(rank: int) -> Callable[[_Config, Sequence[Shape]], LayerCount]:
    def count(cfg: _Config, shapes: Sequence[Shape]) -> LayerCount:
        (shape,) = shapes
        fmt = cfg.data_format()
        filters = cfg.integer("filters")
        kernel = cfg.ints("kernel_size", rank)
        strides = cfg.ints("strides", rank, 1)
        dilation = cfg.ints("dilation_rate", rank, 1)
        multiplier = cfg.integer("depth_multiplier", 1)
        bias = cfg.boolean("use_bias", True)
        padding = cfg.choice("padding", ("valid", "same"), "valid")
        spatial, cin = _split(shape, rank, cfg, fmt)
        cin = _known_channels(cin, cfg)
        out, note = _sliding(spatial, kernel, strides, padding, dilation, cfg)
        depthwise = cin * multiplier * _prod(kernel)
        pointwise = filters * (cin * multiplier + bias)
        words_en, words_fa = _KERNEL_WORDS[rank]
        k_en, k_fa = " x ".join(words_en), " × ".join(words_fa)
        one = " + 1" if bias else ""
        one_fa = " + ۱" if bias else ""
        expr = f"{cin} x {multiplier} x {_x(kernel)} + {filters} x ({cin} x {multiplier}{one})"
        en = (
            f"input channels x depth multiplier x {k_en}"
            f" + filters x (input channels x depth multiplier{one})"
        )
        fa = f"کانال‌های ورودی × ضریب عمق × {k_fa} + فیلترها × (کانال‌های ورودی × ضریب عمق{one_fa})"
        return _weights(
            cfg, shapes, _join(out, filters, fmt), depthwise + pointwise, expr, en, fa, note
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
        en, fa = _conv_rules(
            rank, cin, 1, bias, ("filters x output positions", "فیلترها × مکان‌های خروجی")
        )
        return _weights(cfg, shapes, _join(out, filters, fmt), params, expr, en, fa, note)

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
    names_en = {2: "gamma, beta", 1: "gamma" if scale else "beta"}.get(learned, "")
    names_fa = {2: "γ و β", 1: "γ" if scale else "β"}.get(learned, "")
    lead_en = f"{learned} x channels ({names_en}) + " if learned else ""
    lead_fa = f"{learned} × کانال‌ها ({names_fa}) + " if learned else ""
    en = lead_en + "2 x channels (moving mean and variance, not trained)"
    fa = lead_fa + "۲ × کانال‌ها (میانگین و واریانس متحرک، آموزش‌ندیده)"
    fa = localize_digits(fa, "fa")
    return _weights(
        cfg, shapes, shape, learned * channels, expr, en, fa, non_trainable=2 * channels
    )


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
    en = f"{vectors} x normalised size (gamma and/or beta)"
    fa = localize_digits(f"{vectors} × اندازهٔ بخش نرمال‌شده (γ و/یا β)", "fa")
    return _weights(cfg, shapes, shape, vectors * size, expr, en, fa)


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
        "2 x kept size + 1 (mean, variance and count; not trained)",
        "۲ × اندازهٔ محورهای نگه‌داشته + ۱ (میانگین، واریانس و شمار؛ آموزش‌ندیده)",
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
        "vocabulary size x embedding size",
        "اندازهٔ واژگان × اندازهٔ بردار تعبیه",
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


_COUNTERS: dict[str, Callable[[_Config, Sequence[Shape]], LayerCount]] = {
    "InputLayer": _input,
    "Dense": _dense,
    "Embedding": _embedding,
    "BatchNormalization": _batch_norm,
    "LayerNormalization": _layer_norm,
    "Normalization": _normalization,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Concatenate": _concatenate,
}
for _rank in (1, 2, 3):
    _COUNTERS[f"Conv{_rank}D"] = _conv(_rank)
    _COUNTERS[f"Conv{_rank}DTranspose"] = _conv_transpose(_rank)
    _COUNTERS[f"MaxPooling{_rank}D"] = _pooling(_rank)
    _COUNTERS[f"AveragePooling{_rank}D"] = _pooling(_rank)
    _COUNTERS[f"GlobalMaxPooling{_rank}D"] = _global_pooling(_rank)
    _COUNTERS[f"GlobalAveragePooling{_rank}D"] = _global_pooling(_rank)
    _COUNTERS[f"AdaptiveMaxPooling{_rank}D"] = _adaptive_pooling(_rank)
    _COUNTERS[f"AdaptiveAveragePooling{_rank}D"] = _adaptive_pooling(_rank)
    _COUNTERS[f"ZeroPadding{_rank}D"] = _padding_layer(_rank, +1)
    _COUNTERS[f"Cropping{_rank}D"] = _padding_layer(_rank, -1)
    _COUNTERS[f"UpSampling{_rank}D"] = _upsampling(_rank)
    _COUNTERS[f"SpatialDropout{_rank}D"] = _same_shape("dropout")
for _rank in (1, 2):
    _COUNTERS[f"DepthwiseConv{_rank}D"] = _depthwise(_rank)
    _COUNTERS[f"SeparableConv{_rank}D"] = _separable(_rank)
    _COUNTERS[f"LocallyConnected{_rank}D"] = _locally_connected(_rank)
_COUNTERS["MinPooling2D"] = _pooling(2)
_COUNTERS["Dropout"] = _same_shape("dropout")
for _kind in (
    "Activation",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "Softmax",
    "Rescaling",
    "GaussianNoise",
    "GaussianDropout",
    "ActivityRegularization",
):
    _COUNTERS[_kind] = _same_shape("activation")
for _kind in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
    _COUNTERS[_kind] = _merge

SUPPORTED_KINDS: tuple[str, ...] = tuple(sorted(_COUNTERS))
"""Keras class names :func:`count_layer` knows (aliases such as ``MaxPool2D`` also work)."""

_MULTI_INPUT = {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"}


def canonical_kind(kind: str) -> str:
    """The Keras class name for ``kind`` (``"MaxPool2D"`` -> ``"MaxPooling2D"``)."""
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
        The Keras class name, e.g. ``"Conv2D"`` (see :data:`SUPPORTED_KINDS`).
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
    >>> c.output_shape, c.formula("en")
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
    counter = _COUNTERS.get(kind)
    if counter is None:
        raise cfg.error(f"unsupported layer kind; supported: {', '.join(SUPPORTED_KINDS)}")
    if kind == "InputLayer":
        shapes: list[Shape] = []
    elif input_shape is None:
        raise cfg.error("an input shape is required")
    elif kind in _MULTI_INPUT:
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
    return _with_macs(counter(cfg, shapes), cfg, rank_of(kind))


def rank_of(kind: str) -> int:
    """Spatial rank of a convolution-like layer kind (``"Conv2D"`` -> 2), else 0."""
    match = re.search(r"([123])D", kind)
    return int(match.group(1)) if match else 0


_MAC_WORDS = {
    "dense": ("positions x units x inputs", "مکان‌ها × واحدها × ورودی‌ها"),
    "conv": (
        "output positions x filters x kernel size x input channels{g}",
        "مکان‌های خروجی × فیلترها × اندازهٔ هسته × کانال‌های ورودی{g}",
    ),
    "transposed": (
        "input positions x filters x kernel size x input channels",
        "مکان‌های ورودی × فیلترها × اندازهٔ هسته × کانال‌های ورودی",
    ),
    "depthwise": (
        "output positions x input channels x depth multiplier x kernel size",
        "مکان‌های خروجی × کانال‌های ورودی × ضریب عمق × اندازهٔ هسته",
    ),
    "separable": (
        "output positions x input channels x depth multiplier x (kernel size + filters)",
        "مکان‌های خروجی × کانال‌های ورودی × ضریب عمق × (اندازهٔ هسته + فیلترها)",
    ),
}


def _k(kernel: Sequence[int]) -> str:
    return f"({_x(kernel)})" if len(kernel) > 1 else _x(kernel)


def _with_macs(row: LayerCount, cfg: _Config, rank: int) -> LayerCount:
    """``row`` with its forward multiply-accumulates per example (see :class:`LayerCount`)."""
    import dataclasses

    kind = row.kind
    family = None
    if kind == "Dense":
        family = "dense"
    elif kind in {f"Conv{r}D" for r in (1, 2, 3)} or kind.startswith("LocallyConnected"):
        family = "conv"
    elif kind.endswith("Transpose"):
        family = "transposed"
    elif kind.startswith("DepthwiseConv"):
        family = "depthwise"
    elif kind.startswith("SeparableConv"):
        family = "separable"
    if family is None:
        return row
    fmt = cfg.data_format() if rank else "channels_last"
    shape_in, shape_out = row.input_shapes[0], row.output_shape
    if family == "dense":
        positions_shape, n_in = shape_in[:-1], shape_in[-1]
        units = shape_out[-1]
    else:
        spatial_in, n_in = _split(shape_in, rank, cfg, fmt)
        spatial_out, units = _split(shape_out, rank, cfg, fmt)
        positions_shape = spatial_in if family == "transposed" else spatial_out
    if any(n is None for n in positions_shape):
        return dataclasses.replace(row, macs=None)
    positions = _prod(positions_shape)  # type: ignore[arg-type]
    pos = f"({_x(positions_shape)})" if len(positions_shape) > 1 else _x(positions_shape)
    en, fa = _MAC_WORDS[family]
    if family == "dense":
        macs, expr = positions * units * n_in, f"{pos} x {units} x {n_in}"
        if not positions_shape:
            expr, en, fa = f"{units} x {n_in}", "units x inputs", "واحدها × ورودی‌ها"
    else:
        kernel = cfg.ints("kernel_size", rank)
        ksize = _prod(kernel)
        if family == "conv":
            groups = cfg.integer("groups", 1) if not kind.startswith("Locally") else 1
            per_group = n_in // groups  # type: ignore[operator]
            macs = positions * units * ksize * per_group  # type: ignore[operator]
            chans = f"{n_in}/{groups}" if groups > 1 else str(n_in)
            expr = f"{pos} x {units} x {_k(kernel)} x {chans}"
            en, fa = (
                en.format(g=" / groups" if groups > 1 else ""),
                fa.format(g=" / گروه‌ها" if groups > 1 else ""),
            )
        elif family == "transposed":
            macs = positions * units * ksize * n_in  # type: ignore[operator]
            expr = f"{pos} x {units} x {_k(kernel)} x {n_in}"
        else:
            multiplier = cfg.integer("depth_multiplier", 1)
            mid = n_in * multiplier  # type: ignore[operator]
            if family == "depthwise":
                macs = positions * mid * ksize
                expr = f"{pos} x {n_in} x {multiplier} x {_k(kernel)}"
            else:
                macs = positions * mid * (ksize + units)  # type: ignore[operator]
                expr = f"{pos} x {n_in} x {multiplier} x ({_x(kernel)} + {units})"
    return dataclasses.replace(
        row, macs=macs, macs_expression=expr, macs_rule_en=en, macs_rule_fa=fa
    )


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

_HEADERS = {
    "en": ("Layer (type)", "Output shape", "Param #", "Formula"),
    "fa": ("لایه (نوع)", "شکل خروجی", "پارامترها", "فرمول"),
}
_TOTALS = {
    "en": ("Total params", "Trainable params", "Non-trainable params"),
    "fa": ("کل پارامترها", "پارامترهای آموزش‌پذیر", "پارامترهای آموزش‌ناپذیر"),
}
_MACS_HEADER = {"en": "Multiply-adds", "fa": "ضرب‌وجمع‌ها"}
_MACS_TOTAL = {"en": "Total multiply-adds per example", "fa": "کل ضرب‌وجمع‌ها در هر نمونه"}


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
    """Per-layer counts of a model and its totals, printable in both languages."""

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

    def _cells(
        self, lang: str, persian_digits: bool, formula_digits: bool | None = None
    ) -> list[tuple[str, str, str, str]]:
        formula_digits = persian_digits if formula_digits is None else formula_digits
        return [
            (
                f"{r.name} ({r.kind})",
                format_shape(r.output_shape),
                format_number(r.total, lang) if persian_digits else f"{r.total:,}",
                r.formula(lang, formula_digits),
            )
            for r in self.rows
        ]

    def _total_lines(self, lang: str, persian_digits: bool) -> list[tuple[str, str]]:
        def num(v: int) -> str:
            return format_number(v, lang) if persian_digits else f"{v:,}"

        labels = _TOTALS[check_language(lang)]
        return list(
            zip(
                labels, (num(self.total), num(self.trainable), num(self.non_trainable)), strict=True
            )
        )

    def to_text(self, lang: str = "en", persian_digits: bool = False) -> str:
        """A fixed-width table like ``model.summary()``, with a formula column."""
        header = _HEADERS[check_language(lang)]
        cells = self._cells(lang, persian_digits)
        widths = [max(len(row[i]) for row in [header, *cells]) for i in range(4)]

        def line(row: Sequence[str]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()

        rule = "-" * len(line(["x" * w for w in widths]))
        out = [line(header), rule, *(line(c) for c in cells), rule]
        out += [f"{label}: {value}" for label, value in self._total_lines(lang, persian_digits)]
        return "\n".join(out)

    def to_markdown(self, lang: str = "en", persian_digits: bool = False) -> str:
        """A Markdown table with the totals below it."""
        header = _HEADERS[check_language(lang)]
        out = ["| " + " | ".join(header) + " |", "|---|---|--:|---|"]
        for name, shape, total, formula in self._cells(lang, persian_digits):
            out.append(f"| {name} | `{shape}` | {total} | `{formula}` |")
        out.append("")
        out += [
            f"- {label}: **{value}**" for label, value in self._total_lines(lang, persian_digits)
        ]
        return "\n".join(out)

    def to_html(
        self, lang: str = "en", persian_digits: bool | None = None, macs: bool = False
    ) -> str:
        """An HTML table for the book.

        Persian tables write the counts in Persian digits by default; shapes and formulas
        stay in Latin digits, as code. ``macs=True`` adds a column of multiply-accumulates
        per example (:attr:`LayerCount.macs`) after the parameter column, and a footer
        row with their total (:attr:`macs`).

        Examples
        --------
        >>> s = summarize_specs([layer("Dense", units=10)], input_shape=(50,))
        >>> table = s.to_html("en", macs=True)
        >>> "<th>Multiply-adds</th>" in table, '<td class="cn-num">500</td>' in table
        (True, True)
        """
        check_language(lang)
        persian_digits = lang == "fa" if persian_digits is None else persian_digits
        header = _HEADERS[lang]
        if macs:
            header = (*header[:3], _MACS_HEADER[lang], *header[3:])
            total_macs = self.macs  # raises for unknown spatial sizes, naming the layers

        def num(value: int | None) -> str:
            if value is None:
                return "?"
            return format_number(value, lang) if persian_digits else f"{value:,}"

        esc = html.escape
        rows = []
        cells = self._cells(lang, persian_digits, False)
        for (name, shape, total, _), row in zip(cells, self.rows, strict=True):
            mac_cell = f'<td class="cn-num">{esc(num(row.macs))}</td>' if macs else ""
            rows.append(
                f"<tr><td>{esc(name)}</td>"
                f'<td><code style="white-space: nowrap">{esc(shape)}</code></td>'
                f'<td class="cn-num">{esc(total)}</td>{mac_cell}'
                f"<td>{row.formula_html(lang)}</td></tr>"
            )
        blank = "<td></td>" if macs else ""
        foot = "".join(
            f'<tr><th colspan="2">{esc(label)}</th>'
            f'<td class="cn-num"><strong>{esc(value)}</strong></td>{blank}<td></td></tr>'
            for label, value in self._total_lines(lang, persian_digits)
        )
        if macs:
            foot += (
                f'<tr><th colspan="2">{esc(_MACS_TOTAL[lang])}</th><td></td>'
                f'<td class="cn-num"><strong>{esc(num(total_macs))}</strong></td><td></td></tr>'
            )
        head = "".join(f"<th>{esc(h)}</th>" for h in header)
        return (
            f'<table class="table cn-params" lang="{lang}" '
            f'dir="{"rtl" if lang == "fa" else "ltr"}">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
            f"<tfoot>{foot}</tfoot></table>"
        )

    def __str__(self) -> str:
        return self.to_text("en")


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
    >>> s.rows[-1].formula("en"), s.total
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
            multi = kind in _MULTI_INPUT
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
    >>> print(summarize(SOURCE_EXERCISE_MODEL).to_text("en"))  # doctest: +ELLIPSIS
    Layer (type)                              Output shape        Param #  Formula
    ...
    Total params: 11,070
    Trainable params: 11,070
    Non-trainable params: 0
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
    if kind in {"LocallyConnected1D", "LocallyConnected2D", "MinPooling2D"}:
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
            multi = canonical_kind(spec.kind) in _MULTI_INPUT
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
# Tables and a figure for the book
# --------------------------------------------------------------------------------------


def keras_summary_text(model: Any, line_length: int = 80) -> str:
    """Keras' own ``model.summary()`` as plain text (for printing beside :func:`summarize`)."""
    import contextlib

    lines: list[str] = []
    try:  # in a notebook, rich (behind Keras' summary) also displays an empty HTML block
        from IPython.utils.capture import capture_output
    except ImportError:  # pragma: no cover - IPython comes with the book's dependencies
        capture_output = contextlib.nullcontext  # type: ignore[assignment]
    with capture_output():
        model.summary(
            print_fn=lambda text, line_break=None: lines.append(text), line_length=line_length
        )
    return "\n".join(lines).rstrip()


_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    lang: str,
    code_columns: Sequence[int] = (),
) -> str:
    """A small HTML table in ``lang``'s direction; ``code_columns`` are set as LTR code.

    Terminal styling in a cell (Keras writes its error messages in bold with ANSI
    escapes) is dropped: a browser would show the escape characters as garbage.

    Examples
    --------
    >>> table = html_table(["Error"], [["\x1b[1mbad size\x1b[0m"]], "en", code_columns=(0,))
    >>> table[table.index("<tbody>") :]
    '<tbody><tr><td><code dir="ltr">bad size</code></td></tr></tbody></table>'
    """
    check_language(lang)

    def esc(text: str) -> str:
        return html.escape(_ANSI_ESCAPE.sub("", text))

    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            text = esc(str(cell))
            cells.append(
                f'<td><code dir="ltr">{text}</code></td>'
                if i in code_columns
                else f"<td>{text}</td>"
            )
        body.append("<tr>" + "".join(cells) + "</tr>")
    direction = "rtl" if lang == "fa" else "ltr"
    return (
        f'<table class="table cn-table" lang="{lang}" dir="{direction}"><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


#: One example per family of layers, for :func:`rules_table_html`.
RULE_EXAMPLES: tuple[tuple[str, dict[str, Any], Shape | list[Shape]], ...] = (
    ("Dense", {"units": 10}, (50,)),
    ("Conv1D", {"filters": 16, "kernel_size": 5, "padding": "causal"}, (100, 8)),
    ("Conv2D", {"filters": 20, "kernel_size": 7}, (28, 28, 1)),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 4, "padding": "same"}, (9, 9, 16)),
    ("Conv3D", {"filters": 4, "kernel_size": 3, "strides": 2}, (9, 16, 16, 3)),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}, (32, 32, 16)),
    ("SeparableConv2D", {"filters": 32, "kernel_size": 3}, (32, 32, 16)),
    (
        "Conv2DTranspose",
        {"filters": 32, "kernel_size": 3, "strides": 2, "padding": "same"},
        (16, 16, 64),
    ),
    ("LocallyConnected2D", {"filters": 2, "kernel_size": 3}, (7, 7, 10)),
    ("BatchNormalization", {}, (16, 16, 48)),
    ("LayerNormalization", {}, (20, 64)),
    ("Embedding", {"input_dim": 10000, "output_dim": 64}, (20,)),
    ("MaxPooling2D", {"pool_size": 2}, (22, 22, 20)),
    ("GlobalAveragePooling2D", {}, (8, 8, 96)),
    ("AdaptiveAveragePooling2D", {"output_size": 4}, (13, 13, 8)),
    ("Flatten", {}, (5, 5, 2)),
    ("Dropout", {"rate": 0.5}, (128,)),
    ("Reshape", {"target_shape": (-1, 10)}, (5, 5, 2)),
    ("Add", {}, [(8, 8, 16), (8, 8, 16)]),
    ("Concatenate", {}, [(8, 8, 16), (8, 8, 32)]),
)


def _call(kind: str, config: Mapping[str, Any]) -> str:
    """A short Keras-like call: ``Conv2D(20, 7)``, ``Dropout(0.5)``."""
    positional = {
        "Dense": ["units"],
        "Embedding": ["input_dim", "output_dim"],
        "DepthwiseConv2D": ["kernel_size"],
        "Dropout": ["rate"],
        "Reshape": ["target_shape"],
        "MaxPooling2D": ["pool_size"],
        "AdaptiveAveragePooling2D": ["output_size"],
    }.get(kind, ["filters", "kernel_size"])
    rest = dict(config)
    args = [repr(rest.pop(key)) for key in positional if key in rest]
    args += [f"{k}={v!r}" for k, v in rest.items()]
    return f"{kind}({', '.join(args)})"


def rules_table_html(lang: str) -> str:
    """Every family of layers with its rule in words and one worked example.

    Two columns keep it readable on a narrow page: the layer, with its input and output
    shapes below it, and the rule in words, with the example's arithmetic below it.
    """
    check_language(lang)
    headers = (
        ("Layer: input → output", "Parameters: rule and example")
        if lang == "en"
        else ("لایه: ورودی ← خروجی", "پارامترها: قاعده و نمونه")
    )
    esc = html.escape
    rows = []
    for kind, config, shape in RULE_EXAMPLES:
        c = count_layer(kind, config, shape)
        shapes = " + ".join(format_shape(s, batch=False) for s in c.input_shapes)
        arrow = f"{shapes} → {format_shape(c.output_shape, batch=False)}"
        rows.append(
            f'<tr><td><code dir="ltr">{esc(_call(kind, config))}</code><br>'
            f'<small><code dir="ltr">{esc(arrow)}</code></small></td>'
            f"<td>{esc(c.rule(lang))}<br><small>{c.formula_html(lang)}</small></td></tr>"
        )
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    direction = "rtl" if lang == "fa" else "ltr"
    return (
        f'<table class="table cn-table" lang="{lang}" dir="{direction}"><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def relations_table_html(lang: str) -> str:
    """Dumoulin & Visin's relations, each with its example evaluated."""
    headers = (
        ("No.", "Setting", "Relation", "Example", "Output")
        if lang == "en"
        else ("شماره", "حالت", "رابطه", "نمونه", "خروجی")
    )
    rows = []
    for r in RELATIONS:
        plain = r.latex.replace(r"\lfloor ", "⌊").replace(r" \rfloor", "⌋").replace(r"\rfloor", "⌋")
        prime = "'" if r.operation == "transposed" else ""  # i' is the transposed input
        example = ", ".join(f"{k}{prime if k == 'i' else ''}={v}" for k, v in r.example.items())
        rows.append((str(r.number), r.setting(lang), plain, example, str(r.output())))
    if lang == "fa":
        rows = [(localize_digits(a, "fa"), *rest) for a, *rest in rows]
    return html_table(headers, rows, lang, code_columns=(2, 3, 4))


def plot_weight_sharing(
    lang: str,
    filters: int = 2,
    kernel_size: int = 3,
    channels: int = 10,
    sides: Sequence[int] = tuple(range(7, 65, 3)),
) -> Any:
    """Parameters of Conv2D and LocallyConnected2D on square inputs of growing size."""
    import matplotlib.pyplot as plt

    from convnotes import plots

    shared, unshared = [], []
    for side in sides:
        c = compare_weight_sharing((side, side, channels), filters, kernel_size)
        shared.append(c.shared)
        unshared.append(c.unshared)
    fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    ax.plot(
        sides,
        unshared,
        "o-",
        label=plots.words(
            lang, "LocallyConnected2D (no sharing)", "LocallyConnected2D (بدون اشتراک وزن)"
        ),
    )
    ax.plot(
        sides,
        shared,
        "s-",
        label=plots.words(lang, "Conv2D (shared weights)", "Conv2D (وزن‌های مشترک)"),
    )
    ax.set_yscale("log")
    ax.grid(True, which="major", alpha=0.3)
    plots.style_axes(
        ax,
        lang,
        title=plots.words(
            lang,
            f"{filters} filters of {kernel_size}x{kernel_size} over {channels} channels",
            localize_digits(
                f"{filters} فیلتر {kernel_size}×{kernel_size} روی {channels} کانال", "fa"
            ),
        ),
        xlabel=plots.words(lang, "input height = width", "ارتفاع = پهنای ورودی"),
        ylabel=plots.words(lang, "parameters (log scale)", "پارامترها (مقیاس لگاریتمی)"),
    )
    plots.legend(ax, lang)
    return fig


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
