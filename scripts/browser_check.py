#!/usr/bin/env python3
"""Check the built book in a real browser (headless Chromium driven by Playwright).

Serves ``_build/html`` on a localhost port and opens the landing page and every
page of both editions at a desktop (1280 px) and a phone (390 px) width. On each
page it asserts:

* ``<html lang dir>`` and the computed ``direction`` of the article: ``rtl`` on
  Persian pages, ``ltr`` on English ones; code blocks, outputs, inline code and
  math are ``ltr`` everywhere;
* math is typeset: every ``.math`` element holds a MathJax container and no raw
  TeX (``\\(``, ``$$``, ``\\frac`` ...) is left in the prose;
* on Persian pages the Vazirmatn web font is loaded *and* used to draw the
  first paragraph (asked from Chromium's own font matching);
* the page does not scroll sideways (wide code and tables scroll in their box);
* no console error, uncaught exception, failed or 4xx/5xx request, and no
  request to any host but the local server (the site must work offline).

It also searches the site for a Persian and an English word and requires hits on
pages of that language, and saves screenshots of the landing page and of one
chapter in each language at both widths under ``_build/screenshots/``.

When the site ships the in-page explorers (``_static/explorers/``, see
``book/_ext/convnotes_explorers.py``) it evaluates every case of
``scripts/make_explorer_cases.py`` (computed by the convnotes package) with the
explorers' JavaScript as the site serves it, in each language; and on one page of
each language with an explorer it drives the explorer (types values in the page's
digits, picks options, steps and hovers), compares what is displayed with the
package, requires Persian digits and a right-to-left layout on Persian pages, and
photographs it at both widths. An ``{explorer}`` directive in a chapter whose built
page has no explorer is reported too.

Chromium comes from the system (``/usr/bin/chromium``, Debian's package);
Playwright's own browser downloads are never used. Exit status 0 when every
check passes, 1 otherwise (each failure on its own line).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse

from convnotes.i18n import PERSIAN_DIGITS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
#: (name, width, height) of the viewports every page is checked at.
VIEWPORTS = (("desktop", 1280, 900), ("phone", 390, 844))
PERSIAN_FONT = "Vazirmatn"
#: Words searched for on the search page, and the edition their hits must be in.
SEARCHES = (
    ("ادغام", "fa"),
    ("كانولوشن", "fa"),  # typed with an Arabic kaf: the search writes it as Persian ک
    ("pooling", "en"),
)
SCREENSHOT_MAX_HEIGHT = 5000
EXPLORERS = ("conv-arithmetic", "receptive-field", "pooling", "kernel-playground", "hyperband")
#: The explorers' scripts in the order a page loads them (the core first).
EXPLORER_SCRIPTS = (
    "explorers-core.js",
    "conv-arithmetic.js",
    "receptive-field.js",
    "pooling.js",
    "kernel-playground-data.js",
    "kernel-playground.js",
    "hyperband.js",
)
EXPLORER_CHECKER = ROOT / "tests" / "js" / "explorer-cases.js"
#: The theme's sticky bars, hidden for the photo of an explorer (they would cover its top).
STICKY_HEADERS = ".bd-header, .bd-header-article, .skip-link"
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))
_NUMBER = re.compile(r"(?<![A-Za-z_0-9۰-۹])[−-]?[0-9۰-۹][0-9۰-۹,٬.٫]*")
_DIRECTIVE = re.compile(r"^ {0,3}(?:`{3,}|:{3,})\{explorer\}\s+([\w-]+)", re.M)

#: Raw TeX that MathJax should have typeset (searched in prose, not in code).
RAW_TEX = re.compile(
    r"\\\(|\\\)|\\\[|\\\]|\$\$|\\(?:frac|sum|prod|begin|end|mathbf|mathrm|times|cdot|left|right"
    r"|alpha|sigma|partial|sqrt)\b|\$[^$\n]{0,80}[\\^_{}][^$\n]{0,80}\$"
)

_PAGE_PROBE = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  await document.fonts.ready;
  const article = document.querySelector("article.bd-article");
  const dir = (el) => getComputedStyle(el).direction;
  const describe = (el) => {
    const cls = (el.className && typeof el.className === "string")
      ? "." + el.className.trim().split(/\s+/).slice(0, 3).join(".") : "";
    return el.tagName.toLowerCase() + cls;
  };
  const ltrSelectors = [
    "pre", "div.highlight", ".cell_input", ".cell_output", "code", "mjx-container",
    "div.math", "span.math",
  ];
  const notLtr = [];
  let ltrCount = 0;
  if (article) {
    for (const el of article.querySelectorAll(ltrSelectors.join(","))) {
      ltrCount += 1;
      if (dir(el) !== "ltr") notLtr.push(describe(el));
    }
  }
  const untypeset = [];
  if (article) {
    for (const el of article.querySelectorAll("span.math, div.math")) {
      if (!el.querySelector("mjx-container")) untypeset.push(el.textContent.trim().slice(0, 60));
    }
  }
  let prose = "";
  if (article) {
    const clone = article.cloneNode(true);
    const skipped = "pre, code, script, style, mjx-container, .math, kbd";
    for (const el of clone.querySelectorAll(skipped)) el.remove();
    prose = clone.textContent;
  }
  const vw = document.documentElement.clientWidth;
  const overflowing = [];
  const scrollWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  if (scrollWidth > vw + 1) {
    // Elements inside a scrolling box or a fixed (off-canvas) panel do not widen the page.
    const contained = (el) => {
      if (getComputedStyle(el).position === "fixed") return true;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        const o = style.overflowX;
        if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
        if (style.position === "fixed") return true;
      }
      return false;
    };
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if ((r.right > vw + 1 || r.left < -1) && !contained(el)) {
        overflowing.push(describe(el) + ` [${Math.round(r.left)}..${Math.round(r.right)}]`);
        if (overflowing.length >= 6) break;
      }
    }
  }
  // The first paragraph (or heading) with Persian letters, for the font probe.
  const persian = /[\u0600-\u06FF]/;
  if (article) {
    for (const el of article.querySelectorAll("p, h1")) {
      if (persian.test(el.textContent)) { el.setAttribute("data-cn-font-probe", ""); break; }
    }
  }
  const faces = [];
  document.fonts.forEach((f) => faces.push({family: f.family.replace(/"/g, ""), status: f.status,
                                             weight: f.weight}));
  return {
    lang: document.documentElement.lang,
    htmlDir: document.documentElement.dir,
    articleDir: article ? dir(article) : null,
    ltrCount, notLtr, untypeset, prose,
    mathCount: article ? article.querySelectorAll("mjx-container").length : 0,
    scrollWidth, viewportWidth: vw, overflowing, faces,
  };
}
"""


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)
    checked: int = 0

    def fail(self, where: str, message: str) -> None:
        self.failures.append(f"{where}: {message}")


