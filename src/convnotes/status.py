"""How the book was built: chapter execution times, data, versions, hardware, recorded runs.

The status page (``book/en/status.md``, ``book/fa/status.md``) calls
:func:`collect_status` and shows its tables. The book's Sphinx extension
(``book/_ext/convnotes_publish.py``) reads that page after every chapter and re-executes
it on every build, and tells its kernel where this build's execution cache is
(``CONVNOTES_EXECUTION_CACHE``), when the build started (``CONVNOTES_BUILD_STARTED``)
and where the book is (``CONVNOTES_BOOK_ROOT``). From those:

* **execution time** -- jupyter-cache keeps one record per executed notebook, keyed by
  a hash of its code cells, with the seconds the execution took. A chapter's English
  and Persian pages have identical code cells, so one record (one execution) serves both;
* **data** -- the executed notebook holds the data box a chapter glued
  (:meth:`convnotes.data.BookData.box`): the CIFAR-10 note or the digits-fallback
  warning, with the split sizes;
* **live or recorded** -- every number is computed during the build unless a chapter's
  code reads a recorded run under ``results/``; those files are listed with their
  provenance, and the benchmarks under ``results/bench/`` with their results;
* **versions and hardware** -- from the running interpreter and the machine.
"""

from __future__ import annotations

import html
import json
import os
import platform
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from convnotes.i18n import check_language, format_number, persian_digits

ENV_CACHE = "CONVNOTES_EXECUTION_CACHE"
ENV_BUILD_STARTED = "CONVNOTES_BUILD_STARTED"
ENV_ROOT = "CONVNOTES_BOOK_ROOT"
GLUE_PREFIX = "application/papermill.record/"

#: (distribution, what it is) in the order the status page lists them.
LIBRARIES: tuple[tuple[str, str], ...] = (
    ("convnotes", "this book's package"),
    ("tensorflow-cpu", "TensorFlow (CPU build)"),
    ("tensorflow", "TensorFlow"),
    ("keras", "Keras"),
    ("keras-tuner", "Keras Tuner"),
    ("numpy", "NumPy"),
    ("opencv-python-headless", "OpenCV"),
    ("scikit-learn", "scikit-learn"),
    ("scikit-image", "scikit-image"),
    ("matplotlib", "Matplotlib"),
    ("jupyter-book", "Jupyter Book"),
    ("myst-nb", "MyST-NB"),
    ("sphinx", "Sphinx"),
    ("jupyter-cache", "jupyter-cache"),
)

