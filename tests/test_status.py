"""convnotes.status: what the status page reports about a build."""

from __future__ import annotations

import json
import os
import platform
import re
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import nbformat
import numpy as np
import pytest

from convnotes import data, status
from convnotes.presentation import data as data_text

ROOT = Path(__file__).resolve().parents[1]
FRONT = "---\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n"


def _html(obj) -> str:
    """The text/html of an IPython display object, as a notebook stores it."""
    return obj._repr_html_() if hasattr(obj, "_repr_html_") else obj.data


def _book(tmp_path: Path, chapters: dict[str, str]) -> Path:
    """A minimal book: _toc.yml and English/Persian pages with the given code."""
    for lang in ("en", "fa"):
        (tmp_path / "book" / lang).mkdir(parents=True, exist_ok=True)
    toc = ["format: jb-book", "root: book/index", "parts:"]
    for lang in ("en", "fa"):
        toc += ["  - chapters:"] + [f"      - file: book/{lang}/{c}" for c in [*chapters, "status"]]
        for chapter, code in chapters.items():
            (tmp_path / "book" / lang / f"{chapter}.md").write_text(
                f"{FRONT}# {chapter.title()} {lang}\n\n```{{code-cell}} ipython3\n{code}\n```\n"
            )
    (tmp_path / "_toc.yml").write_text("\n".join(toc) + "\n")
    (tmp_path / "requirements.txt").write_text("keras==3.15.1\nnumpy==0.0.1\n")
    return tmp_path


