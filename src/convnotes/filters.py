"""Classic image kernels applied with OpenCV, and the figures of the filters chapter.

Every kernel here is applied as OpenCV's ``cv2.filter2D`` applies it: as a
*cross-correlation* (the kernel is not flipped), with an explicit border mode,
and always into a floating-point result so that negative responses (a Sobel
kernel on a bright-to-dark edge) survive. Kernels are written in OpenCV's sign
convention: ``sobel_x`` is positive where intensity grows to the right,
``sobel_y`` where it grows downwards (row index increasing).

Examples
--------
>>> import numpy as np
>>> step = np.array([[0, 0, 9, 9]] * 3, dtype=np.uint8)
>>> apply_filter(step, "sobel_x", border="replicate")
array([[ 0., 36., 36.,  0.],
       [ 0., 36., 36.,  0.],
       [ 0., 36., 36.,  0.]], dtype=float32)
>>> apply_filter(step[:, ::-1], "sobel_x", border="replicate")[0]
array([  0., -36., -36.,   0.], dtype=float32)
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import cv2
import numpy as np

from convnotes.i18n import check_language, localize_digits

# ---------------------------------------------------------------------------
# Border modes
# ---------------------------------------------------------------------------

#: The border modes ``apply_filter`` accepts and their OpenCV flags. With
#: ``"constant"`` the image is extended with zeros. ``cv2.filter2D`` has no
#: ``BORDER_WRAP``.
BORDER_MODES: Mapping[str, int] = MappingProxyType(
    {
        "constant": cv2.BORDER_CONSTANT,  # 0 0 | a b c d | 0 0
        "reflect": cv2.BORDER_REFLECT,  # b a | a b c d | d c
        "reflect_101": cv2.BORDER_REFLECT_101,  # c b | a b c d | c b
        "replicate": cv2.BORDER_REPLICATE,  # a a | a b c d | d d
    }
)

#: The ``mode`` of ``scipy.ndimage.correlate``/``convolve`` that extends an image
#: the same way (``cval=0`` for ``"constant"``).
SCIPY_BORDER_MODES: Mapping[str, str] = MappingProxyType(
    {"constant": "constant", "reflect": "reflect", "reflect_101": "mirror", "replicate": "nearest"}
)

OPERATIONS: tuple[str, ...] = ("correlate", "convolve")
GRADIENT_OPERATORS: tuple[str, ...] = ("sobel", "scharr", "prewitt")

# ---------------------------------------------------------------------------
# Kernels
# ---------------------------------------------------------------------------


def _frozen(rows: Any, scale: float = 1.0) -> np.ndarray:
    array = np.asarray(rows, dtype=np.float64) * scale
    array.setflags(write=False)
    return array


def _positive_odd(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < 1 or value % 2 == 0:
        raise ValueError(f"{name} must be a positive odd integer, got {value}")
    return int(value)


def box_kernel(size: int = 3) -> np.ndarray:
    """The ``size`` x ``size`` averaging kernel: every weight is ``1 / size**2``.

    Examples
    --------
    >>> box_kernel(3).sum()
    np.float64(1.0)
    """
    size = _positive_odd(size, "size")
    return np.full((size, size), 1.0 / size**2)


def gaussian_kernel(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    """A ``size`` x ``size`` Gaussian kernel, the outer product of ``cv2.getGaussianKernel``.

    It is what ``cv2.GaussianBlur(image, (size, size), sigma)`` applies; its
    weights sum to 1.

    Examples
    --------
    >>> kernel = gaussian_kernel(5, 1.0)
    >>> kernel.shape, round(float(kernel.sum()), 12), bool(kernel[2, 2] == kernel.max())
    ((5, 5), 1.0, True)
    """
    size = _positive_odd(size, "size")
    if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real):
        raise TypeError(f"sigma must be a real number, got {type(sigma).__name__}")
    if not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be a positive finite number, got {sigma}")
    column = cv2.getGaussianKernel(size, float(sigma), ktype=cv2.CV_64F)
    return column @ column.T


_SOBEL_X = np.outer([1, 2, 1], [-1, 0, 1])
_SCHARR_X = np.outer([3, 10, 3], [-1, 0, 1])
_PREWITT_X = np.outer([1, 1, 1], [-1, 0, 1])
_LAPLACIAN = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]

_KERNELS: dict[str, np.ndarray] = {
    "box": _frozen(box_kernel(3)),
    "laplacian": _frozen(_LAPLACIAN),
    "laplacian_8": _frozen([[1, 1, 1], [1, -8, 1], [1, 1, 1]]),
    "sobel_y": _frozen(_SOBEL_X.T),
    "sobel_x": _frozen(_SOBEL_X),
    "gaussian": _frozen(gaussian_kernel(5, 1.0)),
    "sharpen": _frozen([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "scharr_y": _frozen(_SCHARR_X.T),
    "scharr_x": _frozen(_SCHARR_X),
    "prewitt_y": _frozen(_PREWITT_X.T),
    "prewitt_x": _frozen(_PREWITT_X),
}

#: Names accepted by :func:`get_kernel` (and wherever a kernel may be named).
KERNEL_NAMES: tuple[str, ...] = tuple(_KERNELS)

#: The four kernels of the course's homework, numbered left to right there, as this
#: book reads them: the answer sheet describes them in words (a blur with a
#: fraction, a second-derivative edge detector, Sobel along y, Sobel along x) and its
#: text does not give the weights. ``"laplacian"`` is read as the 4-neighbour
#: Laplacian (centre -4), the one ``cv2.Laplacian(..., ksize=1)`` uses.
SOURCE_KERNELS: Mapping[str, str] = MappingProxyType(
    {"Kernel1": "box", "Kernel2": "laplacian", "Kernel3": "sobel_y", "Kernel4": "sobel_x"}
)

#: Display names of the kernels, per language.
KERNEL_TITLES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "box": {"en": "3×3 box blur", "fa": "میانگین‌گیر جعبه‌ای ۳×۳"},
        "laplacian": {"en": "Laplacian (4-neighbour)", "fa": "لاپلاسین چهارهمسایه‌ای"},
        "laplacian_8": {"en": "Laplacian (8-neighbour)", "fa": "لاپلاسین هشت‌همسایه‌ای"},
        "sobel_y": {"en": "Sobel y", "fa": "سوبل y"},
        "sobel_x": {"en": "Sobel x", "fa": "سوبل x"},
        "gaussian": {"en": "Gaussian 5×5, σ = 1", "fa": "گاوسی ۵×۵، σ = ۱"},
        "sharpen": {"en": "Sharpen", "fa": "تیزکننده"},
        "scharr_y": {"en": "Scharr y", "fa": "شار y"},
        "scharr_x": {"en": "Scharr x", "fa": "شار x"},
        "prewitt_y": {"en": "Prewitt y", "fa": "پرویت y"},
        "prewitt_x": {"en": "Prewitt x", "fa": "پرویت x"},
    }
)


def get_kernel(name: str) -> np.ndarray:
    """A fresh float64 copy of the kernel called ``name`` (one of :data:`KERNEL_NAMES`).

    Examples
    --------
    >>> get_kernel("sobel_x")
    array([[-1.,  0.,  1.],
           [-2.,  0.,  2.],
           [-1.,  0.,  1.]])
    >>> get_kernel(SOURCE_KERNELS["Kernel2"])
    array([[ 0.,  1.,  0.],
           [ 1., -4.,  1.],
           [ 0.,  1.,  0.]])
    """
    if not isinstance(name, str):
        raise TypeError(f"kernel name must be a string, got {type(name).__name__}")
    if name not in _KERNELS:
        raise ValueError(f"kernel must be one of {', '.join(KERNEL_NAMES)}; got {name!r}")
    return _KERNELS[name].copy()


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------


def _real_array(value: Any, name: str) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of real numbers: {error}") from None
    if array.dtype.kind not in "uif":
        raise TypeError(
            f"{name} must hold real numbers (integer or floating-point), got dtype {array.dtype}"
        )
    return array


_MAX_CHANNELS = 512  # OpenCV's CV_CN_MAX


def check_image(image: Any, *, allow_channels: bool = True, name: str = "image") -> np.ndarray:
    """``image`` as a NumPy array after checking it is a non-empty 2-D (or 3-D) real array.

    Examples
    --------
    >>> check_image([[1, 2], [3, 4]]).shape
    (2, 2)
    >>> check_image(np.zeros((2, 2, 2, 2)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: image must be 2-D (height, width) or 3-D ..., got a 4-D array of shape (2, 2, 2, 2)
    """
    array = _real_array(image, name)
    if allow_channels and array.ndim not in (2, 3):
        raise ValueError(
            f"{name} must be 2-D (height, width) or 3-D (height, width, channels), "
            f"got a {array.ndim}-D array of shape {array.shape}"
        )
    if not allow_channels and array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (height, width), a single-channel image, "
            f"got a {array.ndim}-D array of shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if array.ndim == 3 and array.shape[2] > _MAX_CHANNELS:
        raise ValueError(f"{name} must have at most {_MAX_CHANNELS} channels, got {array.shape[2]}")
    return array


def check_kernel(kernel: Any) -> np.ndarray:
    """A kernel name or array, as a float64 array after checking it is 2-D, non-empty, finite."""
    if isinstance(kernel, str):
        return get_kernel(kernel)
    array = _real_array(kernel, "kernel")
    if array.ndim != 2:
        raise ValueError(
            f"kernel must be 2-D (height, width), got a {array.ndim}-D array of shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"kernel must not be empty, got shape {array.shape}")
    array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError("kernel must contain only finite numbers (no NaN or infinity)")
    return array


def border_flag(border: Any) -> int:
    """The OpenCV flag of the border mode called ``border`` (a key of :data:`BORDER_MODES`)."""
    if not isinstance(border, str):
        raise TypeError(f"border must be a string, got {type(border).__name__}")
    if border not in BORDER_MODES:
        raise ValueError(f"border must be one of {', '.join(BORDER_MODES)}; got {border!r}")
    return BORDER_MODES[border]


def _check_anchor(anchor: Any, shape: tuple[int, int]) -> tuple[int, int]:
    if anchor is None:
        if shape[0] % 2 == 0 or shape[1] % 2 == 0:
            raise ValueError(
                "kernel must have an odd height and width so that its centre is the anchor, "
                f"got shape {shape}; pass anchor=(row, col) to choose the anchor of an "
                "even-sized kernel"
            )
        return shape[0] // 2, shape[1] // 2
    if (
        not isinstance(anchor, Sequence)
        or len(anchor) != 2
        or not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in anchor)
    ):
        raise TypeError(f"anchor must be a pair of integers (row, col), got {anchor!r}")
    row, col = int(anchor[0]), int(anchor[1])
    if not (0 <= row < shape[0] and 0 <= col < shape[1]):
        raise ValueError(f"anchor must lie inside the kernel of shape {shape}, got {anchor!r}")
    return row, col


def _working_dtype(dtype: np.dtype) -> type[np.floating]:
    """float32 holds every 8- and 16-bit integer and float32 exactly; wider types need float64."""
    if dtype.kind in "ui":
        return np.float32 if dtype.itemsize <= 2 else np.float64
    return np.float32 if dtype.itemsize <= 4 else np.float64


# ---------------------------------------------------------------------------
# Filtering
# ---------------------------------------------------------------------------


def apply_filter(
    image: Any,
    kernel: Any,
    *,
    border: str = "reflect_101",
    anchor: tuple[int, int] | None = None,
    operation: str = "correlate",
) -> np.ndarray:
    """Apply ``kernel`` to ``image`` with ``cv2.filter2D`` and return a float result.

    Parameters
    ----------
    image : array of shape (H, W) or (H, W, C)
        Integer or floating-point pixels. Channels are filtered independently.
    kernel : str or 2-D array
        A name from :data:`KERNEL_NAMES` or the weights themselves.
    border : {"reflect_101", "reflect", "replicate", "constant"}
        How the image is extended beyond its edges (:data:`BORDER_MODES`);
        ``"reflect_101"`` is OpenCV's default, ``"constant"`` pads with zeros.
    anchor : (row, col), optional
        The kernel cell placed over the output pixel. Required for kernels of
        even height or width, which have no centre; defaults to the centre.
    operation : {"correlate", "convolve"}
        ``"correlate"`` is what ``cv2.filter2D`` computes; ``"convolve"``
        flips the kernel in both axes first (and mirrors the anchor).

    Returns
    -------
    ndarray, same shape as ``image``
        float64 for float64 input and integers wider than 16 bits, float32
        otherwise. Never clipped and never wrapped around.

    Examples
    --------
    >>> image = np.arange(16, dtype=np.uint8).reshape(4, 4)
    >>> apply_filter(image, "box")[1:3, 1:3].round(4)  # local means, in float32
    array([[ 5.,  6.],
           [ 9., 10.]], dtype=float32)
    >>> apply_filter(image, np.ones((1, 3)), border="constant")[0]
    array([1., 3., 6., 5.], dtype=float32)
    """
    image = check_image(image)
    kernel = check_kernel(kernel)
    flag = border_flag(border)
    if operation not in OPERATIONS:
        raise ValueError(f"operation must be one of {', '.join(OPERATIONS)}; got {operation!r}")
    height, width = image.shape[:2]
    if kernel.shape[0] > height or kernel.shape[1] > width:
        raise ValueError(
            f"kernel must not be larger than the image: kernel shape {kernel.shape}, "
            f"image height and width {(height, width)}"
        )
    row, col = _check_anchor(anchor, kernel.shape)
    if operation == "convolve":
        kernel = kernel[::-1, ::-1]
        row, col = kernel.shape[0] - 1 - row, kernel.shape[1] - 1 - col
    work = _working_dtype(image.dtype)
    source = np.ascontiguousarray(image, dtype=work)
    depth = cv2.CV_32F if work is np.float32 else cv2.CV_64F
    result = cv2.filter2D(
        source,
        depth,
        np.ascontiguousarray(kernel, dtype=work),
        anchor=(col, row),
        borderType=flag,
    )
    return result.reshape(image.shape)


def pad_with_border(image: Any, width: int, border: str) -> np.ndarray:
    """``image`` extended by ``width`` pixels on every side the way ``border`` extends it.

    Examples
    --------
    >>> row = np.array([[1, 2, 3, 4, 5]], dtype=np.uint8)
    >>> for border in BORDER_MODES:
    ...     print(f"{border:>11}", pad_with_border(row, 2, border)[2])
       constant [0 0 1 2 3 4 5 0 0]
        reflect [2 1 1 2 3 4 5 5 4]
    reflect_101 [3 2 1 2 3 4 5 4 3]
      replicate [1 1 1 2 3 4 5 5 5]
    """
    image = check_image(image)
    flag = border_flag(border)
    if isinstance(width, bool) or not isinstance(width, numbers.Integral) or width < 0:
        raise ValueError(f"width must be a non-negative integer, got {width!r}")
    return cv2.copyMakeBorder(image, width, width, width, width, flag, value=0)


def gradient(
    image: Any, operator: str = "sobel", *, border: str = "reflect_101"
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient magnitude and direction of a single-channel image.

    ``gx`` and ``gy`` are the responses to ``{operator}_x`` and ``{operator}_y``;
    the magnitude is ``hypot(gx, gy)`` and the direction ``arctan2(gy, gx)`` in
    radians, in ``[-pi, pi]``. Rows grow downwards, so a direction of
    ``+pi/2`` points down the image: towards brighter pixels below.

    Examples
    --------
    >>> ramp = np.tile(np.arange(5, dtype=np.float64), (5, 1))  # brighter to the right
    >>> magnitude, direction = gradient(ramp)
    >>> float(magnitude[2, 2]), float(direction[2, 2])
    (8.0, 0.0)
    >>> magnitude, direction = gradient(ramp.T)  # brighter downwards
    >>> float(np.degrees(direction[2, 2]))
    90.0
    """
    image = check_image(image, allow_channels=False)
    if operator not in GRADIENT_OPERATORS:
        raise ValueError(
            f"operator must be one of {', '.join(GRADIENT_OPERATORS)}; got {operator!r}"
        )
    gx = apply_filter(image, f"{operator}_x", border=border)
    gy = apply_filter(image, f"{operator}_y", border=border)
    return np.hypot(gx, gy), np.arctan2(gy, gx)


def direction_error(
    operator: str, wavelength: float = 4.0, angles: Any = None, size: int = 48
) -> np.ndarray:
    """Error, in degrees, of the edge orientation that ``operator`` measures on plane waves.

    For each angle theta (degrees) the image ``cos(2 pi (x cos theta + y sin theta) / wavelength)``
    is filtered with ``{operator}_x`` and ``{operator}_y``; the orientation is read
    from the image-wide structure tensor, ``0.5 * atan2(2 sum(gx gy), sum(gx^2 - gy^2))``,
    over the pixels the border cannot reach. The result is that orientation
    minus theta, wrapped to [-90, 90).

    Examples
    --------
    >>> np.round(direction_error("sobel", 4.0, [0, 45]), 6) + 0.0
    array([0., 0.])
    """
    if operator not in GRADIENT_OPERATORS:
        raise ValueError(
            f"operator must be one of {', '.join(GRADIENT_OPERATORS)}; got {operator!r}"
        )
    if not (isinstance(wavelength, numbers.Real) and wavelength > 2):
        raise ValueError(
            f"wavelength must be a number of pixels above 2 (the Nyquist limit), got {wavelength!r}"
        )
    theta = np.radians(np.arange(0, 91) if angles is None else np.asarray(angles, float))
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    errors = []
    for angle in theta.ravel():
        wave = np.cos(2 * np.pi * (x * np.cos(angle) + y * np.sin(angle)) / wavelength)
        gx = apply_filter(wave, f"{operator}_x")[2:-2, 2:-2]
        gy = apply_filter(wave, f"{operator}_y")[2:-2, 2:-2]
        measured = 0.5 * np.arctan2(2 * np.sum(gx * gy), np.sum(gx * gx - gy * gy))
        errors.append((measured - angle + np.pi / 2) % np.pi - np.pi / 2)
    return np.degrees(np.array(errors)).reshape(theta.shape)


def log_kernel(sigma: float = 2.0, size: int | None = None) -> np.ndarray:
    """A Laplacian-of-Gaussian kernel: the Laplacian of a Gaussian of width ``sigma``.

    The weights sample ``(r**2 - 2 sigma**2) / (2 pi sigma**6) * exp(-r**2 / (2 sigma**2))``
    at the integer offsets ``r`` from the centre, then have their mean subtracted so
    that they sum to exactly 0 (a flat image gives 0). The centre weight is negative,
    as in the 4-neighbour ``"laplacian"``. ``size`` defaults to
    ``2 * ceil(4 * sigma) + 1``, the extent ``scipy.ndimage.gaussian_laplace`` uses.

    Examples
    --------
    >>> kernel = log_kernel(1.0)
    >>> kernel.shape, bool(abs(kernel.sum()) < 1e-12), bool(kernel[4, 4] == kernel.min())
    ((9, 9), True, True)
    >>> bool(np.array_equal(kernel, kernel.T)), bool(np.array_equal(kernel, kernel[::-1]))
    (True, True)
    """
    if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real):
        raise TypeError(f"sigma must be a real number, got {type(sigma).__name__}")
    if not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be a positive finite number, got {sigma}")
    size = 2 * int(np.ceil(4 * float(sigma))) + 1 if size is None else _positive_odd(size, "size")
    if size < 3:
        raise ValueError(f"size must be at least 3 so that the kernel has neighbours, got {size}")
    half = size // 2
    y, x = np.mgrid[-half : half + 1, -half : half + 1].astype(np.float64)
    q = (x * x + y * y) / (2.0 * float(sigma) ** 2)
    kernel = (q - 1.0) / (np.pi * float(sigma) ** 4) * np.exp(-q)
    return kernel - kernel.mean()


def zero_crossings(response: Any, threshold: float = 0.0) -> np.ndarray:
    """Where a signed ``response`` (a Laplacian, a LoG) changes sign: Marr and Hildreth's edges.

    Two 4-neighbours form a crossing when one is strictly negative, the other
    strictly positive, and their difference exceeds ``threshold`` in absolute
    value (a threshold suppresses the weak crossings that noise and flat regions
    make). Of each such pair the pixel nearer to zero is marked (both when they
    are equally near), so a crossing is one pixel thick.

    Parameters
    ----------
    response : 2-D array of real numbers
    threshold : float, default 0
        The smallest jump across the crossing that counts; not negative.

    Returns
    -------
    ndarray of bool, same shape as ``response``

    Examples
    --------
    >>> row = np.array([[3.0, 5.0, 2.0, -4.0, -6.0, 1.0]])
    >>> zero_crossings(row).astype(int)  # 2 is nearer to 0 than -4, and 1 than -6
    array([[0, 0, 1, 0, 0, 1]])
    >>> zero_crossings(row, threshold=6.5).astype(int)  # the jump from -6 to 1 is 7
    array([[0, 0, 0, 0, 0, 1]])
    """
    values = check_image(response, allow_channels=False, name="response").astype(np.float64)
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"threshold must be a real number, got {type(threshold).__name__}")
    if not (np.isfinite(threshold) and threshold >= 0):
        raise ValueError(f"threshold must be a finite number >= 0, got {threshold}")
    marked = np.zeros(values.shape, dtype=bool)
    size = np.abs(values)
    for axis in (0, 1):
        first = [slice(None), slice(None)]
        second = [slice(None), slice(None)]
        first[axis], second[axis] = slice(None, -1), slice(1, None)
        a, b = values[tuple(first)], values[tuple(second)]
        crossing = (np.sign(a) * np.sign(b) < 0) & (np.abs(a - b) > threshold)
        marked[tuple(first)] |= crossing & (size[tuple(first)] <= size[tuple(second)])
        marked[tuple(second)] |= crossing & (size[tuple(second)] <= size[tuple(first)])
    return marked


