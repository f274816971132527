"""Keras Tuner's tuners, each recording its trials, plus a resumable GridSearch and a
custom tuner; :func:`make_tuner` validates everything before a tuner exists.

Every tuner here is keras-tuner's own class with :class:`RecordingMixin` in front:
for each execution of a trial it writes ``trial_<id>/convnotes_runs.json`` (which
worker ran it, when, for how long, how many epochs, the process's memory). Those
files live next to keras-tuner's ``trial.json``, so a record can be rebuilt from the
project directory alone, also after a resumed or a distributed search
(:mod:`convnotes.tuning.records`).

Two classes change behaviour:

* :class:`GridSearch` uses :class:`ResumableGridSearchOracle`. keras-tuner 1.4.8's
  ``GridSearchOracle`` does not save its position in the grid, so a reloaded grid
  search stops without running a single new trial; this oracle rebuilds the position
  from the trials on disk.
* :class:`CustomTrainingTuner` overrides ``run_trial``: it tunes the batch size, a
  hyperparameter of ``fit`` rather than of the model, clears the Keras session
  itself, and reports the best epoch's metrics.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import json
import math
import os
import socket
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from convnotes._tf import import_keras
from convnotes.tuning._kt import import_keras_tuner
from convnotes.tuning.problems import (
    TUNER_NAMES,
    Budget,
    Problem,
    analytic_score,
    check_tuner_name,
)
from convnotes.tuning.records import RUNS_FILE
from convnotes.tuning.space import (
    check_objective,
    check_search_space,
    collect_search_space,
    grid_values,
    reported_metrics,
)

kt = import_keras_tuner()
keras = import_keras()

__all__ = ["TUNER_NAMES", "check_tuner_name", "make_tuner", "run_search", "best_values"]


def check_seed(seed: Any) -> int:
    """Return ``seed`` if it is a positive integer; Keras Tuner treats 0 as no seed.

    Examples
    --------
    >>> check_seed(7)
    7
    >>> check_seed(0)
    Traceback (most recent call last):
    ...
    ValueError: seed must be a positive integer, got 0 (Keras Tuner treats 0 as no seed)
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 1:
        raise ValueError(
            f"seed must be a positive integer, got {seed!r}"
            + (" (Keras Tuner treats 0 as no seed)" if seed == 0 else "")
        )
    return seed


