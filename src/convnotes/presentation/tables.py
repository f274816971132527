"""The one HTML table builder of the book.

Every table a page shows (a chapter's comparison table, the layer summaries of
:mod:`convnotes.presentation.params`, the tuning reports) is built by
:func:`html_table`: the page language sets ``lang`` and the direction (``rtl`` for
Persian), text is escaped, and code is set left to right.

Examples
--------
>>> table = html_table(["n", "out"], [[5, "<3"]], "fa")
>>> table[: table.index("<thead>")]
'<table class="table cn-table" lang="fa" dir="rtl">'
>>> table[table.index("<tbody>") :]
'<tbody><tr><td>5</td><td>&lt;3</td></tr></tbody></table>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from convnotes.i18n import check_language

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class Cell:
    """A table cell whose content is already HTML (markup is written as it is).

    ``header`` makes it a ``<th>``; ``css_class`` and ``colspan`` become its attributes.

    Examples
    --------
    >>> Cell("<strong>7</strong>", css_class="cn-num").render()
    '<td class="cn-num"><strong>7</strong></td>'
    >>> Cell("Total", header=True, colspan=2).render()
    '<th colspan="2">Total</th>'
    """

    html: str
    header: bool = False
    css_class: str = ""
    colspan: int = 1

    def render(self) -> str:
        tag = "th" if self.header else "td"
        attrs = f' class="{self.css_class}"' if self.css_class else ""
        if self.colspan != 1:
            attrs += f' colspan="{self.colspan}"'
        return f"<{tag}{attrs}>{self.html}</{tag}>"


def escape(text: object) -> str:
    """``text`` as HTML, without terminal styling.

    Keras writes its error messages in bold with ANSI escapes; a browser would show
    the escape characters as garbage.

    Examples
    --------
    >>> escape("\x1b[1mbad & size\x1b[0m")
    'bad &amp; size'
    """
    return html.escape(_ANSI_ESCAPE.sub("", str(text)))


def _cell(value: object, code: bool) -> str:
    if isinstance(value, Cell):
        return value.render()
    text = escape(value)
    return f'<td><code dir="ltr">{text}</code></td>' if code else f"<td>{text}</td>"


def _rows(rows: Iterable[Sequence[object]], code_columns: Sequence[int]) -> str:
    return "".join(
        "<tr>" + "".join(_cell(value, i in code_columns) for i, value in enumerate(row)) + "</tr>"
        for row in rows
    )


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    lang: str,
    code_columns: Sequence[int] = (),
    *,
    css_class: str = "cn-table",
    foot: Iterable[Sequence[object]] = (),
) -> str:
    """An HTML table in ``lang``'s direction.

    Parameters
    ----------
    headers
        The column titles, as text.
    rows
        One sequence per row. A :class:`Cell` is written as it is; any other value is
        shown as escaped text (:func:`escape`), as left-to-right code in the
        ``code_columns``.
    lang
        ``"en"`` or ``"fa"``: the table's ``lang`` and its direction (``ltr``/``rtl``).
    code_columns
        Indices of the columns set as ``<code dir="ltr">``.
    css_class
        The class beside Bootstrap's ``table``: ``cn-table`` for ordinary tables,
        ``cn-params`` for the layer summaries.
    foot
        Rows of a ``<tfoot>`` (totals), written like ``rows``.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the book's languages.

    Examples
    --------
    >>> table = html_table(["Error"], [["\x1b[1mbad size\x1b[0m"]], "en", code_columns=(0,))
    >>> table[table.index("<tbody>") :]
    '<tbody><tr><td><code dir="ltr">bad size</code></td></tr></tbody></table>'
    >>> html_table(["n"], [[1]], "fa", foot=[[Cell("2", header=True)]])[:52]
    '<table class="table cn-table" lang="fa" dir="rtl"><t'
    """
    check_language(lang)
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body, footer = _rows(rows, code_columns), _rows(foot, code_columns)
    direction = "rtl" if lang == "fa" else "ltr"
    return (
        f'<table class="table {css_class}" lang="{lang}" dir="{direction}"><thead><tr>{head}'
        f"</tr></thead><tbody>{body}</tbody>"
        + (f"<tfoot>{footer}</tfoot>" if footer else "")
        + "</table>"
    )


__all__ = ["Cell", "escape", "html_table"]
