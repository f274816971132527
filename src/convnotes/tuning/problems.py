"""Search problems: a hypermodel, the data to fit it on, and the budgets of each profile.

Four problems share one interface (:class:`Problem`):

``digits``
    scikit-learn's 8x8 handwritten digits with a small Keras CNN whose search space
    has every hyperparameter type, including a conditional one. It trains in about a
    second per trial, so every tuner can run in the book's build.
``digits-sklearn``
    the same digits with scikit-learn estimators (an SVM or a random forest, chosen by
    a hyperparameter), for ``SklearnTuner``.
``cifar``
    CIFAR-10 (or the digits fallback of :func:`convnotes.data.load_book_data`) with
    :class:`convnotes.models.CifarHyperModel`, the source material's six
    hyperparameters.
``analytic``
    no training at all: a trial's score is a known function of its hyperparameters
    and of the epochs it is given (:func:`analytic_score`). It exercises the search
    machinery (resuming, several workers, seeds) in seconds.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

PROBLEMS: tuple[str, ...] = ("digits", "digits-sklearn", "cifar", "analytic")
TUNER_NAMES: tuple[str, ...] = ("random", "grid", "hyperband", "bayesian", "sklearn", "custom")
_ALIASES = {
    "randomsearch": "random",
    "gridsearch": "grid",
    "bayesianoptimization": "bayesian",
    "bayes": "bayesian",
    "sklearntuner": "sklearn",
    "customtrainingtuner": "custom",
}
PROFILES: tuple[str, ...] = ("quick", "full")


@dataclass(frozen=True)
class Budget:
    """How much a search may spend.

    ``max_trials`` bounds RandomSearch, GridSearch, BayesianOptimization, SklearnTuner
    and the custom tuner; ``epochs`` is what each of their trials trains. Hyperband
    ignores both and spends ``max_epochs``/``factor``/``hyperband_iterations``
    (see :func:`convnotes.tuning.schedule.keras_tuner_schedule`).
    ``num_initial_points`` is BayesianOptimization's count of random trials before
    its Gaussian process proposes points. ``train_size`` caps the training images
    (``None``: all that the data profile provides).
    """

    max_trials: int
    epochs: int
    max_epochs: int
    factor: int = 3
    hyperband_iterations: int = 1
    batch_size: int = 64
    num_initial_points: int = 3
    cv_folds: int = 3
    train_size: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


BUDGETS: dict[tuple[str, str], Budget] = {
    ("digits", "quick"): Budget(max_trials=4, epochs=2, max_epochs=3),
    ("digits", "full"): Budget(max_trials=30, epochs=10, max_epochs=10, num_initial_points=10),
    ("digits-sklearn", "quick"): Budget(max_trials=4, epochs=1, max_epochs=1),
    ("digits-sklearn", "full"): Budget(
        max_trials=30, epochs=1, max_epochs=1, num_initial_points=10, cv_folds=5
    ),
    ("cifar", "quick"): Budget(max_trials=6, epochs=2, max_epochs=3, train_size=1000),
    ("cifar", "full"): Budget(max_trials=30, epochs=10, max_epochs=10, num_initial_points=10),
    ("analytic", "quick"): Budget(max_trials=12, epochs=3, max_epochs=9),
    ("analytic", "full"): Budget(max_trials=30, epochs=10, max_epochs=27),
}


@dataclass
class Problem:
    """Everything a tuner needs besides its own settings."""

    name: str
    kind: str  # "keras", "sklearn" or "analytic"
    hypermodel: Any
    objective: str
    fit_args: tuple[Any, ...] = ()
    fit_kwargs: dict[str, Any] = field(default_factory=dict)
    data_source: str = ""
    validation: tuple[Any, Any] | None = None
    train: tuple[Any, Any] | None = None
    book_data: Any = None
    test: tuple[Any, Any] | None = None


def budget_for(problem: str, profile: str = "quick", **overrides: Any) -> Budget:
    """The budget of ``problem`` under ``profile``, with fields replaced by ``overrides``.

    Examples
    --------
    >>> budget_for("digits", "quick").max_epochs
    3
    >>> budget_for("digits", "quick", max_trials=4).max_trials
    4
    """
    check_problem(problem)
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
    budget = BUDGETS[(problem, profile)]
    unknown = set(overrides) - set(budget.as_dict())
    if unknown:
        raise TypeError(
            f"unknown budget fields {sorted(unknown)}; known: {sorted(budget.as_dict())}"
        )
    for key, value in overrides.items():
        if value is None and key != "train_size":
            continue
        minimum = 2 if key == "factor" else 1
        if key != "train_size" or value is not None:
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise ValueError(f"{key} must be an integer >= {minimum}, got {value!r}")
    return replace(
        budget, **{k: v for k, v in overrides.items() if v is not None or k == "train_size"}
    )


def check_tuner_name(name: str) -> str:
    """The canonical tuner name for ``name`` (case, ``-`` and ``_`` ignored; class names accepted).

    Examples
    --------
    >>> check_tuner_name("RandomSearch"), check_tuner_name("bayesian_optimization")
    ('random', 'bayesian')
    >>> check_tuner_name("hyperbnd")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown tuner 'hyperbnd'; choose one of: random, ... (did you mean 'hyperband'?)
    """
    import difflib

    if not isinstance(name, str):
        raise TypeError(f"tuner name must be a string, got {type(name).__name__}")
    key = name.lower().replace("-", "").replace("_", "")
    key = _ALIASES.get(key, key)
    if key in TUNER_NAMES:
        return key
    close = difflib.get_close_matches(name.lower(), [*TUNER_NAMES, *_ALIASES], n=1)
    hint = f" (did you mean {_ALIASES.get(close[0], close[0])!r}?)" if close else ""
    raise ValueError(f"unknown tuner {name!r}; choose one of: {', '.join(TUNER_NAMES)}{hint}")


def check_problem(name: str) -> str:
    """Return ``name`` if it is a known problem, else raise ``ValueError`` listing them."""
    if name not in PROBLEMS:
        raise ValueError(f"unknown problem {name!r}; choose one of: {', '.join(PROBLEMS)}")
    return name


def hold_out_test(problem: Problem, fraction: float = 0.5, *, seed: int = 0) -> Problem:
    """A copy of ``problem`` whose validation images are cut in two, stratified by label.

    The search still scores its trials on ``validation`` (``1 - fraction`` of the
    images, also passed to ``fit`` as ``validation_data``); ``test`` holds the rest,
    which no search sees, so the chosen model can be scored without selection bias.
    The training images are unchanged.

    Parameters
    ----------
    problem
        A problem with a validation split (``digits``, ``digits-sklearn``, ``cifar``).
    fraction
        Share of the validation images moved to ``test``, strictly between 0 and 1.
    seed
        Seed of the stratified split.

    Examples
    --------
    >>> digits = make_problem("digits", budget_for("digits"))
    >>> split = hold_out_test(digits, 0.5)
    >>> len(split.validation[1]), len(split.test[1]), len(digits.validation[1])
    (299, 300, 599)
    >>> split.fit_kwargs["validation_data"][1] is split.validation[1]
    True
    >>> hold_out_test(digits, 1.0)
    Traceback (most recent call last):
    ...
    ValueError: fraction must be a number strictly between 0 and 1, got 1.0
    """
    from sklearn.model_selection import train_test_split

    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a Problem, got {type(problem).__name__}")
    if problem.validation is None:
        raise ValueError(
            f"problem {problem.name!r} has no validation split to hold a test set out of"
        )
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 < fraction < 1:
        raise ValueError(f"fraction must be a number strictly between 0 and 1, got {fraction!r}")
    x, y = problem.validation
    x_val, x_test, y_val, y_test = train_test_split(
        x, y, test_size=fraction, stratify=y, random_state=seed
    )
    fit_kwargs = dict(problem.fit_kwargs)
    if "validation_data" in fit_kwargs:
        fit_kwargs["validation_data"] = (x_val, y_val)
    return replace(problem, validation=(x_val, y_val), test=(x_test, y_test), fit_kwargs=fit_kwargs)


# --------------------------------------------------------------------------- digits


def load_digits_split(seed: int = 0, val_fraction: float = 1 / 3) -> dict[str, Any]:
    """scikit-learn's digits as 8x8x1 images in [0, 1], split stratified into train/val.

    Examples
    --------
    >>> split = load_digits_split(seed=0)
    >>> split["x_train"].shape, split["x_val"].shape
    ((1198, 8, 8, 1), (599, 8, 8, 1))
    """
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32).reshape(-1, 8, 8, 1)
    x_train, x_val, y_train, y_val = train_test_split(
        x, y.astype(np.int32), test_size=val_fraction, stratify=y, random_state=seed
    )
    return {"x_train": x_train, "y_train": y_train, "x_val": x_val, "y_val": y_val}


def declare_digits_space(hp: Any) -> None:
    """The digits CNN's search space: every hyperparameter type, one of them conditional.

    ``conv_layers`` Int 1..2, ``filters`` Int 8..32 step 8, ``units`` Int 32..128
    step 32, ``dropout`` Boolean with ``dropout_rate`` Float 0.1..0.5 step 0.2 active
    only when ``dropout`` is true, ``learning_rate`` Float 1e-3..3e-2 on a log scale,
    ``optimizer`` Choice adam/sgd.
    """
    hp.Int("conv_layers", 1, 2)
    hp.Int("filters", 8, 32, step=8)
    hp.Int("units", 32, 128, step=32)
    use_dropout = hp.Boolean("dropout", default=False)
    with hp.conditional_scope("dropout", [True]):
        if use_dropout:
            hp.Float("dropout_rate", 0.1, 0.5, step=0.2)
    hp.Float("learning_rate", 1e-3, 3e-2, sampling="log", default=3e-3)
    hp.Choice("optimizer", ["adam", "sgd"])


def build_digits_model(hp: Any) -> Any:
    """Build and compile the digits CNN for the values in ``hp`` (a HyperParameters).

    Block ``i`` (from 0) is a 3x3 convolution with ``filters * 2**i`` filters and a
    2x2 max pooling; then a dense layer of ``units`` (optionally followed by dropout)
    and a 10-way softmax. Loss: sparse categorical cross-entropy; metric: accuracy.
    """
    from convnotes._tf import import_keras

    keras = import_keras()
    declare_digits_space(hp)
    model = keras.Sequential([keras.Input((8, 8, 1))])
    for block in range(hp["conv_layers"]):
        model.add(
            keras.layers.Conv2D(hp["filters"] * 2**block, 3, padding="same", activation="relu")
        )
        model.add(keras.layers.MaxPooling2D(2))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(hp["units"], activation="relu"))
    if hp["dropout"]:
        model.add(keras.layers.Dropout(hp["dropout_rate"]))
    model.add(keras.layers.Dense(10, activation="softmax"))
    optimizer = (keras.optimizers.Adam if hp["optimizer"] == "adam" else keras.optimizers.SGD)(
        learning_rate=hp["learning_rate"]
    )
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def declare_sklearn_space(hp: Any) -> None:
    """Search space of the scikit-learn estimators: a model family and its own parameters."""
    family = hp.Choice("model", ["svc", "random_forest"])
    with hp.conditional_scope("model", ["svc"]):
        if family == "svc":
            hp.Float("C", 0.1, 100.0, sampling="log")
            hp.Float("gamma", 1e-4, 1e-1, sampling="log")
    with hp.conditional_scope("model", ["random_forest"]):
        if family == "random_forest":
            hp.Int("n_estimators", 10, 100, step=30)
            hp.Int("max_depth", 2, 16, step=2)


def build_sklearn_model(hp: Any) -> Any:
    """A scikit-learn classifier for the values in ``hp``: an RBF SVM or a random forest."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.svm import SVC

    declare_sklearn_space(hp)
    if hp["model"] == "svc":
        return SVC(C=hp["C"], gamma=hp["gamma"])
    return RandomForestClassifier(
        n_estimators=hp["n_estimators"], max_depth=hp["max_depth"], random_state=0, n_jobs=1
    )


