"""Import TensorFlow and Keras without the import-time log lines.

TensorFlow 2.21 writes its oneDNN notice through absl before any log level
setting is read, so ``TF_CPP_MIN_LOG_LEVEL`` cannot hide it. We silence file
descriptor 2 for the duration of the import only; oneDNN itself stays on
(training is about 1.8x slower without it).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from types import ModuleType


@contextlib.contextmanager
def _stderr_fd_silenced() -> Iterator[None]:
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real fd 2 (some embedded interpreters)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow() -> ModuleType:
    """Return the ``tensorflow`` module, imported quietly."""
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with _stderr_fd_silenced():
        import tensorflow

    return tensorflow


def import_keras() -> ModuleType:
    """Return the ``keras`` module (Keras 3 on the TensorFlow backend), imported quietly."""
    import_tensorflow()
    import keras

    return keras
