"""Resident memory over a long search, with and without releasing traced graphs.

    python -m convnotes.tuning.memory --trials 20 --out results/tuning-memory.json

runs the same 20-trial RandomSearch twice in one process: first with Keras Tuner's
own behaviour (``clear_session`` before each model), then with
:func:`convnotes.tuning.tuners.release_traced_graphs` after each trial, and records
the resident memory after every trial with the run's provenance. The chapter plots
that record; the tests check the released case live.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from convnotes import runrecord

RECORD_KIND = runrecord.TUNE_MEMORY_KIND


def measure_memory(
    n_trials: int, *, release_graphs: bool, directory: str | Path, seed: int = 1
) -> list[float]:
    """Resident memory (MiB) after each of ``n_trials`` trials of a small dense network.

    A RandomSearch over the width of one hidden layer (8 to 512 units), each trial
    trained one epoch on the flattened 8x8 digits; ``release_graphs=False`` gives
    Keras Tuner's own behaviour (``clear_session`` only).
    """
    from convnotes.tuning import records
    from convnotes.tuning.problems import Problem, budget_for, load_digits_split
    from convnotes.tuning.tuners import keras, make_tuner, run_search

    split = load_digits_split(seed=0)
    x = split["x_train"].reshape(len(split["x_train"]), -1)

    def build(hp: Any) -> Any:
        model = keras.Sequential(
            [
                keras.Input((64,)),
                keras.layers.Dense(hp.Int("units", 8, 512, step=8), activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    problem = Problem(
        name="memory",
        kind="keras",
        hypermodel=build,
        objective="accuracy",
        fit_args=(x, split["y_train"]),
        fit_kwargs={"batch_size": 256, "verbose": 0},
    )
    budget = budget_for("digits", "quick", max_trials=n_trials, epochs=1)
    tuner = make_tuner(
        "random",
        problem,
        budget,
        directory=directory,
        seed=seed,
        project_name=f"memory_{'released' if release_graphs else 'kept'}",
    )
    tuner.release_graphs = release_graphs
    run_search(tuner, problem, budget, "random", seed=seed)
    return [t["rss_mb"] for t in records.read_trials(tuner.project_dir)]


def record_memory(n_trials: int = 20, seed: int = 1) -> runrecord.TuneMemoryRecord:
    """Both measurements, Keras Tuner's behaviour first, as a run record."""
    from convnotes.training import collect_provenance

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        kept = measure_memory(n_trials, release_graphs=False, directory=directory, seed=seed)
        released = measure_memory(n_trials, release_graphs=True, directory=directory, seed=seed)
    record = runrecord.make_record(
        RECORD_KIND,
        config={"trials": n_trials, "seed": seed},
        trials=n_trials,
        rss_mb={"clear_session_only": kept, "graphs_released": released},
        wall_time_s=time.perf_counter() - start,
        provenance=collect_provenance(
            command=f"python -m convnotes.tuning.memory --trials {n_trials} --seed {seed}",
            data_source="scikit-learn digits (1,797 8x8 images)",
            seed=seed,
        ),
    )
    return record  # type: ignore[return-value]


def load_memory_record(path: str | Path) -> runrecord.TuneMemoryRecord:
    """Read a record written by this module (:func:`convnotes.runrecord.load_record`).

    Kept for the chapters (``book/*/tuning.md``); ``ValueError`` names ``path`` when the
    file holds another kind of record.
    """
    return runrecord.load_record(path, kind=RECORD_KIND)  # type: ignore[return-value]


def per_trial_growth(rss: list[float]) -> float:
    """Average growth in MiB per trial after the first (a least-squares slope).

    Examples
    --------
    >>> round(per_trial_growth([100.0, 104.0, 108.0, 112.0]), 6)
    4.0
    """
    import numpy as np

    if len(rss) < 3:
        raise ValueError(f"need at least 3 measurements, got {len(rss)}")
    values = np.asarray(rss[1:], dtype=float)
    return float(np.polyfit(np.arange(len(values)), values, 1)[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m convnotes.tuning.memory", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("results/tuning-memory.json"))
    args = parser.parse_args(argv)
    if args.trials < 3:
        parser.error(f"--trials must be at least 3, got {args.trials}")
    record = record_memory(args.trials, args.seed)
    runrecord.write_record(record, args.out)
    for name, rss in record["rss_mb"].items():
        print(f"{name}: {per_trial_growth(rss):+.2f} MiB per trial; {[round(m) for m in rss]}")
    print(f"record: {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