def memory_mb() -> tuple[float | None, float]:
    """``(current, peak)`` resident memory of this process in MiB (current: Linux only)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / 2**20 if sys.platform == "darwin" else peak / 2**10
    current = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    if current is not None:
        peak_mb = max(peak_mb, current)
    return current, peak_mb


def _gradient_registry() -> dict[str, Any]:
    from tensorflow.python.framework import ops

    return ops._gradient_registry._registry


def release_traced_graphs(keep: set[str] | frozenset[str] = frozenset()) -> int:
    """Free the graphs TensorFlow keeps alive for models that no longer exist.

    ``keras.backend.clear_session()`` is not enough with TensorFlow 2.21 and Keras
    3: every trace of a training step wraps the optimizer's gradient all-reduce in
    ``tf.custom_gradient``, which registers a gradient function under a fresh name
    (``CustomGradient-<n>``) in TensorFlow's process-wide gradient registry. The
    registry is never pruned, and each entry's closure keeps the whole traced graph
    alive, a few MiB per trial. The entries are only read while a step is being
    traced, so dropping those not in ``keep`` between trials is safe. Returns how many
    were dropped; when there were any, the garbage collector runs to free the graphs.
    """
    registry = _gradient_registry()
    stale = [name for name in registry if name.startswith("CustomGradient-") and name not in keep]
    for name in stale:
        del registry[name]
    if stale:
        gc.collect()
    return len(stale)


class RecordingMixin:
    """Record every execution of a trial in ``trial_<id>/convnotes_runs.json``.

    Each execution records its worker, start and end, epochs, memory and
    ``history``: the metrics of every epoch (``epoch`` counts from 1 and, for a
    Hyperband trial that resumes its parent, continues the parent's count).

    With ``release_graphs`` true (the default) the graphs traced during a trial are
    released when it ends (:func:`release_traced_graphs`), so memory stays flat over
    a long search.
    """

    release_graphs: bool = True

    def on_trial_begin(self, trial: Any) -> None:
        self._cn_start = time.perf_counter()
        self._cn_epochs = 0
        self._cn_history: list[dict[str, float]] = []
        self._cn_registered = frozenset(_gradient_registry())
        self._cn_write_run(
            trial,
            {
                "tuner_id": self.tuner_id,
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "started": time.time(),
                "status": "RUNNING",
            },
            append=True,
        )
        super().on_trial_begin(trial)

    def on_epoch_end(self, trial: Any, model: Any, epoch: int, logs: Any = None) -> None:
        self._cn_epochs += 1
        # keras-tuner keeps only each metric's best value; the curve is kept here.
        metrics = {name: float(value) for name, value in (logs or {}).items()}
        self._cn_history.append({"epoch": epoch + 1, **metrics})
        parent = getattr(super(), "on_epoch_end", None)
        if parent is not None:
            parent(trial, model, epoch, logs=logs)

    def on_trial_end(self, trial: Any) -> None:
        wall = time.perf_counter() - self._cn_start
        if self.release_graphs:
            release_traced_graphs(keep=self._cn_registered)
        current, peak = memory_mb()
        self._cn_write_run(
            trial,
            {
                "ended": time.time(),
                "wall_time_s": wall,
                "epochs": self._cn_epochs,
                "history": self._cn_history,
                "status": str(trial.status),
                "rss_mb": current,
                "peak_rss_mb": peak,
            },
            append=False,
        )
        super().on_trial_end(trial)

    def _cn_write_run(self, trial: Any, fields: dict[str, Any], append: bool) -> None:
        path = Path(self.get_trial_dir(trial.trial_id)) / RUNS_FILE
        runs = json.loads(path.read_text()) if path.exists() else []
        if append or not runs:
            runs.append(fields)
        else:
            runs[-1].update(fields)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(runs, indent=1))
        tmp.replace(path)


class RandomSearch(RecordingMixin, kt.RandomSearch):
    """keras-tuner's RandomSearch, recording its trials."""


class Hyperband(RecordingMixin, kt.Hyperband):
    """keras-tuner's Hyperband, recording its trials."""


class BayesianOptimization(RecordingMixin, kt.BayesianOptimization):
    """keras-tuner's BayesianOptimization (Gaussian process, UCB), recording its trials."""


class SklearnTuner(RecordingMixin, kt.SklearnTuner):
    """keras-tuner's SklearnTuner (cross-validated scikit-learn models), recording its trials."""


def _grid_position(space: Any, values: dict[str, Any]) -> tuple[int, ...]:
    """Odometer position of ``values`` in GridSearch's order (inactive entries first)."""
    position = []
    for hp in space.space:
        if hp.name in values:
            position.append(grid_values(hp).index(values[hp.name]))
        else:
            position.append(-1)
    return tuple(position)


class ResumableGridSearchOracle(kt.oracles.GridSearchOracle):
    """GridSearchOracle that finds its place in the grid again after a reload.

    The parent keeps the visited configurations in a linked list in grid order and
    a queue of finished trials whose successors are still to be generated; neither
    is part of its saved state. After reloading, both are rebuilt from the trials
    on disk: every visited configuration in grid order, and every finished trial
    queued again (the parent skips those whose successor already exists).
    """

    def reload(self) -> None:
        super().reload()
        from keras_tuner.src.tuners.gridsearch import LinkedList

        space = self.get_space()
        ids = sorted(
            self.trials,
            key=lambda tid: _grid_position(space, self.trials[tid].hyperparameters.values),
        )
        self._ordered_ids = LinkedList()
        for trial_id in ids:
            self._ordered_ids.insert(trial_id)
        ended = set(self.end_order)
        self._populate_next = [trial_id for trial_id in ids if trial_id in ended]


class GridSearch(RecordingMixin, kt.Tuner):
    """keras-tuner's GridSearch with :class:`ResumableGridSearchOracle`, recording its trials."""

    def __init__(
        self,
        hypermodel: Any = None,
        objective: Any = None,
        max_trials: int | None = None,
        seed: int | None = None,
        hyperparameters: Any = None,
        **kwargs: Any,
    ) -> None:
        self.seed = seed
        oracle = ResumableGridSearchOracle(
            objective=objective, max_trials=max_trials, seed=seed, hyperparameters=hyperparameters
        )
        super().__init__(oracle=oracle, hypermodel=hypermodel, **kwargs)


BATCH_SIZES = (16, 32, 64, 128)


class CustomTrainingTuner(RecordingMixin, kt.RandomSearch):
    """A RandomSearch whose ``run_trial`` also tunes the batch size of ``fit``.

    ``run_trial`` is the part of a tuner that turns hyperparameter values into a
    score, so overriding it can tune anything: here a ``fit`` argument that the
    hypermodel never sees. It clears the Keras session first (the built-in tuners
    do this in ``Tuner._try_build``), trains, and returns the metrics of the best
    epoch as a dictionary, which the oracle reads the objective from.
    """

    def __init__(self, hypermodel: Any = None, hyperparameters: Any = None, **kwargs: Any) -> None:
        if hyperparameters is None:
            hyperparameters = kt.HyperParameters()
        hyperparameters.Choice("batch_size", list(BATCH_SIZES), default=64)
        super().__init__(hypermodel=hypermodel, hyperparameters=hyperparameters, **kwargs)

    def run_trial(
        self,
        trial: Any,
        x: Any,
        y: Any,
        *,
        epochs: int = 1,
        validation_data: Any = None,
        batch_size: int | None = None,
        **fit_kwargs: Any,
    ) -> dict[str, float]:
        import numpy as np

        hp = trial.hyperparameters
        keras.backend.clear_session()
        gc.collect()
        model = self.hypermodel.build(hp)
        counter = keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: self.on_epoch_end(trial, model, epoch, logs)
        )
        fit_kwargs.pop("callbacks", None)
        history = model.fit(
            x,
            y,
            validation_data=validation_data,
            epochs=epochs,
            batch_size=hp["batch_size"],
            callbacks=[counter],
            **fit_kwargs,
        )
        objective = self.oracle.objective
        curve = np.asarray(history.history[objective.name])
        best = int(np.argmax(curve) if objective.direction == "max" else np.argmin(curve))
        return {name: float(values[best]) for name, values in history.history.items()}