def expected_language(relpath: str) -> str:
    """The edition a page belongs to, from its path (``book/fa/...`` is Persian).

    >>> expected_language("book/fa/pooling.html"), expected_language("book/index.html")
    ('fa', 'en')
    """
    return "fa" if relpath.startswith("book/fa/") else "en"


def pages_to_check(html_dir: Path) -> list[str]:
    """Relative paths of the landing page and every page of both editions."""
    pages = ["book/index.html"]
    for lang in ("en", "fa"):
        pages += sorted(
            p.relative_to(html_dir).as_posix() for p in (html_dir / "book" / lang).glob("*.html")
        )
    return pages


def raw_tex(prose: str) -> list[str]:
    """Pieces of untypeset TeX in rendered prose.

    >>> raw_tex(r"the mean \\(\\frac{1}{n}\\) and $$x$$")
    ['\\\\(', '\\\\frac', '\\\\)', '$$', '$$']
    >>> raw_tex("costs 5 dollars, not $")
    []
    """
    return [m.group(0) for m in RAW_TEX.finditer(prose)]


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (the check's own server, data: URLs).

    >>> is_local("http://127.0.0.1:8000/_static/x.css"), is_local("https://cdn.jsdelivr.net/x.js")
    (True, False)
    """
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in (
        "127.0.0.1",
        "localhost",
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # The browser drops connections it no longer needs (a page left mid-load).
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on a free localhost port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _fonts_drawing(page, selector: str) -> list[str]:  # noqa: ANN001 - playwright Page
    """Families Chromium actually used to draw the text of the first ``selector`` match."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            return []
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return [font["familyName"] for font in fonts if font.get("glyphCount", 0) > 0]
    finally:
        cdp.detach()


def check_page(page, url: str, where: str, lang: str, report: Report) -> dict:  # noqa: ANN001
    page.goto(url, wait_until="load")
    probe = page.evaluate(_PAGE_PROBE)
    report.checked += 1
    direction = "rtl" if lang == "fa" else "ltr"
    if probe["lang"] != lang or probe["htmlDir"] != direction:
        report.fail(
            where,
            f'<html lang="{probe["lang"]}" dir="{probe["htmlDir"]}">, '
            f'expected lang="{lang}" dir="{direction}"',
        )
    if probe["articleDir"] is None:
        report.fail(where, "no article element")
    elif probe["articleDir"] != direction:
        report.fail(where, f"article direction is {probe['articleDir']}, expected {direction}")
    if probe["notLtr"]:
        report.fail(
            where,
            f"{len(probe['notLtr'])} code/output/math elements are not ltr: {probe['notLtr'][:4]}",
        )
    if probe["untypeset"]:
        report.fail(where, f"math not typeset: {probe['untypeset'][:3]}")
    tex = raw_tex(probe["prose"])
    if tex:
        report.fail(where, f"raw TeX in the prose: {tex[:5]}")
    if probe["overflowing"] or probe["scrollWidth"] > probe["viewportWidth"] + 1:
        report.fail(
            where,
            f"page scrolls sideways: {probe['scrollWidth']} px content in a "
            f"{probe['viewportWidth']} px viewport; wide elements: "
            f"{probe['overflowing']}",
        )
    if lang == "fa":
        loaded = [
            f for f in probe["faces"] if f["family"] == PERSIAN_FONT and f["status"] == "loaded"
        ]
        if not loaded:
            report.fail(where, f"the {PERSIAN_FONT} web font was not loaded: {probe['faces']}")
        used = _fonts_drawing(page, "[data-cn-font-probe]")
        if PERSIAN_FONT not in used:
            report.fail(where, f"Persian text is drawn with {used}, not {PERSIAN_FONT}")
    return probe


def check_search(  # noqa: ANN001
    page, base: str, report: Report, searches=SEARCHES, shots_dir: Path | None = None
) -> None:
    for number, (word, lang) in enumerate(searches, start=1):
        page.goto(f"{base}search.html?q={quote(word)}&lang={lang}", wait_until="load")
        try:
            page.wait_for_function(
                "() => { const s = document.querySelector('#search-results .search-summary, "
                "#search-results p'); return s && s.textContent.trim().length > 0 && "
                "!document.querySelector('#search-progress')?.textContent.includes('Preparing'); }",
                timeout=15000,
            )
            page.wait_for_timeout(300)
        except Exception:  # noqa: BLE001 - report, do not crash
            report.fail(f"search {word!r}", "the search page never finished")
            continue
        hrefs = page.eval_on_selector_all(
            "#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))"
        )
        hits = [h for h in hrefs if h and f"book/{lang}/" in h]
        direction = page.evaluate("document.documentElement.dir")
        if not hits:
            report.fail(f"search {word!r}", f"no result on a {lang} page (results: {hrefs[:6]})")
        elif f"book/{lang}/" not in hrefs[0]:
            report.fail(f"search {word!r}", f"the first result is not a {lang} page: {hrefs[:3]}")
        if direction != ("rtl" if lang == "fa" else "ltr"):
            report.fail(f"search {word!r}", f"the {lang} search page is laid out {direction}")
        summary = page.evaluate(
            "document.querySelector('#search-results .search-summary')?.textContent || ''"
        )
        if lang == "fa" and any(c.isascii() and c.isdigit() for c in summary):
            report.fail(f"search {word!r}", f"Latin digits in the Persian summary: {summary!r}")
        if shots_dir is not None:
            page.screenshot(path=str(shots_dir / f"search-{number}-{lang}.png"))
        else:
            print(f"search {word!r}: {len(hits)} {lang} pages of {len(hrefs)} results")


def screenshot(page, url: str, path: Path) -> None:  # noqa: ANN001
    page.goto(url, wait_until="load")
    page.evaluate(
        "async () => { if (window.MathJax?.startup?.promise) await MathJax.startup.promise;"
        " await document.fonts.ready; }"
    )
    page.screenshot(path=str(path))
    # The whole page (up to a limit): the viewport is made as tall as the page, which
    # lays the page out as a reader scrolling it sees it (Chromium's own full-page
    # capture shifts the theme's sticky sidebar).
    viewport = dict(page.viewport_size)
    height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT)
    page.set_viewport_size({"width": viewport["width"], "height": height})
    page.wait_for_timeout(200)
    page.screenshot(path=str(path.with_name(path.stem + "-full.png")))
    page.set_viewport_size(viewport)