_WORDS: dict[str, dict[str, str]] = {
    "chapter": {"en": "Chapter", "fa": "فصل"},
    "seconds": {"en": "Time (s)", "fa": "زمان (ثانیه)"},
    "executed": {"en": "Executed", "fa": "اجرا شده در"},
    "data": {"en": "Data", "fa": "داده"},
    "numbers": {"en": "Numbers", "fa": "اعداد"},
    "notebook": {"en": "Notebook", "fa": "دفترچه"},
    "this_build": {"en": "in this build", "fa": "در همین ساخت"},
    "cached": {"en": "reused from the cache", "fa": "از حافظهٔ نهان"},
    "not_executed": {"en": "not executed", "fa": "اجرا نشده"},
    "live": {"en": "live", "fa": "زنده"},
    "recorded": {"en": "live + recorded", "fa": "زنده + ثبت‌شده"},
    "total": {"en": "Total", "fa": "جمع"},
    "library": {"en": "Library", "fa": "کتابخانه"},
    "installed": {"en": "Installed", "fa": "نصب‌شده"},
    "pinned": {"en": "Pinned in requirements.txt", "fa": "نسخهٔ ثبت‌شده در requirements.txt"},
    "absent": {"en": "not installed", "fa": "نصب نیست"},
    "item": {"en": "Item", "fa": "مورد"},
    "value": {"en": "Value", "fa": "مقدار"},
    "file": {"en": "File", "fa": "پرونده"},
    "kind": {"en": "Kind", "fa": "نوع"},
    "recorded_on": {"en": "Recorded", "fa": "زمان ثبت"},
    "read_by": {"en": "Read by", "fa": "خوانده‌شده در"},
    "command": {"en": "Command", "fa": "فرمان"},
    "nobody": {"en": "no chapter", "fa": "هیچ فصلی"},
    "no_records": {
        "en": "No recorded runs: every number in this build was computed live.",
        "fa": "هیچ اجرای ثبت‌شده‌ای نیست: همهٔ اعداد این ساخت زنده محاسبه شده‌اند.",
    },
    "results": {"en": "Results", "fa": "نتیجه‌ها"},
    "machine": {"en": "Machine", "fa": "ماشین"},
    "no_benchmarks": {
        "en": "Not recorded: results/bench/ holds no benchmark yet.",
        "fa": "ثبت نشده است: هنوز هیچ بنچمارکی (benchmark) در results/bench/ نیست.",
    },
    "none": {
        "en": "no dataset: arrays made in the chapter",
        "fa": "بدون مجموعه‌داده: آرایه‌های ساخته‌شده در فصل",
    },
    "cifar": {"en": "CIFAR-10, official files", "fa": "CIFAR-10، پرونده‌های رسمی"},
    "cifar-offline": {
        "en": "CIFAR-10, offline copy (JPEG-derived pixels)",
        "fa": "CIFAR-10، نسخهٔ آفلاین (پیکسل‌های بازسازی‌شده از JPEG)",
    },
    "cifar-unknown": {"en": "CIFAR-10 (no data note shown)", "fa": "CIFAR-10 (بدون یادداشت داده)"},
    "fallback": {
        "en": "scikit-learn digits (fallback: CIFAR-10 unavailable)",
        "fa": "ارقام scikit-learn (جایگزین: CIFAR-10 در دسترس نبود)",
    },
    "digits": {
        "en": "scikit-learn handwritten digits (8x8), chosen for speed",
        "fa": "ارقام دست‌نویس scikit-learn (۸×۸)، برای سرعت",
    },
    "skimage": {"en": "scikit-image sample images", "fa": "تصویرهای نمونهٔ scikit-image"},
    "sizes": {
        "en": "{train} train / {val} val / {test} test",
        "fa": "{train} آموزشی / {val} اعتبارسنجی / {test} آزمون",
    },
    "python": {"en": "Python", "fa": "پایتون"},
    "os": {"en": "Operating system", "fa": "سیستم‌عامل"},
    "cpu": {"en": "Processor", "fa": "پردازنده"},
    "cores": {"en": "Logical CPUs available", "fa": "پردازنده‌های منطقی در دسترس"},
    "memory": {"en": "Memory", "fa": "حافظه"},
    "accelerator": {
        "en": "Accelerator (GPU) for TensorFlow",
        "fa": "شتاب‌دهنده (GPU) برای TensorFlow",
    },
    "cpu_only": {"en": "none: the CPU build of TensorFlow", "fa": "هیچ: نسخهٔ CPU از TensorFlow"},
    "unknown": {"en": "unknown", "fa": "نامعلوم"},
    "features": {"en": "Instruction sets", "fa": "مجموعه‌دستورها"},
    "yes": {"en": "yes", "fa": "بله"},
    "no": {"en": "no", "fa": "خیر"},
    "tf_path": {"en": "TensorFlow CPU path", "fa": "مسیر CPU در TensorFlow"},
    "tf_path_chosen": {"en": "Chosen by", "fa": "انتخاب‌کننده"},
    "chosen_by": {
        "en": "{who} (TensorFlow's own default on this CPU: {default})",
        "fa": "{who} (پیش‌فرض خود TensorFlow روی این پردازنده: {default})",
    },
    "convnotes default": {"en": "convnotes' default", "fa": "پیش‌فرض convnotes"},
    "user environment": {
        "en": "the environment variable TF_ENABLE_ONEDNN_OPTS",
        "fa": "متغیر محیطی TF_ENABLE_ONEDNN_OPTS",
    },
    "tensorflow default": {"en": "TensorFlow", "fa": "TensorFlow"},
    "precision": {"en": "Training precision (auto)", "fa": "دقت عددی آموزش (auto)"},
    "bf16_native": {
        "en": "{mixed}: the CPU computes {bf16} natively",
        "fa": "{mixed}؛ پردازنده {bf16} را به‌طور سخت‌افزاری حساب می‌کند",
    },
    "bf16_absent": {
        "en": "{f32}: the CPU has no native {bf16}",
        "fa": "{f32}؛ پردازنده {bf16} سخت‌افزاری ندارد",
    },
    "gib": {"en": "{n} GiB", "fa": "{n} گیگابایت"},
}


