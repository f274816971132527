"""The multiply-add column of ``summary_html`` (the parameters chapter's tables).

References: the multiply-adds of every layer worked by hand (output positions x
filters x kernel taps x input channels; units x inputs for a dense layer) and the
parameter counts that Keras' ``count_params`` gives (tests/test_params.py).
"""

from __future__ import annotations

import re

import pytest

from convnotes import params
from convnotes.i18n import localize_digits
from convnotes.presentation.params import summary_html

_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
_TAG = re.compile(r"<[^>]+>")


def parse(table: str) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Header cells, body rows and footer rows of an HTML table, as plain text."""
    head = table[table.index("<thead>") : table.index("</thead>")]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    foot = table[table.index("<tfoot>") : table.index("</tfoot>")]

    def rows(part: str) -> list[list[str]]:
        return [[_TAG.sub("", c) for c in _CELL.findall(r)] for r in _ROW.findall(part)]

    return rows(head)[0], rows(body), rows(foot)


# The course exercise, by hand: 28x28x1 -> Conv2D(20, 7) -> MaxPooling2D(2)
# -> Conv2D(10, 5) -> LocallyConnected2D(2, 3) -> Flatten -> Dense(10).
EXERCISE_MACS = [
    0,  # input
    22 * 22 * 20 * 7 * 7 * 1,  # 474,320
    0,  # max pooling
    7 * 7 * 10 * 5 * 5 * 20,  # 245,000
    5 * 5 * 2 * 3 * 3 * 10,  # 4,500: one multiply per weight, none shared
    0,  # flatten
    10 * 50,  # 500
]


def test_exercise_table_has_a_macs_column_worked_by_hand():
    summary = params.summarize(params.SOURCE_EXERCISE_MODEL)
    header, body, foot = parse(summary_html(summary, "en", macs=True))
    assert header == ["Layer (type)", "Output shape", "Param #", "Multiply-adds", "Formula"]
    assert all(len(row) == 5 for row in body)
    assert [int(row[3].replace(",", "")) for row in body] == EXERCISE_MACS
    assert [int(row[2].replace(",", "")) for row in body] == [0, 1000, 0, 5010, 4550, 0, 510]
    assert foot[-1][0] == "Total multiply-adds per example"
    assert int(foot[-1][2].replace(",", "")) == sum(EXERCISE_MACS) == 724_320
    assert all(len(row) == 4 for row in foot)  # label spans two columns


def test_persian_macs_column_uses_persian_digits():
    summary = params.summarize(params.SOURCE_EXERCISE_MODEL)
    header, body, foot = parse(summary_html(summary, "fa", macs=True))
    assert header[3] == "ضرب‌وجمع‌ها"
    assert body[1][3] == localize_digits("474,320", "fa") == "۴۷۴٬۳۲۰"
    assert foot[-1][2] == localize_digits(f"{sum(EXERCISE_MACS):,}", "fa")
    # formulas stay as left-to-right code with Latin digits
    assert "20 x (7 x 7 x 1 + 1) = 1,000" in body[1][4]


def test_default_table_is_unchanged():
    summary = params.summarize(params.SOURCE_EXERCISE_MODEL)
    header, body, foot = parse(summary_html(summary, "en"))
    assert header == ["Layer (type)", "Output shape", "Param #", "Formula"]
    assert all(len(row) == 4 for row in body) and len(foot) == 3


def test_cifar_convolutions_dominate_the_macs_column():
    summary = params.summarize(params.tuned_cifar10_specs())
    _, body, _ = parse(summary_html(summary, "en", macs=True))
    macs = {row[0]: int(row[3].replace(",", "")) for row in body}
    # by hand: positions x filters x 3 x 3 x input channels
    assert macs["conv2d (Conv2D)"] == 32 * 32 * 48 * 9 * 3
    assert macs["conv2d_1 (Conv2D)"] == 32 * 32 * 48 * 9 * 48
    assert macs["conv2d_2 (Conv2D)"] == 16 * 16 * 96 * 9 * 48
    assert macs["conv2d_3 (Conv2D)"] == 16 * 16 * 96 * 9 * 96
    assert macs["dense (Dense)"] == 8 * 8 * 96 * 128
    conv = sum(v for k, v in macs.items() if "Conv2D" in k)
    assert conv / sum(macs.values()) > 0.98


def test_unknown_spatial_size_is_reported():
    summary = params.summarize_specs(
        [params.layer("Conv2D", filters=2, kernel_size=3)], (None, None, 3)
    )
    assert "Param #" in summary_html(summary, "en")  # the parameter table still works
    with pytest.raises(ValueError, match="known spatial sizes"):
        summary_html(summary, "en", macs=True)
