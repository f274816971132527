"""Presentation: the figures, tables and words (in both languages) of the book.

The computation modules (:mod:`convnotes.conv`, :mod:`convnotes.pooling`,
:mod:`convnotes.filters`, :mod:`convnotes.params`, :mod:`convnotes.shapes`, ...)
return numbers, arrays and language-free records; the modules here turn them into
what a page shows. The import goes one way only: presentation imports computation,
never the reverse (``tests/test_import_direction.py`` enforces it).

``plots``     matplotlib helpers: the Persian font, ``words``, ``style_axes``, ``legend``
``tables``    the one HTML table builder, :func:`~convnotes.presentation.tables.html_table`
``conv``      figures of the convolution chapter (feature maps, receptive fields)
``filters``   figures of the filters chapter, kernel names and photo credits
``pooling``   figures of the pooling chapter and its text image
``params``    formulas in words, model summaries and tables of the parameters chapter
``data``      the data notice of the training pages

Nothing is imported here, so a chapter depends only on the modules it names.
"""
