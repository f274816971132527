"""The parameter arithmetic of :mod:`convnotes.params` in words, tables and a figure.

:func:`convnotes.params.count_layer` gives a language-free record: the arithmetic
(``"20 x (7 x 7 x 1 + 1)"``) and the rule as a template of named terms
(``"{filters} x ({kernel_height} x ...)"``). This module writes the terms in English
or Persian (:data:`RULE_TERMS`), adds the note on non-trainable weights, and builds
the summaries and tables of the parameters chapter.

Examples
--------
>>> from convnotes.params import count_layer
>>> c = count_layer("Conv2D", {"filters": 20, "kernel_size": 7}, (28, 28, 1))
>>> formula(c, "en")
'20 x (7 x 7 x 1 + 1) = 1,000'
>>> rule(c, "en")
'filters x (kernel height x kernel width x input channels + 1)'
>>> print(rule(c, "fa"))
فیلترها × (ارتفاع هسته × پهنای هسته × کانال‌های ورودی + ۱)
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from convnotes.i18n import LANGUAGES, Text, check_language, format_number, localize_digits
from convnotes.params import (
    LayerCount,
    Shape,
    Summary,
    compare_weight_sharing,
    count_layer,
    format_shape,
)
from convnotes.presentation.tables import Cell, html_table
from convnotes.shapes import RELATIONS, Relation

# --------------------------------------------------------------------------------------
# One layer's formula in words
# --------------------------------------------------------------------------------------

#: The words of every term a rule template of :mod:`convnotes.params` names.
RULE_TERMS: Mapping[str, Text] = MappingProxyType(
    {
        "units": Text("units", "واحدها"),
        "inputs": Text("inputs", "ورودی‌ها"),
        "positions": Text("positions", "مکان‌ها"),
        "filters": Text("filters", "فیلترها"),
        "kernel_length": Text("kernel length", "طول هسته"),
        "kernel_height": Text("kernel height", "ارتفاع هسته"),
        "kernel_width": Text("kernel width", "پهنای هسته"),
        "kernel_depth": Text("kernel depth", "عمق هسته"),
        "kernel_size": Text("kernel size", "اندازهٔ هسته"),
        "input_channels": Text("input channels", "کانال‌های ورودی"),
        "groups": Text("groups", "گروه‌ها"),
        "depth_multiplier": Text("depth multiplier", "ضریب عمق"),
        "output_positions": Text("output positions", "مکان‌های خروجی"),
        "input_positions": Text("input positions", "مکان‌های ورودی"),
        "channels": Text("channels", "کانال‌ها"),
        "gamma_beta": Text("gamma, beta", "γ و β"),
        "gamma": Text("gamma", "γ"),
        "beta": Text("beta", "β"),
        "moving_stats": Text(
            "moving mean and variance, not trained",
            "میانگین و واریانس متحرک، آموزش‌ندیده",
        ),
        "normalised_size": Text("normalised size", "اندازهٔ بخش نرمال‌شده"),
        "gamma_and_or_beta": Text("gamma and/or beta", "γ و/یا β"),
        "kept_size": Text("kept size", "اندازهٔ محورهای نگه‌داشته"),
        "mean_variance_count": Text(
            "mean, variance and count; not trained",
            "میانگین، واریانس و شمار؛ آموزش‌ندیده",
        ),
        "vocabulary_size": Text("vocabulary size", "اندازهٔ واژگان"),
        "embedding_size": Text("embedding size", "اندازهٔ بردار تعبیه"),
        "no_weights_pool": Text(
            "no weights: each window is summarised by a fixed rule",
            "بدون وزن: هر پنجره با قاعده‌ای ثابت خلاصه می‌شود",
        ),
        "no_weights_reshape": Text(
            "no weights: only rearranges the values",
            "بدون وزن: فقط چیدمان مقدارها را عوض می‌کند",
        ),
        "no_weights_dropout": Text(
            "no weights: zeroes random activations during training",
            "بدون وزن: هنگام آموزش فعال‌سازی‌هایی تصادفی را صفر می‌کند",
        ),
        "no_weights_merge": Text(
            "no weights: combines its inputs element by element",
            "بدون وزن: ورودی‌هایش را درایه به درایه ترکیب می‌کند",
        ),
        "no_weights_concat": Text(
            "no weights: joins its inputs along one axis",
            "بدون وزن: ورودی‌هایش را در امتداد یک محور کنار هم می‌گذارد",
        ),
        "no_weights_input": Text(
            "no weights: declares the input shape",
            "بدون وزن: شکل ورودی را اعلام می‌کند",
        ),
        "no_weights_pad": Text(
            "no weights: pads, crops or repeats values",
            "بدون وزن: مقدارها را حاشیه‌گذاری، برش یا تکرار می‌کند",
        ),
        "no_weights_activation": Text(
            "no weights: applies a fixed function to every value",
            "بدون وزن: تابعی ثابت را روی هر مقدار اعمال می‌کند",
        ),
    }
)

_TERMS = {lang: {name: text[lang] for name, text in RULE_TERMS.items()} for lang in LANGUAGES}


def render_rule(template: str, lang: str) -> str:
    """A rule template of :mod:`convnotes.params` in ``lang``.

    Each ``{term}`` becomes its words (:data:`RULE_TERMS`); in Persian the products
    are written with ``×`` and the digits as ۰-۹.

    Raises
    ------
    KeyError
        If the template names a term that :data:`RULE_TERMS` has no words for.

    Examples
    --------
    >>> render_rule("{units} x ({inputs} + 1)", "en")
    'units x (inputs + 1)'
    >>> print(render_rule("{units} x ({inputs} + 1)", "fa"))
    واحدها × (ورودی‌ها + ۱)
    """
    text = template.format_map(_TERMS[check_language(lang)])
    return localize_digits(text.replace(" x ", " × "), "fa") if lang == "fa" else text


def rule(count: LayerCount, lang: str = "en") -> str:
    """The parameter formula of ``count`` in words, in ``lang``."""
    return render_rule(count.rule, lang)


def macs_rule(count: LayerCount, lang: str = "en") -> str:
    """The multiply-accumulate formula of ``count`` in words (empty when none)."""
    return render_rule(count.macs_rule, lang)


_NOTES: Mapping[str, Text] = MappingProxyType(
    {
        "some": Text("({count} non-trainable)", "({count} غیرآموزشی)"),
        "all": Text("(all non-trainable)", "(همه غیرآموزشی)"),
    }
)


def note(count: LayerCount, lang: str = "en", persian_digits: bool = False) -> str:
    """How many of the parameters are not trained, in words; empty when none.

    Examples
    --------
    >>> bn = count_layer("BatchNormalization", {}, (8, 8, 64))
    >>> note(bn, "en"), note(bn, "fa", persian_digits=True)
    ('(128 non-trainable)', '(۱۲۸ غیرآموزشی)')
    """
    check_language(lang)
    if not count.non_trainable:
        return ""
    if count.trainable:
        text = _NOTES["some"][lang].format(count=f"{count.non_trainable:,}")
    else:
        text = _NOTES["all"][lang]
    return localize_digits(text, lang) if persian_digits else text


def formula(count: LayerCount, lang: str = "en", persian_digits: bool = False) -> str:
    """The arithmetic, its result and the non-trainable note in ``lang``.

    For example ``'20 x (7 x 7 x 1 + 1) = 1,000'``; ``persian_digits`` writes the
    digits of a Persian formula as ۰-۹.

    Examples
    --------
    >>> bn = count_layer("BatchNormalization", {}, (8, 8, 64))
    >>> formula(bn, "en")
    '2 x 64 + 2 x 64 = 256 (128 non-trainable)'
    """
    check_language(lang)
    text = " ".join(part for part in (count.arithmetic(), note(count, lang)) if part)
    return localize_digits(text, lang) if lang == "fa" and persian_digits else text


def formula_html(count: LayerCount, lang: str = "en") -> str:
    """The arithmetic as left-to-right code, then the note as text in ``lang``."""
    check_language(lang)
    code = f'<code dir="ltr">{html.escape(count.arithmetic())}</code>'
    text = note(count, lang, persian_digits=lang == "fa")
    return f"{code} {html.escape(text)}" if text else code


# --------------------------------------------------------------------------------------
# A whole model
# --------------------------------------------------------------------------------------

_HEADERS = (
    Text("Layer (type)", "لایه (نوع)"),
    Text("Output shape", "شکل خروجی"),
    Text("Param #", "پارامترها"),
    Text("Formula", "فرمول"),
)
_TOTALS = (
    Text("Total params", "کل پارامترها"),
    Text("Trainable params", "پارامترهای آموزش‌پذیر"),
    Text("Non-trainable params", "پارامترهای آموزش‌ناپذیر"),
)
_MACS_HEADER = Text("Multiply-adds", "ضرب‌وجمع‌ها")
_MACS_TOTAL = Text("Total multiply-adds per example", "کل ضرب‌وجمع‌ها در هر نمونه")


def _in(texts: Sequence[Text], lang: str) -> tuple[str, ...]:
    """Each of ``texts`` in ``lang``."""
    return tuple(text[lang] for text in texts)


def _number(value: int, lang: str, persian_digits: bool) -> str:
    return format_number(value, lang) if persian_digits else f"{value:,}"


def _cells(
    summary: Summary, lang: str, persian_digits: bool, formula_digits: bool | None = None
) -> list[tuple[str, str, str, str]]:
    formula_digits = persian_digits if formula_digits is None else formula_digits
    return [
        (
            f"{r.name} ({r.kind})",
            format_shape(r.output_shape),
            _number(r.total, lang, persian_digits),
            formula(r, lang, formula_digits),
        )
        for r in summary.rows
    ]


def _total_lines(summary: Summary, lang: str, persian_digits: bool) -> list[tuple[str, str]]:
    values = (summary.total, summary.trainable, summary.non_trainable)
    labels = _in(_TOTALS, lang)
    return [
        (label, _number(v, lang, persian_digits)) for label, v in zip(labels, values, strict=True)
    ]


def summary_text(summary: Summary, lang: str = "en", persian_digits: bool = False) -> str:
    """A fixed-width table like ``model.summary()``, with a formula column.

    Examples
    --------
    >>> from convnotes.params import SOURCE_EXERCISE_MODEL, summarize
    >>> print(summary_text(summarize(SOURCE_EXERCISE_MODEL), "en"))  # doctest: +ELLIPSIS
    Layer (type)                              Output shape        Param #  Formula
    ...
    Total params: 11,070
    Trainable params: 11,070
    Non-trainable params: 0
    """
    header = _in(_HEADERS, lang)
    cells = _cells(summary, lang, persian_digits)
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(4)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()

    rule_line = "-" * len(line(["x" * w for w in widths]))
    out = [line(header), rule_line, *(line(c) for c in cells), rule_line]
    out += [f"{label}: {value}" for label, value in _total_lines(summary, lang, persian_digits)]
    return "\n".join(out)


def summary_markdown(summary: Summary, lang: str = "en", persian_digits: bool = False) -> str:
    """A Markdown table with the totals below it."""
    header = _in(_HEADERS, lang)
    out = ["| " + " | ".join(header) + " |", "|---|---|--:|---|"]
    for name, shape, total, text in _cells(summary, lang, persian_digits):
        out.append(f"| {name} | `{shape}` | {total} | `{text}` |")
    out.append("")
    out += [
        f"- {label}: **{value}**" for label, value in _total_lines(summary, lang, persian_digits)
    ]
    return "\n".join(out)


def summary_html(
    summary: Summary, lang: str = "en", persian_digits: bool | None = None, macs: bool = False
) -> str:
    """An HTML table for the book.

    Persian tables write the counts in Persian digits by default; shapes and formulas
    stay in Latin digits, as code. ``macs=True`` adds a column of multiply-accumulates
    per example (:attr:`convnotes.params.LayerCount.macs`) after the parameter column,
    and a footer row with their total (:attr:`convnotes.params.Summary.macs`).

    Examples
    --------
    >>> from convnotes.params import layer, summarize_specs
    >>> s = summarize_specs([layer("Dense", units=10)], input_shape=(50,))
    >>> table = summary_html(s, "en", macs=True)
    >>> "<th>Multiply-adds</th>" in table, '<td class="cn-num">500</td>' in table
    (True, True)
    """
    check_language(lang)
    persian_digits = lang == "fa" if persian_digits is None else persian_digits
    header = _in(_HEADERS, lang)
    if macs:
        header = (*header[:3], _MACS_HEADER[lang], *header[3:])
        total_macs = summary.macs  # raises for unknown spatial sizes, naming the layers

    def number(value: int | None) -> Cell:
        text = "?" if value is None else _number(value, lang, persian_digits)
        return Cell(html.escape(text), css_class="cn-num")

    esc = html.escape
    rows = []
    cells = _cells(summary, lang, persian_digits, False)
    for (name, shape, total, _), row in zip(cells, summary.rows, strict=True):
        rows.append(
            [
                name,
                Cell(f'<code style="white-space: nowrap">{esc(shape)}</code>'),
                Cell(esc(total), css_class="cn-num"),
                *([number(row.macs)] if macs else []),
                Cell(formula_html(row, lang)),
            ]
        )
    blank = [Cell("")] if macs else []
    foot = [
        [
            Cell(esc(label), header=True, colspan=2),
            Cell(f"<strong>{esc(value)}</strong>", css_class="cn-num"),
            *blank,
            Cell(""),
        ]
        for label, value in _total_lines(summary, lang, persian_digits)
    ]
    if macs:
        total = _number(total_macs, lang, persian_digits)
        foot.append(
            [
                Cell(esc(_MACS_TOTAL[lang]), header=True, colspan=2),
                Cell(""),
                Cell(f"<strong>{esc(total)}</strong>", css_class="cn-num"),
                Cell(""),
            ]
        )
    return html_table(header, rows, lang, css_class="cn-params", foot=foot)


def keras_summary_text(model: Any, line_length: int = 80) -> str:
    """Keras' own ``model.summary()`` as plain text (for printing beside a summary)."""
    import contextlib

    lines: list[str] = []
    try:  # in a notebook, rich (behind Keras' summary) also displays an empty HTML block
        from IPython.utils.capture import capture_output
    except ImportError:  # pragma: no cover - IPython comes with the book's dependencies
        capture_output = contextlib.nullcontext  # type: ignore[assignment]
    with capture_output():
        model.summary(
            print_fn=lambda text, line_break=None: lines.append(text), line_length=line_length
        )
    return "\n".join(lines).rstrip()


