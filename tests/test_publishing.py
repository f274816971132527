"""Publishing: citation metadata, the Pages workflow, notebooks, launch links, link check."""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import sys
from pathlib import Path

import jsonschema
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"convnotes_test_{name}", SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


make_citation = _load("make_citation")
make_notebooks = _load("make_notebooks")
check_links = _load("check_links")
make_pdf = _load("make_pdf")


def _cff() -> dict:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # YAML reads the date as a date; the CFF schema describes the YAML text, a string.
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in citation.items()}


def _schema() -> dict:
    return json.loads((ROOT / "tests/data/citation-file-format-1.2.0.schema.json").read_text())


# --------------------------------------------------------------------------- citing


def test_citation_cff_is_valid_cff_1_2_0():
    citation = _cff()
    assert citation["cff-version"] == "1.2.0"
    jsonschema.validate(citation, _schema())


@pytest.mark.parametrize("breakage", ["no authors", "bad date", "unknown key"])
def test_the_cff_schema_rejects_a_broken_citation(breakage):
    citation = copy.deepcopy(_cff())
    if breakage == "no authors":
        del citation["authors"]
    elif breakage == "bad date":
        citation["date-released"] = "28 November 2026"
    else:
        citation["homepage"] = "https://example.org"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(citation, _schema())


def test_bibtex_and_zenodo_files_are_generated_from_citation_cff():
    for relative, text in make_citation.rendered(ROOT).items():
        assert (ROOT / relative).read_text(encoding="utf-8") == text, (
            f"{relative} is out of date: run scripts/make_citation.py"
        )


def test_bibtex_entry_parses_and_matches_citation_cff():
    from pybtex.database import parse_string

    citation = _cff()
    bib = parse_string((ROOT / "book/cite-convnotes.bib").read_text(encoding="utf-8"), "bibtex")
    assert list(bib.entries) == ["convnotes2026"]
    entry = bib.entries["convnotes2026"]
    assert entry.fields["title"].strip("{}") == citation["title"]
    assert entry.fields["year"] == citation["date-released"][:4]
    assert entry.fields["version"] == citation["version"]
    assert entry.fields["url"] == citation["url"]
    assert [str(p) for p in entry.persons["author"]] == ["{The convnotes authors}"]


def test_zenodo_metadata_is_a_valid_deposit_for_the_same_work():
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    citation = _cff()
    known = {
        "title",
        "upload_type",
        "description",
        "creators",
        "version",
        "publication_date",
        "access_right",
        "license",
        "keywords",
        "language",
        "related_identifiers",
        "notes",
        "contributors",
        "communities",
        "grants",
        "doi",
        "references",
    }
    assert set(zenodo) <= known
    assert zenodo["upload_type"] in {
        "publication",
        "poster",
        "presentation",
        "dataset",
        "image",
        "video",
        "software",
        "lesson",
        "other",
    }
    assert zenodo["access_right"] == "open" and zenodo["license"] == citation["license"]
    assert re.fullmatch(r"[a-z]{3}", zenodo["language"])
    assert zenodo["title"] == citation["title"] and zenodo["version"] == citation["version"]
    assert zenodo["publication_date"] == citation["date-released"]
    assert [c["name"] for c in zenodo["creators"]] == [a["name"] for a in citation["authors"]]
    assert zenodo["keywords"] == citation["keywords"]
    for related in zenodo["related_identifiers"]:
        assert related["scheme"] == "url" and related["identifier"].startswith("https://")


def test_landing_page_shows_the_bibtex_and_both_pdfs_in_both_languages():
    index = (ROOT / "book/index.md").read_text(encoding="utf-8")
    cite = index[index.index('class="cn-landing cn-cite"') :]
    english, persian = cite.split('lang="fa" dir="rtl"', 1)
    for column in (english, persian):
        assert "```{literalinclude} cite-convnotes.bib" in column
        assert "../pdf/convnotes-en.pdf" in column and "../pdf/convnotes-fa.pdf" in column
    assert "Cite this book" in english and "استناد به این کتاب" in persian