# ------------------------------------------------------------------ explorers --
def explorer_pages(html_dir: Path, pages: list[str]) -> dict[str, dict[str, str]]:
    """The first page of each language that shows each explorer: {name: {lang: relpath}}."""
    found: dict[str, dict[str, str]] = {}
    for relpath in pages:
        text = (html_dir / relpath).read_text(encoding="utf-8")
        for name in re.findall(r'data-cn-explorer="([\w-]+)"', text):
            found.setdefault(name, {}).setdefault(expected_language(relpath), relpath)
    return found


def explorer_directives(root: Path = ROOT) -> set[tuple[str, str]]:
    """(explorer, language) of every ``{explorer}`` directive in the chapters.

    >>> sorted(explorer_directives(Path("/nonexistent")))
    []
    """
    found = set()
    for lang in ("en", "fa"):
        for path in sorted((root / "book" / lang).glob("*.md")):
            for name in _DIRECTIVE.findall(path.read_text(encoding="utf-8")):
                found.add((name, lang))
    return found


#: Persian digits, decimal separator and minus back to ASCII (the one digit table, reversed).
_LATIN_DIGITS = str.maketrans(PERSIAN_DIGITS + "٫−", "0123456789.-")


def page_numbers(text: str) -> list[float]:
    """The numbers in a displayed text, in Latin or Persian digits.

    >>> page_numbers("۳۰ آزمایش، ۲۲ پیکربندی، ۱٬۲۰۰ دوره؛ \u2066−۲٫۵\u2069")
    [30.0, 22.0, 1200.0, -2.5]
    """
    out = []
    for token in _NUMBER.findall(text.translate(_ISOLATES)):
        token = token.translate(_LATIN_DIGITS)
        out.append(float(token.replace(",", "").replace("٬", "").rstrip(".")))
    return out