# --------------------------------------------------------------------------------------
# Tables and a figure of the parameters chapter
# --------------------------------------------------------------------------------------

#: One example per family of layers, for :func:`rules_table_html`.
RULE_EXAMPLES: tuple[tuple[str, dict[str, Any], Shape | list[Shape]], ...] = (
    ("Dense", {"units": 10}, (50,)),
    ("Conv1D", {"filters": 16, "kernel_size": 5, "padding": "causal"}, (100, 8)),
    ("Conv2D", {"filters": 20, "kernel_size": 7}, (28, 28, 1)),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 4, "padding": "same"}, (9, 9, 16)),
    ("Conv3D", {"filters": 4, "kernel_size": 3, "strides": 2}, (9, 16, 16, 3)),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}, (32, 32, 16)),
    ("SeparableConv2D", {"filters": 32, "kernel_size": 3}, (32, 32, 16)),
    (
        "Conv2DTranspose",
        {"filters": 32, "kernel_size": 3, "strides": 2, "padding": "same"},
        (16, 16, 64),
    ),
    ("LocallyConnected2D", {"filters": 2, "kernel_size": 3}, (7, 7, 10)),
    ("BatchNormalization", {}, (16, 16, 48)),
    ("LayerNormalization", {}, (20, 64)),
    ("Embedding", {"input_dim": 10000, "output_dim": 64}, (20,)),
    ("MaxPooling2D", {"pool_size": 2}, (22, 22, 20)),
    ("GlobalAveragePooling2D", {}, (8, 8, 96)),
    ("AdaptiveAveragePooling2D", {"output_size": 4}, (13, 13, 8)),
    ("Flatten", {}, (5, 5, 2)),
    ("Dropout", {"rate": 0.5}, (128,)),
    ("Reshape", {"target_shape": (-1, 10)}, (5, 5, 2)),
    ("Add", {}, [(8, 8, 16), (8, 8, 16)]),
    ("Concatenate", {}, [(8, 8, 16), (8, 8, 32)]),
)

