"""Isolate left-to-right runs inside right-to-left prose.

The Unicode bidirectional algorithm orders most English words inside a Persian
sentence correctly, but not all: ``C++`` shows as ``++C``, ``2D`` next to an
isolated word shows as ``D2``, and ``TensorFlow، Keras`` keeps the Latin
reading order of the list. The book therefore isolates every left-to-right run
of its Persian prose as ``<bdi dir="ltr" lang="en">`` when the page is written.
Authors write plain text (``ادغام (pooling)``, ``Keras Tuner``); code, math,
raw HTML and literal blocks are never touched, and they are isolated by the
stylesheet instead.

A run starts at a strong left-to-right character (with the digits glued before
it, as in ``2D``), extends over anything that is not right-to-left (spaces,
digits, punctuation, brackets) and ends at its last left-to-right character,
digit, balanced closing bracket or trailing ``+``/``#``/``%``. A Persian
letter, Persian digit, Arabic comma or zero-width non-joiner ends it.

Numbers need the same care: ``-3`` shows as ``3-`` and ``(30, 30, 32)`` as
``(32 ,30 ,30)`` in right-to-left text. A signed number (``−۳``) and a group of
numbers joined by ``,``, ``×``, ``/``, ``:`` or a dash (``30, 30, 32``,
``۲۰۱۶–۲۰۱۸``) is isolated too, as ``<bdi dir="ltr">`` without a language.
A single unsigned number is left to the algorithm, which places it correctly.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

from docutils import nodes

#: Bidi classes that end a left-to-right run.
_RTL_CLASSES = frozenset({"R", "AL", "AN"})
_STOPS = frozenset("\u200c\u200d\u200f\u061c\u060c\u061b\u061f") | frozenset(
    chr(c) for c in range(0x06F0, 0x06FA)
)
_OPEN = "([{"
_CLOSE = ")]}"
_TRAILING = "+#%'’°"
_NOWRAP_MAX = 24
_DIGITS = "0-9\u06f0-\u06f9"
_NUMBER = rf"[{_DIGITS}]+(?:[.,\u066b\u066c][{_DIGITS}]+)*"
_SIGN = "[-+\u2212\u00b1]"
_NUMERIC_RUN = re.compile(
    rf"(?<![\w.]){_SIGN}?{_NUMBER}(?:(?:\s*[×*/:\u2013\u2212-]\s*|,\s*){_SIGN}?{_NUMBER})*"
    r"[%\u066a]?"
)

#: Elements whose text must stay exactly as written (code, math, raw markup).
_SKIP = (
    nodes.literal,
    nodes.literal_block,
    nodes.math,
    nodes.math_block,
    nodes.raw,
    nodes.comment,
    nodes.FixedTextElement,
    nodes.target,
    nodes.substitution_definition,
)


def _is_stop(char: str) -> bool:
    return char in _STOPS or unicodedata.bidirectional(char) in _RTL_CLASSES


def _is_ltr(char: str) -> bool:
    return unicodedata.bidirectional(char) == "L"


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left (Arabic-script or Hebrew) character."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` spans of the left-to-right runs of ``text``, in order.

    Examples
    --------
    >>> text = "کتابخانهٔ C++ و Keras 3، نه CIFAR-10 در 2D و (pooling)"
    >>> [text[a:b] for a, b in ltr_runs(text)]
    ['C++', 'Keras 3', 'CIFAR-10', '2D', 'pooling']
    >>> text = "شکل (30, 30, 32) با کمینهٔ −۳ و ۵ لایه"
    >>> [text[a:b] for a, b in ltr_runs(text)]
    ['30, 30, 32', '−۳']
    """
    runs = _latin_runs(text)
    taken = [False] * (len(text) + 1)
    for start, end in runs:
        for k in range(start, end):
            taken[k] = True
    for match in _NUMERIC_RUN.finditer(text):
        start, end = match.span()
        if any(taken[start:end]):
            continue
        piece = match.group(0)
        signed = piece[0] in "-+\u2212\u00b1"
        groups = len(re.findall(_NUMBER, piece))
        if signed or groups > 1:
            runs.append((start, end))
    return sorted(runs)


