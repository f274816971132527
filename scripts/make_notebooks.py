#!/usr/bin/env python3
"""Turn the book's MyST chapters into Jupyter notebooks that run anywhere, in both languages.

    python scripts/make_notebooks.py [--html _build/html] [--ref GIT_REF]

writes ``<html>/notebooks/{en,fa}/<chapter>.ipynb`` for every chapter of ``_toc.yml`` that
has code cells, plus ``<html>/binder/`` (the environment Binder builds). The book's
Sphinx extension ``book/_ext/convnotes_publish.py`` calls :func:`write_notebooks` at the
end of every HTML build, so the site always serves the notebooks its pages link to.

What a generated notebook holds:

* a first code cell that installs ``convnotes`` from the repository at the commit (or
  release tag) the book was built from, with ``myst-nb`` whose ``glue`` the chapters call,
  downloads the recorded runs (``results/...``) the chapter reads from the repository at
  that commit, and, in the chapters that read CIFAR-10, fetches it the official way
  (``convnotes.data.load_cifar10(download=True)``: the user's copy or cache first, else
  the official archive, checksum verified);
* the chapter's cells, with the outputs of the book's own execution, taken from
  the build's execution cache: glued outputs of the notebook's language become
  ordinary outputs, the other language's are dropped;
* markdown that Jupyter renders: MyST roles and directives become plain Markdown (glued
  numbers are filled in, references link to the online book, exercise solutions are
  collapsed in ``<details>``), and Persian cells are set right to left.

Every URL (Colab, Binder, the online book, raw files) is derived from the repository URL
in ``_config.yml`` by :class:`Repository`, the one place that knows the URL shapes.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat
import yaml

from convnotes.i18n import Text, persian_digits

sys.path.insert(0, str(Path(__file__).resolve().parent))
import myst_read  # noqa: E402  (the sibling script: the book's MyST and _toc.yml reader)

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "fa")
#: Pages without a notebook: the status page has no code (the build writes its tables).
NO_NOTEBOOK = frozenset({"status"})
GLUE_PREFIX = "application/papermill.record/"
#: Read by convnotes.book.glue_by_language: the language whose glued objects to display.
NOTEBOOK_LANG_ENV = "CONVNOTES_NOTEBOOK_LANG"
PAGES_BRANCH = "gh-pages"
NOTEBOOK_DIR = "notebooks"
#: Packages of requirements.txt that only build or test the book; Binder skips them.
BUILD_ONLY = ("jupyter-book", "sphinx", "pytest", "hypothesis", "pypdf")
#: Code that reads CIFAR-10 through the package; such chapters fetch it in the first cell.
#: A path into the repository's results/ as a chapter's code spells it ("../../results/x.json").
RESULTS_PATH = re.compile(r"[\"']((?:\.\./)*results/[\w./-]+\.\w+)[\"']")
USES_CIFAR = re.compile(
    r"\b(load_book_data|load_cifar10|find_cifar10)\b"
    r"|make_problem\(\s*[\"']cifar"
)


# --------------------------------------------------------------------------- URLs


@dataclass(frozen=True)
class Repository:
    """The GitHub repository of the book and every URL derived from it.

    >>> repo = Repository("convnotes", "convnotes")
    >>> repo.colab_url("notebooks/en/pooling.ipynb")
    'https://colab.research.google.com/github/convnotes/convnotes/blob/gh-pages/notebooks/en/pooling.ipynb'
    >>> repo.site_url
    'https://convnotes.github.io/convnotes/'
    """

    owner: str
    name: str
    branch: str = "main"
    baseurl: str = ""  # html.baseurl of _config.yml; empty: the GitHub Pages address

    @classmethod
    def from_config(cls, root: Path = ROOT) -> Repository:
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
        repository = config.get("repository") or {}
        url = str(repository.get("url", "")).rstrip("/")
        match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?", url)
        if match is None:
            raise ValueError(f"_config.yml repository.url must be a GitHub URL, got {url!r}")
        baseurl = str((config.get("html") or {}).get("baseurl") or "")
        return cls(
            match.group(1),
            match.group(2),
            str(repository.get("branch") or "main"),
            baseurl.rstrip("/") + "/" if baseurl else "",
        )

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"

    @property
    def site_url(self) -> str:
        """Where the built book is served: ``html.baseurl``, else GitHub Pages' address."""
        return self.baseurl or f"https://{self.owner.lower()}.github.io/{self.name}/"

    def page_url(self, docname: str, anchor: str = "") -> str:
        return self.site_url + docname + ".html" + (f"#{anchor}" if anchor else "")

    def colab_url(self, path: str) -> str:
        """Colab opens a notebook straight from a GitHub branch: the deployed site's."""
        return (
            f"https://colab.research.google.com/github/{self.owner}/{self.name}"
            f"/blob/{PAGES_BRANCH}/{path}"
        )

    def binder_url(self, path: str) -> str:
        """Binder builds ``binder/`` of the deployed branch and opens ``path`` in JupyterLab."""
        return (
            f"https://mybinder.org/v2/gh/{self.owner}/{self.name}/{PAGES_BRANCH}"
            f"?labpath={quote(path, safe='')}"
        )

    def raw_url(self, ref: str, path: str) -> str:
        return f"https://raw.githubusercontent.com/{self.owner}/{self.name}/{ref}/{path}"

    def pip_requirement(self, ref: str) -> str:
        """The package at ``ref``: it is installed from the repository, not from PyPI."""
        return f"convnotes @ git+{self.url}@{ref}"


