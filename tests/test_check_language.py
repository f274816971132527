"""The language checker finds real Persian spelling and terminology problems, and only those."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_language.py"

spec = importlib.util.spec_from_file_location("check_language", SCRIPT)
check_language = importlib.util.module_from_spec(spec)
sys.modules["check_language"] = check_language
assert spec.loader is not None
spec.loader.exec_module(check_language)

ZWNJ = "\u200c"


def rules(text: str) -> list[str]:
    """The rules that fire on ``text`` (spelling and compounds, as for any Persian file)."""
    problems = check_language.spelling_problems(text, "x.md")
    problems += check_language._spaced_compound_problems(text, "x.md")
    return sorted(p.rule for p in problems)


GLOSSARY_TERMS = frozenset({"pooling", "feature map"})


def english(text: str, allowed: frozenset[str] = GLOSSARY_TERMS) -> list[str]:
    """The English words flagged in ``text`` as Persian-page prose."""
    problems = check_language.english_problems(text, "fa/x.md", set(allowed))
    return [p.message.split("'")[1] for p in problems]


# --------------------------------------------------------------- letters --
@pytest.mark.parametrize(
    ("text", "bad"),
    [("مي‌شود", "ي"), ("كتاب", "ك"), ("مصطفى", "ى"), ("۲ و ٣", "٣")],
)
def test_arabic_letters_and_digits_are_flagged(text: str, bad: str) -> None:
    problems = check_language.spelling_problems(text, "x.md")
    assert [p.rule for p in problems] == ["arabic-letter"]
    assert bad in problems[0].message


def test_persian_letters_are_clean() -> None:
    assert rules(f"کتاب ی ک ۳ می{ZWNJ}شود") == []


# ------------------------------------------------------------------ zwnj --
@pytest.mark.parametrize(
    "text",
    [
        "این کار انجام می شود",  # spaced prefix
        "این کار انجام میشود",  # glued prefix
        "نمیکند",
        "لایه ها",  # spaced plural
        "لایه های پنهان",
        "لایهها",  # glued plural after a joining letter
        "ویژگیهای تصویر",
        "مدلها",
        "نقشههای ویژگی",
        "بزرگ تر",
        "بزرگ ترین",
        "یک لایه ای",
        "ابر پارامتر",
        "حاشیه گذاری",
        "حاشیهگذاری",
        "بیش برازش",
        "دو بعدی",
        "لایهٔ وزن دار",
    ],
)
def test_missing_zwnj_is_flagged(text: str) -> None:
    assert "zwnj" in rules(text), text


@pytest.mark.parametrize(
    "text",
    [
        "میانگین هر پنجره",  # starts with می but is one word
        "میدان دید",
        "یک میلیون پارامتر",
        "میزان خطا",
        "میان دو لایه",
        f"لایه{ZWNJ}ها و ویژگی{ZWNJ}ها",
        "فیلترها و پارامترها و عددها",  # ها after a non-joining letter needs no ZWNJ
        "تنها یک لایه",
        "در انتهای فصل",
        f"به{ZWNJ}تنهایی",
        "هفت منهای سه",
        f"می{ZWNJ}شود و نمی{ZWNJ}کند",
        "ابرپارامتر",
        f"بیش{ZWNJ}برازش",
        "دوبعدی",
        "لایهٔ ادغام نه وزن دارد و نه بایاس",  # «وزن دارد»: has a weight, not «وزن‌دار»
    ],
)
def test_correct_words_are_not_flagged(text: str) -> None:
    assert rules(text) == [], text


def test_stray_zwnj_and_ezafe() -> None:
    assert rules(f"لایه{ZWNJ} ها") == ["zwnj-stray"]
    assert rules(f"نقشه{ZWNJ}ی ویژگی") == ["ezafe"]
    assert rules("نقشۀ ویژگی") == ["ezafe"]
    assert rules("نقشهٔ ویژگی") == []


def test_glossary_terms_are_used_consistently() -> None:
    assert rules("یک لایهٔ پولینگ") == ["term"]
    assert rules("اندازهٔ بچ") == ["term"]
    assert rules("یک بچه") == []  # a child, not a batch
    assert rules("% check-language: allow کرنل\nراه‌اندازی کرنل") == []


def test_fix_repairs_the_mechanical_problems(tmp_path: Path) -> None:
    make_book(tmp_path)
    page = tmp_path / "book" / "fa" / "x.md"
    page.write_text("این لايه ها را مي شود ابر پارامتر نامید.\n", encoding="utf-8")
    assert check_language.fix(tmp_path) >= 4
    assert page.read_text(encoding="utf-8") == (
        f"این لایه{ZWNJ}ها را می{ZWNJ}شود ابرپارامتر نامید.\n"
    )


# --------------------------------------------------------------- english --
def test_english_words_in_persian_prose_are_flagged() -> None:
    assert english("این لایه از MaxPooling2D و padding استفاده می‌کند.") == [
        "MaxPooling2D",
        "padding",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ادغام (pooling) و گام (stride) را ببینید.",  # English glosses in parentheses
        "لایهٔ `MaxPooling2D` و تابع {func}`numpy.max`.",  # code and roles
        "با Keras و TensorFlow روی CIFAR-10 و با Keras Tuner.",  # names
        "یک pooling ساده و یک feature map.",  # glossary terms, one and two words
        "قالب GIF و چکیدهٔ SHA-256.",  # acronyms
        "مقدار $x_{ij}$ و $$\\max_k$$ و هستهٔ 3x3.",  # math, sizes
        "[مستندات Keras](https://keras.io/api/layers/) و https://example.org/x",
        "{term}`گام` و {cite}`fa-dumoulin2016guide` و {glue:text}`n-params`",
        '<span class="x">متن</span>',
        "% a comment line in English\n(fa-pooling-intro)=\n## عنوان",
    ],
)
def test_allowed_english_is_not_flagged(text: str) -> None:
    assert english(text) == [], text


def test_code_blocks_and_directive_options_are_not_prose() -> None:
    page = (
        "---\nkernelspec:\n  name: python3\n---\n"
        "```{code-cell} ipython3\n:tags: [hide-input]\nmodel.fit(x, epochs=3)\n```\n\n"
        "```{exercise}\n:label: fa-x-ex-1\n\nتمرین با Softplus.\n```\n\n"
        "```python\nimport keras\n```\n\n"
        "$$\n\\text{filters} \\times 2\n$$\n"
    )
    assert english(page) == ["Softplus"]


def test_a_page_can_allow_a_word() -> None:
    assert english("% check-language: allow float32\nنوع float32 است.") == []


# -------------------------------------------------- glossary and parity --
EN_GLOSSARY = """(en-glossary)=
# Glossary

