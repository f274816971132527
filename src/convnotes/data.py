"""CIFAR-10 in its official "python version" layout, loaded safely, and the digits fallback.

Where the data come from, in this order:

1. the ``path`` argument of :func:`load_cifar10`;
2. the environment variable ``CONVNOTES_DATA``;
3. the user's cache (``$CONVNOTES_CACHE``, else ``$XDG_CACHE_HOME/convnotes``, else
   ``~/.cache/convnotes``; Keras' own ``~/.keras/datasets`` is looked at too);
4. only when none of these exists: the official archive, downloaded into the cache and
   checked against its published SHA-256 before anything is extracted.

A configured location (1 or 2) is never replaced by a download: if it is wrong, the
error says so.

The batch files are Python pickles. Unpickling an arbitrary file can run arbitrary code,
so they are read with :class:`CifarUnpickler`, which resolves only the three NumPy names
the official files refer to (array reconstruction, ``ndarray`` and a ``uint8`` dtype) and
refuses everything else. Every array is then checked for shape, dtype, label range and
row counts; a problem raises :class:`DataError` naming the file and what is wrong.

When CIFAR-10 is not available at all, :func:`load_book_data` falls back to
scikit-learn's bundled handwritten digits (8 x 8 grey images, upscaled 3x by pixel
repetition to 24 x 24, padded with 4 black pixels on each side to 32 x 32, and repeated
over 3 channels) so the same model code runs; :attr:`BookData.is_fallback` and
:meth:`BookData.notice` let a page say so. With ``CONVNOTES_REQUIRE_CIFAR=1`` in the
environment (CI sets it) the fallback raises instead.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import struct
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import numpy as np

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
CIFAR10_ARCHIVE_BYTES = 170_498_071
CIFAR10_DIRNAME = "cifar-10-batches-py"
CLASS_NAMES: tuple[str, ...] = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
TRAIN_FILES: tuple[str, ...] = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_FILE = "test_batch"
META_FILE = "batches.meta"
ROWS_PER_BATCH = 10_000
IMAGE_SHAPE = (32, 32, 3)
ENV_DATA = "CONVNOTES_DATA"
ENV_CACHE = "CONVNOTES_CACHE"
ENV_REQUIRE_CIFAR = "CONVNOTES_REQUIRE_CIFAR"
#: The CSS class of the box a page shows when its numbers come from the digits fallback;
#: ``scripts/check_no_fallback.py`` looks for it in the built HTML.
FALLBACK_CSS_CLASS = "cn-fallback-notice"
DATA_NOTE_CSS_CLASS = "cn-data-note"


class DataError(ValueError):
    """A CIFAR-10 file is missing, truncated, corrupt or not what the layout promises."""


class UnsafePickleError(DataError):
    """A batch file asked the unpickler for something other than NumPy array reconstruction."""


class DataUnavailable(FileNotFoundError):
    """No CIFAR-10 copy was found, and none could (or may) be downloaded."""


# --------------------------------------------------------------------------- unpickling


class _NdarrayToken:
    """Stands in for ``numpy.ndarray`` inside a pickle: it can be passed, never called."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<numpy.ndarray (restricted)>"


_NDARRAY = _NdarrayToken()


def _reconstruct(subtype: object, shape: object, dtype_code: object) -> np.ndarray:
    """The only constructor a CIFAR-10 pickle may call: an empty array, filled by BUILD."""
    if subtype is not _NDARRAY:
        raise UnsafePickleError("array reconstruction is allowed for numpy.ndarray only")
    # NumPy pickles an empty placeholder; ndarray.__setstate__ then sets shape, dtype
    # and the raw bytes, so the memory used is bounded by the file's size.
    return np.empty(0, dtype=np.uint8)


def _uint8_dtype(code: object, align: object = 0, copy: object = 1) -> np.dtype:
    """``numpy.dtype`` restricted to the one dtype the official files store: ``uint8``."""
    if code not in (b"u1", "u1"):
        raise UnsafePickleError(f"only the uint8 dtype ('u1') is allowed, got {code!r}")
    # A copy, as NumPy's own pickles make: BUILD then sets its state, never the global one's.
    return np.dtype("u1", align=False, copy=True)