def test_site_url_is_one_address_everywhere():
    repo = make_notebooks.Repository.from_config(ROOT)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert repo.url == _cff()["repository-code"] == config["repository"]["url"]
    assert repo.site_url == _cff()["url"] == config["html"]["baseurl"]


def test_editions_are_numbered_from_one_each():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert [part.get("numbered") for part in toc["parts"]] == [True, True]
    assert config["html"]["use_multitoc_numbering"] is False
    pages = [[c["file"].split("/")[-1] for c in part["chapters"]] for part in toc["parts"]]
    assert pages[0] == pages[1], "both editions list the same pages in the same order"
    assert pages[0].index("status") == pages[0].index("glossary") - 1


_HEADING = re.compile(r"^(#{1,6})\s+\S")
_LABEL = re.compile(r"^\((?P<label>[^)\s]+)\)=\s*$")


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_every_heading_has_a_stable_label(lang):
    problems = []
    for path in sorted((ROOT / "book" / lang).glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        fence = None
        for index, line in enumerate(lines):
            marker = re.match(r"^(`{3,}|~{3,}|:{3,})", line)
            if marker and fence is None:
                fence = marker.group(1)
                continue
            if fence is not None:
                if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                    fence = None
                continue
            if _HEADING.match(line):
                previous = next(
                    (lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), ""
                )
                label = _LABEL.match(previous)
                if not label or not label.group("label").startswith(f"{lang}-{path.stem}"):
                    problems.append(f"{path.name}:{index + 1}: {line.strip()}")
    assert not problems, (
        "headings without a (" + lang + "-<chapter>-<section>)= label:\n" + "\n".join(problems)
    )


# --------------------------------------------------------------------------- workflow


def _make_targets(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])make ([a-z][\w-]*)", text))