def _latin_runs(text: str) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        if not _is_ltr(text[i]) or text[i].isspace():
            i += 1
            continue
        start = i
        while start > 0 and text[start - 1].isascii() and text[start - 1].isdigit():
            start -= 1
        end = start  # exclusive end of the accepted run so far
        depth = 0
        j = start
        while j < n and not _is_stop(text[j]):
            char = text[j]
            if char in _OPEN:
                depth += 1
            elif char in _CLOSE:
                if depth == 0:
                    break
                depth -= 1
                end = j + 1 if depth == 0 else end
            elif _is_ltr(char) or (char.isascii() and char.isdigit()):
                if depth == 0:
                    end = j + 1
            elif char in _TRAILING and end == j and depth == 0:
                end = j + 1
            j += 1
        if end > start:
            runs.append((start, end))
            i = end
        else:
            i = j + 1
    return runs


def bdi_open(run: str) -> str:
    """The opening tag that isolates ``run``.

    A short run without spaces (``CIFAR-10``, ``scikit-learn``) is not broken at
    its hyphen; long ones (URLs) may wrap anywhere.
    """
    short_word = len(run) <= _NOWRAP_MAX and not any(c.isspace() or c == "/" for c in run)
    nowrap = ' class="cn-nowrap"' if short_word else ""
    lang = ' lang="en"' if any(_is_ltr(c) and not c.isdigit() for c in run) else ""
    return f'<bdi dir="ltr"{lang}{nowrap}>'


def isolate_html_text(text: str) -> str:
    """Isolate the left-to-right runs of an HTML text fragment without tags.

    >>> isolate_html_text("CIFAR-10 با Keras &amp; TensorFlow")
    '<bdi dir="ltr" lang="en" class="cn-nowrap">CIFAR-10</bdi> با \
<bdi dir="ltr" lang="en">Keras &amp; TensorFlow</bdi>'
    """
    plain = html.unescape(text)
    runs = ltr_runs(plain)
    if not runs:
        return text
    pieces: list[str] = []
    cursor = 0
    for start, end in runs:
        pieces.append(html.escape(plain[cursor:start], quote=False))
        run = plain[start:end]
        pieces.append(f"{bdi_open(run)}{html.escape(run, quote=False)}</bdi>")
        cursor = end
    pieces.append(html.escape(plain[cursor:], quote=False))
    return "".join(pieces)


class ltr_run(nodes.inline):  # noqa: N801 - docutils names node classes in lower case
    """A left-to-right run inside right-to-left prose."""


def visit_ltr_run_html(self: Any, node: ltr_run) -> None:
    self.body.append(bdi_open(node.astext()))


def depart_ltr_run_html(self: Any, node: ltr_run) -> None:
    self.body.append("</bdi>")


def _skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _SKIP) or isinstance(parent, ltr_run):
            return True
        parent = parent.parent
    return False


def _text_element(node: nodes.Node) -> nodes.Element | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.TextElement):
        parent = parent.parent
    return parent


def _merge_adjacent_text(doctree: nodes.Node) -> None:
    """Join neighbouring text nodes: MyST makes a separate node of each soft line break,
    and ``(average⏎pooling)`` isolated as two runs would read ``(pooling average)``."""
    for element in list(doctree.findall(nodes.Element)):
        children = element.children
        if not any(
            isinstance(a, nodes.Text) and isinstance(b, nodes.Text)
            for a, b in zip(children, children[1:], strict=False)
        ):
            continue
        merged: list[nodes.Node] = []
        for child in children:
            if merged and isinstance(child, nodes.Text) and isinstance(merged[-1], nodes.Text):
                merged[-1] = nodes.Text(str(merged[-1]) + str(child))
            else:
                merged.append(child)
        element.children = []
        element.extend(merged)


def isolate_ltr_runs(doctree: nodes.Node, whole_page_rtl: bool) -> int:
    """Wrap the left-to-right runs of right-to-left prose in :class:`ltr_run` nodes.

    With ``whole_page_rtl`` every paragraph is treated as right to left (a
    Persian page); otherwise only text elements holding a right-to-left
    character are (the Persian column of the landing page). Returns the number
    of runs wrapped.
    """
    _merge_adjacent_text(doctree)
    count = 0
    for text in list(doctree.findall(nodes.Text)):
        if text.parent is None or _skipped(text):
            continue
        if not whole_page_rtl:
            element = _text_element(text)
            if element is None or not has_rtl(element.astext()):
                continue
        value = str(text)
        runs = ltr_runs(value)
        if not runs:
            continue
        pieces: list[nodes.Node] = []
        cursor = 0
        for start, end in runs:
            if start > cursor:
                pieces.append(nodes.Text(value[cursor:start]))
            pieces.append(ltr_run("", nodes.Text(value[start:end])))
            cursor = end
        if cursor < len(value):
            pieces.append(nodes.Text(value[cursor:]))
        text.parent.replace(text, pieces)
        count += len(runs)
    return count
