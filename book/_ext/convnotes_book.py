"""Sphinx glue for the bilingual convnotes book.

* Keys each chapter's execution cache on the package files it imports, the
  requirements and (for chapters that render them) the recorded runs
  (:mod:`convnotes_cache`), so a change re-executes exactly the chapters that
  depend on it (jupyter-cache itself hashes code cells only).
* Makes each edition read as its own book: Persian pages are written
  ``<html lang="fa" dir="rtl">`` with the theme's interface in Persian
  (:mod:`convnotes_i18n`) and their left-to-right runs isolated
  (:mod:`convnotes_bidi`); each sidebar part is labelled with its language;
  figures, tables and exercises are numbered per edition; previous/next links
  stay inside an edition; every page links to its counterpart in the other
  language (same file name under ``book/en`` and ``book/fa``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform

from convnotes.i18n import Text

sys.path.insert(0, str(Path(__file__).parent))

import convnotes_bidi  # noqa: E402
import convnotes_cache  # noqa: E402
import convnotes_i18n  # noqa: E402

LANG_DIRS = {"en": "book/en/", "fa": "book/fa/"}
#: Captions of the two parts in _toc.yml.
PART_CAPTIONS = {"English": "en", "فارسی": "fa"}
#: The switch link, written in the language it leads to.
SWITCH_LABEL = Text("Read this page in English", "خواندن این صفحه به فارسی")
SWITCH_ARIA = {"en": "زبان", "fa": "Language"}
TITLE_FA = "convnotes: کانولوشن، ادغام و شبکه‌های کانولوشنی"
AUTHOR_FA = "نوشتهٔ نویسندگان convnotes"


def _on_config_inited(app: Sphinx, config: Any) -> None:
    root = Path(app.srcdir)
    # CONVNOTES_BUILD_CACHE lets concurrent builds (e.g. with --path-output) keep apart.
    base = Path(
        os.environ.get("CONVNOTES_BUILD_CACHE")
        or config.nb_execution_cache_path
        or root / "_build" / ".jupyter_cache"
    )
    if not base.is_absolute():
        base = root / base
    # One cache for all chapters: each chapter's key is in its kernelspec (_on_source_read).
    config.nb_execution_cache_path = str(base / "chapters")
    # Executed chapters read these; the kernel inherits the build's environment.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # The kernel must draw with the inline backend: under "agg" IPython has no
    # image formatter for figures and glued figures become "<Figure size ...>" text.
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    # With no default mode pydata-sphinx-theme logs "Got invalid theme mode" on a first visit.
    # Without a favicon every first page view logs a 404 for /favicon.ico.
    if not config.html_favicon:
        config.html_favicon = str(
            Path(__file__).resolve().parent.parent / "_static" / "favicon.svg"
        )
    # (pydata-sphinx-theme reads it from html_context.)
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")
    config.html_context = context


def _chapter_keys(app: Sphinx) -> dict[str, str]:
    """The dependency key of every chapter with code cells, by docname."""
    keys = getattr(app, "convnotes_chapter_keys", None)
    if keys is None:
        root = Path(app.srcdir)
        keys = {}
        for lang_dir in LANG_DIRS.values():
            for path in sorted((root / lang_dir).glob("*.md")):
                if convnotes_cache.code_cells(path.read_text(encoding="utf-8")):
                    keys[lang_dir + path.stem] = convnotes_cache.dependency_key(root, path)
        app.convnotes_chapter_keys = keys  # type: ignore[attr-defined]
    return keys


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Write the chapter's dependency key into its kernelspec, for the execution cache."""
    key = _chapter_keys(app).get(docname)
    if key is not None:
        source[0] = convnotes_cache.inject_key(source[0], key)


