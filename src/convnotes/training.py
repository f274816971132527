"""Input pipelines, training, evaluation, figures and run records for the CIFAR-10 CNN.

The pipeline (:func:`make_dataset`) keeps the images as uint8 in memory, shuffles them
with a seed, batches them, and only then scales to [0, 1] and (optionally) augments,
one whole batch at a time, with the next batch prepared while the current one trains.
:func:`train` runs one ``model.fit`` per epoch over a dataset shuffled with a seed
derived from ``(seed, epoch)``, so a run that is interrupted and resumed from its
checkpoint sees the same data order as one that was not.

Several GPUs: :func:`distribution_strategy` returns ``tf.distribute.MirroredStrategy``
when more than one GPU is visible (build and compile the model inside
``strategy.scope()``; ``batch_size`` is then the global batch, split across replicas).
With one device or none it returns the default strategy, the path the tests cover.

``convnotes train --profile quick|full --data DIR --out FILE.json`` trains the source
material's best model and writes metrics, per-epoch history and provenance; a checkpoint
after every epoch lets an interrupted run continue where it stopped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from convnotes import runrecord
from convnotes._tf import import_keras, import_tensorflow
from convnotes.cli import CommandError, non_negative_int, positive_int, writable_file

tf = import_tensorflow()
keras = import_keras()

#: Augmentation: random horizontal flips and shifts of up to this many pixels.
MAX_SHIFT = 4
CHECKPOINT_MODEL = "checkpoint.keras"
CHECKPOINT_STATE = "state.json"

# --------------------------------------------------------------------------- the pipeline


def _check_arrays(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (N, height, width, channels), got {x.shape}")
    if x.dtype != np.uint8:
        raise TypeError(f"x must be uint8 images (0..255), got dtype {x.dtype}")
    if y.shape != (len(x),):
        raise ValueError(f"y must have shape ({len(x)},) to match x, got {y.shape}")
    if len(x) == 0:
        raise ValueError("x must hold at least one image")
    return x, y.astype(np.int64)


def _check_batch_size(batch_size: Any) -> int:
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or batch_size < 1
    ):
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    return int(batch_size)


def scale_images(images: Any) -> Any:
    """uint8 images to float32 in [0, 1]."""
    return tf.cast(images, tf.float32) / 255.0


def augment_batch(images: Any, seed: Any, max_shift: int = MAX_SHIFT) -> Any:
    """Flip each image left-right with probability 1/2 and shift it by up to ``max_shift``.

    A shift moves the image by a whole number of pixels in each direction, filling the
    uncovered border with black. ``seed`` is a shape-(2,) integer tensor: the same seed
    gives the same augmentation (TensorFlow's stateless random ops).
    """
    images = tf.convert_to_tensor(images)
    batch = tf.shape(images)[0]
    height, width = images.shape[1], images.shape[2]
    seeds = tf.random.experimental.stateless_split(tf.cast(seed, tf.int64), num=3)
    flip = tf.random.stateless_uniform([batch], seeds[0]) < 0.5
    images = tf.where(flip[:, None, None, None], tf.reverse(images, axis=[2]), images)
    if max_shift <= 0:
        return images
    padded = tf.pad(images, [[0, 0], [max_shift, max_shift], [max_shift, max_shift], [0, 0]])
    offsets = tf.random.stateless_uniform(
        [batch, 2], seeds[1], minval=0, maxval=2 * max_shift + 1, dtype=tf.int32
    )
    rows = offsets[:, :1] + tf.range(height)[None, :]
    cols = offsets[:, 1:] + tf.range(width)[None, :]
    shifted = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(shifted, cols, axis=2, batch_dims=1)


def make_dataset(
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int,
    shuffle: bool,
    augment: bool = False,
    seed: int = 0,
) -> Any:
    """A ``tf.data`` pipeline: cache, shuffle, batch, scale to [0, 1], augment, prefetch.

    ``x`` holds uint8 images (N, height, width, channels) and ``y`` integer labels. The
    images stay uint8 until a whole batch is scaled (and, with ``augment``, flipped and
    shifted) in one vectorized step. Shuffling reshuffles every epoch, and the whole
    sequence of orders and augmentations is fixed by ``seed``.

    Examples
    --------
    >>> x = np.zeros((10, 32, 32, 3), np.uint8); y = np.arange(10)
    >>> images, labels = next(iter(make_dataset(x, y, batch_size=4, shuffle=True)))
    >>> tuple(images.shape), images.dtype.name, labels.dtype.name
    ((4, 32, 32, 3), 'float32', 'int64')
    """
    x, y = _check_arrays(x, y)
    batch_size = _check_batch_size(batch_size)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(batch_size)
    if augment:
        noise = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        dataset = tf.data.Dataset.zip((dataset, noise)).map(
            lambda batch, s: (augment_batch(scale_images(batch[0]), s), batch[1]),
            num_parallel_calls=tf.data.AUTOTUNE,
            deterministic=True,
        )
    else:
        dataset = dataset.map(
            lambda images, labels: (scale_images(images), labels),
            num_parallel_calls=tf.data.AUTOTUNE,
            deterministic=True,
        )
    return dataset.prefetch(tf.data.AUTOTUNE)


def distribution_strategy() -> Any:
    """``MirroredStrategy`` over all GPUs when more than one is visible, else the default."""
    gpus = tf.config.list_logical_devices("GPU")
    if len(gpus) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


# --------------------------------------------------------------------------- training


def _unpack_data(data: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    if hasattr(data, "x_train"):
        x_val, y_val = getattr(data, "x_val", None), getattr(data, "y_val", None)
        return data.x_train, data.y_train, x_val, y_val
    if isinstance(data, (tuple, list)) and len(data) in (2, 4):
        return (*data, None, None) if len(data) == 2 else tuple(data)  # type: ignore[return-value]
    raise TypeError(
        "data must have x_train/y_train(/x_val/y_val) attributes or be a tuple "
        "(x_train, y_train) or (x_train, y_train, x_val, y_val)"
    )


def _epoch_seed(seed: int, epoch: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{epoch}".encode()).digest()[:4], "little")


def train(
    model: Any,
    data: Any,
    *,
    epochs: int,
    batch_size: int,
    augment: bool = False,
    seed: int = 0,
    checkpoint_dir: str | os.PathLike[str] | None = None,
    callbacks: Sequence[Any] = (),
    verbose: int = 0,
    validation_name: str = "val",
) -> dict[str, list[float]]:
    """Train a compiled ``model`` for ``epochs`` epochs; return the per-epoch history.

    Parameters
    ----------
    data
        A :class:`convnotes.data.BookData` (or any object with ``x_train``, ``y_train``,
        ``x_val``, ``y_val``), or a tuple ``(x_train, y_train[, x_val, y_val])`` of uint8
        images and integer labels. An empty or missing validation set is skipped.
    checkpoint_dir
        If given, the model (with its optimizer state) and the history are saved there
        after every epoch, and a later call with the same directory resumes after the
        last saved epoch.
    validation_name
        Prefix of the validation metrics in the history (``"val"`` gives ``val_loss``).

    Returns
    -------
    dict
        ``epoch`` (1-based), ``loss``, ``accuracy``, the validation metrics when there is
        a validation set, and ``seconds`` (wall time of each epoch).
    """
    x_train, y_train, x_val, y_val = _unpack_data(data)
    x_train, y_train = _check_arrays(x_train, y_train)
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    batch_size = _check_batch_size(batch_size)
    validation = None
    if x_val is not None and len(x_val):
        validation = make_dataset(x_val, y_val, batch_size=max(batch_size, 256), shuffle=False)

    history: dict[str, list[float]] = {}
    start_epoch = 0
    ckpt = Path(checkpoint_dir) if checkpoint_dir is not None else None
    if ckpt is not None and (ckpt / CHECKPOINT_STATE).exists():
        start_epoch, history = _restore_checkpoint(model, ckpt)
    for epoch in range(start_epoch, epochs):
        dataset = make_dataset(
            x_train,
            y_train,
            batch_size=batch_size,
            shuffle=True,
            augment=augment,
            seed=_epoch_seed(seed, epoch),
        )
        began = time.perf_counter()
        fit = model.fit(
            dataset,
            validation_data=validation,
            initial_epoch=epoch,
            epochs=epoch + 1,
            callbacks=list(callbacks),
            verbose=verbose,
            shuffle=False,
        )  # the dataset shuffles itself
        seconds = time.perf_counter() - began
        history.setdefault("epoch", []).append(epoch + 1)
        for key, values in fit.history.items():
            name = key.replace("val_", f"{validation_name}_", 1) if key.startswith("val_") else key
            history.setdefault(name, []).append(float(values[-1]))
        history.setdefault("seconds", []).append(seconds)
        if ckpt is not None:
            _save_checkpoint(model, ckpt, epoch + 1, history)
    return history


def _save_checkpoint(
    model: Any, directory: Path, epochs_done: int, history: dict[str, list[float]]
) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    # Write to temporary names, then rename: a kill mid-write leaves the last good copy.
    model.save(directory / ("tmp-" + CHECKPOINT_MODEL))
    os.replace(directory / ("tmp-" + CHECKPOINT_MODEL), directory / CHECKPOINT_MODEL)
    state = {"epochs_done": epochs_done, "history": history}
    (directory / ("tmp-" + CHECKPOINT_STATE)).write_text(json.dumps(state))
    os.replace(directory / ("tmp-" + CHECKPOINT_STATE), directory / CHECKPOINT_STATE)


def _restore_checkpoint(model: Any, directory: Path) -> tuple[int, dict[str, list[float]]]:
    state = json.loads((directory / CHECKPOINT_STATE).read_text())
    saved = keras.models.load_model(directory / CHECKPOINT_MODEL)
    if [w.shape for w in saved.weights] != [w.shape for w in model.weights]:
        raise ValueError(f"checkpoint in {directory} is for a different model")
    model.set_weights(saved.get_weights())
    if model.optimizer is not None and saved.optimizer is not None:
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        for target, source in zip(
            model.optimizer.variables, saved.optimizer.variables, strict=True
        ):
            target.assign(source)
    return int(state["epochs_done"]), state["history"]


# --------------------------------------------------------------------------- evaluation


def evaluate(
    model: Any,
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 256,
    num_classes: int | None = None,
) -> dict[str, Any]:
    """Loss, accuracy, per-class accuracy and confusion matrix of ``model`` on ``(x, y)``.

    The loss is the mean cross-entropy of the predicted probabilities (clipped to
    [1e-7, 1 - 1e-7], as Keras does). ``confusion_matrix[i][j]`` counts images of class
    ``i`` predicted as class ``j``. ``y_pred`` and ``probabilities`` are NumPy arrays.
    """
    x, y = _check_arrays(x, y)
    batch_size = _check_batch_size(batch_size)
    # Pad to whole batches: one input shape means one traced predict function per model.
    padding = (-len(x)) % batch_size
    x_padded = np.concatenate([x, np.zeros((padding, *x.shape[1:]), x.dtype)]) if padding else x
    y_padded = np.concatenate([y, np.zeros(padding, y.dtype)]) if padding else y
    dataset = make_dataset(x_padded, y_padded, batch_size=batch_size, shuffle=False)
    probabilities = np.asarray(model.predict(dataset, verbose=0), dtype=np.float64)[: len(x)]
    k = num_classes or probabilities.shape[1]
    picked = np.clip(probabilities[np.arange(len(y)), y], 1e-7, 1 - 1e-7)
    y_pred = probabilities.argmax(axis=1)
    matrix = np.zeros((k, k), np.int64)
    np.add.at(matrix, (y, y_pred), 1)
    per_class = matrix.diagonal() / np.maximum(matrix.sum(axis=1), 1)
    return {
        "loss": float(-np.log(picked).mean()),
        "accuracy": float((y_pred == y).mean()),
        "per_class_accuracy": per_class.tolist(),
        "confusion_matrix": matrix.tolist(),
        "n_images": len(y),
        "y_pred": y_pred,
        "probabilities": probabilities,
    }


def jsonable_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    """``metrics`` without its NumPy arrays (predictions), ready for ``json.dumps``."""
    return {k: v for k, v in metrics.items() if not isinstance(v, np.ndarray)}


# --------------------------------------------------------------------------- optimizers

#: The update rules of :func:`descend`: plain SGD, SGD with momentum, and Adam.
UPDATE_RULES = ("sgd", "momentum", "adam")


def _vector(value: Any, name: str) -> np.ndarray:
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of real numbers, got {value!r}") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers, got {value!r}")
    return array


def _same_shape(reference: np.ndarray, value: Any, name: str) -> np.ndarray:
    array = _vector(value, name)
    if array.shape != reference.shape:
        raise ValueError(
            f"{name} must have the shape of weights {reference.shape}, got {array.shape}"
        )
    return array


def _positive(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _fraction(value: Any, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.floating))
        or not 0 <= value < 1
    ):
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)


def sgd_update(
    weights: Any,
    gradient: Any,
    velocity: Any = None,
    *,
    learning_rate: float,
    momentum: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    r"""One step of stochastic gradient descent with momentum, as ``keras.optimizers.SGD``.

    The velocity :math:`v` is a running sum of past steps that decays by the factor
    :math:`\mu` (``momentum``) per step: :math:`v \leftarrow \mu v - \eta g` and
    :math:`w \leftarrow w + v`, with the learning rate :math:`\eta` and the gradient
    :math:`g`. With ``momentum=0`` this is plain SGD, :math:`w \leftarrow w - \eta g`.

    Parameters
    ----------
    weights, gradient : array_like
        The current weights and the gradient of the loss there (same shape).
    velocity : array_like, optional
        The velocity after the previous step; zeros before the first.
    learning_rate : float
        :math:`\eta > 0`.
    momentum : float
        :math:`\mu` in [0, 1).

    Returns
    -------
    (ndarray, ndarray)
        The new weights and the new velocity.

    Examples
    --------
    >>> w, v = sgd_update([1.0, -2.0], [0.5, 1.0], learning_rate=0.1, momentum=0.9)
    >>> w.tolist(), v.tolist()
    ([0.95, -2.1], [-0.05, -0.1])
    >>> w, v = sgd_update(w, [0.5, 1.0], v, learning_rate=0.1, momentum=0.9)
    >>> v.round(6).tolist()  # 0.9 * (-0.05) - 0.1 * 0.5
    [-0.095, -0.19]
    """
    w = _vector(weights, "weights")
    g = _same_shape(w, gradient, "gradient")
    v = np.zeros_like(w) if velocity is None else _same_shape(w, velocity, "velocity")
    eta = _positive(learning_rate, "learning_rate")
    mu = _fraction(momentum, "momentum")
    v = mu * v - eta * g
    return w + v, v


def adam_update(
    weights: Any,
    gradient: Any,
    first_moment: Any,
    second_moment: Any,
    step: int,
    *,
    learning_rate: float,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""One step of Adam, computed as ``keras.optimizers.Adam`` computes it.

    Adam keeps running averages of the gradient and of its square,
    :math:`m \leftarrow \beta_1 m + (1 - \beta_1) g` and
    :math:`s \leftarrow \beta_2 s + (1 - \beta_2) g^2`, and moves every weight by
    :math:`\eta_t\, m / (\sqrt{s} + \epsilon)` with
    :math:`\eta_t = \eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t)`, the bias-corrected
    rate of step :math:`t` (the efficient form of Kingma and Ba's algorithm; Keras'
    default :math:`\epsilon` is ``1e-7``). Each weight's step is about :math:`\eta` in
    size whatever the scale of its gradient.

    Parameters
    ----------
    weights, gradient, first_moment, second_moment : array_like
        Same shape; the moments are zeros before the first step.
    step : int
        :math:`t`, counting from 1.
    learning_rate, beta_1, beta_2, epsilon : float
        :math:`\eta > 0`, :math:`\beta_1, \beta_2` in [0, 1), :math:`\epsilon > 0`.

    Returns
    -------
    (ndarray, ndarray, ndarray)
        The new weights, first moment and second moment.

    Examples
    --------
    >>> w, m, s = adam_update([1.0, 1.0], [4.0, 0.01], [0.0, 0.0], [0.0, 0.0], 1,
    ...                       learning_rate=0.1)
    >>> w.round(4).tolist()  # both weights move by about 0.1
    [0.9, 0.9]
    """
    w = _vector(weights, "weights")
    g = _same_shape(w, gradient, "gradient")
    m = _same_shape(w, first_moment, "first_moment")
    s = _same_shape(w, second_moment, "second_moment")
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 1:
        raise ValueError(f"step must be an integer >= 1, got {step!r}")
    eta = _positive(learning_rate, "learning_rate")
    b1, b2 = _fraction(beta_1, "beta_1"), _fraction(beta_2, "beta_2")
    eps = _positive(epsilon, "epsilon")
    m = b1 * m + (1 - b1) * g
    s = b2 * s + (1 - b2) * g**2
    rate = eta * np.sqrt(1 - b2**step) / (1 - b1**step)
    return w - rate * m / (np.sqrt(s) + eps), m, s


def descend(
    gradient: Any,
    start: Any,
    *,
    rule: str,
    learning_rate: float,
    steps: int,
    momentum: float = 0.9,
) -> np.ndarray:
    """The weights after each of ``steps`` updates of ``rule``, starting at ``start``.

    ``gradient`` is a function from weights to the gradient of the loss there; ``rule``
    is ``"sgd"``, ``"momentum"`` (SGD with ``momentum``) or ``"adam"`` (Keras'
    defaults). Returns an array of shape ``(steps + 1, *start.shape)`` whose first row
    is ``start``.

    Examples
    --------
    >>> path = descend(lambda w: 2 * w, [1.0], rule="sgd", learning_rate=0.25, steps=3)
    >>> path.ravel().tolist()  # each step halves w
    [1.0, 0.5, 0.25, 0.125]
    """
    if rule not in UPDATE_RULES:
        raise ValueError(f"rule must be one of {UPDATE_RULES}, got {rule!r}")
    if not callable(gradient):
        raise TypeError(f"gradient must be a function of the weights, got {gradient!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    w = _vector(start, "start")
    path = [w]
    velocity, m, s = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    for t in range(1, steps + 1):
        g = gradient(w)
        if rule == "adam":
            w, m, s = adam_update(w, g, m, s, t, learning_rate=learning_rate)
        else:
            mu = momentum if rule == "momentum" else 0.0
            w, velocity = sgd_update(w, g, velocity, learning_rate=learning_rate, momentum=mu)
        path.append(w)
    return np.stack(path)


# --------------------------------------------------------------------------- reading a history


def overfitting_report(
    history: dict[str, Sequence[float]],
    *,
    validation_name: str = "val",
    window: int = 3,
    tolerance: float = 0.02,
) -> dict[str, Any]:
    """Whether a training history shows overfitting, stated precisely.

    A model always scores better on its training images than on new ones, so a gap
    between training and validation accuracy alone is not overfitting. This function
    calls it overfitting when, after the epoch of lowest validation loss, *both*
    the validation loss has turned upward (its mean over the last ``window`` epochs
    exceeds the minimum by more than the fraction ``tolerance``) *and* the accuracy gap
    has grown (its mean over the last ``window`` epochs is larger than at that epoch).

    Parameters
    ----------
    history
        Per-epoch lists ``accuracy``, ``{validation_name}_accuracy`` and
        ``{validation_name}_loss`` (as :func:`train` returns), optionally ``epoch``.
    validation_name
        ``"val"``, or ``"test"`` for a run that watched the test set.
    window, tolerance
        How many final epochs are averaged (at least 1, fewer than the epochs), and the
        relative rise of the validation loss that counts as "turned upward".

    Returns
    -------
    dict
        ``best_epoch`` (of lowest validation loss, numbered as in ``epoch``),
        ``best_loss``, ``late_loss``, ``gap_at_best``, ``late_gap`` (accuracy gaps as
        fractions), ``loss_turned_up``, ``gap_grew`` and ``overfitting``.

    Examples
    --------
    >>> history = {"accuracy": [0.5, 0.7, 0.8, 0.9, 0.95],
    ...            "val_accuracy": [0.45, 0.6, 0.62, 0.61, 0.6],
    ...            "val_loss": [1.5, 1.2, 1.1, 1.2, 1.4]}
    >>> report = overfitting_report(history, window=2)
    >>> report["best_epoch"], report["overfitting"]
    (3, True)
    >>> steady = dict(history, val_loss=[1.5, 1.2, 1.1, 1.05, 1.0])  # a gap, but no rise
    >>> overfitting_report(steady, window=2)["overfitting"]
    False
    """
    if not isinstance(validation_name, str) or not validation_name:
        raise ValueError(f"validation_name must be a non-empty string, got {validation_name!r}")
    names = ("accuracy", f"{validation_name}_accuracy", f"{validation_name}_loss")
    missing = [n for n in names if n not in history]
    if missing:
        raise ValueError(f"history must have the per-epoch lists {names}; missing {missing}")
    train_acc, val_acc, val_loss = (_vector(history[n], n) for n in names)
    epochs = len(val_loss)
    if train_acc.shape != (epochs,) or val_acc.shape != (epochs,):
        raise ValueError(f"the lists {names} must be one-dimensional and of one length")
    if (
        isinstance(window, bool)
        or not isinstance(window, (int, np.integer))
        or not 1 <= window < epochs
    ):
        raise ValueError(
            f"window must be an integer from 1 to {epochs - 1} (fewer than the {epochs} epochs), "
            f"got {window!r}"
        )
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
        raise ValueError(f"tolerance must be a number >= 0, got {tolerance!r}")
    numbers = list(history.get("epoch", range(1, epochs + 1)))
    best = int(np.argmin(val_loss))
    gap = train_acc - val_acc
    late_loss = float(val_loss[-window:].mean())
    late_gap = float(gap[-window:].mean())
    loss_turned_up = best < epochs - window and late_loss > val_loss[best] * (1 + tolerance)
    gap_grew = best < epochs - window and late_gap > gap[best]
    return {
        "best_epoch": int(numbers[best]),
        "best_loss": float(val_loss[best]),
        "late_loss": late_loss,
        "gap_at_best": float(gap[best]),
        "late_gap": late_gap,
        "loss_turned_up": bool(loss_turned_up),
        "gap_grew": bool(gap_grew),
        "overfitting": bool(loss_turned_up and gap_grew),
    }


# --------------------------------------------------------------------------- provenance


def collect_provenance(
    command: Sequence[str] | str | None = None,
    data_source: Any = None,
    seed: int | None = None,
    *,
    checksums: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything needed to tell where a result came from, as a JSON-able dict.

    Parameters
    ----------
    command
        The command line (defaults to ``sys.argv``).
    data_source
        A :class:`convnotes.data.Cifar10` or :class:`convnotes.data.BookData` (its
        ``source`` and ``checksums`` are recorded), or a plain description string.
    seed
        The run's seed.
    checksums
        File checksums, when ``data_source`` is a string.
    """
    if command is None:
        command = [Path(sys.argv[0]).name, *sys.argv[1:]]
    data: dict[str, Any] = {}
    if data_source is not None and not isinstance(data_source, str):
        data["source"] = getattr(data_source, "source", repr(data_source))
        data["name"] = getattr(data_source, "name", "CIFAR-10")
        data["is_fallback"] = bool(getattr(data_source, "is_fallback", False))
        data["jpeg_derived"] = bool(getattr(data_source, "jpeg_derived", False))
        data["checksums_sha256"] = dict(getattr(data_source, "checksums", {}) or {})
    elif data_source is not None:
        data["source"] = data_source
    if checksums:
        data["checksums_sha256"] = dict(checksums)
    gpus = [
        {"name": d.name, **tf.config.experimental.get_device_details(d)}
        for d in tf.config.list_physical_devices("GPU")
    ]
    from convnotes.models import native_bfloat16

    record = runrecord.provenance(command, data=data, seed=seed)
    record["machine"]["native_bfloat16"] = native_bfloat16()  # GPUs count too
    record["machine"]["gpus"] = [
        {k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in gpus
    ]
    return record


# --------------------------------------------------------------------------- the command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        choices=["quick", "full"],
        default="quick",
        help="quick: the book's short run; full: the source material's "
        "protocol (50,000/10,000 images, 50 epochs, batch 32)",
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="cifar-10-batches-py (or its parent); default: $CONVNOTES_DATA, "
        "the cache, or the official download",
    )
    parser.add_argument(
        "--out", metavar="FILE.json", required=True, help="where to write the run record"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=positive_int, default=None, help="override the profile's")
    parser.add_argument(
        "--batch-size", type=positive_int, default=None, help="override the profile's"
    )
    parser.add_argument(
        "--train-per-class",
        type=positive_int,
        default=None,
        help="override the profile's training images per class",
    )
    parser.add_argument(
        "--val-per-class",
        type=non_negative_int,
        default=None,
        help="override the profile's validation images per class",
    )
    parser.add_argument(
        "--test-per-class",
        type=positive_int,
        default=None,
        help="override the profile's test images per class",
    )
    parser.add_argument("--augment", action="store_true", help="random flips and shifts")
    parser.add_argument(
        "--batch-norm",
        action="store_true",
        help="batch normalization after every convolution and hidden dense layer "
        "(same parameter budget)",
    )
    parser.add_argument(
        "--lr-schedule",
        choices=["constant", "cosine"],
        default="constant",
        help="cosine: decay the learning rate to zero over the run",
    )
    parser.add_argument(
        "--precision", choices=["auto", "float32", "mixed_bfloat16"], default="auto"
    )
    parser.add_argument(
        "--checkpoint-dir",
        metavar="DIR",
        default=None,
        help="default: FILE.json with .ckpt instead of .json",
    )
    parser.add_argument(
        "--restart",
        action="store_true",
        help="discard an existing checkpoint instead of resuming from it",
    )
    parser.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="let --profile full run on fewer than 50,000/10,000 images",
    )
    parser.add_argument(
        "--hyperparameters-from",
        metavar="RECORD.json",
        default=None,
        help="train the best configuration of a `convnotes tune` record of the cifar problem "
        "instead of the source material's best trial",
    )


def hyperparameters_from_record(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The best configuration of a ``convnotes tune`` record of the CIFAR-10 search.

    Raises ``ValueError`` naming ``--hyperparameters-from`` when the file is not such a
    record or its best trial lacks one of the six hyperparameters of
    :data:`convnotes.models.SEARCH_SPACE`.
    """
    from convnotes.models import SEARCH_SPACE

    try:
        record = runrecord.load_record(path)
    except (OSError, ValueError) as error:
        raise ValueError(f"--hyperparameters-from: cannot read {path}: {error}") from None
    if record["kind"] != runrecord.TUNE_KIND or record.get("problem") != "cifar":
        raise ValueError(
            f"--hyperparameters-from: {path} is not a record of `convnotes tune --problem cifar`"
        )
    best = (record.get("summary") or {}).get("best_hyperparameters") or {}
    missing = [name for name in SEARCH_SPACE if name not in best]
    if missing:
        raise ValueError(
            f"--hyperparameters-from: the best trial of {path} has no value for {missing}"
        )
    return {name: best[name] for name in SEARCH_SPACE}


def _profile_from_args(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from convnotes.data import get_profile

    prof = get_profile(args.profile)
    changes = {
        key: value
        for key, value in (
            ("epochs", args.epochs),
            ("batch_size", args.batch_size),
            ("train_per_class", args.train_per_class),
            ("val_per_class", args.val_per_class),
            ("test_per_class", args.test_per_class),
        )
        if value is not None
    }
    if changes:
        prof = replace(
            prof,
            name=f"{prof.name}-custom",
            **changes,
            description=prof.description
            + " (overridden: "
            + ", ".join(f"{k}={v}" for k, v in changes.items())
            + ")",
        )
    return prof


def _command_line(args: argparse.Namespace) -> str:
    """The ``convnotes train`` command that reproduces this run, every option spelled out."""
    parts = ["convnotes", "train", "--profile", args.profile]
    for option in (
        "data",
        "out",
        "seed",
        "epochs",
        "batch_size",
        "train_per_class",
        "val_per_class",
        "test_per_class",
        "precision",
        "checkpoint_dir",
        "hyperparameters_from",
    ):
        value = getattr(args, option, None)
        if value is not None:
            parts += ["--" + option.replace("_", "-"), str(value)]
    if getattr(args, "lr_schedule", "constant") != "constant":
        parts += ["--lr-schedule", args.lr_schedule]
    parts += [
        f"--{flag.replace('_', '-')}"
        for flag in ("augment", "batch_norm", "allow_incomplete")
        if getattr(args, flag)
    ]
    return " ".join(parts)


def run(args: argparse.Namespace) -> int:
    from convnotes import data as data_module
    from convnotes.models import (
        BEST_HYPERPARAMETERS,
        build_model,
        compile_model,
        make_learning_rate,
        resolve_precision,
    )

    began = time.perf_counter()
    prof = _profile_from_args(args)
    out = writable_file(args.out, "--out")
    cifar = data_module.load_cifar10(args.data)
    if args.profile == "full" and not cifar.is_complete and not args.allow_incomplete:
        raise CommandError(
            f"--profile full needs all 50,000 training and 10,000 test images; "
            f"{cifar.source}. Pass --allow-incomplete to run anyway."
        )
    try:
        book = data_module.book_data_from_cifar(cifar, prof, seed=args.seed)
    except ValueError as error:  # more images per class asked for than the data holds
        raise CommandError(str(error)) from None
    ckpt = Path(args.checkpoint_dir) if args.checkpoint_dir else out.with_suffix(".ckpt")
    hyperparameters = dict(BEST_HYPERPARAMETERS)
    if getattr(args, "hyperparameters_from", None):
        try:
            hyperparameters = hyperparameters_from_record(args.hyperparameters_from)
        except ValueError as error:
            raise CommandError(str(error)) from None
    precision = resolve_precision(args.precision)
    config = {
        "profile": prof.name,
        "profile_description": prof.description,
        "epochs": prof.epochs,
        "batch_size": prof.batch_size,
        "augment": args.augment,
        "batch_norm": args.batch_norm,
        "lr_schedule": args.lr_schedule,
        "precision": precision,
        "hyperparameters": hyperparameters,
        "sizes": book.sizes(),
        "seed": args.seed,
    }
    _prepare_checkpoint(ckpt, config, restart=args.restart)

    keras.utils.set_random_seed(args.seed)
    strategy = distribution_strategy()
    with strategy.scope():
        model = build_model(
            **hyperparameters,
            input_shape=book.input_shape,
            num_classes=book.num_classes,
            precision=precision,
            batch_norm=args.batch_norm,
            compile=False,
        )
        steps_per_epoch = -(-len(book.y_train) // prof.batch_size)
        compile_model(
            model,
            make_learning_rate(
                hyperparameters["learning_rate"],
                args.lr_schedule,
                decay_steps=prof.epochs * steps_per_epoch,
            ),
            hyperparameters["optimizer"],
        )
    validation = "val" if len(book.y_val) else "test"
    fit_data = book if len(book.y_val) else (book.x_train, book.y_train, book.x_test, book.y_test)
    history = train(
        model,
        fit_data,
        epochs=prof.epochs,
        batch_size=prof.batch_size,
        augment=args.augment,
        seed=args.seed,
        checkpoint_dir=ckpt,
        verbose=2 if sys.stdout.isatty() else 0,
        validation_name=validation,
    )
    metrics = {
        "train": evaluate(model, book.x_train, book.y_train, num_classes=book.num_classes),
        "test": evaluate(model, book.x_test, book.y_test, num_classes=book.num_classes),
    }
    if len(book.y_val):
        metrics["val"] = evaluate(model, book.x_val, book.y_val, num_classes=book.num_classes)
    record = runrecord.make_record(
        runrecord.TRAIN_KIND,
        config=config,
        metrics={split: jsonable_metrics(values) for split, values in metrics.items()},
        history=history,
        wall_time_s=time.perf_counter() - began,
        provenance=collect_provenance(
            command=_command_line(args), data_source=book, seed=args.seed
        ),
        model={
            "parameters": int(model.count_params()),
            "replicas": int(strategy.num_replicas_in_sync),
        },
        class_names=list(book.class_names),
        notes=(
            "Per-epoch 'test_*' values monitor the test set (no validation split in "
            "this profile); no choice was made on them."
            if validation == "test"
            else ""
        ),
    )
    runrecord.write_record(record, out)
    print(
        f"wrote {out}: test accuracy {metrics['test']['accuracy']:.4f}, "
        f"train accuracy {metrics['train']['accuracy']:.4f}"
    )
    return 0


def _prepare_checkpoint(ckpt: Path, config: dict[str, Any], *, restart: bool) -> None:
    marker = ckpt / "config.json"
    if restart and ckpt.exists():
        shutil.rmtree(ckpt)
    if marker.exists():
        # Checkpoints written before these options existed used their defaults.
        saved = {"batch_norm": False, "lr_schedule": "constant"}
        saved.update(json.loads(marker.read_text()))
        if saved != json.loads(json.dumps(config)):
            raise SystemExit(
                f"{ckpt} holds a checkpoint of a different configuration; "
                "pass --restart to discard it or choose --checkpoint-dir"
            )
        return
    ckpt.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(config, indent=2))
