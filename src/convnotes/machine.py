"""What machine this is, and which TensorFlow CPU path runs on it.

One reader of ``/proc/cpuinfo`` for the whole package: run records, benchmarks and
the status page all describe the machine with :func:`describe`.

TensorFlow 2.21 has two CPU paths for convolution, pooling and matrix products:
oneDNN (Intel's library, used by default only on CPUs with AVX-512 VNNI, AVX-512
bfloat16, AVX-VNNI or AMX) and Eigen (everywhere else). Each has its own defects, so
which one ran is part of every result. :mod:`convnotes._tf` decides the path before
TensorFlow is imported; :func:`tensorflow_cpu_path` reports what actually runs.

This module imports no TensorFlow of its own: :func:`tensorflow_cpu_path` asks
TensorFlow only when it is already imported.
"""

from __future__ import annotations

import os
import platform
import sys
from functools import cache
from pathlib import Path
from typing import Any

# The CPU features for which TensorFlow 2.21 turns oneDNN on by default on Linux
# (tensorflow/core/util/util.cc, IsMKLEnabled), as /proc/cpuinfo names them.
TENSORFLOW_ONEDNN_FEATURES = (
    "avx512_vnni",
    "avx512_bf16",
    "avx_vnni",
    "amx_tile",
    "amx_int8",
    "amx_bf16",
)
NATIVE_BFLOAT16_FEATURES = ("avx512_bf16", "amx_bf16")
REPORTED_FEATURES = ("avx2", "avx512f", *TENSORFLOW_ONEDNN_FEATURES)


@cache
def _cpuinfo() -> str:
    try:
        return Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def cpu_model() -> str:
    """The processor's model name (``/proc/cpuinfo``), else what :mod:`platform` says."""
    for line in _cpuinfo().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


@cache
def cpu_flags() -> frozenset[str]:
    """The instruction-set flags of the first processor, as ``/proc/cpuinfo`` lists them."""
    for line in _cpuinfo().splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def cpu_features() -> dict[str, bool]:
    """Whether the CPU has each feature that decides TensorFlow's path and speed."""
    flags = cpu_flags()
    return {name: name in flags for name in REPORTED_FEATURES}


def native_bfloat16_cpu() -> bool:
    """Whether the CPU computes bfloat16 natively (AVX-512 BF16 or AMX)."""
    return any(name in cpu_flags() for name in NATIVE_BFLOAT16_FEATURES)


def tensorflow_default_onednn() -> bool:
    """Whether TensorFlow 2.21, left to itself, would use oneDNN on this CPU."""
    return any(name in cpu_flags() for name in TENSORFLOW_ONEDNN_FEATURES)


def onednn_from_environment(value: str | None) -> bool | None:
    """What ``TF_ENABLE_ONEDNN_OPTS=value`` asks for: True, False, or None if unset/unclear.

    TensorFlow reads the variable as a boolean: ``1``/``true`` and ``0``/``false``
    (any case).

    Examples
    --------
    >>> onednn_from_environment("0"), onednn_from_environment("TRUE"), onednn_from_environment(None)
    (False, True, None)
    """
    if value is None:
        return None
    value = value.strip().lower()
    if value in ("1", "true"):
        return True
    if value in ("0", "false"):
        return False
    return None


def planned_onednn() -> bool:
    """Whether TensorFlow will use oneDNN in this process and the ones it starts.

    Read from ``TF_ENABLE_ONEDNN_OPTS`` (which importing convnotes sets, unless the
    user did) and TensorFlow's own rule, without importing TensorFlow.
    """
    from convnotes import _tf

    _tf.choose_cpu_path()
    asked = onednn_from_environment(os.environ.get(_tf.ONEDNN_ENV))
    return tensorflow_default_onednn() if asked is None else asked


def tensorflow_cpu_path() -> dict[str, Any]:
    """The TensorFlow CPU path of this process, as a JSON-able dict.

    Keys: ``onednn`` (whether oneDNN kernels run; None when TensorFlow is not imported
    yet), ``requested`` (the value of ``TF_ENABLE_ONEDNN_OPTS`` at import), ``chosen_by``
    (``"convnotes default"``, ``"user environment"`` or ``"tensorflow default"`` when
    TensorFlow was imported before convnotes could choose), ``tensorflow_default``
    (what TensorFlow would pick on this CPU) and ``precision_policy`` (Keras' global
    dtype policy, when Keras is imported).
    """
    from convnotes import _tf

    path: dict[str, Any] = {
        "onednn": None,
        "requested": os.environ.get(_tf.ONEDNN_ENV),
        "chosen_by": _tf.onednn_chosen_by(),
        "tensorflow_default": tensorflow_default_onednn(),
        "precision_policy": None,
    }
    if "tensorflow" in sys.modules:
        path["onednn"] = _tf.onednn_enabled()
    if "keras" in sys.modules:
        path["precision_policy"] = sys.modules["keras"].mixed_precision.global_policy().name
    return path


def describe() -> dict[str, Any]:
    """The machine and TensorFlow path for a run record: CPU, features, load, path."""
    machine: dict[str, Any] = {
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpu_features": cpu_features(),
        "native_bfloat16": native_bfloat16_cpu(),
        "tensorflow_cpu_path": tensorflow_cpu_path(),
    }
    if hasattr(os, "getloadavg"):  # other work on the machine slows every timing
        machine["load_average_1_5_15"] = [round(v, 2) for v in os.getloadavg()]
    return machine