def word(key: str, lang: str) -> str:
    """A label of the status tables in ``lang``.

    Examples
    --------
    >>> word("chapter", "fa")
    'فصل'
    """
    return _WORDS[key][check_language(lang)]


# --------------------------------------------------------------------------- locating


def find_book_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The book's root: ``$CONVNOTES_BOOK_ROOT``, else the nearest folder with ``_toc.yml``."""
    if start is None and os.environ.get(ENV_ROOT):
        return Path(os.environ[ENV_ROOT])
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file():
            return folder
    raise FileNotFoundError(f"no _toc.yml in {here} or its parents: not inside the book")


def execution_cache_path(root: Path) -> Path | None:
    """This build's jupyter-cache folder: ``$CONVNOTES_EXECUTION_CACHE``, else the newest
    cache under ``_build/.jupyter_cache``; ``None`` if there is none."""
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE])
    databases = sorted(
        (root / "_build" / ".jupyter_cache").glob("*/global.db"), key=lambda p: p.stat().st_mtime
    )
    return databases[-1].parent if databases else None


def book_chapters(root: Path) -> list[str]:
    """Chapter file names (``pooling``) of the English part of ``_toc.yml``, in order.

    The toc is read as Jupyter Book reads it, with sphinx-external-toc (installed with
    the book, like the myst-nb that :func:`chapter_runs` reads the chapters with).
    """
    from sphinx_external_toc.parsing import parse_toc_yaml

    site = parse_toc_yaml(root / "_toc.yml")  # a mapping of docnames, in reading order
    english = [docname.split("/") for docname in site if docname.startswith("book/en/")]
    return [parts[2] for parts in english if len(parts) == 3]


def chapter_title(path: Path) -> str:
    """The first level-one heading of a MyST file, without roles."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return re.sub(r"\{[\w:+-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", line[2:]).strip()
    return path.stem


# --------------------------------------------------------------------------- chapters


@dataclass(frozen=True)
class DataUse:
    """The data a chapter's numbers came from, as its executed notebook shows."""

    kind: str  # a _WORDS key: cifar, cifar-offline, cifar-unknown, fallback, digits, skimage, none
    sizes: tuple[int, int, int] | None = None  # train, validation, test images
    photos: tuple[str, ...] = ()  # scikit-image sample photographs the chapter loads

    def describe(self, lang: str) -> str:
        """The data in words.

        Examples
        --------
        >>> DataUse("cifar-offline", (2000, 500, 1000)).describe("en")
        'CIFAR-10, offline copy (JPEG-derived pixels): 2,000 train / 500 val / 1,000 test'
        >>> DataUse("skimage", photos=("camera", "chelsea")).describe("en")
        'scikit-image sample images: camera, chelsea'
        """
        text = word(self.kind, lang)
        if self.sizes:
            numbers = [format_number(n, lang) for n in self.sizes]
            text += ": " + word("sizes", lang).format(
                train=numbers[0], val=numbers[1], test=numbers[2]
            )
        if self.photos:
            names = ("، " if lang == "fa" else ", ").join(self.photos)
            if self.kind == "skimage":
                text += f": {names}"
            else:
                text += f"; {word('skimage', lang)}: {names}"
        return text


_SIZES = re.compile(r"([\d,]+) training, ([\d,]+) validation and ([\d,]+) test images")