def short_number(value: float, lang: str) -> str:
    """A value as the explorers show it: integers whole, else up to 3 decimals.

    >>> short_number(3.5, "fa"), short_number(2.0, "en"), short_number(-1.25, "en")
    ('۳٫۵', '2', '-1.25')
    """
    from convnotes.i18n import format_number

    if float(value).is_integer():
        return format_number(int(value), lang)
    return _localize(f"{value:,.3f}".rstrip("0").rstrip("."), lang)


def _localize(text: str, lang: str) -> str:
    from convnotes.i18n import localize_digits

    return localize_digits(text, lang)


def _shown(locator) -> str:  # noqa: ANN001 - playwright Locator
    return locator.inner_text().translate(_ISOLATES).strip()


def _fill(ex, field: str, value: object, lang: str) -> None:  # noqa: ANN001
    ex.locator(f'[data-cn-field="{field}"]').fill(_localize(str(value), lang))


def _pick(ex, field: str, value: str) -> None:  # noqa: ANN001
    ex.locator(f'[data-cn-field="{field}"]').select_option(value)


def _expect(problems: list[str], what: str, shown: object, wanted: object) -> None:
    if shown != wanted:
        problems.append(f"{what}: shows {shown!r}, convnotes gives {wanted!r}")


def _error_text(call) -> str:  # noqa: ANN001
    try:
        call()
    except (TypeError, ValueError) as error:
        return str(error)
    return "(no error)"


def _drive_conv_arithmetic(ex, lang: str) -> list[str]:  # noqa: ANN001
    from convnotes import conv
    from convnotes.i18n import format_number as num

    problems: list[str] = []
    _pick(ex, "padding-h", "same")
    for name, value in (("n-h", 7), ("k-h", 3), ("s-h", 2), ("d-h", 1)):
        _fill(ex, name, value, lang)
    out = conv.output_size(7, 3, "same", 2, 1)
    before, after = conv.padding_amounts(7, 3, "same", 2, 1)
    for axis in "hw":  # the width follows the height while the axes are linked
        result = ex.locator(f'[data-cn-result="{axis}"]')
        _expect(
            problems, f"o ({axis})", _shown(result.locator('[data-cn-out="out"]')), num(out, lang)
        )
        zeros = _shown(result.locator('[data-cn-out="zeros"]'))
        _expect(problems, f"zeros ({axis})", zeros, f"{num(before, lang)} + {num(after, lang)}")
    for _ in range(2):
        ex.locator('[data-cn-field="next"]').click()
    position = page_numbers(_shown(ex.locator('[data-cn-out="position"]')))
    _expect(problems, "position after two steps", position[:2], [3.0, float(out * out)])
    _pick(ex, "padding-h", "explicit")
    for name, value in (("n-h", 5), ("pb-h", 2), ("pa-h", 0)):
        _fill(ex, name, value, lang)
    shown = _shown(ex.locator('[data-cn-result="h"] [data-cn-out="out"]'))
    _expect(problems, "o (explicit 2 + 0)", shown, num(conv.output_size(7, 3, "valid", 2), lang))
    _pick(ex, "padding-h", "valid")
    for name, value in (("n-h", 2), ("k-h", 5), ("s-h", 1)):
        _fill(ex, name, value, lang)
    message = _shown(ex.locator('[data-cn-result="h"] [data-cn-out="message"]'))
    wanted = _error_text(lambda: conv.output_size(2, 5, "valid", 1, 1))
    _expect(problems, "refusal", message, wanted)
    return problems


