"""scripts/myst_read.py reads chapters and ``_toc.yml`` as the book's own parsers do.

Each page below is a case a line-by-line regex gets wrong: every test first shows what
such a regex (``NAIVE_*``, the kind of scanner the checkers used before) finds, then
that the token stream of myst-parser's markdown-it says otherwise.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_notebooks  # noqa: E402
import myst_read  # noqa: E402

NAIVE_HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$", re.MULTILINE)
NAIVE_LABEL = re.compile(r"^\(([^()\s]+)\)=\s*$", re.MULTILINE)
NAIVE_NAME = re.compile(r"^\s*:(?:name|label):\s*(\S+)\s*$", re.MULTILINE)
NAIVE_GLUE = re.compile(r"\{glue(?::[a-z]+)?\}`([^`]+)`")
NAIVE_CELL = re.compile(r"^`{3,}\{code-cell\}", re.MULTILINE)
FRONT = "---\njupytext:\n  formats: md:myst\nkernelspec:\n  name: python3\n---\n"


def test_a_hash_comment_in_a_code_cell_or_fence_is_no_heading() -> None:
    page = (
        "(en-demo)=\n# Title\n\n```{code-cell} ipython3\n# compute the output\nx = 1\n```\n\n"
        "~~~python\n## not a section either\n~~~\n\n## Real section\n"
    )
    assert [m.group(2) for m in NAIVE_HEADING.finditer(page)] == [
        "Title", "compute the output", "not a section either", "Real section",
    ]  # fmt: skip
    headings = myst_read.read_chapter(page).headings
    assert [(h.level, h.text, h.line) for h in headings] == [
        (1, "Title", 2),
        (2, "Real section", 13),
    ]


def test_a_label_line_in_a_code_cell_is_no_label() -> None:
    page = (
        "(en-real)=\n# Title\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
        'text = """\n(en-fake)=\n"""\n```\n'
    )
    assert NAIVE_LABEL.findall(page) == ["en-real", "en-fake"]
    chapter = myst_read.read_chapter(page)
    assert [(t.name, t.kind, t.line) for t in chapter.targets] == [("en-real", "label", 1)]
    assert chapter.targets[0].heading == myst_read.Heading(2, 1, "Title", "Title")
    (cell,) = chapter.code_cells
    assert cell.options == {"tags": ["remove-cell"]}
    assert cell.source == 'text = """\n(en-fake)=\n"""'
    assert cell.text == ':tags: [remove-cell]\ntext = """\n(en-fake)=\n"""'


def test_a_glue_role_in_inline_code_is_no_glue_reference() -> None:
    page = (
        "Write ``{glue:text}`n-params-en` `` to show it; the model has "
        "{glue:text}`n-weights-en:,d` weights.\n"
    )
    assert NAIVE_GLUE.findall(page) == ["n-params-en", "n-weights-en:,d"]
    glue = myst_read.read_chapter(page).glue
    assert [(g.kind, g.name, g.role, g.line) for g in glue] == [
        ("glue:text", "n-weights-en", True, 1)
    ]


def test_the_name_of_a_glue_figure_is_a_target_and_its_name_a_glue_reference() -> None:
    page = (
        "```{glue:figure} curves-en\n---\nname: en-fig-curves\n---\nThe loss curves.\n```\n\n"
        "```text\n:name: en-not-a-target\n```\n"
    )
    assert NAIVE_NAME.findall(page) == ["en-not-a-target"]  # misses the YAML block, finds the text
    chapter = myst_read.read_chapter(page)
    assert [(t.name, t.kind, t.line) for t in chapter.targets] == [
        ("en-fig-curves", "glue:figure", 1)
    ]
    assert [(g.kind, g.name, g.role) for g in chapter.glue] == [("glue:figure", "curves-en", False)]
    assert [r.text for r in chapter.prose] == ["The loss curves."]


def test_nested_fences_close_where_sphinx_closes_them() -> None:
    page = (
        "# Title\n\nA chapter cell looks like this:\n\n"
        "````markdown\n```{code-cell} ipython3\n# Shown, not run\n```\n````\n\n"
        "````{admonition} Engineering note\n:class: dropdown\n"
        "```python\n(en-shown)=\n```\nSee {glue:text}`note-en`.\n````\n\n"
        "## After the examples\n"
    )
    assert len(NAIVE_CELL.findall(page)) == 1
    assert len(NAIVE_HEADING.findall(page)) == 3
    chapter = myst_read.read_chapter(page)
    assert chapter.code_cells == ()
    assert [h.text for h in chapter.headings] == ["Title", "After the examples"]
    assert chapter.targets == ()
    assert [(g.name, g.line) for g in chapter.glue] == [("note-en", 16)]  # in the box's body
    (note,) = chapter.directives
    assert (note.name, note.argument, note.options) == (
        "admonition", "Engineering note", {"class": "dropdown"},
    )  # fmt: skip


def test_front_matter_is_skipped() -> None:
    page = FRONT.replace("kernelspec", "# the kernel the cells run in\nkernelspec") + "# Title\n"
    assert [m.group(2) for m in NAIVE_HEADING.finditer(page)] == [
        "the kernel the cells run in", "Title",
    ]  # fmt: skip
    chapter = myst_read.read_chapter(page)
    assert [(h.text, h.line) for h in chapter.headings] == [("Title", 8)]
    assert [r.text for r in chapter.prose] == ["Title"]


def test_prose_runs_leave_out_code_math_roles_links_and_options() -> None:
    page = (
        "```{exercise}\n:label: fa-x-ex-1\n\n"
        "لایهٔ `MaxPooling2D` با $k=2$ و {term}`گام` در [Keras](https://keras.io) و <b>تمرین</b>.\n"
        "```\n\n- فهرست با https://example.org و **پررنگ**\n"
    )
    chapter = myst_read.read_chapter(page)
    lines = page.split("\n")
    assert [(r.line, r.text) for r in chapter.prose] == [
        (4, "لایهٔ "), (4, " با "), (4, " و "), (4, " در "), (4, " و "), (4, "تمرین"), (4, "."),
        (7, "فهرست با "), (7, " و **پررنگ**"),
    ]  # fmt: skip
    for run in chapter.prose:  # every run stands where the page has it
        assert lines[run.line - 1][run.column - 1 :].startswith(run.text)
    assert [(t.name, t.kind) for t in chapter.targets] == [("fa-x-ex-1", "exercise")]


def test_headings_keep_their_source_and_drop_roles_in_plain() -> None:
    (heading,) = myst_read.read_chapter("## Max {term}`pooling <pooling>` in `Keras` ##\n").headings
    assert heading.text == "Max {term}`pooling <pooling>` in `Keras`"
    assert heading.plain == "Max pooling in `Keras`"


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_every_prose_run_of_the_book_is_where_the_page_has_it(lang: str) -> None:
    for path in sorted((ROOT / "book" / lang).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        chapter = myst_read.read_chapter(text)
        assert chapter.prose and chapter.headings, path
        for run in chapter.prose:
            assert lines[run.line - 1][run.column - 1 :].startswith(run.text), (path, run)
        for heading in chapter.headings:
            assert lines[heading.line - 1].lstrip("#").strip().startswith(heading.text), path


def test_the_parser_has_the_extensions_the_book_enables() -> None:
    extensions = myst_read.enabled_extensions(ROOT)
    assert {"colon_fence", "dollarmath", "amsmath"} <= set(extensions)
    chapter = myst_read.read_chapter(":::{note}\n(en-in-a-note)=\n:::\n\n$$\n# x\n$$\n")
    assert [t.name for t in chapter.targets] == ["en-in-a-note"]  # colon fences are directives
    assert chapter.headings == ()  # display math is no heading


# --------------------------------------------------------------------------- _toc.yml

TOC = """format: jb-book
root: book/index
parts:
  - caption: English
    chapters:
      - file: book/en/intro
        sections:
          - file: book/en/intro-more
      # - file: book/en/retired
      - file: book/en/pooling
  - caption: فارسی
    chapters:
      - file: book/fa/intro
