#!/usr/bin/env python3
"""Language hygiene of the bilingual book: Persian spelling, English terms, parity.

Rules (each problem is printed as ``path:line:col: [rule] message``):

``arabic-letter``
    Arabic ``ي`` ``ك`` ``ى`` and Arabic-Indic digits ``٠``-``٩`` where Persian ``ی``
    ``ک`` and ``۰``-``۹`` belong. Checked in every Persian string: the chapters, the
    landing page, the package (figure labels) and the book's Sphinx extension.
``zwnj``
    A missing zero-width non-joiner (U+200C): ``می``/``نمی`` written apart from or
    glued to its verb (``می شود``, ``میشود`` for ``می‌شود``); the plural ``ها``
    (``های``, ``هایی`` ...) and ``تر``/``ترین`` written apart (``لایه ها``), or glued
    to a word that ends in a joining letter (``لایهها``, ``مدلها``; after ``ا د ذ ر
    ز ژ و`` a glued ``ها`` is correct: ``فیلترها``); ``ای`` apart from a word ending in
    silent ``ه`` (``لایه ای``); and a curated list of compounds (``ابرپارامتر``,
    ``بیش‌برازش``, ``حاشیه‌گذاری`` ...). ``--fix`` applies these replacements.
``zwnj-stray``
    A ZWNJ next to a space or another ZWNJ.
``ezafe``
    The book writes the ezafe after silent ``ه`` as ``هٔ`` (``لایهٔ``), not ``ۀ`` or
    ``ه‌ی``.
``term``
    A variant the book rejects for a concept (``TERMS``: ``پولینگ`` for ``ادغام``,
    ``میدان دید`` for ``میدان پذیرش``, ``جست‌وجوی شبکه‌ای`` for ``جست‌وجوی توری``,
    ``هر دور`` for a Hyperband ``مرحله`` ...): the editions use one Persian word per
    concept, the one the glossary records.
``spelling``
    Spelling variants written one way (``این‌که``, ``این‌جا``, ``چه‌قدر``, ``۸ بیتی``);
    ``--fix`` applies them.
``direction``
    In Persian prose, a glued value right after an equation's ``=$`` (it lands on
    the far side of the formula), and arithmetic or lists of numbers written as plain
    text (``255 × 9/25``, ``(1, 2, 1)``), which the bidi algorithm reorders: they
    belong in ``$...$`` math or a code span.
``english``
    An English word in Persian prose that is neither a glossary term (the English
    name of an entry of book/fa/glossary.md, or an acronym in it) nor a known name
    (Keras, TensorFlow, CIFAR-10 ...). Prose means: outside code (inline and
    blocks), math, roles (``{term}`...```), links, HTML tags, labels, directive
    options, and parentheses: ``ادغام (pooling)`` introduces an English term and is
    always allowed. Identifiers belong in backticks. Acronyms (GIF, SHA-256) and
    the family names of cited authors are names too.
``glossary``
    The two glossaries disagree (every English entry names its Persian term in
    parentheses, every Persian entry its English term, and the pairs must match), or
    a glossary is out of its language's alphabetical order (Persian order is not
    Unicode order: ``پ چ ژ گ`` sit far from their places in the alphabet).
``parity``
    Code cells, headings, labels or glue names differ between the editions
    (scripts/check_parity.py).

A page can allow a word for the ``english`` and ``term`` rules with a comment line
``% check-language: allow WORD ...`` (for example «کرنل» meaning a Jupyter kernel).

Exit status 0 when the book is clean, 1 otherwise.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import myst_read  # noqa: E402  (the sibling script: the book's MyST reader)

ROOT = Path(__file__).resolve().parent.parent
ZWNJ = "\u200c"
PERSIAN = "\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff"
_WORD = rf"[{PERSIAN}{ZWNJ}]+"
#: Characters that continue a Persian word (letters, marks, ZWNJ; not ، ؛ ؟ or digits).
_LETTERS = (
    "\u0610-\u061a\u0620-\u065f\u066e-\u06d3\u06d5-\u06ef\u06fa-\u06ff"
    "\ufb50-\ufdff\ufe70-\ufeff\u200c"
)
#: Letters that do not join to the next letter: a suffix after them needs no ZWNJ.
NON_JOINING = set("اآأإدذرزژوؤۀءة")

# ----------------------------------------------------------------- spelling --
ARABIC_LETTERS = {
    "ي": "ی",
    "ك": "ک",
    "ى": "ی",
    **{chr(0x0660 + d): chr(0x06F0 + d) for d in range(10)},
}

#: Present and past stems that follow the prefix می/نمی; with these endings they
#: make the verb forms that are flagged when glued to the prefix without a ZWNJ.
PRESENT_STEMS = (
    "شو کن ده گیر آی رو توان خواه گوی بین دان ساز یاب مان گذار پذیر رس شمار نویس خوان "
    "نام لغز لغزان افت آور بر دار گرد زن پرداز سنج کاه افزای اندیش چرخ ریز رسان خور "
    "بخش نشان کوش گنج آموز فرست پوش شناس"
).split()
PAST_STEMS = "کرد شد داد گرفت رفت آمد توانست خواست دید دانست ساخت یافت ماند".split()
PRESENT_ENDINGS = ("د", "ند", "م", "یم", "ی", "ید")
PAST_ENDINGS = ("", "ند", "م", "یم", "ی", "ید")
#: Real words that start like a glued verb.
NOT_VERBS = {"میدان", "میدانی", "میدانها", "میدانهای", "میزان", "میان", "میانگین"}

PLURAL_SUFFIXES = ("هایشان", "هایمان", "هایتان", "هایش", "هایم", "هایت", "هایی", "های", "ها")
#: Words that end like a glued plural but are not one (تنها "only", انتها "end" ...).
NOT_PLURALS = {"تن", "انت", "اشت", "منت", "من", "آگ"}

#: Compounds written with a ZWNJ (their spaced and glued forms are flagged) ...
ZWNJ_COMPOUNDS = (
    "بیش‌برازش کم‌برازش حاشیه‌گذاری تنظیم‌گر هم‌بستگی پیش‌پردازش پس‌پردازش سه‌بعدی "
    "چندلایه‌ای به‌روزرسانی نیم‌فاصله پیش‌بینی وزن‌دار"
).split()
#: ... and closed compounds written as one word (their spaced form is flagged).
CLOSED_COMPOUNDS = {
    "ابر پارامتر": "ابرپارامتر",
    "دو بعدی": "دوبعدی",
    "تک بعدی": "تک‌بعدی",
    "یک بعدی": "یک‌بعدی",
    "سه بعدی": "سه‌بعدی",
}


@dataclass(frozen=True)
class Term:
    """One concept: the Persian word the book uses for it and the variants it rejects.

    A rejected variant matches as a whole word; with ``prefix`` it also matches
    the start of a longer word (``طبقه‌بند`` in ``طبقه‌بندی``).
    """

    english: str
    persian: str
    rejected: tuple[str, ...]
    prefix: bool = False


#: The term decisions of the Persian edition (book/fa/glossary.md): one word per concept.
TERMS = (
    Term("pooling", "ادغام", ("پولینگ", "تجمیع")),
    Term("kernel", "هسته", ("کرنل",)),
    Term("padding", "حاشیه‌گذاری", ("پدینگ", "لایه‌گذاری")),
    Term("stride", "گام", ("استراید",)),
    Term("epoch", "دوره", ("ایپاک", "اپوک", "ایپوک")),
    Term("batch", "دسته", ("بچ",)),
    Term("feature map", "نقشهٔ ویژگی", ("فیچر مپ", "نگاشت ویژگی")),
    Term("hyperparameter", "ابرپارامتر", ("هایپرپارامتر", "فراپارامتر")),
    Term("tuner", "تنظیم‌گر", ("تیونر",)),
    Term("dilation", "اتساع", ("دایلیشن",)),
    Term("overfitting", "بیش‌برازش", ("اورفیتینگ",)),
    Term("dropout", "حذف تصادفی", ("دراپ‌اوت",)),
    Term("receptive field", "میدان پذیرش", ("میدان دید", "میدان تأثیر", "میدان تاثیر")),
    Term("grid search", "جست‌وجوی توری", ("جست‌وجوی شبکه‌ای", "جستجوی شبکه‌ای")),
    Term(
        "round (of successive halving)",
        "مرحله",
        ("دورها", "دورهای", "هر دور", "دور اول", "دور دوم", "دور بعد", "دور آخر", "دور نخست"),
    ),
    Term("period", "تناوب", ("نیم‌دوره", "نیم‌دورهٔ")),
    Term("erosion", "فرسایش", ("سایش",)),
    Term("augmented (image)", "تغییریافته", ("دست‌کاری‌شده", "دست‌کاری‌شدهٔ")),
    Term("mixed precision", "دقت عددی آمیخته", ("دقت ترکیبی", "دقت مختلط")),
    Term("class", "رده", ("کلاس", "کلاس‌ها", "کلاس‌های")),
    Term("classifier", "رده‌بند", ("طبقه‌بند", "دسته‌بند"), prefix=True),
    Term("noise", "نویز", ("نوفه", "نوفهٔ")),
    Term("benchmark", "بنچمارک", ("محک", "محک‌ها", "محک‌های", "محکی")),
    Term("file", "پرونده", ("فایل", "فایل‌ها", "فایل‌های", "فایلی")),
    Term(
        "code cell",
        "سلول کد",
        ("خانهٔ کد", "خانه‌های کد", "خانهٔ کدی", "خانهٔ بعد", "خانهٔ زیر", "خانهٔ قبل", "خانهٔ پیش"),
    ),
    Term("Laplacian", "لاپلاسین", ("لاپلاسی", "لاپلاسیَن")),
    Term("course material", "درس‌نامه", ("منبع درس", "منبع درسی")),
    Term("provenance", "خاستگاه", ("منشأ", "منشا")),
    Term("loss", "اتلاف", ("تابع هزینه", "تابع زیان")),
    Term("backend", "موتور محاسباتی", ("پشتیبان Keras", "پشتیبانِ Keras", "بک‌اند")),
)

#: Rejected variant -> the term the book uses.
DISCOURAGED_TERMS = {variant: term.persian for term in TERMS for variant in term.rejected}
_PREFIX_VARIANTS = {variant for term in TERMS if term.prefix for variant in term.rejected}

#: Spelling variants the book writes one way (``--fix`` applies them).
SPELLING = {
    "اینکه": "این‌که",
    "آنکه": "آن‌که",
    "اینجا": "این‌جا",
    "آنجا": "آن‌جا",
    "چقدر": "چه‌قدر",
}
_DIGITS_BITS = re.compile(r"(?<=[0-9۰-۹])(بیتی|بیت)(?![\u0600-\u06ff])")

# ------------------------------------------------------------ english terms --
#: Names and abbreviations that stay in English in Persian prose.
NAMES = {
    "keras", "keras tuner", "tensorflow", "tf", "opencv", "numpy", "scipy", "scikit-learn",
    "scikit-image", "sklearn", "skimage", "matplotlib", "python", "jupyter", "jupyter book",
    "jupytext", "myst", "markdown", "myst markdown", "ipython", "pytorch", "pillow", "pip",
    "cifar-10", "cifar", "imagenet", "mnist", "github", "colab", "google colab", "binder",
    "zenodo", "bibtex", "latex", "pdf", "html", "css", "json", "csv", "url", "api", "cpu",
    "gpu", "tpu", "ram", "rgb", "bgr", "jpeg", "png", "svg", "vazirmatn", "convnotes",
    "linux", "windows", "macos", "debian", "chromium", "mathjax", "sphinx", "unicode",
    "sobel", "prewitt", "scharr", "laplacian", "gaussian", "canny", "gauss", "laplace",
    "hyperband", "adam", "sgd", "relu", "softmax", "lenet", "alexnet", "vgg", "resnet",
    "mobilenet", "xception", "inception", "oneDNN", "onednn", "Eigen", "eigen", "doi", "isbn",
    "arxiv",
    "ai", "ml", "cnn", "px", "ms", "kb", "mb", "gb", "fps", "dpi", "id", "ok", "hypothesis",
    "pytest", "cs231n", "d2l", "d2l.ai",
}  # fmt: skip
#: Acronyms (GIF, MRI, SHA-256) are names, not terms to translate.
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,7}(?:-\d+)?$")
_ALLOW_COMMENT = re.compile(r"^%\s*check-language:\s*allow\s+(.+)$", re.MULTILINE)
_LATIN_TOKEN = re.compile(r"(?<![\w.\-])[A-Za-z0-9][A-Za-z0-9+#_'’.\-]*[A-Za-z0-9+#]|[A-Za-z]")
_PARENS = re.compile(r"\((?:[^()\n]|\n(?!\s*\n))*\)")
_NUMERIC = re.compile(r"^\d+(?:[x×]\d+)+$|^\d+(?:\.\d+)*$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    col: int
    rule: str
    message: str
    fix: tuple[int, int, str] | None = None  # (offset, end, replacement) in the file text

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: [{self.rule}] {self.message}"


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _verb_forms() -> set[str]:
    forms: set[str] = set()
    for stem in PRESENT_STEMS:
        forms.update(stem + ending for ending in PRESENT_ENDINGS)
    for stem in PAST_STEMS:
        forms.update(stem + ending for ending in PAST_ENDINGS)
    return forms


VERB_FORMS = _verb_forms()
_PERSIAN_WORD = re.compile(_WORD)
_SPACED_PREFIX = re.compile(rf"(?<![{PERSIAN}{ZWNJ}])(ن?می) (?=[{PERSIAN}])")
_SPACED_SUFFIX = re.compile(
    rf"(?<=[{PERSIAN}]) (ها|های|هایی|هایش|هایشان|هایمان|هایتان|تر|ترین)(?![{PERSIAN}{ZWNJ}])"
)
_SPACED_AI = re.compile(rf"(?<=[{PERSIAN}]ه) (ای)(?![{PERSIAN}{ZWNJ}])")
_STRAY_ZWNJ = re.compile(rf"{ZWNJ}(?=[\s{ZWNJ}])|(?<=\s){ZWNJ}")
_EZAFE = re.compile(rf"ۀ|ه{ZWNJ}ی(?![{PERSIAN}])")


def spelling_problems(text: str, path: str) -> list[Problem]:
    """``arabic-letter``, ``zwnj``, ``zwnj-stray``, ``ezafe`` and ``term`` problems in ``text``."""
    problems: list[Problem] = []

    def add(offset: int, rule: str, message: str, fix: tuple[int, int, str] | None) -> None:
        line, col = _position(text, offset)
        problems.append(Problem(path, line, col, rule, message, fix))

    for offset, char in enumerate(text):
        if char in ARABIC_LETTERS:
            good = ARABIC_LETTERS[char]
            add(offset, "arabic-letter", f"Arabic {char!r} (U+{ord(char):04X}): write {good!r}",
                (offset, offset + 1, good))  # fmt: skip
    for match in _SPACED_PREFIX.finditer(text):
        start = match.start()
        word = _PERSIAN_WORD.match(text, match.end())
        shown = match.group(1) + " " + (word.group(0) if word else "")
        add(start, "zwnj", f"«{shown}»: join «{match.group(1)}» to its verb with a ZWNJ",
            (match.end() - 1, match.end(), ZWNJ))  # fmt: skip
    for match in _SPACED_SUFFIX.finditer(text):
        add(match.start(), "zwnj",
            f"«{match.group(1)}» written apart: attach it with a ZWNJ",
            (match.start(), match.start() + 1, ZWNJ))  # fmt: skip
    for match in _SPACED_AI.finditer(text):
        add(match.start(), "zwnj", "«ه ای»: write «ه‌ای» with a ZWNJ",
            (match.start(), match.start() + 1, ZWNJ))  # fmt: skip
    for match in _STRAY_ZWNJ.finditer(text):
        add(match.start(), "zwnj-stray", "ZWNJ next to a space or another ZWNJ",
            (match.start(), match.end(), ""))  # fmt: skip
    for match in _EZAFE.finditer(text):
        add(match.start(), "ezafe", "write the ezafe after silent ه as «هٔ»",
            (match.start(), match.end(), "هٔ"))  # fmt: skip
    for match in _PERSIAN_WORD.finditer(text):
        problems += _word_problems(match.group(0), match.start(), text, path)
    for wrong, right in CLOSED_COMPOUNDS.items():
        for match in re.finditer(rf"(?<![{PERSIAN}{ZWNJ}]){re.escape(wrong)}", text):
            add(match.start(), "zwnj", f"«{wrong}»: write «{right}»",
                (match.start(), match.end(), right))  # fmt: skip
    for wrong, right in SPELLING.items():
        for match in re.finditer(rf"(?<![{_LETTERS}]){wrong}(?![{_LETTERS}])", text):
            add(match.start(), "spelling", f"«{wrong}»: the book writes «{right}»",
                (match.start(), match.end(), right))  # fmt: skip
    for match in _DIGITS_BITS.finditer(text):
        add(match.start(), "spelling", f"a number and «{match.group(1)}» are written apart",
            (match.start(), match.start(), " "))  # fmt: skip
    exceptions = file_allowances(text)
    for wrong, right in DISCOURAGED_TERMS.items():
        if wrong in exceptions:
            continue
        after = "" if wrong in _PREFIX_VARIANTS else rf"(?![{_LETTERS}])"
        pattern = rf"(?<![{_LETTERS}]){re.escape(wrong)}{after}"
        for match in re.finditer(pattern, text):
            add(match.start(), "term", f"«{wrong}»: the glossary's term is «{right}»", None)
    return problems


def _word_problems(word: str, offset: int, text: str, path: str) -> list[Problem]:
    problems: list[Problem] = []
    line, col = _position(text, offset)
    # می/نمی glued to a verb
    for prefix in ("نمی", "می"):
        rest = word[len(prefix) :]
        if word.startswith(prefix) and rest in VERB_FORMS and word not in NOT_VERBS:
            fixed = prefix + ZWNJ + rest
            at = offset + len(prefix)
            problems.append(Problem(path, line, col, "zwnj", f"«{word}»: write «{fixed}»",
                                    (at, at, ZWNJ)))  # fmt: skip
            break
    # a plural suffix glued to a word ending in a joining letter
    for suffix in PLURAL_SUFFIXES:
        stem = word[: -len(suffix)]
        last = stem.split(ZWNJ)[-1]  # به‌تنهایی: the stem is «تن», not «به‌تن»
        if (
            word.endswith(suffix)
            and len(last) >= 2
            and stem[-1] not in NON_JOINING
            and last not in NOT_PLURALS
            and not (suffix == "ها" and stem.endswith("ت"))  # اشتها، انتها are not plurals
        ):
            fixed = stem + ZWNJ + suffix
            problems.append(Problem(path, line, col, "zwnj", f"«{word}»: write «{fixed}»",
                                    (offset + len(stem), offset + len(stem), ZWNJ)))  # fmt: skip
            break
    # curated ZWNJ compounds written glued
    for compound in ZWNJ_COMPOUNDS:
        glued = compound.replace(ZWNJ, "")
        if word.startswith(glued) and glued != compound:
            problems.append(Problem(path, line, col, "zwnj", f"«{word}»: write «{compound}»",
                                    (offset, offset + len(glued), compound)))  # fmt: skip
            break
    return problems


def _spaced_compound_problems(text: str, path: str) -> list[Problem]:
    problems = []
    for compound in ZWNJ_COMPOUNDS:
        spaced = compound.replace(ZWNJ, " ")
        # The lookahead keeps «وزن دارد» ("has a weight") apart from «وزن دار».
        pattern = rf"(?<![{PERSIAN}{ZWNJ}]){re.escape(spaced)}(?![{PERSIAN}])"
        for match in re.finditer(pattern, text):
            line, col = _position(text, match.start())
            problems.append(Problem(path, line, col, "zwnj", f"«{spaced}»: write «{compound}»",
                                    (match.start(), match.end(), compound)))  # fmt: skip
    return problems


# ------------------------------------------------------------ prose of pages --
def prose_mask(text: str, *, keep_parentheses: bool = False) -> str:
    """``text`` with everything but its prose blanked out (offsets kept).

    The prose is what :func:`myst_read.read_chapter` reads as prose: front matter, code
    and math, literal directives, directive options, labels, comments, inline code,
    roles, math, links, URLs, HTML tags and footnote references are not. Unless
    ``keep_parentheses``, parentheses are blanked out too.

    >>> prose_mask("(fa-x)=\\n## Keras `x` ($y$)\\n").split("\\n")
    ['       ', '   Keras          ', '']
    """
    rows = [list(" " * len(line)) for line in text.split("\n")]
    for run in myst_read.read_chapter(text).prose:
        row, start = rows[run.line - 1], run.column - 1
        row[start : start + len(run.text)] = run.text[: max(0, len(row) - start)]
    masked = "\n".join("".join(row) for row in rows)
    while not keep_parentheses:
        unparenthesized = _PARENS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)
        if unparenthesized == masked:
            break
        masked = unparenthesized
    return masked


def glossary_english(book: Path) -> set[str]:
    """English terms (lower case) that the glossaries define, with acronyms in them."""
    terms: set[str] = set()
    for _, english in glossary_pairs(book / "fa" / "glossary.md", "fa"):
        terms.add(english.lower())
    for english, _ in glossary_pairs(book / "en" / "glossary.md", "en"):
        terms.add(english.lower())
    for term in list(terms):
        terms.update(a.lower() for a in re.findall(r"\(([A-Za-z0-9-]+)\)", term))
        terms.add(re.sub(r"\s*\([^)]*\)", "", term).strip())
    return terms


def cited_names(book: Path) -> set[str]:
    """Family names (lower case) of the authors in the book's BibTeX files."""
    names: set[str] = set()
    for bib in book.glob("*.bib"):
        text = bib.read_text(encoding="utf-8")
        for field in re.findall(r"\bauthor\s*=\s*[{\"](.+?)[}\"]\s*,?\s*\n", text, re.IGNORECASE):
            for person in re.split(r"\s+and\s+", field.replace("{", "").replace("}", "")):
                person = person.strip()
                family = person.split(",")[0] if "," in person else person.split(" ")[-1]
                if family:
                    names.add(family.strip().lower())
    return names


