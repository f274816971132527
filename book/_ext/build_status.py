"""How the book was built: chapter execution times, data, versions, hardware, recorded runs.

Book tooling, not part of the installed package: the Sphinx extension
``book/_ext/convnotes_status.py`` calls :func:`collect_status` once all chapters have been
read and puts its tables into the status pages (``book/{en,fa}/status.md``). Everything
comes from what the build itself recorded:

* **execution time** -- myst-nb's execution data for each chapter document (Sphinx's
  environment, ``env.nb_metadata[docname]["exec_data"]``): when the notebook was
  executed, for how long, and so whether it ran in this build or was served from the
  execution cache. A chapter's English and Persian pages have identical code cells,
  so both pages point at one execution, counted once;
* **data** -- the glue data myst-nb writes beside each executed chapter
  (``jupyter_execute/book/en/<chapter>.glue.json``): the data box a chapter glues
  (:func:`convnotes.presentation.data.box`) carries the facts (which data, split sizes)
  in its output's metadata; photographs and datasets a chapter loads without a box are
  read from its code;
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
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from convnotes import runrecord
from convnotes.i18n import LANGUAGES, Text, format_number, persian_digits
from convnotes.presentation.tables import Cell, html_table

#: The key of the facts a data box glues in its output's metadata.
DATA_FACTS_KEY = "convnotes_data"

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

_WORDS: dict[str, Text] = {
    "chapter": Text("Chapter", "فصل"),
    "seconds": Text("Time (s)", "زمان (ثانیه)"),
    "executed": Text("Executed", "اجرا شده در"),
    "data": Text("Data", "داده"),
    "numbers": Text("Numbers", "اعداد"),
    "notebook": Text("Notebook", "دفترچه"),
    "this_build": Text("in this build", "در همین ساخت"),
    "cached": Text("reused from the cache", "از حافظهٔ نهان"),
    "not_executed": Text("not executed", "اجرا نشده"),
    "live": Text("live", "زنده"),
    "recorded": Text("live + recorded", "زنده + ثبت‌شده"),
    "total": Text("Total", "جمع"),
    "library": Text("Library", "کتابخانه"),
    "installed": Text("Installed", "نصب‌شده"),
    "pinned": Text("Pinned in requirements.txt", "نسخهٔ ثبت‌شده در requirements.txt"),
    "absent": Text("not installed", "نصب نیست"),
    "item": Text("Item", "مورد"),
    "value": Text("Value", "مقدار"),
    "file": Text("File", "پرونده"),
    "kind": Text("Kind", "نوع"),
    "recorded_on": Text("Recorded", "زمان ثبت"),
    "read_by": Text("Read by", "خوانده‌شده در"),
    "command": Text("Command", "فرمان"),
    "nobody": Text("no chapter", "هیچ فصلی"),
    "no_records": Text(
        "No recorded runs: every number in this build was computed live.",
        "هیچ اجرای ثبت‌شده‌ای نیست: همهٔ اعداد این ساخت زنده محاسبه شده‌اند.",
    ),
    "results": Text("Results", "نتیجه‌ها"),
    "machine": Text("Machine", "ماشین"),
    "no_benchmarks": Text(
        "Not recorded: results/bench/ holds no benchmark yet.",
        "ثبت نشده است: هنوز هیچ بنچمارکی (benchmark) در results/bench/ نیست.",
    ),
    "none": Text(
        "no dataset: arrays made in the chapter", "بدون مجموعه‌داده: آرایه‌های ساخته‌شده در فصل"
    ),
    "cifar": Text("CIFAR-10, official files", "CIFAR-10، پرونده‌های رسمی"),
    "cifar-offline": Text(
        "CIFAR-10, offline copy (JPEG-derived pixels)",
        "CIFAR-10، نسخهٔ آفلاین (پیکسل‌های بازسازی‌شده از JPEG)",
    ),
    "cifar-unknown": Text("CIFAR-10 (no data note shown)", "CIFAR-10 (بدون یادداشت داده)"),
    "fallback": Text(
        "scikit-learn digits (fallback: CIFAR-10 unavailable)",
        "ارقام scikit-learn (جایگزین: CIFAR-10 در دسترس نبود)",
    ),
    "digits": Text(
        "scikit-learn handwritten digits (8x8), chosen for speed",
        "ارقام دست‌نویس scikit-learn (۸×۸)، برای سرعت",
    ),
    "skimage": Text("scikit-image sample images", "تصویرهای نمونهٔ scikit-image"),
    "sizes": Text(
        "{train} train / {val} val / {test} test",
        "{train} آموزشی / {val} اعتبارسنجی / {test} آزمون",
    ),
    "python": Text("Python", "پایتون"),
    "os": Text("Operating system", "سیستم‌عامل"),
    "cpu": Text("Processor", "پردازنده"),
    "cores": Text("Logical CPUs available", "پردازنده‌های منطقی در دسترس"),
    "memory": Text("Memory", "حافظه"),
    "accelerator": Text("Accelerator (GPU) for TensorFlow", "شتاب‌دهنده (GPU) برای TensorFlow"),
    "cpu_only": Text("none: the CPU build of TensorFlow", "هیچ: نسخهٔ CPU از TensorFlow"),
    "unknown": Text("unknown", "نامعلوم"),
    "features": Text("Instruction sets", "مجموعه‌دستورها"),
    "yes": Text("yes", "بله"),
    "no": Text("no", "خیر"),
    "tf_path": Text("TensorFlow CPU path", "مسیر CPU در TensorFlow"),
    "tf_path_chosen": Text("Chosen by", "انتخاب‌کننده"),
    "chosen_by": Text(
        "{who} (TensorFlow's own default on this CPU: {default})",
        "{who} (پیش‌فرض خود TensorFlow روی این پردازنده: {default})",
    ),
    "convnotes default": Text("convnotes' default", "پیش‌فرض convnotes"),
    "user environment": Text(
        "the environment variable TF_ENABLE_ONEDNN_OPTS", "متغیر محیطی TF_ENABLE_ONEDNN_OPTS"
    ),
    "tensorflow default": Text("TensorFlow", "TensorFlow"),
    "precision": Text("Training precision (auto)", "دقت عددی آموزش (auto)"),
    "bf16_native": Text(
        "{mixed}: the CPU computes {bf16} natively",
        "{mixed}؛ پردازنده {bf16} را به‌طور سخت‌افزاری حساب می‌کند",
    ),
    "bf16_absent": Text(
        "{f32}: the CPU has no native {bf16}", "{f32}؛ پردازنده {bf16} سخت‌افزاری ندارد"
    ),
    "gib": Text("{n} GiB", "{n} گیگابایت"),
}


def word(key: str, lang: str) -> str:
    """A label of the status tables in ``lang``.

    Examples
    --------
    >>> word("chapter", "fa")
    'فصل'
    """
    return _WORDS[key][lang]


# --------------------------------------------------------------------------- locating


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


def data_facts(glue: Mapping[str, Any]) -> dict[str, Any] | None:
    """The facts of the first data box among a chapter's glued outputs, if any.

    ``glue`` is myst-nb's glue data of one executed chapter (name -> output, as in its
    ``.glue.json``); a data box (:class:`convnotes.presentation.data.DataBox`) puts
    ``{"convnotes_data": {...}}`` into its output's metadata for ``text/html``.

    Examples
    --------
    >>> glue = {"training-data-en": {"data": {"text/html": "<div>...</div>"},
    ...         "metadata": {"text/html": {"convnotes_data": {"kind": "cifar", "train": 10}}}}}
    >>> data_facts(glue)
    {'kind': 'cifar', 'train': 10}
    >>> data_facts({}) is None
    True
    """
    for output in glue.values():
        metadata = (output.get("metadata") or {}).get("text/html")
        if isinstance(metadata, dict) and isinstance(metadata.get(DATA_FACTS_KEY), dict):
            return metadata[DATA_FACTS_KEY]
    return None


def data_use(glue: Mapping[str, Any], code: str) -> DataUse:
    """Which data a chapter used: the facts its data box glued, else what its code loads.

    Examples
    --------
    >>> facts = {"kind": "cifar-offline", "train": 2000, "val": 500, "test": 1000}
    >>> data_use({"d": {"metadata": {"text/html": {"convnotes_data": facts}}}}, "")
    DataUse(kind='cifar-offline', sizes=(2000, 500, 1000), photos=())
    >>> data_use({}, "np.arange(16).reshape(4, 4)")
    DataUse(kind='none', sizes=None, photos=())
    >>> data_use({}, 'camera = filters.sample_image("camera")').describe("en")
    'scikit-image sample images: camera'
    """
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
    facts = data_facts(glue)
    if facts is not None:
        if facts.get("kind") not in DATA_KINDS:
            raise ValueError(
                f"glue: a data box says kind {facts.get('kind')!r}, not one of {DATA_KINDS}"
            )
        sizes = tuple(int(facts[split]) for split in ("train", "val", "test") if split in facts)
        return DataUse(facts["kind"], sizes if len(sizes) == 3 else None, photos)  # type: ignore[arg-type]
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


#: What a data box can say it holds (:func:`convnotes.presentation.data.facts`).
DATA_KINDS = ("cifar", "cifar-offline", "fallback")


@dataclass(frozen=True)
class ChapterRun:
    """One chapter's execution (its two editions share it)."""

    chapter: str
    titles: dict[str, str]
    seconds: float | None
    executed_at: datetime | None
    in_this_build: bool
    data: DataUse
    recorded: tuple[str, ...] = ()  # results/ files the chapter's code reads

    @property
    def numbers(self) -> str:
        return "recorded" if self.recorded else "live"


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


