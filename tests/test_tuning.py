"""Keras Tuner helpers: Hyperband schedules against the real oracle and the paper, search
spaces against keras-tuner's own sampling, validation before training, seeds, resuming
a grid search, records, memory."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnotes import runrecord
from convnotes.tuning import records
from convnotes.tuning.problems import (
    Problem,
    analytic_score,
    budget_for,
    check_tuner_name,
    make_problem,
)
from convnotes.tuning.schedule import (
    keras_tuner_num_brackets,
    keras_tuner_schedule,
    observed_schedule,
    paper_schedule,
)

kt = pytest.importorskip("keras_tuner")

from convnotes.tuning import space as space_mod  # noqa: E402  (imports keras-tuner)
from convnotes.tuning import tuners  # noqa: E402

# ----------------------------------------------------------------- Hyperband schedule


@pytest.mark.parametrize(
    "max_epochs, factor, iterations",
    [
        (10, 3, 1),
        (81, 3, 1),
        (27, 3, 2),
        (100, 3, 1),
        (9, 3, 1),
        (3, 3, 1),
        (1, 3, 1),
        (8, 2, 1),
        (2, 2, 1),
        (50, 4, 1),
        (200, 10, 1),
        (12, 5, 3),
        (1, 3, 2),
    ],
)
def test_schedule_matches_real_oracle(tmp_path, max_epochs, factor, iterations):
    expected = keras_tuner_schedule(max_epochs, factor, iterations)
    seen = observed_schedule(max_epochs, factor, iterations, directory=tmp_path)
    assert seen.rounds == expected.rounds
    assert (seen.trials, seen.epochs) == (expected.trials, expected.epochs)


@settings(max_examples=12, deadline=None)
@given(max_epochs=st.integers(1, 30), factor=st.integers(2, 6), iterations=st.integers(1, 2))
def test_schedule_matches_real_oracle_property(tmp_path_factory, max_epochs, factor, iterations):
    directory = tmp_path_factory.mktemp("hb")
    expected = keras_tuner_schedule(max_epochs, factor, iterations)
    seen = observed_schedule(max_epochs, factor, iterations, directory=directory)
    assert seen.rounds == expected.rounds


def test_source_material_search_has_30_trials():
    schedule = keras_tuner_schedule(10, 3)
    assert schedule.trials == 30
    assert keras_tuner_num_brackets(10, 3) == 3
    # The source's best trial: bracket 2, round 2, trained from epoch 4 to epoch 10.
    assert any(
        (r.bracket, r.round, r.initial_epoch, r.epochs) == (2, 2, 4, 10) for r in schedule.rounds
    )
    # By hand: 12x2 + 4x(4-2) + 2x(10-4) + 6x4 + 2x(10-4) + 4x10 epochs.
    assert schedule.epochs == 24 + 8 + 12 + 24 + 12 + 40


# Li et al. (2018), Table 1: R = 81, eta = 3; (n_i, r_i) for i = 0.. in each bracket s.
PAPER_TABLE_1 = {
    4: [(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)],
    3: [(34, 3), (11, 9), (3, 27), (1, 81)],
    2: [(15, 9), (5, 27), (1, 81)],
    1: [(8, 27), (2, 81)],
    0: [(5, 81)],
}


def test_paper_schedule_reproduces_table_1():
    schedule = paper_schedule(81, 3)
    got: dict[int, list[tuple[int, int]]] = {}
    for r in schedule.rounds:
        got.setdefault(r.bracket, []).append((r.models, r.epochs))
    assert got == PAPER_TABLE_1
    # Each bracket spends about B = (s_max + 1) R = 405 when rounds restart (by hand).
    spent = [sum(n * r for n, r in PAPER_TABLE_1[s]) for s in (4, 3, 2, 1, 0)]
    assert spent == [405, 363, 351, 378, 405]
    assert schedule.epochs_from_scratch == sum(spent)


def test_paper_schedule_eta_2_example():
    # The mlr3hyperband documentation's example run: eta = 2, r_min = 1, r_max = 8.
    schedule = paper_schedule(8, 2)
    first = [(r.models, r.epochs) for r in schedule.rounds if r.round == 0]
    assert first == [(8, 1), (6, 2), (4, 4), (4, 8)]


def test_keras_tuner_and_paper_differ_for_r81():
    ours, paper = keras_tuner_schedule(81, 3), paper_schedule(81, 3)
    assert [r.bracket for r in ours.rounds] == [r.bracket for r in paper.rounds]
    assert ours.trials != paper.trials  # ceil per round versus floor(n / eta^i)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: keras_tuner_schedule(0, 3), "max_epochs must be an integer >= 1"),
        (lambda: keras_tuner_schedule(10, 1), "factor must be an integer >= 2"),
        (lambda: keras_tuner_schedule(10, 3, 0), "hyperband_iterations"),
        (lambda: paper_schedule(81, 1), "eta must be an integer >= 2"),
    ],
)
def test_schedule_rejects_bad_settings(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_schedule_rejects_non_integers():
    with pytest.raises(TypeError, match="max_epochs must be an integer"):
        keras_tuner_schedule(10.0, 3)


# ----------------------------------------------------------------- hyperparameter types

HP = kt.engine.hyperparameters


def test_random_samples_follow_sampling_rules():
    n = 4000
    linear = space_mod.random_samples(HP.Float("x", 1e-4, 1e-1), n)
    log = space_mod.random_samples(HP.Float("x", 1e-4, 1e-1, sampling="log"), n)
    reverse = space_mod.random_samples(HP.Float("x", 1e-4, 1e-1, sampling="reverse_log"), n)
    below_geometric_mean = [sum(v < 10**-2.5 for v in s) / n for s in (linear, log, reverse)]
    # Uniform on [1e-4, 0.1]: P(x < 10^-2.5) ~ 0.031; log-uniform: 0.5; reverse: ~0.
    assert below_geometric_mean[0] == pytest.approx((10**-2.5 - 1e-4) / (0.1 - 1e-4), abs=0.01)
    assert below_geometric_mean[1] == pytest.approx(0.5, abs=0.03)
    assert below_geometric_mean[2] < 0.01
    # reverse_log mirrors log: x -> max + min - x.
    mirrored = [0.1 + 1e-4 - v for v in reverse]
    assert sum(v < 10**-2.5 for v in mirrored) / n == pytest.approx(0.5, abs=0.03)


def test_int_with_step_samples_only_grid_values():
    hp = HP.Int("units", 128, 256, step=64)
    assert set(space_mod.random_samples(hp, 300)) == {128, 192, 256}
    assert space_mod.grid_values(hp) == [128, 192, 256]


def test_grid_values_of_continuous_float_are_ten_quantiles():
    hp = HP.Float("lr", 0.0, 1.0)
    expected = sorted(0.05 + 0.1 * i for i in range(10))
    assert sorted(space_mod.grid_values(hp)[1:]) == pytest.approx(expected)
    assert space_mod.grid_values(hp)[0] == 0.0  # the default comes first


def test_grid_values_of_log_int_with_step_multiply():
    hp = HP.Int("width", 8, 256, step=2, sampling="log")
    assert space_mod.grid_values(hp) == [8, 16, 32, 64, 128, 256]


def test_enumerate_grid_handles_conditional_hyperparameters():
    def declare(hp):
        hp.Choice("a", [1, 2])
        use = hp.Boolean("b")
        with hp.conditional_scope("b", [True]):
            if use:
                hp.Int("c", 0, 2)

    visited = space_mod.enumerate_grid(declare)
    expected = [{"a": a, "b": False} for a in (1, 2)] + [
        {"a": a, "b": True, "c": c} for a, c in itertools.product((1, 2), (0, 1, 2))
    ]
    key = lambda d: json.dumps(d, sort_keys=True)  # noqa: E731
    assert sorted(map(key, visited)) == sorted(map(key, expected))
    assert visited[0] == {"a": 1, "b": False}  # defaults first


def test_digits_space_has_every_type_and_a_condition():
    space = space_mod.collect_search_space(make_problem("digits", budget_for("digits")).hypermodel)
    kinds = {type(hp).__name__ for hp in space.space}
    assert kinds == {"Int", "Float", "Boolean", "Choice"}
    rate = next(hp for hp in space.space if hp.name == "dropout_rate")
    assert [c.name for c in rate.conditions] == ["dropout"]


def test_cifar_space_is_the_source_materials():
    models = pytest.importorskip("convnotes.models")
    space = space_mod.collect_search_space(models.CifarHyperModel())
    described = {hp.name: space_mod.grid_values(hp) for hp in space.space}
    assert described == {
        "conv_layers": [1, 2, 3],
        "dense_layers": [1, 2, 3, 4],
        "units": [128, 192, 256],
        "filters": [8, 16, 24, 32],
        "learning_rate": [1e-4, 5e-4, 1e-3],
        "optimizer": ["adam", "sgd"],
    }


# ----------------------------------------------------------------- bad input


def _problem_with(declare, name="custom") -> Problem:
    class Model(kt.HyperModel):
        def build(self, hp):
            declare(hp)

    return Problem(name=name, kind="analytic", hypermodel=Model(), objective="val_accuracy")


@pytest.mark.parametrize(
    "declare, message",
    [
        (lambda hp: hp.Int("units", 256, 128), "invalid search space.*min_value 256 is greater"),
        (lambda hp: hp.Int("units", 128, 128), "'units' can take only one value"),
        (lambda hp: hp.Int("units", 128, 160, step=64), "'units' can take only one value"),
        (lambda hp: hp.Float("lr", 0.01, 0.01), "'lr' can take only one value"),
        (lambda hp: hp.Choice("opt", []), "invalid search space.*values"),
        (lambda hp: hp.Float("lr", -1.0, 1.0, sampling="log"), "invalid search space"),
        (lambda hp: None, "search space is empty"),
    ],
)
def test_bad_search_space_raises_before_anything_exists(tmp_path, declare, message):
    with pytest.raises(ValueError, match=message):
        tuners.make_tuner(
            "random", _problem_with(declare), budget_for("analytic"), directory=tmp_path / "project"
        )
    assert not (tmp_path / "project").exists()


def test_seed_zero_is_rejected(tmp_path):
    # keras-tuner would take seed=0 as "no seed" and draw a random one.
    assert kt.oracles.RandomSearchOracle(seed=0).seed != 0
    with pytest.raises(ValueError, match="Keras Tuner treats 0 as no seed"):
        tuners.make_tuner(
            "random",
            make_problem("analytic", budget_for("analytic")),
            budget_for("analytic"),
            directory=tmp_path / "p",
            seed=0,
        )
    assert not (tmp_path / "p").exists()


def test_unknown_tuner_name_lists_valid_names():
    with pytest.raises(ValueError, match="choose one of: random, grid, hyperband, bayesian"):
        check_tuner_name("annealing")
    assert check_tuner_name("BayesianOptimization") == "bayesian"
    assert check_tuner_name("Grid-Search") == "grid"


@pytest.fixture(scope="module")
def digits():
    return make_problem("digits", budget_for("digits"))


def test_objective_that_matches_no_metric(tmp_path, digits):
    with pytest.raises(ValueError, match="objective 'val_acc' matches no metric.*val_accuracy"):
        tuners.make_tuner(
            "random", digits, budget_for("digits"), directory=tmp_path / "p", objective="val_acc"
        )
    assert not (tmp_path / "p").exists()


def test_validation_objective_without_validation_data(tmp_path, digits):
    no_val = Problem(
        name="digits",
        kind="keras",
        hypermodel=digits.hypermodel,
        objective="val_accuracy",
        fit_args=digits.fit_args,
        fit_kwargs={},
    )
    with pytest.raises(ValueError, match="needs validation data"):
        tuners.make_tuner("random", no_val, budget_for("digits"), directory=tmp_path)
    # ... while a training metric is fine.
    tuner = tuners.make_tuner(
        "random", no_val, budget_for("digits"), directory=tmp_path, objective="accuracy"
    )
    assert tuner.oracle.objective.direction == "max"


def test_tuner_and_problem_must_fit(tmp_path, digits):
    with pytest.raises(ValueError, match="sklearn tuner needs a scikit-learn hypermodel"):
        tuners.make_tuner("sklearn", digits, budget_for("digits"), directory=tmp_path)
    sk = make_problem("digits-sklearn", budget_for("digits-sklearn"))
    with pytest.raises(ValueError, match="builds scikit-learn models"):
        tuners.make_tuner("hyperband", sk, budget_for("digits-sklearn"), directory=tmp_path)


def test_budget_overrides_are_checked():
    with pytest.raises(ValueError, match="factor must be an integer >= 2"):
        budget_for("digits", "quick", factor=1)
    with pytest.raises(ValueError, match="profile must be one of"):
        budget_for("digits", "huge")
    with pytest.raises(ValueError, match="unknown problem 'mnist'"):
        budget_for("mnist")


# ----------------------------------------------------------------- seeds


def _sequence(tmp_path, name, seed, **overrides):
    budget = budget_for("analytic", "quick", **overrides)
    problem = make_problem("analytic", budget)
    tuner = tuners.make_tuner(
        name,
        problem,
        budget,
        directory=tmp_path,
        project_name=f"{name}_{seed}_{len(list(tmp_path.iterdir()))}",
        seed=seed,
    )
    tuners.run_search(tuner, problem, budget, name, seed=seed)
    return [t["hyperparameters"] for t in records.read_trials(tuner.project_dir)]


@pytest.mark.parametrize("name", ["random", "grid", "hyperband"])
def test_same_seed_same_trial_sequence(tmp_path, name):
    first = _sequence(tmp_path, name, seed=7)
    assert first == _sequence(tmp_path, name, seed=7)
    if name != "grid":
        assert first != _sequence(tmp_path, name, seed=8)
    else:  # the grid's order does not depend on the seed
        assert first == _sequence(tmp_path, name, seed=8)


@pytest.mark.slow
def test_bayesian_same_seed_same_trial_sequence(tmp_path):
    # Two random points, then one proposal of the Gaussian process.
    kwargs = {"max_trials": 3, "num_initial_points": 2}
    first = _sequence(tmp_path, "bayesian", seed=3, **kwargs)
    assert first == _sequence(tmp_path, "bayesian", seed=3, **kwargs)
    other = _sequence(tmp_path, "bayesian", seed=4, max_trials=2, num_initial_points=2)
    assert first[:2] != other


# ----------------------------------------------------------------- resuming a grid


def _grid_tuner(tmp_path, oracle_cls, max_trials, overwrite):
    class Model(kt.HyperModel):
        def build(self, hp):
            hp.Int("a", 0, 2)
            hp.Choice("b", ["x", "y"])

    class Grid(tuners.AnalyticMixin, kt.Tuner):
        def run_trial(self, trial, *args, **kwargs):
            values = trial.hyperparameters.values
            return {"score": values["a"] + (values["b"] == "y")}

    oracle = oracle_cls(objective=kt.Objective("score", "max"), max_trials=max_trials)
    with tuners.quiet_stdout():
        tuner = Grid(
            oracle=oracle,
            hypermodel=Model(),
            directory=str(tmp_path),
            project_name="grid",
            overwrite=overwrite,
        )
        tuner.oracle.verbose = 0
        tuner.search()
    order = sorted(tuner.oracle.trials)
    return [tuner.oracle.trials[t].hyperparameters.values for t in order]


def test_stock_grid_search_cannot_resume(tmp_path):
    """keras-tuner 1.4.8's GridSearchOracle stops after a reload (why ours exists)."""
    stock = kt.oracles.GridSearchOracle
    assert len(_grid_tuner(tmp_path, stock, 3, overwrite=True)) == 3
    assert len(_grid_tuner(tmp_path, stock, 6, overwrite=False)) == 3