def _cache_executed(cache_dir: Path, root: Path, chapter: str, outputs: list, seconds: float):
    """Put an executed copy of a chapter into a jupyter-cache, as myst-nb's execution does."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from myst_nb.core.read import read_myst_markdown_notebook

    path = root / "book" / "en" / f"{chapter}.md"
    notebook = read_myst_markdown_notebook(path.read_text())
    code = next(c for c in notebook.cells if c.cell_type == "code")
    code.outputs = [nbformat.from_dict(o) for o in outputs]
    code.execution_count = 1
    cache = get_cache(str(cache_dir))
    cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(path), data={"execution_seconds": seconds})
    )


def _glued(name: str, html: str) -> dict:
    prefix = "application/papermill.record/"
    return {
        "output_type": "display_data",
        "data": {prefix + "text/html": html},
        "metadata": {"scrapbook": {"name": name, "mime_prefix": prefix}},
    }


def test_data_box_of_the_fallback_is_recognised_with_its_sizes():
    fallback = data.load_digits_fallback("quick")
    use = status.data_use([_html(data_text.box(fallback, "en"))], "data.load_book_data()")
    sizes = fallback.sizes()
    assert use == status.DataUse("fallback", (sizes["train"], sizes["val"], sizes["test"]))
    assert use.describe("en").startswith("scikit-learn digits (fallback")


def test_data_box_of_a_cifar_copy_is_recognised(tmp_path):
    rng = np.random.default_rng(0)
    labels = np.tile(np.arange(10), 400)
    images = rng.integers(0, 256, (len(labels), 32, 32, 3), dtype=np.uint8)
    directory = data.write_cifar10_dir(tmp_path, images, labels, images[:1000], labels[:1000])
    book = data.book_data_from_cifar(data.load_cifar10_dir(directory), "quick")
    use = status.data_use([_html(data_text.box(book, "en"))], "")
    sizes = book.sizes()
    kind = "cifar-offline" if book.jpeg_derived else "cifar"
    assert use == status.DataUse(kind, (sizes["train"], sizes["val"], sizes["test"]))


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("cifar = data.load_cifar10()", "cifar-unknown"),
        ("from skimage import data\nimage = data.camera()", "skimage"),
        ('digits = problems.make_problem("digits", budget)', "digits"),
        ("x = np.arange(16)", "none"),
    ],
)
def test_data_use_without_a_data_box_comes_from_the_code(code, kind):
    assert status.data_use([], code).kind == kind


def test_chapter_runs_read_times_data_and_recorded_runs_from_the_cache(tmp_path):
    root = _book(
        tmp_path,
        {
            "pooling": "import numpy as np\nprint(np.ones(2))",
            "training": "book = data.load_book_data()\nglue_by_language('data', book.box)",
            "tuning": "record = load_record('../../results/tune-cifar.json')",
        },
    )
    (root / "results").mkdir()
    (root / "results/tune-cifar.json").write_text(
        json.dumps(
            {
                "kind": "convnotes.tune/1",
                "created": "2026-11-20T10:00:00Z",
                "command": ["convnotes", "tune", "--problem", "cifar"],
            }
        )
    )
    fallback = data.load_digits_fallback("quick")
    cache = tmp_path / "cache"
    started = datetime.now(timezone.utc).timestamp() - 1
    _cache_executed(
        cache,
        root,
        "pooling",
        [{"output_type": "stream", "name": "stdout", "text": "[1. 1.]\n"}],
        2.5,
    )
    _cache_executed(
        cache,
        root,
        "training",
        [
            _glued("data-en", _html(data_text.box(fallback, "en"))),
            _glued("data-fa", _html(data_text.box(fallback, "fa"))),
        ],
        40.25,
    )
    runs = {run.chapter: run for run in status.chapter_runs(root, cache, started)}
    assert list(runs) == ["pooling", "training", "tuning"]
    assert runs["pooling"].seconds == 2.5 and runs["pooling"].in_this_build
    assert runs["pooling"].executed_file == "book/en/pooling.md"
    assert runs["pooling"].titles == {"en": "Pooling en", "fa": "Pooling fa"}
    assert runs["training"].data.kind == "fallback" and runs["training"].seconds == 40.25
    assert runs["tuning"].seconds is None and runs["tuning"].executed_at is None
    assert runs["tuning"].recorded == ("results/tune-cifar.json",)
    assert runs["pooling"].numbers == "live" and runs["tuning"].numbers == "recorded"
    not_this_build = status.chapter_runs(root, cache, started + 3600)
    assert not any(run.in_this_build for run in not_this_build)

    records = status.recorded_files(root, list(runs.values()))
    assert records == [
        status.RecordedFile(
            "results/tune-cifar.json",
            "convnotes.tune/1",
            "2026-11-20T10:00:00Z",
            "convnotes tune --problem cifar",
            ("tuning",),
        )
    ]


def test_status_tables_in_both_languages(tmp_path, monkeypatch):
    root = _book(tmp_path, {"pooling": "print(1)", "filters": "print(2)"})
    cache = tmp_path / "cache"
    _cache_executed(cache, root, "pooling", [], 12.34)
    _cache_executed(cache, root, "filters", [], 0.66)
    monkeypatch.setenv(status.ENV_CACHE, str(cache))
    monkeypatch.setenv(status.ENV_BUILD_STARTED, "0")
    report = status.collect_status(root)
    assert report.total_seconds == pytest.approx(13.0)
    assert report.summary("en") == (
        "2 chapters executed in 13.0 s in total; all of them ran in this build."
    )
    assert report.summary("fa").startswith("۲ فصل روی هم ۱۳٫۰ ثانیه")
    english = _html(report.chapters_html("en"))
    assert '<a href="pooling.html">Pooling en</a>' in english
    assert "<td>12.3</td>" in english and "<th>13.0</th>" in english
    assert 'href="../../notebooks/en/pooling.ipynb"' in english
    persian = _html(report.chapters_html("fa"))
    assert 'dir="rtl"' in persian and "<td>۱۲٫۳</td>" in persian
    assert 'href="../../notebooks/fa/filters.ipynb"' in persian
    assert "No recorded runs" in _html(report.recorded_html("en"))


def test_a_shared_execution_is_counted_once():
    when = datetime(2026, 11, 28, tzinfo=timezone.utc)
    none = status.DataUse("none")
    runs = [status.ChapterRun(c, {}, 5.0, when, "book/en/a.md", True, none) for c in "ab"]
    report = status.BuildStatus(ROOT, None, runs, [], {})
    assert report.total_seconds == 5.0


def test_library_versions_are_the_installed_ones_next_to_the_pins(tmp_path):
    (tmp_path / "requirements.txt").write_text("keras==3.15.1  # comment\nnumpy==0.0.1\n")
    rows = {
        name: (installed, pinned)
        for name, _, installed, pinned in status.library_versions(tmp_path)
    }
    assert rows["python"] == (platform.python_version(), None)
    assert rows["keras"] == (metadata.version("keras"), "3.15.1")
    assert rows["numpy"] == (np.__version__, "0.0.1")
    assert rows["convnotes"][0] == metadata.version("convnotes")


def test_hardware_describes_this_machine():
    machine = status.hardware()
    assert machine["cores"] == len(os.sched_getaffinity(0))
    assert machine["memory"] is None or 0.1 < machine["memory"] < 100_000
    assert machine["python"].endswith(platform.python_version())
    table = _html(status.BuildStatus(ROOT, None, [], [], machine).hardware_html("en"))
    assert re.search(rf"<td>{machine['cores']}</td>", table)
    if machine["accelerator"] == []:
        assert "none: the CPU build of TensorFlow" in table


def test_the_status_pages_run_last_and_uncached():
    for lang in ("en", "fa"):
        text = (ROOT / "book" / lang / "status.md").read_text(encoding="utf-8")
        assert "mystnb:\n  execution_mode: force" in text
        assert "status.collect_status()" in text
    extension = (ROOT / "book/_ext/convnotes_publish.py").read_text(encoding="utf-8")
    assert '"env-before-read-docs"' in extension and '"env-get-outdated"' in extension


def test_benchmarks_are_listed_apart_from_run_records(tmp_path):
    root = _book(tmp_path, {"pooling": "print(1)"})
    (root / "results/bench").mkdir(parents=True)
    (root / "results/bench/conv2d.json").write_text(
        json.dumps(
            {
                "kind": "benchmark",
                "metrics": {
                    "conv2d": {
                        "seconds_median": 0.012345,
                        "seconds_rounds": [0.01, 0.02],
                        "size": 64,
                    }
                },
                "provenance": {
                    "created": "2026-11-27",
                    "command": "python bench.py",
                    "machine": {"cpu": "AMD EPYC", "cpu_count": 2},
                },
            }
        )
    )
    report = status.collect_status(root)
    assert report.records == []
    assert report.benchmarks == [
        status.Benchmark(
            "results/bench/conv2d.json",
            "2026-11-27",
            (("conv2d.seconds_median", "0.01235"),),
            "python bench.py",
            "AMD EPYC, 2 CPUs",
        )
    ]
    table = _html(report.benchmarks_html("en"))
    assert (
        '<td><code dir="ltr">conv2d.seconds_median</code></td><td><bdi dir="ltr">0.01235</bdi></td>'
    ) in table
    assert "AMD EPYC, 2 CPUs" in table
    empty = status.BuildStatus(root, None, [], [], {})
    assert "Not recorded" in _html(empty.benchmarks_html("en"))


def test_book_chapters_reads_the_toc_as_jupyter_book_does(tmp_path):
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nparts:\n  - chapters:\n"
        "      - file: book/en/intro\n        sections:\n          - file: book/en/intro-more\n"
        "      # - file: book/en/retired\n      - file: book/en/pooling\n"
        "  - chapters:\n      - file: book/fa/intro\n"
    )
    assert status.book_chapters(tmp_path) == ["intro", "intro-more", "pooling"]
