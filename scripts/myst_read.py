"""Read the book's MyST chapters and ``_toc.yml`` with the libraries the book is built with.

The book's checkers and notebook writer (``check_parity.py``, ``check_language.py``,
``make_notebooks.py``, ``new_chapter.py``) need the same few facts of a chapter: its
code cells, headings, labels, glue references and prose. :func:`read_chapter` takes them
from the token stream of myst-parser's own markdown-it parser, configured with the
extensions ``_config.yml`` enables, so a ``# comment`` in a code cell is no heading, a
``(label)=`` in a fenced block no label, and ```` ```` ```` fences nest as Sphinx nests
them. Directive bodies are parsed again the way MyST parses them (options split off
with myst-parser's ``parse_directive_text``), except the literal ones
(:data:`LITERAL_DIRECTIVES`: code, math, raw ...). :func:`read_toc` reads ``_toc.yml``
with sphinx-external-toc, the parser Jupyter Book builds the site from.

This is book tooling: it lives in ``scripts/``, never in the ``convnotes`` package.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.directives import parse_directive_text
from myst_parser.parsers.mdit import create_md_parser
from sphinx_external_toc.parsing import MalformedError, SiteMap, parse_toc_data

ROOT = Path(__file__).resolve().parent.parent

#: Directives whose body is not Markdown: their text is neither prose nor parsed again.
LITERAL_DIRECTIVES = frozenset(
    {
        "code-cell", "code", "code-block", "sourcecode", "math", "raw", "literalinclude",
        "bibliography", "glue", "eval-rst", "csv-table", "mermaid", "graphviz",
    }
)  # fmt: skip
#: The glue directives of myst-nb; the glue roles are ``{glue}`` and ``{glue:<kind>}``.
GLUE_DIRECTIVES = frozenset({"glue", "glue:", "glue:any", "glue:figure", "glue:math", "glue:md"})
#: Directive options that name a target (``{ref}`` and ``{numref}`` reach them).
TARGET_OPTIONS = ("name", "label")
#: Inline tokens that are not prose: code, roles, math, links, images, HTML, references.
NOT_PROSE = frozenset(
    {
        "code_inline", "myst_role", "math_inline", "math_inline_double", "math_single",
        "substitution_inline", "html_inline", "link_open", "image", "footnote_ref",
    }
)  # fmt: skip
_Facts = dict[str, list[Any]]  # a Chapter's lists while it is read
_SPAN = "myst_read_span"  # token.meta key: (start, end) of the token in its inline's content


@dataclass(frozen=True)
class CodeCell:
    """A ``{code-cell}`` of the page (the cells myst-nb turns into notebook cells)."""

    line: int  #: 1-based line of the opening fence
    language: str  #: the fence's argument (``ipython3``)
    options: dict[str, Any]  #: ``:tags: [remove-cell]`` ... as YAML values
    source: str  #: the code, options removed
    text: str  #: everything between the fences, options included


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str  #: the heading's MyST source (``Max {term}`pooling <pooling>```)
    plain: str  #: the same with each role replaced by its text (``Max pooling``)


@dataclass(frozen=True)
class Target:
    """A place ``{ref}`` can reach: a ``(name)=`` line, or a directive's ``:name:``/``:label:``."""

    line: int
    name: str
    kind: str  #: ``label`` for ``(name)=``, else the directive (``exercise``, ``glue:figure``)
    heading: Heading | None = None  #: the heading a ``(name)=`` line stands before


@dataclass(frozen=True)
class GlueRef:
    """Where the page shows a glued output: a ``{glue:*}`` role or directive."""

    line: int
    kind: str  #: ``glue``, ``glue:text``, ``glue:figure`` ...
    name: str  #: the glued name, as written (``curves-en``), without a ``:format``
    role: bool


@dataclass(frozen=True)
class ProseRun:
    """Text a reader reads, on one line: no code, math, role, link, HTML or option."""

    line: int
    column: int  #: 1-based column of its first character in the page's line
    text: str


@dataclass(frozen=True)
class Directive:
    line: int
    name: str  #: ``exercise``, ``glue:figure``, ``glossary`` ...
    argument: str
    options: dict[str, Any]
    body: str  #: the content after the options


@dataclass(frozen=True)
class Chapter:
    """The facts of one MyST page, each kind in the order it stands in the page."""

    code_cells: tuple[CodeCell, ...]
    headings: tuple[Heading, ...]
    targets: tuple[Target, ...]
    glue: tuple[GlueRef, ...]
    prose: tuple[ProseRun, ...]
    directives: tuple[Directive, ...]


# --------------------------------------------------------------------------- parser