def data_use(outputs_html: list[str], code: str) -> DataUse:
    """Which data a chapter used, from the HTML it glued and its code.

    ``outputs_html`` are the chapter's ``text/html`` outputs (English ones suffice);
    :meth:`convnotes.data.BookData.box` marks them with CSS classes.

    Examples
    --------
    >>> note = ('<div class="admonition note cn-data-note"><p>The numbers on this page come'
    ...         ' from CIFAR-10 ...: 2,000 training, 500 validation and 1,000 test images,'
    ...         ' 3 epochs. Most pixels of this offline copy ...</p></div>')
    >>> data_use([note], "data.load_book_data()")
    DataUse(kind='cifar-offline', sizes=(2000, 500, 1000), photos=())
    >>> data_use([], "np.arange(16).reshape(4, 4)")
    DataUse(kind='none', sizes=None, photos=())
    >>> data_use([], 'camera = filters.sample_image("camera")').describe("en")
    'scikit-image sample images: camera'
    """
    from convnotes.data import DATA_NOTE_CSS_CLASS, FALLBACK_CSS_CLASS

    # convnotes.filters.sample_image("camera") and skimage.data.camera() both load one.
    photos = tuple(
        dict.fromkeys(
            re.findall(r"sample_image\(\s*[\"'](\w+)[\"']", code)
            + re.findall(
                r"\b(?:skimage\.)?data\.(astronaut|brick|camera|cat|chelsea|coffee|"
                r"coins|grass|gravel|horse|moon|page|rocket|text)\(",
                code,
            )
        )
    )
    for text in outputs_html:
        if FALLBACK_CSS_CLASS in text or DATA_NOTE_CSS_CLASS in text:
            sizes = _SIZES.search(text)
            numbers = tuple(int(n.replace(",", "")) for n in sizes.groups()) if sizes else None
            if FALLBACK_CSS_CLASS in text:
                kind = "fallback"
            else:
                kind = "cifar-offline" if "offline copy" in text else "cifar"
            return DataUse(kind, numbers, photos)  # type: ignore[arg-type]
    if re.search(
        r"\b(load_book_data|load_cifar10|find_cifar10)\b"
        r"|make_problem\(\s*[\"']cifar",
        code,
    ):
        return DataUse("cifar-unknown", photos=photos)
    if re.search(r"make_problem\(\s*[\"']digits|\bload_digits\(", code):
        return DataUse("digits", photos=photos)
    if photos or re.search(r"\bskimage\.data\b|from skimage import data\b", code):
        return DataUse("skimage", photos=photos)
    return DataUse("none")


@dataclass(frozen=True)
class ChapterRun:
    """One chapter's execution in this build (shared by its two editions)."""

    chapter: str
    titles: dict[str, str]
    seconds: float | None
    executed_at: datetime | None
    executed_file: str | None  # the edition whose execution filled the cache
    in_this_build: bool
    data: DataUse
    recorded: tuple[str, ...] = ()  # results/ files the chapter's code reads

    @property
    def numbers(self) -> str:
        return "recorded" if self.recorded else "live"


def _code_of(notebook: Any) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")


def _html_outputs(notebook: Any) -> list[str]:
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name", "")
            if name.endswith("-fa"):
                continue
            for mime, value in output.get("data", {}).items():
                if mime.removeprefix(GLUE_PREFIX) == "text/html":
                    texts.append("".join(value) if isinstance(value, list) else str(value))
    return texts


def recorded_references(code: str, root: Path) -> tuple[str, ...]:
    """Files under ``results/`` that the code names (by path or file name), sorted."""
    results = root / "results"
    named = set(re.findall(r"results/[\w./-]+\.json", code))
    if results.is_dir():
        for path in results.rglob("*.json"):
            relative = path.relative_to(root).as_posix()
            if relative in named or re.search(rf"\b{re.escape(path.name)}\b", code):
                named.add(relative)
    return tuple(sorted(named))


def _with_cache_key(root: Path, source: Path) -> str:
    """The chapter's text with the dependency key the build writes into its kernelspec.

    The build keys each chapter's execution cache on the package files it imports
    (book/_ext/convnotes_cache.py); the same key makes the chapter match its record.
    """
    text = source.read_text(encoding="utf-8")
    extension = root / "book" / "_ext" / "convnotes_cache.py"
    if not extension.exists():
        return text
    import importlib.util

    spec = importlib.util.spec_from_file_location("convnotes_cache", extension)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.inject_key(text, module.dependency_key(root, source))


def chapter_runs(
    root: Path, cache_path: Path | None, build_started: float | None = None
) -> list[ChapterRun]:
    """Every chapter with a notebook, matched to its record in the execution cache."""
    from myst_nb.core.read import read_myst_markdown_notebook

    cache = None
    if cache_path is not None and (cache_path / "global.db").exists():
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_path))
    runs = []
    for chapter in book_chapters(root):
        source = root / "book" / "en" / f"{chapter}.md"
        if chapter == "status" or not source.exists():
            continue
        notebook = read_myst_markdown_notebook(_with_cache_key(root, source))
        code = _code_of(notebook)
        if not code.strip():
            continue
        titles = {
            lang: chapter_title(root / "book" / lang / f"{chapter}.md")
            for lang in ("en", "fa")
            if (root / "book" / lang / f"{chapter}.md").exists()
        }
        record, executed = None, None
        if cache is not None:
            try:
                record = cache.match_cache_notebook(notebook)
                executed = cache.get_cache_bundle(record.pk).nb
            except KeyError:
                record = None
        seconds = created = None
        executed_file = None
        if record is not None:
            seconds = (record.data or {}).get("execution_seconds")
            created = record.created.replace(tzinfo=timezone.utc)
            executed_file = (
                Path(record.uri).relative_to(root).as_posix()
                if Path(record.uri).is_relative_to(root)
                else record.uri
            )
        in_build = (
            created is not None
            and build_started is not None
            and created.timestamp() >= build_started
        )
        runs.append(
            ChapterRun(
                chapter,
                titles,
                seconds,
                created,
                executed_file,
                in_build,
                data_use(_html_outputs(executed) if executed is not None else [], code),
                recorded_references(code, root),
            )
        )
    return runs


