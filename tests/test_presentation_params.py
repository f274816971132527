"""The registry of layer kinds and the words of their formulas.

Every kind of :data:`convnotes.params.LAYER_KINDS` is counted once here and its
language-free rule written in both languages by :mod:`convnotes.presentation.params`;
the expected words of a few kinds are written out by hand. The counts themselves are
checked against Keras in tests/test_params.py and tests/test_macs.py.
"""

from __future__ import annotations

import re
import string

import pytest

from convnotes import layers, params
from convnotes.i18n import PERSIAN_DIGITS
from convnotes.params import LAYER_KINDS, SUPPORTED_KINDS, count_layer, summarize
from convnotes.presentation import params as params_text
from convnotes.presentation import tables


def one_case(kind: str):
    """A configuration and input shape that ``kind`` accepts."""
    info = LAYER_KINDS[kind]
    r = info.rank
    spatial = (6,) * r
    if kind == "InputLayer":
        return {"shape": (4, 3)}, None
    if info.multi_input:
        return {}, [(4, 3), (4, 3)]
    if kind == "Dense":
        return {"units": 3}, (5,)
    if kind == "Embedding":
        return {"input_dim": 10, "output_dim": 4}, (7,)
    if kind == "Reshape":
        return {"target_shape": (-1,)}, (4, 3)
    if kind in ("BatchNormalization", "LayerNormalization", "Normalization", "Flatten"):
        return {}, (4, 3)
    if kind.startswith(("Conv", "SeparableConv", "LocallyConnected")):
        return {"filters": 2, "kernel_size": 3}, (*spatial, 4)
    if kind.startswith("DepthwiseConv"):
        return {"kernel_size": 3}, (*spatial, 4)
    if kind.startswith("Adaptive"):
        return {"output_size": 2}, (*spatial, 4)
    return {}, (*spatial, 4) if r else (5,)


CASES = {kind: one_case(kind) for kind in SUPPORTED_KINDS}


def test_the_registry_is_one_entry_per_kind():
    assert SUPPORTED_KINDS == tuple(sorted(LAYER_KINDS))
    assert all(name == info.name for name, info in LAYER_KINDS.items())
    for info in LAYER_KINDS.values():
        for alias in info.aliases:
            assert params.canonical_kind(alias) == info.name
            assert alias not in LAYER_KINDS
        if info.own:  # convnotes' own Keras layers
            assert hasattr(layers, info.name), info.name
        assert params.rank_of(info.name) == info.rank
    with pytest.raises(ValueError, match="registered twice"):
        params._registry([LAYER_KINDS["Dense"], LAYER_KINDS["Dense"]])


@pytest.mark.parametrize("kind", SUPPORTED_KINDS)
def test_every_kind_counts_and_words_its_rule(kind):
    config, shape = CASES[kind]
    row = count_layer(kind, config, shape)
    assert row.kind == kind
    # the rule is language-free: named terms and arithmetic, no words of either language
    assert not re.search(r"[\u0600-\u06ff]", row.rule + row.macs_rule)
    assert "{" in row.rule
    en, fa = params_text.rule(row, "en"), params_text.rule(row, "fa")
    assert en and fa and en != fa
    for text in (en, fa):
        assert "{" not in text and "}" not in text
    assert not set(fa) & set(string.digits) and " x " not in fa
    assert (LAYER_KINDS[kind].macs is not None) == bool(row.macs_rule)
    if row.macs_rule:
        assert params_text.macs_rule(row, "en") and params_text.macs_rule(row, "fa")


def test_every_term_has_words_and_is_used():
    """A term without words would fail a page; a word without a term is dead text."""
    used = set()
    for kind, (config, shape) in CASES.items():
        row = count_layer(kind, config, shape)
        used |= {name for _, name, _, _ in string.Formatter().parse(row.rule) if name}
        used |= {name for _, name, _, _ in string.Formatter().parse(row.macs_rule) if name}
    variants = [  # terms that only some configurations use
        ("Conv2D", {"filters": 4, "kernel_size": 3, "groups": 2}, (6, 6, 4)),
        ("Conv3D", {"filters": 2, "kernel_size": 2}, (4, 4, 4, 1)),
        ("Dense", {"units": 3}, (2, 5)),
        ("BatchNormalization", {"center": False}, (4, 3)),
        ("BatchNormalization", {"scale": False}, (4, 3)),
    ]
    for kind, config, shape in variants:
        row = count_layer(kind, config, shape)
        used |= {name for _, name, _, _ in string.Formatter().parse(row.rule) if name}
        used |= {name for _, name, _, _ in string.Formatter().parse(row.macs_rule) if name}
    assert used == set(params_text.RULE_TERMS)
    assert {f"no_weights_{role}" for role in params.NO_WEIGHT_ROLES} <= used