def test_pages_workflow_parses_and_runs_the_ci_commands():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as True
    assert "push" in triggers and "workflow_dispatch" in triggers
    build = workflow["jobs"]["build"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    ci = (ROOT / ".ci/run").read_text()
    # CI materializes the project's offline CIFAR-10 copy (make data); the workflow has no
    # ../shared and downloads the official archive instead.
    assert _make_targets(ci) - {"data"} <= _make_targets(runs)
    assert {"test", "book", "pdf", "linkcheck"} <= _make_targets(runs)
    assert "load_cifar10(download=True)" in runs
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert any(u.startswith("peaceiris/actions-gh-pages@") for u in uses)
    python = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11" and python["with"]["cache"] == "pip"
    caches = [s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@")]
    execution = next(s for s in caches if s["with"]["path"] == "_build/.jupyter_cache")
    # chapters are keyed one by one inside the cache (book/_ext/convnotes_cache.py): the
    # workflow's key changes with anything they depend on, and any older cache is restored
    for inputs in ("requirements.txt", "src/convnotes/**", "book/**/*.md", "results/**/*.json"):
        assert f"'{inputs}'" in execution["with"]["key"]
    assert execution["with"]["restore-keys"].split() == ["jupyter-cache-"]


def test_makefile_has_the_publishing_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("notebooks", "pdf", "linkcheck"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


# --------------------------------------------------------------------------- notebooks


REPO = make_notebooks.Repository("convnotes", "convnotes")


def test_launch_links_are_built_from_the_repository():
    repo = make_notebooks.Repository.from_config(ROOT)
    links = make_notebooks.launch_links(repo, "en", "pooling")
    assert links == {
        "download": "../../notebooks/en/pooling.ipynb",
        "colab": "https://colab.research.google.com/github/convnotes/convnotes/blob/gh-pages/"
        "notebooks/en/pooling.ipynb",
        "binder": "https://mybinder.org/v2/gh/convnotes/convnotes/gh-pages"
        "?labpath=notebooks%2Fen%2Fpooling.ipynb",
    }


def test_every_chapter_with_code_becomes_a_valid_notebook_in_both_languages():
    chapters = make_notebooks.notebook_chapters(ROOT)
    toc = make_notebooks.toc_pages(ROOT)
    with_code = [
        (lang, page)
        for lang, page in toc
        if page != "status"
        and any(
            c.cell_type == "code"
            for c in make_notebooks.read_chapter(ROOT / "book" / lang / f"{page}.md").cells
        )
    ]
    assert chapters == with_code
    assert {p for lang, p in chapters if lang == "en"} == {
        p for lang, p in chapters if lang == "fa"
    }
    targets = make_notebooks.collect_targets(ROOT)
    bibliography = make_notebooks.read_bibliography(ROOT / "book/references.bib")
    for lang, chapter in chapters:
        notebook = make_notebooks.build_notebook(
            ROOT,
            lang,
            chapter,
            repo=REPO,
            ref="v9.9.9",
            version="9.9.9",
            targets=targets,
            bibliography=bibliography,
        )
        nbformat.validate(notebook)
        first = notebook.cells[0]
        assert first.cell_type == "code"
        assert '"convnotes @ git+https://github.com/convnotes/convnotes@v9.9.9"' in first.source
        assert 'installed != "9.9.9"' in first.source
        assert f'os.environ["CONVNOTES_NOTEBOOK_LANG"] = "{lang}"' in first.source
        source = (ROOT / "book" / lang / f"{chapter}.md").read_text(encoding="utf-8")
        uses_cifar = bool(make_notebooks.USES_CIFAR.search(source))
        assert ("load_cifar10(download=True)" in first.source) == uses_cifar
        for local in make_notebooks.RESULTS_PATH.findall(source):
            remote = REPO.raw_url("v9.9.9", local.lstrip("./"))
            assert f'("{local}", "{remote}")' in first.source
        codes = [c.source for c in notebook.cells[1:] if c.cell_type == "code"]
        chapter_codes = [
            c.source
            for c in make_notebooks.read_chapter(ROOT / "book" / lang / f"{chapter}.md").cells
            if c.cell_type == "code"
        ]
        assert codes == chapter_codes
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                assert "```{" not in cell.source and ":::{" not in cell.source, cell.source
                assert not re.search(r"\{(term|ref|doc|cite|glue:text)\}`", cell.source)
                if lang == "fa":
                    assert cell.source.startswith('<div dir="rtl" lang="fa">')


def _ctx(lang="en", glued=None):
    return make_notebooks.MarkdownContext(
        lang,
        f"book/{lang}/pooling",
        REPO,
        "abc1234",
        {
            "en-intro": make_notebooks.Target("book/en/intro", "How to read this book"),
            "doc:book/en/glossary": make_notebooks.Target("book/en/glossary", "Glossary"),
        },
        {"dumoulin2016guide": "Dumoulin and Visin 2016"},
        glued or {},
    )


def test_markdown_conversion_renders_myst_for_jupyter():
    text = "\n".join(
        [
            "(en-pooling-max)=",
            "## Max {term}`pooling <pooling>`",
            "",
            "It has {glue:text}`n:,d` weights ({cite}`en-dumoulin2016guide`); see",
            "{ref}`en-intro` and {doc}`glossary`. % not a comment mid-line",
            "% a MyST comment",
            "",
            "```{exercise}",
            ":label: en-pooling-ex-1",
            "",
            "Compute $2+2$.",
            "```",
            "",
            "```{solution} en-pooling-ex-1",
            ":class: dropdown",
            "",
            "Four.",
            "```",
            "",
            "```python",
            "{term}`untouched` inside code",
            "```",
        ]
    )
    out = make_notebooks.convert_markdown(text, _ctx(glued={"n": {"text/plain": "951098"}}))
    assert out.startswith('## Max pooling <a id="en-pooling-max"></a>')
    assert "It has 951,098 weights" in out
    assert (
        "[(Dumoulin and Visin 2016)](https://convnotes.github.io/convnotes/book/en/"
        "references.html)" in out
    )
    assert (
        "[How to read this book](https://convnotes.github.io/convnotes/book/en/intro.html"
        "#en-intro)" in out
    )
    assert "[Glossary](https://convnotes.github.io/convnotes/book/en/glossary.html)" in out
    assert "a MyST comment" not in out and "not a comment mid-line" in out
    assert '<a id="en-pooling-ex-1"></a>\n\n**Exercise 1**\n\nCompute $2+2$.' in out
    assert "<details>\n<summary>Solution to exercise 1</summary>\n\nFour.\n\n</details>" in out
    assert "```python\n{term}`untouched` inside code\n```" in out


def test_persian_markdown_is_right_to_left_with_persian_numbers():
    text = "```{exercise}\n:label: fa-pooling-ex-12\n\nمتن\n```"
    ctx = _ctx("fa")
    ctx.exercises = {f"x{i}": i for i in range(1, 12)}
    out = make_notebooks.convert_markdown(text, ctx)
    assert out.startswith('<div dir="rtl" lang="fa">\n\n') and out.endswith("\n\n</div>")
    assert "**تمرین ۱۲**" in out


def test_outputs_keep_the_notebooks_language_only():
    prefix = make_notebooks.GLUE_PREFIX
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "hi\n"},
        {
            "output_type": "display_data",
            "metadata": {"scrapbook": {"name": "fig-en"}},
            "data": {prefix + "text/html": "<b>english</b>", prefix + "text/plain": "<HTML>"},
        },
        {
            "output_type": "display_data",
            "metadata": {"scrapbook": {"name": "fig-fa"}},
            "data": {prefix + "text/html": "<b>persian</b>", prefix + "text/plain": "<HTML>"},
        },
        {
            "output_type": "display_data",
            "metadata": {"scrapbook": {"name": "n-fa"}},
            "data": {prefix + "text/plain": "'۹۵۱٬۰۹۸'"},
        },
        {
            "output_type": "display_data",
            "metadata": {"scrapbook": {"name": "n-params"}},
            "data": {prefix + "text/plain": "951098"},
        },
    ]
    kept = make_notebooks.language_outputs(outputs, "fa")
    assert [o.get("data", {}).get("text/html", o.get("text")) for o in kept] == [
        "hi\n",
        "<b>persian</b>",
    ]
    assert kept[1]["metadata"] == {}


def test_binder_environment_pins_runtime_packages_and_the_package_at_the_ref():
    text = make_notebooks.binder_requirements(ROOT, REPO, "abc1234")
    lines = text.splitlines()
    assert lines[-1] == "convnotes @ git+https://github.com/convnotes/convnotes@abc1234"
    assert any(line.startswith("keras==") for line in lines)
    assert any(line.startswith("myst-nb==") for line in lines)
    assert not any(line.startswith(("jupyter-book", "pytest", "pypdf")) for line in lines)
    assert all("==" in line for line in lines[:-1])


@pytest.mark.slow
def test_a_generated_notebook_runs_and_shows_its_languages_figures(tmp_path):
    """A chapter that glues per-language objects: the fa notebook displays the fa one."""
    import nbclient

    (tmp_path / "book/en").mkdir(parents=True)
    (tmp_path / "book/fa").mkdir(parents=True)
    (tmp_path / "src/convnotes").mkdir(parents=True)
    (tmp_path / "src/convnotes/__init__.py").write_text('__version__ = "0.1.0"\n')
    (tmp_path / "requirements.txt").write_text("keras==3.15.1\n")
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/convnotes/convnotes\n"
    )
    (tmp_path / "_toc.yml").write_text(  # a toc Jupyter Book reads: a format and a root
        "format: jb-book\nroot: book/index\nparts:\n  - chapters:\n      - file: book/en/demo\n"
        "  - chapters:\n      - file: book/fa/demo\n"
    )
    code = (
        "```{code-cell} ipython3\nfrom IPython.display import HTML\n"
        "from convnotes.book import glue_by_language\n\n"
        "glue_by_language('word', lambda lang: HTML(f'<b>{lang}-word</b>'))\n"
        "print('ran')\n```\n"
    )
    front = "---\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n"
    (tmp_path / "book/en/demo.md").write_text(front + "(en-demo)=\n# Demo\n\n" + code)
    (tmp_path / "book/fa/demo.md").write_text(front + "(fa-demo)=\n# نمونه\n\n" + code)
    written = make_notebooks.write_notebooks(
        tmp_path, tmp_path / "html", cache_path=tmp_path, ref="v0.1.0", log=lambda _: None
    )
    assert sorted(p.relative_to(tmp_path / "html").as_posix() for p in written) == [
        "notebooks/en/demo.ipynb",
        "notebooks/fa/demo.ipynb",
    ]
    notebook = nbformat.read(tmp_path / "html/notebooks/fa/demo.ipynb", as_version=4)
    nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    assert notebook.cells[0].outputs == []  # convnotes 0.1.0 and myst-nb: nothing to install
    shown = [
        o["data"]["text/html"]
        for o in notebook.cells[2].outputs
        if o.get("output_type") == "display_data" and "text/html" in o.get("data", {})
    ]
    assert shown == ["<b>fa-word</b>"]
    assert (
        (tmp_path / "html/binder/requirements.txt")
        .read_text()
        .endswith("convnotes @ git+https://github.com/convnotes/convnotes@v0.1.0\n")
    )


