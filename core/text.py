"""The one accent- and case-insensitive form of text, for search, matching and imports.

``fold("  Łódź ") == fold("LODZ") == "lodz"``: a city typed without its marks matches the city
recorded with them, in the member import, the gazetteer and the embedded (SQLite) search alike.
PostgreSQL's search computes the same form in the database with ``lower(unaccent(…))``.
"""

from __future__ import annotations

import re
import unicodedata

#: Letters that Unicode decomposition leaves whole but that readers type without the mark
#: (PostgreSQL's unaccent rules treat them the same way), and dashes and quotes typed plainly.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
        "’": "'",
        "‘": "'",
    }
)
_SPACES = re.compile(r"\s+")


def fold_characters(text: str) -> str:
    """``text`` without accents and case, character for character (spaces kept as they are):
    what :func:`fold` does before it collapses spaces. Highlighting maps matches back with it."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def fold(text: str | None) -> str:
    """Unaccented, case-folded, single-spaced: "  São  Paulo " → "sao paulo", "Łódź" → "lodz",
    "Straße" → "strasse"; "" for None."""
    if not text:
        return ""
    return _SPACES.sub(" ", fold_characters(text)).strip()
