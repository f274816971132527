"""Persian words for the theme's own interface on Persian pages.

Sphinx renders the whole book with one ``language`` (English), so the theme,
myst-nb, sphinx-exercise and Sphinx itself write their interface strings
("Search", "previous", "Note", "Exercise 2", "Show code cell source", ...) in
English on every page. :func:`translate_page` rewrites those strings in the
written HTML of a Persian page. Each replacement is anchored on the markup the
theme produces (an attribute, a class), never on a bare word, and ``<pre>``
blocks (code cells, outputs, tracebacks) are masked while it runs, so prose and
code are never touched.

:func:`mark_language` sets ``<html lang dir>`` and :func:`mark_toc_parts` labels
the two parts of the sidebar's table of contents with their language.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from convnotes_bidi import isolate_html_text

from convnotes.i18n import persian_digits

#: Values of ``title``, ``aria-label``, ``placeholder`` ... attributes.
ATTRIBUTES: dict[str, str] = {
    "Search": "جست‌وجو",
    "Search this book...": "جست‌وجو در این کتاب…",
    "Index": "نمایه",
    "Version warning": "هشدار نسخه",
    "Site navigation": "فهرست کتاب",
    "On this page": "در این صفحه",
    "Main": "فهرست کتاب",
    "Page": "فهرست این صفحه",
    "Breadcrumb": "مسیر صفحه",
    "Toggle primary sidebar": "نمایش یا پنهان‌کردن فهرست کتاب",
    "Toggle secondary sidebar": "نمایش یا پنهان‌کردن فهرست این صفحه",
    "Source repository": "مخزن کد",
    "Source repositories": "مخزن‌های کد",
    "Open an issue": "گزارش یک مشکل",
    "Suggest edit": "پیشنهاد ویرایش",
    "Show source": "نمایش متن منبع",
    "Download this page": "بارگیری این صفحه",
    "Download source file": "بارگیری پروندهٔ منبع",
    "Download notebook file": "بارگیری دفترچه",
    "Print to PDF": "چاپ یا ذخیره به‌صورت PDF",
    "Launch interactive content": "اجرای تعاملی",
    "Launch Thebe": "اجرا در همین صفحه",
    "Fullscreen mode": "حالت تمام‌صفحه",
    "Color mode": "حالت رنگ",
    "Light": "روشن",
    "Dark": "تیره",
    "System Settings": "مطابق تنظیمات سیستم",
    "previous page": "صفحهٔ قبل",
    "next page": "صفحهٔ بعد",
    "Link to this heading": "پیوند به این بخش",
    "Link to this image": "پیوند به این شکل",
    "Link to this table": "پیوند به این جدول",
    "Link to this code": "پیوند به این کد",
    "Link to this equation": "پیوند به این معادله",
    "Link to this definition": "پیوند به این تعریف",
    "Link to this term": "پیوند به این اصطلاح",
    "Toggle hidden content": "نمایش یا پنهان‌کردن محتوای بسته",
}

#: Exact pieces of theme markup and their Persian versions.
MARKUP: dict[str, str] = {
    '<a href="#main-content">Skip to main content</a>':
        '<a href="#main-content">رفتن به متن اصلی</a>',
    "</i>Back to top</button>": "</i>بازگشت به بالا</button>",
    '<span class="search-button__default-text">Search</span>':
        '<span class="search-button__default-text">جست‌وجو</span>',
    "<h2> Contents </h2>": "<h2> فهرست مطالب </h2>",
    '<p class="prev-next-subtitle">previous</p>': '<p class="prev-next-subtitle">قبلی</p>',
    '<p class="prev-next-subtitle">next</p>': '<p class="prev-next-subtitle">بعدی</p>',
    "let toggleHintShow = 'Click to show';": "let toggleHintShow = 'برای نمایش کلیک کنید';",
    "let toggleHintHide = 'Click to hide';": "let toggleHintHide = 'برای بستن کلیک کنید';",
    '<meta name="docsearch:language" content="en"/>':
        '<meta name="docsearch:language" content="fa"/>',
}  # fmt: skip

ADMONITIONS: dict[str, str] = {
    "Note": "یادداشت",
    "Warning": "هشدار",
    "Tip": "نکته",
    "Hint": "راهنمایی",
    "Important": "مهم",
    "Caution": "احتیاط",
    "Attention": "توجه",
    "Danger": "خطر",
    "Error": "خطا",
    "See also": "همچنین ببینید",
    "Todo": "کارهای مانده",
    "Exercise": "تمرین",
    "Solution": "پاسخ",
}

#: Numbered things (``numfig_format`` and sphinx-exercise) by their English prefix.
NUMBERED: dict[str, str] = {
    "Fig.": "شکل",
    "Table": "جدول",
    "Listing": "کد",
    "Section": "بخش",
    "Exercise": "تمرین",
    "Example": "مثال",
}

CELL_PROMPTS: dict[str, str] = {
    "Show code cell source": "نمایش کد",
    "Hide code cell source": "پنهان‌کردن کد",
    "Show code cell outputs": "نمایش خروجی",
    "Hide code cell outputs": "پنهان‌کردن خروجی",
    "Show code cell content": "نمایش سلول",
    "Hide code cell content": "پنهان‌کردن سلول",
}

_ATTRIBUTE = re.compile(r'\b(title|aria-label|placeholder|data-bs-title|data-tooltip)="([^"]*)"')
_ADMONITION_TITLE = re.compile(
    r'(<p class="(?:[\w-]+ )*admonition-title">)(' + "|".join(map(re.escape, ADMONITIONS)) + ")</p>"
)
_CELL_PROMPT = re.compile(
    r'(<p class="(?:collapsed|expanded) admonition-title">)('
    + "|".join(map(re.escape, CELL_PROMPTS))
    + ")</p>"
)
_NUMBER_WORDS = "|".join(map(re.escape, NUMBERED))
_CAPTION_NUMBER = re.compile(r'(<span class="caption-number">)(' + _NUMBER_WORDS + r") ([\d.]+) ")
_NUMREF = re.compile(r'(<span class="std std-(?:numref|ref)">)(' + _NUMBER_WORDS + r") ([\d.]+)<")
_SOLUTION_TO = re.compile(
    r'(<p class="admonition-title">)Solution to(<a class="reference internal" href="[^"]*">)'
    r" (?:Exercise ([\d.]+)|Exercise)</a>"
)
_CONTENTS_HEADING = re.compile(r'(<i class="fa-solid fa-list"></i>\s*)Contents(\s*</div>)')
_AUTHOR = re.compile(r'(<p class="component-author">\s*)By ([^<]*?)(\s*</p>)')
_COPYRIGHT = re.compile(r"©\s*Copyright\s+([^<]*?)\.(\s*<)")
#: English interface words that the bidi isolation (convnotes_bidi) wrapped before
#: this module sees them; they are unwrapped so the rules below can translate them.
_ISOLATED_UI = re.compile(
    r'<bdi dir="ltr" lang="en"(?: class="cn-nowrap")?>'
    r"((?:" + _NUMBER_WORDS + r")(?: [\d.]+)?|Solution to|Solution)</bdi>"
)
_SECTION_NUMBER = re.compile(r'(<span class="section-number">)([\d.]+ )')
_NUMBERED_LINK = re.compile(
    r'(<a class="(?:current )?reference internal[^"]*"[^>]*>)(\d+(?:\.\d+)*\. )'
)
_SEARCH_FORM = re.compile(r'(<form class="bd-search[^"]*"\s+action="[^"]*"\s+method="get">)')
_LINK_TEXT = re.compile(r'(<a class="(?:current )?reference internal[^"]*"[^>]*>)([^<]+)(</a>)')
_PREV_NEXT_TITLE = re.compile(
    r'(<p class="prev-next-title">(?:<span class="section-number">[^<]*</span>)?)([^<]+)(</p>)'
)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
_HTML_TAG = re.compile(r"<html\b([^>]*)>")
_TOC_PART = re.compile(
    r'<p aria-level="2" class="caption" role="heading">'
    r'<span class="caption-text">(?P<caption>[^<]*)</span></p>\s*<ul class="(?P<cls>[^"]*)"'
)


def _mask_pre(html: str) -> tuple[str, list[str]]:
    blocks: list[str] = []

    def hide(match: re.Match[str]) -> str:
        blocks.append(match.group(0))
        return f"\x00{len(blocks) - 1}\x00"

    return _PRE.sub(hide, html), blocks


def _unmask_pre(html: str, blocks: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: blocks[int(m.group(1))], html)


def _sub(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], html: str) -> str:
    return pattern.sub(repl, html)


def translate_page(html: str, title_en: str = "", title_fa: str = "", author_fa: str = "") -> str:
    """Write the theme's interface strings of a Persian page in Persian.

    ``title_en``/``title_fa`` are the book's title in both languages; the English
    one is replaced in ``<title>`` and in the sidebar's brand line. ``author_fa``
    replaces the footer's "By ..." line. Section, figure and exercise numbers are
    written in Persian digits. Safe to apply twice.

    >>> translate_page('<p class="admonition-title">Note</p><pre>Note</pre>')
    '<p class="admonition-title">یادداشت</p><pre>Note</pre>'
    """
    html, blocks = _mask_pre(html)
    html = _ISOLATED_UI.sub(r"\1", html)
    for old, new in MARKUP.items():
        html = html.replace(old, new)
    if title_en and title_fa:
        html = html.replace(f"&#8212; {title_en}</title>", f"&#8212; {title_fa}</title>")
        html = html.replace(
            f'<p class="title logo__title">{title_en}</p>',
            f'<p class="title logo__title">{title_fa}</p>',
        )
    html = _sub(
        _ATTRIBUTE,
        lambda m: f'{m.group(1)}="{ATTRIBUTES.get(m.group(2), m.group(2))}"',
        html,
    )
    html = _sub(_CELL_PROMPT, lambda m: m.group(1) + CELL_PROMPTS[m.group(2)] + "</p>", html)
    html = _sub(
        _SOLUTION_TO,
        lambda m: (
            f"{m.group(1)}پاسخ {m.group(2)}تمرین"
            + (f" {persian_digits(m.group(3))}" if m.group(3) else "")
            + "</a>"
        ),
        html,
    )
    html = _sub(_ADMONITION_TITLE, lambda m: m.group(1) + ADMONITIONS[m.group(2)] + "</p>", html)
    html = _sub(
        _CAPTION_NUMBER,
        lambda m: f"{m.group(1)}{NUMBERED[m.group(2)]} {persian_digits(m.group(3))} ",
        html,
    )
    html = _sub(
        _NUMREF, lambda m: f"{m.group(1)}{NUMBERED[m.group(2)]} {persian_digits(m.group(3))}<", html
    )
    html = _sub(_CONTENTS_HEADING, lambda m: f"{m.group(1)}فهرست مطالب{m.group(2)}", html)
    html = _sub(
        _AUTHOR, lambda m: f"{m.group(1)}{author_fa}{m.group(3)}" if author_fa else m.group(0), html
    )
    html = _sub(_COPYRIGHT, lambda m: f"© حق نشر {persian_digits(m.group(1))}.{m.group(2)}", html)
    # Section numbers in headings, the tables of contents and previous/next links.
    html = _sub(_SECTION_NUMBER, lambda m: m.group(1) + persian_digits(m.group(2)), html)
    html = _sub(_NUMBERED_LINK, lambda m: m.group(1) + persian_digits(m.group(2)), html)
    # The search page answers in Persian when the query comes from a Persian page.
    if 'name="lang" value="fa"' not in html:
        html = _SEARCH_FORM.sub(r'\1<input type="hidden" name="lang" value="fa">', html)
    # Titles in the tables of contents and previous/next links come from the
    # environment, not from the page's doctree: isolate their English runs here.
    for pattern in (_LINK_TEXT, _PREV_NEXT_TITLE):
        html = _sub(
            pattern, lambda m: m.group(1) + isolate_html_text(m.group(2)) + m.group(3), html
        )
    return _unmask_pre(html, blocks)


def mark_language(html: str, lang: str) -> str:
    """Set ``lang`` and ``dir`` on the ``<html>`` element (``fa`` is right to left).

    >>> mark_language('<html lang="en" data-x="1">', "fa")
    '<html lang="fa" dir="rtl" data-x="1">'
    """
    direction = "rtl" if lang == "fa" else "ltr"

    def repl(match: re.Match[str]) -> str:
        attrs = re.sub(r'\s(lang|dir)="[^"]*"', "", match.group(1))
        return f'<html lang="{lang}" dir="{direction}"{attrs}>'

    return _HTML_TAG.sub(repl, html, count=1)


def mark_toc_parts(html: str, captions: dict[str, str]) -> str:
    """Give each part of the sidebar's table of contents the language of its caption.

    ``captions`` maps a part caption (``"English"``, ``"فارسی"``) to a language
    code. The caption and its list get ``lang``, ``dir`` and ``data-cn-part``, so
    the stylesheet can show each page's own edition.
    """

    def repl(match: re.Match[str]) -> str:
        lang = captions.get(match.group("caption"))
        if lang is None:
            return match.group(0)
        attrs = f'lang="{lang}" dir="{"rtl" if lang == "fa" else "ltr"}" data-cn-part="{lang}"'
        caption = match.group("caption")
        return (
            f'<p aria-level="2" class="caption" role="heading" {attrs}>'
            f'<span class="caption-text">{caption}</span></p>\n'
            f'<ul class="{match.group("cls")}" {attrs}'
        )

    return _TOC_PART.sub(repl, html)
