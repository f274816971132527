"""Random parameter-counting exercises with answer keys, for lecturers.

``convnotes exercises params --seed 7 --count 5 --lang fa`` writes five random but
valid CNN architectures as Markdown questions; ``--answers`` writes the key, with the
output shape, parameter count and formula of every layer computed by
:mod:`convnotes.params`. The same seed always gives the same exercises, and exercise
``n`` of a seed does not depend on ``--count``.

Examples
--------
>>> exercise = generate(seed=7, count=1)[0]
>>> exercise.summary.total == generate(seed=7, count=3)[0].summary.total
True
>>> print(questions_markdown(generate(seed=7, count=1), "en", seed=7).splitlines()[0])
# Parameter-counting exercises (seed 7)
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from convnotes.i18n import Text, check_language, localize_digits
from convnotes.params import LayerSpec, Summary, format_shape, layer, summarize_specs
from convnotes.presentation import params as params_text

# Largest model the generator emits: every layer's count should be arithmetic a student
# can do by hand, so the huge Dense layers that a late Flatten can create are avoided.
MAX_LAYER_PARAMS = 600_000
MAX_TOTAL_PARAMS = 1_000_000


@dataclass(frozen=True)
class Exercise:
    """One generated architecture and its computed answer."""

    number: int
    specs: tuple[LayerSpec, ...]
    summary: Summary


def _conv_block(rng: random.Random, size: int, specs: list[LayerSpec], first: bool) -> None:
    """Append one feature-extraction layer that fits the current spatial ``size``."""
    choices = (
        ["Conv2D"] * 5
        + ["MaxPooling2D", "AveragePooling2D"] * 2
        + ["DepthwiseConv2D", "SeparableConv2D", "BatchNormalization", "Dropout"]
    )
    if size <= 12:
        choices += ["LocallyConnected2D"] * 2
    kind = "Conv2D" if first else rng.choice(choices)
    kernel = rng.choice([k for k in (1, 3, 3, 3, 5, 5, 7) if k <= size] or [1])
    padding = rng.choice(["valid", "same"])
    stride = rng.choice([1, 1, 2]) if size >= 8 else 1
    if kind == "Conv2D":
        config: dict = {
            "filters": rng.choice([4, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64]),
            "kernel_size": kernel,
            "strides": stride,
            "padding": padding,
        }
        if stride == 1 and kernel > 1 and size >= 12 and rng.random() < 0.15:
            config["dilation_rate"] = 2
            if padding == "valid" and 2 * kernel - 1 > size:
                config["padding"] = "same"
        if rng.random() < 0.15:
            config["use_bias"] = False
        specs.append(layer(kind, **config))
    elif kind in ("MaxPooling2D", "AveragePooling2D"):
        pool = rng.choice([p for p in (2, 2, 3) if p <= size] or [1])
        specs.append(
            layer(
                kind,
                pool_size=pool,
                strides=rng.choice([pool, pool, 1]),
                padding=rng.choice(["valid", "valid", "same"]),
            )
        )
    elif kind == "DepthwiseConv2D":
        specs.append(
            layer(
                kind,
                kernel_size=kernel,
                strides=stride,
                padding=padding,
                depth_multiplier=rng.choice([1, 1, 2, 3]),
            )
        )
    elif kind == "SeparableConv2D":
        specs.append(
            layer(
                kind,
                filters=rng.choice([8, 16, 24, 32, 64]),
                kernel_size=kernel,
                strides=stride,
                padding=padding,
                depth_multiplier=rng.choice([1, 1, 2]),
            )
        )
    elif kind == "LocallyConnected2D":
        specs.append(
            layer(
                kind,
                filters=rng.choice([2, 3, 4, 6, 8]),
                kernel_size=min(rng.choice([2, 3]), size),
                strides=rng.choice([1, 1, 2]),
            )
        )
    elif kind == "BatchNormalization":
        specs.append(layer(kind))
    else:
        specs.append(layer(kind, rate=rng.choice([0.2, 0.25, 0.3, 0.5])))


def random_architecture(rng: random.Random) -> tuple[LayerSpec, ...]:
    """A random valid stack: image input, 2-5 feature layers, a head, Dense output."""
    while True:
        side = rng.choice([16, 24, 28, 32, 48, 64])
        channels = rng.choice([1, 3, 3])
        specs = [layer("Input", shape=(side, side, channels))]
        for index in range(rng.randint(2, 5)):
            size = min(summarize_specs(specs).output_shape[:2])  # type: ignore[type-var]
            _conv_block(rng, size, specs, first=index == 0)
        specs.append(
            layer(
                rng.choice(["Flatten", "Flatten", "GlobalAveragePooling2D", "GlobalMaxPooling2D"])
            )
        )
        hidden = rng.sample([16, 32, 64, 100, 128], rng.choice([0, 1, 1, 2]))
        for units in sorted(hidden, reverse=True):
            specs.append(layer("Dense", units=units, activation="relu"))
            if rng.random() < 0.4:
                specs.append(layer("Dropout", rate=0.5))
        specs.append(layer("Dense", units=rng.choice([2, 5, 10, 10, 100]), activation="softmax"))
        summary = summarize_specs(specs)
        if (
            summary.total <= MAX_TOTAL_PARAMS
            and max(r.total for r in summary.rows) <= MAX_LAYER_PARAMS
        ):
            return tuple(specs)


def generate(seed: int, count: int) -> list[Exercise]:
    """``count`` exercises for ``seed``; exercise ``n`` depends only on ``(seed, n)``."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a positive integer, got {count!r}")
    exercises = []
    for number in range(1, count + 1):
        specs = random_architecture(random.Random(f"convnotes-params-{seed}-{number}"))
        exercises.append(Exercise(number, specs, summarize_specs(specs)))
    return exercises


