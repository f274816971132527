"""The ``explorer`` directive: interactive explorers that run in the reader's browser.

In a chapter::

    ```{explorer} conv-arithmetic
    :input: 7
    :padding: same
    ```

writes, in HTML only, an empty ``<div class="cn-explorer" data-cn-explorer="..." hidden>``
that ``book/_static/explorers/<name>.js`` fills in and un-hides; the page gets the
explorer's scripts and ``explorers.css`` (no other page does). Without JavaScript the
container stays hidden, and in print (the PDFs) the style sheet hides it, so the
chapter's static figure next to it is what those readers see. Other builders write
nothing, and ``scripts/make_notebooks.py`` drops the directive from the notebooks (an
unknown directive without a body converts to nothing there).
"""

from __future__ import annotations

import html
import json
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

#: Shared by every explorer, loaded first.
CORE_SCRIPT = "explorers/explorers-core.js"
STYLESHEET = "explorers/explorers.css"


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(f"must be a positive integer, got {value}")
    return number


def _choice(*names: str) -> Any:
    def check(value: str) -> str:
        if value not in names:
            raise ValueError(f"must be one of {', '.join(names)}; got {value!r}")
        return value

    check.names = names  # type: ignore[attr-defined]
    return check


#: Explorer -> (its scripts after the core, the options it takes and their checks).
EXPLORERS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "conv-arithmetic": (
        ("explorers/conv-arithmetic.js",),
        {
            "input": _positive_int,
            "kernel": _positive_int,
            "stride": _positive_int,
            "dilation": _positive_int,
            "padding": _choice("valid", "same", "full", "explicit"),
        },
    ),
    "receptive-field": (
        ("explorers/receptive-field.js",),
        {"preset": _choice("plain", "pool", "stride", "dilation")},
    ),
    "pooling": (
        ("explorers/pooling.js",),
        {
            "layer": _choice("windowed", "adaptive"),
            "mode": _choice("max", "average", "min"),
            "window": _positive_int,
            "padding": _choice("valid", "same"),
        },
    ),
    "kernel-playground": (
        ("explorers/kernel-playground-data.js", "explorers/kernel-playground.js"),
        {
            "photo": _choice("camera", "brick", "chelsea", "coffee"),
            "kernel": _choice(
                "box",
                "laplacian",
                "laplacian_8",
                "sobel_y",
                "sobel_x",
                "gaussian",
                "sharpen",
                "scharr_y",
                "scharr_x",
                "prewitt_y",
                "prewitt_x",
            ),  # fmt: skip
            "border": _choice("constant", "reflect", "reflect_101", "replicate"),
        },
    ),
    "hyperband": (
        ("explorers/hyperband.js",),
        {"max-epochs": _positive_int, "factor": _positive_int, "iterations": _positive_int},
    ),
}


class explorer(nodes.General, nodes.Element):  # noqa: N801 - docutils names nodes in lower case
    """An explorer's container; ``name``, ``options`` and ``lang`` are its attributes."""


def container_html(name: str, options: dict[str, Any], lang: str) -> str:
    """The HTML an explorer's script fills in.

    >>> container_html("hyperband", {"factor": 3}, "fa")  # doctest: +NORMALIZE_WHITESPACE
    '<div class="cn-explorer" data-cn-explorer="hyperband" data-cn-lang="fa"
    data-cn-options="{&quot;factor&quot;: 3}" hidden></div>\\n'
    """
    data = html.escape(json.dumps(options, sort_keys=True), quote=True)
    return (
        f'<div class="cn-explorer" data-cn-explorer="{name}" data-cn-lang="{lang}" '
        f'data-cn-options="{data}" hidden></div>\n'
    )


class ExplorerDirective(SphinxDirective):
    """``{explorer} NAME`` with the options of that explorer (see :data:`EXPLORERS`)."""

    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec = {
        option: directives.unchanged for _, spec in EXPLORERS.values() for option in spec
    }

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in EXPLORERS:
            raise self.error(f"unknown explorer {name!r}; one of {', '.join(EXPLORERS)}")
        spec = EXPLORERS[name][1]
        options: dict[str, Any] = {}
        for key, value in self.options.items():
            if key not in spec:
                raise self.error(
                    f"explorer {name!r} takes no option {key!r}; it takes: "
                    f"{', '.join(spec) or 'none'}"
                )
            try:
                options[key] = spec[key](value.strip())
            except ValueError as error:
                raise self.error(f"explorer {name!r}, option {key!r}: {error}") from None
        docname = self.env.docname
        lang = "fa" if docname.startswith("book/fa/") else "en"
        node = explorer(name=name, options=options, lang=lang)
        self.set_source_info(node)
        return [node]


def visit_explorer_html(self: Any, node: explorer) -> None:
    self.body.append(container_html(node["name"], node["options"], node["lang"]))
    raise nodes.SkipNode


def skip_explorer(self: Any, node: explorer) -> None:
    raise nodes.SkipNode


def scripts_for(names: set[str]) -> list[str]:
    """The scripts a page with these explorers loads, core first, each once.

    >>> scripts_for({"pooling", "kernel-playground"})  # doctest: +NORMALIZE_WHITESPACE
    ['explorers/explorers-core.js', 'explorers/kernel-playground-data.js',
     'explorers/kernel-playground.js', 'explorers/pooling.js']
    """
    files = [CORE_SCRIPT]
    for name in sorted(names):
        files += [f for f in EXPLORERS[name][0] if f not in files]
    return files


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if doctree is None:
        return
    names = {node["name"] for node in doctree.findall(explorer)}
    if not names:
        return
    app.add_css_file(STYLESHEET)
    for index, filename in enumerate(scripts_for(names)):
        app.add_js_file(filename, priority=700 + index, loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(
        explorer,
        html=(visit_explorer_html, None),
        latex=(skip_explorer, None),
        text=(skip_explorer, None),
        man=(skip_explorer, None),
        texinfo=(skip_explorer, None),
    )
    app.add_directive("explorer", ExplorerDirective)
    # Before convnotes_book's handler (500), which replaces the page's list of scripts.
    app.connect("html-page-context", _on_html_page_context, priority=300)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