# ---------------------------------------------------------------------------
# Sample photographs
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Credit:
    author: str  # as written in scikit-image's docstring
    licence: str  # "CC0" or "public domain", as in the docstring
    en: str
    fa: str


_SCIKIT_EN = "from scikit-image's sample data"
_SCIKIT_FA = "از داده‌های نمونهٔ scikit-image"
_PD_FA = "در مالکیت عمومی (public domain)"

_SAMPLES: dict[str, _Credit] = {
    "camera": _Credit(
        "Lav Varshney",
        "CC0",
        f"Photograph “camera” by Lav Varshney, CC0, {_SCIKIT_EN}.",
        f"عکس «camera» از Lav Varshney، با مجوز CC0، {_SCIKIT_FA}.",
    ),
    "astronaut": _Credit(
        "NASA",
        "public domain",
        f"Astronaut Eileen Collins, from the NASA Great Images database, public domain, "
        f"{_SCIKIT_EN}.",
        f"فضانورد آیلین کالینز (Eileen Collins)، از پایگاه NASA Great Images، {_PD_FA}، "
        f"{_SCIKIT_FA}.",
    ),
    "coffee": _Credit(
        "Rachel Michetti",
        "CC0",
        f"Coffee cup by Rachel Michetti, courtesy of Pikolo Espresso Bar, CC0, {_SCIKIT_EN}.",
        f"فنجان قهوه، عکس از Rachel Michetti به لطف Pikolo Espresso Bar، با مجوز CC0، "
        f"{_SCIKIT_FA}.",
    ),
    "chelsea": _Credit(
        "Stefan van der Walt",
        "CC0",
        f"Chelsea the cat by Stefan van der Walt, CC0, {_SCIKIT_EN}.",
        f"گربه‌ای به نام Chelsea، عکس از Stefan van der Walt، با مجوز CC0، {_SCIKIT_FA}.",
    ),
    "brick": _Credit(
        "CC0Textures",
        "CC0",
        "Brick wall: texture Bricks25 from CC0Textures, CC0; perspective-corrected, rotated "
        f"and cropped by scikit-image, {_SCIKIT_EN}.",
        "دیوار آجری: بافت Bricks25 از CC0Textures، با مجوز CC0؛ تصحیح پرسپکتیو، چرخش و "
        f"برش به دست scikit-image، {_SCIKIT_FA}.",
    ),
    "rocket": _Credit(
        "SpaceX",
        "public domain",
        f"Launch of DSCOVR on a Falcon 9, photograph by SpaceX, public domain, {_SCIKIT_EN}.",
        f"پرتاب DSCOVR با موشک Falcon 9، عکس از SpaceX، {_PD_FA}، {_SCIKIT_FA}.",
    ),
}