# ------------------------------------------------------------------------------ text


def _pair(value: object) -> str:
    v = value[0] if isinstance(value, (tuple, list)) else value
    return f"{v}x{v}"


def _window(value: object, lang: str) -> str:
    """A square kernel or window size as ``3x3`` in English and ``3×3`` in Persian."""
    size = _pair(value)
    return Text(size, size.replace("x", "×"))[lang]


#: The words of :func:`describe`: one template per kind of layer, then the clauses a
#: convolution adds (``{kernel}`` is ``3x3`` in English and ``3×3`` in Persian).
_LAYER_WORDS: Mapping[str, Text] = MappingProxyType(
    {
        "Input": Text(
            "Input: {h}x{w}x{ch} image (height x width x channels)",
            "ورودی: تصویر {h}×{w}×{ch} (ارتفاع × پهنا × کانال)",
        ),
        "conv": Text(
            "{kind}: {filters} filters of {kernel}, stride {stride}",
            "{kind}: {filters} فیلتر {kernel}، گام {stride}",
        ),
        "padding": Text(", padding `{pad}`", "، حاشیه‌گذاری `{pad}`"),
        "depth_multiplier": Text(", depth multiplier {m}", "، ضریب عمق {m}"),
        "dilation": Text(", dilation {d}", "، اتساع {d}"),
        "no_bias": Text(", no bias", "، بدون بایاس"),
        "unshared": Text(" (no weight sharing)", " (بدون اشتراک وزن)"),
        "DepthwiseConv2D": Text(
            "{kind}: {kernel} kernel, depth multiplier {m}, stride {stride}, padding `{pad}`",
            "{kind}: هستهٔ {kernel}، ضریب عمق {m}، گام {stride}، حاشیه‌گذاری `{pad}`",
        ),
        "pooling": Text(
            "{kind}: {kernel} window, stride {stride}, padding `{pad}`",
            "{kind}: پنجرهٔ {kernel}، گام {stride}، حاشیه‌گذاری `{pad}`",
        ),
        "Dropout": Text("Dropout: rate {rate}", "Dropout: نرخ {rate}"),
        "Dense": Text("Dense: {units} units", "Dense: {units} واحد"),
    }
)


def describe(spec: LayerSpec, lang: str) -> str:
    """One Markdown line describing a layer; class names and padding modes are code.

    Examples
    --------
    >>> describe(layer("Conv2D", filters=16, kernel_size=3, strides=2, padding="same"), "en")
    '`Conv2D`: 16 filters of 3x3, stride 2, padding `same`'
    >>> describe(layer("Dense", units=10), "fa")
    '`Dense`: ۱۰ واحد'
    """
    check_language(lang)
    words = {key: text[lang] for key, text in _LAYER_WORDS.items()}
    c = spec.config
    kind = spec.kind
    stride = c.get("strides", 1)
    pad = c.get("padding", "valid")
    if kind == "Input":
        h, w, ch = c["shape"]
        text = words["Input"].format(h=h, w=w, ch=ch)
    elif kind in ("Conv2D", "SeparableConv2D", "LocallyConnected2D"):
        kernel = _window(c["kernel_size"], lang)
        text = words["conv"].format(kind=kind, filters=c["filters"], kernel=kernel, stride=stride)
        if kind != "LocallyConnected2D":
            text += words["padding"].format(pad=pad)
        if c.get("depth_multiplier", 1) != 1:
            text += words["depth_multiplier"].format(m=c["depth_multiplier"])
        if c.get("dilation_rate", 1) != 1:
            text += words["dilation"].format(d=c["dilation_rate"])
        if c.get("use_bias", True) is False:
            text += words["no_bias"]
        if kind == "LocallyConnected2D":
            text += words["unshared"]
    elif kind == "DepthwiseConv2D":
        m = c.get("depth_multiplier", 1)
        kernel = _window(c["kernel_size"], lang)
        text = words[kind].format(kind=kind, kernel=kernel, m=m, stride=stride, pad=pad)
    elif kind in ("MaxPooling2D", "AveragePooling2D"):
        window = _window(c["pool_size"], lang)
        text = words["pooling"].format(kind=kind, kernel=window, stride=stride, pad=pad)
    elif kind in ("Dropout", "Dense"):
        text = words[kind].format(rate=c.get("rate"), units=c.get("units"))
    else:
        text = kind
    if kind == "Input":
        return localize_digits(text, lang)
    # Code spans keep class names left to right (and their digits Latin) in Persian text.
    name, sep, rest = text.partition(": ")
    return f"`{name}`{sep}{localize_digits(rest, lang)}"


def keras_code(specs: Sequence[LayerSpec]) -> str:
    """The Keras code that builds ``specs`` (for checking a key with ``model.summary()``).

    Examples
    --------
    >>> print(keras_code([layer("Input", shape=(8, 8, 1)), layer("Conv2D", filters=2,
    ...                   kernel_size=3)]))
    model = keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        keras.layers.Conv2D(filters=2, kernel_size=3),
    ])
    """
    lines = ["model = keras.Sequential(["]
    for spec in specs:
        args = ", ".join(f"{k}={v!r}" for k, v in spec.config.items())
        if spec.kind == "Input":
            lines.append(f"    keras.Input({args}),")
        elif spec.kind == "LocallyConnected2D":
            lines.append(f"    convnotes.layers.LocallyConnected2D({args}),")
        else:
            lines.append(f"    keras.layers.{spec.kind}({args}),")
    lines.append("])")
    return "\n".join(lines)


#: The words of the handout and of its answer key.
_WORDS: Mapping[str, Text] = MappingProxyType(
    {
        "title": Text(
            "Parameter-counting exercises (seed {seed})", "تمرین‌های شمارش پارامتر (بذر {seed})"
        ),
        "key": Text("Answer key (seed {seed})", "پاسخ‌نامه (بذر {seed})"),
        "intro": Text(
            "For each network, give every layer's output shape (without the batch "
            "dimension) and its numbers of trainable and non-trainable parameters, "
            "then the total. Padding `valid` means no padding; every layer has a "
            "bias unless it says otherwise.",
            "برای هر شبکه، شکل خروجی هر لایه (بدون بُعد دسته) و تعداد پارامترهای "
            "آموزش‌پذیر و آموزش‌ناپذیر آن را بنویسید و سپس جمع کل را حساب کنید. "
            "حاشیه‌گذاری `valid` یعنی بدون حاشیه؛ هر لایه بایاس دارد مگر آن‌که "
            "خلافش گفته شده باشد.",
        ),
        "exercise": Text("Exercise {n}", "تمرین {n}"),
        "layers": Text("Layers, in order:", "لایه‌ها به ترتیب:"),
        "table": Text(
            "| # | Layer | Output shape | How the size follows | Parameters | Formula |",
            "| # | لایه | شکل خروجی | محاسبهٔ اندازه | پارامترها | فرمول |",
        ),
        "total": Text(
            "Total: **{total}** parameters ({trainable} trainable, {non} non-trainable).",
            "جمع کل: **{total}** پارامتر ({trainable} آموزش‌پذیر، {non} آموزش‌ناپذیر).",
        ),
        "check": Text(
            "Check with Keras (`import keras, convnotes.layers`; then `model.summary()`):",
            "وارسی با Keras (`import keras, convnotes.layers` و سپس `model.summary()`):",
        ),
    }
)


