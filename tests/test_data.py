"""CIFAR-10 loading, the restricted unpickler, subsets and the digits fallback."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

from convnotes import data
from convnotes.presentation import data as data_text

ROOT = Path(__file__).resolve().parents[1]
SHARED_CIFAR = ROOT.parent / "shared" / "data" / "cifar10"
REAL_DOWNLOAD = data.download_cifar10  # the autouse fixture replaces it in every test


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No configured data, an empty cache, no home-directory copies, no real download."""
    for name in (data.ENV_DATA, data.ENV_REQUIRE_CIFAR, "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(data.ENV_CACHE, str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))

    def no_network(*args, **kwargs):
        raise AssertionError("the test tried to download CIFAR-10")

    monkeypatch.setattr(data, "download_cifar10", no_network)


def fake_arrays(n_train=30, n_test=20, seed=0):
    rng = np.random.default_rng(seed)
    x_train = rng.integers(0, 256, (n_train, 32, 32, 3), dtype=np.uint8)
    x_test = rng.integers(0, 256, (n_test, 32, 32, 3), dtype=np.uint8)
    # Every class present, in a shuffled order.
    y_train = rng.permutation(np.arange(n_train) % 10)
    y_test = rng.permutation(np.arange(n_test) % 10)
    return x_train, y_train, x_test, y_test


@pytest.fixture
def fake_dir(tmp_path):
    arrays = fake_arrays()
    directory = data.write_cifar10_dir(tmp_path / "fake", *arrays)
    return directory, arrays


# ------------------------------------------------------------------ reading the layout


def test_written_files_read_by_keras_own_loader(fake_dir):
    """Our writer emits the official dialect: Keras' CIFAR reader (plain pickle) agrees."""
    from convnotes._tf import import_keras

    import_keras()
    from keras.src.datasets.cifar import load_batch

    directory, (x_train, y_train, x_test, y_test) = fake_dir
    kx, ky = load_batch(str(directory / "data_batch_1"))
    np.testing.assert_array_equal(kx.transpose(0, 2, 3, 1), x_train)
    np.testing.assert_array_equal(ky, y_train)
    kx, ky = load_batch(str(directory / "test_batch"))
    np.testing.assert_array_equal(kx.transpose(0, 2, 3, 1), x_test)


def test_load_round_trip_and_metadata(fake_dir):
    directory, (x_train, y_train, x_test, y_test) = fake_dir
    cifar = data.load_cifar10(directory.parent)  # the parent of cifar-10-batches-py works too
    assert cifar.x_train.dtype == np.uint8 and cifar.x_train.shape == (30, 32, 32, 3)
    assert cifar.y_train.dtype == np.int64 and cifar.y_train.shape == (30,)
    np.testing.assert_array_equal(cifar.x_train, x_train)
    np.testing.assert_array_equal(cifar.y_test, y_test)
    assert cifar.class_names == data.CLASS_NAMES
    assert cifar.found_by == "argument" and not cifar.is_complete
    expected = hashlib.sha256((directory / "test_batch").read_bytes()).hexdigest()
    assert cifar.checksums["test_batch"] == expected
    assert set(cifar.checksums) == {"batches.meta", "data_batch_1", "test_batch"}


def test_multiple_batches_concatenate_in_order(tmp_path):
    x_train, y_train, x_test, y_test = fake_arrays(n_train=10_003, n_test=10)
    directory = data.write_cifar10_dir(tmp_path, x_train, y_train, x_test, y_test)
    assert (directory / "data_batch_2").exists() and not (directory / "data_batch_3").exists()
    cifar = data.load_cifar10(directory)
    np.testing.assert_array_equal(cifar.x_train, x_train)
    np.testing.assert_array_equal(cifar.y_train, y_train)


@pytest.mark.skipif(
    not (SHARED_CIFAR / "materialize.py").exists(),
    reason="the shared CIFAR-10 pack is not beside this checkout",
)
def test_golden_rows_of_the_shared_copy(tmp_path):
    subprocess.run(
        [
            sys.executable,
            str(SHARED_CIFAR / "materialize.py"),
            str(tmp_path),
            "--train",
            "20",
            "--test",
            "20",
        ],
        check=True,
        capture_output=True,
    )
    cifar = data.load_cifar10(tmp_path)
    # Rows are R, G, B planes: the first five red values of the first image.
    assert cifar.x_train[0, 0, :5, 0].tolist() == [59, 43, 50, 68, 98]
    assert cifar.x_test[0, 0, :5, 0].tolist() == [158, 159, 165, 166, 160]
    assert cifar.y_train[:5].tolist() == [6, 9, 9, 4, 1]  # the official first labels
    assert cifar.class_names == data.CLASS_NAMES and cifar.jpeg_derived


# ------------------------------------------------------------------ hostile pickles


class _RunsCommand:
    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def _evil_batch_payloads(marker: Path) -> dict[str, bytes]:
    command = f"touch {marker}"
    return {
        "os.system via __reduce__": pickle.dumps({b"data": _RunsCommand(command)}, protocol=2),
        "protocol 0 GLOBAL": f"cos\nsystem\n(S'{command}'\ntR.".encode(),
        "builtins.eval": pickle.dumps({b"labels": _Eval(f"open('{marker}', 'w')")}, protocol=4),
        "object dtype": (b"\x80\x02cnumpy\ndtype\nU\x02O8K\x00K\x01\x87R."),
        "subprocess": pickle.dumps(_Popen(["touch", str(marker)]), protocol=2),
    }


class _Eval:
    def __init__(self, source):
        self.source = source

    def __reduce__(self):
        return (eval, (self.source,))


class _Popen:
    def __init__(self, args):
        self.args = args

    def __reduce__(self):
        return (subprocess.Popen, (self.args,))


@pytest.mark.parametrize(
    "case",
    [
        "os.system via __reduce__",
        "protocol 0 GLOBAL",
        "builtins.eval",
        "object dtype",
        "subprocess",
    ],
)
def test_hostile_pickle_is_refused_without_running(fake_dir, tmp_path, case):
    directory, _ = fake_dir
    marker = tmp_path / "pwned"
    (directory / "data_batch_1").write_bytes(_evil_batch_payloads(marker)[case])
    with pytest.raises(data.UnsafePickleError, match="data_batch_1") as info:
        data.load_cifar10(directory)
    assert not marker.exists()
    assert "refusing" in str(info.value) or "only the uint8 dtype" in str(info.value)


def test_ndarray_may_not_be_called_directly(fake_dir):
    """``numpy.ndarray`` is passed to reconstruction only; calling it (a memory bomb) fails."""
    directory, _ = fake_dir
    blob = b"\x80\x02cnumpy\nndarray\nJ\x00\xca\x9a;\x85R."  # ndarray((1_000_000_000,))
    (directory / "test_batch").write_bytes(blob)
    with pytest.raises(data.DataError, match="test_batch"):
        data.load_cifar10(directory)


# ------------------------------------------------------------------ broken files


def test_missing_file_is_named(fake_dir):
    directory, _ = fake_dir
    (directory / "test_batch").unlink()
    with pytest.raises(data.DataError, match=r"test_batch: file is missing"):
        data.load_cifar10(directory)


def test_gap_in_training_batches_is_named(fake_dir):
    directory, _ = fake_dir
    (directory / "data_batch_1").rename(directory / "data_batch_2")
    with pytest.raises(data.DataError, match=r"data_batch_1: file is missing"):
        data.load_cifar10(directory)


def test_short_batch_followed_by_another_is_rejected(fake_dir):
    directory, _ = fake_dir
    (directory / "data_batch_2").write_bytes((directory / "data_batch_1").read_bytes())
    with pytest.raises(data.DataError, match=r"data_batch_1: expected 10,000 rows"):
        data.load_cifar10(directory)


@pytest.mark.parametrize("keep", [0.5, 0.99, 10])
def test_truncated_file_is_named(fake_dir, keep):
    directory, _ = fake_dir
    path = directory / "data_batch_1"
    blob = path.read_bytes()
    path.write_bytes(blob[: int(len(blob) * keep)] if keep < 1 else blob[:keep])
    with pytest.raises(data.DataError, match=r"data_batch_1: file is truncated"):
        data.load_cifar10(directory)


def test_garbage_file_is_named(fake_dir):
    directory, _ = fake_dir
    (directory / "test_batch").write_bytes(gzip.compress(b"not a pickle at all"))
    with pytest.raises(data.DataError, match=r"test_batch: not a valid CIFAR-10 pickle"):
        data.load_cifar10(directory)


def test_trailing_bytes_are_rejected(fake_dir):
    directory, _ = fake_dir
    path = directory / "test_batch"
    path.write_bytes(path.read_bytes() + b"extra")
    with pytest.raises(data.DataError, match="test_batch"):
        data.load_cifar10(directory)


def _rewrite_batch(path: Path, changes: dict):
    w = data._Py2PickleWriter()
    obj = data.CifarUnpickler(io.BytesIO(path.read_bytes()), encoding="bytes").load()
    obj.update(changes)
    entries = []
    for key, value in obj.items():
        if isinstance(value, np.ndarray):
            entries.append((key, lambda v=value: w.uint8_array(v)))
        elif key == b"labels":
            entries.append((key, lambda v=value: w.items(v, w.integer)))
        elif key == b"filenames":
            entries.append((key, lambda v=value: w.items(v, w.string)))
        else:
            entries.append((key, lambda v=value: w.string(v)))
    path.write_bytes(w.dict_(entries))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({b"data": np.zeros((30, 3071), np.uint8)}, r"shape \(N, 3072\), got \(30, 3071\)"),
        ({b"data": np.zeros((30, 32, 96), np.uint8)}, r"shape \(N, 3072\)"),
        ({b"labels": [1] * 29}, r"30 images but 29 labels"),
        ({b"labels": [0] * 29 + [10]}, r"labels must be in 0\.\.9, found 10"),
        ({b"filenames": [b"a.png"] * 3}, r"30 images but 3 file names"),
    ],
)
def test_invalid_contents_are_named(fake_dir, changes, message):
    directory, _ = fake_dir
    _rewrite_batch(directory / "data_batch_1", changes)
    with pytest.raises(data.DataError, match=r"data_batch_1: .*" + message):
        data.load_cifar10(directory)