# --------------------------------------------------------------------------- links, PDF


def test_link_check_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book/a.html").write_text(
        '<h1 id="top">A</h1><a name="old"></a>'
        '<a href="b.html#sec">ok</a><a href="#top">ok</a><a href="#old">ok</a>'
        '<a href="b.html#nope">bad anchor</a><a href="missing.html">bad file</a>'
        '<a href="https://example.org/x.html#y">external</a><img src="../img.png">'
        '<a href="../../outside.html">outside</a>'
    )
    (tmp_path / "book/b.html").write_text('<section id="sec"></section>')
    (tmp_path / "img.png").write_bytes(b"png")
    problems = list(check_links.broken_links(tmp_path))
    assert [p.split(": ", 1)[1] for p in problems] == [
        "b.html#nope (no element with id 'nope')",
        "missing.html (no such file)",
        "../../outside.html (points outside the site)",
    ]
    assert check_links.main([str(tmp_path), "--require", "img.png"]) == 1
    (tmp_path / "book/a.html").write_text('<a href="b.html#sec">ok</a>')
    assert check_links.main([str(tmp_path), "--require", "img.png"]) == 0
    assert check_links.main([str(tmp_path), "--require", "pdf/x.pdf"]) == 1


def test_pdf_title_page_lists_chapters_with_pages_in_the_editions_digits():
    page = make_pdf.title_page_html(
        "fa",
        make_pdf.TITLE_FA,
        [("۱. مقدمه", 2), ("۲. ادغام", 13)],
        version="0.1.0",
        commit="abc1234",
        date="2026-11-28",
        site_url="https://convnotes.github.io/convnotes/",
    )
    assert '<html lang="fa" dir="rtl">' in page
    assert '<span class="n">۱۳</span>' in page and "۲۰۲۶-۱۱-۲۸" in page
    numbers = make_pdf.page_numbers_html(2, 3, "en")
    assert re.findall(r"<span>(\d+)</span>", numbers) == ["2", "3", "4"]


