"""The tf.data pipeline, training with checkpoints, evaluation, figures and run records."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from convnotes import data, models, training
from convnotes.cli import main as cli_main
from convnotes.presentation import training as figures_training

keras = training.keras
tf = training.tf
ROOT = Path(__file__).resolve().parents[1]
SHARED_CIFAR = ROOT.parent / "shared" / "data" / "cifar10"


def random_images(n, seed=0, side=32):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, side, side, 3), dtype=np.uint8), np.arange(n) % 10


def tiny_model(seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    options = {
        "conv_layers": 1,
        "dense_layers": 1,
        "units": 16,
        "filters": 4,
        "precision": "float32",
    } | kwargs
    return models.build_model(**options)


# ------------------------------------------------------------------ the pipeline


def _all(dataset):
    xs, ys = zip(*[(a.numpy(), b.numpy()) for a, b in dataset], strict=True)
    return np.concatenate(xs), np.concatenate(ys)


def test_dataset_scales_batches_and_keeps_order_without_shuffle():
    x, y = random_images(10)
    dataset = training.make_dataset(x, y, batch_size=4, shuffle=False)
    sizes = [int(a.shape[0]) for a, _ in dataset]
    assert sizes == [4, 4, 2]
    images, labels = _all(dataset)
    np.testing.assert_allclose(images, x.astype(np.float32) / 255, rtol=0, atol=1e-7)
    np.testing.assert_array_equal(labels, y)


def test_shuffle_is_a_seeded_permutation_that_changes_every_epoch():
    x, y = random_images(50)
    y = np.arange(50)  # unique labels reveal the order
    dataset = training.make_dataset(x, y, batch_size=8, shuffle=True, seed=3)
    first, second = _all(dataset)[1], _all(dataset)[1]
    assert sorted(first) == list(range(50)) and sorted(second) == list(range(50))
    assert not np.array_equal(first, second)
    again = _all(training.make_dataset(x, y, batch_size=8, shuffle=True, seed=3))[1]
    np.testing.assert_array_equal(first, again)
    other = _all(training.make_dataset(x, y, batch_size=8, shuffle=True, seed=4))[1]
    assert not np.array_equal(first, other)
    images, labels = _all(training.make_dataset(x, y, batch_size=8, shuffle=True, seed=3))
    np.testing.assert_allclose(images, x[labels] / 255, atol=1e-7)  # pairs stay together


def _shift_reference(image, flip, dy, dx, pad=training.MAX_SHIFT):
    """Independent NumPy version: flip, zero-pad by ``pad``, crop at offset (dy, dx)."""
    if flip:
        image = image[:, ::-1]
    padded = np.pad(image, ((pad, pad), (pad, pad), (0, 0)))
    return padded[dy : dy + image.shape[0], dx : dx + image.shape[1]]


def test_augmentation_is_a_flip_and_shift_of_each_image():
    x, _ = random_images(64, seed=1)
    images = x.astype(np.float32) / 255
    out = training.augment_batch(images, tf.constant([7, 11], tf.int64)).numpy()
    flips, shifts = set(), set()
    for original, augmented in zip(images, out, strict=True):
        matches = [
            (f, dy, dx)
            for f in (False, True)
            for dy in range(9)
            for dx in range(9)
            if np.array_equal(_shift_reference(original, f, dy, dx), augmented)
        ]
        assert len(matches) == 1, "each output must be exactly one flip/shift of its input"
        flips.add(matches[0][0])
        shifts.add(matches[0][1:])
    assert flips == {False, True} and len(shifts) > 20
    again = training.augment_batch(images, tf.constant([7, 11], tf.int64)).numpy()
    np.testing.assert_array_equal(out, again)


def test_augmented_dataset_differs_per_epoch_but_is_seeded():
    x, y = random_images(16, seed=2)
    dataset = training.make_dataset(x, y, batch_size=16, shuffle=False, augment=True, seed=5)
    a, b = _all(dataset)[0], _all(dataset)[0]
    assert not np.array_equal(a, b)
    c = _all(training.make_dataset(x, y, batch_size=16, shuffle=False, augment=True, seed=5))[0]
    np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize(
    ("x", "y", "kwargs", "error", "message"),
    [
        (np.zeros((4, 32, 32, 3), np.float32), np.zeros(4), {}, TypeError, "must be uint8"),
        (np.zeros((4, 32, 32), np.uint8), np.zeros(4), {}, ValueError, "shape"),
        (
            np.zeros((4, 32, 32, 3), np.uint8),
            np.zeros(3),
            {},
            ValueError,
            r"y must have shape \(4,\)",
        ),
        (
            np.zeros((4, 32, 32, 3), np.uint8),
            np.zeros(4),
            {"batch_size": 0},
            ValueError,
            "batch_size must be a positive integer, got 0",
        ),
    ],
)
def test_pipeline_rejects_bad_input(x, y, kwargs, error, message):
    with pytest.raises(error, match=message):
        training.make_dataset(x, y, **({"batch_size": 2} | kwargs), shuffle=False)


def test_single_device_strategy():
    strategy = training.distribution_strategy()
    assert strategy.num_replicas_in_sync == 1


# ------------------------------------------------------------------ evaluation


def test_evaluate_agrees_with_keras_and_sklearn():
    from sklearn.metrics import confusion_matrix

    x, y = random_images(120, seed=4)
    model = tiny_model(seed=4)
    result = training.evaluate(model, x, y, batch_size=32)
    loss, accuracy = model.evaluate(x.astype(np.float32) / 255, y, verbose=0)
    assert result["loss"] == pytest.approx(loss, rel=1e-4)
    assert result["accuracy"] == pytest.approx(accuracy)
    predicted = model.predict(x.astype(np.float32) / 255, verbose=0).argmax(axis=1)
    expected = confusion_matrix(y, predicted, labels=range(10))
    np.testing.assert_array_equal(result["confusion_matrix"], expected)
    np.testing.assert_allclose(
        result["per_class_accuracy"], expected.diagonal() / expected.sum(axis=1)
    )
    assert set(training.jsonable_metrics(result)) == {
        "loss",
        "accuracy",
        "per_class_accuracy",
        "confusion_matrix",
        "n_images",
    }


# ------------------------------------------------------------------ training and resuming


class _Interrupt(keras.callbacks.Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt


class _CountEpochs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.started = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started.append(epoch)


def test_interrupted_run_resumes_from_its_checkpoint(tmp_path):
    x, y = random_images(64, seed=5)
    split = (x[:48], y[:48], x[48:], y[48:])
    ckpt = tmp_path / "ckpt"
    model = tiny_model(seed=5)
    with pytest.raises(KeyboardInterrupt):
        training.train(
            model,
            split,
            epochs=3,
            batch_size=16,
            checkpoint_dir=ckpt,
            callbacks=[_Interrupt(at_epoch=1)],
        )
    state = json.loads((ckpt / training.CHECKPOINT_STATE).read_text())
    assert state["epochs_done"] == 1 and state["history"]["epoch"] == [1]
    saved = keras.models.load_model(ckpt / training.CHECKPOINT_MODEL)

    fresh = tiny_model(seed=99)  # a new process would build an untrained model
    counter = _CountEpochs()
    restored = []

    class _WeightsAtStart(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            if not restored:
                restored.append([w.copy() for w in self.model.get_weights()])

    history = training.train(
        fresh,
        split,
        epochs=3,
        batch_size=16,
        checkpoint_dir=ckpt,
        callbacks=[counter, _WeightsAtStart()],
    )
    assert counter.started == [1, 2]  # epoch 0 was not repeated
    assert history["epoch"] == [1, 2, 3] and len(history["val_loss"]) == 3
    assert history["loss"][0] == state["history"]["loss"][0]
    for got, want in zip(restored[0], saved.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    assert int(fresh.optimizer.iterations.numpy()) == 3 * 3  # 48 images / 16 per step


def test_train_validates_arguments():
    x, y = random_images(8)
    with pytest.raises(ValueError, match="epochs must be a positive integer, got 0"):
        training.train(tiny_model(), (x, y), epochs=0, batch_size=4)
    with pytest.raises(TypeError, match="data must have"):
        training.train(tiny_model(), x, epochs=1, batch_size=4)


@pytest.fixture(scope="module")
def real_cifar(tmp_path_factory):
    """The first 3,000 training and 1,000 test images of the shared copy (official pixels)."""
    if not (SHARED_CIFAR / "materialize.py").exists():
        pytest.skip("the shared CIFAR-10 pack is not beside this checkout")
    out = tmp_path_factory.mktemp("cifar")
    subprocess.run(
        [
            sys.executable,
            str(SHARED_CIFAR / "materialize.py"),
            str(out),
            "--train",
            "3000",
            "--test",
            "1000",
        ],
        check=True,
        capture_output=True,
    )
    return data.load_cifar10(out)


@pytest.mark.slow
def test_short_training_on_real_cifar10_beats_chance(real_cifar):
    x_train, y_train = data.stratified_subset(real_cifar.x_train, real_cifar.y_train, 200, 0)
    keras.utils.set_random_seed(0)
    # The source's architecture; a higher rate and lighter dropout learn faster in 3 epochs.
    model = models.build_model(learning_rate=1e-3, dropout=(0.1, 0.2))
    history = training.train(model, (x_train, y_train), epochs=3, batch_size=32, seed=0)
    result = training.evaluate(model, real_cifar.x_test, real_cifar.y_test)
    assert history["loss"][-1] < history["loss"][0]
    # Chance is 0.10; with 1,000 test images its standard error is under 0.01.
    print(f"test accuracy after 3 epochs on 2,000 images: {result['accuracy']:.3f}")
    assert result["accuracy"] > 0.25, result["accuracy"]


@pytest.mark.slow
def test_batch_norm_model_learns_on_real_cifar10(real_cifar):
    # Normalizing the convolutions alone kept this model at chance (0.10) under the
    # default dropout; normalizing the dense layers too fixed it.
    # 150 images per class: 0.246 (Eigen) and 0.26 (oneDNN) after 3 epochs on an AVX2 CPU.
    x_train, y_train = data.stratified_subset(real_cifar.x_train, real_cifar.y_train, 150, 0)
    keras.utils.set_random_seed(0)
    model = models.build_model(batch_norm=True, precision="float32")
    history = training.train(model, (x_train, y_train), epochs=3, batch_size=32, seed=0)
    print(f"training accuracy per epoch with batch normalization: {history['accuracy']}")
    assert history["accuracy"][-1] > 0.2, history["accuracy"]


# ------------------------------------------------------------------ the command and records


@pytest.fixture
def fake_cifar_dir(tmp_path):
    x_train, y_train = random_images(600, seed=6)
    x_test, y_test = random_images(50, seed=7)
    return data.write_cifar10_dir(tmp_path / "cifar", x_train, y_train, x_test, y_test)


@pytest.mark.slow
def test_train_command_writes_a_record(fake_cifar_dir, tmp_path):
    out = tmp_path / "runs" / "quick.json"
    args = [
        "train",
        "--profile",
        "quick",
        "--data",
        str(fake_cifar_dir),
        "--out",
        str(out),
        "--train-per-class",
        "3",
        "--val-per-class",
        "1",
        "--test-per-class",
        "2",
        "--batch-size",
        "16",
        "--precision",
        "float32",
        "--seed",
        "1",
    ]
    assert cli_main([*args, "--epochs", "1"]) == 0
    record = json.loads(out.read_text())
    assert record["kind"] == "convnotes.train/1" and record["config"]["profile"] == "quick-custom"
    assert record["config"]["sizes"] == {"train": 30, "val": 10, "test": 20}
    assert record["model"]["parameters"] == 951_098
    assert record["history"]["epoch"] == [1]
    test = record["metrics"]["test"]
    assert 0 <= test["accuracy"] <= 1 and np.sum(test["confusion_matrix"]) == 20
    prov = record["provenance"]
    assert prov["seed"] == 1 and prov["convnotes_version"]
    assert "train --profile quick" in prov["command"]
    expected = data.load_cifar10(fake_cifar_dir).checksums
    assert prov["data"]["checksums_sha256"] == expected
    assert {"python", "numpy", "keras"} <= set(prov["libraries"])
    assert prov["machine"]["cpu_count"] >= 1 and record["wall_time_s"] > 0


@pytest.mark.slow
def test_train_command_with_batch_norm_and_cosine_schedule(fake_cifar_dir, tmp_path):
    out = tmp_path / "bn.json"
    args = ["train", "--profile", "quick", "--data", str(fake_cifar_dir), "--out", str(out)]
    args += ["--train-per-class", "3", "--val-per-class", "1", "--test-per-class", "2"]
    args += ["--batch-size", "16", "--precision", "float32", "--epochs", "2"]
    assert cli_main([*args, "--batch-norm", "--lr-schedule", "cosine", "--augment"]) == 0
    record = json.loads(out.read_text())
    # 951,098 - 288 conv and 256 dense biases + 4 normalization parameters per channel/unit
    assert record["model"]["parameters"] == 951_098 - 288 - 256 + 4 * (288 + 256)
    assert record["config"]["batch_norm"] is True
    assert record["config"]["lr_schedule"] == "cosine"
    assert "--batch-norm" in record["provenance"]["command"]
    assert "--lr-schedule cosine" in record["provenance"]["command"]
    # the checkpoint of this run refuses a run with another configuration
    with pytest.raises(SystemExit, match="different configuration"):
        cli_main([*args, "--batch-norm"])


@pytest.mark.slow
def test_train_command_resumes_after_a_kill_and_guards_its_checkpoint(
    fake_cifar_dir, tmp_path, monkeypatch
):
    out = tmp_path / "run.json"
    base = [
        "train",
        "--data",
        str(fake_cifar_dir),
        "--out",
        str(out),
        "--train-per-class",
        "3",
        "--val-per-class",
        "1",
        "--test-per-class",
        "2",
        "--batch-size",
        "16",
        "--precision",
        "float32",
    ]
    save = training._save_checkpoint

    def save_then_die(model, directory, epochs_done, history):
        save(model, directory, epochs_done, history)
        if epochs_done == 1:
            raise KeyboardInterrupt  # killed right after the first checkpoint

    monkeypatch.setattr(training, "_save_checkpoint", save_then_die)
    with pytest.raises(KeyboardInterrupt):
        cli_main([*base, "--epochs", "2"])
    assert not out.exists()
    first = json.loads((out.with_suffix(".ckpt") / training.CHECKPOINT_STATE).read_text())
    monkeypatch.setattr(training, "_save_checkpoint", save)
    assert cli_main([*base, "--epochs", "2"]) == 0
    history = json.loads(out.read_text())["history"]
    assert history["epoch"] == [1, 2]
    assert history["loss"][0] == first["history"]["loss"][0]
    with pytest.raises(SystemExit, match="different configuration"):
        cli_main([*base, "--epochs", "3"])
    assert cli_main([*base, "--epochs", "1", "--restart"]) == 0
    assert json.loads(out.read_text())["history"]["epoch"] == [1]


@pytest.mark.slow
def test_train_command_trains_a_searched_configuration(fake_cifar_dir, tmp_path, capsys):
    from convnotes.models import build_model
    from convnotes.runrecord import TUNE_KIND, make_record, write_record

    searched = {"conv_layers": 1, "dense_layers": 1, "units": 32, "filters": 8,
                "learning_rate": 1e-3, "optimizer": "sgd"}  # fmt: skip
    search = write_record(make_record(TUNE_KIND, provenance={"command": "test"}, wall_time_s=None,
                                      problem="cifar", summary={"best_hyperparameters": searched}),
                          tmp_path / "search.json")  # fmt: skip
    out = tmp_path / "searched.json"
    args = ["train", "--profile", "quick", "--data", str(fake_cifar_dir), "--out", str(out),
            "--train-per-class", "3", "--val-per-class", "1", "--test-per-class", "2",
            "--batch-size", "16", "--precision", "float32", "--epochs", "1"]  # fmt: skip
    assert cli_main([*args, "--hyperparameters-from", str(search)]) == 0
    record = json.loads(out.read_text())
    assert record["config"]["hyperparameters"] == searched
    expected = build_model(**searched).count_params()  # Keras' own count of that network
    assert record["model"]["parameters"] == expected != 951_098
    assert f"--hyperparameters-from {search}" in record["provenance"]["command"]
    # a record of another command, or one without a best trial, is named and refused
    for bad in (out, write_record(make_record(TUNE_KIND, provenance={"command": "test"},
                                              wall_time_s=None, problem="cifar", summary={}),
                                  tmp_path / "empty.json")):  # fmt: skip
        code = cli_main([*args, "--out", str(tmp_path / "x.json"), "--hyperparameters-from",
                         str(bad)])  # fmt: skip
        assert code == 2 and "--hyperparameters-from" in capsys.readouterr().err


def test_full_profile_needs_the_complete_dataset(fake_cifar_dir, tmp_path, capsys):
    code = cli_main(
        [
            "train",
            "--profile",
            "full",
            "--data",
            str(fake_cifar_dir),
            "--out",
            str(tmp_path / "full.json"),
        ]
    )
    assert code == 2 and "50,000" in capsys.readouterr().err
    assert data.get_profile("full").epochs == 50 and data.get_profile("full").batch_size == 32


def test_provenance_records_git_and_given_checksums():
    prov = training.collect_provenance(
        command=["convnotes", "tune"], data_source="somewhere", seed=3, checksums={"a": "b"}
    )
    assert prov["command"] == "convnotes tune" and prov["seed"] == 3
    assert prov["data"] == {"source": "somewhere", "checksums_sha256": {"a": "b"}}
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode == 0:
        assert prov["git"]["commit"] == head.stdout.strip()
    json.dumps(prov)  # JSON-able


# ------------------------------------------------------------------ figures


def _texts(fig):
    return " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_figures_follow_the_page_language(lang):
    import matplotlib.pyplot as plt

    history = {
        "epoch": [1, 2],
        "loss": [2.0, 1.5],
        "accuracy": [0.2, 0.4],
        "val_loss": [1.9, 1.6],
        "val_accuracy": [0.3, 0.35],
    }
    x, y = random_images(40, seed=8)
    y_pred = (y + (np.arange(40) % 3 == 0)) % 10
    figures = [
        figures_training.plot_learning_curves(history, lang),
        figures_training.plot_confusion_matrix(np.eye(10, dtype=int) * 5, data.CLASS_NAMES, lang),
        figures_training.plot_misclassified(x, y, y_pred, data.CLASS_NAMES, lang, n=8),
        figures_training.plot_class_samples(x, y, data.CLASS_NAMES, lang, per_class=3),
        figures_training.plot_class_counts(
            {"train": [4] * 10, "test": [1] * 10}, data.CLASS_NAMES, lang
        ),
    ]
    words = _texts(figures[0]) + _texts(figures[1]) + _texts(figures[3])
    if lang == "fa":
        assert "دوره" in words and "گربه" in words and "epoch" not in words
    else:
        assert "epoch" in words and "cat" in words and "گربه" not in words
    # Persian reads right to left: the first of a row of images sits on the right.
    pair = figures_training.plot_images([x[0], x[1]], [("first", "اول"), ("second", "دوم")], lang)
    first, second = (
        (ax for ax in pair.axes if ax.get_title() in ("first", "اول")),
        (ax for ax in pair.axes if ax.get_title() in ("second", "دوم")),
    )
    left_of = next(first).get_position().x0 < next(second).get_position().x0
    assert left_of == (lang == "en")
    for fig in [*figures, pair]:
        plt.close(fig)
