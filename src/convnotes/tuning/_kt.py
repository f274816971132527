"""Import keras-tuner quietly (it imports Keras, hence TensorFlow)."""

from __future__ import annotations

from types import ModuleType


def import_keras_tuner() -> ModuleType:
    """Return the ``keras_tuner`` module, after importing TensorFlow without its log lines."""
    from convnotes._tf import import_keras

    import_keras()
    import keras_tuner

    return keras_tuner