# --------------------------------------------------------------------------- environment


def _pins(root: Path) -> dict[str, str]:
    path = root / "requirements.txt"
    if not path.exists():
        return {}
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def library_versions(root: Path) -> list[tuple[str, str, str | None, str | None]]:
    """``(distribution, what it is, installed version, pinned version)`` per library."""
    pins = _pins(root)
    rows = [("python", "Python", platform.python_version(), None)]
    for name, what in LIBRARIES:
        try:
            installed: str | None = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed is None and name == "tensorflow":
            continue  # tensorflow-cpu provides it
        rows.append((name, what, installed, pins.get(name)))
    return rows


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        return None


def _accelerators() -> list[str] | None:
    """GPUs TensorFlow could use: none with the CPU build; else the NVIDIA driver's list.

    Asking TensorFlow itself would import it (seconds) for a page that trains nothing.
    """
    try:
        metadata.version("tensorflow-cpu")
        return []
    except metadata.PackageNotFoundError:
        pass
    gpus = Path("/proc/driver/nvidia/gpus")
    if gpus.is_dir():
        names = []
        for info in sorted(gpus.glob("*/information")):
            model = re.search(r"^Model:\s*(.+)$", info.read_text(), re.MULTILINE)
            names.append(model.group(1).strip() if model else info.parent.name)
        return names
    return None


def hardware() -> dict[str, Any]:
    """The machine the chapters ran on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    from convnotes import _tf, machine

    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "cpu": machine.cpu_model(),
        "cores": cores,
        "memory": _memory_gib(),
        "accelerator": _accelerators(),
        "features": machine.cpu_features(),
        "native_bfloat16": machine.native_bfloat16_cpu(),
        "onednn": machine.planned_onednn(),
        "onednn_chosen_by": _tf.choose_cpu_path(),
        "tensorflow_default_onednn": machine.tensorflow_default_onednn(),
    }


# --------------------------------------------------------------------------- recorded runs


@dataclass(frozen=True)
class RecordedFile:
    """A run stored under ``results/`` with what it says about itself."""

    path: str
    kind: str | None
    recorded: str | None
    command: str | None
    read_by: tuple[str, ...] = ()


def _first(record: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        node: Any = record
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node not in (None, "", []):
            return node
    return None


def _is_record(path: Path, results: Path) -> bool:
    """A run record: not inside a tuner's project folder, not a benchmark."""
    relative = path.relative_to(results)
    return not (
        relative.parts[0] == BENCH_DIR
        or any(part.startswith("trial_") for part in relative.parts)
        or path.name in ("oracle.json", "tuner0.json")
    )


def recorded_files(root: Path, runs: list[ChapterRun]) -> list[RecordedFile]:
    """Every JSON run record under ``results/`` (tuner projects and benchmarks excluded)."""
    results = root / "results"
    found = []
    for path in sorted(results.rglob("*.json")) if results.is_dir() else []:
        if not _is_record(path, results):
            continue
        relative = path.relative_to(root).as_posix()
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}
        if not isinstance(record, dict):
            record = {}
        command = _first(record, "command", "provenance.command", "argv", "provenance.argv")
        if isinstance(command, list):
            command = " ".join(map(str, command))
        recorded = _first(
            record,
            "created",
            "recorded_at",
            "timestamp",
            "date",
            "finished",
            "provenance.created",
            "provenance.date",
            "provenance.finished",
        )
        found.append(
            RecordedFile(
                relative,
                _first(record, "kind", "schema", "type"),
                str(recorded) if recorded is not None else None,
                str(command) if command is not None else None,
                tuple(run.chapter for run in runs if relative in run.recorded),
            )
        )
    return found


