"""Search spaces: what each hyperparameter type samples, what GridSearch enumerates,
and the checks that reject a bad space or objective before any training starts.

Keras Tuner draws a random value of a hyperparameter by drawing ``u`` uniform in
[0, 1) and mapping it through the hyperparameter's ``prob_to_value``; GridSearch
walks through ``hp.values`` with the default first. :func:`random_samples` and
:func:`grid_values` call exactly those methods, so they show what a real search does.
"""

from __future__ import annotations

import contextlib
import io
import types
from collections.abc import Callable
from typing import Any

from convnotes.tuning._kt import import_keras_tuner


def random_samples(hp: Any, n: int, seed: int = 0) -> list[Any]:
    """``n`` values of ``hp`` drawn the way RandomSearch draws them (seeds ``seed .. seed+n-1``).

    Examples
    --------
    >>> import keras_tuner as kt
    >>> hp = kt.engine.hyperparameters.Int("units", 128, 256, step=64)
    >>> sorted(set(random_samples(hp, 200)))
    [128, 192, 256]
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return [hp.random_sample(seed + i) for i in range(n)]


def grid_values(hp: Any) -> list[Any]:
    """The values GridSearch tries for ``hp``, in its order: the default, then the others.

    Examples
    --------
    >>> import keras_tuner as kt
    >>> grid_values(kt.engine.hyperparameters.Int("filters", 8, 32, step=8))
    [8, 16, 24, 32]
    >>> grid_values(kt.engine.hyperparameters.Choice("lr", [1e-4, 5e-4, 1e-3], default=1e-3))
    [0.001, 0.0001, 0.0005]
    """
    values = list(hp.values)
    if hp.default in values:
        values.remove(hp.default)
    return [hp.default, *values]


def describe(hp: Any) -> str:
    """A one-line description of ``hp`` as it would be declared."""
    kind = type(hp).__name__
    config = hp.get_config()
    if kind in ("Int", "Float"):
        parts = [f"{config['min_value']:g}", f"{config['max_value']:g}"]
        if config.get("step") is not None:
            parts.append(f"step={config['step']:g}")
        if config.get("sampling", "linear") != "linear":
            parts.append(f"sampling={config['sampling']!r}")
        text = f"{kind}({hp.name!r}, {', '.join(parts)})"
    elif kind == "Choice":
        text = f"Choice({hp.name!r}, {list(config['values'])!r})"
    elif kind == "Fixed":
        text = f"Fixed({hp.name!r}, {config['value']!r})"
    else:
        text = f"{kind}({hp.name!r})"
    if hp.conditions:
        cond = " and ".join(f"{c.name} in {list(c.values)!r}" for c in hp.conditions)
        text += f"  [only if {cond}]"
    return text


def collect_search_space(hypermodel: Any) -> Any:
    """The full search space of ``hypermodel``, conditional hyperparameters included.

    Keras Tuner builds the model repeatedly until every conditional scope has been
    active once (``BaseTuner._activate_all_conditions``); this runs the same routine
    against a throw-away oracle, so nothing is written to disk. Errors raised while
    declaring hyperparameters (an inverted range, an empty ``Choice``) come out as a
    ``ValueError`` that says it is the search space that is wrong.
    """
    kt = import_keras_tuner()
    from keras_tuner.src.engine import hypermodel as hm_module

    probe = types.SimpleNamespace(
        oracle=kt.oracles.RandomSearchOracle(), hypermodel=hm_module.get_hypermodel(hypermodel)
    )
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            hp = probe.oracle.get_space()
            probe.hypermodel.declare_hyperparameters(hp)
            probe.oracle.update_space(hp)
            kt.engine.base_tuner.BaseTuner._activate_all_conditions(probe)
    except (ValueError, TypeError) as error:
        raise ValueError(f"invalid search space: {error}") from error
    return probe.oracle.get_space()


def gaussian_process_inputs(space: Any, values: dict[str, Any]) -> dict[str, float]:
    """The numbers BayesianOptimization's Gaussian process sees for one trial's ``values``.

    Keras Tuner 1.4.8 (``BayesianOptimizationOracle._vectorize_trials``) embeds every
    hyperparameter of ``space`` except ``Fixed`` ones in [0, 1] with
    ``hp.value_to_prob``: a number by its place in the range (on the sampling rule's
    scale), a ``Choice`` or ``Boolean`` by the index of its value,
    ``(index + 0.5) / count``. A hyperparameter that is inactive in the trial (or
    missing from ``values``) gets its default's position, so the process cannot tell
    "switched off" from "on, at the default".

    Examples
    --------
    >>> import keras_tuner as kt
    >>> hp = kt.HyperParameters()
    >>> optimizer = hp.Choice("optimizer", ["adam", "sgd", "rmsprop"])
    >>> [round(gaussian_process_inputs(hp, {"optimizer": v})["optimizer"], 3)
    ...  for v in ["adam", "sgd", "rmsprop"]]
    [0.167, 0.5, 0.833]
    """
    kt = import_keras_tuner()
    if not isinstance(values, dict):
        raise TypeError(
            f"values must be a dict of hyperparameter values, got {type(values).__name__}"
        )
    trial = space.copy()
    unknown = set(values) - {hp.name for hp in trial.space}
    if unknown:
        raise ValueError(f"values: {sorted(unknown)} are not in the search space")
    trial.values = dict(values)
    inputs = {}
    for hp in trial.space:
        if isinstance(hp, kt.engine.hyperparameters.Fixed):
            continue
        value = values[hp.name] if trial.is_active(hp) and hp.name in values else hp.default
        inputs[hp.name] = float(hp.value_to_prob(value))
    return inputs


def count_values(hp: Any) -> int | None:
    """How many distinct values ``hp`` can take; ``None`` for a continuous Float."""
    kind = type(hp).__name__
    if kind in ("Int", "Float") and hp.step is None:
        if kind == "Float":
            return 1 if hp.min_value == hp.max_value else None
        return hp.max_value - hp.min_value + 1
    return len(set(hp.values))


def check_search_space(space: Any) -> Any:
    """Reject hyperparameters that leave nothing to tune; return ``space`` unchanged.

    A range whose ``step`` is larger than ``max_value - min_value``, or whose ends are
    equal, gives a single value: declare it with ``hp.Fixed`` instead. A space without
    any hyperparameter is rejected too.
    """
    if not space.space:
        raise ValueError("the search space is empty: the hypermodel declares no hyperparameters")
    for hp in space.space:
        kind = type(hp).__name__
        if kind in ("Fixed", "Boolean"):
            continue
        n = count_values(hp)
        if n is not None and n < 2:
            only = grid_values(hp)[0]
            if kind in ("Int", "Float"):
                detail = f"min_value={hp.min_value}, max_value={hp.max_value}, step={hp.step}"
            else:
                detail = f"values={list(hp.values)}"
            raise ValueError(
                f"hyperparameter {hp.name!r} can take only one value ({only!r}; {detail}); "
                f"widen the range or declare it with hp.Fixed({hp.name!r}, {only!r})"
            )
    return space


def reported_metrics(model: Any, validation: bool) -> list[str]:
    """The names ``model.fit`` will log for a compiled Keras ``model``.

    ``loss`` and every compiled metric, each also with a ``val_`` prefix when fit is
    given validation data.
    """
    config = model.get_compile_config() or {}
    names = ["loss"]
    metrics = config.get("metrics") or []
    if isinstance(metrics, dict):
        metrics = [
            m for value in metrics.values() for m in (value if isinstance(value, list) else [value])
        ]
    for metric in metrics:
        if isinstance(metric, str):
            names.append(metric)
        elif isinstance(metric, dict):
            names.append(metric.get("config", {}).get("name") or metric.get("class_name", ""))
        else:
            names.append(getattr(metric, "name", str(metric)))
    if validation:
        names += [f"val_{name}" for name in names]
    return names


def check_objective(objective: str, available: list[str], where: str) -> str:
    """Raise ``ValueError`` unless ``objective`` is one of the ``available`` metric names.

    Examples
    --------
    >>> check_objective("val_accuracy", ["loss", "accuracy", "val_loss", "val_accuracy"], "x")
    'val_accuracy'
    >>> names = ["loss", "accuracy", "val_loss", "val_accuracy"]
    >>> check_objective("val_acc", names, "the model")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: objective 'val_acc' matches no metric ...; did you mean 'val_accuracy'?
    """
    if objective in available:
        return objective
    import difflib

    close = difflib.get_close_matches(objective, available, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    if objective.startswith("val_") and not any(a.startswith("val_") for a in available):
        hint = "; a val_ metric needs validation data (validation_data=...)"
    raise ValueError(
        f"objective {objective!r} matches no metric that {where} reports "
        f"({', '.join(available)}){hint}"
    )


def _drive_oracle(
    oracle_class: Any, declare: Callable[[Any], Any], directory: str | None, **kwargs: Any
) -> list[dict[str, Any]]:
    """Every configuration ``oracle_class`` proposes for ``declare``'s space, scoring each 0."""
    import tempfile

    kt = import_keras_tuner()

    class _Declare(kt.HyperModel):
        def build(self, hp: Any) -> None:
            declare(hp)

    space = collect_search_space(_Declare())
    oracle = oracle_class(objective=kt.Objective("score", "max"), hyperparameters=space, **kwargs)
    oracle.verbose = 0
    visited = []
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        oracle._set_project_dir(tmp, "drive")
        with contextlib.redirect_stdout(io.StringIO()):
            while True:
                trial = oracle.create_trial("tuner0")
                if trial.status != "RUNNING":
                    break
                visited.append(dict(trial.hyperparameters.values))
                oracle.update_trial(trial.trial_id, {"score": 0.0})
                trial.status = "COMPLETED"
                oracle.end_trial(trial)
    return visited