def _on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set, changed: set, removed: set
) -> list[str]:
    """Re-read the chapters whose dependencies changed since the last build."""
    keys = _chapter_keys(app)
    previous = getattr(env, "convnotes_chapter_keys", None) or {}
    env.convnotes_chapter_keys = dict(keys)  # type: ignore[attr-defined]
    return sorted(doc for doc, key in keys.items() if doc in env.found_docs
                  and previous.get(doc, key) != key)  # fmt: skip


def page_language(docname: str) -> str | None:
    for lang, prefix in LANG_DIRS.items():
        if docname.startswith(prefix):
            return lang
    return None


def counterpart(docname: str) -> tuple[str, str] | None:
    """The other language's docname for ``docname``, with that language's code."""
    lang = page_language(docname)
    if lang is None:
        return None
    other = "fa" if lang == "en" else "en"
    return other, LANG_DIRS[other] + docname[len(LANG_DIRS[lang]) :]


def toctree_order(env: BuildEnvironment) -> list[str]:
    """Documents in reading order: a depth-first walk of the toctree from the root."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [env.config.root_doc]
    while stack:
        doc = stack.pop()
        if doc in seen:
            continue
        seen.add(doc)
        order.append(doc)
        stack.extend(reversed(env.toctree_includes.get(doc, [])))
    return order


def renumber_by_language(env: BuildEnvironment) -> list[str]:
    """Number figures, tables and exercises from 1 in each edition.

    Without section numbers Sphinx numbers them through the whole book, so the
    Persian edition would continue where the English one stops. Returns the
    documents whose numbers changed.
    """
    changed: list[str] = []
    counters: dict[tuple[str, str], int] = {}
    for doc in toctree_order(env):
        lang = page_language(doc)
        fignumbers = env.toc_fignumbers.get(doc)
        if lang is None or not fignumbers:
            continue
        for figtype, numbers in fignumbers.items():
            if any(len(number) != 1 for number in numbers.values()):
                continue  # numbered sections: numbers are already per chapter
            for figure_id in sorted(numbers, key=numbers.__getitem__):
                counters[(lang, figtype)] = counters.get((lang, figtype), 0) + 1
                new = (counters[(lang, figtype)],)
                if numbers[figure_id] != new:
                    numbers[figure_id] = new
                    changed.append(doc)
    return sorted(set(changed))


#: The Persian alphabet; آ sorts with ا. Letters outside it sort after, by code point.
PERSIAN_ALPHABET = "اآبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_PERSIAN_RANK = {char: rank for rank, char in enumerate(PERSIAN_ALPHABET)}
_PERSIAN_RANK["آ"] = _PERSIAN_RANK["ا"]


def collation_key(term: str, lang: str) -> tuple[int, ...]:
    """Dictionary order of ``term``: the Persian alphabet for ``fa``, case-blind for ``en``.

    Unicode puts پ چ ژ گ ک ی after the Arabic letters, so sorting by code point
    would file «پارامتر» after «هسته».
    """
    if lang == "en":
        return tuple(ord(char) for char in term.casefold())
    skipped = "\u200c\u0654\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
    return tuple(_PERSIAN_RANK.get(char, 100 + ord(char)) for char in term if char not in skipped)


def _on_doctree_read(app: Sphinx, doctree: Any) -> None:
    """Glossaries in dictionary order, wherever in the file an entry was added."""
    from docutils import nodes
    from sphinx import addnodes

    lang = page_language(app.env.docname)
    if lang is None:
        return
    for glossary in doctree.findall(addnodes.glossary):
        for deflist in glossary.findall(nodes.definition_list):
            items = list(deflist.children)
            items.sort(key=lambda item: collation_key(item.children[0].astext(), lang))
            deflist.children = []
            deflist.extend(items)


def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    return renumber_by_language(env)


class IsolateLtrRuns(SphinxPostTransform):
    """Isolate English words, names and numbers inside Persian prose (see convnotes_bidi)."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        docname = self.env.docname
        convnotes_bidi.isolate_ltr_runs(
            self.document, whole_page_rtl=page_language(docname) == "fa"
        )