def test_resumable_grid_search_continues_where_it_stopped(tmp_path):
    resumable = tuners.ResumableGridSearchOracle
    straight = _grid_tuner(tmp_path / "straight", resumable, 6, overwrite=True)
    assert len(_grid_tuner(tmp_path / "resumed", resumable, 3, overwrite=True)) == 3
    resumed = _grid_tuner(tmp_path / "resumed", resumable, 6, overwrite=False)
    assert resumed == straight
    assert len({json.dumps(v, sort_keys=True) for v in straight}) == 6


# ----------------------------------------------------------------- tuners and records


def test_analytic_score_peaks_where_documented():
    best = {"layers": 2, "units": 160, "learning_rate": 3e-3, "optimizer": "adam"}
    worse = dict(best, learning_rate=3e-2)
    assert analytic_score(best, 9) > analytic_score(worse, 9)
    assert analytic_score(best, 9) == pytest.approx(0.1 + 0.85 * (1 - math.exp(-3)))


@pytest.fixture(scope="module")
def analytic_hyperband_trials(tmp_path_factory):
    """The trials of a whole Hyperband search (max_epochs=9) on the analytic problem."""
    budget = budget_for("analytic", "quick", max_epochs=9)
    problem = make_problem("analytic", budget)
    directory = tmp_path_factory.mktemp("hyperband")
    tuner = tuners.make_tuner("hyperband", problem, budget, directory=directory)
    tuners.run_search(tuner, problem, budget, "hyperband")
    return records.read_trials(tuner.project_dir)