#: Photographs :func:`sample_image` can load; all ship inside the scikit-image wheel.
SAMPLE_NAMES: tuple[str, ...] = tuple(_SAMPLES)


@dataclass(frozen=True)
class SampleImage:
    """A photograph and the credit line its caption must carry."""

    name: str
    image: np.ndarray
    author: str
    licence: str
    credits: Mapping[str, str]

    def credit(self, lang: str) -> str:
        """The credit line in ``lang``."""
        return self.credits[check_language(lang)]


def sample_image(name: str, *, gray: bool = False) -> SampleImage:
    """Load a photograph shipped with scikit-image, with its credit in both languages.

    ``gray=True`` converts colour photographs with ``cv2.COLOR_RGB2GRAY``
    (0.299 R + 0.587 G + 0.114 B, rounded to uint8).

    Examples
    --------
    >>> camera = sample_image("camera")
    >>> camera.image.shape, camera.image.dtype, camera.licence
    ((512, 512), dtype('uint8'), 'CC0')
    >>> print(camera.credit("en"))
    Photograph “camera” by Lav Varshney, CC0, from scikit-image's sample data.
    """
    if name not in _SAMPLES:
        raise ValueError(f"name must be one of {', '.join(SAMPLE_NAMES)}; got {name!r}")
    from skimage import data

    image = np.asarray(getattr(data, name)())
    if gray and image.ndim == 3:
        image = cv2.cvtColor(np.ascontiguousarray(image[..., :3]), cv2.COLOR_RGB2GRAY)
    credit = _SAMPLES[name]
    return SampleImage(
        name,
        image,
        credit.author,
        credit.licence,
        MappingProxyType({"en": credit.en, "fa": credit.fa}),
    )