# Arguments a short Keras-like call writes without their names (default: filters, kernel).
_POSITIONAL = {
    "Dense": ["units"],
    "Embedding": ["input_dim", "output_dim"],
    "DepthwiseConv2D": ["kernel_size"],
    "Dropout": ["rate"],
    "Reshape": ["target_shape"],
    "MaxPooling2D": ["pool_size"],
    "AdaptiveAveragePooling2D": ["output_size"],
}


def _call(kind: str, config: Mapping[str, Any]) -> str:
    """A short Keras-like call: ``Conv2D(20, 7)``, ``Dropout(0.5)``."""
    rest = dict(config)
    args = [
        repr(rest.pop(key))
        for key in _POSITIONAL.get(kind, ["filters", "kernel_size"])
        if key in rest
    ]
    args += [f"{k}={v!r}" for k, v in rest.items()]
    return f"{kind}({', '.join(args)})"


_RULES_HEADERS = (
    Text("Layer: input → output", "لایه: ورودی ← خروجی"),
    Text("Parameters: rule and example", "پارامترها: قاعده و نمونه"),
)


def rules_table_html(lang: str) -> str:
    """Every family of layers with its rule in words and one worked example.

    Two columns keep it readable on a narrow page: the layer, with its input and output
    shapes below it, and the rule in words, with the example's arithmetic below it.
    """
    headers = _in(_RULES_HEADERS, lang)
    esc = html.escape
    rows = []
    for kind, config, shape in RULE_EXAMPLES:
        c = count_layer(kind, config, shape)
        shapes = " + ".join(format_shape(s, batch=False) for s in c.input_shapes)
        arrow = f"{shapes} → {format_shape(c.output_shape, batch=False)}"
        rows.append(
            [
                Cell(
                    f'<code dir="ltr">{esc(_call(kind, config))}</code><br>'
                    f'<small><code dir="ltr">{esc(arrow)}</code></small>'
                ),
                Cell(f"{esc(rule(c, lang))}<br><small>{formula_html(c, lang)}</small>"),
            ]
        )
    return html_table(headers, rows, lang)