def file_allowances(text: str) -> set[str]:
    """Words a page allows itself with ``% check-language: allow WORD ...`` comment lines.

    >>> sorted(file_allowances("% check-language: allow کرنل float32\\nمتن"))
    ['float32', 'کرنل']
    """
    return {word.lower() for line in _ALLOW_COMMENT.findall(text) for word in line.split()}


def english_problems(text: str, path: str, allowed: set[str]) -> list[Problem]:
    """English words in the Persian prose of ``text`` that are neither glossary terms nor names."""
    allowed = allowed | file_allowances(text)
    masked = prose_mask(text)
    problems: list[Problem] = []
    tokens = list(_LATIN_TOKEN.finditer(masked))
    i = 0
    while i < len(tokens):
        # a phrase: tokens separated by single spaces only ("Keras Tuner", "feature map")
        j = i
        while j + 1 < len(tokens) and masked[tokens[j].end() : tokens[j + 1].start()] == " ":
            j += 1
        phrase = masked[tokens[i].start() : tokens[j].end()]
        if not _allowed(phrase, allowed):
            for token in tokens[i : j + 1]:
                word = token.group(0)
                if not _allowed(word, allowed):
                    line, col = _position(text, token.start())
                    problems.append(Problem(
                        path, line, col, "english",
                        f"'{word}' in Persian prose is not a glossary term or a known name: "
                        "translate it, put an identifier in `code`, gloss it in parentheses "
                        "after its Persian term, or add the term to both glossaries",
                    ))  # fmt: skip
        i = j + 1
    return problems


