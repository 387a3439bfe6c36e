"""Marking of translatable text inside the Qt-free, catalogue-free domain.

The domain must not import the i18n package (layers), yet its error messages are
user-visible.  They are marked with ``N_`` so that Babel extracts them, and are
translated where they are shown (``elternlotse.i18n.translate_error``).
"""


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message