_ALLOWED_GLOBALS: dict[tuple[str, str], Any] = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy", "ndarray"): _NDARRAY,
    ("numpy", "dtype"): _uint8_dtype,
}


class CifarUnpickler(pickle.Unpickler):
    """An unpickler that allows only what the official CIFAR-10 batch files need.

    Any other global (``os.system``, ``builtins.eval``, ...) raises
    :class:`UnsafePickleError` before it is resolved, so a hostile file cannot run code.

    Examples
    --------
    >>> import io, pickle
    >>> blob = pickle.dumps({b"labels": [3, 1]}, protocol=4)
    >>> CifarUnpickler(io.BytesIO(blob), encoding="bytes").load()
    {b'labels': [3, 1]}
    >>> evil = b"cos\\nsystem\\n(S'echo pwned'\\ntR."
    >>> CifarUnpickler(io.BytesIO(evil), encoding="bytes").load()
    Traceback (most recent call last):
    ...
    convnotes.data.UnsafePickleError: refusing to load global 'os.system': ...
    """

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise UnsafePickleError(
                f"refusing to load global '{module}.{name}': CIFAR-10 batch files may refer "
                "only to NumPy's array reconstruction"
            ) from None

    def persistent_load(self, pid: Any) -> Any:
        raise UnsafePickleError("persistent ids are not allowed in CIFAR-10 batch files")


def _read_pickle(path: Path) -> Any:
    if not path.is_file():
        raise DataError(f"{path}: file is missing")
    try:
        with path.open("rb") as handle:
            return _unpickle(handle)
    except UnsafePickleError as exc:
        raise UnsafePickleError(f"{path}: {exc}") from None
    except (EOFError, pickle.UnpicklingError) as exc:
        reason = str(exc)
        if isinstance(exc, EOFError) or "truncated" in reason:
            raise DataError(f"{path}: file is truncated (the pickle ends early)") from None
        raise DataError(f"{path}: not a valid CIFAR-10 pickle ({reason})") from None
    except (
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        KeyError,
        OverflowError,
        MemoryError,
    ) as exc:
        raise DataError(f"{path}: not a valid CIFAR-10 pickle ({exc})") from None


def _unpickle(handle: BinaryIO) -> Any:
    unpickler = CifarUnpickler(handle, encoding="bytes")
    obj = unpickler.load()
    if handle.read(1):
        raise pickle.UnpicklingError("unexpected bytes after the end of the pickle")
    return obj


# --------------------------------------------------------------------------- validation


