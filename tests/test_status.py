"""The status pages: what book/_ext/build_status.py reports about a build."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

from convnotes import data
from convnotes.presentation import data as data_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import build_status as status  # noqa: E402

FRONT = (
    "---\njupytext:\n  text_representation:\n    format_name: myst\n"
    "kernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n"
)


def _glue_output(obj) -> dict:
    """A glued output as myst-nb's glue data holds it: every mime type IPython makes."""
    from IPython.core.formatters import DisplayFormatter

    bundle, metadata = DisplayFormatter().format(obj)
    return {"output_type": "display_data", "data": bundle, "metadata": metadata}


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


def _executed(folder: Path, chapter: str, glue: dict[str, object]) -> None:
    """myst-nb's glue data of an executed chapter, where it writes it."""
    path = folder / "book" / "en" / f"{chapter}.glue.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({name: _glue_output(obj) for name, obj in glue.items()}))


def _execution(when: float, seconds: float) -> dict:
    return {"mtime": when, "runtime": seconds, "method": "cache", "succeeded": True}


def test_the_data_box_carries_the_fallback_and_its_sizes():
    fallback = data.load_digits_fallback("quick")
    glue = {"d": _glue_output(data_text.box(fallback, "en"))}
    use = status.data_use(glue, "data.load_book_data()")
    sizes = fallback.sizes()
    assert use == status.DataUse("fallback", (sizes["train"], sizes["val"], sizes["test"]))
    assert use.describe("en").startswith("scikit-learn digits (fallback")


def test_the_data_box_of_a_cifar_copy_says_which_copy(tmp_path):
    rng = np.random.default_rng(0)
    labels = np.tile(np.arange(10), 400)
    images = rng.integers(0, 256, (len(labels), 32, 32, 3), dtype=np.uint8)
    directory = data.write_cifar10_dir(tmp_path, images, labels, images[:1000], labels[:1000])
    book = data.book_data_from_cifar(data.load_cifar10_dir(directory), "quick")
    use = status.data_use({"d": _glue_output(data_text.box(book, "fa"))}, "")
    sizes = book.sizes()
    kind = "cifar-offline" if book.jpeg_derived else "cifar"
    assert use == status.DataUse(kind, (sizes["train"], sizes["val"], sizes["test"]))


def test_a_data_box_with_an_unknown_kind_is_an_error():
    glue = {"d": {"metadata": {"text/html": {status.DATA_FACTS_KEY: {"kind": "imagenet"}}}}}
    with pytest.raises(ValueError, match="glue: a data box says kind 'imagenet'"):
        status.data_use(glue, "")


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
    assert status.data_use({}, code).kind == kind


def test_chapter_runs_read_times_from_the_execution_data_and_data_from_the_glue(tmp_path):
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
    executed = tmp_path / "jupyter_execute"
    fallback = data.load_digits_fallback("quick")
    _executed(executed, "training", {"data-en": data_text.box(fallback, "en")})
    started = datetime.now(timezone.utc).timestamp() - 1
    executions = {
        "book/en/pooling": _execution(started + 0.5, 2.5),
        "book/fa/pooling": _execution(started + 0.5, 2.5),  # the same execution, from the cache
        "book/fa/training": _execution(started - 86400, 40.25),  # only the Persian page read
    }
    runs = {run.chapter: run for run in status.chapter_runs(root, executions, executed, started)}
    assert list(runs) == ["pooling", "training", "tuning"]
    assert runs["pooling"].seconds == 2.5 and runs["pooling"].in_this_build
    assert runs["pooling"].titles == {"en": "Pooling en", "fa": "Pooling fa"}
    assert runs["training"].data.kind == "fallback" and runs["training"].seconds == 40.25
    assert not runs["training"].in_this_build
    assert runs["tuning"].seconds is None and runs["tuning"].executed_at is None
    assert runs["tuning"].recorded == ("results/tune-cifar.json",)
    assert runs["pooling"].numbers == "live" and runs["tuning"].numbers == "recorded"
    assert status.BuildStatus(root, list(runs.values()), [], {}).total_seconds == 42.75

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


