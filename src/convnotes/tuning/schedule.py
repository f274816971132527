"""Hyperband's bracket/round schedule, as keras-tuner 1.4 runs it and as the paper states it.

Hyperband :cite:`li2018hyperband` runs *successive halving* several times with
different trade-offs between "many models, few epochs" and "few models, many
epochs". One run of successive halving is a *bracket*; inside a bracket, each
*round* keeps the best ``1/factor`` of the models and trains them ``factor``
times longer.

Two functions give the schedule without training anything:

* :func:`keras_tuner_schedule` reproduces keras-tuner 1.4's ``HyperbandOracle``
  (``_get_num_brackets``, ``_get_size``, ``_get_epochs``) including its
  floating-point arithmetic, so its trial and epoch counts are those of a real
  search (the tests check them against the oracle itself, see
  :func:`observed_schedule`);
* :func:`paper_schedule` is Algorithm 1 of Li et al. (2018), whose Table 1 is
  the case ``R = 81``, ``eta = 3``.

In keras-tuner every round of every bracket creates *new trials*: a model
promoted to round ``i`` is a new trial that loads the weights of its parent and
trains from epoch ``initial_epoch`` to ``epochs``. So the number of trials a
search reports counts promotions too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Round:
    """One round of one bracket: ``models`` models trained to ``epochs`` epochs.

    ``initial_epoch`` is the epoch the models start from: 0 in a bracket's first
    round, and the previous round's ``epochs`` in the next rounds when training
    resumes from the parent's weights (as keras-tuner does).
    """

    iteration: int
    bracket: int
    round: int
    models: int
    epochs: int
    initial_epoch: int

    @property
    def epochs_resumed(self) -> int:
        """Epochs this round trains when each promoted model continues its parent's training."""
        return self.models * (self.epochs - self.initial_epoch)

    @property
    def epochs_from_scratch(self) -> int:
        """Epochs this round trains when each model is retrained from scratch."""
        return self.models * self.epochs


@dataclass(frozen=True)
class HyperbandSchedule:
    """All rounds of a Hyperband search, in the order they run."""

    rounds: tuple[Round, ...]
    source: str

    @property
    def trials(self) -> int:
        """Trials keras-tuner reports: one per model per round."""
        return sum(r.models for r in self.rounds)

    @property
    def configurations(self) -> int:
        """Distinct hyperparameter configurations: the models of the first rounds."""
        return sum(r.models for r in self.rounds if r.round == 0)

    @property
    def epochs(self) -> int:
        """Total epochs trained when promoted models resume their parent's training."""
        return sum(r.epochs_resumed for r in self.rounds)

    @property
    def epochs_from_scratch(self) -> int:
        """Total epochs trained when every round retrains its models from scratch."""
        return sum(r.epochs_from_scratch for r in self.rounds)

    def brackets(self) -> list[tuple[int, int]]:
        """The ``(iteration, bracket)`` pairs in run order."""
        seen: list[tuple[int, int]] = []
        for r in self.rounds:
            if (r.iteration, r.bracket) not in seen:
                seen.append((r.iteration, r.bracket))
        return seen

    def per_round(self) -> list[dict[str, int]]:
        """Models per kind of round, summed over brackets' iterations.

        A round is identified by its index, the epoch it starts from and the epoch it
        trains to, which also determine its bracket. This is the comparison to use for
        a search run by several workers: their trials interleave, and keras-tuner
        1.4.8 then labels a promoted trial's ``tuner/bracket`` with the bracket being
        filled when the trial was created rather than the bracket it belongs to.
        """
        totals: dict[tuple[int, int, int], int] = {}
        for r in self.rounds:
            key = (r.round, r.initial_epoch, r.epochs)
            totals[key] = totals.get(key, 0) + r.models
        return [
            {"round": k[0], "initial_epoch": k[1], "epochs": k[2], "models": n}
            for k, n in sorted(totals.items())
        ]

    def table(self) -> list[dict[str, int]]:
        """The rounds as plain dictionaries (for tables and JSON)."""
        return [
            {
                "iteration": r.iteration,
                "bracket": r.bracket,
                "round": r.round,
                "models": r.models,
                "epochs": r.epochs,
                "initial_epoch": r.initial_epoch,
                "epochs_trained": r.epochs_resumed,
            }
            for r in self.rounds
        ]


