"""The book's Sphinx extension: Persian theme words, bidi isolation, numbering, collation."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import convnotes_bidi  # noqa: E402
import convnotes_book  # noqa: E402
import convnotes_cache  # noqa: E402
import convnotes_i18n  # noqa: E402

ZWNJ = "\u200c"


# ------------------------------------------------------------------ bidi --
@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("کتابخانهٔ C++ در TensorFlow 2.21 نوشته شده", ["C++", "TensorFlow 2.21"]),
        ("هستهٔ 3x3 روی تصویر 2D", ["3x3", "2D"]),
        ("آموزش روی CIFAR-10، با Keras و TensorFlow", ["CIFAR-10", "Keras", "TensorFlow"]),
        ("ادغام (pooling) و گام (stride)", ["pooling", "stride"]),
        ("شکل (30, 30, 32) و کمینهٔ −۳", ["30, 30, 32", "−۳"]),
        ("سال‌های ۲۰۱۶–۲۰۱۸ و ابعاد 32×32×3", ["۲۰۱۶–۲۰۱۸", "32×32×3"]),
        ("گام ۲ و هستهٔ ۳، ۵ و ۷", []),  # single numbers keep the algorithm's order
        ("x + y برابر است", ["x + y"]),  # one run: isolating x and y apart would reverse it
        (f"لایه{ZWNJ}ها بدون واژهٔ لاتین", []),
    ],
)
def test_ltr_runs(text: str, runs: list[str]) -> None:
    assert [text[a:b] for a, b in convnotes_bidi.ltr_runs(text)] == runs


def test_isolated_runs_carry_a_language_only_when_they_are_words() -> None:
    assert convnotes_bidi.bdi_open("CIFAR-10") == '<bdi dir="ltr" lang="en" class="cn-nowrap">'
    assert convnotes_bidi.bdi_open("Keras Tuner") == '<bdi dir="ltr" lang="en">'
    assert convnotes_bidi.bdi_open("−۳") == '<bdi dir="ltr" class="cn-nowrap">'
    long_url = "https://example.org/a/very/long/path/that/may/wrap"
    assert "cn-nowrap" not in convnotes_bidi.bdi_open(long_url)


def test_html_text_is_isolated_without_breaking_entities() -> None:
    assert convnotes_bidi.isolate_html_text("۳. ادغام (pooling) &amp; ۴") == (
        '۳. ادغام (<bdi dir="ltr" lang="en" class="cn-nowrap">pooling</bdi>) &amp; ۴'
    )


def _doctree(rst: str) -> nodes.document:
    settings = get_default_settings(Parser)
    settings.report_level = 5
    document = new_document("<test>", settings)
    Parser().parse(rst, document)
    return document


def test_doctree_prose_is_isolated_and_code_and_math_are_not() -> None:
    document = _doctree("لایهٔ Keras با ``Conv2D(3)`` و :math:`x + 1` در C++.\n")
    count = convnotes_bidi.isolate_ltr_runs(document, whole_page_rtl=True)
    runs = [node.astext() for node in document.findall(convnotes_bidi.ltr_run)]
    assert count == 2 and runs == ["Keras", "C++"]
    assert [n.astext() for n in document.findall(nodes.literal)] == ["Conv2D(3)"]
    assert [n.astext() for n in document.findall(nodes.math)] == ["x + 1"]


def test_a_run_broken_over_source_lines_stays_one_run() -> None:
    document = _doctree("ادغام")
    paragraph = document.children[0]
    paragraph.children = []
    paragraph.extend([nodes.Text("میانگین (average"), nodes.Text("\n"), nodes.Text("pooling) است")])
    convnotes_bidi.isolate_ltr_runs(document, whole_page_rtl=True)
    runs = [node.astext() for node in document.findall(convnotes_bidi.ltr_run)]
    assert runs == ["average\npooling"]


def test_english_paragraphs_of_a_mixed_page_are_left_alone() -> None:
    document = _doctree("An English paragraph about Keras.\n\nیک بند فارسی دربارهٔ Keras.\n")
    convnotes_bidi.isolate_ltr_runs(document, whole_page_rtl=False)
    runs = [node.astext() for node in document.findall(convnotes_bidi.ltr_run)]
    assert runs == ["Keras"]
    assert isinstance(document.children[1].children[1], convnotes_bidi.ltr_run)


# ------------------------------------------------------------------ i18n --
PAGE = """<html lang="en" data-content_root="../../">
<head><title>ادغام &#8212; convnotes: Pooling</title>
<script>let toggleHintShow = 'Click to show';</script></head>
<body><div id="pst-skip-link"><a href="#main-content">Skip to main content</a></div>
<form class="bd-search d-flex align-items-center"
      action="../../search.html"
      method="get"><input name="q" placeholder="Search this book..."/></form>
