"""Output sizes of convolution, pooling and transposed convolution, along one axis.

Every size the package computes comes from this module: the reference layers in
:mod:`convnotes.conv` and :mod:`convnotes.pooling`, and the layer counting in
:mod:`convnotes.params`. Two conventions meet here.

* The *paper* convention of Dumoulin & Visin (2016): explicit zero padding ``p``
  on both sides, :func:`conv_output_length` (their relation 15, which contains
  relations 1-6), :func:`pool_output_length` (relation 7) and
  :func:`transposed_output_length` (relation 14); :data:`RELATIONS` lists all
  fifteen with a worked example each.
* The *library* convention of Keras/TensorFlow: a padding *name*. ``valid`` adds
  nothing; ``same`` (and ``causal``) adds just enough that the output has
  ``ceil(n / stride)`` positions, the extra zero going after the input when the
  total is odd; ``full`` (NumPy's and SciPy's mode, no Keras layer) adds
  ``k_eff - 1`` on each side. :func:`output_size`, :func:`padding_amounts`,
  :func:`keras_conv_output_length`, :func:`keras_transposed_output_length` and
  :func:`pooled_size` follow it.

A kernel of ``k`` taps spaced ``dilation`` apart spans ``k_eff = dilation (k - 1) + 1``
positions (:func:`effective_size`). Sizes exclude the batch and channel axes.

Examples
--------
>>> output_size(32, 3), output_size(32, 3, "same", stride=2), output_size(5, 3, "full")
(30, 16, 7)
>>> conv_output_length(227, 11, s=4)  # AlexNet's first layer, explicit padding 0
55
>>> pooled_size(7, 2, padding="same")
4
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: The padding names of :func:`output_size` and :func:`padding_amounts`.
PADDINGS: tuple[str, ...] = ("valid", "same", "full")

# --------------------------------------------------------------------------
# Argument checks (used by convnotes.conv and convnotes.pooling as well)
# --------------------------------------------------------------------------


def positive_ints(value: Any, n: int, name: str) -> tuple[int, ...]:
    """Expand an int (or a sequence of ``n`` ints) to ``n`` positive ints.

    Raises ``TypeError`` for anything that is not an integer (booleans included) and
    ``ValueError`` for an integer below 1, naming ``name``.

    Examples
    --------
    >>> positive_ints(2, 3, "stride")
    (2, 2, 2)
    >>> positive_ints((1, 0), 2, "stride")
    Traceback (most recent call last):
    ...
    ValueError: stride must be a positive integer, got 0
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        values: tuple[Any, ...] = (value,) * n
    elif isinstance(value, Sequence) and not isinstance(value, str) and len(value) == n:
        values = tuple(value)
    else:
        raise TypeError(
            f"{name} must be a positive integer or a sequence of {n} positive integers, "
            f"got {value!r}"
        )
    for item in values:
        if not isinstance(item, (int, np.integer)) or isinstance(item, (bool, np.bool_)):
            raise TypeError(f"{name} must be a positive integer, got {item!r}")
        if item <= 0:
            raise ValueError(f"{name} must be a positive integer, got {item}")
    return tuple(int(item) for item in values)


def check_padding(padding: Any, allowed: Sequence[str] = PADDINGS) -> str:
    """Return ``padding`` in lower case if it names one of ``allowed``.

    Examples
    --------
    >>> check_padding("SAME")
    'same'
    >>> check_padding("full", ("valid", "same"))
    Traceback (most recent call last):
    ...
    ValueError: padding must be one of 'valid', 'same', got 'full'
    """
    if not isinstance(padding, str) or padding.lower() not in allowed:
        names = ", ".join(repr(name) for name in allowed)
        raise ValueError(f"padding must be one of {names}, got {padding!r}")
    return padding.lower()


def _positive_int(value: Any, name: str) -> int:
    return positive_ints(value, 1, name)[0]


# --------------------------------------------------------------------------
# The arithmetic
# --------------------------------------------------------------------------


def effective_size(k: int, dilation: int = 1) -> int:
    """The span of a kernel of ``k`` taps spaced ``dilation`` apart: ``dilation*(k-1)+1``.

    Examples
    --------
    >>> effective_size(3, dilation=2)
    5
    """
    return dilation * (k - 1) + 1


