"""The tuning chapters' teaching helpers against independent references.

A held-out split against the validation images it cuts; selection gaps against exhaustive
enumeration of validation sets; saved models against Keras' own ``evaluate`` and the
scores Keras Tuner recorded; ``executions_per_trial`` against Keras Tuner's averaging;
the Gaussian process's inputs against ``BayesianOptimizationOracle._vectorize_trials``;
oracle draws against a real ``RandomSearch``; and the chapters' tables.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from convnotes.tuning import records, selection
from convnotes.tuning.problems import budget_for, hold_out_test, make_problem

kt = pytest.importorskip("keras_tuner")

from convnotes.presentation import tuning as figures  # noqa: E402
from convnotes.tuning import space, tuners  # noqa: E402  (imports keras-tuner)
from convnotes.tuning.problems import build_digits_model  # noqa: E402

keras = tuners.keras


@pytest.fixture(scope="module")
def digits():
    return make_problem("digits", budget_for("digits"))


# ----------------------------------------------------------------- held-out split


def test_hold_out_test_partitions_the_validation_images(digits):
    split = hold_out_test(digits, 0.75, seed=3)
    x_val, y_val = split.validation
    x_test, y_test = split.test
    assert len(y_val) + len(y_test) == len(digits.validation[1])
    assert len(y_test) == pytest.approx(0.75 * len(digits.validation[1]), abs=1)
    # every original validation image is in exactly one part (rows compared as bytes)
    rows = lambda x: sorted(r.tobytes() for r in x)  # noqa: E731
    assert rows(np.concatenate([x_val, x_test])) == rows(digits.validation[0])
    # stratified: each class keeps its share within one image
    for label in range(10):
        share = np.mean(digits.validation[1] == label)
        assert abs(np.sum(y_val == label) - share * len(y_val)) <= 1
    # the search sees the smaller validation set, training data unchanged
    assert split.fit_kwargs["validation_data"][1] is y_val
    assert split.train is digits.train and split.fit_args is digits.fit_args
    assert digits.test is None and len(digits.fit_kwargs["validation_data"][1]) == 599


def test_hold_out_test_rejects_bad_requests(digits):
    for fraction in (0, 1, 1.5, -0.1, True, "half"):
        with pytest.raises(ValueError, match="fraction must be a number strictly between 0 and 1"):
            hold_out_test(digits, fraction)
    analytic = make_problem("analytic", budget_for("analytic"))
    with pytest.raises(ValueError, match="has no validation split"):
        hold_out_test(analytic)
    with pytest.raises(TypeError, match="problem must be a Problem"):
        hold_out_test(digits.validation)


# ----------------------------------------------------------------- selection gaps


def test_selection_gap_by_hand():
    validation, test = [0.70, 0.90, 0.80, 0.90], [0.72, 0.86, 0.81, 0.83]
    # ranked by validation: index 1 (0.90, first of the tie), 3 (0.90), 2, 0
    assert selection.selection_gap(validation, test) == pytest.approx(0.90 - 0.86)
    assert selection.selection_gap(validation, test, k=2) == pytest.approx((0.04 + 0.07) / 2)
    assert selection.selection_gap(validation, test, k=4) == pytest.approx(
        np.mean(np.subtract(validation, test))
    )
    with pytest.raises(ValueError, match="k must be an integer from 1 to 4"):
        selection.selection_gap(validation, test, k=5)
    with pytest.raises(ValueError, match="same length"):
        selection.selection_gap([], [])


def _exact_gap(correct: np.ndarray, n_validation: int, k: int) -> float:
    """Mean selection gap over every possible validation set, by enumeration."""
    images = correct.shape[1]
    gaps = []
    for chosen in itertools.combinations(range(images), n_validation):
        mask = np.zeros(images, dtype=bool)
        mask[list(chosen)] = True
        validation = correct[:, mask].mean(axis=1)
        test = correct[:, ~mask].mean(axis=1)
        gaps.append(selection.selection_gap(list(validation), list(test), k))
    return float(np.mean(gaps))


@pytest.mark.parametrize("k", [1, 2, 3])
def test_resampled_gaps_converge_to_the_exact_expectation(k):
    rng = np.random.default_rng(7)
    correct = rng.random((3, 10)) < [[0.5], [0.6], [0.7]]
    exact = _exact_gap(correct, 4, k)
    gaps = selection.resampled_gaps(correct, 4, k=k, draws=40_000, seed=1)
    assert gaps.shape == (40_000,)
    assert gaps.mean() == pytest.approx(exact, abs=0.004)
    if k == 3:
        assert exact == pytest.approx(0.0, abs=1e-12)


def test_resampled_gaps_winner_is_optimistic_and_shrinks_with_more_validation():
    rng = np.random.default_rng(0)
    correct = rng.random((12, 600)) < 0.85  # twelve equally good classifiers
    small = selection.resampled_gaps(correct, 50, draws=3000).mean()
    large = selection.resampled_gaps(correct, 300, draws=3000).mean()
    everyone = selection.resampled_gaps(correct, 50, k=12, draws=3000).mean()
    assert small > large > 0.005
    assert abs(everyone) < 0.002


def test_resampled_gaps_without_luck_is_zero():
    # trial 0 answers every image correctly: it wins every draw and its gap is 0
    rng = np.random.default_rng(1)
    correct = np.vstack([np.ones(50, dtype=bool), rng.random((4, 50)) < 0.6])
    assert np.all(selection.resampled_gaps(correct, 20, draws=200) == 0)


def test_resampled_gaps_rejects_bad_input():
    correct = np.ones((3, 10), dtype=bool)
    with pytest.raises(ValueError, match="2-D boolean array"):
        selection.resampled_gaps(correct.astype(int), 5)
    with pytest.raises(ValueError, match="n_validation must leave images on both sides"):
        selection.resampled_gaps(correct, 10)
    with pytest.raises(TypeError, match="n_validation must be an integer"):
        selection.resampled_gaps(correct, 5.0)
    with pytest.raises(ValueError, match="k must be an integer from 1 to 3"):
        selection.resampled_gaps(correct, 5, k=0)
    with pytest.raises(ValueError, match="draws must be a positive integer"):
        selection.resampled_gaps(correct, 5, draws=0)


# ----------------------------------------------------------------- records


def test_executions_and_score_at_epoch_by_hand():
    history = [{"epoch": 1, "val_accuracy": 0.5}, {"epoch": 2, "val_accuracy": 0.7},
               {"epoch": 1, "val_accuracy": 0.4}]  # fmt: skip
    assert [[e["epoch"] for e in run] for run in records.executions(history)] == [[1, 2], [1]]
    # a Hyperband trial resumed at epoch 4 counts on from there: one execution
    assert len(records.executions([{"epoch": 5}, {"epoch": 6}])) == 1
    trial = {"history": history}
    assert records.score_at_epoch(trial, 2) == 0.7
    assert records.score_at_epoch(trial, 1) == 0.5  # the first execution's
    assert records.score_at_epoch(trial, 3) is None
    with pytest.raises(ValueError, match="epoch must be a positive integer"):
        records.score_at_epoch(trial, 0)


@pytest.mark.slow
def test_repeated_trials_and_their_saved_models(tmp_path, digits):
    """One search with two executions per trial, stopped early, on digits with a test split.

    Keras Tuner's own averaging is the reference for the score, Keras' ``evaluate`` and
    the accuracies recorded during ``fit`` for the saved models.
    """
    split = hold_out_test(digits, 0.5, seed=0)
    tuner = tuners.RandomSearch(
        build_digits_model,
        objective="val_accuracy",
        max_trials=2,
        executions_per_trial=2,
        seed=2,
        directory=str(tmp_path),
        project_name="repeated",
    )
    keras.utils.set_random_seed(0)
    with tuners.quiet_stdout():
        tuner.search(
            *split.train,
            validation_data=split.validation,
            epochs=3,
            callbacks=[keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=1)],
            verbose=0,
        )
    trials = records.read_trials(tuner.project_dir)
    assert len(trials) == 2
    for trial in trials:
        runs = records.executions(trial["history"])
        assert len(runs) == 2
        assert all(1 <= len(run) <= 3 for run in runs)
        bests = [max(e["val_accuracy"] for e in run) for run in runs]
        assert trial["score"] == pytest.approx(np.mean(bests), rel=1e-6)
        assert tuner.oracle.get_trial(trial["trial_id"]).score == pytest.approx(trial["score"])
        assert trial["epochs"] == sum(len(run) for run in runs)
        # the saved weights are the best epoch over both executions, scored by Keras in fit
        on_validation = tuners.saved_model_accuracy(tuner, trial["trial_id"], split.validation)
        assert on_validation == pytest.approx(max(e["val_accuracy"] for e in trial["history"]))

    best = tuner.oracle.get_best_trials(1)[0]
    ours = tuners.saved_model_accuracy(tuner, best.trial_id, split.test)
    with tuners.quiet_stdout():
        model = tuner.get_best_models(1)[0]
    _, keras_accuracy = model.evaluate(*split.test, verbose=0)
    assert ours == pytest.approx(keras_accuracy, abs=1e-6)
    predicted = tuners.saved_model_predictions(tuner, best.trial_id, split.test[0])
    assert predicted.shape == split.test[1].shape and predicted.dtype.kind == "i"
    in_small_batches = tuners.saved_model_predictions(
        tuner, best.trial_id, split.test[0], batch_size=7
    )
    np.testing.assert_array_equal(in_small_batches, predicted)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        tuners.saved_model_predictions(tuner, best.trial_id, split.test[0], batch_size=0)

    with pytest.raises(ValueError, match="no trial 'nope'"):
        tuners.saved_model_accuracy(tuner, "nope", split.test)
    with pytest.raises(ValueError, match="one length"):
        tuners.saved_model_accuracy(tuner, best.trial_id, (split.test[0], split.test[1][:3]))


def test_a_trial_without_a_saved_model_is_named(tmp_path, digits):
    class NoCheckpoint(kt.RandomSearch):  # like CustomTrainingTuner, saves no model
        def run_trial(self, trial, *args, **kwargs):
            return {"val_accuracy": 0.5}

    unsaved = NoCheckpoint(
        hypermodel=build_digits_model,
        objective="val_accuracy",
        max_trials=1,
        seed=1,
        directory=str(tmp_path),
        project_name="unsaved",
    )
    with tuners.quiet_stdout():
        unsaved.search(verbose=0)
    trial_id = next(iter(unsaved.oracle.trials))
    with pytest.raises(ValueError, match="has no saved model"):
        tuners.saved_model_accuracy(unsaved, trial_id, digits.validation)


@pytest.mark.slow
def test_compare_tuners_holds_the_same_test_images_out_of_every_search(tmp_path):
    results = tuners.compare_tuners(
        ["random", "grid"], directory=tmp_path, test_fraction=0.5, max_trials=1, epochs=1
    )
    first, second = (r["problem"] for r in results)
    assert np.array_equal(first.test[1], second.test[1])
    n_validation = len(first.validation[1])
    assert n_validation + len(first.test[1]) == 599
    for result in results:
        # the score is a count over the smaller validation set
        count = result["best"] * n_validation
        assert count == pytest.approx(round(count), abs=1e-3)
        assert result["tuner_object"].oracle.trials


# ----------------------------------------------------------------- search space


def _mixed_space(hp):
    hp.Fixed("batch", 32)
    hp.Choice("optimizer", ["adam", "sgd", "rmsprop"])
    use = hp.Boolean("dropout")
    with hp.conditional_scope("dropout", [True]):
        if use:
            hp.Float("rate", 0.1, 0.5, step=0.2)
    hp.Float("learning_rate", 1e-4, 1e-1, sampling="log")
    hp.Int("units", 32, 128, step=32)


def test_gaussian_process_inputs_match_the_bayesian_oracle(tmp_path):
    hps = space.collect_search_space(_mixed_space)
    oracle = kt.oracles.BayesianOptimizationOracle(
        objective=kt.Objective("score", "max"), max_trials=10, seed=3, hyperparameters=hps
    )
    oracle._set_project_dir(str(tmp_path), "bo")
    with tuners.quiet_stdout():
        for i in range(6):
            trial = oracle.create_trial(f"t{i}")
            oracle.update_trial(trial.trial_id, {"score": 0.1 * i})
            trial.status = "COMPLETED"
            oracle.end_trial(trial)
    x, _ = oracle._vectorize_trials()
    names = [hp.name for hp in oracle._nonfixed_space()]
    assert "batch" not in names
    seen_inactive = False
    for row, trial in zip(x, oracle.trials.values(), strict=True):
        ours = space.gaussian_process_inputs(hps, trial.hyperparameters.values)
        assert list(ours) == names
        np.testing.assert_allclose([ours[n] for n in names], row, rtol=0, atol=1e-12)
        seen_inactive |= "rate" not in trial.hyperparameters.values
    assert seen_inactive  # an inactive child was encoded by its default
    encoded = [space.gaussian_process_inputs(hps, {"optimizer": v})["optimizer"]
               for v in ("adam", "sgd", "rmsprop")]  # fmt: skip
    np.testing.assert_allclose(encoded, [1 / 6, 1 / 2, 5 / 6])


def test_gaussian_process_inputs_rejects_unknown_names():
    hps = space.collect_search_space(_mixed_space)
    with pytest.raises(ValueError, match=r"\['colour'\] are not in the search space"):
        space.gaussian_process_inputs(hps, {"colour": "red"})
    with pytest.raises(TypeError, match="values must be a dict"):
        space.gaussian_process_inputs(hps, [("optimizer", "adam")])


def test_random_draws_are_what_a_real_random_search_runs(tmp_path):
    class NoTraining(kt.RandomSearch):
        def run_trial(self, trial, *args, **kwargs):
            return {"score": 0.0}

    class Space(kt.HyperModel):
        def build(self, hp):
            _mixed_space(hp)

    tuner = NoTraining(
        hypermodel=Space(),
        objective=kt.Objective("score", "max"),
        max_trials=7,
        seed=5,
        directory=str(tmp_path),
        project_name="draws",
    )
    with tuners.quiet_stdout():
        tuner.search(verbose=0)
    ran = [dict(t.hyperparameters.values) for t in tuner.oracle.trials.values()]
    drawn = space.random_draws(_mixed_space, 7, seed=5)
    assert drawn == ran
    assert all(("rate" in d) == d["dropout"] for d in drawn)
    with pytest.raises(ValueError, match="seed must be a positive integer"):
        space.random_draws(_mixed_space, 3, seed=0)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        space.random_draws(_mixed_space, 0)


def test_one_name_in_two_scopes_loses_its_value():
    """The collision the tuning-cifar chapter's engineering note shows (Keras Tuner 1.4.8)."""

    def one_name(hp):
        optimizer = hp.Choice("optimizer", ["adam", "sgd"])
        for name, low, high in (("adam", 1e-4, 1e-2), ("sgd", 1e-3, 1e-1)):
            with hp.conditional_scope("optimizer", [name]):
                if optimizer == name:
                    hp.Float("learning_rate", low, high, sampling="log")

    drawn = space.random_draws(one_name, 6, seed=1)
    # clearing the inactive twin declared second deletes the name: Adam loses its rate
    adam = [d for d in drawn if d["optimizer"] == "adam"]
    sgd = [d for d in drawn if d["optimizer"] == "sgd"]
    assert adam and sgd
    assert all(set(d) == {"optimizer"} for d in adam)
    assert all(1e-3 <= d["learning_rate"] <= 1e-1 for d in sgd)
    hp = space.collect_search_space(one_name).copy()
    hp.values = dict(adam[0])
    with pytest.raises(KeyError, match="learning_rate"):
        one_name(hp)
    # SGD's surviving rate was drawn again, without the seed: another run differs
    redrawn = space.random_draws(one_name, 6, seed=1)
    again = [d["learning_rate"] for d in redrawn if "learning_rate" in d]
    assert again != [d["learning_rate"] for d in sgd]


