"""The parity checker finds real drift between the two editions."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_parity.py"

spec = importlib.util.spec_from_file_location("check_parity", SCRIPT)
check_parity = importlib.util.module_from_spec(spec)
sys.modules["check_parity"] = check_parity
assert spec.loader is not None
spec.loader.exec_module(check_parity)

PAGE = """---
kernelspec:
  name: python3
---
({lang}-demo)=
# Title {lang}

Prose {lang}.

```{{code-cell}} ipython3
x = 1 + 1
```

({lang}-demo-part)=
## Part

```{{glue:figure}} curves-{lang}
Caption {lang}
```
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    for lang in ("en", "fa"):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "demo.md").write_text(PAGE.format(lang=lang), encoding="utf-8")
    return tmp_path


def test_real_book_is_in_parity() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
    assert "agree" in result.stdout


def test_matching_pages_pass(book: Path) -> None:
    assert check_parity.check(book) == []
    outline = check_parity.outline(PAGE.format(lang="en"), "en")
    assert outline.code_cells == ["x = 1 + 1"]
    assert outline.headings == [1, 2]
    assert outline.labels == ["demo", "demo-part"]
    assert outline.glue_names == ["curves"]


def test_missing_counterpart(book: Path) -> None:
    shutil.copy(book / "en" / "demo.md", book / "en" / "extra.md")
    assert check_parity.check(book) == ["en/extra.md: no counterpart in fa/"]


def test_code_cell_drift(book: Path) -> None:
    page = book / "fa" / "demo.md"
    page.write_text(page.read_text().replace("1 + 1", "1+1"), encoding="utf-8")
    assert check_parity.check(book) == ["demo.md: code cell 1 differs between en and fa"]


def test_section_drift(book: Path) -> None:
    page = book / "fa" / "demo.md"
    page.write_text(page.read_text().replace("## Part", "### Part"), encoding="utf-8")
    (problem,) = check_parity.check(book)
    assert "heading levels differ" in problem


def test_label_drift(book: Path) -> None:
    page = book / "fa" / "demo.md"
    page.write_text(page.read_text().replace("(fa-demo-part)=", "(fa-other)="), encoding="utf-8")
    (problem,) = check_parity.check(book)
    assert "section labels differ" in problem


def test_glue_drift(book: Path) -> None:
    page = book / "fa" / "demo.md"
    page.write_text(page.read_text().replace("curves-fa", "loss-fa"), encoding="utf-8")
    (problem,) = check_parity.check(book)
    assert "glued names differ" in problem
