"""The exercise generator: deterministic, valid, and its answer keys agree with Keras."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convnotes
import convnotes.layers
from convnotes import exercises
from convnotes._tf import import_keras
from convnotes.params import build_keras_model

keras = import_keras()


def test_same_seed_same_exercises():
    first = exercises.generate(seed=11, count=4)
    again = exercises.generate(seed=11, count=4)
    assert [e.specs for e in first] == [e.specs for e in again]
    for lang in ("en", "fa"):
        assert exercises.questions_markdown(first, lang, 11) == exercises.questions_markdown(
            again, lang, 11
        )
        assert exercises.answers_markdown(first, lang, 11) == exercises.answers_markdown(
            again, lang, 11
        )
    other = exercises.generate(seed=12, count=4)
    assert [e.specs for e in other] != [e.specs for e in first]
    # Exercise n does not depend on how many were asked for.
    assert exercises.generate(seed=11, count=2)[1].specs == first[1].specs


def keras_agrees(exercise) -> None:
    """Every layer's shape and count in the key equals Keras' own."""
    model = build_keras_model(exercise.specs)
    assert model.count_params() == exercise.summary.total
    layers = {item.name: item for item in model.layers}
    for row in exercise.summary.rows[1:]:
        keras_layer = layers[row.name]
        assert row.total == keras_layer.count_params(), row.name
        trainable = sum(math.prod(w.shape) for w in keras_layer.trainable_weights)
        assert row.trainable == trainable, row.name
        assert row.output_shape == tuple(keras_layer.output.shape)[1:], row.name


@pytest.mark.slow
@settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6))
def test_answer_keys_agree_with_keras(seed):
    for exercise in exercises.generate(seed, count=2):
        keras_agrees(exercise)
        key = exercises.answers_markdown([exercise], "en", seed)
        assert f"Total: **{exercise.summary.total:,}** parameters" in key


def test_key_code_builds_the_same_model():
    (exercise,) = exercises.generate(seed=3, count=1)
    namespace = {"keras": keras, "convnotes": convnotes}
    exec(exercises.keras_code(exercise.specs), namespace)  # noqa: S102
    model = namespace["model"]
    assert model.count_params() == exercise.summary.total
    assert tuple(model.output_shape)[1:] == exercise.summary.output_shape


def test_generator_uses_many_layer_kinds():
    kinds = {spec.kind for e in exercises.generate(seed=0, count=40) for spec in e.specs}
    assert {
        "Conv2D",
        "MaxPooling2D",
        "AveragePooling2D",
        "DepthwiseConv2D",
        "SeparableConv2D",
        "LocallyConnected2D",
        "BatchNormalization",
        "Dropout",
        "Flatten",
        "Dense",
    } <= kinds
    assert all(
        e.summary.total <= exercises.MAX_TOTAL_PARAMS for e in exercises.generate(seed=0, count=40)
    )


def test_texts_in_both_languages():
    ex = exercises.generate(seed=5, count=2)
    en = exercises.questions_markdown(ex, "en", 5)
    fa = exercises.questions_markdown(ex, "fa", 5)
    assert en.startswith("# Parameter-counting exercises (seed 5)")
    assert fa.startswith("# تمرین‌های شمارش پارامتر (بذر ۵)")
    assert "## Exercise 2" in en and "## تمرین ۲" in fa
    assert "Conv2D" in fa and "Conv۲D" not in fa  # digits of class names stay Latin
    key = exercises.answers_markdown(ex, "fa", 5)
    assert "جمع کل" in key and "```python" in key
    assert exercises.describe(
        convnotes.params.layer("Conv2D", filters=16, kernel_size=3, strides=2, padding="same"), "fa"
    ) == ("`Conv2D`: ۱۶ فیلتر ۳×۳، گام ۲، حاشیه‌گذاری `same`")


@pytest.mark.parametrize(
    ("seed", "count", "message"),
    [
        (1, 0, "count must be a positive integer, got 0"),
        (1, 2.5, "count must be a positive integer"),
        ("x", 2, "seed must be an integer"),
    ],
)
def test_bad_arguments(seed, count, message):
    with pytest.raises(ValueError, match=message):
        exercises.generate(seed, count)