def read_glue(executed: Path, docname: str) -> dict[str, Any]:
    """myst-nb's glue data of an executed document (``{}`` when it glued nothing)."""
    path = executed.joinpath(*docname.split("/")).with_suffix(".glue.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def chapter_runs(
    root: Path,
    executions: Mapping[str, Mapping[str, Any]],
    executed: Path,
    build_started: float | None = None,
) -> list[ChapterRun]:
    """Every chapter with code, with its execution data and the data it used.

    Parameters
    ----------
    root
        The book's root (the folder of ``_toc.yml``).
    executions
        myst-nb's execution data by docname (``mtime``, ``runtime``, ``method``,
        ``succeeded``), as Sphinx's environment holds it.
    executed
        myst-nb's output folder (``_build/jupyter_execute``), where it writes each
        document's glue data.
    build_started
        The POSIX time the build started: a chapter executed since ran in this build.
    """
    from myst_nb.core.read import read_myst_markdown_notebook

    runs = []
    for chapter in book_chapters(root):
        source = root / "book" / "en" / f"{chapter}.md"
        if chapter == "status" or not source.exists():
            continue
        notebook = read_myst_markdown_notebook(source.read_text(encoding="utf-8"))
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        if not code.strip():
            continue
        editions = [lang for lang in LANGUAGES if (root / "book" / lang / f"{chapter}.md").exists()]
        titles = {lang: chapter_title(root / "book" / lang / f"{chapter}.md") for lang in editions}
        execution = next(
            (
                executions[d]
                for d in (f"book/{lang}/{chapter}" for lang in editions)
                if d in executions
            ),
            None,
        )
        seconds = executed_at = None
        if execution is not None:
            seconds = execution.get("runtime")
            executed_at = datetime.fromtimestamp(float(execution["mtime"]), timezone.utc)
        in_build = (
            executed_at is not None
            and build_started is not None
            and executed_at.timestamp() >= build_started
        )
        runs.append(
            ChapterRun(
                chapter,
                titles,
                seconds,
                executed_at,
                in_build,
                data_use(read_glue(executed, f"book/en/{chapter}"), code),
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


def _load(path: Path) -> dict[str, Any]:
    """The run record at ``path`` (:func:`convnotes.runrecord.load_record`: current kinds
    and names); ``{}`` for a JSON file that is not one, which is listed all the same."""
    try:
        return dict(runrecord.load_record(path))
    except (OSError, ValueError):
        return {}


def recorded_files(root: Path, runs: list[ChapterRun]) -> list[RecordedFile]:
    """Every JSON run record under ``results/`` (tuner projects and benchmarks excluded)."""
    results = root / "results"
    found = []
    for path in sorted(results.rglob("*.json")) if results.is_dir() else []:
        if not _is_record(path, results):
            continue
        relative = path.relative_to(root).as_posix()
        record = _load(path)
        command = _first(record, "command", "provenance.command")
        if isinstance(command, list):
            command = " ".join(map(str, command))
        recorded = _first(record, "created", "finished")
        found.append(
            RecordedFile(
                relative,
                record.get("kind"),
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
        record = _load(path)
        recorded = _first(record, "created")
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
    """The status page's tables: cells are HTML already, the footer is a row of headers."""
    return html_table(
        headers,
        [[Cell(cell) for cell in row] for row in rows],
        lang,
        css_class="cn-status-table",
        foot=[[Cell(cell, header=True) for cell in foot]] if foot else (),
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
    runs: list[ChapterRun]
    versions: list[tuple[str, str, str | None, str | None]]
    machine: dict[str, Any]
    records: list[RecordedFile] = field(default_factory=list)
    benchmarks: list[Benchmark] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        """Seconds of execution, counting once an execution shared by several chapters."""
        seen: dict[tuple[datetime | None, float], float] = {}
        for run in self.runs:
            if run.seconds is not None:
                seen[(run.executed_at, run.seconds)] = run.seconds
        return sum(seen.values())

    def chapters_html(self, lang: str) -> str:
        """Per chapter: execution time, when, data, live/recorded, notebook link."""
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
        return _table(headers, rows, lang, foot=foot)

    def versions_html(self, lang: str) -> str:
        rows = [
            [
                html.escape(what) + " " + _code(name),
                _code(installed) if installed else word("absent", lang),
                _code(pinned) if pinned else "—",
            ]
            for name, what, installed, pinned in self.versions
        ]
        headers = [word("library", lang), word("installed", lang), word("pinned", lang)]
        return _table(headers, rows, lang)

    def hardware_html(self, lang: str) -> str:
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
        return _table([word("item", lang), word("value", lang)], rows, lang)

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

    def recorded_html(self, lang: str) -> str:
        if not self.records:
            return f'<p lang="{lang}">{word("no_records", lang)}</p>'
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
        return _table(headers, rows, lang)

    def benchmarks_html(self, lang: str) -> str:
        """One block per benchmark: where it came from, then its headline results."""
        if not self.benchmarks:
            return f'<p lang="{lang}">{word("no_benchmarks", lang)}</p>'
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
        return "".join(blocks)

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
        chapters = "chapter" if len(executed) == 1 else "chapters"
        text = f"{n} {chapters} executed in {total} s in total; "
        if fresh == len(executed):
            return text + "all of them ran in this build."
        if fresh == 0:
            return text + "all of them came from the execution cache."
        return text + f"{fresh} ran in this build, the rest came from the execution cache."


def collect_status(
    root: str | os.PathLike[str],
    executions: Mapping[str, Mapping[str, Any]],
    executed: str | os.PathLike[str],
    build_started: float | None = None,
) -> BuildStatus:
    """Gather the status of the book at ``root`` (see the module docstring and
    :func:`chapter_runs` for the arguments)."""
    book = Path(root)
    runs = chapter_runs(book, executions, Path(executed), build_started)
    return BuildStatus(
        book,
        runs,
        library_versions(book),
        hardware(),
        recorded_files(book, runs),
        benchmark_files(book),
    )