def enumerate_grid(
    declare: Callable[[Any], Any], max_trials: int | None = None, directory: str | None = None
) -> list[dict[str, Any]]:
    """The configurations a real GridSearch oracle visits for the space ``declare(hp)`` builds.

    Drives keras-tuner's ``GridSearchOracle`` with made-up results (nothing is
    trained), so conditional hyperparameters are handled exactly as in a search.
    """
    kt = import_keras_tuner()
    return _drive_oracle(kt.oracles.GridSearchOracle, declare, directory, max_trials=max_trials)


def random_draws(
    declare: Callable[[Any], Any], n: int, *, seed: int = 1, directory: str | None = None
) -> list[dict[str, Any]]:
    """The values of the first ``n`` trials a real RandomSearch oracle proposes for ``declare``.

    Like :func:`enumerate_grid`, nothing is trained: the oracle is driven with made-up
    scores (random search ignores them), so what comes out is exactly what a seeded
    search would try, inactive conditional hyperparameters left out.

    Examples
    --------
    >>> def declare(hp):
    ...     kind = hp.Choice("model", ["a", "b"])
    ...     with hp.conditional_scope("model", ["b"]):
    ...         if kind == "b":
    ...             hp.Int("depth", 1, 3)
    >>> draws = random_draws(declare, 4, seed=3)
    >>> all(("depth" in d) == (d["model"] == "b") for d in draws), len(draws)
    (True, 4)

    The space has only four configurations, and the oracle never repeats one, so a
    fifth trial is never proposed: ``random_draws(declare, 6)`` returns four.
    """
    kt = import_keras_tuner()
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 1:
        raise ValueError(
            f"seed must be a positive integer, got {seed!r} (Keras Tuner treats 0 as no seed)"
        )
    return _drive_oracle(kt.oracles.RandomSearchOracle, declare, directory, max_trials=n, seed=seed)