# --------------------------------------------------------------------------- analytic


def declare_analytic_space(hp: Any) -> None:
    """Four hyperparameters for :func:`analytic_score` (same names as a small CNN's)."""
    hp.Int("layers", 1, 3)
    hp.Int("units", 32, 256, step=32)
    hp.Float("learning_rate", 1e-4, 1e-1, sampling="log")
    hp.Choice("optimizer", ["adam", "sgd"])


def analytic_score(values: dict[str, Any], epochs: int) -> float:
    """A made-up "validation accuracy" after ``epochs`` epochs, known in closed form.

    The ceiling is 0.95 at ``learning_rate = 3e-3``, ``units = 160``, ``layers = 2``
    with Adam, and falls off smoothly away from it; accuracy approaches the ceiling as
    ``1 - exp(-epochs / 3)``. Deterministic, so search order is the only variable.

    Examples
    --------
    >>> best = {"layers": 2, "units": 160, "learning_rate": 3e-3, "optimizer": "adam"}
    >>> round(analytic_score(best, 1000), 3)
    0.95
    >>> analytic_score(best, 1) < analytic_score(best, 3)
    True
    """
    if epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs}")
    distance = (
        0.08 * (math.log10(values["learning_rate"]) - math.log10(3e-3)) ** 2
        + 0.05 * ((values["units"] - 160) / 96) ** 2
        + 0.03 * (values["layers"] - 2) ** 2
        + (0.06 if values["optimizer"] == "sgd" else 0.0)
    )
    ceiling = max(0.1, 0.95 - distance)
    return 0.1 + (ceiling - 0.1) * (1.0 - math.exp(-epochs / 3.0))