<button title="Search" aria-label="Search"><span class="search-button__default-text">Search</span>
<p class="title logo__title">convnotes: Pooling</p>
<h2><span class="section-number">3.1. </span>یک نمایش</h2>
<li><a class="current reference internal" href="#">3. ادغام (pooling)</a></li>
<div class="admonition note"><p class="admonition-title">Note</p><p>متن</p></div>
<pre><span class="n">Note</span> title="Search" Exercise 2 previous</pre>
<figcaption><span class="caption-number">Fig. 3.2 </span>شکل</figcaption>
<p>همان‌طور که <span class="std std-numref"><bdi dir="ltr" lang="en">Fig. 3.2</bdi></span></p>
<p class="admonition-title"><span class="caption-number">Exercise 3.1 </span></p>
<p class="admonition-title"><bdi dir="ltr" lang="en">Solution to</bdi>\
<a class="reference internal" href="#x"> <bdi dir="ltr" lang="en">Exercise 3.1</bdi></a></p>
<p class="collapsed admonition-title">Show code cell source</p>
<p class="prev-next-subtitle">previous</p><p class="prev-next-title">\
<span class="section-number">4. </span>فیلترهای تصویر</p>
<p class="component-author">
By The convnotes authors
</p>
<p class="copyright">
      © Copyright 2026.
      <br/></p>