def test_missing_key_and_wrong_meta(fake_dir):
    directory, _ = fake_dir
    w = data._Py2PickleWriter()
    (directory / "batches.meta").write_bytes(
        w.dict_([(b"label_names", lambda: w.items([b"cat"] * 3, w.string))])
    )
    with pytest.raises(data.DataError, match=r"batches.meta: b'label_names' must be a list of 10"):
        data.load_cifar10(directory)
    w = data._Py2PickleWriter()
    (directory / "batches.meta").unlink()
    with pytest.raises(data.DataError, match=r"batches.meta: file is missing"):
        data.load_cifar10(directory)


# ------------------------------------------------------------------ where the data come from


def test_search_order_argument_env_cache(tmp_path, monkeypatch):
    dirs = {}
    for name, seed in (("arg", 1), ("env", 2), ("cache", 3)):
        arrays = fake_arrays(n_train=10, n_test=10, seed=seed)
        dirs[name] = (data.write_cifar10_dir(tmp_path / name, *arrays), arrays)
    monkeypatch.setenv(data.ENV_CACHE, str(tmp_path / "cache"))
    assert data.load_cifar10().found_by == "cache"
    monkeypatch.setenv(data.ENV_DATA, str(dirs["env"][0]))
    cifar = data.load_cifar10()
    assert cifar.found_by == data.ENV_DATA
    np.testing.assert_array_equal(cifar.x_train, dirs["env"][1][0])
    cifar = data.load_cifar10(tmp_path / "arg")
    assert cifar.found_by == "argument"
    np.testing.assert_array_equal(cifar.x_train, dirs["arg"][1][0])