# ---------------------------------------------------------------------------
# Figures (every function takes ``lang``)
# ---------------------------------------------------------------------------

_DPI = 100
_SIGNED_CMAP = "RdBu_r"
# Figures are about 9-11 inches wide and scaled down to the page's text column:
# slightly larger type keeps titles and tick labels readable there.
_RC = {
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 10.5,
    "ytick.labelsize": 10.5,
    "legend.fontsize": 10,
}


def _book_style(plot: Any) -> Any:
    """Run a figure function under the book's font sizes."""
    from functools import wraps

    @wraps(plot)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _plt().rc_context(_RC):
            return plot(*args, **kwargs)

    return wrapper


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def _number(value: float, lang: str, fmt: str = "g") -> str:
    return localize_digits(format(value, fmt), lang)


def _localize_ticks(axis: Any, lang: str) -> None:
    """Write tick labels with the digits of ``lang``."""
    if lang != "fa":
        return
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: _number(round(value, 6), lang)))


def _kernel_title(name: str, lang: str) -> str:
    return KERNEL_TITLES[name][check_language(lang)]


def _robust_limit(array: np.ndarray, percentile: float = 99.5) -> float:
    limit = float(np.percentile(np.abs(array), percentile))
    return limit if limit > 0 else max(float(np.abs(array).max()), 1.0)