# ----------------------------------------------------------------- tables


def test_tuner_choice_table_has_one_row_per_oracle_in_both_languages():
    for lang in ("en", "fa"):
        html = figures.tuner_choice_table_html(lang)
        body = html[html.index("<tbody>") :]
        assert body.count("<tr>") == 4
        assert body.count("<td") == 4 * 6
        for name in ("RandomSearch", "GridSearch", "Hyperband", "BayesianOptimization"):
            assert name in body
    persian = figures.tuner_choice_table_html("fa")
    assert 'dir="rtl"' in persian and "ي" not in persian and "ك" not in persian
    english_cells = {c for _, en, _ in figures.TUNER_CHOICE for c in en}
    assert not any(cell in persian for cell in english_cells if len(cell) > 8)


def test_executions_and_selection_tables():
    trial = {"trial_id": "3", "score": 0.75,
             "history": [{"epoch": 1, "val_accuracy": 0.6}, {"epoch": 2, "val_accuracy": 0.8},
                         {"epoch": 1, "val_accuracy": 0.7}]}  # fmt: skip
    html = figures.executions_table_html([trial], "en")
    body = html[html.index("<tbody>") :]
    assert body.count("<tr>") == 2
    assert "<td>0.800</td>" in body and "<td>0.700</td>" in body and "<td>0.750</td>" in body
    persian = figures.executions_table_html([trial], "fa")
    assert "۰٫۸۰۰" in persian and "۰٫۷۵۰" in persian
    row = {"validation": 50, "held_out": 549, "best": 0.03, "top3": -0.004, "all": 0.0,
           "optimistic": 0.8}  # fmt: skip
    html = figures.selection_table_html([row], "en")
    assert "+0.030" in html and "−0.004" in html and "80%" in html
    persian = figures.selection_table_html([row], "fa")
    assert "\u2066+۰٫۰۳۰\u2069" in persian and "۸۰٪" in persian
    assert figures.signed_number(-0.0004, "en") == "−0.000"