class AnalyticMixin:
    """Replace training by :func:`convnotes.tuning.problems.analytic_score`.

    Trains nothing; reports the score a trial would have after its epochs (for
    Hyperband, its ``tuner/epochs``), after sleeping ``trial_delay`` seconds, so the
    search machinery can be exercised quickly and deterministically.
    """

    trial_delay: float = 0.0

    def run_trial(self, trial: Any, *args: Any, epochs: int = 1, **kwargs: Any) -> dict:
        values = trial.hyperparameters.values
        stop = int(values.get("tuner/epochs", epochs))
        for epoch in range(int(values.get("tuner/initial_epoch", 0)), stop):
            self.on_epoch_end(
                trial, None, epoch, {"val_accuracy": analytic_score(values, epoch + 1)}
            )
        if self.trial_delay:
            time.sleep(self.trial_delay)
        return {"val_accuracy": analytic_score(values, stop)}


@functools.cache
def _analytic_class(base: type) -> type:
    return type(
        f"Analytic{base.__name__}",
        (AnalyticMixin, base),
        {"__doc__": f"{base.__name__} scoring trials with the analytic function."},
    )


KERAS_TUNERS: dict[str, type] = {
    "random": RandomSearch,
    "grid": GridSearch,
    "hyperband": Hyperband,
    "bayesian": BayesianOptimization,
    "custom": CustomTrainingTuner,
}


def is_distributed_worker() -> bool:
    """True in a process that keras-tuner's environment variables make a worker."""
    tuner_id = os.environ.get("KERASTUNER_TUNER_ID", "")
    return "KERASTUNER_ORACLE_IP" in os.environ and "chief" not in tuner_id


@contextlib.contextmanager
def quiet_stdout(quiet: bool = True) -> Iterator[None]:
    """Silence keras-tuner's progress prints (``Reloading Tuner from ...``) when ``quiet``."""
    if quiet:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    else:
        yield


