"""The browser check passes a well-formed bilingual site and catches what a reader would see."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "browser_check.py"

spec = importlib.util.spec_from_file_location("browser_check", SCRIPT)
browser_check = importlib.util.module_from_spec(spec)
sys.modules["browser_check"] = browser_check
assert spec.loader is not None
spec.loader.exec_module(browser_check)

HAS_BROWSER = Path(browser_check.CHROMIUM).exists() and importlib.util.find_spec("playwright")
needs_browser = pytest.mark.skipif(not HAS_BROWSER, reason="needs /usr/bin/chromium and playwright")

FONT_CSS = """
@font-face { font-family: "Vazirmatn"; src: url("../../fonts/Vazirmatn-Regular.woff2");
             unicode-range: U+0600-06FF, U+200C; }
body { font-family: "Vazirmatn", sans-serif; margin: 0 }
[dir=rtl] pre, [dir=rtl] code { direction: ltr; unicode-bidi: isolate }
pre { overflow-x: auto }
"""
PAGE = """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><style>{css}</style></head>
<body><article class="bd-article"><section><h1>{title}</h1><p>{text}</p>
<pre>print("a long line of code that scrolls inside its own box" * 4)</pre>
{extra}</section></article></body></html>
"""


def write_site(root: Path, fa_dir: str = "rtl", extra: str = "", text: str = "") -> Path:
    html = root / "html"
    (html / "fonts").mkdir(parents=True)
    shutil.copy(ROOT / "book" / "_static" / "fonts" / "Vazirmatn-Regular.woff2", html / "fonts")
    pages = {
        "book/index.html": ("en", "ltr", "Home", "Both editions.", ""),
        "book/en/demo.html": ("en", "ltr", "Pooling", "A pooling layer.", ""),
        "book/fa/demo.html": ("fa", fa_dir, "ادغام", text or "لایهٔ ادغام خلاصه می‌کند.", extra),
    }
    for rel, (lang, direction, title, body, more) in pages.items():
        path = html / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(lang=lang, dir=direction, css=FONT_CSS, title=title,
                                    text=body, extra=more), encoding="utf-8")  # fmt: skip
    return html


def test_pages_of_both_editions_and_their_language(tmp_path: Path) -> None:
    html = write_site(tmp_path)
    assert browser_check.pages_to_check(html) == [
        "book/index.html", "book/en/demo.html", "book/fa/demo.html",
    ]  # fmt: skip
    assert [browser_check.expected_language(p) for p in browser_check.pages_to_check(html)] == [
        "en", "en", "fa",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("prose", "found"),
    [
        (r"mean \(\frac{1}{n}\) of", [r"\(", r"\frac", r"\)"]),
        ("$$x^2$$ left over", ["$$", "$$"]),
        (r"\begin{align} a \end{align}", [r"\begin", r"\end"]),
        ("costs $5 or $10", []),
        ("the $x_i$ left over", ["$x_i$"]),
        ("plain prose, no TeX: frac, sum", []),
    ],
)
def test_raw_tex_is_found_in_prose(prose: str, found: list[str]) -> None:
    assert browser_check.raw_tex(prose) == found


def test_only_this_machine_is_local() -> None:
    assert browser_check.is_local("http://127.0.0.1:4000/book/fa/demo.html")
    assert browser_check.is_local("data:font/woff2;base64,AAAA")
    assert not browser_check.is_local("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js")
    assert not browser_check.is_local("https://fonts.googleapis.com/css2?family=Vazirmatn")


def test_the_site_is_served_over_http(tmp_path: Path) -> None:
    html = write_site(tmp_path)
    with browser_check.serve(html) as base:
        with urllib.request.urlopen(base + "book/fa/demo.html") as response:  # noqa: S310
            assert response.status == 200
            assert 'lang="fa"' in response.read().decode("utf-8")


@needs_browser
def test_a_good_site_passes_and_is_photographed(tmp_path: Path) -> None:
    html = write_site(tmp_path)
    shots = tmp_path / "shots"
    report = browser_check.run(html, shots, chapter="demo", searches=())
    assert report.failures == []
    assert report.checked == 2 * 3
    assert {p.name for p in shots.glob("*.png")} >= {
        "fa-demo-390.png", "fa-demo-1280.png", "en-demo-390-full.png", "index-1280.png",
    }  # fmt: skip


@needs_browser
def test_what_a_reader_would_see_is_caught(tmp_path: Path) -> None:
    html = write_site(
        tmp_path,
        fa_dir="ltr",  # a Persian page laid out left to right
        text=r"میانگین \(\frac{1}{n}\) بدون فونت",
        extra=(
            '<div style="width: 2000px">wide</div>'  # scrolls sideways
            "<script>console.error('boom')</script>"
            '<img src="https://cdn.example.org/logo.png" alt="">'  # leaves the machine
            '<img src="missing.png" alt="">'  # a broken local link
        ),
    )
    (html / "fonts" / "Vazirmatn-Regular.woff2").unlink()  # the font cannot load
    report = browser_check.run(html, tmp_path / "shots", chapter="demo", searches=())
    text = "\n".join(report.failures)
    for expected in (
        'dir="ltr">, expected lang="fa" dir="rtl"',
        "article direction is ltr, expected rtl",
        "raw TeX in the prose",
        "page scrolls sideways",
        "console error",
        "request to another host: https://cdn.example.org/logo.png",
        "HTTP 404",
        "Vazirmatn",
    ):
        assert expected in text, (expected, text)
    assert all(f.startswith("book/fa/demo.html") or "screenshot book/fa" in f
               for f in report.failures), text  # fmt: skip