def test_hyperband_record_counts_epochs_per_trial(analytic_hyperband_trials):
    trials = analytic_hyperband_trials
    schedule = keras_tuner_schedule(9, 3)
    assert len(trials) == schedule.trials
    for t in trials:
        assert t["epochs"] == t["hyperband"]["epochs"] - t["hyperband"]["initial_epoch"]
        assert len(t["runs"]) == 1 and t["wall_time_s"] >= 0
        # the per-epoch curve continues the parent's epochs and ends at the trial's score
        start, stop = t["hyperband"]["initial_epoch"], t["hyperband"]["epochs"]
        assert [h["epoch"] for h in t["history"]] == list(range(start + 1, stop + 1))
        assert t["history"][-1]["val_accuracy"] == pytest.approx(t["score"])
    summary = records.summarize(trials, "max")
    assert summary["epochs"] == schedule.epochs
    curve = records.best_so_far(trials, "max")
    assert curve[-1]["epochs"] == schedule.epochs
    assert all(a["best"] <= b["best"] for a, b in itertools.pairwise(curve))


def test_promoted_configurations_are_followed_across_trials(analytic_hyperband_trials):
    trials = analytic_hyperband_trials
    finals = [t for t in trials if t["hyperband"]["epochs"] == 9]
    assert finals
    for trial in finals:
        chain = records.lineage(trials, trial["trial_id"])
        assert len(chain) == trial["hyperband"]["round"] + 1
        assert all(c["hyperparameters"] == trial["hyperparameters"] for c in chain)
        curve = records.configuration_curve(trials, trial["trial_id"])
        # every epoch of the configuration once, valued as the analytic problem scores it
        assert [e for e, _ in curve] == list(range(1, 10))
        for epoch, value in curve:
            assert value == pytest.approx(analytic_score(trial["hyperparameters"], epoch))
    top = records.top_trials(trials, "max", k=3)
    assert [t["score"] for t in top] == sorted((t["score"] for t in trials), reverse=True)[:3]
    with pytest.raises(ValueError, match="trial_id: no trial 'nope'"):
        records.lineage(trials, "nope")
    with pytest.raises(ValueError, match="k must be a positive integer"):
        records.top_trials(trials, "max", k=0)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["custom", "hyperband"])