def test_pdf_persian_title_matches_the_sites():
    book_ext = (ROOT / "book/_ext/convnotes_book.py").read_text(encoding="utf-8")
    match = re.search(r'^TITLE_FA = "([^"]+)"', book_ext, re.MULTILINE)
    assert match and match.group(1) == make_pdf.TITLE_FA


def test_figure_and_exercise_numbers_restart_in_each_edition():
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location(
        "convnotes_test_publish_ext", ROOT / "book/_ext/convnotes_publish.py"
    )
    extension = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extension)
    env = SimpleNamespace(
        config=SimpleNamespace(root_doc="book/index"),
        toctree_includes={
            "book/index": ["book/en/intro", "book/en/pooling", "book/fa/intro", "book/fa/pooling"]
        },
        # What Sphinx assigns with both editions numbered from 1: shared counters.
        toc_fignumbers={
            "book/en/pooling": {"figure": {"a": (2, 1), "b": (2, 2)}, "exercise": {"e": (2, 1)}},
            "book/fa/pooling": {"figure": {"a": (2, 4), "b": (2, 3)}, "exercise": {"e": (2, 2)}},
        },
    )
    assert extension.renumber_within_editions(env) == ["book/fa/pooling"]
    assert env.toc_fignumbers["book/fa/pooling"] == {
        "figure": {"b": (2, 1), "a": (2, 2)},
        "exercise": {"e": (2, 1)},
    }
    assert env.toc_fignumbers["book/en/pooling"]["figure"] == {"a": (2, 1), "b": (2, 2)}