def _allowed(phrase: str, allowed: set[str]) -> bool:
    lower = phrase.lower().strip(".'’-")
    if len(lower) <= 1 or _NUMERIC.match(lower) or _ACRONYM.match(phrase):
        return True
    candidates = {lower, lower.removesuffix("s"), lower.removesuffix("es")}
    return bool(candidates & (allowed | NAMES))


# --------------------------------------------------------- right to left --
#: ``$a = b =$ {glue:text}`x```: the glued result lands on the far side of the formula.
_GLUE_AFTER_MATH = re.compile(r"=\s*\$\s*\{glue")
#: Arithmetic written in plain text (``255 × 9/25``, ``a = 3``): the bidi algorithm reorders it.
_BARE_ARITHMETIC = re.compile(
    r"[0-9۰-۹][0-9۰-۹.٫]*\s*[/=+÷−]\s*[0-9۰-۹]|[0-9۰-۹]\s+[×x*]\s+[0-9۰-۹]"
)
#: A tuple or list of numbers in plain text (``(1, 2, 1)``, ``[48, 96]``) reads mirrored.
_BARE_TUPLE = re.compile(
    r"[(\[]\s*[-−]?[0-9۰-۹][0-9۰-۹.٫]*(?:\s*[,،]\s*[-−]?[0-9۰-۹][0-9۰-۹.٫]*)+\s*[)\]]"
)


