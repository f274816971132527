"""The pooling chapter's figure helper, and the tie rule of pool2d_backward against TensorFlow."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf

from convnotes import pooling
from convnotes.i18n import localize_digits
from convnotes.presentation import pooling as figures_pooling

FMAP = np.array([[1, 3, 2, 0], [4, 6, 1, 1], [0, 2, 5, 7], [1, 1, 3, 8]], dtype=float)
GRAD = np.array([[1.0, 2.0], [3.0, 4.0]])


def _routed():
    return {m: pooling.pool2d_backward(FMAP, GRAD, 2, mode=m) for m in ("max", "average", "min")}


def _cells(fig):
    """(facecolor, text, weight) of every grid square, in drawing order."""
    ax = fig.axes[0]
    grid_texts = [t for t in ax.texts if "\n" not in t.get_text()]
    colours = [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches]
    assert len(colours) == len(grid_texts)
    return [(c, t.get_text(), t.get_fontweight()) for c, t in zip(colours, grid_texts, strict=True)]


def test_routing_figure_shows_the_gradients_in_their_windows():
    fig = figures_pooling.plot_gradient_routing(FMAP, GRAD, _routed(), "en")
    cells = _cells(fig)
    assert len(cells) == 16 + 4 + 3 * 16
    fmap_cells, grad_cells, rest = cells[:16], cells[16:20], cells[20:]
    assert [float(t) for _, t, _ in fmap_cells] == FMAP.ravel().tolist()
    assert [float(t) for _, t, _ in grad_cells] == GRAD.ravel().tolist()
    # each upstream value has the colour of its window in the feature map
    window_colours = [fmap_cells[i][0] for i in (0, 2, 8, 10)]
    assert [c for c, _, _ in grad_cells] == window_colours
    for block, mode in zip(range(3), ("max", "average", "min"), strict=True):
        shown = rest[16 * block : 16 * (block + 1)]
        expected = pooling.pool2d_backward(FMAP, GRAD, 2, mode=mode).ravel()
        assert [float(t) for _, t, _ in shown] == expected.tolist()
        for (colour, _, weight), value, fmap_cell in zip(shown, expected, fmap_cells, strict=True):
            if value == 0:  # cells that receive nothing are white and faint
                assert colour == "#ffffff" and weight == "normal"
            else:  # the others keep their window's colour
                assert colour == fmap_cell[0] and weight == "bold"
    plt.close(fig)


def test_routing_figure_in_persian_uses_persian_digits_and_words():
    fig = figures_pooling.plot_gradient_routing(FMAP, GRAD, _routed(), "fa")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert localize_digits("0.25", "fa") in texts and "0.25" not in texts
    assert any("ادغام بیشینه" in t for t in texts)
    assert not any(ch in "0123456789" for t in texts for ch in t.split("\n")[0])
    plt.close(fig)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"fmap": np.ones((3, 4))}, ValueError, "multiples of pool_size"),
        ({"grad_output": np.ones((2, 3))}, ValueError, "pooled shape"),
        ({"routed": {}}, ValueError, "at least one mode"),
        ({"routed": {"median": np.zeros((4, 4))}}, ValueError, "routed keys"),
        ({"routed": {"max": np.zeros((2, 2))}}, ValueError, "shape of fmap"),
        ({"pool_size": 0}, ValueError, "positive integer"),
        ({"pool_size": 2.0}, TypeError, "positive integer"),
    ],
)
def test_routing_figure_rejects_bad_input(kwargs, error, message):
    args = {"fmap": FMAP, "grad_output": GRAD, "routed": _routed(), "lang": "en"} | kwargs
    with pytest.raises(error, match=message):
        figures_pooling.plot_gradient_routing(**args)


@pytest.mark.parametrize("mode", ["max", "min"])
def test_ties_go_to_the_first_winner_as_in_tensorflow(mode):
    """Every window ties; both pick the first extreme in row-major order."""
    sign = 1.0 if mode == "max" else -1.0
    ties = sign * np.array(
        [[5, 5, 1, 0], [5, 5, 0, 1], [2, 0, 3, 3], [0, 2, 3, 3]], dtype=np.float32
    )
    grad = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    ours = pooling.pool2d_backward(ties, grad, 2, mode=mode)
    x = tf.constant(ties[None, :, :, None])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(sign * x, 2, 2, "VALID") * sign
        loss = tf.reduce_sum(y * grad[None, :, :, None])
    theirs = tape.gradient(loss, x).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(ours, theirs)
    # by hand: the top-left value of every window gets its gradient
    expected = np.zeros((4, 4))
    expected[::2, ::2] = grad
    np.testing.assert_array_equal(ours, expected)