def tour_hyperparameters() -> list[Any]:
    """One example of each hyperparameter type and sampling rule (the chapter's tour)."""
    hp_types = import_keras_tuner().engine.hyperparameters
    return [
        hp_types.Boolean("dropout"),
        hp_types.Choice("optimizer", ["adam", "sgd"]),
        hp_types.Choice("learning_rate", [1e-4, 5e-4, 1e-3]),
        hp_types.Fixed("batch_size", 32),
        hp_types.Int("dense_layers", 1, 4),
        hp_types.Int("units", 128, 256, step=64),
        hp_types.Int("filters", 8, 64, step=2, sampling="log"),
        hp_types.Float("dropout_rate", 0.1, 0.5, step=0.2),
        hp_types.Float("learning_rate", 1e-4, 1e-1, sampling="log"),
        hp_types.Float("beta_2", 0.9, 0.9999, sampling="reverse_log"),
    ]


def hyperparameter_tour(n_samples: int = 8, seed: int = 0) -> list[dict[str, Any]]:
    """For each of :func:`tour_hyperparameters`: its declaration, grid and random draws.

    Examples
    --------
    >>> tour = hyperparameter_tour()
    >>> tour[5]["declaration"], tour[5]["grid"]
    ("Int('units', 128, 256, step=64)", [128, 192, 256])
    """
    # Separate seeds per hyperparameter, as the oracle advances its seed for every draw.
    return [
        {
            "declaration": describe(hp),
            "grid": grid_values(hp),
            "samples": random_samples(hp, n_samples, seed + 1000 * index),
        }
        for index, hp in enumerate(tour_hyperparameters())
    ]