def direction_problems(text: str, path: str) -> list[Problem]:
    """``direction`` problems of a Persian page: formulas the bidi algorithm would mirror.

    >>> [p.rule for p in direction_problems("حاصل $a \\times b =$ {glue:text}`x` است.", "x.md")]
    ['direction']
    >>> [p.message[:10] for p in direction_problems("مقدار 255 × 9/25 است.", "x.md")]
    ['plain-text']
    >>> direction_problems("مقدار $255 \\times 9/25$ و هستهٔ ۳×۳ و `(1, 2, 1)` است.", "x.md")
    []
    """
    problems = []
    for match in _GLUE_AFTER_MATH.finditer(text):
        line, col = _position(text, match.start())
        problems.append(Problem(path, line, col, "direction",
                                "a glued value right after «=$»: in Persian it lands on the far "
                                "side of the formula; say it in a sentence"))  # fmt: skip
    masked = prose_mask(text, keep_parentheses=True)
    for pattern, what in ((_BARE_ARITHMETIC, "arithmetic"), (_BARE_TUPLE, "list of numbers")):
        for match in pattern.finditer(masked):
            line, col = _position(text, match.start())
            problems.append(Problem(path, line, col, "direction",
                                    f"plain-text {what} «{match.group(0)}» in Persian prose: put "
                                    "it in $...$ math or a code span"))  # fmt: skip
    return problems