def test_status_tables_in_both_languages(tmp_path):
    root = _book(tmp_path, {"pooling": "print(1)", "filters": "print(2)"})
    executions = {
        "book/en/pooling": _execution(100.0, 12.34),
        "book/en/filters": _execution(101.0, 0.66),
    }
    report = status.collect_status(root, executions, tmp_path / "none", build_started=0)
    assert report.total_seconds == pytest.approx(13.0)
    assert report.summary("en") == (
        "2 chapters executed in 13.0 s in total; all of them ran in this build."
    )
    assert report.summary("fa").startswith("۲ فصل روی هم ۱۳٫۰ ثانیه")
    english = report.chapters_html("en")
    assert '<a href="pooling.html">Pooling en</a>' in english
    assert "<td>12.3</td>" in english and "<th>13.0</th>" in english
    assert 'href="../../notebooks/en/pooling.ipynb"' in english
    assert "1970-01-01 00:01 UTC" in english
    persian = report.chapters_html("fa")
    assert 'dir="rtl"' in persian and "<td>۱۲٫۳</td>" in persian
    assert 'href="../../notebooks/fa/filters.ipynb"' in persian
    assert "No recorded runs" in report.recorded_html("en")


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
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout
    assert machine["cores"] == int(nproc)  # coreutils counts the CPUs this process may use
    assert machine["memory"] is None or 0.1 < machine["memory"] < 100_000
    assert machine["python"].endswith(platform.python_version())
    table = status.BuildStatus(ROOT, [], [], machine).hardware_html("en")
    assert re.search(rf"<td>{machine['cores']}</td>", table)
    if machine["accelerator"] == []:
        assert "none: the CPU build of TensorFlow" in table


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
    report = status.collect_status(root, {}, tmp_path / "none")
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
    table = report.benchmarks_html("en")
    assert (
        '<td><code dir="ltr">conv2d.seconds_median</code></td><td><bdi dir="ltr">0.01235</bdi></td>'
    ) in table
    assert "AMD EPYC, 2 CPUs" in table
    empty = status.BuildStatus(root, [], [], {})
    assert "Not recorded" in empty.benchmarks_html("en")


def test_book_chapters_reads_the_toc_as_jupyter_book_does(tmp_path):
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nparts:\n  - chapters:\n"
        "      - file: book/en/intro\n        sections:\n          - file: book/en/intro-more\n"
        "      # - file: book/en/retired\n      - file: book/en/pooling\n"
        "  - chapters:\n      - file: book/fa/intro\n"
    )
    assert status.book_chapters(tmp_path) == ["intro", "intro-more", "pooling"]


def test_the_status_pages_have_no_code_and_every_part():
    for lang in ("en", "fa"):
        text = (ROOT / "book" / lang / "status.md").read_text(encoding="utf-8")
        assert "code-cell" not in text and "kernelspec" not in text
        parts = re.findall(r"```\{convnotes-status\} (\w+)", text)
        assert sorted(parts) == sorted(__import__("convnotes_status").PARTS)


def test_a_sphinx_build_fills_the_status_page_from_its_own_execution(tmp_path, monkeypatch):
    """Real builds: myst-nb executes one chapter, then serves it from its cache."""
    from sphinx.application import Sphinx

    monkeypatch.setenv("TZ", os.environ.get("TZ", "UTC"))  # the extension sets it to UTC

    code = (
        "from convnotes import data\n"
        "from convnotes.book import glue_by_language\n"
        "from convnotes.presentation.data import box\n"
        "digits = data.load_digits_fallback('quick')\n"
        "glue_by_language('pooling-data', lambda lang: box(digits, lang))"
    )
    src = _book(tmp_path / "src", {"pooling": code})
    (src / "book" / "index.md").write_text(
        "# Book\n\n```{toctree}\nen/pooling\nen/status\nfa/pooling\nfa/status\n```\n"
    )
    for lang in ("en", "fa"):
        (src / "book" / lang / "status.md").write_text(
            "# Status\n\n```{convnotes-status} summary\n```\n\n"
            "```{convnotes-status} chapters\n```\n"
        )
    (src / "conf.py").write_text(
        "extensions = ['myst_nb', 'convnotes_status']\n"
        "root_doc = 'book/index'\n"
        "nb_execution_mode = 'cache'\n"
        f"nb_execution_cache_path = {str(tmp_path / 'cache')!r}\n"
        "exclude_patterns = ['_build']\n"
    )

    def build(name: str) -> Path:
        out = tmp_path / name / "html"
        doctrees = tmp_path / name / "doctrees"
        Sphinx(str(src), str(src), str(out), str(doctrees), "html", status=None).build()
        return out / "book"

    first = build("first")
    page = (first / "fa" / "status.html").read_text(encoding="utf-8")
    assert "۱ فصل روی هم" in page and "همه در همین ساخت اجرا شدند" in page
    assert '<a href="pooling.html">Pooling fa</a>' in page
    english = (first / "en" / "status.html").read_text(encoding="utf-8")
    seconds = re.search(r"1 chapter executed in ([\d.]+) s", english)
    assert seconds and float(seconds.group(1)) > 0
    assert "in this build" in english
    assert "scikit-learn digits (fallback: CIFAR-10 unavailable)" in english  # the glued box

    again = (build("again") / "en" / "status.html").read_text(encoding="utf-8")
    assert f"1 chapter executed in {seconds.group(1)} s" in again  # the cached run's time
    assert "all of them came from the execution cache" in again and "reused from the cache" in again


def test_docstring_examples():
    import doctest

    result = doctest.testmod(status)
    assert result.failed == 0 and result.attempted >= 8
