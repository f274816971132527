"""Keras 3 layers that Keras itself does not provide.

``LocallyConnected1D`` / ``LocallyConnected2D`` (removed in Keras 3) and
``MinPooling2D`` (Keras never had it). Each layer trains, serializes with
``get_config`` and reloads from a ``.keras`` file.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from numbers import Integral
from typing import Any

from convnotes._tf import import_keras

keras = import_keras()
ops = keras.ops


# --------------------------------------------------------------------------------------
# LocallyConnected1D / LocallyConnected2D
# --------------------------------------------------------------------------------------


def _positive_ints(value: Any, rank: int, what: str, layer: str) -> tuple[int, ...]:
    values = tuple(value) if isinstance(value, (list, tuple)) else (value,) * rank
    if len(values) != rank:
        raise ValueError(f"{layer}: {what} must be an integer or {rank} integers, got {value!r}")
    for v in values:
        if isinstance(v, bool) or not isinstance(v, Integral) or v < 1:
            raise ValueError(f"{layer}: {what} must be positive integers, got {value!r}")
    return tuple(int(v) for v in values)


class _LocallyConnected(keras.layers.Layer):
    """A convolution without weight sharing: every output position has its own filters.

    The kernel has shape ``(output positions, prod(kernel_size) * input channels,
    filters)`` and the bias ``(*output size, filters)``, the layout of
    ``tf_keras.layers.LocallyConnected{1,2}D(implementation=1)``, so weights copy over
    unchanged. The forward pass gathers every patch with one strided slice per kernel
    tap and contracts all positions at once with ``einsum``.
    """

    rank = 0

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        where = f"{type(self).__name__} {self.name!r}"
        self.filters = _positive_ints(filters, 1, "filters", where)[0]
        self.kernel_size = _positive_ints(kernel_size, self.rank, "kernel_size", where)
        self.strides = _positive_ints(strides, self.rank, "strides", where)
        if str(padding).lower() != "valid":
            raise ValueError(f"{where}: padding must be 'valid' (no padding), got {padding!r}")
        self.padding = "valid"
        self.data_format = data_format or keras.config.image_data_format()
        if self.data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f"{where}: data_format must be 'channels_last' or "
                f"'channels_first', got {data_format!r}"
            )
        if not isinstance(use_bias, bool):
            raise ValueError(f"{where}: use_bias must be True or False, got {use_bias!r}")
        self.use_bias = use_bias
        self.activation = keras.activations.get(activation)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    def _split(self, input_shape: Sequence[int | None]) -> tuple[tuple[int | None, ...], Any]:
        if self.data_format == "channels_last":
            return tuple(input_shape[1:-1]), input_shape[-1]
        return tuple(input_shape[2:]), input_shape[1]

    def _output_size(self, spatial: Sequence[int | None]) -> tuple[int, ...]:
        where = f"{type(self).__name__} {self.name!r}"
        if any(n is None for n in spatial):
            raise ValueError(f"{where}: needs fully known spatial input sizes, got {spatial}")
        out = []
        sizes = zip(spatial, self.kernel_size, self.strides, strict=True)
        for axis, (n, k, s) in enumerate(sizes, 1):
            if k > n:
                raise ValueError(
                    f"{where}: the kernel ({k}) is larger than the input ({n}) "
                    f"along spatial axis {axis}; padding='valid' needs "
                    "kernel <= input size"
                )
            out.append((n - k) // s + 1)
        return tuple(out)

    def build(self, input_shape: Sequence[int | None]) -> None:
        spatial, channels = self._split(input_shape)
        if channels is None:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: the number of input channels must be known"
            )
        self.output_size = self._output_size(spatial)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(
                math.prod(self.output_size),
                math.prod(self.kernel_size) * channels,
                self.filters,
            ),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(*self.output_size, self.filters),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2, axes={axis: channels})

    def _patches(self, x: Any) -> Any:
        """(batch, positions, features) from channels-last ``x``, features in tf_keras order."""
        taps = []
        for offset in itertools.product(*(range(k) for k in self.kernel_size)):
            index = [slice(None)]
            for start, s, n in zip(offset, self.strides, self.output_size, strict=True):
                index.append(slice(start, start + s * (n - 1) + 1, s))
            taps.append(x[tuple(index)])  # (batch, *output_size, channels)
        # tf_keras flattens a (kernel..., channels) patch for channels_last inputs and a
        # (channels, kernel...) patch for channels_first inputs.
        axis = -2 if self.data_format == "channels_last" else -1
        patches = ops.stack(taps, axis=axis)
        return ops.reshape(patches, (-1, math.prod(self.output_size), self.kernel.shape[1]))

    def call(self, inputs: Any) -> Any:
        x = inputs if self.data_format == "channels_last" else ops.moveaxis(inputs, 1, -1)
        outputs = ops.einsum("bpf,pfo->bpo", self._patches(x), self.kernel)
        outputs = ops.reshape(outputs, (-1, *self.output_size, self.filters))
        if self.data_format == "channels_first":
            outputs = ops.moveaxis(outputs, -1, 1)
        if self.use_bias:
            # tf_keras reads the (*output_size, filters) bias of a channels_first layer
            # through a reshape, not a transpose; we do the same so weights stay portable.
            # Either way each (position, filter) pair has its own bias.
            shape = (
                (self.filters, *self.output_size)
                if self.data_format == "channels_first"
                else self.bias.shape
            )
            outputs = outputs + ops.reshape(self.bias, shape)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[Any, ...]:
        spatial, _ = self._split(input_shape)
        out = self._output_size(spatial)
        if self.data_format == "channels_last":
            return (input_shape[0], *out, self.filters)
        return (input_shape[0], self.filters, *out)

    def get_config(self) -> dict[str, Any]:
        ser = keras.saving.serialize_keras_object
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "activation": keras.activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": ser(self.kernel_initializer),
            "bias_initializer": ser(self.bias_initializer),
            "kernel_regularizer": ser(self.kernel_regularizer),
            "bias_regularizer": ser(self.bias_regularizer),
            "kernel_constraint": ser(self.kernel_constraint),
            "bias_constraint": ser(self.bias_constraint),
        }


@keras.saving.register_keras_serializable(package="convnotes")
class LocallyConnected1D(_LocallyConnected):
    """Locally connected layer for sequences ``(batch, steps, channels)``.

    Like ``Conv1D`` with ``padding="valid"`` but with different weights at every output
    step. Parameters: ``filters x output steps x (kernel_size x channels + 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> layer = LocallyConnected1D(4, 3)
    >>> tuple(layer(np.zeros((2, 10, 5), "float32")).shape)
    (2, 8, 4)
    >>> layer.count_params() == 4 * 8 * (3 * 5 + 1)
    True
    """

    rank = 1


@keras.saving.register_keras_serializable(package="convnotes")
class LocallyConnected2D(_LocallyConnected):
    """Locally connected layer for images ``(batch, rows, cols, channels)``.

    Like ``Conv2D`` with ``padding="valid"`` but without weight sharing: each output
    position has its own ``filters`` kernels and biases. Parameters:
    ``filters x output positions x (kernel height x kernel width x channels + 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> layer = LocallyConnected2D(2, 3)
    >>> tuple(layer(np.zeros((1, 7, 7, 10), "float32")).shape)
    (1, 5, 5, 2)
    >>> layer.count_params()
    4550
    """

    rank = 2


# --------------------------------------------------------------------------------------
# MinPooling2D
# --------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="convnotes")
class MinPooling2D(keras.layers.Layer):
    """Min pooling for images: the smallest value of each window, channel by channel.

    Keras has ``MaxPooling2D`` and ``AveragePooling2D`` but no min pooling. This
    layer takes the same arguments and gives the same output shape as
    ``MaxPooling2D``; it computes ``-max_pool(-x)``, so the gradient flows to the
    minimum of each window, and with "same" padding padded positions never win.
    It has no weights. The NumPy reference is
    ``convnotes.pooling.pool2d(x, ..., mode="min")``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1.0, 3.0], [4.0, 0.5]], "float32").reshape(1, 2, 2, 1)
    >>> layer = MinPooling2D(2)
    >>> float(keras.ops.convert_to_numpy(layer(x))[0, 0, 0, 0])
    0.5
    >>> layer.count_params()
    0
    """

    def __init__(
        self,
        pool_size: int | Sequence[int] = (2, 2),
        strides: int | Sequence[int] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        where = f"MinPooling2D {self.name!r}"
        self.pool_size = _positive_ints(pool_size, 2, "pool_size", where)
        self.strides = (
            self.pool_size if strides is None else _positive_ints(strides, 2, "strides", where)
        )
        if str(padding).lower() not in ("valid", "same"):
            raise ValueError(f"{where}: padding must be 'valid' or 'same', got {padding!r}")
        self.padding = str(padding).lower()
        self.data_format = data_format or keras.config.image_data_format()
        if self.data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f"{where}: data_format must be 'channels_last' or "
                f"'channels_first', got {data_format!r}"
            )
        self.input_spec = keras.layers.InputSpec(ndim=4)

    def call(self, inputs: Any) -> Any:
        return -ops.max_pool(
            -inputs,
            pool_size=self.pool_size,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
        )

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[Any, ...]:
        first = 1 if self.data_format == "channels_last" else 2
        shape = list(input_shape)
        for axis, k, s in zip((first, first + 1), self.pool_size, self.strides, strict=True):
            n = shape[axis]
            if n is not None:
                shape[axis] = -(-n // s) if self.padding == "same" else (n - k) // s + 1
        return tuple(shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
        }