# ---------------------------------------------------------------- glossary --
def glossary_pairs(path: Path, lang: str) -> list[tuple[str, str]]:
    """``(English, Persian)`` pairs of a glossary page: each term and its parenthesized gloss.

    A ``{glossary}`` body is Sphinx's glossary syntax: a term on its own line, its
    definition indented below it; the definition opens with the gloss, ``(دسته) ...``.
    """
    if not path.exists():
        return []
    pairs: list[tuple[str, str]] = []
    for directive in myst_read.read_chapter(path.read_text(encoding="utf-8")).directives:
        if directive.name != "glossary":
            continue
        lines = directive.body.split("\n")
        for k, line in enumerate(lines):
            if not line.strip() or line.startswith((" ", "\t")):
                continue
            definition = next((following for following in lines[k + 1 :] if following.strip()), "")
            found = re.match(r"^\s+\(([^)]*)\)", definition)
            gloss = found.group(1).strip() if found else ""
            pairs.append((line.strip(), gloss) if lang == "en" else (gloss, line.strip()))
    return pairs


PERSIAN_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_FOLD = {"أ": "ا", "إ": "ا", "ؤ": "و", "ئ": "ی", "ة": "ه", "ۀ": "ه"}


def persian_sort_key(term: str) -> tuple[int, ...]:
    """Key that orders Persian words alphabetically (Unicode code points do not: ``پ`` > ``ی``).

    Spaces sort before every letter; the ZWNJ, diacritics and the hamza above are
    ignored; ``آ`` sorts before ``ا``, as in Persian dictionaries; digits and Latin
    letters come after Persian.

    >>> sorted(["گام", "پارامتر", "ادغام", "آزمایش", "یادگیری"], key=persian_sort_key)
    ['آزمایش', 'ادغام', 'پارامتر', 'گام', 'یادگیری']
    """
    key = []
    for char in term:
        char = _FOLD.get(char, char)
        if char in PERSIAN_ALPHABET:
            key.append(1 + PERSIAN_ALPHABET.index(char))
        elif char.isspace():
            key.append(0)
        elif char.isalnum():
            key.append(100 + ord(char))
    return tuple(key)


