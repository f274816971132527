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
        "میدان پذیرش",
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


# ------------------------------------------------------ term decisions --
@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("میدان دید یک نورون", "میدان پذیرش"),
        ("جست‌وجوی شبکه‌ای همهٔ ترکیب‌ها را می‌آزماید", "جست‌وجوی توری"),
        ("در هر دور، یک سوم مدل‌ها می‌مانند", "مرحله"),
        ("ادغام کمینه همان سایش است", "فرسایش"),
        ("تصویرهای دست‌کاری‌شده", "تغییریافته"),
        ("با دقت ترکیبی", "دقت عددی آمیخته"),
        ("ده کلاس دارد", "رده"),
        ("یک طبقه‌بندِ تصویر", "رده‌بند"),
        ("دسته‌بندی تصویرها", "رده‌بند"),  # a prefix variant: «دسته‌بندی» too
        ("نوفهٔ گاوسی", "نویز"),
        ("یک فایل JSON", "پرونده"),
        ("هستهٔ لاپلاسی", "لاپلاسین"),
        ("## محک‌ها", "بنچمارک"),
        ("روی نیم‌دورهٔ یک کسینوس", "تناوب"),
        ("جدول منبع درس", "درس‌نامه"),
        ("منشأ اجرا", "خاستگاه"),
        ("کمینه‌کردن تابع هزینه", "اتلاف"),
    ],
)
def test_rejected_variants_name_the_decided_term(text: str, term: str) -> None:
    problems = check_language.spelling_problems(text, "x.md")
    assert [p.rule for p in problems] == ["term"], text
    assert f"«{term}»" in problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "دور لبهٔ ورودی صفر می‌گذاریم",  # «دور» as "around", not a Hyperband round
        "هستهٔ لاپلاسین و گاوسی",
        "چهار هستهٔ کلاسیک",  # «کلاسیک» is not «کلاس»
        "از تنظیم‌گر زیرکلاس ساخت",  # a Python subclass
        "ماشین بردار پشتیبان",  # support vector machine
        "جست‌وجوی توری و دوره‌های آموزش",
    ],
)
def test_decided_terms_and_other_senses_are_not_flagged(text: str) -> None:
    assert check_language.spelling_problems(text, "x.md") == [], text


def test_spelling_variants_are_fixed_one_way(tmp_path: Path) -> None:
    assert rules("برای اینکه ببینیم چقدر طول می‌کشد") == ["spelling", "spelling"]
    assert rules("تصویر ۸بیتی") == ["spelling"]
    assert rules("تصویر ۸ بیتی و این‌که و چه‌قدر") == []
    make_book(tmp_path)
    page = tmp_path / "book" / "fa" / "x.md"
    page.write_text("اینجا تصویر ۸بیتی است.\n", encoding="utf-8")
    check_language.fix(tmp_path)
    assert page.read_text(encoding="utf-8") == f"این{ZWNJ}جا تصویر ۸ بیتی است.\n"


# --------------------------------------------------------- right to left --
def direction(text: str) -> list[str]:
    return [p.message for p in check_language.direction_problems(text, "fa/x.md")]


def test_glue_right_after_an_equation_is_rejected() -> None:
    assert len(direction("و $E =$ {glue:text}`tuning-hb-e-fa`. مدل‌ها")) == 1
    assert direction("مقدار $E$ برابر {glue:text}`tuning-hb-e-fa` است.") == []


@pytest.mark.parametrize(
    "text",
    [
        "روشنایی برابر 255 × 9/25 است",
        "احتمال ۱/۲ است",
        "سطر سوبل (1, 2, 1) است",
        "فهرست [48, 96] است",
    ],
)
def test_plain_text_formulas_in_persian_prose_are_rejected(text: str) -> None:
    assert len(direction(text)) == 1, text


@pytest.mark.parametrize(
    "text",
    [
        "روشنایی برابر $255 \\times 9/25$ است",
        "سطر سوبل `(1, 2, 1)` است",
        "هستهٔ ۳×۳ و تصویر 32x32",  # sizes are not arithmetic
        "نسخهٔ ۲٫۱۶ و بخش ۳٫۲",
        "```{code-cell} ipython3\nx = 1 / 2\n```",
    ],
)
def test_math_code_and_sizes_are_not_direction_problems(text: str) -> None:
    assert direction(text) == [], text


# --------------------------------------------------------- glossary order --
def test_persian_alphabetical_order_is_not_code_point_order() -> None:
    words = ["یادگیری", "سطر", "گام", "تصویر", "پارامتر", "ژرفا", "ادغام", "آزمایش", "کانال"]
    assert sorted(words, key=check_language.persian_sort_key) == [
        "آزمایش", "ادغام", "پارامتر", "تصویر", "ژرفا", "سطر", "کانال", "گام", "یادگیری",
    ]  # fmt: skip
    assert sorted(words) != sorted(words, key=check_language.persian_sort_key)


def test_glossary_entries_out_of_order_are_reported(tmp_path: Path) -> None:
    make_book(tmp_path)
    assert check_language.glossary_order_problems(tmp_path / "book") == []
    page = tmp_path / "book" / "fa" / "glossary.md"
    entries = "گام\n  (stride) گام هسته.\n\nدسته\n  (batch) نمونه‌ها.\n"
    page.write_text(f"# واژه‌نامه\n\n```{{glossary}}\n{entries}```\n", encoding="utf-8")
    problems = check_language.glossary_order_problems(tmp_path / "book")
    assert [(p.path, p.rule) for p in problems] == [("book/fa/glossary.md", "glossary")]
    assert "'دسته' comes before 'گام'" in problems[0].message
