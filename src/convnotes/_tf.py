"""Import TensorFlow and Keras on one, explicit CPU path, without the import-time log lines.

The CPU path
------------
TensorFlow 2.21 runs convolution, pooling and matrix products through oneDNN only
on CPUs with AVX-512 VNNI, AVX-512 bfloat16, AVX-VNNI or AMX, and through Eigen
everywhere else, so the same code took different kernels, and met different
defects, on different machines. convnotes decides instead: before TensorFlow is
imported it sets ``TF_ENABLE_ONEDNN_OPTS`` to :data:`ONEDNN_DEFAULT` (oneDNN on)
unless the user's environment already sets it, and every run record says which
path ran (:func:`convnotes.machine.tensorflow_cpu_path`). Subprocesses started
afterwards inherit the choice.

Why on: with it the build, the tests and the recorded runs take one path on every
x86-64 machine; on a CPU with native bfloat16 oneDNN is what makes the package's
mixed-precision default fast, and on an AVX2-only CPU oneDNN trained the seed model
in float32 about 21% faster than Eigen (240 against 199 images/s at batch 32;
``scripts/bench_cpu_path.py``, record ``results/bench/cpu-path.json``). Set
``TF_ENABLE_ONEDNN_OPTS=0`` yourself to take the Eigen path.

The log lines
-------------
TensorFlow writes its oneDNN notice through absl before any log level setting is
read, so ``TF_CPP_MIN_LOG_LEVEL`` cannot hide it. We silence file descriptor 2 for
the duration of the import only.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from types import ModuleType

ONEDNN_ENV = "TF_ENABLE_ONEDNN_OPTS"
ONEDNN_DEFAULT = "1"

# Who set the path of this process: filled in by choose_cpu_path().
_chosen_by: str | None = None


def choose_cpu_path() -> str:
    """Set ``TF_ENABLE_ONEDNN_OPTS`` to the convnotes default unless it is set already.

    Returns who decides the path: ``"user environment"``, ``"convnotes default"``, or
    ``"tensorflow default"`` when TensorFlow was imported before convnotes could choose
    (the variable is read once, at import).
    """
    global _chosen_by
    if _chosen_by is None:
        if "tensorflow" in sys.modules:
            _chosen_by = (
                "tensorflow default" if ONEDNN_ENV not in os.environ else "user environment"
            )
        elif ONEDNN_ENV in os.environ:
            _chosen_by = "user environment"
        else:
            os.environ[ONEDNN_ENV] = ONEDNN_DEFAULT
            _chosen_by = "convnotes default"
    return _chosen_by


def onednn_chosen_by() -> str | None:
    """Who decided this process's CPU path (None until :func:`choose_cpu_path` has run).

    Importing ``convnotes`` runs it, so this is None only while the package itself is
    being imported.
    """
    return _chosen_by


def onednn_enabled() -> bool:
    """Whether TensorFlow's oneDNN kernels run in this process (imports TensorFlow)."""
    import_tensorflow()
    from tensorflow.python.util import _pywrap_util_port

    return bool(_pywrap_util_port.IsMklEnabled())


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
    """Return the ``tensorflow`` module, imported quietly on the chosen CPU path."""
    choose_cpu_path()
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