def _drive_receptive_field(ex, lang: str) -> list[str]:  # noqa: ANN001
    from convnotes import conv
    from convnotes.i18n import format_number as num

    problems: list[str] = []
    _pick(ex, "preset", "dilation")
    ks, ss, ds = [3, 3, 3, 3], [1, 1, 1, 1], [1, 2, 4, 8]
    ex.locator('[data-cn-field="add-pool"]').click()  # a 2x2 pooling on top
    ks, ss, ds = [*ks, 2], [*ss, 2], [*ds, 1]
    for i, (reach, jump) in enumerate(conv.receptive_field_growth(ks, ss, ds)):
        _expect(
            problems,
            f"field {i}",
            _shown(ex.locator(f'[data-cn-out="field-{i}"]')),
            num(reach, lang),
        )
        _expect(
            problems, f"jump {i}", _shown(ex.locator(f'[data-cn-out="jump-{i}"]')), num(jump, lang)
        )
    total = _shown(ex.locator('[data-cn-out="field"]'))
    _expect(problems, "receptive field", total, num(conv.receptive_field(ks, ss, ds), lang))
    _fill(ex, "k-0", 0, lang)
    wanted = _error_text(lambda: conv.receptive_field_growth([0, *ks[1:]], ss, ds))
    _expect(problems, "refusal", _shown(ex.locator('[data-cn-out="message"]')), wanted)
    return problems


def _drive_pooling(ex, lang: str) -> list[str]:  # noqa: ANN001
    import numpy as np

    from convnotes import pooling
    from convnotes.conv import padding_amounts

    problems: list[str] = []
    cells = ex.locator('[data-cn-field^="x-"]')
    values = [page_numbers(cells.nth(i).input_value())[0] for i in range(cells.count())]
    x = np.array(values).reshape(6, -1)
    _pick(ex, "mode", "average")
    _pick(ex, "padding", "same")
    _fill(ex, "pool-h", 4, lang)
    _fill(ex, "pool-w", 4, lang)
    want = pooling.pool2d(x, 4, padding="same", mode="average")
    for (i, j), value in np.ndenumerate(want):
        shown = _shown(ex.locator(f'[data-cn-out="y-{i}-{j}"]'))
        _expect(problems, f"average ({i}, {j})", shown, short_number(float(value), lang))
    ex.locator('[data-cn-out="y-0-0"]').hover()
    before = padding_amounts(6, 4, "same", 4)[0]
    real = (4 - before) * (4 - padding_amounts(x.shape[1], 4, "same", 4)[0])
    lit = ex.locator(".cn-ex-map:not(.cn-ex-map-out) .cn-ex-hl").count()
    _expect(problems, "highlighted window of (0, 0)", lit, real)
    _pick(ex, "layer", "adaptive")
    _pick(ex, "mode", "max")
    _fill(ex, "out-h", 4, lang)
    _fill(ex, "out-w", 4, lang)
    want = pooling.adaptive_pool2d(x, (4, 4), "max")
    for (i, j), value in np.ndenumerate(want):
        shown = _shown(ex.locator(f'[data-cn-out="y-{i}-{j}"]'))
        _expect(problems, f"adaptive max ({i}, {j})", shown, short_number(float(value), lang))
    ex.locator('[data-cn-out="y-1-2"]').focus()
    rows, cols = pooling.adaptive_bins(6, 4), pooling.adaptive_bins(x.shape[1], 4)
    size = int((rows[1][1] - rows[0][1]) * (cols[1][2] - cols[0][2]))
    lit = ex.locator(".cn-ex-map:not(.cn-ex-map-out) .cn-ex-hl").count()
    _expect(problems, "highlighted bin of (1, 2)", lit, size)
    return problems