def test_keras_tuners_train_digits(tmp_path, digits, name):
    budget = budget_for("digits", "quick", max_trials=2, epochs=1, max_epochs=2, factor=2)
    tuner = tuners.make_tuner(name, digits, budget, directory=tmp_path)
    tuners.run_search(tuner, digits, budget, name)
    trials = records.read_trials(tuner.project_dir)
    assert trials and all(t["status"] == "COMPLETED" for t in trials)
    assert all(0.0 <= t["score"] <= 1.0 for t in trials)
    for t in trials:  # the recorded curve holds Keras' own per-epoch logs
        assert len(t["history"]) == t["epochs"]
        best = max(h["val_accuracy"] for h in t["history"])
        assert best == pytest.approx(t["score"])
    if name == "custom":
        assert all(t["hyperparameters"]["batch_size"] in tuners.BATCH_SIZES for t in trials)
        assert all(t["epochs"] == 1 for t in trials)
    else:
        assert len(trials) == keras_tuner_schedule(2, 2).trials
        assert sum(t["epochs"] for t in trials) == keras_tuner_schedule(2, 2).epochs


def test_sklearn_tuner_cross_validates(tmp_path):
    budget = budget_for("digits-sklearn", "quick", max_trials=3)
    problem = make_problem("digits-sklearn", budget)
    tuner = tuners.make_tuner("sklearn", problem, budget, directory=tmp_path)
    tuners.run_search(tuner, problem, budget, "sklearn")
    trials = records.read_trials(tuner.project_dir)
    assert len(trials) == 3 and all(t["status"] == "COMPLETED" for t in trials)
    # The score is the mean accuracy over the folds: recompute one with scikit-learn.
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    best = tuner.get_best_hyperparameters(1)[0]
    model = problem.hypermodel(best)
    cv = StratifiedKFold(budget.cv_folds, shuffle=True, random_state=1)  # the tuner's seed
    expected = cross_val_score(model, *problem.fit_args, cv=cv).mean()
    assert tuner.oracle.get_best_trials(1)[0].score == pytest.approx(expected)
    assert 0.5 < tuners.holdout_score(tuner, problem) <= 1.0


