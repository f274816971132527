"""``convnotes tune``: run a Keras Tuner search and write its run record.

    convnotes tune --tuner hyperband --problem cifar --profile quick --out tune.json
    convnotes tune --tuner random --problem digits --distributed 2
    convnotes tune --tuner hyperband --overwrite        # start afresh instead of resuming

By default an existing project with the same directory and name is *resumed*
(keras-tuner's ``overwrite=False``): completed trials are kept and not run again.

With ``--distributed N`` the command starts keras-tuner's chief and N workers on
this machine. On several machines, run the same command without ``--distributed``
on every host, with keras-tuner's variables set: on the chief
``KERASTUNER_TUNER_ID=chief KERASTUNER_ORACLE_IP=0.0.0.0 KERASTUNER_ORACLE_PORT=8000``,
on each worker ``KERASTUNER_TUNER_ID=worker<i> KERASTUNER_ORACLE_IP=<chief's address>
KERASTUNER_ORACLE_PORT=8000``, and ``--directory`` on storage every host shares.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from convnotes.cli import CommandError, writable_file
from convnotes.tuning.problems import (
    PROBLEMS,
    PROFILES,
    budget_for,
    check_problem,
    check_tuner_name,
)

DEFAULT_DIRECTORY = "results/keras_tuner"
_BUDGET_FLAGS = (
    "max_trials",
    "epochs",
    "max_epochs",
    "factor",
    "hyperband_iterations",
    "batch_size",
    "num_initial_points",
    "cv_folds",
    "train_size",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``convnotes tune`` to ``parser``."""
    parser.description = __doc__.splitlines()[0]
    parser.add_argument(
        "--tuner",
        default="hyperband",
        help="random, grid, hyperband, bayesian, sklearn or custom (default: hyperband)",
    )
    parser.add_argument(
        "--problem",
        default="cifar",
        choices=PROBLEMS,
        help="what to tune (default: cifar, the source material's search)",
    )
    parser.add_argument(
        "--profile", default="quick", choices=PROFILES, help="budget and data size (default: quick)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="run record to write (default: results/tune-PROBLEM-TUNER-PROFILE.json)",
    )
    parser.add_argument(
        "--directory",
        type=Path,
        default=Path(DEFAULT_DIRECTORY),
        help=f"keras-tuner project directory (default: {DEFAULT_DIRECTORY})",
    )
    parser.add_argument(
        "--project-name",
        default=None,
        help="project name inside --directory (default: PROBLEM_TUNER_PROFILE)",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="delete an existing project first instead of resuming it",
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="oracle and Keras seed, a positive integer (default: 1)"
    )
    parser.add_argument(
        "--data-seed", type=int, default=0, help="seed of the data subset and split (default: 0)"
    )
    parser.add_argument(
        "--objective",
        default=None,
        help="metric to optimize (default: val_accuracy; score for sklearn)",
    )
    for flag in _BUDGET_FLAGS:
        parser.add_argument(
            "--" + flag.replace("_", "-"),
            type=int,
            default=None,
            help=f"override the profile's {flag}",
        )
    parser.add_argument(
        "--trial-delay",
        type=float,
        default=0.0,
        help="seconds each trial of the analytic problem sleeps (default: 0)",
    )
    parser.add_argument(
        "--distributed",
        type=int,
        default=None,
        metavar="N",
        help="run a chief and N workers on this machine",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address the chief listens on with --distributed"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="with --distributed: stop everything after this many seconds",
    )
    parser.add_argument(
        "--record-only",
        action="store_true",
        help="write the record of the project as it stands (a search that is running or was "
        "stopped) without training; the record says how many trials are done",
    )
    parser.add_argument(
        "--score-test",
        action="store_true",
        help="also score every completed trial's saved model on the test images, which the "
        "search never sees (cifar only): the record's test_scores show how optimistic the "
        "validation scores are",
    )
    parser.add_argument("--verbose", action="store_true", help="show keras-tuner's progress")


def _budget_overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {flag: getattr(args, flag) for flag in _BUDGET_FLAGS if getattr(args, flag) is not None}


def default_out(args: argparse.Namespace) -> Path:
    return Path("results") / f"tune-{args.problem}-{args.tuner}-{args.profile}.json"


