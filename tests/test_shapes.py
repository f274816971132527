"""The one output-size module, convnotes.shapes, against a direct count of positions.

Reference: a kernel of span ``k_eff`` fits at the positions ``0, s, 2s, ...`` of the
padded axis that leave ``k_eff`` values in it; counting them by a loop is independent
of every closed formula here. Keras agrees with the formulas in tests/test_conv.py,
tests/test_params.py and tests/test_pooling.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnotes import conv, params, pooling, shapes


def positions(n: int, k_eff: int, stride: int, before: int, after: int) -> int:
    """How many windows of span ``k_eff`` fit in ``n`` values padded by (before, after)."""
    count, start = 0, 0
    while start + k_eff <= n + before + after:
        count += 1
        start += stride
    return count


sizes = st.integers(1, 30)
kernels = st.integers(1, 7)
steps = st.integers(1, 4)
gaps = st.integers(1, 3)


@given(n=sizes, k=kernels, s=steps, d=gaps, padding=st.sampled_from(shapes.PADDINGS))
@settings(max_examples=40, deadline=None)
def test_output_size_counts_the_window_positions(n, k, s, d, padding):
    k_eff = shapes.effective_size(k, d)
    if padding == "valid" and k_eff > n:
        with pytest.raises(ValueError, match="larger than the input"):
            shapes.output_size(n, k, padding, s, d)
        return
    before, after = shapes.padding_amounts(n, k, padding, s, d)
    assert shapes.output_size(n, k, padding, s, d) == positions(n, k_eff, s, before, after)
    if padding == "same":  # the padding is the least that gives ceil(n / s) windows
        assert shapes.output_size(n, k, padding, s, d) == -(-n // s)
        assert after - before in (0, 1)


@given(i=sizes, k=kernels, s=steps, p=st.integers(0, 4), d=gaps)
@settings(max_examples=40, deadline=None)
def test_paper_relation_counts_the_window_positions(i, k, s, p, d):
    k_eff = shapes.effective_size(k, d)
    if i + 2 * p < k_eff:
        with pytest.raises(ValueError, match="larger than the padded input"):
            shapes.conv_output_length(i, k, s, p, d)
        return
    assert shapes.conv_output_length(i, k, s, p, d) == positions(i, k_eff, s, p, p)


@given(n=sizes, k=kernels, s=steps, d=gaps, padding=st.sampled_from(["valid", "same"]))
@settings(max_examples=40, deadline=None)
def test_the_two_conventions_agree(n, k, s, d, padding):
    """Keras' padding names and the paper's explicit padding give the same sizes."""
    if padding == "valid" and shapes.effective_size(k, d) > n:
        return
    expected = shapes.output_size(n, k, padding, s, d)
    assert shapes.keras_conv_output_length(n, k, s, padding, d) == expected
    if padding == "valid":
        assert shapes.conv_output_length(n, k, s, 0, d) == expected
    if d == 1 and k <= n:
        assert shapes.pooled_size(n, k, s, padding) == shapes.output_size(n, k, padding, s)


@given(i=sizes, k=kernels, s=steps, d=gaps, a=st.integers(0, 3))
@settings(max_examples=40, deadline=None)
def test_transposed_size_is_the_convolution_run_backwards(i, k, s, d, a):
    """A valid convolution maps the transposed output back to ``i`` (for a < s)."""
    a %= s
    o = shapes.keras_transposed_output_length(i, k, s, "valid", a, d)
    assert o == shapes.transposed_output_length(i, k, s, 0, a, d)
    assert shapes.conv_output_length(o, k, s, 0, d) == i


def test_every_module_uses_the_one_arithmetic():
    """conv, pooling and params re-export the functions of convnotes.shapes itself."""
    assert conv.output_size is shapes.output_size
    assert conv.padding_amounts is shapes.padding_amounts
    assert conv.total_padding is shapes.total_padding
    assert conv.effective_size is params.effective_kernel is shapes.effective_size
    assert conv.check_padding is shapes.check_padding
    assert conv.positive_ints is shapes.positive_ints
    assert pooling.pooled_size is shapes.pooled_size
    assert params.conv_output_length is shapes.conv_output_length
    assert params.pool_output_length is shapes.pool_output_length
    assert params.transposed_output_length is shapes.transposed_output_length
    assert params.keras_conv_output_length is shapes.keras_conv_output_length
    assert params.keras_transposed_output_length is shapes.keras_transposed_output_length
    assert params.RELATIONS is shapes.RELATIONS


def test_hand_computed_sizes():
    assert shapes.output_size(32, 3) == 30  # 32 - 3 + 1
    assert shapes.output_size(5, 3, "full") == 7  # 5 + 3 - 1
    assert shapes.output_size(7, 3, "valid", 2, 2) == 2  # span 5: windows at 0 and 2
    assert shapes.padding_amounts(6, 4, "same") == (1, 2)  # 3 zeros, the odd one after
    assert shapes.pool_output_length(22, 2) == 11
    assert shapes.pooled_size(55, 3, 2) == 27  # AlexNet's overlapping pooling
    assert shapes.keras_transposed_output_length(16, 3, 2, "same") == 32
    assert shapes.keras_conv_output_length(None, 3) is None


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: shapes.output_size(0, 3), ValueError, "n must be a positive integer, got 0"),
        (lambda: shapes.output_size(5, 3, stride=True), TypeError, "stride must be a positive"),
        (lambda: shapes.output_size(5, 3, "causal"), ValueError, "padding must be one of"),
        (lambda: shapes.pooled_size(5, 3, padding="full"), ValueError, "'valid', 'same'"),
        (lambda: shapes.positive_ints((1, 2), 3, "strides"), TypeError, "sequence of 3"),
        (lambda: shapes.conv_output_length(2, 4), ValueError, r"span 4\) is larger"),
    ],
)
def test_bad_arguments_name_the_argument_and_the_rule(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("relation", shapes.RELATIONS, ids=lambda r: f"relation-{r.number}")
def test_each_relation_is_a_case_of_the_general_formula(relation):
    assert relation.output() == relation.general_output()
    assert [r.number for r in shapes.RELATIONS] == list(range(1, 16))