def notebook_path(lang: str, chapter: str) -> str:
    """Path of a chapter's notebook inside the built site."""
    return f"{NOTEBOOK_DIR}/{lang}/{chapter}.ipynb"


def launch_links(repo: Repository, lang: str, chapter: str) -> dict[str, str]:
    """Download (relative to the chapter's page), Colab and Binder links of one notebook.

    >>> links = launch_links(Repository("convnotes", "convnotes"), "fa", "pooling")
    >>> links["download"]
    '../../notebooks/fa/pooling.ipynb'
    >>> links["binder"]
    'https://mybinder.org/v2/gh/convnotes/convnotes/gh-pages?labpath=notebooks%2Ffa%2Fpooling.ipynb'
    """
    path = notebook_path(lang, chapter)
    return {
        "download": "../../" + path,
        "colab": repo.colab_url(path),
        "binder": repo.binder_url(path),
    }


# --------------------------------------------------------------------------- the book


def package_version(root: Path = ROOT) -> str:
    """``convnotes.__version__`` read from the source, without importing the package."""
    text = (root / "src" / "convnotes" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if match is None:
        raise ValueError("src/convnotes/__init__.py defines no __version__")
    return match.group(1)


def install_ref(root: Path = ROOT, version: str | None = None) -> str:
    """The git ref a notebook installs ``convnotes`` from.

    ``CONVNOTES_GIT_REF`` if set; else the release tag ``v<version>`` when the checked-out
    commit carries it; else that commit (``GITHUB_SHA`` in GitHub Actions); else, outside
    a git checkout, the release tag.
    """
    version = version or package_version(root)
    if os.environ.get("CONVNOTES_GIT_REF"):
        return os.environ["CONVNOTES_GIT_REF"]
    tag = f"v{version}"

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=20, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    if tag in (git("tag", "--points-at", "HEAD") or "").split():
        return tag
    return os.environ.get("GITHUB_SHA") or git("rev-parse", "HEAD") or tag


def toc_pages(root: Path = ROOT) -> list[tuple[str, str]]:
    """``(lang, page)`` for every page of ``_toc.yml`` under ``book/en`` or ``book/fa``."""
    pages = []
    for docname in myst_read.toc_docnames(myst_read.read_toc(root / "_toc.yml")):
        match = re.fullmatch(r"book/(en|fa)/([\w-]+)", docname)
        if match:
            pages.append((match.group(1), match.group(2)))
    return pages


def read_chapter(path: Path, *, cache_root: Path | None = None) -> nbformat.NotebookNode:
    """The chapter at ``path`` as a notebook.

    With ``cache_root`` (the repository), its kernelspec carries the dependency key the
    build gives it (book/_ext/convnotes_cache.py), so that it matches the build's
    execution cache.
    """
    from myst_nb.core.read import read_myst_markdown_notebook

    text = path.read_text(encoding="utf-8")
    if cache_root is not None:
        sys.path.insert(0, str(ROOT / "book" / "_ext"))
        import convnotes_cache

        text = convnotes_cache.inject_key(text, convnotes_cache.dependency_key(cache_root, path))
    return read_myst_markdown_notebook(text)


def has_code(notebook: nbformat.NotebookNode) -> bool:
    return any(cell.cell_type == "code" and cell.source.strip() for cell in notebook.cells)


def notebook_chapters(root: Path = ROOT) -> list[tuple[str, str]]:
    """``(lang, chapter)`` of every toc page that becomes a notebook (it has code cells)."""
    chapters = []
    for lang, page in toc_pages(root):
        path = root / "book" / lang / f"{page}.md"
        if page not in NO_NOTEBOOK and path.exists() and has_code(read_chapter(path)):
            chapters.append((lang, page))
    return chapters


# --------------------------------------------------------------------------- references


@dataclass(frozen=True)
class Target:
    docname: str
    title: str | None


_LABEL_LINE = re.compile(r"^\(([^()\s]+)\)=\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def collect_targets(root: Path = ROOT) -> dict[str, Target]:
    """Every label of the book: ``(label)=`` before a heading, and ``:name:``/``:label:``."""
    targets: dict[str, Target] = {}
    for lang in LANGS:
        for path in sorted((root / "book" / lang).glob("*.md")):
            docname = f"book/{lang}/{path.stem}"
            page = myst_read.read_chapter(path.read_text(encoding="utf-8"), root)
            title = next((h.plain for h in page.headings if h.level == 1), None)
            targets[f"doc:{docname}"] = Target(docname, title)
            for target in page.targets:
                if target.kind == "label":
                    heading = target.heading
                    targets[target.name] = Target(docname, heading.plain if heading else None)
                else:
                    targets.setdefault(target.name, Target(docname, None))
    return targets


def _strip_roles(text: str) -> str:
    return re.sub(r"\{[\w:+-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)


def read_bibliography(path: Path) -> dict[str, str]:
    """Short author-year labels (``Dumoulin and Visin 2016``) of every entry in ``path``.

    The file is read by pybtex (the parser sphinxcontrib-bibtex uses for the book's
    own citations), so a notebook cites exactly the entries the site does.
    """
    if not path.exists():
        return {}
    from pybtex.database import parse_file

    labels = {}
    for key, entry in parse_file(str(path), bib_format="bibtex").entries.items():
        people = entry.persons.get("author", [])
        last = [" ".join(person.prelast_names + person.last_names) for person in people]
        etal = "others" in last
        last = [name for name in last if name != "others"]
        if len(last) >= 3 or (etal and last):
            who = f"{last[0]} et al."
        else:
            who = " and ".join(last) or entry.fields.get("title", key)
        label = f"{who} {entry.fields.get('year', '')}"
        labels[key] = re.sub(r"[{}]", "", label).strip()
    return labels


# --------------------------------------------------------------------------- glue


def glued_outputs(notebook: nbformat.NotebookNode | None) -> dict[str, dict[str, Any]]:
    """Mime bundles of every glued variable of an executed notebook, by glue name."""
    glued: dict[str, dict[str, Any]] = {}
    for cell in notebook.cells if notebook is not None else []:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = {
                    key.removeprefix(GLUE_PREFIX): value
                    for key, value in output.get("data", {}).items()
                }
    return glued


def format_glued_text(text: str, fmt_spec: str = "") -> str:
    """Format glued ``text/plain`` as myst-nb's ``{glue:text}`` does.

    >>> format_glued_text("951098", ",d")
    '951,098'
    >>> format_glued_text("'0.80'")
    '0.80'
    """
    try:
        value: Any = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not fmt_spec:
        return str(value)
    kind = fmt_spec[-1]
    if kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    elif kind == "s":
        value = str(value)
    return format(value, fmt_spec)


def language_outputs(outputs: list[dict], lang: str) -> list[dict]:
    """Outputs as a reader of ``lang`` sees them: own-language glued objects shown (not bare
    values, which the converted prose already contains), other glue dropped."""
    kept = []
    for output in outputs:
        name = output.get("metadata", {}).get("scrapbook", {}).get("name")
        if name is None:
            kept.append(output)
        elif name.endswith(f"-{lang}") and set(
            key.removeprefix(GLUE_PREFIX) for key in output.get("data", {})
        ) != {"text/plain"}:
            # Figures, tables, formatted text; a bare value is already in the prose.
            shown = dict(output)
            shown["data"] = {
                key.removeprefix(GLUE_PREFIX): value
                for key, value in output.get("data", {}).items()
            }
            shown["metadata"] = {}
            kept.append(nbformat.from_dict(shown))
    return kept


# --------------------------------------------------------------------------- markdown

WORDS = {
    "exercise": Text("Exercise", "تمرین"),
    "solution": Text("Solution to exercise", "پاسخ تمرین"),
    "figure": Text("Figure", "شکل"),
    "note": Text("Note", "یادداشت"),
    "warning": Text("Warning", "هشدار"),
    "tip": Text("Tip", "نکته"),
    "important": Text("Important", "مهم"),
    "hint": Text("Hint", "راهنمایی"),
    "caution": Text("Caution", "احتیاط"),
    "attention": Text("Attention", "توجه"),
    "danger": Text("Danger", "خطر"),
    "error": Text("Error", "خطا"),
    "seealso": Text("See also", "همچنین ببینید"),
    "output": Text("(shown by the code cell above)", "(خروجی سلول کد بالا)"),
    "edition": Text("English edition", "ویرایش فارسی"),
    "collapsed": Text(
        "the code cells below are collapsed; click one to see it.",
        "سلول‌های کد بعدی جمع شده‌اند؛ برای دیدن هر کدام روی آن کلیک کنید.",
    ),
}
ADMONITIONS = frozenset(
    {
        "note",
        "warning",
        "tip",
        "important",
        "hint",
        "caution",
        "attention",
        "danger",
        "error",
        "seealso",
        "admonition",
    }
)
DROPPED = frozenset({"toctree", "bibliography", "glossary", "tableofcontents", "contents"})
GLUE_DIRECTIVES = frozenset({"glue", "glue:", "glue:any", "glue:figure", "glue:math", "glue:md"})


@dataclass
class MarkdownContext:
    """What converting one chapter's markdown needs to know."""

    lang: str
    docname: str
    repo: Repository
    ref: str
    targets: dict[str, Target] = field(default_factory=dict)
    bibliography: dict[str, str] = field(default_factory=dict)
    glued: dict[str, dict[str, Any]] = field(default_factory=dict)
    exercises: dict[str, int] = field(default_factory=dict)

    def word(self, key: str) -> str:
        return WORDS[key][self.lang]

    def digits(self, number: int) -> str:
        """``number`` in the digits of the notebook's language."""
        return persian_digits(str(number)) if self.lang == "fa" else str(number)

    def link(self, label: str) -> tuple[str, str | None]:
        """URL of a label (or a document name) in the online book, and its title."""
        target = self.targets.get(label)
        if target is not None:
            return self.repo.page_url(target.docname, label), target.title
        docname = os.path.normpath(os.path.join(os.path.dirname(self.docname), label))
        docname = docname.replace(os.sep, "/").removesuffix(".md")
        document = self.targets.get(f"doc:{docname}")
        return self.repo.page_url(docname), document.title if document else None


_FENCE_OPEN = re.compile(
    r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\{(?P<name>[^}\s]+)\}"
    r"[ \t]*(?P<arg>.*)$"
)
_CODE_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?!.*`)")
_OPTION = re.compile(r"^:([\w-]+):\s*(.*)$")
_INLINE = re.compile(r"\{(?P<role>[A-Za-z][\w:+-]*)\}`(?P<content>[^`]*)`|(?P<code>(`+)[^`]*?\4)")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


def _close_index(lines: list[str], start: int, fence: str) -> int:
    char, size = fence[0], len(fence)
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if len(stripped) >= size and set(stripped) == {char}:
            return index
    return len(lines)


def _split_options(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            loaded = yaml.safe_load("\n".join(lines[1:end])) or {}
            return {str(k): str(v) for k, v in loaded.items()}, lines[end + 1 :]
    index = 0
    while index < len(lines) and _OPTION.match(lines[index]):
        key, value = _OPTION.match(lines[index]).groups()
        options[key] = value.strip()
        index += 1
    return options, lines[index:]


def convert_inline(text: str, ctx: MarkdownContext) -> str:
    """MyST roles in one run of text, as Markdown Jupyter renders."""

    def role(match: re.Match[str]) -> str:
        if match.group("code") is not None:
            return match.group("code")
        name, content = match.group("role"), match.group("content")
        explicit = _EXPLICIT.match(content)
        shown, target = (
            (explicit.group("text"), explicit.group("target")) if explicit else (None, content)
        )
        if name == "term":
            return shown or content
        if name.startswith("cite"):
            keys = [key.strip() for key in content.split(",") if key.strip()]
            names = [ctx.bibliography.get(re.sub(r"^(en|fa)-", "", key), key) for key in keys]
            page = ctx.repo.page_url(f"book/{ctx.lang}/references")
            return f"[({'; '.join(names)})]({page})"
        if name in ("ref", "numref", "doc", "eq", "any", "prf:ref"):
            url, title = ctx.link(target)
            return f"[{shown or title or target}]({url})"
        if name.startswith("glue"):
            key, fmt_spec = content, ""
            if name == "glue:text" and ":" in content:
                key, fmt_spec = content.rsplit(":", 1)
            data = ctx.glued.get(key.strip())
            if data is None:
                return f"`{content}`"
            if name == "glue:md" and "text/markdown" in data:
                return str("".join(data["text/markdown"]))
            plain = "".join(data.get("text/plain", ""))
            return format_glued_text(plain, fmt_spec)
        if name == "math":
            return f"${content}$"
        if name in ("sub", "sup", "kbd"):
            return f"<{name}>{content}</{name}>"
        if name == "abbr":
            return re.sub(r"\s*\(.*\)\s*$", "", content)
        return shown or content

    return _INLINE.sub(role, text)


def _blockquote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def convert_directive(
    name: str, arg: str, options: dict[str, str], body: str, ctx: MarkdownContext
) -> str:
    """One MyST directive as Markdown (with HTML where Markdown has no equivalent)."""
    name = name.lower()
    anchor_name = options.get("name") or options.get("label")
    anchor = f'<a id="{anchor_name}"></a>\n\n' if anchor_name else ""
    inner = convert_markdown(body, ctx, wrap=False).strip() if body.strip() else ""
    if name in DROPPED:
        return ""
    if name in GLUE_DIRECTIVES:
        if not inner:
            return anchor.strip()
        return f"{anchor}*{ctx.word('figure')} {ctx.word('output')}: {inner}*"
    if name in ("figure", "image"):
        url = (
            arg
            if re.match(r"https?://", arg)
            else ctx.repo.raw_url(
                ctx.ref, os.path.normpath(os.path.join(os.path.dirname(ctx.docname), arg))
            )
        )
        picture = f"![{options.get('alt', '')}]({url})"
        return f"{anchor}{picture}" + (f"\n\n*{inner}*" if inner else "")
    if name == "math":
        return f"{anchor}$$\n{body.strip()}\n$$"
    if name in ("code-block", "code", "sourcecode"):
        return f"{anchor}```{arg}\n{body.rstrip()}\n```"
    if name == "exercise":
        number = ctx.exercises.setdefault(
            anchor_name or f"#{len(ctx.exercises)}", len(ctx.exercises) + 1
        )
        title = f" ({convert_inline(arg, ctx)})" if arg else ""
        return f"{anchor}**{ctx.word('exercise')} {ctx.digits(number)}**{title}\n\n{inner}"
    if name in ("exercise-start", "exercise-end", "solution-start", "solution-end"):
        return _gated(name, arg, anchor, anchor_name, ctx)
    if name == "solution":
        number = ctx.exercises.get(arg.strip())
        summary = f"{ctx.word('solution')} {ctx.digits(number)}" if number else ctx.word("solution")
        return f"<details>\n<summary>{summary}</summary>\n\n{inner}\n\n</details>"
    if name == "dropdown" or "dropdown" in options.get("class", ""):
        title = convert_inline(arg, ctx) if name in ("dropdown", "admonition") else ""
        summary = title or (ctx.word(name) if name in WORDS else "…")
        return f"<details>\n<summary>{summary}</summary>\n\n{inner}\n\n</details>"
    if name in ADMONITIONS:
        title = convert_inline(arg, ctx) if name == "admonition" else ctx.word(name)
        return anchor + _blockquote(f"**{title}**\n\n{inner}")
    if name in ("margin", "sidebar", "epigraph", "pull-quote", "highlights", "aside"):
        return anchor + _blockquote(inner)
    if name == "list-table":
        table = _list_table(body, ctx, header_rows=int(options.get("header-rows", "0") or 0))
        return anchor + (table if table else inner)
    return anchor + inner


# Gated directives (``solution-start`` ... ``solution-end``) may enclose code cells, so a
# solution can span notebook cells. They become markers here, which pair_solutions
# resolves: its text collapsed in <details>, and build_notebook collapses its code cells
# (``jupyter.source_hidden``/``outputs_hidden``).
SOLUTION_OPEN, SOLUTION_CLOSE = "\x00solution-open:", "\x00solution-close\x00"


def _gated(name: str, arg: str, anchor: str, label: str | None, ctx: MarkdownContext) -> str:
    if name == "exercise-start":
        number = ctx.exercises.setdefault(label or f"#{len(ctx.exercises)}", len(ctx.exercises) + 1)
        title = f" ({convert_inline(arg, ctx)})" if arg else ""
        return f"{anchor}**{ctx.word('exercise')} {ctx.digits(number)}**{title}"
    if name == "solution-start":
        number = ctx.exercises.get(arg.strip())
        summary = f"{ctx.word('solution')} {ctx.digits(number)}" if number else ctx.word("solution")
        return f"{SOLUTION_OPEN}{summary}\x00"
    if name == "solution-end":
        return SOLUTION_CLOSE
    return ""


def pair_solutions(
    text: str, open_summary: str | None, ctx: MarkdownContext
) -> tuple[str, str | None]:
    """Resolve the solution markers of one converted (unwrapped) markdown cell.

    Text inside a solution goes into a collapsed ``<details>``; a solution that goes on
    into the next cells (it encloses code cells) says so. ``open_summary`` is the summary
    of a solution left open by earlier cells; the one left open after this cell is
    returned with the text, so that build_notebook collapses the code cells in between.
    """
    pattern = re.compile(re.escape(SOLUTION_OPEN) + r"([^\x00]*)\x00|" + re.escape(SOLUTION_CLOSE))
    pieces: list[str] = []
    current, pos = open_summary, 0

    def add(segment: str, summary: str | None, opening: bool) -> None:
        if summary is None:
            pieces.append(segment)
        elif segment.strip():
            pieces.append(
                f"\n\n<details>\n<summary>{summary}</summary>\n\n"
                f"{segment.strip()}\n\n</details>\n\n"
            )
        elif opening:
            pieces.append(f"\n\n**{summary}**: {ctx.word('collapsed')}\n\n")

    matches = list(pattern.finditer(text))
    for index, match in enumerate(matches):
        add(text[pos : match.start()], current, opening=False)
        pos = match.end()
        if match.group(1) is not None:
            current = match.group(1)
            closes_here = index + 1 < len(matches) and matches[index + 1].group(1) is None
            following = text[
                pos : matches[index + 1].start() if index + 1 < len(matches) else len(text)
            ]
            if not closes_here and not following.strip():
                add("", current, opening=True)
        else:
            current = None
    add(text[pos:], current, opening=False)
    return re.sub(r"\n{3,}", "\n\n", "".join(pieces)).strip(), current


def _list_table(body: str, ctx: MarkdownContext, header_rows: int) -> str:
    rows: list[list[str]] = []
    for line in body.splitlines():
        if re.match(r"^\*\s+-\s+", line):
            rows.append([line.split("-", 1)[1].strip()])
        elif re.match(r"^\s+-\s+", line) and rows:
            rows[-1].append(line.strip()[1:].strip())
        elif line.strip() and rows:
            rows[-1][-1] += " " + line.strip()
    if not rows or len({len(r) for r in rows}) != 1:
        return ""
    cells = [[convert_inline(c, ctx).replace("|", "\\|") for c in row] for row in rows]
    head = cells[0] if header_rows else [""] * len(cells[0])
    body_rows = cells[1:] if header_rows else cells
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in body_rows]
    return "\n".join(lines)


def convert_markdown(text: str, ctx: MarkdownContext, wrap: bool = True) -> str:
    """A MyST markdown cell as Markdown Jupyter renders (right to left for Persian)."""
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(convert_inline("\n".join(paragraph), ctx))
            paragraph.clear()

    while index < len(lines):
        line = lines[index]
        opened = _FENCE_OPEN.match(line)
        plain = None if opened else _CODE_FENCE.match(line)
        label = _LABEL_LINE.match(line)
        if opened:
            flush()
            end = _close_index(lines, index + 1, opened.group("fence"))
            options, body = _split_options(lines[index + 1 : end])
            out.append(
                convert_directive(
                    opened.group("name"), opened.group("arg").strip(), options, "\n".join(body), ctx
                )
            )
            index = end + 1
        elif plain:
            flush()
            end = _close_index(lines, index + 1, plain.group("fence"))
            out.append("\n".join(lines[index : end + 1]))
            index = end + 1
        elif label:
            flush()
            following = lines[index + 1] if index + 1 < len(lines) else ""
            heading = _HEADING.match(following)
            anchor = f'<a id="{label.group(1)}"></a>'
            if heading:
                out.append(f"{heading.group(1)} {convert_inline(heading.group(2), ctx)} {anchor}")
                index += 2
            else:
                out.append(anchor + "\n")
                index += 1
        elif line.startswith("%"):
            index += 1  # a MyST comment
        else:
            if not line.strip():
                flush()
                out.append("")
            else:
                paragraph.append(line)
            index += 1
    flush()
    converted = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    if wrap and ctx.lang == "fa":
        return f'<div dir="rtl" lang="fa">\n\n{converted}\n\n</div>'
    return converted


# --------------------------------------------------------------------------- notebooks


def first_cell_source(
    repo: Repository,
    ref: str,
    version: str,
    lang: str,
    chapter: str,
    title: str,
    uses_cifar: bool,
    recorded: tuple[str, ...] = (),
) -> str:
    """The setup cell: install convnotes at the book's version, fetch the recorded runs the
    chapter reads (``recorded``: paths as its code spells them), then CIFAR-10 if used."""
    page = repo.page_url(f"book/{lang}/{chapter}")
    lines = [
        f"# convnotes {version} · {title} · {WORDS['edition'][lang]}",
        f"# {page}",
        "# Run this cell first. It installs the convnotes package at the commit this notebook",
        "# was built from (skipped where that version is installed), with myst-nb, whose",
        "# glue() the chapter's cells call. If pip upgrades packages that were already",
        "# imported (on Colab: numpy, keras), restart the runtime and run from the top.",
        "import importlib.metadata",
        "import importlib.util",
        "import os",
        "",
        "try:",
        '    installed = importlib.metadata.version("convnotes")',
        "except importlib.metadata.PackageNotFoundError:",
        "    installed = None",
        f'if installed != "{version}" or importlib.util.find_spec("myst_nb") is None:',
        f'    %pip install --quiet "{repo.pip_requirement(ref)}" "myst-nb==1.4.0"',
        "# Figures are made for both languages; show this notebook's language.",
        f'os.environ["{NOTEBOOK_LANG_ENV}"] = "{lang}"',
    ]
    if recorded:
        pairs = ",\n".join(
            f'    ("{local}", "{repo.raw_url(ref, local.lstrip("./"))}")' for local in recorded
        )
        lines += [
            "",
            "# Recorded runs this chapter reads (stored in the repository, not recomputed), at",
            "# the path its code expects.",
            "import pathlib",
            "import urllib.request",
            "",
            f"for local, remote in [\n{pairs},\n]:",
            "    if not pathlib.Path(local).exists():",
            "        pathlib.Path(local).parent.mkdir(parents=True, exist_ok=True)",
            "        urllib.request.urlretrieve(remote, local)",
        ]
    if uses_cifar:
        lines += [
            "",
            "# CIFAR-10, the official way: a copy named by $CONVNOTES_DATA or in your cache is",
            "# used as it is; otherwise the official archive (170 MB) is downloaded from",
            "# www.cs.toronto.edu and checked against its published SHA-256.",
            "from convnotes.data import load_cifar10",
            "",
            "print(load_cifar10(download=True).source)",
        ]
    return "\n".join(lines)


def _title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                heading = _HEADING.match(line)
                if heading and len(heading.group(1)) == 1:
                    return _strip_roles(heading.group(2))
    return fallback


def build_notebook(
    root: Path,
    lang: str,
    chapter: str,
    *,
    repo: Repository,
    ref: str,
    version: str,
    executed: nbformat.NotebookNode | None = None,
    targets: dict[str, Target] | None = None,
    bibliography: dict[str, str] | None = None,
) -> nbformat.NotebookNode:
    """The downloadable notebook of ``book/<lang>/<chapter>.md``."""
    source = read_chapter(root / "book" / lang / f"{chapter}.md")
    codes = [c.source for c in source.cells if c.cell_type == "code"]
    if (
        executed is not None
        and [c.source for c in executed.cells if c.cell_type == "code"] != codes
    ):
        executed = None  # stale: the chapter changed since it was executed
    ctx = MarkdownContext(
        lang,
        f"book/{lang}/{chapter}",
        repo,
        ref,
        targets if targets is not None else collect_targets(root),
        bibliography
        if bibliography is not None
        else read_bibliography(root / "book" / "references.bib"),
        glued_outputs(executed),
    )
    executed_codes = iter(
        [c for c in executed.cells if c.cell_type == "code"] if executed is not None else []
    )
    title = _title(source, chapter)
    all_code = "\n".join(codes)
    recorded = tuple(dict.fromkeys(RESULTS_PATH.findall(all_code)))
    cells = [
        nbformat.v4.new_code_cell(
            first_cell_source(
                repo,
                ref,
                version,
                lang,
                chapter,
                title,
                bool(USES_CIFAR.search(all_code)),
                recorded,
            )
        )
    ]
    in_solution: str | None = None
    for cell in source.cells:
        if cell.cell_type == "markdown":
            text, in_solution = pair_solutions(
                convert_markdown(cell.source, ctx, wrap=False), in_solution, ctx
            )
            if not text.strip():
                continue
            if lang == "fa":
                text = f'<div dir="rtl" lang="fa">\n\n{text}\n\n</div>'
            cells.append(nbformat.v4.new_markdown_cell(text))
        elif cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(cell.source)
            tags = cell.metadata.get("tags")
            if tags:
                new.metadata["tags"] = list(tags)
            if in_solution:  # JupyterLab and Notebook 7 show it collapsed until clicked
                new.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
            ran = next(executed_codes, None)
            if ran is not None:
                new.outputs = language_outputs(ran.get("outputs", []), lang)
                new.execution_count = ran.get("execution_count")
            cells.append(new)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "convnotes": {
            "chapter": chapter,
            "language": lang,
            "version": version,
            "ref": ref,
            "page": repo.page_url(f"book/{lang}/{chapter}"),
        },
    }
    nbformat.validate(notebook)
    return notebook


def binder_requirements(root: Path, repo: Repository, ref: str) -> str:
    """requirements.txt for Binder: the pinned runtime packages and convnotes at ``ref``."""
    keep = []
    for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name = re.split(r"[=<>\[ ;]", line.strip(), maxsplit=1)[0].lower()
        if line.strip() and not line.lstrip().startswith("#") and not name.startswith(BUILD_ONLY):
            keep.append(line.strip())
    return "\n".join([*keep, repo.pip_requirement(ref)]) + "\n"


def default_cache_path(root: Path) -> Path | None:
    """The most recently used execution cache under ``_build/.jupyter_cache``."""
    databases = sorted(
        (root / "_build" / ".jupyter_cache").glob("*/global.db"),
        key=lambda path: path.stat().st_mtime,
    )
    return databases[-1].parent if databases else None


def executed_notebook(cache: Any, notebook: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The executed version of ``notebook`` held by a jupyter-cache, if it holds one.

    (``_build/jupyter_execute`` is no substitute: myst-nb writes the outputs there only
    for notebooks it executed in that build, not for those it took from the cache.)
    """
    if cache is None:
        return None
    try:
        record = cache.match_cache_notebook(notebook)
        return cache.get_cache_bundle(record.pk).nb
    except KeyError:
        return None


def write_notebooks(
    root: Path = ROOT,
    html_dir: Path | None = None,
    *,
    cache_path: Path | None = None,
    ref: str | None = None,
    log: Callable[[str], None] = print,
) -> list[Path]:
    """Write every chapter's notebook and the Binder environment into the built site.

    ``cache_path`` is the build's jupyter-cache (default: the newest under
    ``_build/.jupyter_cache``); the notebooks carry the outputs it holds.
    """
    html_dir = html_dir or root / "_build" / "html"
    cache_path = cache_path or default_cache_path(root)
    cache = None
    if cache_path is not None and (Path(cache_path) / "global.db").exists():
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_path))
    repo, version = Repository.from_config(root), package_version(root)
    ref = ref or install_ref(root, version)
    targets = collect_targets(root)
    bibliography = read_bibliography(root / "book" / "references.bib")
    written = []
    with_outputs = 0
    for lang, chapter in notebook_chapters(root):
        source = root / "book" / lang / f"{chapter}.md"
        executed = executed_notebook(cache, read_chapter(source, cache_root=root))
        with_outputs += executed is not None
        notebook = build_notebook(
            root,
            lang,
            chapter,
            repo=repo,
            ref=ref,
            version=version,
            executed=executed,
            targets=targets,
            bibliography=bibliography,
        )
        path = html_dir / notebook_path(lang, chapter)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, path)
        written.append(path)
    binder = html_dir / "binder"
    if binder.exists():
        shutil.rmtree(binder)
    binder.mkdir(parents=True)
    (binder / "requirements.txt").write_text(binder_requirements(root, repo, ref), encoding="utf-8")
    (binder / "runtime.txt").write_text("python-3.11\n", encoding="utf-8")
    # GitHub Pages must not run Jekyll, which would hide _static/ and _images/.
    (html_dir / ".nojekyll").write_text("", encoding="utf-8")
    log(
        f"convnotes: wrote {len(written)} notebooks ({with_outputs} with outputs; installing "
        f"convnotes {version} at {ref}) under {html_dir / NOTEBOOK_DIR}"
    )
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--html",
        type=Path,
        default=ROOT / "_build" / "html",
        help="the built site (default: _build/html)",
    )
    parser.add_argument("--ref", help="git ref the notebooks install convnotes from")
    parser.add_argument(
        "--cache",
        type=Path,
        help="the build's jupyter-cache folder (default: the newest under _build/.jupyter_cache)",
    )
    args = parser.parse_args(argv)
    if not args.html.is_dir():
        print(f"{args.html}: no such directory (build the book first)", file=sys.stderr)
        return 1
    paths = write_notebooks(ROOT, args.html, cache_path=args.cache, ref=args.ref)
    for path in paths:
        print(json.dumps(str(path.relative_to(args.html))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