def objective_metrics(problem: Problem, tuner_name: str) -> list[str]:
    """The metric names a trial of ``problem`` reports under ``tuner_name``."""
    if problem.kind == "analytic":
        return ["val_accuracy"]
    if problem.kind == "sklearn":
        return ["score"]
    space = collect_search_space(problem.hypermodel)
    hp = kt.HyperParameters()
    hp.merge(space.space)
    from keras_tuner.src.engine import hypermodel as hm_module

    with quiet_stdout():
        model = hm_module.get_hypermodel(problem.hypermodel).build(hp)
    validation = "validation_data" in problem.fit_kwargs or "validation_split" in problem.fit_kwargs
    names = reported_metrics(model, validation)
    keras.backend.clear_session()
    return names


def make_tuner(
    name: str,
    problem: Problem,
    budget: Budget,
    *,
    directory: str | Path,
    project_name: str | None = None,
    overwrite: bool = True,
    seed: int = 1,
    objective: str | None = None,
    trial_delay: float = 0.0,
    quiet: bool = True,
) -> Any:
    """Validate the request, then build the tuner ``name`` for ``problem`` and ``budget``.

    Raised before any tuner or file exists, each naming the problem: an unknown
    tuner name; a tuner that cannot run this problem (SklearnTuner needs a
    scikit-learn model, the others a Keras one); a search space with an inverted or
    single-valued range; an objective that no metric of the model matches.

    ``seed`` must be a positive integer: Keras Tuner's oracles take ``seed or
    random.randint(1, 10000)``, so a seed of 0 silently means "unseeded".

    In a keras-tuner worker process (``KERASTUNER_TUNER_ID`` without "chief") the
    project is never overwritten: the chief owns it.
    """
    name = check_tuner_name(name)
    check_seed(seed)
    if name == "sklearn" and problem.kind != "sklearn":
        raise ValueError(
            f"the sklearn tuner needs a scikit-learn hypermodel; problem "
            f"{problem.name!r} builds {problem.kind} models (use 'digits-sklearn')"
        )
    if name != "sklearn" and problem.kind == "sklearn":
        raise ValueError(
            f"tuner {name!r} trains Keras models; problem {problem.name!r} "
            "builds scikit-learn models (use --tuner sklearn)"
        )
    if name == "custom" and problem.kind == "analytic":
        raise ValueError("the custom tuner trains a Keras model; problem 'analytic' has none")
    objective = objective or problem.objective
    check_search_space(collect_search_space(problem.hypermodel))
    check_objective(objective, objective_metrics(problem, name), where="the model")
    direction = (
        "max"
        if objective == "score"
        else kt.engine.metrics_tracking.infer_metric_direction(objective)
    )
    if direction is None:
        raise ValueError(
            f"cannot tell whether objective {objective!r} should be maximized "
            "or minimized; use a metric name such as val_accuracy or val_loss"
        )
    kt_objective = kt.Objective(objective, direction)

    project_name = project_name or f"{problem.name}_{name}"
    if is_distributed_worker():
        overwrite = False
    common: dict[str, Any] = {
        "directory": str(directory),
        "project_name": project_name,
        "overwrite": overwrite,
    }
    with quiet_stdout(quiet):
        if name == "sklearn":
            from sklearn.model_selection import StratifiedKFold

            oracle = kt.oracles.RandomSearchOracle(
                objective=kt_objective, max_trials=budget.max_trials, seed=seed
            )
            tuner = SklearnTuner(
                oracle=oracle,
                hypermodel=problem.hypermodel,
                cv=StratifiedKFold(budget.cv_folds, shuffle=True, random_state=seed),
                **common,
            )
        else:
            cls = KERAS_TUNERS[name]
            if problem.kind == "analytic":
                cls = _analytic_class(cls)
            kwargs: dict[str, Any] = {
                "hypermodel": problem.hypermodel,
                "objective": kt_objective,
                "seed": seed,
                **common,
            }
            if name == "hyperband":
                kwargs.update(
                    max_epochs=budget.max_epochs,
                    factor=budget.factor,
                    hyperband_iterations=budget.hyperband_iterations,
                )
            else:
                kwargs["max_trials"] = budget.max_trials
            if name == "bayesian":
                kwargs["num_initial_points"] = budget.num_initial_points
            tuner = cls(**kwargs)
            if problem.kind == "analytic":
                tuner.trial_delay = trial_delay
    if is_distributed_worker():
        _pause_when_idle(tuner.oracle)
    else:
        tuner.oracle.verbose = 0 if quiet else 1
    return tuner