def test_configured_location_never_downloads(tmp_path, monkeypatch):
    monkeypatch.setenv(data.ENV_DATA, str(tmp_path / "nowhere"))
    with pytest.raises(data.DataUnavailable, match="nowhere"):
        data.load_cifar10(download=True)  # the fixture fails the test on any download
    with pytest.raises(data.DataUnavailable, match="elsewhere"):
        data.load_cifar10(tmp_path / "elsewhere", download=True)


def test_no_copy_and_no_download(tmp_path):
    with pytest.raises(data.DataUnavailable, match="CIFAR-10 not found"):
        data.load_cifar10(download=False)


def test_download_only_when_nothing_local(tmp_path, monkeypatch):
    calls = []

    def fake_download(destination):
        calls.append(Path(destination))
        return data.write_cifar10_dir(destination, *fake_arrays(n_train=10, n_test=10))

    monkeypatch.setattr(data, "download_cifar10", fake_download)
    cifar = data.load_cifar10()
    assert calls == [tmp_path / "cache"] and cifar.found_by == "download"
    assert data.load_cifar10().found_by == "cache"  # the second call finds the cached copy
    assert len(calls) == 1


def _archive(tmp_path: Path, extra_member: str | None = None) -> Path:
    source = data.write_cifar10_dir(tmp_path / "src", *fake_arrays(n_train=10, n_test=10))
    archive = tmp_path / "cifar-10-python.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source, arcname=data.CIFAR10_DIRNAME)
        if extra_member:
            info = tarfile.TarInfo(extra_member)
            info.size = 4
            tar.addfile(info, io.BytesIO(b"evil"))
    return archive