#: The setting of each of Dumoulin & Visin's relations, by number.
RELATION_SETTINGS: Mapping[int, Text] = MappingProxyType(
    {
        1: Text("no padding, unit stride", "بدون حاشیه، گام ۱"),
        2: Text("zero padding p, unit stride", "حاشیهٔ صفر p، گام ۱"),
        3: Text(
            "half ('same') padding, k odd, p = floor(k/2), unit stride",
            "حاشیهٔ نیمه (same)، k فرد، p = floor(k/2)، گام ۱",
        ),
        4: Text("full padding, p = k - 1, unit stride", "حاشیهٔ کامل، p = k - 1، گام ۱"),
        5: Text("no padding, stride s", "بدون حاشیه، گام s"),
        6: Text("zero padding p, stride s", "حاشیهٔ صفر p، گام s"),
        7: Text("pooling window k, stride s", "پنجرهٔ ادغام k، گام s"),
        8: Text("transpose of: no padding, unit stride", "ترانهادهٔ: بدون حاشیه، گام ۱"),
        9: Text("transpose of: zero padding p, unit stride", "ترانهادهٔ: حاشیهٔ صفر p، گام ۱"),
        10: Text("transpose of: half padding", "ترانهادهٔ: حاشیهٔ نیمه"),
        11: Text("transpose of: full padding", "ترانهادهٔ: حاشیهٔ کامل"),
        12: Text(
            "transpose of: no padding, stride s, s divides i - k",
            "ترانهادهٔ: بدون حاشیه، گام s، i - k بخش‌پذیر بر s",
        ),
        13: Text(
            "transpose of: padding p, stride s, s divides i + 2p - k",
            "ترانهادهٔ: حاشیهٔ p، گام s، i + 2p - k بخش‌پذیر بر s",
        ),
        14: Text(
            "transpose of: padding p, stride s, a = (i + 2p - k) mod s",
            "ترانهادهٔ: حاشیهٔ p، گام s، a = (i + 2p - k) mod s",
        ),
        15: Text("dilation d, padding p, stride s", "اتساع d، حاشیهٔ p، گام s"),
    }
)


