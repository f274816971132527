"""The glue helpers of :mod:`convnotes.book` that the chapters' removed cells call."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnotes import book

LRI, PDI, MINUS = "\u2066", "\u2069", "\u2212"


@pytest.fixture
def glued(monkeypatch):
    """Every ``myst_nb.glue`` call, as ``{name: (object, display)}``."""
    calls: dict[str, tuple[object, bool]] = {}

    def record(name, obj, display=True):
        assert name not in calls, f"{name} glued twice"
        calls[name] = (obj, display)

    monkeypatch.setattr("myst_nb.glue", record)
    return calls


def test_glue_number_glues_each_language_with_its_digits(glued):
    book.glue_number("n-params", 951_098)
    book.glue_number("rate", 0.79623, 3)
    assert glued == {
        "n-params-en": ("951,098", False),
        "n-params-fa": ("۹۵۱٬۰۹۸", False),
        "rate-en": ("0.796", False),
        "rate-fa": ("۰٫۷۹۶", False),
    }


def test_glue_number_isolates_the_persian_text_only_when_asked(glued):
    book.glue_number("signed", -400.0, 0, isolate=True)
    book.glue_number("plain", -400.0, 0)
    assert glued["signed-en"][0] == "-400"
    assert glued["signed-fa"][0] == LRI + MINUS + "۴۰۰" + PDI
    assert glued["plain-fa"][0] == MINUS + "۴۰۰"


def test_glue_number_writes_numpy_numbers_like_python_ones(glued):
    book.glue_number("mean", np.float32(2.5), 1)
    book.glue_number("count", 12)
    assert glued["mean-en"][0] == "2.5" and glued["mean-fa"][0] == "۲٫۵"
    assert glued["count-en"][0] == "12"


@pytest.mark.parametrize("value", ["12", b"12", None, [1, 2]])
def test_glue_number_refuses_what_is_not_a_number(glued, value):
    with pytest.raises(TypeError, match="value must be a number"):
        book.glue_number("bad", value)
    assert glued == {}


@pytest.mark.parametrize("decimals", [-1, 1.5, True, "2"])
def test_glue_number_refuses_bad_decimals(glued, decimals):
    with pytest.raises(ValueError, match="decimals must be None or a non-negative int"):
        book.glue_number("bad", 1.0, decimals)
    assert glued == {}


def test_number_text_refuses_an_unknown_language():
    with pytest.raises(ValueError, match="de"):
        book.number_text(1, "de")


def test_glue_text_writes_ints_with_separators_and_persian_in_an_isolate(glued):
    book.glue_text("params", 1234567)
    book.glue_text("share", "12%")
    book.glue_text("matrix", [[1, -2]], localize=False)
    assert glued["params-en"][0] == "1,234,567"
    assert glued["params-fa"][0] == LRI + "۱٬۲۳۴٬۵۶۷" + PDI
    assert glued["share-en"][0] == "12%"
    assert glued["share-fa"][0] == LRI + "۱۲\u066a" + PDI
    assert glued["matrix-en"][0] == "[[1, -2]]"
    assert glued["matrix-fa"][0] == LRI + "[[1, -2]]" + PDI


@pytest.mark.parametrize(
    ("difference", "en", "fa"),
    [
        (3.2e-7, "0.000001", "۰٫۰۰۰۰۰۱"),
        (0.04, "0.1", "۰٫۱"),
        (-0.5, "1", "۱"),
        (0.0, "0.00000000001", "۰٫۰۰۰۰۰۰۰۰۰۰۱"),
    ],
)
def test_glue_bound_glues_the_power_of_ten_above(glued, difference, en, fa):
    book.glue_bound("diff", difference)
    assert glued == {"diff-en": (en, False), "diff-fa": (fa, False)}


@settings(max_examples=30, deadline=None)
@given(st.integers(-11, 3), st.floats(1.01, 9.9))
def test_bound_text_is_the_next_power_of_ten(exponent, mantissa):
    difference = mantissa * 10.0**exponent
    bound = float(book.bound_text(difference, "en"))
    power = 10.0 ** (exponent + 1)  # by hand: the next power of ten
    assert bound == pytest.approx(power, rel=1e-12)
    assert bound / 10 < difference < bound


@pytest.mark.parametrize("difference", [float("nan"), float("inf")])
def test_glue_bound_refuses_a_difference_that_is_not_finite(glued, difference):
    with pytest.raises(ValueError, match="difference must be a finite number"):
        book.glue_bound("diff", difference)
    assert glued == {}


def test_max_error_is_the_largest_absolute_difference():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    largest = 0.0
    for x, y in zip(a.ravel(), b.ravel(), strict=True):  # a direct loop as the reference
        largest = max(largest, abs(float(x) - float(y)))
    assert book.max_error(a, b) == f"{largest:.1e}"
    assert book.max_error([1, 2], [1, 2]) == "0.0e+00"


def test_max_error_names_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)"):
        book.max_error([1, 2], [1, 2, 3])


def test_bilingual_table_localizes_all_but_the_code_columns():
    rows = [("Conv2D(64, 3)", 1792, "1.0e-07")]
    en = book.bilingual_table(
        ["Layer", "Params", "Error"], ["لایه", "پارامترها", "خطا"], rows, "en", code_columns=(0, 2)
    ).data
    fa = book.bilingual_table(
        ["Layer", "Params", "Error"], ["لایه", "پارامترها", "خطا"], rows, "fa", code_columns=(0, 2)
    ).data
    assert "<th>Params</th>" in en and "<td>1792</td>" in en
    assert "<th>پارامترها</th>" in fa and "<td>۱۷۹۲</td>" in fa
    assert 'dir="rtl"' in fa and 'dir="rtl"' not in en
    # code columns are written as they are, in both languages
    for page in (en, fa):
        assert '<code dir="ltr">Conv2D(64, 3)</code>' in page
        assert '<code dir="ltr">1.0e-07</code>' in page


def test_bilingual_table_needs_the_same_columns_in_both_languages():
    with pytest.raises(ValueError, match="headers_en and headers_fa"):
        book.bilingual_table(["a", "b"], ["الف"], [(1, 2)], "en")
