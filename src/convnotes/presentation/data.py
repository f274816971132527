"""The data notice of the training pages: which images a page's numbers come from.

:func:`convnotes.data.load_book_data` returns a :class:`convnotes.data.BookData`;
:func:`notice` says in words where its images come from (and, for the digits
fallback, that the numbers are *not* CIFAR-10 results), :func:`box` puts that in an
admonition to glue.

Examples
--------
>>> from convnotes import data
>>> digits = data.load_digits_fallback("quick", seed=0)
>>> notice(digits, "en").startswith("CIFAR-10 was not available")
True
>>> data.FALLBACK_CSS_CLASS in box(digits, "fa").data
True
"""

from __future__ import annotations

import html
from typing import Any

from convnotes.data import DATA_NOTE_CSS_CLASS, ENV_DATA, FALLBACK_CSS_CLASS, BookData
from convnotes.i18n import check_language, format_number


def notice(data: BookData, lang: str) -> str:
    """Plain text for the page's data box in ``lang``, about ``data``.

    For the digits fallback it says that the numbers are *not* CIFAR-10 results; for
    CIFAR-10 it names the copy, the profile and, for the offline copy, the JPEG caveat.
    """
    check_language(lang)
    sizes = {k: format_number(v, lang) for k, v in data.sizes().items()}
    if data.is_fallback:
        if lang == "fa":
            return (
                "CIFAR-10 در دسترس نبود، پس اعداد و شکل‌های این صفحه از ارقام دست‌نویس "
                "scikit-learn به دست آمده‌اند (تصویرهای ۸×۸ خاکستری که به ۳۲×۳۲×۳ "
                f"بزرگ شده‌اند؛ {sizes['train']} تصویر آموزشی، {sizes['val']} اعتبارسنجی، "
                f"{sizes['test']} آزمون). این‌ها نتیجهٔ CIFAR-10 نیستند. برای ساختن کتاب "
                f"با CIFAR-10 متغیر محیطی {ENV_DATA} را به نسخه‌ای از داده تنظیم کنید."
            )
        return (
            "CIFAR-10 was not available, so the numbers and figures on this page come "
            "from scikit-learn's handwritten digits (8x8 grey images enlarged to "
            f"32x32x3; {sizes['train']} training, {sizes['val']} validation and "
            f"{sizes['test']} test images). They are not CIFAR-10 results. Set "
            f"{ENV_DATA} to a CIFAR-10 copy to build the book on the real data."
        )
    if lang == "fa":
        text = (
            f"اعداد این صفحه با پیکربندی «{data.profile.name}» روی CIFAR-10 به دست آمده‌اند: "
            f"{sizes['train']} تصویر آموزشی، {sizes['val']} اعتبارسنجی و "
            f"{sizes['test']} آزمون، {format_number(data.profile.epochs, 'fa')} دوره."
        )
        if data.jpeg_derived:
            text += (
                " بیشتر پیکسل‌های این نسخهٔ آفلاین از یک نسخهٔ JPEG بازسازی شده‌اند؛ "
                "دقتِ اندازه‌گیری‌شده روی آن با دقت روی مجموعهٔ رسمی قابل مقایسه است، "
                "نه یکسان."
            )
        return text
    text = (
        f"The numbers on this page come from CIFAR-10 with the '{data.profile.name}' "
        f"profile: {sizes['train']} training, {sizes['val']} validation and "
        f"{sizes['test']} test images, {data.profile.epochs} epochs."
    )
    if data.jpeg_derived:
        text += (
            " Most pixels of this offline copy were decoded from a JPEG version of the "
            "dataset, so accuracies measured on it are comparable to, not identical "
            "with, those on the official files."
        )
    return text


def box(data: BookData, lang: str) -> Any:
    """The notice as an HTML admonition (a warning box for the fallback) to glue."""
    from IPython.display import HTML

    if data.is_fallback:
        css, title = "warning " + FALLBACK_CSS_CLASS, ("Not CIFAR-10", "این CIFAR-10 نیست")
    else:
        css, title = "note " + DATA_NOTE_CSS_CLASS, ("Data", "داده")
    heading = title[1] if lang == "fa" else title[0]
    return HTML(
        f'<div class="admonition {css}"><p class="admonition-title">'
        f"{html.escape(heading)}</p><p>{html.escape(notice(data, lang))}</p></div>"
    )


__all__ = ["box", "notice"]