def _check_batch(path: Path, obj: Any, max_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Validate one unpickled batch; return images (N, 32, 32, 3) uint8 and labels int64."""
    if not isinstance(obj, dict):
        raise DataError(f"{path}: expected a dict, got {type(obj).__name__}")
    for key in (b"data", b"labels"):
        if key not in obj:
            raise DataError(f"{path}: key {key!r} is missing")
    data, labels = obj[b"data"], obj[b"labels"]
    if not isinstance(data, np.ndarray):
        raise DataError(f"{path}: b'data' must be a NumPy array, got {type(data).__name__}")
    if data.dtype != np.uint8:
        raise DataError(f"{path}: b'data' must have dtype uint8, got {data.dtype}")
    if data.ndim != 2 or data.shape[1] != 3072:
        raise DataError(f"{path}: b'data' must have shape (N, 3072), got {data.shape}")
    rows = data.shape[0]
    if not 1 <= rows <= max_rows:
        raise DataError(f"{path}: expected 1 to {max_rows:,} rows, got {rows:,}")
    if isinstance(labels, np.ndarray):
        if labels.dtype.kind not in "iu":
            raise DataError(f"{path}: b'labels' must hold integers, got dtype {labels.dtype}")
    elif not isinstance(labels, list):
        raise DataError(f"{path}: b'labels' must be a list, got {type(labels).__name__}")
    elif not all(type(v) is int for v in labels):  # bool and float are not labels
        raise DataError(f"{path}: b'labels' must hold integers")
    label_array = np.asarray(labels, dtype=np.int64)
    if label_array.shape != (rows,):
        raise DataError(f"{path}: {rows:,} images but {label_array.size:,} labels")
    if rows and (label_array.min() < 0 or label_array.max() > 9):
        bad = label_array[(label_array < 0) | (label_array > 9)][0]
        raise DataError(f"{path}: labels must be in 0..9, found {bad}")
    filenames = obj.get(b"filenames")
    if filenames is not None and len(filenames) != rows:
        raise DataError(f"{path}: {rows:,} images but {len(filenames):,} file names")
    # Rows hold the red, green and blue 32 x 32 planes one after another.
    images = np.ascontiguousarray(data.reshape(rows, 3, 32, 32).transpose(0, 2, 3, 1))
    return images, label_array


def _check_meta(path: Path, obj: Any) -> tuple[str, ...]:
    if not isinstance(obj, dict) or b"label_names" not in obj:
        raise DataError(f"{path}: expected a dict with b'label_names'")
    names = obj[b"label_names"]
    if (
        not isinstance(names, list)
        or len(names) != 10
        or not all(isinstance(n, bytes) for n in names)
    ):
        raise DataError(f"{path}: b'label_names' must be a list of 10 byte strings")
    return tuple(n.decode("ascii", "replace") for n in names)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- writing


class _Py2PickleWriter:
    """Emits the pickle dialect of the official files (protocol 2, Python 2 byte strings)."""

    def __init__(self) -> None:
        self.out = bytearray(b"\x80\x02")

    def string(self, value: bytes | str) -> None:
        raw = value.encode("latin-1") if isinstance(value, str) else value
        if len(raw) < 256:
            self.out += b"U" + bytes([len(raw)]) + raw
        else:
            self.out += b"T" + struct.pack("<i", len(raw)) + raw

    def integer(self, value: int) -> None:
        if 0 <= value < 256:
            self.out += b"K" + bytes([value])
        elif 0 <= value < 65536:
            self.out += b"M" + struct.pack("<H", value)
        else:
            self.out += b"J" + struct.pack("<i", value)

    def items(self, values: list[Any], write: Any) -> None:
        self.out += b"]"
        for start in range(0, len(values), 1000):
            self.out += b"("
            for value in values[start : start + 1000]:
                write(value)
            self.out += b"e"

    def uint8_array(self, array: np.ndarray) -> None:
        self.out += b"cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n"
        self.integer(0)
        self.out += b"\x85"
        self.string(b"b")
        self.out += b"\x87R("
        self.integer(1)
        for dim in array.shape:
            self.integer(dim)
        self.out += {1: b"\x85", 2: b"\x86", 3: b"\x87"}[array.ndim]
        self.out += b"cnumpy\ndtype\n"
        self.string(b"u1")
        self.integer(0)
        self.integer(1)
        self.out += b"\x87R("
        self.integer(3)
        self.string(b"|")
        self.out += b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xff"
        self.integer(0)
        self.out += b"tb\x89"
        self.string(np.ascontiguousarray(array, dtype=np.uint8).tobytes())
        self.out += b"tb"

    def dict_(self, entries: list[tuple[bytes, Any]]) -> bytes:
        self.out += b"}("
        for key, write in entries:
            self.string(key)
            write()
        self.out += b"u."
        return bytes(self.out)


def _batch_bytes(
    images: np.ndarray, labels: np.ndarray, batch_label: str, names: list[bytes]
) -> bytes:
    rows = np.ascontiguousarray(images.transpose(0, 3, 1, 2).reshape(len(images), 3072))
    w = _Py2PickleWriter()
    return w.dict_(
        [
            (b"batch_label", lambda: w.string(batch_label)),
            (b"labels", lambda: w.items([int(v) for v in labels], w.integer)),
            (b"data", lambda: w.uint8_array(rows)),
            (b"filenames", lambda: w.items(names, w.string)),
        ]
    )


def write_cifar10_dir(
    directory: str | os.PathLike[str],
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    class_names: tuple[str, ...] = CLASS_NAMES,
) -> Path:
    """Write images in the official layout and pickle dialect (``cifar-10-batches-py``).

    Training images go into ``data_batch_1..5`` of 10,000 rows each (the last may be
    shorter). Useful for test fixtures and for sharing a subset in the standard layout.
    Returns the ``cifar-10-batches-py`` directory.
    """
    for arg, images in (("x_train", x_train), ("x_test", x_test)):
        if images.dtype != np.uint8 or images.shape[1:] != IMAGE_SHAPE:
            raise ValueError(
                f"{arg} must be uint8 of shape (N, 32, 32, 3), got {images.dtype} {images.shape}"
            )
    if not 1 <= len(x_train) <= 5 * ROWS_PER_BATCH or not 1 <= len(x_test) <= ROWS_PER_BATCH:
        raise ValueError("x_train must have 1..50,000 images and x_test 1..10,000")
    target = Path(directory) / CIFAR10_DIRNAME
    target.mkdir(parents=True, exist_ok=True)
    w = _Py2PickleWriter()
    meta = w.dict_(
        [
            (b"num_cases_per_batch", lambda: w.integer(ROWS_PER_BATCH)),
            (b"label_names", lambda: w.items([n.encode() for n in class_names], w.string)),
            (b"num_vis", lambda: w.integer(3072)),
        ]
    )
    (target / META_FILE).write_bytes(meta)
    for index, start in enumerate(range(0, len(x_train), ROWS_PER_BATCH)):
        stop = start + ROWS_PER_BATCH
        names = [f"train_{i:05d}.png".encode() for i in range(start, min(stop, len(x_train)))]
        (target / TRAIN_FILES[index]).write_bytes(
            _batch_bytes(
                x_train[start:stop], y_train[start:stop], f"training batch {index + 1} of 5", names
            )
        )
    names = [f"test_{i:05d}.png".encode() for i in range(len(x_test))]
    (target / TEST_FILE).write_bytes(_batch_bytes(x_test, y_test, "testing batch 1 of 1", names))
    return target


# --------------------------------------------------------------------------- the dataset


@dataclass(frozen=True, eq=False)
class Cifar10:
    """CIFAR-10 images and labels as NumPy arrays.

    ``x_*`` are uint8 arrays of shape (N, 32, 32, 3) (height, width, RGB), ``y_*`` int64
    labels in 0..9, ``class_names`` the ten names from ``batches.meta``. ``source`` says
    where the files were found and ``checksums`` maps each file name to its SHA-256.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    source: str
    checksums: dict[str, str]
    directory: Path
    found_by: str = "argument"
    jpeg_derived: bool = False

    @property
    def is_complete(self) -> bool:
        """True when the copy has the official 50,000 training and 10,000 test images."""
        return len(self.y_train) == 5 * ROWS_PER_BATCH and len(self.y_test) == ROWS_PER_BATCH


def load_cifar10_dir(directory: str | os.PathLike[str], *, found_by: str = "argument") -> Cifar10:
    """Read and validate a ``cifar-10-batches-py`` directory.

    ``batches.meta``, ``data_batch_1`` and ``test_batch`` are required; ``data_batch_2``
    to ``_5`` are read in order while present, so a smaller copy (the first 10,000
    training images, say) loads too. Every batch but the last present one must hold
    10,000 rows, as in the official files.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise DataUnavailable(f"{directory}: no such directory")
    class_names = _check_meta(directory / META_FILE, _read_pickle(directory / META_FILE))
    present = [name for name in TRAIN_FILES if (directory / name).exists()]
    expected = list(TRAIN_FILES[: len(present)])
    if present != expected:
        missing = next(n for n in expected if n not in present)
        raise DataError(f"{directory / missing}: file is missing (later training batches exist)")
    if not present:
        raise DataError(f"{directory / TRAIN_FILES[0]}: file is missing")
    xs, ys = [], []
    for index, name in enumerate(present):
        path = directory / name
        images, labels = _check_batch(path, _read_pickle(path), ROWS_PER_BATCH)
        if index < len(present) - 1 and len(labels) != ROWS_PER_BATCH:
            raise DataError(
                f"{path}: expected {ROWS_PER_BATCH:,} rows (a later batch follows), "
                f"got {len(labels):,}"
            )
        xs.append(images)
        ys.append(labels)
    test_obj = _read_pickle(directory / TEST_FILE)
    x_test, y_test = _check_batch(directory / TEST_FILE, test_obj, ROWS_PER_BATCH)
    checksums = {name: _sha256(directory / name) for name in (META_FILE, *present, TEST_FILE)}
    x_train, y_train = np.concatenate(xs), np.concatenate(ys)
    # The offline pack behind the project's CI writes synthetic file names; its pixels
    # beyond the first 4,000 training / 1,000 test images are JPEG-derived.
    names = test_obj.get(b"filenames") or []
    jpeg_derived = bool(names) and bytes(names[0]).startswith(b"cifar10_test_")
    source = (
        f"CIFAR-10 (python version) at {directory} [{found_by}]: "
        f"{len(y_train):,} training and {len(y_test):,} test images"
        + ("; offline copy with JPEG-derived pixels" if jpeg_derived else "")
    )
    return Cifar10(
        x_train,
        y_train,
        x_test,
        y_test,
        class_names,
        source,
        checksums,
        directory,
        found_by,
        jpeg_derived,
    )


def cache_dir() -> Path:
    """The user's cache directory for convnotes (created on demand, not here)."""
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "convnotes"


def _layout_dir(path: str | os.PathLike[str]) -> Path:
    """``path`` itself or its ``cifar-10-batches-py`` subdirectory, whichever holds the data."""
    path = Path(path).expanduser()
    if (path / CIFAR10_DIRNAME).is_dir():
        return path / CIFAR10_DIRNAME
    return path


def find_cifar10(path: str | os.PathLike[str] | None = None) -> tuple[Path, str] | None:
    """Locate a CIFAR-10 directory without reading it: ``(directory, how it was found)``.

    A given ``path`` or ``CONVNOTES_DATA`` is returned even when it holds nothing, so
    that loading it reports what is missing; ``None`` means no local copy anywhere.
    """
    if path is not None:
        return _layout_dir(path), "argument"
    if os.environ.get(ENV_DATA):
        return _layout_dir(os.environ[ENV_DATA]), ENV_DATA
    for candidate in (
        cache_dir() / CIFAR10_DIRNAME,
        Path.home() / ".keras" / "datasets" / CIFAR10_DIRNAME,
    ):
        if (candidate / TEST_FILE).is_file():
            return candidate, "cache"
    return None


def load_cifar10(path: str | os.PathLike[str] | None = None, *, download: bool = True) -> Cifar10:
    """Load CIFAR-10 from ``path``, ``$CONVNOTES_DATA``, the cache, or the official archive.

    Parameters
    ----------
    path
        A ``cifar-10-batches-py`` directory or the directory that contains it.
    download
        Whether to download the official archive when no local copy exists. There is no
        download when ``path`` or ``CONVNOTES_DATA`` is set.

    Raises
    ------
    DataError
        A file is missing, truncated, corrupt or fails validation.
    DataUnavailable
        No local copy exists and downloading was not allowed or failed.
    """
    located = find_cifar10(path)
    if located is not None:
        directory, found_by = located
        if not directory.exists():
            raise DataUnavailable(f"{directory} (from {found_by}): no such directory")
        return load_cifar10_dir(directory, found_by=found_by)
    if not download:
        raise DataUnavailable(
            f"CIFAR-10 not found: pass a path, set {ENV_DATA}, or place "
            f"{CIFAR10_DIRNAME}/ in {cache_dir()}"
        )
    directory = download_cifar10(cache_dir())
    return load_cifar10_dir(directory, found_by="download")


def download_cifar10(
    destination: str | os.PathLike[str],
    *,
    url: str = CIFAR10_URL,
    sha256: str = CIFAR10_SHA256,
    timeout: float = 30.0,
) -> Path:
    """Download the official archive, verify its SHA-256, extract it into ``destination``.

    Returns the extracted ``cifar-10-batches-py`` directory. Nothing is extracted from an
    archive whose checksum differs; the partial download is removed.
    """
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=destination, suffix=".tar.gz.part", delete=False) as part:
        part_path = Path(part.name)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
                for block in iter(lambda: response.read(1 << 20), b""):
                    digest.update(block)
                    part.write(block)
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            part.close()
            part_path.unlink(missing_ok=True)
            raise DataUnavailable(
                f"CIFAR-10 not found locally and the download from {url} failed ({exc}); "
                f"pass a path or set {ENV_DATA}"
            ) from exc
    if digest.hexdigest() != sha256:
        part_path.unlink(missing_ok=True)
        raise DataError(
            f"{url}: SHA-256 {digest.hexdigest()} does not match the published {sha256}"
        )
    try:
        with tarfile.open(part_path, "r:gz") as archive:
            members = [
                m
                for m in archive.getmembers()
                if m.name == CIFAR10_DIRNAME or m.name.startswith(CIFAR10_DIRNAME + "/")
            ]
            with tempfile.TemporaryDirectory(dir=destination) as staging:
                archive.extractall(staging, members=members, filter="data")
                target = destination / CIFAR10_DIRNAME
                if target.exists():
                    shutil.rmtree(target)
                shutil.move(str(Path(staging) / CIFAR10_DIRNAME), target)
    finally:
        part_path.unlink(missing_ok=True)
    return target


