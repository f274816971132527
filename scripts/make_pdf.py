#!/usr/bin/env python3
"""Print each edition of the built book to one PDF with headless Chromium.

    python scripts/make_pdf.py [--html _build/html] [--lang en fa] [--jobs 2]

writes ``<html>/pdf/convnotes-en.pdf`` and ``<html>/pdf/convnotes-fa.pdf``, which the
landing page and the status page link to. A TeX toolchain would add gigabytes to CI and
still need a Persian setup (xelatex, bidi, a Persian font); the HTML pages already are
typeset right to left in Vazirmatn, with MathJax, so they are printed as they are:

1. ``_build/html`` is served on ``127.0.0.1`` (web fonts and MathJax load as on the site);
2. Chromium prints every page of the edition, in the order of ``_toc.yml``, with the
   book's print style sheet (``book/_ext/publish_static/convnotes_publish.css``: A4,
   only the article, solutions printed open);
3. a title page with the contents (chapter, page) is printed last, once the page counts
   are known; page numbers (Persian digits in the Persian edition) are stamped on;
4. pypdf merges the pages, adds one bookmark per chapter, sets the document language
   and, for Persian, right-to-left page order, and turns links into the PDF's own pages
   (a link to a chapter of the edition) or into links to the online book.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_notebooks  # noqa: E402  (the sibling script: toc order, repository URLs)

from convnotes.i18n import Text, persian_digits  # noqa: E402

ROOT = make_notebooks.ROOT
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-extensions",
    "--hide-scrollbars",
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=30000",
)
EDITION = Text("English edition", "ویرایش فارسی")
#: The Persian edition's title, as book/_ext/convnotes_book.py (TITLE_FA) gives it to its pages.
TITLE_FA = "convnotes: کانولوشن، ادغام و شبکه‌های کانولوشنی"
CONTENTS = Text("Contents", "فهرست")
BUILT = Text(
    "Version {version}, built {date} from commit {commit}.",
    "نسخهٔ {version}، ساخته‌شده در {date} از کامیت {commit}.",
)
ONLINE = Text(
    "Read online, run the chapters as notebooks, and see how this edition was built at",
    "نسخهٔ برخط، نوت‌بوک فصل‌ها و گزارش ساخت این ویرایش:",
)
LICENCE = Text(
    "Code: MIT licence. Prose and figures: CC BY 4.0.", "کد: مجوز MIT. متن و شکل‌ها: CC BY 4.0."
)


def find_chromium() -> str:
    for name in (
        os.environ.get("CHROMIUM"),
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ):
        if name and shutil.which(name):
            return shutil.which(name)  # type: ignore[return-value]
    raise FileNotFoundError(
        "Chromium not found: install it (Debian: apt-get install chromium) "
        "or set CHROMIUM to its path"
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free local port for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def print_to_pdf(chromium: str, url: str, out: Path, timeout: float = 240) -> Path:
    """One page to one PDF (each Chromium gets its own profile, so several can run)."""
    with tempfile.TemporaryDirectory(prefix="convnotes-chromium-") as profile:
        done = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", url],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise RuntimeError(f"Chromium could not print {url}: {done.stderr[-2000:]}")
    return out


def page_title(page: Path) -> str:
    """The first ``<h1>`` of a built page as text, with its section number."""
    text = page.read_text(encoding="utf-8")
    match = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.DOTALL)
    if match is None:
        return page.stem
    inner = re.sub(r'<a class="headerlink".*?</a>', "", match.group(1), flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()


def digits(number: int | str, lang: str) -> str:
    return persian_digits(str(number)) if lang == "fa" else str(number)


def _font_faces(prefix: str) -> str:
    return "".join(
        f'@font-face{{font-family:"Vazirmatn";src:url("{prefix}_static/fonts/Vazirmatn-{w}.woff2")'
        f' format("woff2");font-weight:{weight};}}'
        for w, weight in (("Regular", "100 599"), ("Bold", "600 900"))
    )


def title_page_html(
    lang: str,
    title: str,
    chapters: list[tuple[str, int]],
    *,
    version: str,
    commit: str,
    date: str,
    site_url: str,
) -> str:
    """The first page: title, edition, provenance and the contents with page numbers."""
    direction = "rtl" if lang == "fa" else "ltr"
    rows = "".join(
        f'<li><span class="t">{html.escape(name)}</span><span class="dots"></span>'
        f'<span class="n">{digits(page, lang)}</span></li>'
        for name, page in chapters
    )
    built = BUILT[lang].format(
        version=digits(version, lang),
        date=digits(date, lang),
        commit=f'<bdi dir="ltr">{html.escape(commit)}</bdi>',
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
{_font_faces("../../")}
@page {{ size: A4; margin: 22mm 20mm; }}
body {{ font-family: "Vazirmatn", "DejaVu Sans", sans-serif; color: #1f2328; }}
h1 {{ font-size: 26pt; margin: 30mm 0 4mm; line-height: 1.3; }}
.edition {{ font-size: 15pt; color: #0b7285; margin: 0 0 10mm; }}
.meta {{ font-size: 10pt; color: #57606a; line-height: 1.7; }}
h2 {{ font-size: 14pt; margin: 14mm 0 4mm; }}
ol {{ list-style: none; padding: 0; margin: 0; font-size: 11.5pt; }}
li {{ display: flex; align-items: baseline; gap: 2mm; margin: 2.2mm 0; }}
.dots {{ flex: 1; border-bottom: 1px dotted #8c959f; }}
a {{ color: inherit; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="edition">{EDITION[lang]}</p>
<p class="meta">{built}<br>{ONLINE[lang]} <bdi dir="ltr"><a href="{site_url}">{site_url}</a></bdi>
<br>{LICENCE[lang]}</p>
<h2>{CONTENTS[lang]}</h2>
<ol>{rows}</ol>
</body></html>
"""


