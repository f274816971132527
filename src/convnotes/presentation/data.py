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
>>> data.FALLBACK_CSS_CLASS in box(digits, "fa").html
True
>>> facts(digits)["kind"], facts(digits)["train"] == len(digits.y_train)
('fallback', True)
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from convnotes.data import DATA_NOTE_CSS_CLASS, ENV_DATA, FALLBACK_CSS_CLASS, BookData
from convnotes.i18n import Text, check_language, format_number

#: The words of the data box; ``{train}``, ``{val}``, ``{test}`` and ``{epochs}`` are
#: numbers already written in the page's digits.
NOTICE_WORDS: Mapping[str, Text] = MappingProxyType(
    {
        "fallback": Text(
            "CIFAR-10 was not available, so the numbers and figures on this page come "
            "from scikit-learn's handwritten digits (8x8 grey images enlarged to "
            "32x32x3; {train} training, {val} validation and "
            "{test} test images). They are not CIFAR-10 results. Set "
            "{env} to a CIFAR-10 copy to build the book on the real data.",
            "CIFAR-10 در دسترس نبود، پس اعداد و شکل‌های این صفحه از ارقام دست‌نویس "
            "scikit-learn به دست آمده‌اند (تصویرهای ۸×۸ خاکستری که به ۳۲×۳۲×۳ "
            "بزرگ شده‌اند؛ {train} تصویر آموزشی، {val} اعتبارسنجی، "
            "{test} آزمون). این‌ها نتیجهٔ CIFAR-10 نیستند. برای ساختن کتاب "
            "با CIFAR-10 متغیر محیطی {env} را به نسخه‌ای از داده تنظیم کنید.",
        ),
        "cifar": Text(
            "The numbers on this page come from CIFAR-10 with the '{profile}' "
            "profile: {train} training, {val} validation and "
            "{test} test images, {epochs} epochs.",
            "اعداد این صفحه با پیکربندی «{profile}» روی CIFAR-10 به دست آمده‌اند: "
            "{train} تصویر آموزشی، {val} اعتبارسنجی و "
            "{test} آزمون، {epochs} دوره.",
        ),
        "jpeg": Text(
            " Most pixels of this offline copy were decoded from a JPEG version of the "
            "dataset, so accuracies measured on it are comparable to, not identical "
            "with, those on the official files.",
            " بیشتر پیکسل‌های این نسخهٔ آفلاین از یک نسخهٔ JPEG بازسازی شده‌اند؛ "
            "دقتِ اندازه‌گیری‌شده روی آن با دقت روی مجموعهٔ رسمی قابل مقایسه است، "
            "نه یکسان.",
        ),
        "fallback_title": Text("Not CIFAR-10", "این CIFAR-10 نیست"),
        "title": Text("Data", "داده"),
    }
)


def notice(data: BookData, lang: str) -> str:
    """Plain text for the page's data box in ``lang``, about ``data``.

    For the digits fallback it says that the numbers are *not* CIFAR-10 results; for
    CIFAR-10 it names the copy, the profile and, for the offline copy, the JPEG caveat.
    """
    check_language(lang)
    sizes = {k: format_number(v, lang) for k, v in data.sizes().items()}
    if data.is_fallback:
        return NOTICE_WORDS["fallback"][lang].format(env=ENV_DATA, **sizes)
    text = NOTICE_WORDS["cifar"][lang].format(
        profile=data.profile.name, epochs=format_number(data.profile.epochs, lang), **sizes
    )
    if data.jpeg_derived:
        text += NOTICE_WORDS["jpeg"][lang]
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


def facts(data: BookData) -> dict[str, Any]:
    """What the data box says as data: which images (``kind``) and how many per split.

    ``kind`` is ``"fallback"`` (the digits), ``"cifar-offline"`` (a copy whose pixels are
    mostly JPEG-derived) or ``"cifar"``. The status page reads these from the glued box.
    """
    if data.is_fallback:
        kind = "fallback"
    else:
        kind = "cifar-offline" if data.jpeg_derived else "cifar"
    return {
        "kind": kind,
        **data.sizes(),
        "profile": data.profile.name,
        "epochs": data.profile.epochs,
    }


@dataclass(frozen=True)
class DataBox:
    """The data box of a page: an HTML admonition, with its :func:`facts` as metadata.

    A glued ``DataBox`` shows its HTML; the facts travel as the output's metadata for
    ``text/html`` (``{"convnotes_data": facts}``), which myst-nb keeps in the chapter's
    glue data, where the status page reads them. (Metadata, because a glued output's
    data are stored under a prefixed mime type, where nbformat accepts only strings.)
    """

    html: str
    facts: dict[str, Any]

    def _repr_html_(self) -> tuple[str, dict[str, Any]]:
        return self.html, {"convnotes_data": self.facts}

    def __repr__(self) -> str:
        return f"DataBox(kind={self.facts['kind']!r})"


def box(data: BookData, lang: str) -> DataBox:
    """The notice as an HTML admonition (a warning box for the fallback) to glue."""
    if data.is_fallback:
        css, title = "warning " + FALLBACK_CSS_CLASS, NOTICE_WORDS["fallback_title"]
    else:
        css, title = "note " + DATA_NOTE_CSS_CLASS, NOTICE_WORDS["title"]
    heading = title[lang]
    return DataBox(
        f'<div class="admonition {css}"><p class="admonition-title">'
        f"{html.escape(heading)}</p><p>{html.escape(notice(data, lang))}</p></div>",
        facts(data),
    )


__all__ = ["NOTICE_WORDS", "DataBox", "box", "facts", "notice"]