```{glossary}
batch
  (دسته) The examples of one update.

stride
  (گام) The step of the kernel.
```
"""
FA_GLOSSARY = """(fa-glossary)=
# واژه‌نامه

```{glossary}
دسته
  (batch) نمونه‌های یک به‌روزرسانی.
```
"""
PAGE = """(LANG-demo)=
# TITLE

```{code-cell} ipython3
print(CODE)
```
"""


def make_book(root: Path, fa_code: str = "1") -> None:
    for lang, title, code in (("en", "Demo", "1"), ("fa", "نمایش", fa_code)):
        folder = root / "book" / lang
        folder.mkdir(parents=True, exist_ok=True)
        page = PAGE.replace("LANG", lang).replace("TITLE", title).replace("CODE", code)
        (folder / "demo.md").write_text(page, encoding="utf-8")
    (root / "book" / "en" / "glossary.md").write_text(EN_GLOSSARY, encoding="utf-8")
    (root / "book" / "fa" / "glossary.md").write_text(FA_GLOSSARY, encoding="utf-8")
    (root / "src" / "convnotes").mkdir(parents=True, exist_ok=True)


def test_glossaries_must_pair_up(tmp_path: Path) -> None:
    make_book(tmp_path)
    problems = check_language.check(tmp_path)
    assert [p.rule for p in problems] == ["glossary"]
    assert "گام" in problems[0].message and "stride" in problems[0].message
    assert check_language.glossary_english(tmp_path / "book") >= {"batch", "stride"}


def test_parity_drift_is_reported(tmp_path: Path) -> None:
    make_book(tmp_path, fa_code="2")
    (tmp_path / "book" / "fa" / "glossary.md").write_text(
        FA_GLOSSARY.replace("```\n", "\nگام\n  (stride) گام هسته.\n```\n", 1),
        encoding="utf-8",
    )
    problems = check_language.check(tmp_path)
    assert [p.rule for p in problems] == ["parity"]
    assert "code cell 1 differs" in problems[0].message


def test_the_command_line_reports_and_fails(tmp_path: Path) -> None:
    make_book(tmp_path)
    page = tmp_path / "book" / "fa" / "demo.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nاین لايه از Dense استفاده مي‌کند.\n",
                    encoding="utf-8")  # fmt: skip
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "[arabic-letter]" in result.stdout
    assert "[english] 'Dense'" in result.stdout
    assert "book/fa/demo.md:8:" in result.stdout


def test_the_book_itself_can_be_checked() -> None:
    problems = check_language.check(ROOT)
    assert all(p.rule in {"arabic-letter", "zwnj", "zwnj-stray", "ezafe", "term", "english",
                          "glossary", "parity"} for p in problems)  # fmt: skip
