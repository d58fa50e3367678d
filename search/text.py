"""Text handling shared by both databases: the "plain" form of names, the parsing of web-search
syntax for the embedded mode, and highlighting.

The plain form is :func:`core.text.fold` (unaccented, case-folded, single-spaced): what the
embedded database (SQLite) stores in ``names_plain``/``body_plain`` and compares queries
against; PostgreSQL computes the same thing with ``lower(unaccent(…))``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.text import fold, fold_characters


def sqlite_plain(text):
    """``paradiplo_plain(text)`` on SQLite connections: :func:`core.text.fold` (NULL stays NULL)."""
    return None if text is None else fold(text)


# Web-search syntax ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str  # plain form; a quoted phrase keeps its spaces
    negated: bool = False


def parse_websearch(query: str) -> list[list[Term]]:
    """The embedded mode's reading of PostgreSQL's ``websearch_to_tsquery`` syntax: words must
    all appear, "quoted phrases" appear as written, ``-word`` must not appear, and ``or``
    separates alternatives. Returns the alternatives, each a list of terms (plain forms).

    ``'"red de" mercociudades -montevideo or asunción'`` gives two alternatives:
    ("red de", "mercociudades", not "montevideo") and ("asuncion").
    """
    groups: list[list[Term]] = [[]]
    for match in re.finditer(r'(-?)"([^"]*)"?|(\S+)', query):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            if word.lower() == "or":
                if groups[-1]:
                    groups.append([])
                continue
            negated = word.startswith("-") and len(word) > 1
            word = word[1:] if negated else word
            text = fold(word.strip("\"'.,;:!?()[]{}"))
        else:
            text = fold(phrase)
        if text:
            groups[-1].append(Term(text, bool(negated)))
    groups = [group for group in groups if any(not term.negated for term in group)]
    return groups


def has_operators(query: str) -> bool:
    """Whether the query uses web-search operators (quotes, -exclusion, or)."""
    return bool(re.search(r'"|(^|\s)-\S|\s(or|OR|Or)\s', query))


# Highlighting --------------------------------------------------------------------------------

#: Markers around matches in PostgreSQL's ts_headline output; the text is escaped in Python and
#: the markers turned into <mark>, so record text can never inject markup.
START, STOP = "\ue000", "\ue001"


def marked_to_html(text: str) -> SafeString:
    """ts_headline output (markers around matches) as safe HTML with <mark>."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own tags are added


def highlight(text: str, terms: list[str], *, width: int = 220) -> SafeString | None:
    """The part of ``text`` around the first match of any term (plain forms), matches wrapped in
    <mark>; None when nothing matches. Accent- and case-insensitive like the embedded search."""
    if not text or not terms:
        return None
    # Map every character of the plain form back to the original text.
    plain_chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for c in fold_characters(char):
            plain_chars.append(c)
            origin.append(index)
    haystack = "".join(plain_chars)
    spans: list[tuple[int, int]] = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        found = []
        start = haystack.find(term)
        while start >= 0:
            found.append((start, start + len(term)))
            start = haystack.find(term, start + len(term))
        # Prefer whole words and word starts ("de" in "Red de", not in "preceded").
        at_word_start = [(s, e) for s, e in found if s == 0 or not haystack[s - 1].isalnum()]
        for start, end in at_word_start or found:
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
    if not spans:
        return None
    spans.sort()
    ranges = [(origin[s], origin[e - 1] + 1) for s, e in spans]
    first = ranges[0][0]
    window_start = max(0, first - width // 3)
    if window_start:
        space = text.find(" ", window_start)
        window_start = space + 1 if 0 <= space < first else window_start
    window_end = min(len(text), window_start + width)
    if window_end < len(text):
        space = text.rfind(" ", window_start, window_end)
        window_end = space if space > ranges[0][1] else window_end
    parts = ["…" if window_start else ""]
    cursor = window_start
    for start, end in ranges:
        if start < cursor or end > window_end:
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:window_end]))
    parts.append("…" if window_end < len(text) else "")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped
