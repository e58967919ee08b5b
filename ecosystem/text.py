"""Text folded for comparison: case and accents taken off (the one definition: the name checks
compare names so folded, and :func:`ecosystem.query.fold` folds punctuation on top of it); and
:func:`take_unused`, how an importer or exporter makes an id unique."""

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


def take_unused(candidate: str, used: set, separator: str = "_") -> str:
    """``candidate``, else the first of ``candidate_2``, ``candidate_3``, ... (with ``separator``) not in
    ``used``; added to ``used``."""
    base, number = candidate, 2
    while candidate in used:
        candidate = f"{base}{separator}{number}"
        number += 1
    used.add(candidate)
    return candidate