def test_download_checks_sha256_before_extracting(tmp_path):
    archive = _archive(tmp_path, extra_member="../outside.txt")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    download = REAL_DOWNLOAD
    dest = tmp_path / "dl"
    with pytest.raises(data.DataError, match="SHA-256"):
        download(dest, url=archive.as_uri(), sha256="0" * 64)
    assert not (dest / data.CIFAR10_DIRNAME).exists() and not list(dest.glob("*.part"))
    directory = download(dest, url=archive.as_uri(), sha256=digest)
    assert data.load_cifar10_dir(directory).y_train.shape == (10,)
    assert not (tmp_path / "outside.txt").exists() and not (dest.parent / "outside.txt").exists()


def test_unreachable_network_is_unavailable(tmp_path):
    download = REAL_DOWNLOAD
    with pytest.raises(data.DataUnavailable, match="download"):
        download(tmp_path, url=(tmp_path / "missing.tar.gz").as_uri())


# ------------------------------------------------------------------ subsets and splits


def test_stratified_subset_counts_nesting_and_seed():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 10, 2000)
    x = np.arange(2000)
    xs, ys = data.stratified_subset(x, y, 50, seed=7)
    assert np.bincount(ys, minlength=10).tolist() == [50] * 10
    np.testing.assert_array_equal(y[xs], ys)  # rows stay paired with their labels
    small, _ = data.stratified_subset(x, y, 20, seed=7)
    assert set(small) <= set(xs)
    again, _ = data.stratified_subset(x, y, 50, seed=7)
    np.testing.assert_array_equal(again, xs)
    other, _ = data.stratified_subset(x, y, 50, seed=8)
    assert not np.array_equal(other, xs)


def test_stratified_subset_rejects_bad_requests():
    y = np.array([0, 0, 1])
    with pytest.raises(ValueError, match="class 1 has only 1"):
        data.stratified_subset(np.arange(3), y, 2, seed=0)
    with pytest.raises(ValueError, match="n_per_class must be a positive integer"):
        data.stratified_subset(np.arange(3), y, 0, seed=0)
    with pytest.raises(ValueError, match="same length"):
        data.stratified_subset(np.arange(4), y, 1, seed=0)


def test_train_val_split_is_stratified_disjoint_and_seeded():
    y = np.repeat(np.arange(10), 40)
    x = np.arange(400)
    split = data.train_val_split(x, y, val_size=100, seed=1)
    assert np.bincount(split.y_val).tolist() == [10] * 10
    assert sorted([*split.x_train, *split.x_val]) == list(range(400))
    np.testing.assert_array_equal(y[split.x_val], split.y_val)
    x_tr, y_tr, x_val, y_val = data.train_val_split(x, y, 0.25, 1)
    assert len(x_val) == 100 and np.bincount(y_val).tolist() == [10] * 10
    again = data.train_val_split(x, y, val_fraction=0.25, seed=1)
    np.testing.assert_array_equal(again.x_val, x_val)
    with pytest.raises(ValueError, match="exactly one"):
        data.train_val_split(x, y, 0.1, val_size=10)
    with pytest.raises(ValueError, match="val_fraction must be between 0 and 1"):
        data.train_val_split(x, y, 1.5)


# ------------------------------------------------------------------ book data and fallback


def test_digits_are_embedded_like_cifar_images():
    from sklearn.datasets import load_digits

    x, y, names = data.digits_as_cifar()
    digits = load_digits()
    assert x.shape == (1797, 32, 32, 3) and x.dtype == np.uint8
    np.testing.assert_array_equal(y, digits.target)
    i = 123
    expected = np.zeros((32, 32), np.uint8)
    for r in range(8):
        for c in range(8):
            expected[4 + 3 * r : 7 + 3 * r, 4 + 3 * c : 7 + 3 * c] = round(
                digits.images[i, r, c] * 255 / 16
            )
    for channel in range(3):
        np.testing.assert_array_equal(x[i, :, :, channel], expected)


