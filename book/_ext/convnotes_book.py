"""Sphinx glue for the bilingual convnotes book.

* Keys the execution cache on the package sources, so a change to
  ``src/convnotes`` or ``requirements.txt`` re-executes the chapters
  (jupyter-cache itself hashes code cells only).
* Marks Persian pages ``lang="fa" dir="rtl"`` and links every page to its
  counterpart in the other language (same file name under ``book/en`` and
  ``book/fa``).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

LANG_DIRS = {"en": "book/en/", "fa": "book/fa/"}
SWITCH_LABEL = {"en": "English", "fa": "فارسی"}


def package_hash(root: Path) -> str:
    """Hash of every file the executed chapters depend on besides their own code cells."""
    digest = hashlib.sha256()
    files = sorted((root / "src" / "convnotes").rglob("*.py"))
    files.append(root / "requirements.txt")
    for path in files:
        if path.exists():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _on_config_inited(app: Sphinx, config: Any) -> None:
    root = Path(app.srcdir)
    key = package_hash(root)
    app.convnotes_package_hash = key  # type: ignore[attr-defined]
    # CONVNOTES_BUILD_CACHE lets concurrent builds (e.g. with --path-output) keep apart.
    base = Path(
        os.environ.get("CONVNOTES_BUILD_CACHE")
        or config.nb_execution_cache_path
        or root / "_build" / ".jupyter_cache"
    )
    if not base.is_absolute():
        base = root / base
    config.nb_execution_cache_path = str(base / key)
    # Executed chapters read these; the kernel inherits the build's environment.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("MPLBACKEND", "agg")


def _on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set, changed: set, removed: set
) -> list[str]:
    """Re-read every document when the package changed since the last build."""
    key = app.convnotes_package_hash  # type: ignore[attr-defined]
    previous = getattr(env, "convnotes_package_hash", None)
    env.convnotes_package_hash = key  # type: ignore[attr-defined]
    if previous is not None and previous != key:
        return sorted(env.found_docs)
    return []


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


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    pair = counterpart(pagename)
    if pair is None or "body" not in context:
        return
    other, other_doc = pair
    if other_doc not in app.env.found_docs:
        return
    href = app.builder.get_relative_uri(pagename, other_doc)
    switch = (
        f'<p class="cn-lang-switch"><a href="{href}" hreflang="{other}" lang="{other}">'
        f"{SWITCH_LABEL[other]}</a></p>\n"
    )
    context["body"] = switch + context["body"]


_HTML_TAG = re.compile(r"<html([^>]*)>")


def _mark_rtl(html: str) -> str:
    def repl(match: re.Match[str]) -> str:
        attrs = re.sub(r'\s(lang|dir)="[^"]*"', "", match.group(1))
        return f'<html lang="fa" dir="rtl"{attrs}>'

    return _HTML_TAG.sub(repl, html, count=1)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for docname in app.env.found_docs:
        if page_language(docname) != "fa":
            continue
        path = outdir / (docname + ".html")
        if path.exists():
            path.write_text(_mark_rtl(path.read_text(encoding="utf-8")), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _on_config_inited)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("html-page-context", _on_html_page_context)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