def test_gated_solutions_stay_hidden_across_cells(tmp_path):
    """``solution-start``/``-end`` around code: prose in <details>, code cells collapsed."""
    (tmp_path / "book/en").mkdir(parents=True)
    (tmp_path / "book/en/demo.md").write_text(
        "---\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n"
        "(en-demo)=\n# Demo\n\n```{exercise}\n:label: en-demo-ex-1\n\nAdd.\n```\n\n"
        "````{solution-start} en-demo-ex-1\n:class: dropdown\n````\n\n"
        "```{code-cell} ipython3\nprint(1 + 1)\n```\n\nIt prints two.\n\n"
        "````{solution-end}\n````\n\n```{code-cell} ipython3\nprint('after')\n```\n"
    )
    (tmp_path / "src/convnotes").mkdir(parents=True)
    notebook = make_notebooks.build_notebook(
        tmp_path, "en", "demo", repo=REPO, ref="v1", version="1", targets={}, bibliography={}
    )
    cells = [(c.cell_type, c.source, c.metadata.get("jupyter")) for c in notebook.cells[1:]]
    assert cells[0][1].endswith(
        "**Exercise 1**\n\nAdd.\n\n**Solution to exercise 1**: "
        "the code cells below are collapsed; click one to see it."
    )
    assert cells[1] == ("code", "print(1 + 1)", {"source_hidden": True, "outputs_hidden": True})
    assert cells[2][1] == (
        "<details>\n<summary>Solution to exercise 1</summary>\n\nIt prints two.\n\n</details>"
    )
    assert cells[3] == ("code", "print('after')", None)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_every_chapter_ends_with_exercises_and_hidden_solutions(lang):
    problems = []
    for page_lang, chapter in make_notebooks.notebook_chapters(ROOT):
        if page_lang != lang:
            continue
        text = (ROOT / "book" / lang / f"{chapter}.md").read_text(encoding="utf-8")
        sections = re.findall(r"^\(([^)\s]+)\)=\s*\n#{2}\s", text, re.MULTILINE)
        if not sections or sections[-1] != f"{lang}-{chapter}-exercises":
            problems.append(f"{chapter}: the last section is not ({lang}-{chapter}-exercises)=")
            continue
        exercises_part = text[text.index(f"({lang}-{chapter}-exercises)=") :]
        labels = re.findall(
            r"^```+\{exercise(?:-start)?\}[^\n]*\n(?::[\w-]+:[^\n]*\n)*?"
            r":label:\s*(\S+)",
            exercises_part,
            re.MULTILINE,
        )
        if len(labels) < 3:
            problems.append(f"{chapter}: {len(labels)} exercises, at least 3 expected")
        for label in labels:
            solution = re.search(
                rf"^```+\{{solution(?:-start)?\}}\s+{re.escape(label)}\s*\n"
                r"((?::[\w-]+:[^\n]*\n)*)",
                exercises_part,
                re.MULTILINE,
            )
            if solution is None:
                problems.append(f"{chapter}: exercise {label} has no solution")
            elif not re.search(r":class:.*\bdropdown\b", solution.group(1)):
                problems.append(f"{chapter}: the solution of {label} is not hidden (dropdown)")
    assert not problems, "\n".join(problems)


def test_bibliography_labels_come_from_the_bibtex_entries() -> None:
    labels = make_notebooks.read_bibliography(ROOT / "book/references.bib")
    assert labels["dumoulin2016guide"] == "Dumoulin and Visin 2016"
    assert labels["vanderwalt2014scikitimage"] == "van der Walt et al. 2014"  # a "von" part
    assert labels["opencv2025filtering"] == "OpenCV team 2025"  # a braced corporate author
    assert labels["sandler2018mobilenetv2"] == "Sandler et al. 2018"