def test_rules_worked_by_hand():
    conv = count_layer("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 4}, (9, 9, 16))
    assert params_text.rule(conv, "en") == (
        "filters x (kernel height x kernel width x input channels / groups + 1)"
    )
    assert params_text.rule(conv, "fa") == (
        "فیلترها × (ارتفاع هسته × پهنای هسته × کانال‌های ورودی / گروه‌ها + ۱)"
    )
    assert params_text.macs_rule(conv, "en") == (
        "output positions x filters x kernel size x input channels / groups"
    )
    bn = count_layer("BatchNormalization", {"center": False}, (4, 4, 8))
    assert params_text.rule(bn, "en") == (
        "1 x channels (gamma) + 2 x channels (moving mean and variance, not trained)"
    )
    assert params_text.rule(bn, "fa") == (
        "۱ × کانال‌ها (γ) + ۲ × کانال‌ها (میانگین و واریانس متحرک، آموزش‌ندیده)"
    )
    frozen = count_layer("Dense", {"units": 2, "trainable": False}, (3,))
    assert params_text.formula(frozen, "en") == "2 x (3 + 1) = 8 (all non-trainable)"
    assert params_text.formula(frozen, "fa", persian_digits=True) == (
        "۲ x (۳ + ۱) = ۸ (همه غیرآموزشی)"
    )
    bn = count_layer("BatchNormalization", {}, (8, 8, 64))
    assert params_text.formula_html(bn, "fa") == (
        '<code dir="ltr">2 x 64 + 2 x 64 = 256</code> ('
        + PERSIAN_DIGITS[1]
        + PERSIAN_DIGITS[2]
        + PERSIAN_DIGITS[8]
        + " غیرآموزشی)"
    )


def test_counts_and_summaries_carry_no_words():
    """The words of a count and the HTML of a summary come only from the presentation."""
    summary = summarize(params.SOURCE_EXERCISE_MODEL)
    row = summary["conv2d"]
    assert not hasattr(row, "formula") and not hasattr(summary, "to_html")
    # 20 filters of 7 x 7 x 1 plus a bias each, worked by hand
    assert params_text.formula(row, "fa", True) == "۲۰ x (۷ x ۷ x ۱ + ۱) = ۱٬۰۰۰"


def test_every_table_comes_from_the_one_builder():
    """The summary, the rules and the relations tables have the builder's frame."""
    summary = summarize(params.SOURCE_EXERCISE_MODEL)
    frame = re.compile(r'^<table class="table cn-(table|params)" lang="fa" dir="rtl"><thead>')
    for page in (
        params_text.summary_html(summary, "fa", macs=True),
        params_text.rules_table_html("fa"),
        params_text.relations_table_html("fa"),
    ):
        assert frame.match(page) and page.endswith("</table>")
    assert not hasattr(params, "html_table") and not hasattr(params, "rules_table_html")
    header = tables.html_table(["a"], [], "en")
    assert header == (
        '<table class="table cn-table" lang="en" dir="ltr"><thead><tr><th>a</th>'
        "</tr></thead><tbody></tbody></table>"
    )


def test_the_builder_escapes_text_and_keeps_cells():
    page = tables.html_table(
        ["x < y"],
        [["\x1b[1ma & b\x1b[0m"], [tables.Cell("<b>raw</b>", css_class="cn-num")]],
        "fa",
        code_columns=(0,),
        foot=[[tables.Cell("Σ", header=True, colspan=2)]],
    )
    assert "<th>x &lt; y</th>" in page
    assert '<td><code dir="ltr">a &amp; b</code></td>' in page  # ANSI styling dropped
    assert '<td class="cn-num"><b>raw</b></td>' in page  # a Cell is written as it is
    assert page.endswith('<tfoot><tr><th colspan="2">Σ</th></tr></tfoot></table>')
    with pytest.raises(ValueError, match="lang must be one of"):
        tables.html_table(["a"], [], "de")


def test_relation_settings_cover_every_relation():
    assert set(params_text.RELATION_SETTINGS) == {r.number for r in params.RELATIONS}
    for r in params.RELATIONS:
        en, fa = (params_text.relation_setting(r, lang) for lang in ("en", "fa"))
        assert en != fa and re.search(r"[\u0600-\u06ff]", fa)
