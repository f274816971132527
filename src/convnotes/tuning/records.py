"""Run records of a search, rebuilt from its project directory.

keras-tuner writes ``trial_<id>/trial.json`` for every trial (hyperparameters,
metrics, score, status); the recording tuners of :mod:`convnotes.tuning.tuners`
add ``trial_<id>/convnotes_runs.json`` (one entry per execution: worker, start,
end, epochs, memory). This module reads both with the standard library only, so
a record can be written by any process that sees the directory: the single
process of an ordinary search, or the chief of a distributed one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from convnotes import runrecord

RUNS_FILE = "convnotes_runs.json"
RECORD_KIND = runrecord.TUNE_KIND


def read_trials(project_dir: str | Path) -> list[dict[str, Any]]:
    """Every trial of the project at ``project_dir``, in the order they started.

    Each trial is a dictionary with ``trial_id``, ``status``, ``score``,
    ``best_step``, ``hyperparameters`` (the searched values), ``hyperband`` (the
    ``tuner/`` entries, empty for other tuners), ``runs`` (each execution), and
    from its last execution ``tuner_id``, ``started``, ``ended``, ``wall_time_s``,
    ``epochs``, ``history`` (per-epoch metrics; empty in records made before it was
    kept), ``rss_mb`` and ``peak_rss_mb``.
    """
    project_dir = Path(project_dir)
    if not project_dir.is_dir():
        raise FileNotFoundError(f"no tuner project at {project_dir}")
    trials = []
    for path in sorted(project_dir.glob("trial_*/trial.json")):
        data = json.loads(path.read_text())
        values = data["hyperparameters"]["values"]
        runs_path = path.parent / RUNS_FILE
        runs = json.loads(runs_path.read_text()) if runs_path.exists() else []
        last = runs[-1] if runs else {}
        trials.append(
            {
                "trial_id": data["trial_id"],
                "status": data["status"],
                "score": data.get("score"),
                "best_step": data.get("best_step"),
                "hyperparameters": {k: v for k, v in values.items() if not k.startswith("tuner/")},
                "hyperband": {
                    k[len("tuner/") :]: v for k, v in values.items() if k.startswith("tuner/")
                },
                "runs": runs,
                "tuner_id": last.get("tuner_id"),
                "started": last.get("started"),
                "ended": last.get("ended"),
                "wall_time_s": last.get("wall_time_s"),
                "epochs": last.get("epochs"),
                "history": last.get("history", []),
                "rss_mb": last.get("rss_mb"),
                "peak_rss_mb": last.get("peak_rss_mb"),
            }
        )
    first_start = {
        t["trial_id"]: (t["runs"][0]["started"] if t["runs"] else float("inf")) for t in trials
    }
    trials.sort(key=lambda t: (first_start[t["trial_id"]], t["trial_id"]))
    return trials


def completed(trials: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trials whose status is COMPLETED."""
    return [t for t in trials if t["status"] == "COMPLETED"]


def best_trial(trials: Sequence[dict[str, Any]], direction: str) -> dict[str, Any] | None:
    """The completed trial with the best score (``direction`` is "max" or "min")."""
    done = [t for t in completed(trials) if t["score"] is not None]
    if not done:
        return None
    pick = max if direction == "max" else min
    return pick(done, key=lambda t: t["score"])


def best_so_far(trials: Sequence[dict[str, Any]], direction: str) -> list[dict[str, float]]:
    """Best score against epochs spent, trials taken in the order they finished.

    Returns one point per completed trial: ``trials`` (count so far), ``epochs``
    (cumulative epochs trained), ``seconds`` (cumulative trial wall time) and
    ``best`` (best score so far).

    Examples
    --------
    >>> t = [{"status": "COMPLETED", "score": s, "epochs": 2, "wall_time_s": 1.0, "ended": i}
    ...      for i, s in enumerate([0.5, 0.7, 0.6])]
    >>> [(p["epochs"], p["best"]) for p in best_so_far(t, "max")]
    [(2, 0.5), (4, 0.7), (6, 0.7)]
    """
    done = sorted(
        (t for t in completed(trials) if t["score"] is not None), key=lambda t: t.get("ended") or 0
    )
    points, epochs, seconds, best = [], 0, 0.0, None
    better = (lambda a, b: a > b) if direction == "max" else (lambda a, b: a < b)
    for count, trial in enumerate(done, start=1):
        epochs += trial.get("epochs") or 0
        seconds += trial.get("wall_time_s") or 0.0
        if best is None or better(trial["score"], best):
            best = trial["score"]
        points.append({"trials": count, "epochs": epochs, "seconds": seconds, "best": best})
    return points