def _num(value: int, lang: str) -> str:
    return localize_digits(f"{value:,}", lang)


def _heading(text: str, level: int, headings: bool) -> str:
    return f"{'#' * level} {text}" if headings else f"**{text}**"


def questions_markdown(
    exercises: Sequence[Exercise], lang: str, seed: int, headings: bool = True
) -> str:
    """The exercises as a Markdown handout in ``lang``.

    ``headings=False`` writes bold titles instead of Markdown headings and leaves out the
    document title, for embedding the set in another page.
    """
    check_language(lang)
    words = {key: text[lang] for key, text in _WORDS.items()}
    out = [f"# {localize_digits(words['title'].format(seed=seed), lang)}", ""] if headings else []
    out += [words["intro"], ""]
    for ex in exercises:
        title = localize_digits(words["exercise"].format(n=ex.number), lang)
        out += [
            _heading(title, 2, headings),
            "",
            describe(ex.specs[0], lang),
            "",
            words["layers"],
            "",
        ]
        out += [f"{i}. {describe(spec, lang)}" for i, spec in enumerate(ex.specs[1:], start=1)]
        out.append("")
    return "\n".join(out)


def answers_markdown(
    exercises: Sequence[Exercise], lang: str, seed: int, headings: bool = True
) -> str:
    """The answer key in ``lang``: per-layer shapes, counts and formulas, and totals."""
    check_language(lang)
    words = {key: text[lang] for key, text in _WORDS.items()}
    out = [f"# {localize_digits(words['key'].format(seed=seed), lang)}", ""] if headings else []
    for ex in exercises:
        title = localize_digits(words["exercise"].format(n=ex.number), lang)
        out += [
            _heading(title, 2, headings),
            "",
            describe(ex.specs[0], lang),
            "",
            words["table"],
            "|--:|---|---|---|--:|---|",
        ]
        for i, (spec, row) in enumerate(
            zip(ex.specs[1:], ex.summary.rows[1:], strict=True), start=1
        ):
            how = f"`{row.shape_expression}`" if row.shape_expression else ""
            out.append(
                f"| {localize_digits(str(i), lang)} | {describe(spec, lang)} | "
                f"`{format_shape(row.output_shape, batch=False)}` | {how} | "
                f"{_num(row.total, lang)} | `{params_text.formula(row, lang)}` |"
            )
        s = ex.summary
        out += [
            "",
            words["total"].format(
                total=_num(s.total, lang),
                trainable=_num(s.trainable, lang),
                non=_num(s.non_trainable, lang),
            ),
            "",
            words["check"],
            "",
            "```python",
            keras_code(ex.specs),
            "```",
            "",
        ]
    return "\n".join(out)


# ------------------------------------------------------------------------------- CLI


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``params --seed --count --lang --answers --out`` under ``convnotes exercises``."""
    kinds = parser.add_subparsers(dest="exercise_kind", metavar="KIND", required=True)
    p = kinds.add_parser(
        "params",
        help="count the parameters of random CNNs",
        description="Write random parameter-counting exercises as Markdown.",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--count", type=int, default=5, help="number of exercises (default 5)")
    p.add_argument("--lang", choices=["en", "fa"], default="en", help="language (default en)")
    p.add_argument(
        "--answers", action="store_true", help="write the answer key instead of the questions"
    )
    p.add_argument("--out", type=Path, default=None, help="output file (default stdout)")


def run(args: argparse.Namespace) -> int:
    """Generate the exercises (or their key) and write them."""
    if args.count < 1:
        print(
            f"convnotes exercises: --count must be a positive integer, got {args.count}",
            file=sys.stderr,
        )
        return 2
    exercises = generate(args.seed, args.count)
    render = answers_markdown if args.answers else questions_markdown
    text = render(exercises, args.lang, args.seed)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    return 0