def _canvas(ex, name: str) -> list[int]:  # noqa: ANN001
    return ex.locator(f'[data-cn-out="canvas-{name}"]').evaluate(
        "c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data)"
        ".filter((_, i) => i % 4 === 0)"
    )


def _drive_kernel_playground(ex, lang: str) -> list[str]:  # noqa: ANN001
    import cv2

    from convnotes import filters

    cases = _make_explorer_cases()
    problems: list[str] = []
    image = cases.photo_pixels("coffee")
    _pick(ex, "photo", "coffee")
    _pick(ex, "kernel", "laplacian")
    _pick(ex, "border", "constant")
    kernel = filters.get_kernel("laplacian")
    flag = filters.BORDER_MODES["constant"]
    clipped = cv2.filter2D(image, -1, kernel, borderType=flag)
    if _canvas(ex, "uint8") != clipped.ravel().tolist():
        problems.append(
            "the uint8 image is not cv2.filter2D(image, -1, laplacian, BORDER_CONSTANT)"
        )
    if _canvas(ex, "input") != image.ravel().tolist():
        problems.append("the input image is not the shipped photo")
    ex.locator('[data-cn-out="canvas-float"]').focus()
    for key in ("ArrowRight", "ArrowDown", "ArrowDown"):
        ex.locator('[data-cn-out="canvas-float"]').press(key)
    exact = filters.apply_filter(image, "laplacian", border="constant")
    probe = page_numbers(_shown(ex.locator('[data-cn-out="probe"]')))
    r, c = 66, 65
    wanted = [r, c, int(image[r, c]), round(float(exact[r, c]), 3), int(clipped[r, c])]
    if (
        len(probe) != 5
        or probe[:3] + probe[4:] != wanted[:3] + wanted[4:]
        or abs(probe[3] - wanted[3]) > 1e-3
    ):
        problems.append(f"probe reads {probe}, convnotes gives {wanted}")
    _fill(ex, "w-1-1", 5, lang)  # a typed kernel: the Laplacian's centre made 5
    typed = kernel.copy()
    typed[1, 1] = 5
    if _canvas(ex, "uint8") != cv2.filter2D(image, -1, typed, borderType=flag).ravel().tolist():
        problems.append("the uint8 image of a typed kernel is not cv2.filter2D's")
    return problems


def _drive_hyperband(ex, lang: str) -> list[str]:  # noqa: ANN001
    from convnotes.tuning import schedule

    problems: list[str] = []
    _fill(ex, "maxEpochs", 81, lang)
    _fill(ex, "factor", 3, lang)
    _fill(ex, "iterations", 1, lang)
    kt, paper = schedule.keras_tuner_schedule(81, 3), schedule.paper_schedule(81, 3)
    shown = page_numbers(_shown(ex.locator('[data-cn-out="kt-summary"]')))
    _expect(problems, "keras-tuner totals", shown, [kt.trials, kt.configurations, kt.epochs])
    shown = page_numbers(_shown(ex.locator('[data-cn-out="paper-summary"]')))
    want = [paper.configurations, paper.trials, paper.epochs, paper.epochs_from_scratch]
    _expect(problems, "paper totals", shown, want)
    rows = ex.locator('[data-cn-schedule="kt"] tbody tr')
    table = [page_numbers(_shown(rows.nth(i))) for i in range(rows.count())]
    want = [[r.bracket, r.round, r.models, r.initial_epoch, r.epochs, r.epochs_resumed]
            for r in kt.rounds]  # fmt: skip
    _expect(problems, "keras-tuner rounds", table, want)
    _fill(ex, "factor", 1, lang)
    message = _shown(ex.locator('[data-cn-schedule="kt"] [data-cn-out="message"]'))
    _expect(problems, "refusal", message, _error_text(lambda: schedule.keras_tuner_schedule(81, 1)))
    return problems


_DRIVERS = {
    "conv-arithmetic": _drive_conv_arithmetic,
    "receptive-field": _drive_receptive_field,
    "pooling": _drive_pooling,
    "kernel-playground": _drive_kernel_playground,
    "hyperband": _drive_hyperband,
}

