"""The status pages' tables, filled in from this build's own records.

``book/{en,fa}/status.md`` hold directives such as::

    ```{convnotes-status} chapters
    ```

Each becomes a placeholder node when the page is read. Once every document has been
read (and every chapter executed), a post-transform replaces the placeholders with the
tables of :mod:`build_status`, in the page's language, built from Sphinx's environment:
myst-nb's execution data for each chapter (``env.nb_metadata``) and the glue data it
wrote beside each executed notebook. The status pages are re-read on every build, so
they always describe the build that wrote them; they have no code cells of their own.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import convnotes_book  # book/_ext is on sys.path for local extensions
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

STATUS_DOCS = ("book/en/status", "book/fa/status")
#: Directive argument -> the :class:`build_status.BuildStatus` method that renders it.
PARTS = {
    "summary": "summary",
    "chapters": "chapters_html",
    "recorded": "recorded_html",
    "benchmarks": "benchmarks_html",
    "versions": "versions_html",
    "hardware": "hardware_html",
}


class status_part(nodes.General, nodes.Element):
    """Where one part of the build status goes (replaced before writing)."""


class StatusDirective(SphinxDirective):
    """``{convnotes-status} PART``: one of :data:`PARTS`."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        part = self.arguments[0]
        if part not in PARTS:
            raise self.error(
                f"convnotes-status: the part must be one of {sorted(PARTS)}, got {part!r}"
            )
        return [status_part(part=part)]


def executions(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    """myst-nb's execution data by docname (documents it executed or took from its cache)."""
    metadata = getattr(env, "nb_metadata", {}) or {}
    return {doc: dict(data["exec_data"]) for doc, data in metadata.items() if data.get("exec_data")}


def build_status(app: Sphinx) -> Any:
    """The build's status, gathered once, after every document has been read."""
    status = getattr(app, "convnotes_status", None)
    if status is None:
        import build_status as report  # book/_ext is on sys.path for local extensions

        config = getattr(app.env, "mystnb_config", None)
        executed = Path(
            getattr(config, "output_folder", "") or Path(app.outdir).parent / "jupyter_execute"
        )
        status = report.collect_status(
            Path(app.srcdir), executions(app.env), executed, app.convnotes_build_started
        )
        app.convnotes_status = status  # type: ignore[attr-defined]
    return status


class StatusPostTransform(SphinxPostTransform):
    """Replace each placeholder with its part of the status, in the page's language."""

    default_priority = 8  # before references are resolved, like myst-nb's nb-exec-table

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(status_part))
        if not placeholders:
            return
        status = build_status(self.app)
        lang = convnotes_book.page_language(self.env.docname) or "en"
        for node in placeholders:
            rendered = getattr(status, PARTS[node["part"]])(lang)
            if node["part"] == "summary":
                node.replace_self(nodes.paragraph(rendered, rendered))
            else:
                # The theme's scrolling box: on a phone a wide table scrolls inside it.
                wrapped = f'<div class="pst-scrollable-table-container">{rendered}</div>'
                node.replace_self(nodes.raw("", wrapped, format="html"))


def _on_builder_inited(app: Sphinx) -> None:
    # jupyter-cache stores when a record was made as a naive UTC time, and myst-nb turns
    # it into a timestamp as if it were local time; in UTC the two agree, so a cached
    # chapter's execution time is right whatever the machine's time zone.
    os.environ["TZ"] = "UTC"
    time.tzset()
    app.convnotes_build_started = time.time()  # type: ignore[attr-defined]
    app.convnotes_status = None  # type: ignore[attr-defined]


def _on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set, changed: set, removed: set
) -> list[str]:
    """The status pages describe this build, so they are read (and written) on every build."""
    return [doc for doc in STATUS_DOCS if doc in env.found_docs]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(status_part)
    app.add_directive("convnotes-status", StatusDirective)
    app.add_post_transform(StatusPostTransform)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("env-get-outdated", _on_env_get_outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": False, "version": "0.1"}