def english_sort_key(term: str) -> tuple[str, ...]:
    """Dictionary order of English terms: case and hyphens ignored, word by word."""
    return tuple(re.sub(r"[^a-z0-9 ]", "", term.lower().replace("-", " ")).split())


def glossary_order_problems(book: Path) -> list[Problem]:
    """``glossary`` problems: entries out of each language's alphabetical order."""
    problems = []
    for lang, key in (("en", english_sort_key), ("fa", persian_sort_key)):
        terms = [en if lang == "en" else fa for en, fa in
                 glossary_pairs(book / lang / "glossary.md", lang)]  # fmt: skip
        for before, after in zip(terms, terms[1:], strict=False):
            if key(after) < key(before):  # type: ignore[operator]
                problems.append(Problem(f"book/{lang}/glossary.md", 0, 0, "glossary",
                                        f"{after!r} comes before {before!r} in alphabetical "
                                        "order"))  # fmt: skip
    return problems


def glossary_problems(book: Path) -> list[Problem]:
    en = glossary_pairs(book / "en" / "glossary.md", "en")
    fa = glossary_pairs(book / "fa" / "glossary.md", "fa")
    problems: list[Problem] = []
    for lang, pairs in (("en", en), ("fa", fa)):
        for english, persian in pairs:
            if not english or not persian:
                term = english or persian
                message = f"entry {term!r} lacks its equivalent in parentheses"
                problems.append(Problem(f"book/{lang}/glossary.md", 0, 0, "glossary", message))
    missing_fa = sorted(set(en) - set(fa))
    missing_en = sorted(set(fa) - set(en))
    for english, persian in missing_fa:
        problems.append(Problem("book/fa/glossary.md", 0, 0, "glossary",
                                f"no entry «{persian}» (English: {english}) to match the "
                                "English glossary"))  # fmt: skip
    for english, persian in missing_en:
        problems.append(Problem("book/en/glossary.md", 0, 0, "glossary",
                                f"no entry {english!r} (Persian: «{persian}») to match the "
                                "Persian glossary"))  # fmt: skip
    return problems