# --------------------------------------------------------------------------- factory


def make_problem(
    name: str, budget: Budget, *, seed: int = 0, data_profile: str = "quick"
) -> Problem:
    """Build the :class:`Problem` called ``name`` (see :data:`PROBLEMS`)."""
    check_problem(name)
    if name == "analytic":
        from convnotes.tuning._kt import import_keras_tuner

        kt = import_keras_tuner()

        class AnalyticHyperModel(kt.HyperModel):
            def build(self, hp: Any) -> None:
                declare_analytic_space(hp)

        return Problem(
            name=name,
            kind="analytic",
            hypermodel=AnalyticHyperModel(),
            objective="val_accuracy",
            data_source="analytic function",
        )
    if name in ("digits", "digits-sklearn"):
        split = load_digits_split(seed=seed)
        source = "scikit-learn digits (1,797 8x8 images)"
        if name == "digits-sklearn":
            x_train = split["x_train"].reshape(len(split["x_train"]), -1)
            x_val = split["x_val"].reshape(len(split["x_val"]), -1)
            return Problem(
                name=name,
                kind="sklearn",
                hypermodel=build_sklearn_model,
                objective="score",
                fit_args=(x_train, split["y_train"]),
                data_source=source,
                validation=(x_val, split["y_val"]),
                train=(x_train, split["y_train"]),
            )
        return Problem(
            name=name,
            kind="keras",
            hypermodel=build_digits_model,
            objective="val_accuracy",
            fit_args=(split["x_train"], split["y_train"]),
            fit_kwargs={
                "validation_data": (split["x_val"], split["y_val"]),
                "batch_size": budget.batch_size,
                "verbose": 0,
            },
            data_source=source,
            validation=(split["x_val"], split["y_val"]),
            train=(split["x_train"], split["y_train"]),
        )
    # cifar
    from convnotes.data import load_book_data, train_val_split
    from convnotes.models import CifarHyperModel

    data = load_book_data(profile=data_profile, seed=seed)
    x_train, y_train, x_val, y_val = data.x_train, data.y_train, data.x_val, data.y_val
    if len(y_val) == 0:  # the full profile trains on everything: hold out 10% to score
        x_train, y_train, x_val, y_val = train_val_split(x_train, y_train, 0.1, seed=seed)
    if budget.train_size is not None and budget.train_size < len(x_train):
        x_train, y_train = x_train[: budget.train_size], y_train[: budget.train_size]
    x_train = x_train.astype("float32") / 255.0
    x_val = x_val.astype("float32") / 255.0
    return Problem(
        name=name,
        kind="keras",
        hypermodel=CifarHyperModel(input_shape=data.input_shape, num_classes=data.num_classes),
        objective="val_accuracy",
        fit_args=(x_train, y_train),
        fit_kwargs={
            "validation_data": (x_val, y_val),
            "batch_size": budget.batch_size,
            "verbose": 0,
        },
        data_source=data.name,
        validation=(x_val, y_val),
        train=(x_train, y_train),
        book_data=data,
    )
