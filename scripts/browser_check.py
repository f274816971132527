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


def run(
    html_dir: Path,
    shots_dir: Path,
    chromium: str = CHROMIUM,
    chapter: str = "pooling",
    searches: tuple[tuple[str, str], ...] = SEARCHES,
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
    report = run(args.html, shots, args.chromium, args.chapter)
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
