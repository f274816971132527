"""scripts/new_chapter.py creates a chapter pair that passes the book's checks from the start."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


new_chapter = load("new_chapter")
check_language = load("check_language")
check_parity = load("check_parity")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "book", tmp_path / "book", ignore=shutil.ignore_patterns("_build"))
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    return tmp_path


def test_a_new_chapter_passes_parity_language_and_label_checks(book: Path) -> None:
    assert new_chapter.main(["dilation", "--title-en", "Dilated convolution",
                             "--title-fa", "کانولوشن متسع", "--after", "convolution",
                             "--root", str(book)]) == 0  # fmt: skip
    assert check_parity.check(book / "book") == []
    problems = [p for p in check_language.check(book) if "dilation" in p.path]
    assert problems == [], [str(p) for p in problems]
    for lang in ("en", "fa"):
        text = (book / "book" / lang / "dilation.md").read_text(encoding="utf-8")
        lines = text.splitlines()
        headings = [k for k, line in enumerate(lines) if re.match(r"^#{1,6} ", line)]
        assert headings and all(
            re.match(rf"^\({lang}-dilation(-[a-z0-9-]+)?\)=$", lines[k - 1]) for k in headings
        )
        assert f":label: {lang}-dilation-ex-1" in text
        assert f"{{solution}} {lang}-dilation-ex-1" in text
    toc = (book / "_toc.yml").read_text(encoding="utf-8")
    for lang in ("en", "fa"):
        assert f"book/{lang}/convolution\n      - file: book/{lang}/dilation\n" in toc


def test_without_after_the_chapter_goes_before_the_status_page(book: Path) -> None:
    new_chapter.create(book, "dilation", "Dilated convolution", "کانولوشن متسع", None)
    toc = (book / "_toc.yml").read_text(encoding="utf-8")
    assert "book/fa/dilation\n      - file: book/fa/status\n" in toc


def test_bad_requests_write_nothing(book: Path, capsys) -> None:
    toc = (book / "_toc.yml").read_text(encoding="utf-8")
    assert new_chapter.main(["Dilation!", "--title-en", "x", "--title-fa", "ی",
                             "--root", str(book)]) == 2  # fmt: skip
    assert "name: 'Dilation!' must be lower-case words" in capsys.readouterr().err
    assert new_chapter.main(["pooling", "--title-en", "x", "--title-fa", "ادغام",
                             "--root", str(book)]) == 2  # fmt: skip
    assert "book/en/pooling.md exists" in capsys.readouterr().err
    assert new_chapter.main(["dilation", "--title-en", "x", "--title-fa", "Latin only",
                             "--root", str(book)]) == 2  # fmt: skip
    assert "--title-fa" in capsys.readouterr().err
    assert new_chapter.main(["dilation", "--title-en", "x", "--title-fa", "متسع",
                             "--after", "nowhere", "--root", str(book)]) == 2  # fmt: skip
    assert "--after: no chapter book/en/nowhere" in capsys.readouterr().err
    assert (book / "_toc.yml").read_text(encoding="utf-8") == toc
    assert not (book / "book" / "en" / "dilation.md").exists()


def test_the_new_toc_is_checked_with_jupyter_books_parser(book: Path) -> None:
    toc = (book / "_toc.yml").read_text(encoding="utf-8")
    new_chapter.check_toc(toc, new_chapter.add_to_toc(toc, "dilation", None), "dilation")
    # the entry as a YAML comment: the text names the page, the parser lists no such page
    commented = toc.replace(
        "- file: book/fa/status", "# - file: book/fa/dilation\n      - file: book/fa/status"
    )
    assert "book/fa/dilation" in commented
    with pytest.raises(ValueError, match="book/en/dilation, book/fa/dilation would not be a page"):
        new_chapter.check_toc(toc, commented, "dilation")
    twice = toc.replace("book/fa/status", "book/fa/pooling")
    with pytest.raises(ValueError, match="used multiple times: 'book/fa/pooling'"):
        new_chapter.check_toc(toc, twice, "dilation")
