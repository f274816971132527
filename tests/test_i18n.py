"""The book's one bilingual text type, :class:`convnotes.i18n.Text`, and its tables of words."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnotes import i18n
from convnotes.i18n import Text

# Text without format fields: "{" and "}" would be read by str.format.
plain = st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=20)


@settings(max_examples=30, deadline=None)
@given(en=plain, fa=plain)
def test_a_text_gives_back_each_language_and_reads_as_a_dict(en, fa):
    text = Text(en, fa)
    assert (text["en"], text["fa"]) == (en, fa)
    assert (text.en, text.fa) == (en, fa)
    assert dict(text) == {"en": en, "fa": fa}  # as scripts/make_explorer_cases.py reads it
    assert list(dict(text)) == ["en", "fa"]
    assert i18n.words("en", en, fa) == en and i18n.words("fa", en, fa) == fa
    assert text.format() == text  # no fields: unchanged


def test_format_fills_both_strings_and_returns_a_new_text():
    text = Text("{n} filters of {k}x{k}", "{n} فیلتر {k}×{k}")
    filled = text.format(n=8, k=3)
    assert filled == Text("8 filters of 3x3", "8 فیلتر 3×3")
    assert text == Text("{n} filters of {k}x{k}", "{n} فیلتر {k}×{k}")  # unchanged
    # the caller writes each language's digits: pick the language first
    assert text["fa"].format(n="۸", k="۳") == "۸ فیلتر ۳×۳"
    with pytest.raises(KeyError):
        text.format(n=8)


def test_a_text_is_immutable_hashable_and_not_iterable():
    text = Text("input", "ورودی")
    with pytest.raises(dataclasses.FrozenInstanceError):
        text.en = "output"  # type: ignore[misc]
    assert {text: 1}[Text("input", "ورودی")] == 1
    with pytest.raises(TypeError, match="not iterable"):
        en, fa = text  # would silently give the keys "en", "fa" if it were iterable


@pytest.mark.parametrize("lang", ["de", "EN", "", "fa ", None, 0])
def test_an_unknown_language_is_refused_naming_lang(lang):
    with pytest.raises(ValueError, match=r"^lang must be one of \('en', 'fa'\)"):
        Text("input", "ورودی")[lang]  # type: ignore[index]
    with pytest.raises(ValueError, match="^lang must"):
        i18n.words(lang, "input", "ورودی")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("en", "fa", "name"), [(1, "یک", "en"), ("one", None, "fa"), (("a", "b"), "ب", "en")]
)
def test_both_strings_must_be_str(en, fa, name):
    with pytest.raises(TypeError, match=f"^{name} must be a str"):
        Text(en, fa)


def test_the_figures_words_is_the_one_shorthand():
    from convnotes.presentation import plots

    assert plots.words is i18n.words


def _tables():
    from convnotes import book, exercises
    from convnotes.presentation import (
        data,
        filters,
        params,
        pooling,
        recorded,
        search_report,
        training,
        tuning,
    )

    return {
        "book._DEFECT_NAMES": book._DEFECT_NAMES,
        "book._DEFECT_WORDS": book._DEFECT_WORDS,
        "exercises._WORDS": exercises._WORDS,
        "exercises._LAYER_WORDS": exercises._LAYER_WORDS,
        "data.NOTICE_WORDS": data.NOTICE_WORDS,
        "filters.KERNEL_TITLES": filters.KERNEL_TITLES,
        "filters.CREDITS": filters.CREDITS,
        "filters.OPERATOR_NAMES": filters.OPERATOR_NAMES,
        "params.RULE_TERMS": params.RULE_TERMS,
        "params.RELATION_SETTINGS": params.RELATION_SETTINGS,
        "pooling._MODE_WORDS": pooling._MODE_WORDS,
        "recorded._WORDS": recorded._WORDS,
        "recorded._VERDICTS": recorded._VERDICTS,
        "search_report.PROGRESS_WORDS": search_report.PROGRESS_WORDS,
        "training.SPLIT_NAMES": training.SPLIT_NAMES,
        "training._RULE_WORDS": training._RULE_WORDS,
        "tuning.SCHEDULE_WORDS": tuning.SCHEDULE_WORDS,
        "tuning.TRIAL_COLUMNS": tuning.TRIAL_COLUMNS,
    }


_PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")  # the Arabic block
# Entries whose Persian has no Arabic-script character: code names and Greek symbols.
_NO_PERSIAN_LETTER = {
    ("tuning.TRIAL_COLUMNS", "bracket"),  # tuner/bracket
    ("tuning.TRIAL_COLUMNS", "round"),  # tuner/round
    ("params.RULE_TERMS", "gamma"),  # γ
    ("params.RULE_TERMS", "beta"),  # β
}


def test_every_table_of_words_holds_texts_with_persian_words():
    for table_name, table in _tables().items():
        assert table, table_name
        for key, text in table.items():
            where = f"{table_name}[{key!r}]"
            assert isinstance(text, Text), where
            assert text.en.strip() and text.fa.strip(), where
            if (table_name, key) in _NO_PERSIAN_LETTER:
                continue
            assert _PERSIAN_LETTER.search(text.fa), f"{where}: no Persian in {text.fa!r}"
            assert not _PERSIAN_LETTER.search(text.en), f"{where}: Persian in {text.en!r}"
            # a template names the same fields in both languages
            assert set(re.findall(r"{(\w+)}", text.en)) == set(re.findall(r"{(\w+)}", text.fa)), (
                where
            )