def _forwarded_arguments(args: argparse.Namespace) -> list[str]:
    """The options for the chief and the workers: everything but --distributed/--overwrite."""
    forwarded = [
        "--tuner",
        args.tuner,
        "--problem",
        args.problem,
        "--profile",
        args.profile,
        "--out",
        str(args.out),
        "--directory",
        str(args.directory),
        "--project-name",
        args.project_name,
        "--seed",
        str(args.seed),
        "--data-seed",
        str(args.data_seed),
        "--trial-delay",
        str(args.trial_delay),
    ]
    if args.objective:
        forwarded += ["--objective", args.objective]
    for flag, value in _budget_overrides(args).items():
        forwarded += ["--" + flag.replace("_", "-"), str(value)]
    if args.verbose:
        forwarded.append("--verbose")
    return forwarded


class UsageError(CommandError):
    """A bad request, found before any training: reported as ``error: ...``, status 2."""


def run(args: argparse.Namespace) -> int:
    """Run the search described by ``args``; 0 on success, 2 for a bad request."""
    try:
        return _run(args)
    except UsageError as error:
        print(f"convnotes tune: error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from convnotes.tuning.distributed import current_role

    # Everything that can be checked without TensorFlow is checked first.
    try:
        args.tuner = check_tuner_name(args.tuner)
        check_problem(args.problem)
        budget = budget_for(args.problem, args.profile, **_budget_overrides(args))
    except (ValueError, TypeError) as error:
        raise UsageError(str(error)) from error
    if args.seed < 1:
        raise UsageError(
            f"--seed must be a positive integer, got {args.seed} (Keras Tuner treats 0 as no seed)"
        )
    args.out = writable_file(args.out or default_out(args), "--out")
    args.project_name = args.project_name or f"{args.problem}_{args.tuner}_{args.profile}"
    if args.record_only and (args.overwrite or args.distributed is not None):
        raise UsageError("--record-only reads an existing project: drop --overwrite/--distributed")
    if args.score_test and (args.problem != "cifar" or args.distributed is not None):
        raise UsageError(
            "--score-test needs test images the search never saw: --problem cifar, "
            "without --distributed (score the finished project with --record-only --score-test)"
        )
    if args.trial_delay and args.problem != "analytic":
        raise UsageError("--trial-delay applies to --problem analytic only")
    role = current_role()

    if args.distributed is not None:
        from convnotes.tuning.distributed import launch

        if args.distributed < 1:
            raise UsageError(
                f"--distributed must be a positive number of workers, got {args.distributed}"
            )
        if role is not None:
            raise UsageError(
                "--distributed starts its own chief and workers; unset the "
                "KERASTUNER_* variables or drop --distributed"
            )
        project_dir = args.directory / args.project_name
        if args.overwrite and project_dir.exists():
            shutil.rmtree(project_dir)
        forwarded = _forwarded_arguments(args)
        print(f"chief + {args.distributed} workers: convnotes tune {shlex.join(forwarded)}")
        status = launch(
            forwarded,
            args.distributed,
            log_dir=project_dir / "logs",
            host=args.host,
            timeout_s=args.timeout,
        )
        if status == 0:
            print(f"record: {args.out}")
        return status

    return _run_here(args, budget, role)


def _run_here(args: argparse.Namespace, budget: Any, role: str | None) -> int:
    from convnotes import runrecord
    from convnotes.tuning import records
    from convnotes.tuning.distributed import serve_oracle
    from convnotes.tuning.problems import make_problem
    from convnotes.tuning.tuners import make_tuner, run_search

    quiet = not args.verbose
    problem = make_problem(args.problem, budget, seed=args.data_seed, data_profile=args.profile)
    try:  # make_tuner validates the search space and the objective before any training
        tuner = make_tuner(
            args.tuner,
            problem,
            budget,
            directory=args.directory,
            project_name=args.project_name,
            overwrite=args.overwrite,
            seed=args.seed,
            objective=args.objective,
            trial_delay=args.trial_delay,
            quiet=quiet,
        )
    except ValueError as error:
        raise UsageError(str(error)) from error
    project_dir = Path(tuner.project_dir)
    resumed = len(records.read_trials(project_dir))
    if args.record_only:
        if not resumed:
            raise UsageError(f"--record-only: no trials in {project_dir} yet")
        wall = None
    elif resumed and role != "worker":
        print(f"resuming {project_dir}: {resumed} trials on disk")
    if args.record_only:
        pass
    elif role == "chief":
        start = time.perf_counter()
        tuner.save()
        serve_oracle(tuner.oracle)
        wall = time.perf_counter() - start
    elif role == "worker":
        run_search(tuner, problem, budget, args.tuner, seed=args.seed, quiet=quiet)
        mine = [t for t in records.read_trials(project_dir) if t["tuner_id"] == tuner.tuner_id]
        print(f"{tuner.tuner_id}: ran {len(mine)} trials")
        return 0
    else:
        wall = run_search(tuner, problem, budget, args.tuner, seed=args.seed, quiet=quiet)

    record = make_record(
        tuner,
        problem,
        budget,
        tuner_name=args.tuner,
        profile=args.profile,
        seed=args.seed,
        wall_time_s=wall,
        command="convnotes tune " + shlex.join(_forwarded_arguments(args)),
    )
    if args.score_test:
        record["test_scores"] = score_test(tuner, problem, record["trials"])
    runrecord.write_record(record, args.out)
    summary = record["summary"]
    print(
        f"{summary['completed']}/{summary['trials']} trials completed, "
        f"{summary['epochs']} epochs, best {tuner.oracle.objective.name} = "
        f"{summary['best_score']}"
    )
    print(f"best hyperparameters: {summary['best_hyperparameters']}")
    print(f"record: {args.out}")
    return 0


def score_test(tuner: Any, problem: Any, trials: list[dict[str, Any]]) -> dict[str, Any]:
    """Test accuracy of each completed trial's saved model, with the number of test images.

    The test images took no part in the search (its validation images are cut from the
    training set), so the gap between a trial's ``score`` and its test accuracy is the
    optimism that choosing by the validation score adds
    (:mod:`convnotes.tuning.selection`).
    """
    from convnotes.tuning import records
    from convnotes.tuning.tuners import saved_model_accuracy

    data = problem.book_data
    x_test, y_test = data.x_test.astype("float32") / 255.0, data.y_test
    scores = {
        trial["trial_id"]: saved_model_accuracy(tuner, trial["trial_id"], (x_test, y_test))
        for trial in records.completed(trials)
    }
    return {"images": int(len(y_test)), "accuracy": scores}


def make_record(
    tuner: Any,
    problem: Any,
    budget: Any,
    *,
    tuner_name: str,
    profile: str,
    seed: int,
    wall_time_s: float | None,
    command: str,
) -> dict[str, Any]:
    """The run record of a finished search (see :mod:`convnotes.tuning.records`)."""
    from convnotes.tuning import records
    from convnotes.tuning.schedule import keras_tuner_schedule, schedule_from_trials

    objective = {"name": tuner.oracle.objective.name, "direction": tuner.oracle.objective.direction}
    space = [
        {"class_name": type(hp).__name__, "config": hp.get_config()}
        for hp in tuner.oracle.get_space().space
    ]
    extra: dict[str, Any] = {"seed": seed}
    trials = records.read_trials(tuner.project_dir)
    if tuner_name == "hyperband":
        expected = keras_tuner_schedule(
            budget.max_epochs, budget.factor, budget.hyperband_iterations
        )
        observed = schedule_from_trials(
            {f"tuner/{k}": v for k, v in t["hyperband"].items()} for t in trials
        )
        extra["hyperband_schedule"] = {
            "expected": expected.per_round(),
            "observed": observed.per_round(),
            "expected_trials": expected.trials,
            "expected_epochs": expected.epochs,
        }
        done = len(records.completed(trials))
        extra["finished"] = done >= expected.trials
    return records.build_record(
        tuner.project_dir,
        tuner=tuner_name,
        problem=problem.name,
        profile=profile,
        objective=objective,
        budget=budget.as_dict(),
        search_space=space,
        provenance=provenance(
            command=command, seed=seed, data_source=problem.book_data or problem.data_source
        ),
        wall_time_s=wall_time_s,
        extra=extra,
    )


def provenance(*, command: str, data_source: Any, seed: int) -> dict[str, Any]:
    """Where a record came from: :func:`convnotes.training.collect_provenance`."""
    from convnotes.training import collect_provenance

    return collect_provenance(command=command, data_source=data_source, seed=seed)