def test_cli_writes_record_with_provenance(tmp_path):
    from convnotes.cli import main

    out = tmp_path / "record.json"
    status = main(
        [
            "tune",
            "--tuner",
            "random",
            "--problem",
            "analytic",
            "--max-trials",
            "4",
            "--directory",
            str(tmp_path / "kt"),
            "--out",
            str(out),
            "--overwrite",
        ]
    )
    assert status == 0
    record = runrecord.load_record(out, kind=runrecord.TUNE_KIND)
    assert record["summary"]["completed"] == 4
    assert record["provenance"]["seed"] == 1
    assert "convnotes tune" in record["provenance"]["command"]
    for trial in record["trials"]:
        assert set(trial["hyperparameters"]) == {"layers", "units", "learning_rate", "optimizer"}
        assert trial["epochs"] == 3 and trial["wall_time_s"] is not None
        assert trial["score"] == pytest.approx(analytic_score(trial["hyperparameters"], 3))


def test_record_only_writes_the_record_of_an_unfinished_search(tmp_path, capsys):
    import shutil

    from convnotes.cli import main

    common = ["tune", "--tuner", "hyperband", "--problem", "analytic", "--max-epochs", "9",
              "--directory", str(tmp_path / "kt")]  # fmt: skip
    assert main([*common, "--out", str(tmp_path / "full.json")]) == 0
    full = runrecord.load_record(tmp_path / "full.json", kind=runrecord.TUNE_KIND)
    assert full["finished"] and full["summary"]["completed"] == keras_tuner_schedule(9, 3).trials
    # a search stopped before its last trial: that trial's folder is not there yet
    last = max((tmp_path / "kt" / "analytic_hyperband_quick").glob("trial_*"))
    shutil.rmtree(last)
    assert main([*common, "--record-only", "--out", str(tmp_path / "partial.json")]) == 0
    partial = runrecord.load_record(tmp_path / "partial.json", kind=runrecord.TUNE_KIND)
    assert not partial["finished"]
    assert partial["summary"]["completed"] == full["summary"]["completed"] - 1
    assert partial["wall_time_s"] is None
    assert [t["trial_id"] for t in partial["trials"]] == [t["trial_id"] for t in full["trials"]][
        :-1
    ]
    # nothing to record: a clear error, and no training
    status = main(["tune", "--problem", "analytic", "--directory", str(tmp_path / "none"),
                   "--record-only", "--out", str(tmp_path / "x.json")])  # fmt: skip
    assert status == 2
    assert "--record-only: no trials in" in capsys.readouterr().err