BENCH_DIR = "bench"


@dataclass(frozen=True)
class Benchmark:
    """A benchmark stored under ``results/bench/``: when, where, how, and its headline results."""

    path: str
    recorded: str | None
    summary: tuple[tuple[str, str], ...]
    command: str | None = None
    machine: str | None = None


_HEADLINE = re.compile(r"(median|mean|accuracy|speedup|per_second|seconds|_s)$")


def _leaves(node: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [
            leaf
            for key, value in node.items()
            for leaf in _leaves(value, f"{prefix}.{key}" if prefix else str(key))
        ]
    return [(prefix, node)]


def _summary(record: dict[str, Any], limit: int = 20) -> tuple[tuple[str, str], ...]:
    """Headline ``(key, value)`` pairs of a benchmark: its medians, means, accuracies,
    speed-ups and times, nested keys dotted (provenance and lists left out).

    Examples
    --------
    >>> _summary({"kind": "benchmark", "metrics": {"conv2d": {"seconds_median": 0.0123456,
    ...           "seconds_rounds": [0.01, 0.02]}}, "provenance": {"seconds": 3}})
    (('conv2d.seconds_median', '0.01235'),)
    """
    pairs = []
    for key, value in _leaves({k: v for k, v in record.items() if k != "provenance"}):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if _HEADLINE.search(key):
            text = f"{value:.4g}" if isinstance(value, float) else str(value)
            pairs.append((key.removeprefix("metrics."), text))
    return tuple(pairs[:limit])


def benchmark_files(root: Path) -> list[Benchmark]:
    """Every JSON file under ``results/bench/``."""
    bench = root / "results" / BENCH_DIR
    found = []
    for path in sorted(bench.rglob("*.json")) if bench.is_dir() else []:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}
        record = record if isinstance(record, dict) else {}
        recorded = _first(
            record,
            "created",
            "recorded_at",
            "timestamp",
            "date",
            "provenance.created",
            "provenance.date",
        )
        command = _first(record, "command", "provenance.command")
        cpu = _first(record, "machine.cpu", "provenance.machine.cpu")
        cores = _first(record, "machine.cpu_count", "provenance.machine.cpu_count")
        machine = f"{cpu}, {cores} CPUs" if cpu and cores else (str(cpu) if cpu else None)
        found.append(
            Benchmark(
                path.relative_to(root).as_posix(),
                str(recorded) if recorded is not None else None,
                _summary(record),
                str(command) if command else None,
                machine,
            )
        )
    return found


# --------------------------------------------------------------------------- the report


def format_seconds(seconds: float | None, lang: str) -> str:
    """Seconds with one decimal in the digits of ``lang``; an em dash when unknown.

    Examples
    --------
    >>> format_seconds(12.345, "en"), format_seconds(12.345, "fa"), format_seconds(None, "en")
    ('12.3', '۱۲٫۳', '—')
    """
    return "—" if seconds is None else format_number(float(seconds), lang, decimals=1)


def _table(
    headers: list[str], rows: list[list[str]], lang: str, *, foot: list[str] | None = None
) -> str:
    direction = "rtl" if lang == "fa" else "ltr"
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    tfoot = "<tfoot><tr>" + "".join(f"<th>{c}</th>" for c in foot) + "</tr></tfoot>" if foot else ""
    return (
        f'<table class="table cn-status-table" dir="{direction}" lang="{lang}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>{tfoot}</table>"
    )


def _ltr(text: str) -> str:
    """``text`` escaped and isolated left to right (Latin labels inside Persian cells)."""
    return f'<bdi dir="ltr" style="white-space: nowrap">{html.escape(text)}</bdi>'


def _code(text: str) -> str:
    return f'<code dir="ltr">{html.escape(text)}</code>'