def _pause_when_idle(client: Any, seconds: float = 0.2) -> None:
    """Make a worker wait a moment after the chief answers IDLE.

    ``BaseTuner.search`` asks again at once, so without a pause a worker waiting
    for a Hyperband round or a grid step to finish elsewhere spins on gRPC calls.
    """
    create_trial = client.create_trial

    def patient_create_trial(tuner_id: str) -> Any:
        trial = create_trial(tuner_id)
        if trial.status == "IDLE":
            time.sleep(seconds)
        return trial

    client.create_trial = patient_create_trial


def search_arguments(
    problem: Problem, budget: Budget, tuner_name: str
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Positional and keyword arguments for ``tuner.search`` on ``problem``."""
    if problem.kind == "sklearn":
        return problem.fit_args, {}
    kwargs = dict(problem.fit_kwargs)
    kwargs["epochs"] = budget.epochs
    if check_tuner_name(tuner_name) == "custom":
        kwargs.pop("batch_size", None)
    return problem.fit_args, kwargs


def run_search(
    tuner: Any,
    problem: Problem,
    budget: Budget,
    tuner_name: str,
    *,
    seed: int = 1,
    quiet: bool = True,
) -> float:
    """Run ``tuner.search`` on ``problem``; return the wall time in seconds.

    Keras' global random seed is set to ``seed`` first, so weight initialisation
    and shuffling repeat from run to run (up to the nondeterminism of parallel
    floating-point reductions; see the chapter).
    """
    keras.utils.set_random_seed(seed)
    args, kwargs = search_arguments(problem, budget, tuner_name)
    start = time.perf_counter()
    with quiet_stdout(quiet):
        tuner.search(*args, **kwargs)
    return time.perf_counter() - start


def best_values(tuner: Any) -> dict[str, Any]:
    """The best trial's hyperparameter values, without Hyperband's ``tuner/`` entries."""
    best = tuner.get_best_hyperparameters(1)[0].values
    return {k: v for k, v in best.items() if not k.startswith("tuner/")}


def holdout_score(tuner: Any, problem: Problem) -> float:
    """Refit SklearnTuner's best configuration on the training split; accuracy on validation.

    SklearnTuner scores by cross-validation on the training data; this gives a number
    comparable with the Keras tuners' validation accuracy.
    """
    hp = tuner.get_best_hyperparameters(1)[0]
    model = problem.hypermodel(hp)
    model.fit(*problem.train)
    score = float(model.score(*problem.validation))
    if not math.isfinite(score):  # pragma: no cover
        raise RuntimeError("non-finite hold-out score")
    return score


def saved_model_predictions(
    tuner: Any, trial_id: str, images: Any, *, batch_size: int = 500
) -> Any:
    """The classes that the model Keras Tuner saved for trial ``trial_id`` predicts.

    The built-in tuners keep, for every trial, the weights of its best epoch (the
    epoch whose objective became the trial's score); ``tuner.load_model`` rebuilds the
    trial's model and loads them. The model is called directly (no ``predict``), so
    nothing is traced, on ``batch_size`` images at a time (a whole test set at once
    would hold every image's feature maps in memory). Returns an integer array with
    one class per image.

    Raises ``ValueError`` for an unknown trial or one without saved weights (a
    failed trial, or a tuner whose ``run_trial`` saves no model, such as
    :class:`CustomTrainingTuner`).
    """
    import numpy as np

    if trial_id not in tuner.oracle.trials:
        raise ValueError(f"trial_id: no trial {trial_id!r} in this tuner's project")
    checkpoint = Path(tuner._get_checkpoint_fname(trial_id))
    if not checkpoint.exists():
        raise ValueError(f"trial_id: trial {trial_id!r} has no saved model ({checkpoint.name})")
    if len(images) == 0:
        raise ValueError("images must hold at least one image")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    with quiet_stdout():
        model = tuner.load_model(tuner.oracle.get_trial(trial_id))
    classes = [
        np.argmax(keras.ops.convert_to_numpy(model(images[i : i + batch_size], training=False)), -1)
        for i in range(0, len(images), batch_size)
    ]
    return np.concatenate(classes)


def saved_model_accuracy(tuner: Any, trial_id: str, data: tuple[Any, Any]) -> float:
    """Accuracy on ``data`` (images, integer labels) of the model saved for ``trial_id``.

    Scoring a trial's saved model on images the search never saw
    (:func:`~convnotes.tuning.problems.hold_out_test`) shows how optimistic the
    trial's score is (:mod:`convnotes.tuning.selection`). See
    :func:`saved_model_predictions` for the model and the errors raised.
    """
    import numpy as np

    x, y = data
    if len(x) != len(y):
        raise ValueError(f"data must be (images, labels) of one length, got {len(x)} and {len(y)}")
    predicted = saved_model_predictions(tuner, trial_id, x)
    return float(np.mean(predicted == np.asarray(y).reshape(-1)))


def compare_tuners(
    names: Sequence[str],
    *,
    directory: str | Path,
    seed: int = 1,
    profile: str = "quick",
    problem: str = "digits",
    test_fraction: float | None = None,
    **overrides: Any,
) -> list[dict[str, Any]]:
    """Run each tuner in ``names`` on the same problem and budget; one result per tuner.

    Keras tuners run on ``problem``; ``sklearn`` runs on its scikit-learn twin
    (``digits-sklearn``), scored by cross-validation and then, for the comparison,
    by refitting its best configuration and scoring it on the same validation split.
    With ``test_fraction``, that share of the validation images is held out of every
    search (:func:`~convnotes.tuning.problems.hold_out_test`, the same images for
    each tuner) and left in the result's ``problem.test``.
    Each result has ``tuner``, ``best``, ``trials``, ``epochs`` (``None`` for
    sklearn), ``fits``, ``seconds`` (wall time of the search), ``curve``
    (:func:`~convnotes.tuning.records.best_so_far`), ``trials_data``,
    ``best_hyperparameters``, and the ``tuner_object`` and ``problem`` it ran on.
    """
    from convnotes.tuning import records
    from convnotes.tuning.problems import budget_for, hold_out_test, make_problem

    results = []
    for name in names:
        name = check_tuner_name(name)
        problem_name = f"{problem}-sklearn" if name == "sklearn" else problem
        budget = budget_for(problem_name, profile, **overrides)
        prob = make_problem(problem_name, budget, seed=0)
        if test_fraction is not None:
            prob = hold_out_test(prob, test_fraction, seed=0)
        tuner = make_tuner(
            name, prob, budget, directory=directory, seed=seed, project_name=f"compare_{name}"
        )
        seconds = run_search(tuner, prob, budget, name, seed=seed)
        trials = records.read_trials(tuner.project_dir)
        direction = tuner.oracle.objective.direction
        best = records.best_trial(trials, direction)
        sklearn = name == "sklearn"
        results.append(
            {
                "tuner": name,
                "best": holdout_score(tuner, prob) if sklearn else best["score"],
                "cv_score": best["score"] if sklearn else None,
                "trials": len(trials),
                "epochs": None if sklearn else sum(t["epochs"] or 0 for t in trials),
                "fits": budget.cv_folds * len(trials) if sklearn else len(trials),
                "seconds": seconds,
                "curve": [] if sklearn else records.best_so_far(trials, direction),
                "trials_data": trials,
                "best_hyperparameters": best["hyperparameters"],
                "tuner_object": tuner,
                "problem": prob,
            }
        )
    return results


class SearchInterrupted(kt.errors.FatalError):
    """Raised by :func:`interrupt_after` to stop a search the way a crash would."""


def interrupt_after(tuner: Any, trials: int) -> None:
    """Make ``tuner.search`` stop with :class:`SearchInterrupted` once ``trials`` are done.

    The next trial has begun when the error is raised (the oracle has saved it as
    running), so the project on disk looks like that of a process killed mid-trial.
    """
    if isinstance(trials, bool) or not isinstance(trials, int) or trials < 0:
        raise ValueError(f"trials must be a non-negative integer, got {trials!r}")
    run_trial = tuner.run_trial
    started = 0

    def run_or_stop(trial: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal started
        started += 1
        if started > trials:
            raise SearchInterrupted(f"search interrupted during trial {trial.trial_id}")
        return run_trial(trial, *args, **kwargs)

    tuner.run_trial = run_or_stop