def page_numbers_html(first: int, count: int, lang: str) -> str:
    """``count`` blank A4 pages numbered from ``first`` at the bottom, to stamp onto the book."""
    pages = "".join(
        f'<div class="p"><span>{digits(first + i, lang)}</span></div>' for i in range(count)
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><style>
{_font_faces("../../")}
@page {{ size: A4; margin: 0; }}
html, body {{ margin: 0; }}
.p {{ height: 297mm; display: flex; align-items: flex-end; justify-content: center;
      break-after: page; font: 9pt "Vazirmatn", "DejaVu Sans", sans-serif; color: #57606a; }}
.p span {{ margin-bottom: 9mm; }}
</style></head><body>{pages}</body></html>
"""


def _git_commit(root: Path) -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return os.environ.get("GITHUB_SHA", "")[:7] or done.stdout.strip() or "unknown"


def _relink(writer: object, base: str, pages: dict[str, int], site_url: str) -> int:
    """Point links at the PDF's own chapters, or at the online book; returns links changed."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    changed = 0
    for page in writer.pages:  # type: ignore[attr-defined]
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if not uri or not str(uri).startswith(base):
                continue
            parts = urlsplit(str(uri))
            path = unquote(parts.path).lstrip("/")
            docname = path.removesuffix(".html")
            if docname in pages:
                target = writer.pages[pages[docname]].indirect_reference  # type: ignore[attr-defined]
                annotation[NameObject("/A")] = DictionaryObject(
                    {
                        NameObject("/S"): NameObject("/GoTo"),
                        NameObject("/D"): ArrayObject([target, NameObject("/Fit")]),
                    }
                )
            else:
                online = site_url + path + (f"#{parts.fragment}" if parts.fragment else "")
                action.get_object()[NameObject("/URI")] = TextStringObject(online)
            changed += 1
    return changed


def build_edition(
    lang: str,
    html_dir: Path,
    out: Path,
    *,
    chromium: str,
    base: str,
    work: Path,
    jobs: int,
    root: Path = ROOT,
) -> Path:
    """Print, number, bookmark and merge one edition into ``out``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    docs = [
        f"book/{lang}/{page}"
        for page_lang, page in make_notebooks.toc_pages(root)
        if page_lang == lang and (html_dir / f"book/{lang}/{page}.html").exists()
    ]
    if not docs:
        raise FileNotFoundError(f"no built pages of the {lang} edition under {html_dir}")
    pdfs = [work / f"{lang}-{i:02d}.pdf" for i in range(len(docs))]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(
            pool.map(
                lambda pair: print_to_pdf(chromium, base + pair[0] + ".html", pair[1]),
                zip(docs, pdfs, strict=True),
            )
        )
    readers = [PdfReader(path) for path in pdfs]
    counts = [len(reader.pages) for reader in readers]
    # Every chapter of an edition is numbered (_toc.yml: numbered), from 1 in each edition.
    titles = [
        f"{digits(i + 1, lang)}. {page_title(html_dir / f'{doc}.html')}"
        for i, doc in enumerate(docs)
    ]

    config_title = (
        TITLE_FA
        if lang == "fa"
        else make_notebooks.yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")).get(
            "title", "convnotes"
        )
    )
    repo = make_notebooks.Repository.from_config(root)
    starts, page = [], 2  # page 1 is the title page
    for count in counts:
        starts.append(page)
        page += count
    stage = html_dir / "pdf" / "_print"
    stage.mkdir(parents=True, exist_ok=True)
    (stage / f"title-{lang}.html").write_text(
        title_page_html(
            lang,
            config_title,
            list(zip(titles, starts, strict=True)),
            version=make_notebooks.package_version(root),
            commit=_git_commit(root),
            date=dt.date.today().isoformat(),
            site_url=repo.site_url,
        ),
        encoding="utf-8",
    )
    (stage / f"numbers-{lang}.html").write_text(
        page_numbers_html(2, sum(counts), lang), encoding="utf-8"
    )
    title_pdf, numbers_pdf = work / f"{lang}-title.pdf", work / f"{lang}-numbers.pdf"
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(
            pool.map(
                lambda pair: print_to_pdf(chromium, base + pair[0], pair[1]),
                [
                    (f"pdf/_print/title-{lang}.html", title_pdf),
                    (f"pdf/_print/numbers-{lang}.html", numbers_pdf),
                ],
            )
        )

    writer = PdfWriter()
    writer.append(PdfReader(title_pdf), pages=(0, 1))
    for reader in readers:
        writer.append(reader)
    numbers = PdfReader(numbers_pdf)
    for index in range(1, len(writer.pages)):
        writer.pages[index].merge_page(numbers.pages[index - 1])
        writer.pages[index].compress_content_streams()  # merging leaves them uncompressed
    for title, start in zip(titles, starts, strict=True):
        writer.add_outline_item(title=title, page_number=start - 1)
    first_pages = {doc: start - 1 for doc, start in zip(docs, starts, strict=True)}
    _relink(writer, base, first_pages, repo.site_url)
    writer.add_metadata(
        {
            "/Title": f"{config_title} ({EDITION[lang]})",
            "/Author": "The convnotes authors",
            "/Subject": "Convolution, pooling and CNNs, executed",
            "/Creator": "convnotes scripts/make_pdf.py (Chromium, pypdf)",
        }
    )
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.page_mode = "/UseOutlines"
    if lang == "fa":
        preferences = writer.create_viewer_preferences()
        preferences[NameObject("/Direction")] = NameObject("/R2L")
    # Each printed page embeds its own copy of the fonts: keep one.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as handle:
        writer.write(handle)
    shutil.rmtree(stage, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument(
        "--lang", nargs="+", default=list(make_notebooks.LANGS), choices=make_notebooks.LANGS
    )
    parser.add_argument("--jobs", type=int, default=2, help="Chromium processes at once")
    args = parser.parse_args(argv)
    html_dir = args.html.resolve()
    if not html_dir.is_dir():
        print(f"{html_dir}: no such directory (build the book first)", file=sys.stderr)
        return 1
    chromium = find_chromium()
    with serve(html_dir) as base, tempfile.TemporaryDirectory(prefix="convnotes-pdf-") as tmp:
        for lang in args.lang:
            out = build_edition(
                lang,
                html_dir,
                html_dir / "pdf" / f"convnotes-{lang}.pdf",
                chromium=chromium,
                base=base,
                work=Path(tmp),
                jobs=max(1, args.jobs),
            )
            from pypdf import PdfReader

            pages = len(PdfReader(out).pages)
            print(
                f"{out.relative_to(html_dir.parent)}: {pages} pages, "
                f"{out.stat().st_size / 1e6:.1f} MB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