# ------------------------------------------------------------------- driver --
def _load_parity() -> object:
    path = Path(__file__).resolve().parent / "check_parity.py"
    spec = importlib.util.spec_from_file_location("convnotes_check_parity", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def files_with_persian(root: Path) -> Iterator[Path]:
    """Every file whose Persian strings are checked for spelling."""
    yield from sorted((root / "book").rglob("*.md"))
    yield from sorted((root / "src" / "convnotes").rglob("*.py"))
    yield from sorted((root / "book" / "_ext").glob("*.py"))


def check(root: Path) -> list[Problem]:
    """Every language problem of the book under ``root``."""
    book = root / "book"
    problems: list[Problem] = []
    allowed = glossary_english(book) | cited_names(book)
    for path in files_with_persian(root):
        if "_build" in path.parts or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root).as_posix()
        if re.search(rf"[{PERSIAN}]", text):
            problems += spelling_problems(text, rel)
            problems += _spaced_compound_problems(text, rel)
        if path.parent == book / "fa" and path.suffix == ".md":
            problems += english_problems(text, rel, allowed)
            problems += direction_problems(text, rel)
    problems += glossary_problems(book)
    problems += glossary_order_problems(book)
    parity = _load_parity()
    problems += [Problem("book", 0, 0, "parity", p) for p in parity.check(book)]  # type: ignore[attr-defined]
    return _unique(problems)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[str, int, int, str]] = set()
    kept = []
    for problem in sorted(problems, key=lambda p: (p.path, p.line, p.col, p.rule)):
        key = (problem.path, problem.line, problem.col, problem.rule)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


