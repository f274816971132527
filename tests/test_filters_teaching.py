"""The teaching additions to the filters chapter: normalisation, Sobel direction, LoG.

References: SciPy's ``gaussian_laplace`` for the Laplacian of Gaussian, the closed
form of the LoG, a direct loop over neighbour pairs for the zero crossings, NumPy
differences for the direction of the Sobel kernels, and hand computations.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import scipy.ndimage as ndi
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from convnotes import filters
from convnotes.presentation import filters as figures_filters


def smooth_image(seed: int, size: int = 48) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return ndi.gaussian_filter(rng.uniform(0, 255, (size, size)), 1.5)


# ------------------------------------------------------------- normalisation --


def test_a_larger_denominator_only_scales_the_box_blur():
    image = filters.sample_image("camera").image[100:164, 100:164]
    ones = np.ones((3, 3))
    by_9 = filters.apply_filter(image, ones / 9)
    by_25 = filters.apply_filter(image, ones / 25)
    # the same average, multiplied by 9/25: darker, not smoother
    np.testing.assert_allclose(by_25, by_9 * 9 / 25, rtol=1e-5, atol=1e-3)
    assert by_25.mean() == pytest.approx(image.mean() * 9 / 25, rel=0.01)
    # the shape of the result (brightness removed) is the same
    np.testing.assert_allclose(by_25 / by_25.mean(), by_9 / by_9.mean(), rtol=1e-4)


@pytest.mark.parametrize("kernel", ["box", "gaussian", "sharpen"])
def test_weights_that_sum_to_one_keep_a_flat_image(kernel):
    flat = np.full((12, 12), 173.0)
    for border in filters.BORDER_MODES:
        if border == "constant":
            continue  # zeros beyond the edge are darker than the image
        np.testing.assert_allclose(filters.apply_filter(flat, kernel, border=border), flat)


@given(scale=st.floats(0.05, 5.0), value=st.floats(1.0, 255.0))
@settings(max_examples=25, deadline=None)
def test_the_sum_of_the_weights_multiplies_brightness(scale, value):
    flat = np.full((9, 9), value)
    kernel = scale * filters.box_kernel(3)
    out = filters.apply_filter(flat, kernel)
    np.testing.assert_allclose(out, scale * value, rtol=1e-10)


def test_plot_normalisation_titles_report_the_means():
    image = filters.sample_image("camera").image[:64, :64]
    for lang in ("en", "fa"):
        fig = figures_filters.plot_normalisation(image, lang)
        titles = [ax.get_title() for ax in fig.axes]
        assert len(titles) == 4
        expected = f"{filters.apply_filter(image, np.ones((3, 3)) / 25).mean():.1f}"
        if lang == "fa":
            from convnotes.i18n import localize_digits

            expected = localize_digits(expected, "fa")
        assert expected in titles[2]
        matplotlib.pyplot.close(fig)


# ----------------------------------------------------------- Sobel direction --


def test_sobel_y_differentiates_down_the_columns_and_finds_horizontal_edges():
    square = np.zeros((20, 20))
    square[6:14, 6:14] = 100.0  # a bright square: two horizontal, two vertical sides
    gx = filters.apply_filter(square, "sobel_x")
    gy = filters.apply_filter(square, "sobel_y")
    # independent reference: a central difference down the rows is positive where
    # the image brightens downwards, i.e. on the top side of the square
    down = np.zeros_like(square)
    down[1:-1] = square[2:] - square[:-2]
    assert np.array_equal(np.sign(gy[:, 10]), np.sign(down[:, 10]))
    # the middle of the top side (a horizontal edge): Sobel y responds, Sobel x does not
    assert gy[6, 10] > 0 and gy[13, 10] < 0 and gx[6, 10] == 0
    # the middle of the left side (a vertical edge): the other way round
    assert gx[10, 6] > 0 and gx[10, 13] < 0 and gy[10, 6] == 0


# ------------------------------------------------------------------ LoG --


@pytest.mark.parametrize("sigma", [1.0, 2.0, 3.0])
def test_log_kernel_matches_scipy_gaussian_laplace(sigma):
    image = smooth_image(int(sigma))
    ours = filters.apply_filter(image, filters.log_kernel(sigma))
    theirs = ndi.gaussian_laplace(image, sigma, mode="mirror")
    inner = (slice(13, -13), slice(13, -13))
    error = np.abs(ours - theirs)[inner].max()
    assert error < 0.01 * np.abs(theirs[inner]).max()


def test_log_kernel_is_the_closed_form_shifted_to_zero_sum():
    sigma = 1.5
    kernel = filters.log_kernel(sigma)
    assert kernel.shape == (2 * int(np.ceil(4 * sigma)) + 1,) * 2 == (13, 13)
    centre = kernel.shape[0] // 2
    closed = np.empty_like(kernel)
    for r in range(kernel.shape[0]):
        for c in range(kernel.shape[1]):
            rr = (r - centre) ** 2 + (c - centre) ** 2
            closed[r, c] = (
                (rr - 2 * sigma**2) / (2 * np.pi * sigma**6) * np.exp(-rr / (2 * sigma**2))
            )
    np.testing.assert_allclose(kernel, closed - closed.mean(), atol=1e-15)
    assert abs(kernel.sum()) < 1e-12 and kernel[centre, centre] == kernel.min() < 0
    assert filters.log_kernel(1.0, size=5).shape == (5, 5)


def test_log_zero_crossing_sits_on_the_edge():
    step = filters.blurred_step(rows=32)
    response = filters.apply_filter(step, filters.log_kernel(2.0))
    middle = step.shape[0] // 2
    columns = np.flatnonzero(filters.zero_crossings(response)[middle])
    sobel_peak = int(np.argmax(filters.apply_filter(step, "sobel_x")[middle]))
    assert list(columns) == [sobel_peak] == [step.shape[1] // 2]
    # the Laplacian's sign: positive on the dark side, negative on the bright side
    assert response[middle, sobel_peak - 3] > 0 > response[middle, sobel_peak + 3]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"sigma": 0.0}, ValueError),
        ({"sigma": float("nan")}, ValueError),
        ({"sigma": "2"}, TypeError),
        ({"sigma": True}, TypeError),
        ({"sigma": 1.0, "size": 4}, ValueError),
        ({"sigma": 1.0, "size": 1}, ValueError),
        ({"sigma": 1.0, "size": 3.0}, TypeError),
    ],
)
def test_log_kernel_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error, match="sigma|size"):
        filters.log_kernel(**kwargs)


# ------------------------------------------------------------ zero crossings --


def crossings_by_loop(values: np.ndarray, threshold: float) -> np.ndarray:
    marked = np.zeros(values.shape, dtype=bool)
    height, width = values.shape
    for r in range(height):
        for c in range(width):
            for dr, dc in ((0, 1), (1, 0)):
                r2, c2 = r + dr, c + dc
                if r2 >= height or c2 >= width:
                    continue
                a, b = values[r, c], values[r2, c2]
                if ((a < 0 < b) or (b < 0 < a)) and abs(a - b) > threshold:
                    if abs(a) <= abs(b):
                        marked[r, c] = True
                    if abs(b) <= abs(a):
                        marked[r2, c2] = True
    return marked


@given(
    values=arrays(
        np.float64,
        st.tuples(st.integers(1, 7), st.integers(1, 7)),
        elements=st.sampled_from([-3.0, -1.5, -0.5, 0.0, 0.5, 1.5, 3.0]),
    ),
    threshold=st.sampled_from([0.0, 1.0, 2.0, 4.0]),
)
@settings(max_examples=40, deadline=None)
def test_zero_crossings_match_a_direct_loop(values, threshold):
    result = filters.zero_crossings(values, threshold)
    assert result.dtype == bool and result.shape == values.shape
    assert np.array_equal(result, crossings_by_loop(values, threshold))


def test_zero_crossings_need_a_strict_change_of_sign():
    assert not filters.zero_crossings(np.array([[0.0, 2.0, 0.0, -0.0, 3.0]])).any()
    assert not filters.zero_crossings(np.ones((4, 4))).any()
    # a larger threshold keeps fewer crossings
    response = filters.apply_filter(smooth_image(5), filters.log_kernel(2.0))
    counts = [filters.zero_crossings(response, t).sum() for t in (0.0, 0.5, 2.0)]
    assert counts[0] > counts[1] > counts[2]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((np.zeros((3, 3, 2)),), ValueError),
        ((np.zeros((3, 3)), -1.0), ValueError),
        ((np.zeros((3, 3)), float("inf")), ValueError),
        ((np.zeros((3, 3)), "1"), TypeError),
        ((np.array([["a"]]),), TypeError),
    ],
)
def test_zero_crossings_reject_bad_arguments(args, error):
    with pytest.raises(error, match="response|threshold"):
        filters.zero_crossings(*args)


def test_plot_edge_detectors_draws_every_panel_and_reports_shares():
    edges = np.zeros((8, 8))
    edges[2, :4] = 255  # 4 of 64 pixels: 6.25 %
    arrays_ = {key: edges for key, _, _ in figures_filters.EDGE_PANELS}
    fig = figures_filters.plot_edge_detectors(arrays_, "en", 2.0)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 6 and "σ = 2" in titles[0]
    assert all("6.2% of the pixels" in t for t in titles[2:])
    matplotlib.pyplot.close(fig)
    with pytest.raises(ValueError, match="missing"):
        figures_filters.plot_edge_detectors({"kernel": edges}, "fa", 2.0)