</body></html>"""


@pytest.fixture(scope="module")
def translated() -> str:
    return convnotes_i18n.translate_page(
        PAGE, title_en="convnotes: Pooling", title_fa="convnotes: ادغام", author_fa="نوشتهٔ ما"
    )


@pytest.mark.parametrize(
    "persian",
    [
        "<title>ادغام &#8212; convnotes: ادغام</title>",
        "let toggleHintShow = 'برای نمایش کلیک کنید';",
        '<a href="#main-content">رفتن به متن اصلی</a>',
        'placeholder="جست‌وجو در این کتاب…"',
        'title="جست‌وجو" aria-label="جست‌وجو"',
        '<span class="search-button__default-text">جست‌وجو</span>',
        '<p class="title logo__title">convnotes: ادغام</p>',
        '<span class="section-number">۳.۱. </span>',
        '<a class="current reference internal" href="#">۳. ادغام (<bdi',
        '<p class="admonition-title">یادداشت</p>',
        '<span class="caption-number">شکل ۳.۲ </span>',
        '<span class="std std-numref">شکل ۳.۲</span>',
        '<span class="caption-number">تمرین ۳.۱ </span>',
        '<p class="admonition-title">پاسخ <a class="reference internal" href="#x">تمرین ۳.۱</a>',
        '<p class="collapsed admonition-title">نمایش کد</p>',
        '<p class="prev-next-subtitle">قبلی</p>',
        '<span class="section-number">۴. </span>فیلترهای تصویر</p>',
        "نوشتهٔ ما",
        "© حق نشر ۲۰۲۶.",
        'method="get"><input type="hidden" name="lang" value="fa">',
    ],
)
def test_theme_words_are_persian(translated: str, persian: str) -> None:
    assert persian in translated


def test_code_is_never_translated(translated: str) -> None:
    assert '<pre><span class="n">Note</span> title="Search" Exercise 2 previous</pre>' in translated


def test_translation_is_idempotent(translated: str) -> None:
    again = convnotes_i18n.translate_page(
        translated, title_en="convnotes: Pooling", title_fa="convnotes: ادغام", author_fa="نوشتهٔ ما"
    )
    assert again == translated


def test_language_marks() -> None:
    assert convnotes_i18n.mark_language('<html lang="en" data-x="1">', "fa") == (
        '<html lang="fa" dir="rtl" data-x="1">'
    )
    nav = (
        '<p aria-level="2" class="caption" role="heading"><span class="caption-text">فارسی'
        '</span></p>\n<ul class="nav bd-sidenav">'
    )
    marked = convnotes_i18n.mark_toc_parts(nav, {"فارسی": "fa"})
    assert marked.count('lang="fa" dir="rtl" data-cn-part="fa"') == 2


# ---------------------------------------------------------------- book.py --
def test_pages_and_their_counterparts() -> None:
    assert convnotes_book.page_language("book/fa/pooling") == "fa"
    assert convnotes_book.page_language("book/index") is None
    assert convnotes_book.counterpart("book/en/pooling") == ("fa", "book/fa/pooling")
    assert convnotes_book.counterpart("book/fa/glossary") == ("en", "book/en/glossary")


def test_persian_dictionary_order() -> None:
    words = ["هسته", "پارامتر", "گام", "ادغام", "کانال", "چرخش", "آرایه", "ژرفا", "یال", "بیش‌برازش"]
    ordered = sorted(words, key=lambda w: convnotes_book.collation_key(w, "fa"))
    assert ordered == [
        "ادغام", "آرایه", "بیش‌برازش", "پارامتر", "چرخش", "ژرفا", "کانال", "گام", "هسته", "یال",
    ]  # fmt: skip
    english = sorted(
        ["padding", "Batch", "kernel"], key=lambda w: convnotes_book.collation_key(w, "en")
    )
    assert english == ["Batch", "kernel", "padding"]


def test_figures_and_exercises_are_numbered_per_edition() -> None:
    env = SimpleNamespace(
        config=SimpleNamespace(root_doc="book/index"),
        toctree_includes={"book/index": ["book/en/a", "book/en/b", "book/fa/a", "book/fa/b"]},
        toc_fignumbers={
            "book/en/a": {"figure": {"f1": (1,), "f2": (2,)}},
            "book/en/b": {"figure": {"f3": (3,)}, "exercise": {"e1": (1,)}},
            "book/fa/a": {"figure": {"f4": (4,), "f5": (5,)}},
            "book/fa/b": {"figure": {"f6": (6,)}, "exercise": {"e2": (2,)}},
        },
    )
    changed = convnotes_book.renumber_by_language(env)
    assert env.toc_fignumbers["book/fa/a"]["figure"] == {"f4": (1,), "f5": (2,)}
    assert env.toc_fignumbers["book/fa/b"] == {"figure": {"f6": (3,)}, "exercise": {"e2": (1,)}}
    assert env.toc_fignumbers["book/en/b"]["figure"] == {"f3": (3,)}
    assert changed == ["book/fa/a", "book/fa/b"]


def test_numbered_chapters_are_left_as_they_are() -> None:
    numbers = {"book/fa/a": {"figure": {"f1": (3, 1)}}}
    env = SimpleNamespace(
        config=SimpleNamespace(root_doc="book/index"),
        toctree_includes={"book/index": ["book/fa/a"]},
        toc_fignumbers=numbers,
    )
    assert convnotes_book.renumber_by_language(env) == []
    assert numbers["book/fa/a"]["figure"] == {"f1": (3, 1)}


def test_repeated_scripts_are_dropped() -> None:
    from sphinx.builders.html._assets import _JavaScript

    body = 'const THEBE_JS_URL = "x"'
    scripts = [
        _JavaScript(None, body=body),
        _JavaScript("_static/a.js"),
        _JavaScript("", body=body),  # the same inline script, registered a second time
        _JavaScript("_static/a.js", defer="defer"),
    ]
    kept = convnotes_book.unique_scripts(scripts)
    assert kept == [scripts[0], scripts[1], scripts[3]]


def _tiny_repo(root: Path) -> Path:
    """A repository with a package of four modules and one chapter that imports one."""
    package = root / "src" / "convnotes"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from convnotes import _tf\n")
    (package / "_tf.py").write_text("X = 1\n")
    (package / "conv.py").write_text("def f():\n    from convnotes import i18n\n")
    (package / "i18n.py").write_text("Y = 1\n")
    (package / "figures_pool.py").write_text("Z = 1\n")
    (root / "requirements.txt").write_text("numpy==2\n")
    chapter = root / "book" / "en" / "convolution.md"
    chapter.parent.mkdir(parents=True)
    chapter.write_text(
        "---\nkernelspec:\n  name: python3\n---\n# C\n\n"
        "```{code-cell} ipython3\nfrom convnotes import conv\n```\n"
    )
    return chapter


def test_a_chapter_depends_on_the_modules_it_imports_and_theirs(tmp_path: Path) -> None:
    chapter = _tiny_repo(tmp_path)
    names = [p.relative_to(tmp_path).as_posix()
             for p in convnotes_cache.chapter_dependencies(tmp_path, chapter)]  # fmt: skip
    assert names == [
        "requirements.txt",
        "src/convnotes/__init__.py",
        "src/convnotes/_tf.py",
        "src/convnotes/conv.py",
        "src/convnotes/i18n.py",  # imported inside a function of conv
    ]


def test_only_a_changed_dependency_changes_a_chapters_key(tmp_path: Path) -> None:
    chapter = _tiny_repo(tmp_path)
    key = convnotes_cache.dependency_key(tmp_path, chapter)
    (tmp_path / "src" / "convnotes" / "figures_pool.py").write_text("Z = 2\n")
    assert convnotes_cache.dependency_key(tmp_path, chapter) == key  # not imported
    (tmp_path / "src" / "convnotes" / "i18n.py").write_text("Y = 2\n")
    changed = convnotes_cache.dependency_key(tmp_path, chapter)
    assert changed != key
    # a chapter that renders recorded runs also depends on them (not on tuner scratch)
    chapter.write_text(
        chapter.read_text() + "\n```{code-cell} ipython3\nload('results/x.json')\n```\n"
    )
    with_cell = convnotes_cache.dependency_key(tmp_path, chapter)
    record = tmp_path / "results" / "x.json"
    record.parent.mkdir()
    record.write_text("{}\n")
    assert convnotes_cache.dependency_key(tmp_path, chapter) != with_cell
    scratch = tmp_path / "results" / "keras_tuner" / "p" / "oracle.json"
    scratch.parent.mkdir(parents=True)
    before = convnotes_cache.dependency_key(tmp_path, chapter)
    scratch.write_text("{}\n")
    assert convnotes_cache.dependency_key(tmp_path, chapter) == before


def test_the_key_lands_in_the_kernelspec_that_jupyter_cache_hashes(tmp_path: Path) -> None:
    from myst_nb.core.read import read_myst_markdown_notebook

    chapter = _tiny_repo(tmp_path)
    text = convnotes_cache.inject_key(chapter.read_text(), "abc123")
    notebook = read_myst_markdown_notebook(text)
    assert notebook.metadata["kernelspec"][convnotes_cache.KEY_NAME] == "abc123"
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert [c.source for c in notebook.cells if c.cell_type == "code"] == [
        "from convnotes import conv"
    ]


def test_the_books_chapters_depend_on_what_they_import() -> None:
    """A one-line change to a figure module re-executes only the chapters importing it."""
    dependents = {
        chapter.stem
        for chapter in (ROOT / "book" / "en").glob("*.md")
        if ROOT / "src" / "convnotes" / "presentation" / "conv.py"
        in convnotes_cache.chapter_dependencies(ROOT, chapter)
    }
    assert "convolution" in dependents
    assert not dependents & {"tuning", "tuning-cifar", "glossary", "references"}


@pytest.mark.parametrize(
    "module", [convnotes_bidi, convnotes_i18n, convnotes_book, convnotes_cache]
)
def test_docstring_examples(module: object) -> None:
    import doctest

    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.failed == 0