def test_cli_rejects_bad_requests_before_work(tmp_path, capsys):
    from convnotes.cli import main

    directory = tmp_path / "kt"
    assert main(["tune", "--tuner", "simulated_annealing", "--directory", str(directory)]) == 2
    assert "error: unknown tuner 'simulated_annealing'" in capsys.readouterr().err
    assert (
        main(
            [
                "tune",
                "--problem",
                "analytic",
                "--objective",
                "val_acc",
                "--directory",
                str(directory),
            ]
        )
        == 2
    )
    assert "objective 'val_acc' matches no metric" in capsys.readouterr().err
    assert main(["tune", "--seed", "0", "--directory", str(directory)]) == 2
    assert "Keras Tuner treats 0 as no seed" in capsys.readouterr().err
    assert not directory.exists()


# ----------------------------------------------------------------- memory


@pytest.mark.slow
def test_memory_stays_flat_over_trials(tmp_path):
    """With the traced graphs released between trials, resident memory stops growing.

    Keras Tuner's own ``clear_session`` leaves about 4 MiB per trial of this model
    behind (results/tuning-memory.json records both). Measured in a fresh process,
    after three warm-up trials (TensorFlow's first traces, oneDNN's kernel cache for new
    layer sizes), so that what this pytest worker ran before does not count; then
    Keras Tuner's own behaviour in the same process, as the yardstick.
    """
    from convnotes.tuning.memory import per_trial_growth

    code = (
        "import json, sys\n"
        "from convnotes.tuning.memory import measure_memory\n"
        "root = sys.argv[1]\n"
        "measure_memory(3, release_graphs=True, directory=root + '/warm-up')\n"
        "released = measure_memory(8, release_graphs=True, directory=root + '/released')\n"
        "kept = measure_memory(6, release_graphs=False, directory=root + '/kept')\n"
        "print(json.dumps([released, kept]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    released, kept = json.loads(done.stdout.strip().splitlines()[-1])
    assert (len(released), len(kept)) == (8, 6)
    growth, yardstick = per_trial_growth(released), per_trial_growth(kept)
    print(f"MiB per trial: {growth:.2f} with the graphs released, {yardstick:.2f} without")
    assert yardstick > 2, f"Keras Tuner's own leak is gone? {kept}"
    assert growth < 1 and growth < yardstick / 4, f"memory grows: {released} (vs {kept})"


def test_score_test_records_each_trials_test_accuracy(tmp_path, monkeypatch, capsys):
    import keras
    import numpy as np

    from convnotes import data
    from convnotes.cli import main
    from convnotes.models import CifarHyperModel

    rng = np.random.default_rng(0)
    labels = np.arange(4000) % 10
    x_train = rng.integers(0, 256, (4000, 32, 32, 3), dtype=np.uint8)
    x_train[..., 0] = (labels * 25)[:, None, None]  # a class signal a model can learn
    x_test = rng.integers(0, 256, (1200, 32, 32, 3), dtype=np.uint8)
    y_test = np.arange(1200) % 10
    x_test[..., 0] = (y_test * 25)[:, None, None]
    monkeypatch.setenv(
        data.ENV_DATA, str(data.write_cifar10_dir(tmp_path, x_train, labels, x_test, y_test))
    )
    out, kt_dir = tmp_path / "record.json", tmp_path / "kt"
    common = ["tune", "--problem", "cifar", "--tuner", "random", "--max-trials", "2",
              "--epochs", "1", "--train-size", "300", "--directory", str(kt_dir)]  # fmt: skip
    assert main([*common, "--score-test", "--out", str(out)]) == 0
    record = runrecord.load_record(out, kind=runrecord.TUNE_KIND)
    scored = record["test_scores"]
    assert scored["images"] == 1000  # the quick profile's test images
    assert set(scored["accuracy"]) == {t["trial_id"] for t in record["trials"]}
    # independently: rebuild each trial's network and load its checkpoint with Keras
    hypermodel = CifarHyperModel(input_shape=(32, 32, 3), num_classes=10)
    book = data.load_book_data("quick", seed=0)
    for trial in record["trials"]:
        hp = keras_tuner_hyperparameters(trial["hyperparameters"])
        model = hypermodel.build(hp)
        model.load_weights(kt_dir / "cifar_random_quick" / f"trial_{trial['trial_id']}"
                           / "checkpoint.weights.h5")  # fmt: skip
        _, accuracy = model.evaluate(book.x_test / 255.0, book.y_test, verbose=0)
        assert scored["accuracy"][trial["trial_id"]] == pytest.approx(accuracy, abs=1e-6)
    keras.backend.clear_session()
    # the rule, named before any work
    status = main(["tune", "--problem", "analytic", "--directory", str(kt_dir), "--score-test"])
    assert status == 2
    assert "--score-test needs test images the search never saw" in capsys.readouterr().err


def keras_tuner_hyperparameters(values):
    from convnotes.tuning.tuners import kt

    hp = kt.HyperParameters()
    for name, value in values.items():
        hp.Fixed(name, value)
    return hp