def top_trials(
    trials: Sequence[dict[str, Any]], direction: str, k: int = 10
) -> list[dict[str, Any]]:
    """The ``k`` completed trials with the best scores, best first (as ``results_summary``).

    Examples
    --------
    >>> t = [{"trial_id": i, "status": "COMPLETED", "score": s} for i, s in enumerate([.5, .7, .6])]
    >>> [x["trial_id"] for x in top_trials(t, "max", k=2)]
    [1, 2]
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    done = [t for t in completed(trials) if t["score"] is not None]
    return sorted(done, key=lambda t: t["score"], reverse=direction == "max")[:k]


def lineage(trials: Sequence[dict[str, Any]], trial_id: str) -> list[dict[str, Any]]:
    """The trial ``trial_id`` and the trials it was promoted from, oldest first.

    A Hyperband trial of a later round names the trial whose weights it continues in
    its ``tuner/trial_id`` (``hyperband["trial_id"]`` here).

    Examples
    --------
    >>> t = [{"trial_id": "a", "hyperband": {}}, {"trial_id": "b", "hyperband": {"trial_id": "a"}}]
    >>> [x["trial_id"] for x in lineage(t, "b")]
    ['a', 'b']
    """
    by_id = {t["trial_id"]: t for t in trials}
    if trial_id not in by_id:
        raise ValueError(f"trial_id: no trial {trial_id!r} in the record")
    chain = [by_id[trial_id]]
    while (parent := chain[-1].get("hyperband", {}).get("trial_id")) in by_id:
        if any(t["trial_id"] == parent for t in chain):
            raise ValueError(f"trial_id: the promotions of {trial_id!r} form a cycle")
        chain.append(by_id[parent])
    return chain[::-1]


def configuration_curve(
    trials: Sequence[dict[str, Any]], trial_id: str, metric: str = "val_accuracy"
) -> list[tuple[int, float]]:
    """``(epoch, value)`` of ``metric`` over the whole training of one configuration.

    The configuration's epochs are spread over the trial and the trials it was promoted
    from; their per-epoch histories are joined in order (a trial recorded before
    histories were kept contributes nothing).

    Examples
    --------
    >>> t = [{"trial_id": "a", "hyperband": {}, "history": [{"epoch": 1, "val_accuracy": 0.4}]},
    ...      {"trial_id": "b", "hyperband": {"trial_id": "a"},
    ...       "history": [{"epoch": 2, "val_accuracy": 0.5}, {"epoch": 3, "val_accuracy": 0.6}]}]
    >>> configuration_curve(t, "b")
    [(1, 0.4), (2, 0.5), (3, 0.6)]
    """
    points: dict[int, float] = {}
    for trial in lineage(trials, trial_id):
        for entry in trial.get("history") or []:
            if metric in entry:
                points[int(entry["epoch"])] = float(entry[metric])
    return sorted(points.items())


def executions(history: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Cut one trial's per-epoch ``history`` into the executions it ran.

    With ``executions_per_trial`` above one, Keras Tuner trains a trial's model
    several times from scratch and its history lists their epochs one after the
    other; an execution ends where the epoch count stops increasing.

    Examples
    --------
    >>> h = [{"epoch": 1}, {"epoch": 2}, {"epoch": 3}, {"epoch": 1}, {"epoch": 2}]
    >>> [len(run) for run in executions(h)]
    [3, 2]
    >>> executions([])
    []
    """
    runs: list[list[dict[str, Any]]] = []
    for entry in history:
        if not runs or int(entry["epoch"]) <= int(runs[-1][-1]["epoch"]):
            runs.append([])
        runs[-1].append(entry)
    return runs


def score_at_epoch(trial: dict[str, Any], epoch: int, metric: str = "val_accuracy") -> float | None:
    """``metric`` of ``trial`` after its epoch ``epoch`` (counted from 1); ``None`` if not run.

    Reads the first execution of the trial's per-epoch history (see
    :func:`read_trials`), so it also answers for a trial stopped early.

    Examples
    --------
    >>> t = {"history": [{"epoch": 1, "val_accuracy": 0.4}, {"epoch": 2, "val_accuracy": 0.6}]}
    >>> score_at_epoch(t, 2), score_at_epoch(t, 3)
    (0.6, None)
    """
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 1:
        raise ValueError(f"epoch must be a positive integer, got {epoch!r}")
    runs = executions(trial.get("history") or [])
    for entry in runs[0] if runs else []:
        if int(entry["epoch"]) == epoch and metric in entry:
            return float(entry[metric])
    return None


def summarize(trials: Sequence[dict[str, Any]], direction: str) -> dict[str, Any]:
    """Counts and totals over ``trials``: trials, completed, epochs, trial seconds, best score."""
    best = best_trial(trials, direction)
    done = completed(trials)
    return {
        "trials": len(trials),
        "completed": len(done),
        "executions": sum(len(t["runs"]) for t in trials),
        "epochs": sum(t.get("epochs") or 0 for t in done),
        "trial_seconds": sum(t.get("wall_time_s") or 0.0 for t in done),
        "best_score": None if best is None else best["score"],
        "best_trial_id": None if best is None else best["trial_id"],
        "best_hyperparameters": None if best is None else best["hyperparameters"],
        "workers": sorted({t["tuner_id"] for t in done if t.get("tuner_id")}),
    }


def build_record(
    project_dir: str | Path,
    *,
    tuner: str,
    problem: str,
    profile: str,
    objective: dict[str, str],
    budget: dict[str, Any],
    search_space: list[dict[str, Any]],
    provenance: dict[str, Any],
    wall_time_s: float | None = None,
    extra: dict[str, Any] | None = None,
) -> runrecord.TuneRecord:
    """The run record (:class:`convnotes.runrecord.TuneRecord`) of the search in ``project_dir``.

    Its ``config`` repeats the search's settings (``tuner``, ``problem``, ``profile``,
    ``objective``, ``budget`` and, from ``extra``, ``seed``); ``summary`` and ``trials``
    are read from the project (:func:`read_trials`).
    """
    trials = read_trials(project_dir)
    record = runrecord.make_record(
        RECORD_KIND,
        provenance=provenance,
        wall_time_s=wall_time_s,
        tuner=tuner,
        problem=problem,
        profile=profile,
        objective=objective,
        budget=budget,
        search_space=search_space,
        project_dir=str(project_dir),
        summary=summarize(trials, objective["direction"]),
        trials=trials,
        **(extra or {}),
    )
    return record  # type: ignore[return-value]