def _offline(monkeypatch):
    def unreachable(destination):
        raise data.DataUnavailable("download failed: network unreachable")

    monkeypatch.setattr(data, "download_cifar10", unreachable)


def test_book_data_falls_back_to_digits_and_says_so(monkeypatch):
    _offline(monkeypatch)
    book = data.load_book_data("quick", seed=0)  # nothing configured, download fails
    assert book.is_fallback and book.name == "scikit-learn digits"
    assert book.class_names == tuple("0123456789")
    assert book.input_shape == (32, 32, 3) and book.num_classes == 10
    assert book.sizes() == {"train": 1000, "val": 200, "test": 500}
    assert "not CIFAR-10" in data_text.notice(book, "en") and "CIFAR-10 نیست" in data_text.notice(
        book, "fa"
    )
    html = data_text.box(book, "en").html
    assert data.FALLBACK_CSS_CLASS in html and "warning" in html
    # No test image is also a training or validation image.
    train = {im.tobytes() for im in np.concatenate([book.x_train, book.x_val])}
    assert not any(im.tobytes() in train for im in book.x_test)


def test_required_cifar_forbids_the_fallback(monkeypatch):
    _offline(monkeypatch)
    monkeypatch.setenv(data.ENV_REQUIRE_CIFAR, "1")
    with pytest.raises(data.DataUnavailable, match=data.ENV_REQUIRE_CIFAR):
        data.load_book_data("quick")


def test_corrupt_copy_raises_instead_of_falling_back(fake_dir, monkeypatch):
    directory, _ = fake_dir
    (directory / "test_batch").write_bytes(b"\x80\x02}q")
    monkeypatch.setenv(data.ENV_DATA, str(directory))
    with pytest.raises(data.DataError, match="test_batch"):
        data.load_book_data("quick")


def test_book_data_from_cifar_profile(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, (4000, 32, 32, 3), dtype=np.uint8)
    y_train = np.arange(4000) % 10
    x_test = rng.integers(0, 256, (1200, 32, 32, 3), dtype=np.uint8)
    y_test = np.arange(1200) % 10
    directory = data.write_cifar10_dir(tmp_path, x_train, y_train, x_test, y_test)
    monkeypatch.setenv(data.ENV_DATA, str(directory))
    book = data.load_book_data("quick", seed=0)
    assert not book.is_fallback and book.name == "CIFAR-10"
    assert book.sizes() == {"train": 3000, "val": 500, "test": 1000}
    assert np.bincount(book.y_val).tolist() == [50] * 10
    assert data.DATA_NOTE_CSS_CLASS in data_text.box(book, "fa").html
    assert data.FALLBACK_CSS_CLASS not in data_text.box(book, "en").html
    assert "'quick' profile" in data_text.notice(book, "en")
    assert set(book.checksums) == {"batches.meta", "data_batch_1", "test_batch"}
    full = data.load_book_data("full")
    assert full.sizes() == {"train": 4000, "val": 0, "test": 1200}
    with pytest.raises(ValueError, match="profile must be one of"):
        data.load_book_data("medium")


def test_check_no_fallback_script(tmp_path):
    script = ROOT / "scripts" / "check_no_fallback.py"
    (tmp_path / "book").mkdir()
    page = tmp_path / "book" / "training.html"
    page.write_text(f'<div class="admonition note {data.DATA_NOTE_CSS_CLASS}">ok</div>')
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout
    (tmp_path / "book" / "tuning.html").write_text(
        f'<div class="admonition warning {data.FALLBACK_CSS_CLASS}">digits</div>'
    )
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True
    )
    assert run.returncode == 1 and "tuning.html" in run.stdout
    page.unlink()
    (tmp_path / "book" / "tuning.html").unlink()
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True
    )
    assert run.returncode == 1 and "no page shows" in run.stdout


def test_the_notice_is_worded_by_the_presentation() -> None:
    """The words about the data live in convnotes.presentation.data, not in BookData."""
    book = data.load_digits_fallback("quick", seed=0)
    assert not hasattr(book, "notice") and not hasattr(book, "box")
    assert data_text.box(book, "fa").html.count(data_text.notice(book, "fa")) == 1
    assert "CIFAR-10 نیست" in data_text.notice(book, "fa")
    with pytest.raises(ValueError, match="lang must be one of"):
        data_text.notice(book, "de")