def relation_setting(relation: Relation, lang: str) -> str:
    """The setting of ``relation`` (from :data:`convnotes.shapes.RELATIONS`) in ``lang``.

    Examples
    --------
    >>> from convnotes.shapes import RELATIONS
    >>> relation_setting(RELATIONS[4], "en")
    'no padding, stride s'
    """
    return RELATION_SETTINGS[relation.number][lang]


_RELATIONS_HEADERS = (
    Text("No.", "شماره"),
    Text("Setting", "حالت"),
    Text("Relation", "رابطه"),
    Text("Example", "نمونه"),
    Text("Output", "خروجی"),
)


def relations_table_html(lang: str) -> str:
    """Dumoulin & Visin's relations, each with its example evaluated."""
    headers = _in(_RELATIONS_HEADERS, lang)
    rows = []
    for r in RELATIONS:
        plain = r.latex.replace(r"\lfloor ", "⌊").replace(r" \rfloor", "⌋").replace(r"\rfloor", "⌋")
        prime = "'" if r.operation == "transposed" else ""  # i' is the transposed input
        example = ", ".join(f"{k}{prime if k == 'i' else ''}={v}" for k, v in r.example.items())
        number = localize_digits(str(r.number), lang)
        rows.append((number, relation_setting(r, lang), plain, example, str(r.output())))
    return html_table(headers, rows, lang, code_columns=(2, 3, 4))


