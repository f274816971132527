"""Sphinx glue for publishing the convnotes book: notebooks, launch links, numbering.

* Every chapter page gets a bar with "Download notebook (.ipynb)", "Open in Colab" and
  "Launch Binder", in the page's language. The links come from
  ``scripts/make_notebooks.py`` (:func:`launch_links`), which derives them from the
  repository URL in ``_config.yml``.
* At the end of an HTML build the notebooks themselves are written into the site
  (``notebooks/{en,fa}/<chapter>.ipynb``), with the outputs of this build's execution,
  together with the ``binder/`` environment and ``.nojekyll``.
* Figures, tables, equations and exercises are numbered per chapter within each
  edition (both editions have a chapter 3, and Sphinx would share its counters).
"""

from __future__ import annotations

import html
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from convnotes.i18n import Text

logger = logging.getLogger(__name__)

BAR_WORDS = {
    "aria": Text("Run this chapter", "اجرای این فصل"),
    "download": Text("Download notebook (.ipynb)", "دریافت دفترچه (ipynb)"),
    "colab": Text("Open in Colab", "باز کردن در Colab"),
    "binder": Text("Launch Binder", "اجرا در Binder"),
}
_STATIC = Path(__file__).parent / "publish_static"


def _load_make_notebooks(root: Path) -> ModuleType:
    """``scripts/make_notebooks.py`` as a module (``scripts/`` is not a package)."""
    path = root / "scripts" / "make_notebooks.py"
    spec = importlib.util.spec_from_file_location("convnotes_make_notebooks", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def notebook_bar(links: dict[str, str], lang: str) -> str:
    """The HTML bar of one chapter page."""
    words = {key: text[lang] for key, text in BAR_WORDS.items()}
    direction = "rtl" if lang == "fa" else "ltr"
    return (
        f'<nav class="cn-notebook-bar" aria-label="{words["aria"]}" dir="{direction}">'
        f'<a class="cn-nb-download" href="{html.escape(links["download"])}" download>'
        f'<i class="fa-solid fa-download" aria-hidden="true"></i> {words["download"]}</a>'
        f'<a class="cn-nb-colab" href="{html.escape(links["colab"])}" rel="noopener">'
        f'<i class="fa-solid fa-rocket" aria-hidden="true"></i> {words["colab"]}</a>'
        f'<a class="cn-nb-binder" href="{html.escape(links["binder"])}" rel="noopener">'
        f'<i class="fa-solid fa-rocket" aria-hidden="true"></i> {words["binder"]}</a>'
        "</nav>\n"
    )


def _on_config_inited(app: Sphinx, config: Any) -> None:
    config.html_static_path = [*config.html_static_path, str(_STATIC)]


def _on_builder_inited(app: Sphinx) -> None:
    root = Path(app.srcdir)
    make_notebooks = _load_make_notebooks(root)
    app.convnotes_make_notebooks = make_notebooks  # type: ignore[attr-defined]
    app.convnotes_repository = make_notebooks.Repository.from_config(root)  # type: ignore[attr-defined]
    app.convnotes_notebooks = set(make_notebooks.notebook_chapters(root))  # type: ignore[attr-defined]


def _reading_order(env: BuildEnvironment) -> list[str]:
    """Documents in toctree order (depth first from the root)."""
    order: list[str] = []
    stack = [env.config.root_doc]
    while stack:
        doc = stack.pop()
        if doc not in order:
            order.append(doc)
            stack.extend(reversed(env.toctree_includes.get(doc, [])))
    return order


def renumber_within_editions(env: BuildEnvironment) -> list[str]:
    """Number figures, tables, equations and exercises per chapter *and edition*.

    Each edition numbers its chapters from 1 (``_toc.yml``), so English and Persian both
    have a chapter 3; Sphinx keys its figure counters on the section number alone and
    would number the Persian chapter's figures after the English ones (3.3, 3.4 where
    the English has 3.1, 3.2). Returns the documents whose numbers changed.
    """
    changed: set[str] = set()
    counters: dict[tuple[str, str, tuple[int, ...]], int] = {}
    for doc in _reading_order(env):
        lang = doc.split("/")[1] if doc.startswith(("book/en/", "book/fa/")) else None
        for figtype, numbers in (env.toc_fignumbers.get(doc) or {}).items():
            if lang is None:
                continue
            for figure_id in sorted(numbers, key=numbers.__getitem__):
                number = numbers[figure_id]
                if len(number) < 2:
                    continue  # no section numbers: convnotes_book renumbers these
                key = (lang, figtype, tuple(number[:-1]))
                counters[key] = counters.get(key, 0) + 1
                renumbered = (*number[:-1], counters[key])
                if renumbered != tuple(number):
                    numbers[figure_id] = renumbered
                    changed.add(doc)
    return sorted(changed)


def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    return renumber_within_editions(env)


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    parts = pagename.split("/")
    if len(parts) != 3 or parts[0] != "book" or "body" not in context:
        return
    lang, chapter = parts[1], parts[2]
    if (lang, chapter) not in app.convnotes_notebooks:  # type: ignore[attr-defined]
        return
    links = app.convnotes_make_notebooks.launch_links(  # type: ignore[attr-defined]
        app.convnotes_repository, lang, chapter
    )  # type: ignore[attr-defined]
    context["body"] = notebook_bar(links, lang) + context["body"]


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    cache = getattr(app.env.mystnb_config, "execution_cache_path", None)  # type: ignore[attr-defined]
    app.convnotes_make_notebooks.write_notebooks(  # type: ignore[attr-defined]
        Path(app.srcdir),
        Path(app.outdir),
        cache_path=Path(cache) if cache else None,
        log=logger.info,
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _on_config_inited)
    app.connect("builder-inited", _on_builder_inited)
    # After Sphinx's figure numbering (500) and convnotes_book's renumbering (900).
    app.connect("env-get-updated", _on_env_get_updated, priority=950)
    # Before convnotes_book's handler, so its language switch stays on top of this bar.
    app.connect("html-page-context", _on_html_page_context, priority=400)
    app.connect("build-finished", _on_build_finished)
    app.add_css_file("convnotes_publish.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