#: Text in a Persian explorer with Latin digits outside code and identifiers (CC0, uint8).
_LATIN_DIGITS_PROBE = r"""
(el) => {
  const strip = (t) => t.replace(/[A-Za-z_][A-Za-z0-9_.=-]*/g, "");
  const bad = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest("code, script, style, option")) continue;
    if (/[0-9]/.test(strip(node.textContent))) bad.push(node.textContent.trim().slice(0, 60));
  }
  for (const o of el.querySelectorAll("option")) {
    if (/[0-9]/.test(strip(o.textContent))) bad.push("option " + o.textContent.trim());
  }
  for (const i of el.querySelectorAll("input[type=text]")) {
    if (/[0-9]/.test(i.value)) bad.push("input " + i.value);
  }
  return bad;
}
"""


def _make_explorer_cases():  # noqa: ANN202
    """scripts/make_explorer_cases.py as a module (scripts/ is not a package)."""
    import importlib.util

    name = "convnotes_make_explorer_cases"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, ROOT / "scripts" / "make_explorer_cases.py"
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def evaluate_explorer_cases(page, base: str, cases_text: str) -> dict:  # noqa: ANN001
    """Run every case against the explorers' scripts as the site serves them, on ``page``."""
    urls = [f"{base}_static/explorers/{name}" for name in EXPLORER_SCRIPTS]
    page.evaluate(
        """async (urls) => {
          for (const url of urls) {
            const file = url.split("/").pop();
            const loaded = (s) => s.src.split("?")[0].endsWith("/" + file);
            if ([...document.scripts].some(loaded)) continue;
            await new Promise((done, fail) => {
              const script = document.createElement("script");
              script.src = url; script.onload = done; script.onerror = () => fail(url);
              document.head.append(script);
            });
          }
        }""",
        urls,
    )
    page.add_script_tag(content=EXPLORER_CHECKER.read_text(encoding="utf-8"))
    return page.evaluate(
        "(text) => ConvnotesExplorerCheck.checkAll(ConvnotesExplorers, JSON.parse(text))",
        cases_text,
    )


def check_explorers(  # noqa: ANN001
    page, base: str, html_dir: Path, pages: list[str], report: Report, shots_dir: Path,
    width: int, cases_path: Path | None = None, drive: bool = True, source: Path = ROOT,
) -> None:  # fmt: skip
    """The explorers agree with convnotes in the browser and read in each page's language."""
    if not (html_dir / "_static" / "explorers" / "explorers-core.js").exists():
        return
    found = explorer_pages(html_dir, pages)
    if drive:
        for name, lang in sorted(explorer_directives(source)):
            if lang not in found.get(name, {}):
                report.fail(
                    "explorers", f"{{explorer}} {name} is in book/{lang} but on no built page"
                )
        cases = cases_path or _make_explorer_cases().write_cases(
            html_dir.parent / "explorer-cases.json"
        )
        cases_text = cases.read_text(encoding="utf-8")
        for lang in ("en", "fa"):
            relpath = next((p[lang] for p in found.values() if lang in p), "book/index.html")
            where = f"explorer cases on {relpath}"
            page.goto(base + relpath, wait_until="load")
            result = evaluate_explorer_cases(page, base, cases_text)
            for name in EXPLORERS:
                if not result["counts"].get(name):
                    report.fail(where, f"no {name} cases were compared")
                for failure in result["failures"].get(name, []):
                    report.fail(where, f"{name}: {failure}")
            report.checked += 1
    for name, by_lang in sorted(found.items()):
        for lang, relpath in sorted(by_lang.items()):
            where = f"explorer {name} on {relpath} @{width}px"
            page.goto(base + relpath, wait_until="load")
            ex = page.locator(f'.cn-explorer[data-cn-explorer="{name}"]').first
            try:
                ex.wait_for(state="visible", timeout=5000)
            except Exception:  # noqa: BLE001 - report, do not crash
                report.fail(where, "the explorer stayed hidden (its script did not mount it)")
                continue
            direction = ex.evaluate("el => getComputedStyle(el).direction")
            if direction != ("rtl" if lang == "fa" else "ltr"):
                report.fail(where, f"laid out {direction}")
            if drive and name in _DRIVERS:
                try:
                    problems = _DRIVERS[name](ex, lang)
                except Exception as error:  # noqa: BLE001 - a broken page must not stop the check
                    problems = [f"could not be driven: {error}"]
                for problem in problems:
                    report.fail(where, problem)
            if lang == "fa":
                latin = ex.evaluate(_LATIN_DIGITS_PROBE)
                if latin:
                    report.fail(where, f"Latin digits on a Persian page: {latin[:4]}")
            # The theme's sticky header would cover the top of the explorer in the photo.
            page.add_style_tag(content=f"{STICKY_HEADERS} {{ visibility: hidden !important; }}")
            ex.scroll_into_view_if_needed()
            ex.screenshot(path=str(shots_dir / f"explorer-{name}-{lang}-{width}.png"))