# --------------------------------------------------------------------------- subsets


def _check_xy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be one-dimensional, got shape {y.shape}")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    return y


def stratified_indices(y: np.ndarray, n_per_class: int, seed: int = 0) -> np.ndarray:
    """Sorted indices of ``n_per_class`` randomly chosen examples of every class in ``y``.

    With the same seed, a smaller subset is contained in a larger one.

    Examples
    --------
    >>> y = np.array([0, 1, 0, 1, 0, 1, 2, 2])
    >>> idx = stratified_indices(y, 2, seed=0)
    >>> np.bincount(y[idx]).tolist()
    [2, 2, 2]
    """
    y = np.asarray(y)
    if (
        isinstance(n_per_class, bool)
        or not isinstance(n_per_class, (int, np.integer))
        or n_per_class < 1
    ):
        raise ValueError(f"n_per_class must be a positive integer, got {n_per_class!r}")
    rng = np.random.default_rng(seed)
    chosen = []
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        if len(members) < n_per_class:
            raise ValueError(
                f"n_per_class={n_per_class} but class {label} has only {len(members)} examples"
            )
        chosen.append(members[rng.permutation(len(members))[:n_per_class]])
    return np.sort(np.concatenate(chosen))


def stratified_subset(
    x: np.ndarray, y: np.ndarray, n_per_class: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``n_per_class`` examples of every class, chosen at random with ``seed``, in data order.

    Examples
    --------
    >>> x = np.arange(12).reshape(6, 2)
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> xs, ys = stratified_subset(x, y, 2, seed=1)
    >>> xs.shape, np.bincount(ys).tolist()
    ((4, 2), [2, 2])
    """
    y = _check_xy(x, y)
    idx = stratified_indices(y, n_per_class, seed)
    return x[idx], y[idx]


class Split(NamedTuple):
    """A train/validation split; unpacks as ``x_train, y_train, x_val, y_val``."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray


def train_val_split(
    x: np.ndarray,
    y: np.ndarray,
    val_fraction: float | None = None,
    seed: int = 0,
    *,
    val_size: int | None = None,
) -> Split:
    """A stratified, seeded train/validation split (give ``val_fraction`` or ``val_size``).

    Examples
    --------
    >>> x = np.arange(40).reshape(20, 2)
    >>> y = np.repeat([0, 1], 10)
    >>> x_tr, y_tr, x_val, y_val = train_val_split(x, y, val_fraction=0.2, seed=0)
    >>> len(y_tr), np.bincount(y_val).tolist()
    (16, [2, 2])
    """
    from sklearn.model_selection import train_test_split

    y = _check_xy(x, y)
    if (val_fraction is None) == (val_size is None):
        raise ValueError("give exactly one of val_fraction and val_size")
    if val_fraction is not None and not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    if val_size is not None and (
        isinstance(val_size, bool)
        or not isinstance(val_size, (int, np.integer))
        or not 0 < val_size < len(y)
    ):
        raise ValueError(f"val_size must be an integer in 1..{len(y) - 1}, got {val_size!r}")
    x_tr, x_val, y_tr, y_val = train_test_split(
        x,
        y,
        test_size=val_fraction if val_fraction is not None else int(val_size),
        stratify=y,
        random_state=seed,
    )
    return Split(x_tr, y_tr, x_val, y_val)


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Profile:
    """How much data and training a run uses.

    ``None`` per-class counts mean "all available images"; ``val_per_class=0`` means no
    validation split (the whole training set is trained on). ``train_pool`` and
    ``test_pool`` restrict the draw to the first images of each set, so a small copy of
    the data and the complete one give the same subset.
    """

    name: str
    train_per_class: int | None
    val_per_class: int
    test_per_class: int | None
    epochs: int
    batch_size: int
    description: str = ""
    train_pool: int | None = None
    test_pool: int | None = None


PROFILES: dict[str, Profile] = {
    # What the book executes: about half a minute of training on 2 CPU cores.
    "quick": Profile(
        "quick",
        300,
        50,
        100,
        epochs=4,
        batch_size=32,
        description="3,000 training and 500 validation images drawn from the "
        "first 10,000 training images, 1,000 test images drawn from "
        "the first 2,000 test images, 4 epochs, batch 32",
        train_pool=10_000,
        test_pool=2_000,
    ),
    # The source material's protocol.
    "full": Profile(
        "full",
        None,
        0,
        None,
        epochs=50,
        batch_size=32,
        description="all 50,000 training and 10,000 test images, 50 epochs, batch 32",
    ),
}

# The digits have 174 to 183 images per class: a smaller quick profile fits them.
_DIGITS_QUICK = Profile(
    "quick",
    100,
    20,
    50,
    epochs=4,
    batch_size=32,
    description="1,000 training, 200 validation and 500 test images, 4 epochs, batch 32",
)


def get_profile(profile: str | Profile) -> Profile:
    """The :class:`Profile` named ``profile`` (``"quick"`` or ``"full"``), or ``profile``."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except (KeyError, TypeError):
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {profile!r}") from None


# --------------------------------------------------------------------------- book data


def digits_as_cifar() -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """scikit-learn's 1,797 handwritten digits shaped like CIFAR-10 images.

    Each 8 x 8 image (values 0..16) is scaled to 0..255, enlarged 3x by repeating
    pixels (24 x 24), padded with 4 black pixels on every side (32 x 32) and repeated
    over 3 channels, so it fits a model built for ``(32, 32, 3)``.

    Examples
    --------
    >>> x, y, names = digits_as_cifar()
    >>> x.shape, x.dtype, names[:3]
    ((1797, 32, 32, 3), dtype('uint8'), ('0', '1', '2'))
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    grey = np.rint(digits.images * (255 / 16)).astype(np.uint8)
    big = grey.repeat(3, axis=1).repeat(3, axis=2)
    padded = np.pad(big, ((0, 0), (4, 4), (4, 4)))
    images = np.repeat(padded[..., None], 3, axis=-1)
    return images, digits.target.astype(np.int64), tuple(str(d) for d in range(10))


_EMPTY_X = np.zeros((0, *IMAGE_SHAPE), np.uint8)
_EMPTY_Y = np.zeros((0,), np.int64)


@dataclass(frozen=True, eq=False)
class BookData:
    """The arrays a chapter trains and evaluates on, and where they came from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    name: str
    is_fallback: bool
    profile: Profile
    source: str
    checksums: dict[str, str] = field(default_factory=dict)
    fallback_reason: str = ""
    jpeg_derived: bool = False

    @property
    def input_shape(self) -> tuple[int, int, int]:
        return tuple(int(d) for d in self.x_train.shape[1:])  # type: ignore[return-value]

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def sizes(self) -> dict[str, int]:
        """Number of images in each split."""
        return {"train": len(self.y_train), "val": len(self.y_val), "test": len(self.y_test)}


def _require_cifar() -> bool:
    return os.environ.get(ENV_REQUIRE_CIFAR, "").strip().lower() not in ("", "0", "false", "no")


def book_data_from_cifar(
    cifar: Cifar10, profile: str | Profile = "quick", seed: int = 0
) -> BookData:
    """Cut the splits of ``profile`` out of a loaded :class:`Cifar10`."""
    prof = get_profile(profile)
    return _split_for_profile(
        cifar.x_train,
        cifar.y_train,
        cifar.x_test,
        cifar.y_test,
        prof,
        seed,
        name="CIFAR-10",
        class_names=cifar.class_names,
        source=cifar.source,
        checksums=cifar.checksums,
        jpeg_derived=cifar.jpeg_derived,
    )


def _split_for_profile(
    x_pool: np.ndarray,
    y_pool: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    prof: Profile,
    seed: int,
    **meta: Any,
) -> BookData:
    if prof.train_pool is not None:
        x_pool, y_pool = x_pool[: prof.train_pool], y_pool[: prof.train_pool]
    if prof.test_pool is not None:
        x_test, y_test = x_test[: prof.test_pool], y_test[: prof.test_pool]
    if prof.train_per_class is not None:
        x_pool, y_pool = stratified_subset(
            x_pool, y_pool, prof.train_per_class + prof.val_per_class, seed
        )
    if prof.val_per_class:
        n_classes = len(np.unique(y_pool))
        x_tr, y_tr, x_val, y_val = train_val_split(
            x_pool, y_pool, val_size=prof.val_per_class * n_classes, seed=seed
        )
    else:
        x_tr, y_tr, x_val, y_val = x_pool, y_pool, _EMPTY_X, _EMPTY_Y
    if prof.test_per_class is not None:
        x_test, y_test = stratified_subset(x_test, y_test, prof.test_per_class, seed)
    return BookData(
        x_tr, y_tr, x_val, y_val, x_test, y_test, is_fallback=False, profile=prof, **meta
    )


def load_book_data(
    profile: str | Profile = "quick",
    seed: int = 0,
    *,
    path: str | os.PathLike[str] | None = None,
    download: bool = True,
) -> BookData:
    """The data a chapter uses: CIFAR-10 if it can be found, else the digits fallback.

    The fallback is taken only when no CIFAR-10 copy exists (or can be downloaded);
    a copy that exists but is corrupt raises. With ``CONVNOTES_REQUIRE_CIFAR=1`` the
    fallback raises :class:`DataUnavailable` instead.
    """
    prof = get_profile(profile)
    try:
        cifar = load_cifar10(path, download=download)
    except DataUnavailable as exc:
        if _require_cifar():
            raise DataUnavailable(
                f"{ENV_REQUIRE_CIFAR} is set but CIFAR-10 is unavailable: {exc}"
            ) from exc
        if prof.train_per_class is None:
            raise DataUnavailable(f"profile {prof.name!r} needs CIFAR-10: {exc}") from exc
        return load_digits_fallback(
            prof if prof is not PROFILES["quick"] else _DIGITS_QUICK, seed, reason=str(exc)
        )
    return book_data_from_cifar(cifar, prof, seed)


def load_digits_fallback(
    profile: str | Profile = "quick", seed: int = 0, *, reason: str = "requested"
) -> BookData:
    """The digits, split like a profile, as :class:`BookData` with ``is_fallback=True``."""
    prof = get_profile(profile)
    if prof is PROFILES["quick"]:
        prof = _DIGITS_QUICK
    x, y, names = digits_as_cifar()
    # Hold out the test images first, then draw train/val from the rest.
    test_idx = stratified_indices(y, prof.test_per_class or 50, seed)
    rest = np.setdiff1d(np.arange(len(y)), test_idx)
    data = _split_for_profile(
        x[rest],
        y[rest],
        x[test_idx],
        y[test_idx],
        Profile(
            prof.name,
            prof.train_per_class,
            prof.val_per_class,
            None,
            prof.epochs,
            prof.batch_size,
            prof.description,
        ),
        seed,
        name="scikit-learn digits",
        class_names=names,
        source="scikit-learn load_digits (fallback)",
    )
    return BookData(
        data.x_train,
        data.y_train,
        data.x_val,
        data.y_val,
        data.x_test,
        data.y_test,
        names,
        "scikit-learn digits",
        True,
        prof,
        data.source,
        fallback_reason=reason,
    )