def _colorbar(fig: Any, ax: Any, mappable: Any, lang: str, **kwargs: Any) -> Any:
    """A colour bar exactly as tall as the image in ``ax``, with ticks in ``lang``."""
    from mpl_toolkits.axes_grid1 import make_axes_locatable

    from convnotes.plots import text_props

    cax = make_axes_locatable(ax).append_axes("right", size="5%", pad=0.06)
    bar = fig.colorbar(mappable, cax=cax, **kwargs)
    _localize_ticks(bar.ax.yaxis, lang)
    for tick in bar.ax.get_yticklabels():
        tick.set_fontfamily(text_props(lang)["fontfamily"])
    return bar


def _show(
    fig: Any,
    ax: Any,
    array: np.ndarray,
    lang: str,
    title: str,
    *,
    signed: bool,
    limit: float | None = None,
    colorbar: bool = True,
) -> Any:
    """Show ``array``: gray for intensities, a diverging map centred at 0 for signed responses."""
    from convnotes.plots import style_axes

    if signed:
        limit = _robust_limit(array) if limit is None else limit
        shown = ax.imshow(array, cmap=_SIGNED_CMAP, vmin=-limit, vmax=limit)
        extend = "both" if float(np.abs(array).max()) > limit else "neither"
    else:
        shown = ax.imshow(array, cmap="gray", vmin=None if limit is None else 0, vmax=limit)
        extend = "neither"
    ax.set_xticks([])
    ax.set_yticks([])
    style_axes(ax, lang, title=title)
    if colorbar:
        _colorbar(fig, ax, shown, lang, extend=extend)
    return shown


def _format_weight(weight: float, lang: str) -> str:
    fraction = Fraction(weight).limit_denominator(256)
    if abs(float(fraction) - weight) < 1e-12:
        text = str(fraction)
    else:
        text = f"{weight:.3f}" if abs(weight) < 1 else f"{weight:.2f}"
    return localize_digits(text.replace("-", "−"), lang)


