"""Known defects of Keras 3.15 on TensorFlow 2.21, observed live on each CPU path.

TensorFlow runs convolution and pooling on the CPU through oneDNN or through Eigen
(:mod:`convnotes._tf` chooses which). Each path has defects of its own, so a claim
such as "this Keras layer crashes" is true only of one path. :func:`observe` runs a
small probe of every known defect in a fresh Python process on the path asked for,
whatever path the calling process uses, so the tests and the book state what each
path did on the machine at hand.

The defects (each probe compares Keras with :mod:`convnotes.conv` or
:mod:`convnotes.pooling`, whose answer is checked by hand in the docstring of the
probe):

``conv3d_same_negative``
    Conv3D with ``padding="same"`` where the "same" rule asks for a negative padding
    (a stride larger than the kernel, e.g. 3 samples, kernel 1, stride 3): TensorFlow's
    rule clips the padding to zero, so the single output reads the first sample.
``maxpool3d_same_negative``, ``avgpool3d_same_negative``
    MaxPooling3D and AveragePooling3D in the same situation.
``conv2d_single_channel_strided``
    Conv2D on a single-channel input with stride 2 along the width and "same" padding
    (two images of 2x1 pixels, kernel 1x2).
``adaptive_max_pooling_width_1``
    ``AdaptiveMaxPooling2D((2, 1))`` on a 6x6 map: an output (or input) width of 1.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from typing import Any

from convnotes._tf import ONEDNN_ENV

DEFECTS = (
    "conv3d_same_negative",
    "maxpool3d_same_negative",
    "avgpool3d_same_negative",
    "conv2d_single_channel_strided",
    "adaptive_max_pooling_width_1",
)

# The probes print two JSON lines: the array cases, then adaptive pooling (which may
# kill the process). Each case holds what Keras returned and what the reference says.
_PROBES = """
import json
import numpy as np
from convnotes import conv, machine, pooling
from convnotes._tf import import_keras

keras = import_keras()
L = keras.layers
out = {"path": machine.tensorflow_cpu_path()}

# Three samples 1, 2, 3 along depth, kernel 1, stride 3, "same": one output, which
# reads the first sample (padding clipped to zero): 1.
x = np.array([1.0, 2.0, 3.0], np.float32).reshape(1, 3, 1, 1, 1)
w = np.ones((1, 1, 1, 1, 1), np.float32)
layer = L.Conv3D(1, 1, strides=(3, 1, 1), padding="same", use_bias=False)
layer.build(x.shape)
layer.set_weights([w])
out["conv3d_same_negative"] = {
    "keras": np.asarray(layer(x)).ravel().tolist(),
    "reference": conv.conv3d(x, w, padding="same", stride=(3, 1, 1)).ravel().tolist(),
}
pooled = L.MaxPooling3D((1, 1, 1), strides=(3, 1, 1), padding="same")(x)
out["maxpool3d_same_negative"] = {
    "keras": np.asarray(pooled).ravel().tolist(),
    "reference": pooling.pool3d(x, (1, 1, 1), (3, 1, 1), "same", "max").ravel().tolist(),
}

# Two images of 2x1 pixels, kernel [2, 7] along the width, stride 2, "same": width 1
# gets one zero after it, so only the tap 2 reads a pixel: 2 * x = [1, -4, 3, 6].
x2 = np.array([0.5, -2.0, 1.5, 3.0], np.float32).reshape(2, 2, 1, 1)
w2 = np.array([2.0, 7.0], np.float32).reshape(1, 2, 1, 1)
layer2 = L.Conv2D(1, (1, 2), strides=(1, 2), padding="same", use_bias=False)
layer2.build(x2.shape)
layer2.set_weights([w2])
out["conv2d_single_channel_strided"] = {
    "keras": np.asarray(layer2(x2)).ravel().tolist(),
    "reference": conv.conv2d(x2, w2, padding="same", stride=(1, 2)).ravel().tolist(),
}
averaged = L.AveragePooling3D((1, 1, 1), strides=(3, 1, 1), padding="same")(x)
out["avgpool3d_same_negative"] = {
    "keras": np.asarray(averaged).ravel().tolist(),
    "reference": pooling.pool3d(x, (1, 1, 1), (3, 1, 1), "same", "average").ravel().tolist(),
}
print(json.dumps(out), flush=True)

# Last, since it may kill the process: the row maxima of the 6x6 map 0..35 in two
# bands of three rows are 17 and 35.
x6 = np.arange(36.0, dtype=np.float32).reshape(1, 6, 6, 1)
got = L.AdaptiveMaxPooling2D((2, 1))(x6)
print(json.dumps({
    "keras": np.asarray(got).ravel().tolist(),
    "reference": pooling.adaptive_pool2d(x6, (2, 1)).ravel().tolist(),
}), flush=True)
"""


def _run(code: str, onednn: bool, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ONEDNN_ENV: "1" if onednn else "0"}
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _outcome(keras: list[float], reference: list[float]) -> dict[str, Any]:
    return {"keras": keras, "reference": reference, "agrees": keras == reference}


def observe(onednn: bool, *, timeout: float = 300) -> dict[str, Any]:
    """Run every defect probe in one fresh process on one CPU path; return what happened.

    Parameters
    ----------
    onednn
        True for the oneDNN path, False for Eigen (``TF_ENABLE_ONEDNN_OPTS=1``/``0``
        in the child process).

    Returns
    -------
    dict
        ``onednn`` (the path the child really took), ``path`` (its
        :func:`convnotes.machine.tensorflow_cpu_path`) and one entry per name in
        :data:`DEFECTS`: ``keras``, ``reference``, ``agrees`` (exact equality) and
        ``crashed`` (the signal name, e.g. ``"SIGFPE"``, or None; ``keras`` is None
        after a crash).
    """
    if not isinstance(onednn, bool):
        raise TypeError(f"onednn must be True or False, got {onednn!r}")
    done = _run(_PROBES, onednn, timeout)
    lines = done.stdout.strip().splitlines()
    crashed = done.returncode < 0
    if done.returncode > 0 or len(lines) < (1 if crashed else 2):
        raise RuntimeError(f"the defect probe failed (status {done.returncode}):\n{done.stderr}")
    found = json.loads(lines[0])
    path = found.pop("path")
    result: dict[str, Any] = {"onednn": path["onednn"], "path": path}
    for name, values in found.items():
        result[name] = {**_outcome(values["keras"], values["reference"]), "crashed": None}
    if crashed:
        result["adaptive_max_pooling_width_1"] = {
            "keras": None,
            "reference": [17.0, 35.0],
            "agrees": False,
            "crashed": signal.Signals(-done.returncode).name,
        }
    else:
        values = json.loads(lines[1])
        result["adaptive_max_pooling_width_1"] = {
            **_outcome(values["keras"], values["reference"]),
            "crashed": None,
        }
    return result


def observe_both(*, timeout: float = 300) -> dict[str, dict[str, Any]]:
    """:func:`observe` on the oneDNN and on the Eigen path: ``{"onednn": ..., "eigen": ...}``."""
    return {"onednn": observe(True, timeout=timeout), "eigen": observe(False, timeout=timeout)}