def _ceil_div(n: int, s: int) -> int:
    return -(-n // s)


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
    >>> conv_output_length(2, 4)
    Traceback (most recent call last):
    ...
    ValueError: the kernel (span 4) is larger than the padded input (2 + 2 x 0)
    """
    span = effective_size(k, d)
    if i + 2 * p < span:
        raise ValueError(
            f"the kernel (span {span}) is larger than the padded input ({i} + 2 x {p})"
        )
    return (i + 2 * p - span) // s + 1


def pool_output_length(i: int, k: int, s: int | None = None) -> int:
    """Output size of a pooling window of size ``k`` and stride ``s`` (relation 7).

    ``s`` defaults to ``k``: windows side by side, as in Keras.

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
    return s * (i - 1) + a + effective_size(k, d) - 2 * p


def output_size(n: int, k: int, padding: str = "valid", stride: int = 1, dilation: int = 1) -> int:
    """Number of positions a kernel of size ``k`` takes along an axis of length ``n``.

    With ``k_eff = dilation * (k - 1) + 1`` and ``s = stride``:

    * "valid": ``floor((n - k_eff) / s) + 1`` (requires ``n >= k_eff``);
    * "same":  ``ceil(n / s)``;
    * "full":  ``floor((n + k_eff - 2) / s) + 1`` (``k_eff - 1`` padding each side).

    "valid" and "full" are :func:`conv_output_length` with ``p = 0`` and
    ``p = k_eff - 1``.

    Examples
    --------
    >>> output_size(32, 3)
    30
    >>> output_size(32, 3, padding="same", stride=2)
    16
    >>> output_size(5, 3, padding="full")
    7
    >>> output_size(7, 3, dilation=2, stride=2)
    2
    """
    n, k = _positive_int(n, "n"), _positive_int(k, "k")
    stride, dilation = _positive_int(stride, "stride"), _positive_int(dilation, "dilation")
    padding = check_padding(padding)
    k_eff = effective_size(k, dilation)
    if padding == "same":
        return _ceil_div(n, stride)
    if padding == "full":
        return conv_output_length(n, k, stride, k_eff - 1, dilation)
    if n < k_eff:
        raise ValueError(
            f"kernel (effective size {k_eff}) is larger than the input ({n}) "
            "under 'valid' padding; use padding='same' or a smaller kernel"
        )
    return conv_output_length(n, k, stride, 0, dilation)


def padding_amounts(
    n: int, k: int, padding: str = "valid", stride: int = 1, dilation: int = 1
) -> tuple[int, int]:
    """Zeros added (before, after) an axis of length ``n`` for the given padding.

    "same" follows TensorFlow/Keras: the total is
    ``max((out - 1) * stride + k_eff - n, 0)`` and the larger half goes after.

    Examples
    --------
    >>> padding_amounts(5, 3, "same")
    (1, 1)
    >>> padding_amounts(6, 4, "same")
    (1, 2)
    >>> padding_amounts(6, 3, "same", stride=2)
    (0, 1)
    >>> padding_amounts(5, 3, "full", dilation=2)
    (4, 4)
    """
    out = output_size(n, k, padding, stride, dilation)
    k_eff = effective_size(k, dilation)
    padding = padding.lower()
    if padding == "valid":
        return 0, 0
    if padding == "full":
        return k_eff - 1, k_eff - 1
    total = max((out - 1) * stride + k_eff - n, 0)
    return total // 2, total - total // 2


def total_padding(
    n: int, k: int, padding: str = "valid", stride: int = 1, dilation: int = 1
) -> int:
    """Total zeros added along an axis (before + after).

    Examples
    --------
    >>> total_padding(6, 4, "same")
    3
    """
    return sum(padding_amounts(n, k, padding, stride, dilation))


def pooled_size(n: int, pool_size: int, strides: int | None = None, padding: str = "valid") -> int:
    """Output length of pooling an axis of length ``n`` (Keras' rule).

    ``strides`` defaults to ``pool_size``; ``padding`` is "valid" or "same".

    Examples
    --------
    >>> pooled_size(32, 2)
    16
    >>> pooled_size(7, 2, padding="same")
    4
    """
    check_padding(padding, ("valid", "same"))
    return output_size(n, pool_size, padding, pool_size if strides is None else strides)


def keras_conv_output_length(
    i: int | None, k: int, s: int = 1, padding: str = "valid", d: int = 1
) -> int | None:
    """Output size of a Keras convolution or pooling with ``padding`` valid/same/causal.

    ``valid`` is relation 15 with ``p = 0``; ``same`` and ``causal`` pad just enough that
    ``o = ceil(i / s)``. An unknown size (``None``) stays unknown.

    Examples
    --------
    >>> keras_conv_output_length(32, 3, 1, "same"), keras_conv_output_length(7, 3, 2, "same")
    (32, 4)
    >>> keras_conv_output_length(None, 3) is None
    True
    """
    if i is None:
        return None
    if padding == "valid":
        return conv_output_length(i, k, s, 0, d)
    return _ceil_div(i, s)


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
    span = effective_size(k, d)
    if output_padding is None:
        return i * s if padding == "same" else (i - 1) * s + max(span, s)
    p = span // 2 if padding == "same" else 0
    return transposed_output_length(i, k, s, p, output_padding, d)


# --------------------------------------------------------------------------
# Dumoulin & Visin's fifteen relations
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """One numbered output-size relation of Dumoulin & Visin (2016).

    ``special`` is the relation as the paper writes it for its setting; ``example``
    holds the arguments of the paper's worked example. The setting in words is
    presentation (:func:`convnotes.presentation.params.relation_setting`).
    """

    number: int
    operation: str  # "convolution", "pooling" or "transposed"
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


RELATIONS: tuple[Relation, ...] = (
    Relation(1, "convolution", r"o = (i - k) + 1", lambda i, k: (i - k) + 1, {"i": 5, "k": 3}),
    Relation(
        2,
        "convolution",
        r"o = (i - k) + 2p + 1",
        lambda i, k, p: (i - k) + 2 * p + 1,
        {"i": 5, "k": 4, "p": 2},
    ),
    Relation(3, "convolution", r"o = i", lambda i, k, p: i, {"i": 5, "k": 3, "p": 1}),
    Relation(
        4, "convolution", r"o = i + (k - 1)", lambda i, k, p: i + (k - 1), {"i": 5, "k": 3, "p": 2}
    ),
    Relation(
        5,
        "convolution",
        r"o = \lfloor (i - k)/s \rfloor + 1",
        lambda i, k, s: (i - k) // s + 1,
        {"i": 5, "k": 3, "s": 2},
    ),
    Relation(
        6,
        "convolution",
        r"o = \lfloor (i + 2p - k)/s \rfloor + 1",
        lambda i, k, s, p: (i + 2 * p - k) // s + 1,
        {"i": 6, "k": 3, "s": 2, "p": 1},
    ),
    Relation(
        7,
        "pooling",
        r"o = \lfloor (i - k)/s \rfloor + 1",
        lambda i, k, s: (i - k) // s + 1,
        {"i": 5, "k": 3, "s": 1},
    ),
    Relation(8, "transposed", r"o' = i' + (k - 1)", lambda i, k: i + (k - 1), {"i": 2, "k": 3}),
    Relation(
        9,
        "transposed",
        r"o' = i' + (k - 1) - 2p",
        lambda i, k, p: i + (k - 1) - 2 * p,
        {"i": 6, "k": 4, "p": 2},
    ),
    Relation(10, "transposed", r"o' = i'", lambda i, k, p: i, {"i": 5, "k": 3, "p": 1}),
    Relation(
        11,
        "transposed",
        r"o' = i' - (k - 1)",
        lambda i, k, p: i - (k - 1),
        {"i": 7, "k": 3, "p": 2},
    ),
    Relation(
        12,
        "transposed",
        r"o' = s (i' - 1) + k",
        lambda i, k, s: s * (i - 1) + k,
        {"i": 2, "k": 3, "s": 2},
    ),
    Relation(
        13,
        "transposed",
        r"o' = s (i' - 1) + k - 2p",
        lambda i, k, s, p: s * (i - 1) + k - 2 * p,
        {"i": 3, "k": 3, "s": 2, "p": 1},
    ),
    Relation(
        14,
        "transposed",
        r"o' = s (i' - 1) + a + k - 2p",
        lambda i, k, s, p, a: s * (i - 1) + a + k - 2 * p,
        {"i": 3, "k": 3, "s": 2, "p": 1, "a": 1},
    ),
    Relation(
        15,
        "convolution",
        r"o = \lfloor (i + 2p - k - (k - 1)(d - 1))/s \rfloor + 1",
        lambda i, k, s, p, d: (i + 2 * p - k - (k - 1) * (d - 1)) // s + 1,
        {"i": 7, "k": 3, "s": 1, "p": 0, "d": 2},
    ),
)
"""Relations 1-15 of Dumoulin & Visin (2016), in the paper's order."""


__all__ = [
    "PADDINGS",
    "RELATIONS",
    "Relation",
    "check_padding",
    "conv_output_length",
    "effective_size",
    "keras_conv_output_length",
    "keras_transposed_output_length",
    "output_size",
    "padding_amounts",
    "pool_output_length",
    "pooled_size",
    "positive_ints",
    "total_padding",
    "transposed_output_length",
]