def plot_weight_sharing(
    lang: str,
    filters: int = 2,
    kernel_size: int = 3,
    channels: int = 10,
    sides: Sequence[int] = tuple(range(7, 65, 3)),
) -> Any:
    """Parameters of Conv2D and LocallyConnected2D on square inputs of growing size."""
    import matplotlib.pyplot as plt

    from convnotes.presentation import plots

    shared, unshared = [], []
    for side in sides:
        c = compare_weight_sharing((side, side, channels), filters, kernel_size)
        shared.append(c.shared)
        unshared.append(c.unshared)
    fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    ax.plot(
        sides,
        unshared,
        "o-",
        label=plots.words(
            lang, "LocallyConnected2D (no sharing)", "LocallyConnected2D (بدون اشتراک وزن)"
        ),
    )
    ax.plot(
        sides,
        shared,
        "s-",
        label=plots.words(lang, "Conv2D (shared weights)", "Conv2D (وزن‌های مشترک)"),
    )
    ax.set_yscale("log")
    ax.grid(True, which="major", alpha=0.3)
    plots.style_axes(
        ax,
        lang,
        title=plots.words(
            lang,
            f"{filters} filters of {kernel_size}x{kernel_size} over {channels} channels",
            localize_digits(
                f"{filters} فیلتر {kernel_size}×{kernel_size} روی {channels} کانال", "fa"
            ),
        ),
        xlabel=plots.words(lang, "input height = width", "ارتفاع = پهنای ورودی"),
        ylabel=plots.words(lang, "parameters (log scale)", "پارامترها (مقیاس لگاریتمی)"),
    )
    plots.legend(ax, lang)
    return fig


__all__ = [
    "RELATION_SETTINGS",
    "RULE_EXAMPLES",
    "RULE_TERMS",
    "formula",
    "formula_html",
    "keras_summary_text",
    "macs_rule",
    "note",
    "plot_weight_sharing",
    "relation_setting",
    "relations_table_html",
    "render_rule",
    "rule",
    "rules_table_html",
    "summary_html",
    "summary_markdown",
    "summary_text",
]
