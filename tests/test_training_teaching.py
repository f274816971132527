"""The training chapter's update rules against Keras' optimizers, its reading of a
history against hand-made histories, and its figure helpers against their inputs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from convnotes import training
from convnotes.presentation import training as figures_training

keras = training.keras


def _keras_path(make_optimizer, gradient, start, steps):
    """The weights after each step of a Keras optimizer fed ``gradient(w)``."""
    w = keras.Variable(np.asarray(start, dtype="float64"), dtype="float64")
    optimizer = make_optimizer()
    path = [np.array(w.numpy())]
    for _ in range(steps):
        g = keras.ops.convert_to_tensor(gradient(np.array(w.numpy())), dtype="float64")
        optimizer.apply_gradients([(g, w)])
        path.append(np.array(w.numpy()))
    return np.stack(path)


def _f32(rate):
    """Keras keeps the learning rate in a float32 variable: feed ours the same number."""
    return float(np.float32(rate))


def _valley(w):
    """The gradient of f(w) = (w_1^2 + 25 w_2^2) / 2."""
    return np.array([1.0, 25.0]) * w


@pytest.mark.parametrize(
    ("rule", "make", "rate"),
    [
        ("sgd", lambda: keras.optimizers.SGD(0.03), 0.03),
        ("momentum", lambda: keras.optimizers.SGD(0.02, momentum=_f32(0.9)), 0.02),
        ("adam", lambda: keras.optimizers.Adam(0.3), 0.3),
    ],
)
def test_descend_follows_keras_optimizers(rule, make, rate):
    momentum = _f32(0.9)  # Keras keeps it as float32 too
    ours = training.descend(
        _valley, [-4.0, 1.0], rule=rule, learning_rate=_f32(rate), steps=30, momentum=momentum
    )
    theirs = _keras_path(make, _valley, [-4.0, 1.0], 30)
    assert ours.shape == (31, 2)
    # exact for SGD; Adam's bias correction uses float32 betas in Keras (about 1e-6)
    np.testing.assert_allclose(
        ours, theirs, rtol=1e-5 if rule == "adam" else 1e-9, atol=1e-4 if rule == "adam" else 1e-12
    )


@pytest.mark.parametrize(
    ("seed", "rate", "momentum"), [(0, 0.1, 0.0), (1, 0.01, 0.5), (2, 0.3, 0.9), (3, 1e-3, 0.99)]
)
def test_sgd_update_matches_keras_on_random_gradients(seed, rate, momentum):
    rng = np.random.default_rng(seed)
    gradients = rng.normal(size=(4, 3))
    w, velocity = rng.normal(size=3), None
    variable = keras.Variable(w.copy(), dtype="float64")
    optimizer = keras.optimizers.SGD(rate, momentum=momentum)
    for g in gradients:
        w, velocity = training.sgd_update(
            w, g, velocity, learning_rate=_f32(rate), momentum=_f32(momentum)
        )
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(g, "float64"), variable)])
    np.testing.assert_allclose(w, variable.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("seed", "rate"), [(0, 0.1), (1, 1e-3), (2, 0.5)])
def test_adam_update_matches_keras_on_random_gradients(seed, rate):
    # gradients of very different sizes per weight: Adam's steps are still about rate
    rng = np.random.default_rng(seed)
    gradients = rng.normal(size=(5, 3)) * np.array([1e-3, 1.0, 1e3])
    w = rng.normal(size=3)
    m, s = np.zeros(3), np.zeros(3)
    variable = keras.Variable(w.copy(), dtype="float64")
    optimizer = keras.optimizers.Adam(rate)
    for t, g in enumerate(gradients, start=1):
        w, m, s = training.adam_update(w, g, m, s, t, learning_rate=_f32(rate))
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(g, "float64"), variable)])
    # Keras rounds beta_1 and beta_2 to float32 in the bias correction: 1e-6 of each step
    np.testing.assert_allclose(w, variable.numpy(), rtol=1e-5, atol=2e-5 * rate)


def test_adam_first_step_is_the_learning_rate_whatever_the_gradient_scale():
    # m = 0.1 g, s = 0.001 g^2, rate_1 = eta sqrt(0.001) / 0.1: the step is eta * sign(g)
    w, _, _ = training.adam_update(
        [0.0, 0.0, 0.0], [1e4, -1.0, 1e-2], [0, 0, 0], [0, 0, 0], 1, learning_rate=0.01
    )
    np.testing.assert_allclose(w, [-0.01, 0.01, -0.01], rtol=1e-3)


def test_plain_sgd_is_momentum_zero_and_converges_at_rate_one_minus_eta_lambda():
    path = training.descend(lambda w: 4.0 * w, [1.0], rule="sgd", learning_rate=0.1, steps=5)
    np.testing.assert_allclose(path.ravel(), 0.6 ** np.arange(6))
    same = training.descend(
        lambda w: 4.0 * w, [1.0], rule="momentum", learning_rate=0.1, steps=5, momentum=0.0
    )
    np.testing.assert_allclose(same, path)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: training.sgd_update([1.0], [1.0, 2.0], learning_rate=0.1), "gradient must have"),
        (lambda: training.sgd_update([1.0], [1.0], learning_rate=0), "learning_rate must be"),
        (
            lambda: training.sgd_update([1.0], [1.0], learning_rate=0.1, momentum=1.0),
            "momentum must be",
        ),
        (lambda: training.sgd_update(["a"], [1.0], learning_rate=0.1), "weights must be"),
        (lambda: training.sgd_update([np.nan], [1.0], learning_rate=0.1), "finite"),
        (
            lambda: training.adam_update([1.0], [1.0], [0.0], [0.0], 0, learning_rate=0.1),
            "step must be",
        ),
        (
            lambda: training.adam_update(
                [1.0], [1.0], [0.0], [0.0], 1, learning_rate=0.1, beta_2=1.0
            ),
            "beta_2 must be",
        ),
        (
            lambda: training.descend(
                _valley, [1.0, 1.0], rule="rmsprop", learning_rate=0.1, steps=1
            ),
            "rule must be one of",
        ),
        (
            lambda: training.descend(_valley, [1.0, 1.0], rule="sgd", learning_rate=0.1, steps=-1),
            "steps must be",
        ),
    ],
)
def test_update_rules_name_the_bad_argument(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_descend_needs_a_function():
    with pytest.raises(TypeError, match="gradient must be a function"):
        training.descend([1.0], [1.0], rule="sgd", learning_rate=0.1, steps=1)


# ----------------------------------------------------------------- reading a history


def _history(train_acc, val_acc, val_loss, name="val"):
    return {"accuracy": train_acc, f"{name}_accuracy": val_acc, f"{name}_loss": val_loss}


def test_a_gap_alone_is_not_overfitting():
    # training accuracy 20 points above validation all along, validation loss still falling
    history = _history(
        [0.6, 0.7, 0.8, 0.85, 0.9], [0.4, 0.5, 0.6, 0.65, 0.7], [1.6, 1.3, 1.1, 1.0, 0.95]
    )
    report = training.overfitting_report(history, window=2)
    assert report["best_epoch"] == 5 and not report["overfitting"]
    assert report["late_gap"] == pytest.approx(0.2)


def test_rising_validation_loss_with_a_growing_gap_is_overfitting():
    history = _history(
        [0.5, 0.7, 0.8, 0.9, 0.97, 0.99],
        [0.45, 0.6, 0.65, 0.64, 0.63, 0.62],
        [1.5, 1.2, 1.1, 1.15, 1.3, 1.45],
    )
    report = training.overfitting_report(history, window=2)
    # by hand: best epoch 3 (loss 1.1, gap 0.15); last two epochs: loss 1.375, gap 0.355
    assert report["best_epoch"] == 3
    assert report["best_loss"] == pytest.approx(1.1)
    assert report["late_loss"] == pytest.approx(1.375)
    assert report["gap_at_best"] == pytest.approx(0.15)
    assert report["late_gap"] == pytest.approx(0.355)
    assert report["loss_turned_up"] and report["gap_grew"] and report["overfitting"]


def test_rising_loss_with_a_shrinking_gap_is_not_overfitting():
    # the loss rises (say, a learning rate too large), but training accuracy falls too
    history = _history(
        [0.5, 0.7, 0.8, 0.6, 0.5], [0.45, 0.6, 0.7, 0.58, 0.49], [1.5, 1.2, 1.0, 1.3, 1.5]
    )
    report = training.overfitting_report(history, window=2)
    assert report["loss_turned_up"] and not report["gap_grew"] and not report["overfitting"]


def test_a_rise_within_the_tolerance_does_not_count_and_epochs_are_renumbered():
    history = _history([0.5, 0.8, 0.9, 0.95], [0.5, 0.6, 0.6, 0.6], [1.0, 0.9, 0.91, 0.905])
    history["epoch"] = [11, 12, 13, 14]  # a resumed run
    report = training.overfitting_report(history, window=2, tolerance=0.02)
    assert report["best_epoch"] == 12 and not report["loss_turned_up"]
    assert training.overfitting_report(history, window=2, tolerance=0.001)["overfitting"]


def test_the_recorded_test_history_can_be_read_with_its_name():
    history = _history([0.5, 0.9, 0.95], [0.5, 0.6, 0.6], [1.0, 0.8, 1.2], name="test")
    assert training.overfitting_report(history, validation_name="test", window=1)["overfitting"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"window": 3}, "window must be an integer from 1 to 2"),
        ({"window": 0}, "window must be"),
        ({"window": 1, "tolerance": -0.1}, "tolerance must be"),
        ({"window": 1, "validation_name": "test"}, "missing"),
    ],
)
def test_overfitting_report_names_the_bad_argument(kwargs, message):
    history = _history([0.5, 0.6, 0.7], [0.5, 0.5, 0.5], [1.0, 0.9, 1.0])
    with pytest.raises(ValueError, match=message):
        training.overfitting_report(history, **kwargs)


def test_overfitting_report_needs_lists_of_one_length():
    with pytest.raises(ValueError, match="of one length"):
        training.overfitting_report(_history([0.5, 0.6], [0.5, 0.5, 0.5], [1.0, 0.9, 1.0]))


# ----------------------------------------------------------------- figures


def test_kernel_tiles_scale_each_filter_by_its_largest_weight():
    rng = np.random.default_rng(0)
    kernel = rng.normal(size=(3, 3, 3, 5))
    tiles = figures_training.kernel_tiles(kernel)
    assert tiles.shape == (5, 3, 3, 3)
    for o in range(5):
        expected = 0.5 + 0.5 * kernel[..., o] / np.abs(kernel[..., o]).max()
        np.testing.assert_allclose(tiles[o], expected)
        assert tiles[o].min() >= 0 and tiles[o].max() <= 1
        assert np.isclose(tiles[o], 0).any() or np.isclose(tiles[o], 1).any()
    with pytest.raises(ValueError, match="kernel must have shape"):
        figures_training.kernel_tiles(np.zeros((3, 3, 1, 4)))


def test_mosaic_places_tiles_row_by_row_and_right_to_left_for_persian():
    tiles = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    for rtl in (False, True):
        m = figures_training.mosaic(tiles, 3, gap=1, fill=np.nan, rtl=rtl)
        assert m.shape == (2 * 2 + 1, 3 * 3 + 2)
        for index in range(5):
            row, col = divmod(index, 3)
            col = 2 - col if rtl else col
            np.testing.assert_array_equal(
                m[row * 3 : row * 3 + 2, col * 4 : col * 4 + 3], tiles[index]
            )
        assert np.isnan(m).sum() == m.size - tiles.size
    with pytest.raises(ValueError, match="columns must be"):
        figures_training.mosaic(tiles, 0)
    with pytest.raises(ValueError, match="tiles must have shape"):
        figures_training.mosaic(np.zeros((2, 2)), 1)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_kernel_grid_shows_every_filter_in_reading_order(lang):
    rng = np.random.default_rng(1)
    kernel = rng.normal(size=(3, 3, 3, 14))
    fig = figures_training.plot_kernels(kernel, lang, columns=6)
    tiles = figures_training.kernel_tiles(kernel)
    (image,) = fig.axes[0].get_images()
    shown = np.asarray(image.get_array())
    assert shown.shape == (3 * 4 - 1, 6 * 4 - 1, 3)
    for index in range(14):
        row, col = divmod(index, 6)
        col = 5 - col if lang == "fa" else col
        np.testing.assert_allclose(
            shown[row * 4 : row * 4 + 3, col * 4 : col * 4 + 3], tiles[index]
        )
    title = fig.axes[0].get_title()
    assert ("۱۴" in title and "14" not in title) if lang == "fa" else "14 filters" in title
    plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_feature_map_figure_draws_the_first_channels_of_each_layer(lang):
    rng = np.random.default_rng(2)
    image = rng.integers(0, 256, size=(8, 8, 3), dtype=np.uint8)
    maps = {"conv1": rng.random((8, 8, 6)) * 5, "pool": rng.random((4, 4, 6))}
    fig = figures_training.plot_feature_maps(image, maps, lang, channels=4)
    axes = np.array(fig.axes).reshape(2, 2)
    image_col, maps_col = (1, 0) if lang == "fa" else (0, 1)
    np.testing.assert_array_equal(axes[0, image_col].get_images()[0].get_array(), image)
    assert not axes[1, image_col].get_images()
    for row, fmap in enumerate(maps.values()):
        shown = np.asarray(axes[row, maps_col].get_images()[0].get_array().filled(np.nan))
        side = fmap.shape[0]
        for c in range(4):
            col = 3 - c if lang == "fa" else c
            tile = shown[:, col * (side + 1) : col * (side + 1) + side]
            channel = fmap[..., c]
            expected = (channel - channel.min()) / (channel.max() - channel.min())
            np.testing.assert_allclose(tile, expected)
        assert np.isnan(shown).sum() == 3 * side  # three one-pixel gaps between four maps
    titles = [ax.get_title(loc="right" if lang == "fa" else "left") for ax in fig.axes]
    expected = "pool  (4 × 4 × 6)" if lang == "en" else "لایهٔ pool، ۴ × ۴ × ۶"
    assert expected in titles
    plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_optimizer_paths_are_drawn_as_given(lang):
    paths = {
        rule: training.descend(_valley, [-4.0, 1.0], rule=rule, learning_rate=rate, steps=10)
        for rule, rate in (("sgd", 0.03), ("momentum", 0.02), ("adam", 0.3))
    }
    fig = figures_training.plot_optimizer_paths(paths, lambda a, b: (a**2 + 25 * b**2) / 2, lang)
    ax = fig.axes[0]
    drawn = [line for line in ax.get_lines() if len(line.get_xdata()) == 11]
    assert len(drawn) == 3
    for line, path in zip(drawn, paths.values(), strict=True):
        np.testing.assert_allclose(np.column_stack(line.get_data()), path)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == (
        ["SGD", "SGD with momentum", "Adam"]
        if lang == "en"
        else ["روش SGD", "روش SGD با تکانه", "روش Adam"]
    )
    plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_learning_rate_figure_plots_each_loss_curve_and_the_uniform_guess(lang):
    histories = {
        1e-5: {"epoch": [1, 2, 3], "loss": [2.30, 2.29, 2.28]},
        1e-3: {"epoch": [1, 2, 3], "loss": [2.2, 1.9, 1.7]},
    }
    names = {1e-5: ("too small", "خیلی کوچک")}
    fig = figures_training.plot_learning_rate_runs(histories, lang, names=names, num_classes=10)
    ax = fig.axes[0]
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) == 3]
    for line, history in zip(curves, histories.values(), strict=True):
        np.testing.assert_allclose(line.get_ydata(), history["loss"])
    guess = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert len(guess) == 1 and guess[0].get_ydata()[0] == pytest.approx(math.log(10))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    if lang == "en":
        assert labels == ["η = 0.00001 (too small)", "η = 0.001"]
    else:
        assert labels == ["خیلی کوچک: η = ۰٫۰۰۰۰۱", "η = ۰٫۰۰۱"]
    plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_early_stopping_figure_marks_the_best_and_the_last_epoch(lang):
    history = {"loss": [2.0, 1.6, 1.3, 1.1, 0.9], "val_loss": [2.1, 1.8, 1.7, 1.75, 1.9]}
    fig = figures_training.plot_early_stopping(history, 3, 5, lang)
    ax = fig.axes[0]
    vertical = sorted(
        line.get_xdata()[0] for line in ax.get_lines() if len(set(line.get_xdata())) == 1
    )
    assert vertical == [3, 5]
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) == 5]
    np.testing.assert_allclose(curves[1].get_ydata(), history["val_loss"])
    np.testing.assert_allclose(curves[0].get_xdata(), [1, 2, 3, 4, 5])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    if lang == "en":
        assert labels == ["training", "validation", "best epoch (weights kept)", "last epoch run"]
    else:
        assert labels[2:] == ["بهترین دوره (وزن‌های نگه‌داشته)", "آخرین دورهٔ اجراشده"]
    plt.close(fig)


def test_rate_text_is_a_plain_decimal():
    assert figures_training.rate_text(5e-4, "en") == "0.0005"
    assert figures_training.rate_text(0.1, "fa") == "۰٫۱"


def test_the_throughput_table_comes_from_the_one_builder():
    variant = {"images_per_second_median": 1234.4, "speedup_vs_naive_median": 2.5}
    record = {"metrics": {"throughput": {"32": {"naive": {"images_per_second_median": 493.8},
                                                "pipeline-float32": variant, "pipeline": variant}}},
              "config": {"precision_of_pipeline": "float32"}}  # fmt: skip
    en = figures_training.throughput_table_html(record, "en").data
    assert en.startswith('<table class="table cn-table" lang="en" dir="ltr"><thead><tr>')
    assert "<th>batch 32</th>" in en and "<td>494</td>" in en and "<td>1,234 (×2.50)</td>" in en
    assert '(<code dir="ltr">float32</code>)' in en  # the precision, set as code
    fa = figures_training.throughput_table_html(record, "fa").data
    assert 'dir="rtl"' in fa and "<td>۱٬۲۳۴ (×۲٫۵۰)</td>" in fa