def _check_budget(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return value


def keras_tuner_num_brackets(max_epochs: int, factor: int) -> int:
    """Number of brackets keras-tuner 1.4 uses: how often ``max_epochs`` can be divided
    by ``factor`` while staying at least one epoch (``HyperbandOracle._get_num_brackets``).

    Examples
    --------
    >>> keras_tuner_num_brackets(10, 3), keras_tuner_num_brackets(81, 3)
    (3, 5)
    """
    _check_budget("max_epochs", max_epochs, 1)
    _check_budget("factor", factor, 2)
    epochs: float = max_epochs
    brackets = 0
    while epochs >= 1:
        epochs = epochs / factor
        brackets += 1
    return brackets


def keras_tuner_schedule(
    max_epochs: int, factor: int = 3, hyperband_iterations: int = 1
) -> HyperbandSchedule:
    """The rounds keras-tuner 1.4's ``Hyperband`` runs for these settings.

    Bracket ``s`` (from the most aggressive, ``s = brackets - 1``, down to 0) has
    ``s + 1`` rounds. Round ``i`` trains ``ceil(E / (s + 1) * factor**(s - i))``
    models to ``ceil(max_epochs / factor**(s - i))`` epochs, where
    ``E = ceil(1 + log_factor(max_epochs))``. The whole sweep repeats
    ``hyperband_iterations`` times.

    Examples
    --------
    The source material's search, ``max_epochs=10, factor=3``, runs 30 trials:

    >>> schedule = keras_tuner_schedule(10, 3)
    >>> [(r.bracket, r.round, r.models, r.epochs) for r in schedule.rounds]
    [(2, 0, 12, 2), (2, 1, 4, 4), (2, 2, 2, 10), (1, 0, 6, 4), (1, 1, 2, 10), (0, 0, 4, 10)]
    >>> schedule.trials, schedule.configurations, schedule.epochs
    (30, 22, 120)
    """
    _check_budget("max_epochs", max_epochs, 1)
    _check_budget("factor", factor, 2)
    _check_budget("hyperband_iterations", hyperband_iterations, 1)
    num_brackets = keras_tuner_num_brackets(max_epochs, factor)
    # Same expressions, in the same floating-point order, as HyperbandOracle.
    bracket0_end_size = math.ceil(1 + math.log(max_epochs, factor))

    def size(bracket: int, round_num: int) -> int:
        bracket_end_size = bracket0_end_size / (bracket + 1)
        return math.ceil(bracket_end_size * factor ** (bracket - round_num))

    def epochs(bracket: int, round_num: int) -> int:
        return math.ceil(max_epochs / factor ** (bracket - round_num))

    rounds = []
    for iteration in range(hyperband_iterations):
        for bracket in range(num_brackets - 1, -1, -1):
            for round_num in range(bracket + 1):
                rounds.append(
                    Round(
                        iteration=iteration,
                        bracket=bracket,
                        round=round_num,
                        models=size(bracket, round_num),
                        epochs=epochs(bracket, round_num),
                        initial_epoch=0 if round_num == 0 else epochs(bracket, round_num - 1),
                    )
                )
    return HyperbandSchedule(tuple(rounds), source="keras-tuner 1.4")


def paper_schedule(max_resource: int, eta: int = 3) -> HyperbandSchedule:
    """Algorithm 1 of Li et al. (2018) with ``R = max_resource`` and ``eta``.

    ``s_max = floor(log_eta(R))`` and ``B = (s_max + 1) R``. Bracket ``s`` starts
    ``n = ceil(B / R * eta**s / (s + 1))`` configurations with ``r = R eta**-s``
    resources; round ``i`` keeps ``n_i = floor(n eta**-i)`` of them with
    ``r_i = r eta**i`` resources each. Resources are reported as integers when
    ``R`` is a power of ``eta`` (the paper's setting); otherwise ``r_i`` is
    rounded down, at least 1.

    Examples
    --------
    The paper's Table 1 (``R = 81``, ``eta = 3``), first round of each bracket:

    >>> schedule = paper_schedule(81, 3)
    >>> [(r.models, r.epochs) for r in schedule.rounds if r.round == 0]
    [(81, 1), (34, 3), (15, 9), (8, 27), (5, 81)]
    """
    _check_budget("max_resource", max_resource, 1)
    _check_budget("eta", eta, 2)
    # Integer s_max = floor(log_eta(R)), without floating-point surprises.
    s_max = 0
    while eta ** (s_max + 1) <= max_resource:
        s_max += 1
    budget = (s_max + 1) * max_resource
    rounds = []
    for s in range(s_max, -1, -1):
        # n = ceil(B / R * eta^s / (s + 1)) in exact integer arithmetic.
        n = -(-budget * eta**s // (max_resource * (s + 1)))
        previous = 0
        for i in range(s + 1):
            n_i = n // eta**i
            r_i = max(1, (max_resource * eta**i) // eta**s)
            rounds.append(
                Round(
                    iteration=0, bracket=s, round=i, models=n_i, epochs=r_i, initial_epoch=previous
                )
            )
            previous = r_i
    return HyperbandSchedule(tuple(rounds), source="Li et al. (2018), Algorithm 1")


def schedule_from_trials(trials: Iterable[dict[str, Any]]) -> HyperbandSchedule:
    """Rebuild the schedule from the ``tuner/*`` values of trials in creation order.

    Each item is a trial's hyperparameter values (it needs ``tuner/bracket``,
    ``tuner/round``, ``tuner/epochs`` and ``tuner/initial_epoch``). A new
    iteration starts at an explicit ``iteration`` entry, or else when the bracket
    number goes up again, which identifies
    iterations when trials ran one after another; with several workers, brackets
    interleave, so compare :meth:`HyperbandSchedule.per_round` instead.
    """
    counts: dict[tuple[int, int, int, int, int], int] = {}
    iteration, last_bracket = 0, None
    for values in trials:
        bracket = int(values["tuner/bracket"])
        if "iteration" in values:
            iteration = int(values["iteration"])
        elif last_bracket is not None and bracket > last_bracket:
            iteration += 1
        last_bracket = bracket
        key = (
            iteration,
            bracket,
            int(values["tuner/round"]),
            int(values["tuner/epochs"]),
            int(values["tuner/initial_epoch"]),
        )
        counts[key] = counts.get(key, 0) + 1
    rounds = [
        Round(iteration=k[0], bracket=k[1], round=k[2], models=n, epochs=k[3], initial_epoch=k[4])
        for k, n in counts.items()
    ]
    rounds.sort(key=lambda r: (r.iteration, -r.bracket, r.round))
    return HyperbandSchedule(tuple(rounds), source="keras-tuner oracle run")


def observed_schedule(
    max_epochs: int,
    factor: int = 3,
    hyperband_iterations: int = 1,
    *,
    directory: str | Path,
    hyperparameters: Any = None,
    seed: int = 0,
) -> HyperbandSchedule:
    """Run a real keras-tuner ``HyperbandOracle`` with made-up scores and record its rounds.

    Nothing is trained: each trial the oracle creates is immediately reported with
    a random ``val_accuracy`` and ended, exactly as a tuner would after training.
    The oracle writes its usual files under ``directory``.

    ``hyperparameters`` is the search space (a ``keras_tuner.HyperParameters``);
    by default one integer with a million values, so that random configurations
    never collide. A small space can make the real oracle stop early: it gives up
    after 20 consecutive duplicate configurations.
    """
    import numpy as np

    from convnotes.tuning._kt import import_keras_tuner

    kt = import_keras_tuner()
    if hyperparameters is None:
        hyperparameters = kt.HyperParameters()
        hyperparameters.Int("configuration", 0, 999_999)
    oracle = kt.oracles.HyperbandOracle(
        objective=kt.Objective("val_accuracy", "max"),
        max_epochs=max_epochs,
        factor=factor,
        hyperband_iterations=hyperband_iterations,
        seed=seed,
        hyperparameters=hyperparameters,
    )
    oracle.verbose = 0
    oracle._set_project_dir(str(directory), f"hyperband_{max_epochs}_{factor}_{seed}")
    rng = np.random.default_rng(seed)
    created = []
    while True:
        trial = oracle.create_trial("tuner0")
        if trial.status == "STOPPED":
            break
        if trial.status == "IDLE":  # pragma: no cover - cannot happen with one tuner
            raise RuntimeError("oracle idle with a single tuner")
        created.append({**trial.hyperparameters.values, "iteration": oracle._current_iteration})
        oracle.update_trial(
            trial.trial_id,
            {"val_accuracy": float(rng.random())},
            step=int(trial.hyperparameters.values["tuner/epochs"]),
        )
        trial.status = "COMPLETED"
        oracle.end_trial(trial)
    return schedule_from_trials(created)
