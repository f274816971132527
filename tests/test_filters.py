"""convnotes.filters against OpenCV built-ins, scipy.ndimage, skimage.filters and hand sums."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from skimage import data as skdata
from skimage import filters as skfilters

from convnotes import filters
from convnotes.presentation import filters as figures_filters

BORDERS = list(filters.BORDER_MODES)


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    """A 96 x 128 uint8 crop of the camera photograph (face and camera: many edges)."""
    return skdata.camera()[100:196, 150:278].copy()


# --------------------------------------------------------------------------- kernels


def test_kernels_by_hand() -> None:
    np.testing.assert_array_equal(filters.get_kernel("box"), np.full((3, 3), 1 / 9))
    np.testing.assert_array_equal(
        filters.get_kernel("laplacian"), [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
    )
    np.testing.assert_array_equal(
        filters.get_kernel("laplacian_8"), [[1, 1, 1], [1, -8, 1], [1, 1, 1]]
    )
    np.testing.assert_array_equal(
        filters.get_kernel("sobel_x"), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    )
    np.testing.assert_array_equal(
        filters.get_kernel("sobel_y"), [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
    )
    np.testing.assert_array_equal(
        filters.get_kernel("scharr_x"), [[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]]
    )
    np.testing.assert_array_equal(
        filters.get_kernel("prewitt_y"), [[-1, -1, -1], [0, 0, 0], [1, 1, 1]]
    )
    identity = np.zeros((3, 3))
    identity[1, 1] = 1
    np.testing.assert_array_equal(
        filters.get_kernel("sharpen"), identity - filters.get_kernel("laplacian")
    )
    for name in ("sobel", "scharr", "prewitt"):
        np.testing.assert_array_equal(
            filters.get_kernel(f"{name}_y"), filters.get_kernel(f"{name}_x").T
        )


def test_kernel_sums_and_opencv_coefficients() -> None:
    for name in filters.KERNEL_NAMES:
        total = filters.get_kernel(name).sum()
        expected = 1.0 if name in ("box", "gaussian", "sharpen") else 0.0
        assert total == pytest.approx(expected, abs=1e-12), name
        assert filters.is_signed_kernel(name) == (expected == 0.0)
    # OpenCV's own derivative coefficients: Sobel order 1 is [-1 0 1], smoothing [1 2 1].
    kx, ky = cv2.getDerivKernels(1, 0, 3, normalize=False)
    np.testing.assert_array_equal(np.outer(ky, kx), filters.get_kernel("sobel_x"))
    column = cv2.getGaussianKernel(7, 1.5)
    np.testing.assert_allclose(filters.gaussian_kernel(7, 1.5), column @ column.T)
    np.testing.assert_allclose(filters.box_kernel(5), np.full((5, 5), 1 / 25))


def test_get_kernel_returns_independent_copies() -> None:
    kernel = filters.get_kernel("sobel_x")
    kernel[:] = 99
    assert filters.get_kernel("sobel_x")[0, 0] == -1


def test_source_kernels() -> None:
    assert dict(filters.SOURCE_KERNELS) == {
        "Kernel1": "box",
        "Kernel2": "laplacian",
        "Kernel3": "sobel_y",
        "Kernel4": "sobel_x",
    }
    assert set(figures_filters.KERNEL_TITLES) == set(filters.KERNEL_NAMES)


# --------------------------------------------------------------------------- hand computations


def test_box_blur_is_the_local_mean(photo: np.ndarray) -> None:
    blurred = filters.apply_filter(photo, "box")
    rows, cols = np.meshgrid(np.arange(1, 95), np.arange(1, 127), indexing="ij")
    windows = np.lib.stride_tricks.sliding_window_view(photo.astype(np.float64), (3, 3))
    np.testing.assert_allclose(blurred[1:-1, 1:-1], windows.mean(axis=(2, 3)), atol=1e-4)
    assert rows.shape == blurred[1:-1, 1:-1].shape


def test_small_example_by_hand() -> None:
    image = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype=np.uint8)
    # Corner under zero padding: (1 + 2 + 4 + 5) / 9.
    assert filters.apply_filter(image, "box", border="constant")[0, 0] == pytest.approx(12 / 9)
    # Sobel x at the centre: (3 - 1) + 2 (6 - 4) + (9 - 7) = 8.
    assert filters.apply_filter(image, "sobel_x")[1, 1] == 8
    # Sobel y at the centre: (7 - 1) + 2 (8 - 2) + (9 - 3) = 24.
    assert filters.apply_filter(image, "sobel_y")[1, 1] == 24
    # The Laplacian of a linear ramp is 0.
    assert filters.apply_filter(image, "laplacian")[1, 1] == 0
    # A single bright pixel: the Laplacian is -4 there, +1 at its four neighbours.
    impulse = np.zeros((5, 5), np.uint8)
    impulse[2, 2] = 1
    np.testing.assert_array_equal(
        filters.apply_filter(impulse, "laplacian", border="constant")[1:4, 1:4],
        [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    )


def test_step_edges_and_sign() -> None:
    vertical_edge = np.array([[0, 0, 9, 9]] * 4, np.uint8)
    gx = filters.apply_filter(vertical_edge, "sobel_x", border="replicate")
    gy = filters.apply_filter(vertical_edge, "sobel_y", border="replicate")
    np.testing.assert_array_equal(gx, [[0, 36, 36, 0]] * 4)
    np.testing.assert_array_equal(gy, np.zeros((4, 4)))
    # Bright-to-dark keeps its negative sign, even for uint8 input.
    assert filters.apply_filter(vertical_edge[:, ::-1], "sobel_x").min() == -36
    horizontal_edge = vertical_edge.T.copy()
    np.testing.assert_array_equal(
        filters.apply_filter(horizontal_edge, "sobel_y", border="replicate"), gx.T
    )


def test_reflect_101_zeroes_sobel_y_on_the_first_row(photo: np.ndarray) -> None:
    # Row -1 mirrors row 1 around row 0, so the y-difference vanishes there exactly.
    assert np.all(filters.apply_filter(photo, "sobel_y", border="reflect_101")[0] == 0)
    # For a 3x3 kernel, reflect and replicate both copy row 0 into row -1.
    np.testing.assert_array_equal(
        filters.apply_filter(photo, "sobel_y", border="reflect"),
        filters.apply_filter(photo, "sobel_y", border="replicate"),
    )
    constant = filters.apply_filter(photo, "sobel_y", border="constant")[0]
    assert np.all(constant >= 0) and constant.mean() > 100  # image against zeros


def test_pad_with_border_by_hand() -> None:
    row = np.array([[1, 2, 3, 4, 5]], np.uint8)
    padded = {b: filters.pad_with_border(row, 2, b)[2].tolist() for b in BORDERS}
    assert padded == {
        "constant": [0, 0, 1, 2, 3, 4, 5, 0, 0],
        "reflect": [2, 1, 1, 2, 3, 4, 5, 5, 4],
        "reflect_101": [3, 2, 1, 2, 3, 4, 5, 4, 3],
        "replicate": [1, 1, 1, 2, 3, 4, 5, 5, 5],
    }
    for border in BORDERS:  # the same extension as NumPy's pad
        numpy_mode = {
            "constant": "constant",
            "reflect": "symmetric",
            "reflect_101": "reflect",
            "replicate": "edge",
        }[border]
        np.testing.assert_array_equal(padded[border], np.pad(row[0], 2, mode=numpy_mode))


# --------------------------------------------------------------------------- OpenCV built-ins


@pytest.mark.parametrize("border", BORDERS)
def test_matches_opencv_builtins(photo: np.ndarray, border: str) -> None:
    flag = filters.BORDER_MODES[border]
    source = photo.astype(np.float32)
    pairs = {
        "sobel_x": cv2.Sobel(source, cv2.CV_32F, 1, 0, ksize=3, borderType=flag),
        "sobel_y": cv2.Sobel(source, cv2.CV_32F, 0, 1, ksize=3, borderType=flag),
        "scharr_x": cv2.Scharr(source, cv2.CV_32F, 1, 0, borderType=flag),
        "scharr_y": cv2.Scharr(source, cv2.CV_32F, 0, 1, borderType=flag),
        "laplacian": cv2.Laplacian(source, cv2.CV_32F, ksize=1, borderType=flag),
        "box": cv2.blur(source, (3, 3), borderType=flag),
        "gaussian": cv2.GaussianBlur(source, (5, 5), 1.0, borderType=flag),
    }
    for name, expected in pairs.items():
        np.testing.assert_allclose(
            filters.apply_filter(photo, name, border=border), expected, atol=2e-3, err_msg=name
        )


def test_uint8_input_is_not_clipped_like_opencv_same_depth(photo: np.ndarray) -> None:
    ours = filters.apply_filter(photo, "sobel_x")
    assert ours.dtype == np.float32 and ours.min() < 0 and ours.max() > 255
    same_depth = cv2.filter2D(photo, -1, filters.get_kernel("sobel_x"))
    assert same_depth.dtype == np.uint8
    np.testing.assert_array_equal(same_depth, np.clip(np.round(ours), 0, 255))
    results = filters.uint8_pitfall(photo)
    np.testing.assert_array_equal(results["uint8"], same_depth)
    np.testing.assert_array_equal(results["abs"], np.clip(np.abs(ours), 0, 255))


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        (np.uint8, np.float32),
        (np.int8, np.float32),
        (np.uint16, np.float32),
        (np.int16, np.float32),
        (np.float16, np.float32),
        (np.float32, np.float32),
        (np.int32, np.float64),
        (np.int64, np.float64),
        (np.uint32, np.float64),
        (np.float64, np.float64),
    ],
)
def test_output_dtype(dtype: type, expected: type) -> None:
    image = (np.arange(30).reshape(5, 6) % 7).astype(dtype)
    result = filters.apply_filter(image, "sobel_x")
    assert result.dtype == expected
    np.testing.assert_allclose(
        result,
        ndi.correlate(image.astype(np.float64), filters.get_kernel("sobel_x"), mode="mirror"),
        atol=1e-5,
    )


def test_large_values_stay_exact_in_float64() -> None:
    image = np.array([[0, 2**40 + 1, 0]] * 3, dtype=np.int64)  # not a float32 number
    assert filters.apply_filter(image, np.ones((1, 3)), border="constant")[0, 0] == 2**40 + 1


def test_channels_are_filtered_independently(photo: np.ndarray) -> None:
    colour = np.stack([photo, photo[::-1], 255 - photo], axis=-1)
    result = filters.apply_filter(colour, "sobel_y", border="replicate")
    assert result.shape == colour.shape
    for channel in range(3):
        np.testing.assert_array_equal(
            result[..., channel],
            filters.apply_filter(colour[..., channel], "sobel_y", border="replicate"),
        )
    single = filters.apply_filter(photo[..., None], "box")
    assert single.shape == (*photo.shape, 1)


# --------------------------------------------------------------------------- scipy.ndimage


@pytest.mark.parametrize("border", BORDERS)
@pytest.mark.parametrize("name", filters.KERNEL_NAMES)
def test_matches_scipy_correlate(photo: np.ndarray, border: str, name: str) -> None:
    mode = filters.SCIPY_BORDER_MODES[border]
    expected = ndi.correlate(photo.astype(np.float64), filters.get_kernel(name), mode=mode)
    np.testing.assert_allclose(
        filters.apply_filter(photo.astype(np.float64), name, border=border), expected, atol=1e-9
    )


@pytest.mark.parametrize("border", BORDERS)
def test_convolve_flips_the_kernel(photo: np.ndarray, border: str) -> None:
    rng = np.random.default_rng(4)
    kernel = rng.normal(size=(3, 5))  # asymmetric
    image = photo.astype(np.float64)
    mode = filters.SCIPY_BORDER_MODES[border]
    np.testing.assert_allclose(
        filters.apply_filter(image, kernel, border=border, operation="convolve"),
        ndi.convolve(image, kernel, mode=mode),
        atol=1e-9,
    )
    # Antisymmetric Sobel: convolution is correlation with the sign flipped.
    np.testing.assert_array_equal(
        filters.apply_filter(image, "sobel_x", border=border, operation="convolve"),
        -filters.apply_filter(image, "sobel_x", border=border),
    )
    # Symmetric kernels do not care.
    np.testing.assert_allclose(
        filters.apply_filter(image, "gaussian", border=border, operation="convolve"),
        filters.apply_filter(image, "gaussian", border=border),
        atol=1e-9,
    )


def test_impulse_responses() -> None:
    responses = filters.impulse_responses("sobel_x")
    np.testing.assert_array_equal(
        responses["correlate"][1:4, 1:4], filters.get_kernel("sobel_x")[::-1, ::-1]
    )
    np.testing.assert_array_equal(responses["convolve"][1:4, 1:4], filters.get_kernel("sobel_x"))


def test_even_kernel_with_anchor() -> None:
    image = np.arange(42, dtype=np.float64).reshape(6, 7) ** 1.5
    kernel = np.array([[1.0, -2.0], [3.0, 0.5]])
    for anchor in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        origin = (anchor[0] - 1, anchor[1] - 1)  # scipy: centre = size // 2 + origin
        for border in BORDERS:
            np.testing.assert_allclose(
                filters.apply_filter(image, kernel, border=border, anchor=anchor),
                ndi.correlate(
                    image, kernel, mode=filters.SCIPY_BORDER_MODES[border], origin=origin
                ),
                atol=1e-9,
                err_msg=f"{anchor} {border}",
            )


def test_large_kernel(photo: np.ndarray) -> None:
    # OpenCV switches to a DFT for large kernels; results stay within float32 rounding.
    kernel = filters.gaussian_kernel(21, 4.0)
    image = photo.astype(np.float64)
    np.testing.assert_allclose(
        filters.apply_filter(photo, kernel),
        ndi.correlate(image, kernel, mode="mirror"),
        atol=1e-2,
    )


@settings(max_examples=60, deadline=None)
@given(
    height=st.integers(1, 12),
    width=st.integers(1, 12),
    kernel_rows=st.integers(0, 3),
    kernel_cols=st.integers(0, 3),
    border=st.sampled_from(BORDERS),
    convolve=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_random_shapes_match_scipy(
    height: int,
    width: int,
    kernel_rows: int,
    kernel_cols: int,
    border: str,
    convolve: bool,
    seed: int,
) -> None:
    kernel_shape = (
        min(2 * kernel_rows + 1, height - (1 - height % 2)),
        min(2 * kernel_cols + 1, width - (1 - width % 2)),
    )
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, size=(height, width)).astype(np.uint8)
    kernel = rng.normal(size=kernel_shape)
    operation = "convolve" if convolve else "correlate"
    reference = ndi.convolve if convolve else ndi.correlate
    mode = filters.SCIPY_BORDER_MODES[border]
    expected = reference(image.astype(np.float64), kernel, mode=mode)
    np.testing.assert_allclose(
        filters.apply_filter(image, kernel, border=border, operation=operation),
        expected,
        rtol=1e-5,
        atol=1e-3,
    )


@settings(max_examples=40, deadline=None)
@given(
    kernel_shape=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    extra=st.tuples(st.integers(0, 6), st.integers(0, 6)),
    anchor_fraction=st.tuples(st.floats(0, 0.999), st.floats(0, 0.999)),
    border=st.sampled_from(BORDERS),
    seed=st.integers(0, 2**32 - 1),
)
def test_random_anchors_match_scipy_origin(
    kernel_shape, extra, anchor_fraction, border, seed
) -> None:
    rng = np.random.default_rng(seed)
    shape = (kernel_shape[0] + extra[0], kernel_shape[1] + extra[1])
    image = rng.normal(size=shape)
    kernel = rng.normal(size=kernel_shape)
    anchor = tuple(int(f * k) for f, k in zip(anchor_fraction, kernel_shape, strict=True))
    origin = tuple(a - k // 2 for a, k in zip(anchor, kernel_shape, strict=True))
    expected = ndi.correlate(image, kernel, mode=filters.SCIPY_BORDER_MODES[border], origin=origin)
    np.testing.assert_allclose(
        filters.apply_filter(image, kernel, border=border, anchor=anchor), expected, atol=1e-9
    )


# --------------------------------------------------------------------------- skimage.filters


def test_matches_skimage_edge_filters(photo: np.ndarray) -> None:
    # skimage converts uint8 to [0, 1], normalises the smoothing weights to sum 1
    # and uses scipy's 'reflect' (OpenCV's BORDER_REFLECT). Same signs as OpenCV.
    scale = 255.0
    checks = [
        ("sobel_y", skfilters.sobel_h, 4.0),
        ("sobel_x", skfilters.sobel_v, 4.0),
        ("scharr_y", skfilters.scharr_h, 16.0),
        ("scharr_x", skfilters.scharr_v, 16.0),
        ("prewitt_y", skfilters.prewitt_h, 3.0),
        ("prewitt_x", skfilters.prewitt_v, 3.0),
    ]
    for name, function, normaliser in checks:
        np.testing.assert_allclose(
            filters.apply_filter(photo, name, border="reflect"),
            function(photo) * scale * normaliser,
            atol=2e-3,
            err_msg=name,
        )
    # skimage's Laplacian has the opposite sign: centre +4, neighbours -1.
    np.testing.assert_allclose(
        filters.apply_filter(photo, "laplacian", border="reflect"),
        -skfilters.laplace(photo, ksize=3) * scale,
        atol=2e-3,
    )


def test_gradient_magnitude_matches_skimage(photo: np.ndarray) -> None:
    # skimage's magnitude is sqrt((gx^2 + gy^2) / 2) of its normalised responses.
    for operator, normaliser, function in [
        ("sobel", 4.0, skfilters.sobel),
        ("scharr", 16.0, skfilters.scharr),
        ("prewitt", 3.0, skfilters.prewitt),
    ]:
        magnitude, _ = filters.gradient(photo, operator, border="reflect")
        np.testing.assert_allclose(
            magnitude,
            function(photo) * 255.0 * normaliser * np.sqrt(2.0),
            atol=5e-3,
        )


# --------------------------------------------------------------------------- gradient


def test_gradient_against_opencv(photo: np.ndarray) -> None:
    magnitude, direction = filters.gradient(photo)
    gx = cv2.Sobel(photo, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(photo, cv2.CV_32F, 0, 1)
    np.testing.assert_allclose(magnitude, np.hypot(gx, gy), rtol=1e-6)
    np.testing.assert_allclose(direction, np.arctan2(gy, gx), atol=1e-6)
    assert direction.min() >= -np.pi and direction.max() <= np.pi
    # OpenCV's own polar conversion agrees up to its 0.3-degree approximation.
    cv_magnitude, cv_angle = cv2.cartToPolar(gx, gy, angleInDegrees=True)
    np.testing.assert_allclose(cv_magnitude, magnitude, rtol=1e-5)
    strong = magnitude > 50
    difference = (np.degrees(direction)[strong] - cv_angle[strong] + 180) % 360 - 180
    assert np.abs(difference).max() < 0.5


def test_gradient_direction_by_hand() -> None:
    disc = np.zeros((21, 21))
    yy, xx = np.mgrid[0:21, 0:21]
    disc[(yy - 10) ** 2 + (xx - 10) ** 2 <= 36] = 1.0
    _, direction = filters.gradient(disc)
    # Gradients point towards brighter pixels: into the disc.
    assert np.degrees(direction[10, 16]) == pytest.approx(180.0)  # right rim: points left
    assert np.degrees(direction[10, 4]) == pytest.approx(0.0)  # left rim: points right
    assert np.degrees(direction[4, 10]) == pytest.approx(90.0)  # top rim: points down
    assert np.degrees(direction[16, 10]) == pytest.approx(-90.0)  # bottom rim: points up


def test_direction_error_ranks_operators() -> None:
    errors = {
        op: np.abs(filters.direction_error(op, 4.0)).max() for op in filters.GRADIENT_OPERATORS
    }
    assert errors["scharr"] < 0.5 < errors["sobel"] < errors["prewitt"]
    # Axis-aligned and diagonal waves are measured exactly by every operator (symmetry).
    for op in filters.GRADIENT_OPERATORS:
        np.testing.assert_allclose(filters.direction_error(op, 4.0, [0, 45, 90]), 0, atol=1e-9)
    # Longer waves are easier: the error shrinks.
    assert np.abs(filters.direction_error("sobel", 8.0)).max() < errors["sobel"]


# --------------------------------------------------------------------------- bad input


BAD_CALLS = [
    (lambda: filters.apply_filter(np.zeros(5), "box"), ValueError, r"image must be 2-D"),
    (lambda: filters.apply_filter(np.zeros((2, 3, 4, 5)), "box"), ValueError, r"4-D array"),
    (lambda: filters.apply_filter(np.zeros((0, 5)), "box"), ValueError, r"must not be empty"),
    (
        lambda: filters.apply_filter(np.zeros((5, 5, 513)), "box"),
        ValueError,
        r"at most 512 channels",
    ),
    (lambda: filters.apply_filter(np.array([["a", "b"]]), "box"), TypeError, r"real numbers"),
    (lambda: filters.apply_filter(np.ones((3, 3), bool), "box"), TypeError, r"dtype bool"),
    (lambda: filters.apply_filter(np.ones((3, 3), complex), "box"), TypeError, r"complex"),
    (lambda: filters.apply_filter([[1, 2], [3]], "box"), TypeError, r"image must be an array"),
    (
        lambda: filters.apply_filter(np.ones((5, 5)), "sobel"),
        ValueError,
        r"kernel must be one of box, .*got 'sobel'",
    ),
    (lambda: filters.apply_filter(np.ones((5, 5)), np.ones(3)), ValueError, r"kernel must be 2-D"),
    (
        lambda: filters.apply_filter(np.ones((5, 5)), np.ones((0, 3))),
        ValueError,
        r"kernel must not be empty",
    ),
    (
        lambda: filters.apply_filter(np.ones((5, 5)), np.array([[1, np.nan, 1]])),
        ValueError,
        r"finite",
    ),
    (
        lambda: filters.apply_filter(np.ones((5, 5)), np.ones((2, 2))),
        ValueError,
        r"odd height and width.*anchor=\(row, col\)",
    ),
    (
        lambda: filters.apply_filter(np.ones((5, 5)), np.ones((2, 2)), anchor=(2, 0)),
        ValueError,
        r"anchor must lie inside",
    ),
    (
        lambda: filters.apply_filter(np.ones((5, 5)), np.ones((2, 2)), anchor=(1,)),
        TypeError,
        r"anchor must be a pair",
    ),
    (
        lambda: filters.apply_filter(np.ones((3, 4)), np.ones((5, 5))),
        ValueError,
        r"kernel must not be larger than the image",
    ),
    (
        lambda: filters.apply_filter(np.ones((5, 5)), "box", border="wrap"),
        ValueError,
        r"border must be one of constant, reflect, reflect_101, replicate; got 'wrap'",
    ),
    (
        lambda: filters.apply_filter(np.ones((5, 5)), "box", border=cv2.BORDER_REFLECT),
        TypeError,
        r"border must be a string",
    ),
    (
        lambda: filters.apply_filter(np.ones((5, 5)), "box", operation="flip"),
        ValueError,
        r"operation must be one of correlate, convolve",
    ),
    (lambda: filters.gradient(np.ones((5, 5, 3))), ValueError, r"single-channel"),
    (
        lambda: filters.gradient(np.ones((5, 5)), "roberts"),
        ValueError,
        r"operator must be one of sobel, scharr, prewitt",
    ),
    (lambda: filters.gaussian_kernel(4, 1.0), ValueError, r"size must be a positive odd"),
    (lambda: filters.gaussian_kernel(5, 0.0), ValueError, r"sigma must be a positive"),
    (lambda: filters.box_kernel(3.0), TypeError, r"size must be an integer"),
    (lambda: filters.get_kernel(3), TypeError, r"kernel name must be a string"),
    (lambda: filters.sample_image("lena"), ValueError, r"name must be one of camera"),
    (
        lambda: figures_filters.credit(filters.sample_image("camera"), "de"),
        ValueError,
        r"lang must be one of",
    ),
    (
        lambda: filters.pad_with_border(np.ones((2, 2)), -1, "reflect"),
        ValueError,
        r"width must be a non-negative",
    ),
    (lambda: filters.direction_error("sobel", 2.0), ValueError, r"wavelength must be"),
    (lambda: filters.uint8_pitfall(np.ones((5, 5))), TypeError, r"dtype uint8"),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_CALLS)
def test_bad_input(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


# --------------------------------------------------------------------------- sample images


@pytest.mark.parametrize("name", filters.SAMPLE_NAMES)
def test_sample_images_and_credits(name: str) -> None:
    sample = filters.sample_image(name)
    assert sample.image.dtype == np.uint8 and sample.image.ndim in (2, 3)
    # The credit repeats what scikit-image's own docstring says about the photograph.
    docstring = " ".join(getattr(skdata, name).__doc__.split())
    assert sample.author in docstring
    assert sample.licence.lower() in docstring.lower()
    for lang in ("en", "fa"):
        assert sample.author in figures_filters.credit(sample, lang)
        assert "scikit-image" in figures_filters.credit(sample, lang)
    assert ("CC0" in figures_filters.credit(sample, "fa")) == (sample.licence == "CC0")
    assert ("public domain" in figures_filters.credit(sample, "fa")) == (
        sample.licence == "public domain"
    )
    gray = filters.sample_image(name, gray=True).image
    assert gray.ndim == 2 and gray.shape == sample.image.shape[:2]
    if sample.image.ndim == 3:
        np.testing.assert_array_equal(gray, cv2.cvtColor(sample.image, cv2.COLOR_RGB2GRAY))


def test_persian_credits_use_persian_letters() -> None:
    for name in filters.SAMPLE_NAMES:
        text = figures_filters.credit(filters.sample_image(name), "fa")
        assert "ي" not in text and "ك" not in text  # Arabic yeh and kaf


# --------------------------------------------------------------------------- figures


def test_figures_build_in_both_languages(photo: np.ndarray) -> None:
    small = photo[:48, :64]
    makers = [
        lambda lang: figures_filters.plot_kernels(list(filters.SOURCE_KERNELS.values()), lang),
        lambda lang: figures_filters.plot_kernels(["gaussian", "sharpen"], lang, ncols=1),
        lambda lang: figures_filters.plot_filter_responses(
            small, ["box", "sobel_x"], lang, with_magnitude=True
        ),
        figures_filters.plot_edge_profile,
        figures_filters.plot_correlation_vs_convolution,
        lambda lang: figures_filters.plot_border_effects(small, lang, size=5, rows=12, corner=16),
        lambda lang: figures_filters.plot_gradient(small, lang, operator="scharr"),
        lambda lang: figures_filters.plot_uint8_pitfall(small, lang),
        lambda lang: figures_filters.plot_direction_error(lang, 5.0),
    ]
    import matplotlib.pyplot as plt

    for make in makers:
        titles = {}
        for lang in ("en", "fa"):
            figure = make(lang)
            assert isinstance(figure, Figure)
            titles[lang] = [
                text
                for ax in figure.axes
                for text in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel())
                if text
            ]
            plt.close(figure)
        assert titles["en"] and len(titles["en"]) == len(titles["fa"])
        assert titles["en"] != titles["fa"] or all(
            t in filters.BORDER_MODES for t in titles["en"][:4]
        )


def test_direction_colours() -> None:
    magnitude = np.array([[0.0, 10.0, 10.0]])
    direction = np.array([[0.0, -np.pi, 0.0]])
    colours = figures_filters.direction_colours(magnitude, direction, percentile=100)
    np.testing.assert_array_equal(colours[0, 0], [0, 0, 0])  # flat: black
    np.testing.assert_allclose(colours[0, 1], [1, 0, 0])  # -180 degrees: hue 0, red
    np.testing.assert_allclose(colours[0, 2], [0, 1, 1])  # 0 degrees: hue 0.5, cyan