def enabled_extensions(root: Path = ROOT) -> tuple[str, ...]:
    """``parse.myst_enable_extensions`` of the book's ``_config.yml`` (this book's when
    ``root`` has none: a checker run on a copy of the chapters)."""
    path = root / "_config.yml"
    return _config_extensions(path if path.exists() else ROOT / "_config.yml")


@functools.lru_cache(maxsize=8)
def _config_extensions(path: Path) -> tuple[str, ...]:
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple((config.get("parse") or {}).get("myst_enable_extensions") or ())


@functools.lru_cache(maxsize=8)
def parser(extensions: tuple[str, ...]) -> MarkdownIt:
    """myst-parser's markdown-it parser with ``extensions``, recording inline positions.

    Each inline rule is wrapped so that the tokens it makes carry their ``(start, end)``
    in the inline's content (``token.meta``): markdown-it keeps line maps for blocks only.
    """
    md = create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)
    for rule in list(md.inline.ruler.__rules__):
        md.inline.ruler.at(rule.name, _recording(rule.fn), {"alt": rule.alt})
    return md


def _recording(fn: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def rule(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        found = fn(state, silent)
        if found and not silent:
            for token in state.tokens[count:]:  # the first (innermost) rule's span wins
                token.meta.setdefault(_SPAN, (start, state.pos))
        return found

    return rule


# --------------------------------------------------------------------------- chapters


def read_chapter(text: str, root: Path = ROOT) -> Chapter:
    """The code cells, headings, targets, glue references and prose of a MyST page.

    >>> page = read_chapter("(en-x)=\\n# Max {term}`pooling`\\n\\n```{code-cell} ipython3\\n"
    ...                     "# not a heading\\n```\\n")
    >>> [(h.level, h.plain) for h in page.headings], [t.name for t in page.targets]
    ([(1, 'Max pooling')], ['en-x'])
    >>> page.code_cells[0].source
    '# not a heading'
    """
    return _read(text, enabled_extensions(root))


@functools.lru_cache(maxsize=64)  # the checkers read a page more than once
def _read(text: str, extensions: tuple[str, ...]) -> Chapter:
    facts: _Facts = {kind.name: [] for kind in fields(Chapter)}
    md = parser(extensions)
    _read_tokens(md, md.parse(text), 0, text.split("\n"), facts, top=True)
    return Chapter(**{kind: tuple(found) for kind, found in facts.items()})


def _read_tokens(
    md: MarkdownIt, tokens: list[Token], offset: int, lines: list[str], facts: _Facts, top: bool
) -> None:
    """Add the facts of ``tokens`` (parsed from the page's lines ``offset`` on) to ``facts``."""
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        line = offset + token.map[0] + 1
        if token.type == "inline":
            facts["prose"] += _prose(token, offset, lines)
            facts["glue"] += _glue_roles(token, line)
        elif token.type == "heading_open":
            facts["headings"].append(_heading(token, tokens[index + 1], line))
        elif token.type == "myst_target":
            after = tokens[index + 1] if index + 1 < len(tokens) else None
            heading = None
            if after is not None and after.type == "heading_open":
                heading = _heading(after, tokens[index + 2], offset + after.map[0] + 1)
            facts["targets"].append(Target(line, token.content, "label", heading))
        elif token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            _read_directive(md, token, line, lines, facts, top)


def _read_directive(
    md: MarkdownIt, token: Token, line: int, lines: list[str], facts: _Facts, top: bool
) -> None:
    name, _, argument = token.info.strip()[1:].partition("}")
    argument = argument.strip()
    parsed = parse_directive_text(_AnyDirective, "", token.content, validate_options=False)
    options = dict(parsed.options)
    body = "\n".join(parsed.body)
    if name == "code-cell":
        if top:  # myst-nb reads top-level cells only
            raw = token.content.removesuffix("\n")
            facts["code_cells"].append(CodeCell(line, argument, options, body, raw))
        return
    facts["directives"].append(Directive(line, name, argument, options, body))
    for key in TARGET_OPTIONS:
        if key in options and options[key] is not None:
            facts["targets"].append(Target(line, str(options[key]).strip(), name))
    if name in GLUE_DIRECTIVES and argument:
        facts["glue"].append(GlueRef(line, name, argument.split()[0], role=False))
    if name not in LITERAL_DIRECTIVES and parsed.body:
        body_start = line + parsed.body_offset  # 0-based line of the body's first line
        _read_tokens(md, md.parse(body), body_start, lines, facts, top=False)


class _AnyDirective:
    """Accept any option and one argument, as myst-nb reads its cells' options."""

    option_spec = {"options": True}
    required_arguments = 0
    optional_arguments = 1
    has_content = True


def _heading(opening: Token, inline: Token, line: int) -> Heading:
    return Heading(line, int(opening.tag[1:]), inline.content, _plain(inline))


def _plain(inline: Token) -> str:
    """The inline's source with each role replaced by its text (``{ref}`a <b>``` -> ``a``)."""
    text, parts, at = inline.content, [], 0
    for child in inline.children or []:
        if child.type == "myst_role" and _SPAN in child.meta:
            start, end = child.meta[_SPAN]
            shown = child.content
            if shown.endswith(">") and "<" in shown:
                shown = shown[: shown.rindex("<")].rstrip()
            parts += [text[at:start], shown]
            at = end
    return "".join([*parts, text[at:]])


def _glue_roles(inline: Token, line: int) -> Iterator[GlueRef]:
    for child in inline.children or []:
        role = child.meta.get("name", "") if child.type == "myst_role" else ""
        if role == "glue" or role.startswith("glue:"):
            start = child.meta.get(_SPAN, (0, 0))[0]
            at = line + inline.content.count("\n", 0, start)
            yield GlueRef(at, role, child.content.strip().split(":")[0], role=True)


def _prose(inline: Token, offset: int, lines: list[str]) -> list[ProseRun]:
    """The prose of an inline token, cut at its non-prose children, one run per line."""
    content = inline.content
    spans = _non_prose_spans(inline)
    runs = []
    start_line = offset + inline.map[0]  # type: ignore[index]
    at = 0
    for number, content_line in enumerate(content.split("\n")):
        line_start, at = at, at + len(content_line) + 1
        source = lines[start_line + number] if start_line + number < len(lines) else ""
        column = _column(content_line, source)
        pieces: list[tuple[int, int]] = [(line_start, line_start + len(content_line))]
        for span_start, span_end in spans:
            pieces = [
                part
                for begin, end in pieces
                for part in ((begin, min(end, span_start)), (max(begin, span_end), end))
                if part[1] > part[0]
            ]
        for begin, end in pieces:
            piece = content[begin:end]
            if piece.strip():
                runs.append(ProseRun(start_line + number + 1, column + begin - line_start, piece))
    return runs


def _non_prose_spans(inline: Token) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    children = inline.children or []
    for index, child in enumerate(children):
        if child.type not in NOT_PROSE:
            continue
        if _SPAN in child.meta:
            spans.append(child.meta[_SPAN])
        elif child.type == "link_open" and index + 1 < len(children):
            # a link the core ``linkify`` rule made from plain text: find its text
            shown = children[index + 1].content
            start = inline.content.find(shown, spans[-1][1] if spans else 0)
            if shown and start >= 0:
                spans.append((start, start + len(shown)))
    return spans


def _column(content_line: str, source: str) -> int:
    """1-based column of ``content_line`` in its page line (blocks strip indent, ``>``, ``|``)."""
    found = source.find(content_line) if content_line else -1
    return found + 1 if found >= 0 else 1


# --------------------------------------------------------------------------- _toc.yml


def read_toc(path: Path) -> SiteMap:
    """``_toc.yml`` as sphinx-external-toc reads it for Jupyter Book."""
    return parse_toc(path.read_text(encoding="utf-8"), str(path))


def parse_toc(text: str, where: str = "_toc.yml") -> SiteMap:
    """The site map of a ``_toc.yml`` text; ``ValueError`` where Jupyter Book would fail.

    >>> parse_toc("format: jb-book\\nchapters: []\\n")
    Traceback (most recent call last):
    ...
    ValueError: _toc.yml: 'root' key not found @ '/'
    """
    try:
        return parse_toc_data(yaml.safe_load(text))
    except (MalformedError, yaml.YAMLError) as error:
        raise ValueError(f"{where}: {error}") from error


def toc_docnames(site: SiteMap) -> list[str]:
    """Every docname of the table of contents, in reading order (the root first).

    >>> toc = "format: jb-book\\nroot: index\\nchapters:\\n- file: a\\n  sections:\\n  - file: b\\n"
    >>> toc_docnames(parse_toc(toc))
    ['index', 'a', 'b']
    """
    order: list[str] = []

    def walk(docname: str) -> None:
        order.append(docname)
        for tree in site[docname].subtrees:
            for item in tree.items:
                if isinstance(item, str):
                    walk(item)

    walk(site.root.docname)
    return order


def toc_parts(site: SiteMap) -> list[tuple[str | None, list[str]]]:
    """``(caption, docnames)`` of each part of the book (each toctree of the root)."""
    return [
        (tree.caption, [item for item in tree.items if isinstance(item, str)])
        for tree in site[site.root.docname].subtrees
    ]
