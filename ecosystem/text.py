"""Text folded for comparison: case and accents taken off (the one definition: the name checks
compare names so folded, and :func:`ecosystem.query.fold` folds punctuation on top of it)."""

from __future__ import annotations

import functools
import unicodedata


def plain(text: str) -> str:
    """``text`` case-folded, in compatibility decomposition (NFKD), without combining marks
    ("Zürich" -> "zurich", "ＡＢＣ" -> "abc")."""
    if text.isascii():  # NFKD leaves ASCII alone and it has no combining marks
        return text.lower()  # casefold is lower on ASCII
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii() or max(decomposed) <= "\uffff":
        return decomposed.translate(_combining_marks())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def _combining_marks() -> dict[int, None]:
    """A str.translate table deleting the combining marks of the Basic Multilingual Plane."""
    return dict.fromkeys(code for code in range(0x300, 0x10000) if unicodedata.combining(chr(code)))