@_book_style
def plot_kernels(names: Sequence[str], lang: str, *, ncols: int | None = None) -> Any:
    """The weights of the named kernels as annotated grids (red positive, blue negative)."""
    from convnotes.plots import style_axes, text_props

    check_language(lang)
    plt = _plt()
    ncols = len(names) if ncols is None else ncols
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(2.3 * ncols, 2.5 * nrows), dpi=_DPI, squeeze=False
    )
    for ax, name in zip(axes.flat, names, strict=False):
        kernel = get_kernel(name)
        limit = float(np.abs(kernel).max())
        ax.imshow(kernel, cmap=_SIGNED_CMAP, vmin=-limit * 1.6, vmax=limit * 1.6)
        size = 11 if kernel.shape[0] <= 3 else 7.5
        for (row, col), weight in np.ndenumerate(kernel):
            ax.text(
                col,
                row,
                _format_weight(weight, lang),
                ha="center",
                va="center",
                fontsize=size,
                **text_props(lang),
            )
        ax.set_xticks(np.arange(kernel.shape[1] + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(kernel.shape[0] + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        style_axes(ax, lang, title=_kernel_title(name, lang))
    for ax in axes.flat[len(names) :]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def is_signed_kernel(kernel: Any) -> bool:
    """True when the weights sum to zero: the response to a flat region is 0 and has a sign.

    Examples
    --------
    >>> is_signed_kernel("sobel_x"), is_signed_kernel("box")
    (True, False)
    """
    return bool(abs(check_kernel(kernel).sum()) < 1e-9)


@_book_style
def plot_filter_responses(
    image: Any,
    names: Sequence[str],
    lang: str,
    *,
    ncols: int = 3,
    border: str = "reflect_101",
    with_magnitude: bool = False,
) -> Any:
    """``image`` and its response to each named kernel, with colour bars.

    Kernels whose weights sum to 1 give intensities (gray, same scale as the
    image); kernels whose weights sum to 0 give signed responses (``RdBu_r``,
    centred at 0, limits at the 99.5th percentile of the absolute response).
    ``with_magnitude`` adds the Sobel gradient magnitude as a last panel.
    """
    from convnotes.plots import words

    image = check_image(image, allow_channels=False)
    plt = _plt()
    panels = [(words(lang, "Input", "ورودی"), image, False)]
    for name in names:
        panels.append(
            (
                _kernel_title(name, lang),
                apply_filter(image, name, border=border),
                is_signed_kernel(name),
            )
        )
    if with_magnitude:
        magnitude = gradient(image, "sobel", border=border)[0]
        panels.append(
            (words(lang, "Sobel magnitude √(gx² + gy²)", "اندازهٔ گرادیان سوبل"), magnitude, None)
        )
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(3.1 * ncols, 2.8 * nrows), dpi=_DPI, squeeze=False
    )
    top = 255.0 if image.dtype == np.uint8 else None
    for ax, (title, array, signed) in zip(axes.flat, panels, strict=False):
        if signed is None:  # a magnitude: non-negative, robust upper limit
            _show_magnitude(fig, ax, array, lang, title)
        else:
            _show(fig, ax, array, lang, title, signed=signed, limit=None if signed else top)
    for ax in axes.flat[len(panels) :]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def _show_magnitude(fig: Any, ax: Any, magnitude: np.ndarray, lang: str, title: str) -> Any:
    from convnotes.plots import style_axes

    top = _robust_limit(magnitude)
    shown = ax.imshow(magnitude, cmap="magma", vmin=0, vmax=top)
    _colorbar(fig, ax, shown, lang, extend="max" if magnitude.max() > top else "neither")
    ax.set_xticks([])
    ax.set_yticks([])
    style_axes(ax, lang, title=title)
    return shown


def blurred_step(
    length: int = 64, width: float = 2.0, low: float = 40.0, high: float = 200.0, rows: int = 5
) -> np.ndarray:
    """A dark-to-bright vertical edge blurred by a logistic profile centred at ``length // 2``.

    Examples
    --------
    >>> step = blurred_step(8, rows=1)
    >>> bool(np.all(np.diff(step[0]) > 0)), float(step[0, 4])
    (True, 120.0)
    """
    x = np.arange(length, dtype=np.float64)
    profile = low + (high - low) / (1.0 + np.exp(-(x - length // 2) / width))
    return np.tile(profile, (rows, 1))


@_book_style
def plot_edge_profile(lang: str) -> Any:
    """Intensity, Sobel-x response and Laplacian response along a row crossing a blurred edge."""
    from convnotes.plots import style_axes, words

    check_language(lang)
    plt = _plt()
    step = blurred_step()
    row = step.shape[0] // 2
    curves = [
        (step[row], words(lang, "intensity", "شدت روشنایی"), "black"),
        (
            apply_filter(step, "sobel_x")[row],
            words(lang, "Sobel x response", "پاسخ سوبل x"),
            "tab:red",
        ),
        (
            apply_filter(step, "laplacian")[row],
            words(lang, "Laplacian response", "پاسخ لاپلاسین"),
            "tab:blue",
        ),
    ]
    x = np.arange(step.shape[1])
    edge = step.shape[1] // 2
    fig, axes = plt.subplots(3, 1, figsize=(7, 5.6), dpi=_DPI, sharex=True)
    for ax, (values, label, colour) in zip(axes, curves, strict=True):
        ax.plot(x, values, color=colour, marker=".", markersize=4, linewidth=1.2)
        ax.axvline(edge, color="gray", linestyle="--", linewidth=0.8)
        ax.axhline(0, color="gray", linewidth=0.5)
        style_axes(ax, lang, ylabel=label)
        _localize_ticks(ax.yaxis, lang)
        ax.grid(alpha=0.3)
    style_axes(axes[-1], lang, xlabel=words(lang, "column", "ستون"))
    _localize_ticks(axes[-1].xaxis, lang)
    fig.align_ylabels(axes)
    fig.tight_layout()
    return fig


def impulse_responses(name: str = "sobel_x", size: int = 5) -> dict[str, np.ndarray]:
    """A single bright pixel (``impulse``), filtered by correlation and by convolution.

    Examples
    --------
    >>> responses = impulse_responses("sobel_x")
    >>> responses["correlate"][1:4, 1:4]  # the kernel, flipped
    array([[ 1.,  0., -1.],
           [ 2.,  0., -2.],
           [ 1.,  0., -1.]])
    >>> bool(np.array_equal(responses["convolve"][1:4, 1:4], get_kernel("sobel_x")))
    True
    """
    impulse = np.zeros((size, size))
    impulse[size // 2, size // 2] = 1.0
    return {
        "impulse": impulse,
        "correlate": apply_filter(impulse, name, border="constant"),
        "convolve": apply_filter(impulse, name, border="constant", operation="convolve"),
    }


@_book_style
def plot_correlation_vs_convolution(lang: str, name: str = "sobel_x") -> Any:
    """The kernel, and what correlation and convolution make of a single bright pixel."""
    from convnotes.plots import style_axes, text_props, words

    check_language(lang)
    plt = _plt()
    responses = impulse_responses(name)
    kernel = np.zeros_like(responses["impulse"])
    kernel[1:4, 1:4] = get_kernel(name)
    panels = [
        (
            kernel,
            words(
                lang, f"kernel: {_kernel_title(name, lang)}", f"هسته: {_kernel_title(name, lang)}"
            ),
        ),
        (responses["impulse"], words(lang, "input: one bright pixel", "ورودی: یک پیکسل روشن")),
        (
            responses["correlate"],
            words(lang, "cv2.filter2D (correlation)", "cv2.filter2D (هم‌بستگی)"),
        ),
        (responses["convolve"], words(lang, "convolution", "کانولوشن")),
    ]
    fig, axes = plt.subplots(1, 4, figsize=(10, 3.0), dpi=_DPI)
    limit = float(np.abs(kernel).max())
    for ax, (array, title) in zip(axes, panels, strict=True):
        ax.imshow(array, cmap=_SIGNED_CMAP, vmin=-limit * 1.6, vmax=limit * 1.6)
        for (row, col), weight in np.ndenumerate(array):
            ax.text(
                col,
                row,
                _format_weight(weight, lang),
                ha="center",
                va="center",
                fontsize=10,
                **text_props(lang),
            )
        ax.set_xticks([])
        ax.set_yticks([])
        style_axes(ax, lang, title=title)
        ax.title.set_fontsize(11)
    fig.tight_layout()
    return fig


def border_profiles(image: Any, size: int = 21, rows: int = 30) -> dict[str, dict[str, Any]]:
    """Row means near the top edge of a ``size`` x ``size`` box blur and of ``|Sobel y|``.

    Returns, for each border mode, the mean over columns of the first ``rows``
    rows of the blurred image (``"blur"``) and of the absolute Sobel-y
    response (``"sobel_y"``).
    """
    image = check_image(image, allow_channels=False)
    out: dict[str, dict[str, Any]] = {}
    for border in BORDER_MODES:
        blurred = apply_filter(image, box_kernel(size), border=border)
        edges = np.abs(apply_filter(image, "sobel_y", border=border))
        out[border] = {"blur": blurred[:rows].mean(axis=1), "sobel_y": edges[:rows].mean(axis=1)}
    return out


@_book_style
def plot_border_effects(
    image: Any, lang: str, *, size: int = 21, rows: int = 30, corner: int = 64
) -> Any:
    """How each border mode changes the edge rows of a box blur and of a Sobel-y response.

    Top: the top-left ``corner`` x ``corner`` pixels of the ``size`` x ``size``
    box blur under each border mode. Bottom: the mean over each of the first
    rows of the blur, and of ``|Sobel y|`` (symmetric-log scale, so that an
    exact 0 stays visible).
    """
    from convnotes.plots import legend, style_axes, words

    image = check_image(image, allow_channels=False)
    plt = _plt()
    profiles = border_profiles(image, size, rows)
    styles = {
        "constant": ("tab:red", "-"),
        "reflect": ("tab:blue", "-"),
        "reflect_101": ("tab:green", "--"),
        "replicate": ("tab:orange", ":"),
    }
    fig = plt.figure(figsize=(10.5, 6.6), dpi=_DPI)
    grid = fig.add_gridspec(2, 4, height_ratios=[1, 1.15])
    top = 255.0 if image.dtype == np.uint8 else float(image.max())
    for column, border in enumerate(BORDER_MODES):
        ax = fig.add_subplot(grid[0, column])
        blurred = apply_filter(image, box_kernel(size), border=border)
        ax.imshow(blurred[:corner, :corner], cmap="gray", vmin=0, vmax=top)
        ax.set_xticks([])
        ax.set_yticks([])
        style_axes(ax, lang, title=border)
    blur_ax = fig.add_subplot(grid[1, :2])
    sobel_ax = fig.add_subplot(grid[1, 2:])
    x = np.arange(rows)
    blur_ax.plot(
        x,
        image[:rows].mean(axis=1),
        color="black",
        linewidth=3,
        alpha=0.3,
        label=words(lang, "no filter", "بدون فیلتر"),
    )
    for border, (colour, style) in styles.items():
        blur_ax.plot(x, profiles[border]["blur"], color=colour, linestyle=style, label=border)
        sobel_ax.plot(
            x[:10],
            profiles[border]["sobel_y"][:10],
            color=colour,
            linestyle=style,
            marker="o",
            markersize=3,
            label=border,
        )
    sobel_ax.set_yscale("symlog", linthresh=1.0)
    size_text = _number(size, lang)
    row_label = words(lang, "row (0 = top edge)", "سطر (۰ = لبهٔ بالا)")
    mean_label = words(lang, "mean over the row", "میانگین سطر")
    style_axes(
        blur_ax,
        lang,
        title=words(lang, f"{size}×{size} box blur", f"میانگین‌گیر جعبه‌ای {size_text}×{size_text}"),
        xlabel=row_label,
        ylabel=mean_label,
    )
    style_axes(
        sobel_ax,
        lang,
        title=words(lang, "|Sobel y|", "قدرمطلق پاسخ سوبل y"),
        xlabel=row_label,
        ylabel=mean_label,
    )
    for ax in (blur_ax, sobel_ax):
        legend(ax, lang)
        ax.grid(alpha=0.3)
        _localize_ticks(ax.xaxis, lang)
        if ax is blur_ax:
            _localize_ticks(ax.yaxis, lang)
    fig.tight_layout()
    return fig


def direction_colours(
    magnitude: np.ndarray, direction: np.ndarray, percentile: float = 95.0
) -> np.ndarray:
    """RGB image: hue from ``direction`` (radians), brightness from ``magnitude``.

    Brightness is ``magnitude`` divided by its ``percentile``-th percentile, clipped
    to 1, so flat regions are black and only real edges show their colour.
    """
    from matplotlib.colors import hsv_to_rgb

    scale = float(np.percentile(magnitude, percentile)) or 1.0
    hsv = np.stack(
        [
            (direction + np.pi) / (2 * np.pi),
            np.ones_like(direction),
            np.clip(magnitude / scale, 0.0, 1.0),
        ],
        axis=-1,
    )
    return hsv_to_rgb(np.clip(hsv, 0.0, 1.0))


@_book_style
def plot_gradient(image: Any, lang: str, *, operator: str = "sobel") -> Any:
    """Input, gradient magnitude, and gradient direction coloured by angle and lit by magnitude."""
    from matplotlib.colors import Normalize

    from convnotes.plots import style_axes, text_props, words

    image = check_image(image, allow_channels=False)
    plt = _plt()
    magnitude, direction = gradient(image, operator)
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.5), dpi=_DPI)
    _show(
        fig,
        axes[0],
        image,
        lang,
        words(lang, "Input", "ورودی"),
        signed=False,
        limit=255.0 if image.dtype == np.uint8 else None,
    )
    name = words(
        lang,
        operator.capitalize(),
        {"sobel": "سوبل", "scharr": "شار", "prewitt": "پرویت"}[operator],
    )
    _show_magnitude(
        fig, axes[1], magnitude, lang, words(lang, f"magnitude ({name})", f"اندازه ({name})")
    )
    axes[2].imshow(direction_colours(magnitude, direction))
    ticks = list(range(-180, 181, 90))
    mappable = plt.cm.ScalarMappable(norm=Normalize(-180, 180), cmap="hsv")
    bar = _colorbar(fig, axes[2], mappable, lang, ticks=ticks)
    bar.ax.set_yticklabels([_number(t, lang) + "°" for t in ticks], **text_props(lang))
    axes[2].set_xticks([])
    axes[2].set_yticks([])
    style_axes(axes[2], lang, title=words(lang, "direction atan2(gy, gx)", "جهت atan2(gy, gx)"))
    fig.tight_layout()
    return fig


def uint8_pitfall(image: Any, name: str = "sobel_x") -> dict[str, np.ndarray]:
    """The float response, OpenCV's same-depth uint8 output, and the 16-bit absolute-value fix."""
    image = check_image(image, allow_channels=False)
    if image.dtype != np.uint8:
        raise TypeError(f"image must have dtype uint8 for this demonstration, got {image.dtype}")
    kernel = get_kernel(name)
    return {
        "float": apply_filter(image, kernel),
        "uint8": cv2.filter2D(image, -1, kernel),
        "abs": cv2.convertScaleAbs(cv2.filter2D(image, cv2.CV_16S, kernel)),
    }


@_book_style
def plot_uint8_pitfall(image: Any, lang: str, name: str = "sobel_x") -> Any:
    """Float response next to ``ddepth=-1`` (clipped) and to ``convertScaleAbs`` of 16-bit."""
    from convnotes.plots import words

    plt = _plt()
    results = uint8_pitfall(image, name)
    fig, axes = plt.subplots(1, 3, figsize=(11.5, 3.7), dpi=_DPI)
    _show(
        fig,
        axes[0],
        results["float"],
        lang,
        words(lang, "float32 response", "پاسخ float32"),
        signed=True,
    )
    _show(
        fig,
        axes[1],
        results["uint8"],
        lang,
        words(lang, "ddepth=-1: uint8, negatives → 0", "ddepth=-1: uint8، منفی‌ها ← ۰"),
        signed=False,
        limit=255.0,
    )
    _show(
        fig,
        axes[2],
        results["abs"],
        lang,
        words(lang, "CV_16S, then convertScaleAbs", "CV_16S و سپس convertScaleAbs"),
        signed=False,
        limit=255.0,
    )
    fig.tight_layout()
    return fig


@_book_style
def plot_direction_error(lang: str, wavelength: float = 4.0) -> Any:
    """Orientation error of Sobel, Scharr and Prewitt against the true edge orientation."""
    from convnotes.plots import legend, style_axes, words

    check_language(lang)
    plt = _plt()
    angles = np.arange(0, 91)
    names = {
        "sobel": ("Sobel", "سوبل"),
        "scharr": ("Scharr", "شار"),
        "prewitt": ("Prewitt", "پرویت"),
    }
    fig, ax = plt.subplots(figsize=(7, 3.8), dpi=_DPI)
    for (operator, (en, fa)), colour in zip(
        names.items(), ("tab:red", "tab:green", "tab:blue"), strict=True
    ):
        ax.plot(
            angles,
            direction_error(operator, wavelength, angles),
            color=colour,
            label=words(lang, en, fa),
        )
    ax.axhline(0, color="gray", linewidth=0.6)
    ax.set_xticks(range(0, 91, 15))
    wave = _number(wavelength, lang)
    style_axes(
        ax,
        lang,
        title=words(
            lang,
            f"plane waves with a wavelength of {wavelength:g} pixels",
            f"موج‌های تخت با طول موج {wave} پیکسل",
        ),
        xlabel=words(lang, "true orientation (degrees)", "جهت واقعی (درجه)"),
        ylabel=words(lang, "measured − true (degrees)", "اندازه‌گیری‌شده − واقعی (درجه)"),
    )
    _localize_ticks(ax.xaxis, lang)
    _localize_ticks(ax.yaxis, lang)
    legend(ax, lang)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