"""


def test_the_toc_is_read_in_reading_order_with_its_parts() -> None:
    site = myst_read.parse_toc(TOC)
    assert myst_read.toc_docnames(site) == [
        "book/index", "book/en/intro", "book/en/intro-more", "book/en/pooling", "book/fa/intro",
    ]  # fmt: skip
    assert myst_read.toc_parts(site) == [
        ("English", ["book/en/intro", "book/en/pooling"]),
        ("فارسی", ["book/fa/intro"]),
    ]


def test_a_toc_jupyter_book_rejects_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="used multiple times: 'book/en/intro'"):
        myst_read.parse_toc(TOC.replace("book/en/pooling", "book/en/intro"))
    (tmp_path / "_toc.yml").write_text("format: jb-book\nchapters: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"_toc.yml: 'root' key not found"):
        myst_read.read_toc(tmp_path / "_toc.yml")


def test_the_real_toc_lists_the_same_pages_in_both_editions() -> None:
    parts = myst_read.toc_parts(myst_read.read_toc(ROOT / "_toc.yml"))
    assert [caption for caption, _ in parts] == ["English", "فارسی"]
    (_, en), (_, fa) = parts
    assert [d.removeprefix("book/en/") for d in en] == [d.removeprefix("book/fa/") for d in fa]


# ------------------------------------------------------------------ make_notebooks


def test_make_notebooks_targets_and_toc_come_from_the_parsers(tmp_path: Path) -> None:
    for lang in ("en", "fa"):
        (tmp_path / "book" / lang).mkdir(parents=True)
    (tmp_path / "_toc.yml").write_text(TOC, encoding="utf-8")
    (tmp_path / "book" / "en" / "intro.md").write_text(
        FRONT + "```{code-cell} ipython3\n# setup\n```\n\n(en-intro)=\n\n# Reading {term}`this`\n\n"
        "```{code-cell} ipython3\n:name: en-cell\n(en-fake)=\n```\n\n"
        "````{admonition} Note\n```{glue:figure} fig-en\n:name: en-fig\n```\n````\n",
        encoding="utf-8",
    )
    targets = make_notebooks.collect_targets(tmp_path)
    Target = make_notebooks.Target
    assert targets == {
        "doc:book/en/intro": Target("book/en/intro", "Reading this"),  # not "# setup"
        "en-intro": Target("book/en/intro", "Reading this"),  # a blank line before the heading
        "en-fig": Target("book/en/intro", None),
    }
    assert make_notebooks.toc_pages(tmp_path) == [
        ("en", "intro"), ("en", "intro-more"), ("en", "pooling"), ("fa", "intro"),
    ]  # fmt: skip