def unique_scripts(scripts: list[Any]) -> list[Any]:
    """``scripts`` without repeats (same file or inline body, same attributes).

    sphinx-thebe is set up twice under Jupyter Book and its inline
    ``const THEBE_JS_URL = ...`` twice is a SyntaxError in the browser.
    """
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    kept = []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        filename = getattr(script, "filename", script) or ""  # inline scripts: None or ""
        key = (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    return kept


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if "script_files" in context:
        context["script_files"] = unique_scripts(context["script_files"])
    lang = page_language(pagename)
    # Previous/next stay inside an edition: the last English page does not lead
    # into the Persian one.
    for key in ("prev", "next"):
        link = context.get(key)
        if lang and link and link.get("link"):
            target = _target_docname(app, pagename, link["link"])
            if target is not None and page_language(target) != lang:
                context[key] = None
    pair = counterpart(pagename)
    if pair is None or "body" not in context:
        return
    other, other_doc = pair
    if other_doc not in app.env.found_docs:
        return
    href = app.builder.get_relative_uri(pagename, other_doc)
    direction = "rtl" if other == "fa" else "ltr"
    switch = (
        f'<nav class="cn-lang-switch" aria-label="{SWITCH_ARIA[other]}">'
        f'<a href="{href}" hreflang="{other}" lang="{other}" dir="{direction}">'
        f'<i class="fa-solid fa-language" aria-hidden="true"></i> {SWITCH_LABEL[other]}</a>'
        "</nav>\n"
    )
    context["body"] = switch + context["body"]
    context["metatags"] = (
        context.get("metatags", "") + f'\n<link rel="alternate" hreflang="{other}" href="{href}" />'
    )


def _target_docname(app: Sphinx, pagename: str, link: str) -> str | None:
    """The docname a relative link from ``pagename`` points to, if it is a page."""
    target = (Path(pagename).parent / link.split("#")[0]).as_posix()
    parts: list[str] = []
    for part in target.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    name = "/".join(parts)
    suffix = app.builder.link_suffix
    if suffix and name.endswith(suffix):
        name = name[: -len(suffix)]
    return name if name in app.env.found_docs else None


def rewrite_page(html: str, docname: str, title_en: str) -> str:
    """The post-processing every written page gets (see the module docstring)."""
    lang = page_language(docname) or "en"
    html = convnotes_i18n.mark_language(html, lang)
    html = convnotes_i18n.mark_toc_parts(html, PART_CAPTIONS)
    if docname == "search":  # its Persian title, for the page turned Persian by convnotes.js
        brand = '<p class="title logo__title">'
        html = html.replace(brand, brand[:-1] + f' data-cn-fa="{TITLE_FA}">')
    if lang == "fa":
        html = convnotes_i18n.translate_page(
            html, title_en=title_en, title_fa=TITLE_FA, author_fa=AUTHOR_FA
        )
    return html


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    title_en = app.config.html_title or app.config.project
    # The search and index pages belong to no edition: they are written in English and
    # the search page turns Persian in the browser when asked from a Persian page.
    for docname in [*app.env.found_docs, "search", "genindex"]:
        path = outdir / (docname + ".html")
        if path.exists():
            html = path.read_text(encoding="utf-8")
            new = rewrite_page(html, docname, title_en)
            if new != html:
                path.write_text(new, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _on_config_inited)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("source-read", _on_source_read)
    # After Sphinx's own figure numbering (TocTreeCollector, priority 500).
    app.connect("env-get-updated", _on_env_get_updated, priority=900)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("html-page-context", _on_html_page_context)
    app.connect("build-finished", _on_build_finished)
    app.add_node(
        convnotes_bidi.ltr_run,
        html=(convnotes_bidi.visit_ltr_run_html, convnotes_bidi.depart_ltr_run_html),
    )
    app.add_post_transform(IsolateLtrRuns)
    # After sphinx-copybutton's script, whose messages it extends with Persian.
    app.add_js_file("convnotes.js", priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.2"}