def apply_fixes(root: Path, problems: Iterable[Problem]) -> int:
    """Apply the replacements of fixable problems; returns how many were applied."""
    by_path: dict[str, list[tuple[int, int, str]]] = {}
    for problem in problems:
        if problem.fix is not None:
            by_path.setdefault(problem.path, []).append(problem.fix)
    applied = 0
    for rel, fixes in by_path.items():
        path = root / rel
        text = path.read_text(encoding="utf-8")
        last = len(text) + 1
        for start, end, new in sorted(set(fixes), reverse=True):
            if end > last:  # overlaps a fix already applied
                continue
            text = text[:start] + new + text[end:]
            last = start
            applied += 1
        path.write_text(text, encoding="utf-8")
    return applied


def fix(root: Path, rounds: int = 4) -> int:
    """Apply the mechanical fixes until none is left (one fix can reveal another:
    ``مي شود`` becomes ``می شود``, then ``می‌شود``). Returns how many were applied."""
    total = 0
    for _ in range(rounds):
        applied = apply_fixes(root, check(root))
        total += applied
        if not applied:
            break
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    parser.add_argument("--fix", action="store_true", help="apply the mechanical fixes")
    args = parser.parse_args(argv)
    if args.fix:
        print(f"applied {fix(args.root)} fixes")
    problems = check(args.root)
    for problem in problems:
        print(problem)
    rules = sorted({p.rule for p in problems})
    if problems:
        print(f"language: {len(problems)} problems ({', '.join(rules)})")
        return 1
    print("language: Persian spelling, English terms, glossaries and parity are clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