@dataclass
class BuildStatus:
    """Everything the status page shows; each ``*_html(lang)`` is one glued table."""

    root: Path
    cache_path: Path | None
    runs: list[ChapterRun]
    versions: list[tuple[str, str, str | None, str | None]]
    machine: dict[str, Any]
    records: list[RecordedFile] = field(default_factory=list)
    benchmarks: list[Benchmark] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        """Seconds of execution, counting once an execution shared by several chapters."""
        seen: dict[tuple[str | None, datetime | None], float] = {}
        for run in self.runs:
            if run.seconds is not None:
                seen[(run.executed_file, run.executed_at)] = run.seconds
        return sum(seen.values())

    def chapters_html(self, lang: str) -> Any:
        """Per chapter: execution time, when, data, live/recorded, notebook link."""
        from IPython.display import HTML

        rows = []
        for run in self.runs:
            title = html.escape(run.titles.get(lang, run.chapter))
            if run.executed_at is None:
                when = word("not_executed", lang)
            else:
                stamp = run.executed_at.strftime("%Y-%m-%d %H:%M")
                if lang == "fa":  # digits only: a date keeps its hyphens and reads left to right
                    stamp = persian_digits(stamp)
                source = word("this_build" if run.in_this_build else "cached", lang)
                when = f'<bdi dir="ltr">{stamp} UTC</bdi><br><small>{source}</small>'
            numbers = (
                word("live", lang)
                if not run.recorded
                else (word("recorded", lang) + ": " + ", ".join(_code(p) for p in run.recorded))
            )
            notebook = f"../../notebooks/{lang}/{run.chapter}.ipynb"
            rows.append(
                [
                    f'<a href="{run.chapter}.html">{title}</a>',
                    format_seconds(run.seconds, lang),
                    when,
                    html.escape(run.data.describe(lang)),
                    numbers,
                    f'<a href="{notebook}" download title="{run.chapter}.ipynb">'
                    '<i class="fa-solid fa-download" aria-hidden="true"></i> '
                    '<bdi dir="ltr">.ipynb</bdi></a>',
                ]
            )
        headers = [
            word(k, lang) for k in ("chapter", "seconds", "executed", "data", "numbers", "notebook")
        ]
        foot = [word("total", lang), format_seconds(self.total_seconds, lang), "", "", "", ""]
        return HTML(_table(headers, rows, lang, foot=foot))

    def versions_html(self, lang: str) -> Any:
        from IPython.display import HTML

        rows = [
            [
                html.escape(what) + " " + _code(name),
                _code(installed) if installed else word("absent", lang),
                _code(pinned) if pinned else "—",
            ]
            for name, what, installed, pinned in self.versions
        ]
        headers = [word("library", lang), word("installed", lang), word("pinned", lang)]
        return HTML(_table(headers, rows, lang))

    def hardware_html(self, lang: str) -> Any:
        from IPython.display import HTML

        machine = self.machine
        unknown = word("unknown", lang)
        memory = machine.get("memory")
        accelerators = machine.get("accelerator")
        if accelerators is None:
            accelerator = unknown
        else:
            accelerator = ", ".join(accelerators) or word("cpu_only", lang)
        rows = [
            [word("cpu", lang), html.escape(machine.get("cpu") or unknown)],
            [
                word("cores", lang),
                format_number(machine["cores"], lang) if machine.get("cores") else unknown,
            ],
            [
                word("memory", lang),
                word("gib", lang).format(n=format_number(memory, lang, decimals=1))
                if memory
                else unknown,
            ],
            [word("accelerator", lang), html.escape(accelerator)],
            *self._cpu_path_rows(lang),
            [word("os", lang), _code(machine.get("os") or unknown)],
            [word("python", lang), _code(machine.get("python") or unknown)],
        ]
        return HTML(_table([word("item", lang), word("value", lang)], rows, lang))

    def _cpu_path_rows(self, lang: str) -> list[list[str]]:
        """Instruction sets, TensorFlow's CPU path and who chose it, the precision (HTML)."""
        machine = self.machine
        if "onednn" not in machine:
            return []
        features = machine.get("features") or {}
        shown = [("AVX2", "avx2"), ("AVX-512", "avx512f"), ("AVX-512 BF16", "avx512_bf16")]
        feature_html = "<br>".join(
            f"{_ltr(label)}: {word('yes' if features.get(key) else 'no', lang)}"
            for label, key in shown
        )

        def path(onednn: bool) -> str:
            return _ltr("oneDNN" if onednn else "Eigen")

        chosen = word("chosen_by", lang).format(
            who=html.escape(word(machine["onednn_chosen_by"], lang)),
            default=path(machine["tensorflow_default_onednn"]),
        )
        precision = word(
            "bf16_native" if machine["native_bfloat16"] else "bf16_absent", lang
        ).format(mixed=_ltr("mixed_bfloat16"), bf16=_ltr("bfloat16"), f32=_ltr("float32"))
        return [
            [word("features", lang), feature_html],
            [word("tf_path", lang), path(machine["onednn"])],
            [word("tf_path_chosen", lang), chosen],
            [word("precision", lang), precision],
        ]

    def recorded_html(self, lang: str) -> Any:
        from IPython.display import HTML

        if not self.records:
            return HTML(f'<p lang="{lang}">{word("no_records", lang)}</p>')
        rows = []
        for record in self.records:
            titles = [
                next(
                    (r.titles.get(lang, r.chapter) for r in self.runs if r.chapter == chapter),
                    chapter,
                )
                for chapter in record.read_by
            ]
            rows.append(
                [
                    _code(record.path),
                    html.escape(record.kind or "—"),
                    _code(record.recorded) if record.recorded else "—",
                    html.escape(", ".join(titles)) if titles else word("nobody", lang),
                    _code(record.command) if record.command else "—",
                ]
            )
        headers = [word(k, lang) for k in ("file", "kind", "recorded_on", "read_by", "command")]
        return HTML(_table(headers, rows, lang))

    def benchmarks_html(self, lang: str) -> Any:
        """One block per benchmark: where it came from, then its headline results."""
        from IPython.display import HTML

        if not self.benchmarks:
            return HTML(f'<p lang="{lang}">{word("no_benchmarks", lang)}</p>')
        blocks = []
        for bench in self.benchmarks:
            readers = ", ".join(
                run.titles.get(lang, run.chapter) for run in self.runs if bench.path in run.recorded
            ) or word("nobody", lang)
            facts = [
                (word("recorded_on", lang), _code(bench.recorded) if bench.recorded else "—"),
                (word("machine", lang), html.escape(bench.machine or "—")),
                (word("command", lang), _code(bench.command) if bench.command else "—"),
                (word("read_by", lang), html.escape(readers)),
            ]
            rows = [[label, value] for label, value in facts]
            rows += [
                [_code(key), f'<bdi dir="ltr">{html.escape(value)}</bdi>']
                for key, value in bench.summary
            ]
            blocks.append(
                f"<p>{_code(bench.path)}</p>"
                + _table([word("item", lang), word("value", lang)], rows, lang)
            )
        return HTML("".join(blocks))

    def summary(self, lang: str) -> str:
        """One sentence: how many chapters ran, for how long, how many in this build."""
        executed = [run for run in self.runs if run.seconds is not None]
        fresh = sum(run.in_this_build for run in executed)
        n, total = format_number(len(executed), lang), format_seconds(self.total_seconds, lang)
        if lang == "fa":
            text = f"{n} فصل روی هم {total} ثانیه اجرا شدند؛ "
            if fresh == len(executed):
                return text + "همه در همین ساخت اجرا شدند."
            if fresh == 0:
                return text + "نتیجهٔ همه از حافظهٔ نهان اجرا آمد."
            return (
                text + f"{format_number(fresh, lang)} فصل در همین ساخت اجرا شد و نتیجهٔ "
                "بقیه از حافظهٔ نهان اجرا آمد."
            )
        text = f"{n} chapters executed in {total} s in total; "
        if fresh == len(executed):
            return text + "all of them ran in this build."
        if fresh == 0:
            return text + "all of them came from the execution cache."
        return text + f"{fresh} ran in this build, the rest came from the execution cache."


def collect_status(root: str | os.PathLike[str] | None = None) -> BuildStatus:
    """Gather the status of the book being built (see the module docstring)."""
    book = Path(root) if root is not None else find_book_root()
    cache_path = execution_cache_path(book)
    started = os.environ.get(ENV_BUILD_STARTED)
    runs = chapter_runs(book, cache_path, float(started) if started else None)
    return BuildStatus(
        book,
        cache_path,
        runs,
        library_versions(book),
        hardware(),
        recorded_files(book, runs),
        benchmark_files(book),
    )


if __name__ == "__main__":  # pragma: no cover - a quick look from the command line
    status = collect_status()
    for run in status.runs:
        print(
            f"{run.chapter:<12} {format_seconds(run.seconds, 'en'):>7} s  "
            f"{run.data.describe('en')}  [{run.numbers}]"
        )
    print(status.summary("en"))