def run(
    html_dir: Path,
    shots_dir: Path,
    chromium: str = CHROMIUM,
    chapter: str = "pooling",
    searches: tuple[tuple[str, str], ...] = SEARCHES,
    explorer_cases: Path | None = None,
) -> Report:
    """Check every page of the site in ``html_dir``; screenshots of ``chapter`` in ``shots_dir``."""
    from playwright.sync_api import sync_playwright

    report = Report()
    pages = pages_to_check(html_dir)
    shots_dir.mkdir(parents=True, exist_ok=True)
    current = {"where": ""}  # the page being checked, for the event handlers' reports

    def on_route(route) -> None:  # noqa: ANN001
        if is_local(route.request.url):
            route.continue_()
        else:
            report.fail(current["where"], f"request to another host: {route.request.url}")
            route.abort()

    def on_console(message) -> None:  # noqa: ANN001
        if message.type == "error":
            report.fail(current["where"], f"console error: {message.text}")

    def on_page_error(error) -> None:  # noqa: ANN001
        report.fail(current["where"], f"uncaught exception: {error}")

    def on_response(response) -> None:  # noqa: ANN001
        if response.status >= 400:
            report.fail(current["where"], f"HTTP {response.status} for {response.url}")

    def on_failed(request) -> None:  # noqa: ANN001
        # ERR_ABORTED: cancelled because the check moved on to the next page (a late
        # favicon); requests to other hosts are reported by on_route.
        if is_local(request.url) and "ERR_ABORTED" not in str(request.failure):
            report.fail(current["where"], f"request failed: {request.url} ({request.failure})")

    with serve(html_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for name, width, height in VIEWPORTS:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", on_route)
            page = context.new_page()
            page.on("console", on_console)
            page.on("pageerror", on_page_error)
            page.on("response", on_response)
            page.on("requestfailed", on_failed)
            for relpath in pages:
                current["where"] = f"{relpath} @{width}px"
                lang = expected_language(relpath)
                check_page(page, base + relpath, current["where"], lang, report)
            current["where"] = f"search @{width}px"
            if name == "desktop":
                check_search(page, base, report, searches, shots_dir)
            current["where"] = f"explorers @{width}px"
            check_explorers(page, base, html_dir, pages, report, shots_dir, width,
                            cases_path=explorer_cases, drive=name == "desktop")  # fmt: skip
            for relpath in (
                "book/index.html",
                f"book/en/{chapter}.html",
                f"book/fa/{chapter}.html",
            ):
                current["where"] = f"screenshot {relpath} @{width}px"
                stem = relpath.replace("book/", "").replace("/", "-").removesuffix(".html")
                screenshot(page, base + relpath, shots_dir / f"{stem}-{width}.png")
            context.close()
        browser.close()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=None,
        help="folder for the screenshots (default: _build/screenshots next to html)",
    )
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--chapter", default="pooling", help="chapter to screenshot")
    parser.add_argument(
        "--explorer-cases",
        type=Path,
        default=None,
        help="cases from scripts/make_explorer_cases.py (default: computed afresh)",
    )
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        print(
            f"browser check: no Chromium at {args.chromium}; install Debian's package "
            "(apt-get install -y chromium) or pass --chromium PATH"
        )
        return 1
    try:
        import playwright  # noqa: F401
    except ImportError:
        print(
            "browser check: the Python package 'playwright' is missing (pinned in "
            "requirements.txt; do not run 'playwright install', the system Chromium is used)"
        )
        return 1
    if not (args.html / "index.html").exists():
        print(f"browser check: no built site at {args.html} (run make book first)")
        return 1
    shots = args.screenshots or args.html.parent / "screenshots"
    start = time.monotonic()
    report = run(args.html, shots, args.chromium, args.chapter, explorer_cases=args.explorer_cases)
    for failure in report.failures:
        print(failure)
    verdict = "FAILED" if report.failures else "passed"
    print(
        f"browser check {verdict}: {report.checked} page loads at {len(VIEWPORTS)} widths, "
        f"{len(report.failures)} problems, {time.monotonic() - start:.0f} s; "
        f"screenshots in {shots}"
    )
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
