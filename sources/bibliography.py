"""Sources as bibliography entries: BibTeX (biblatex flavour) and CSL-JSON.

Both renderings take :class:`~sources.models.Source` records and give text that reference
managers (Zotero, JabRef, Pandoc/citeproc, biber) read as they are. Exports are deterministic:
entries come in the order given (the views sort them by key), fields in a fixed order, and
nothing depends on the time of the request.

Authors are stored as "Family, Given; Family, Given"; an author written without a comma is a
corporate author ("Mercociudades") and is kept whole (``{Mercociudades}`` in BibTeX, a
``literal`` name in CSL-JSON).

A title Paradiplo wrote (``title_supplied``: derived from the address, the document prints
none) is put in square brackets, as citation styles (APA, Chicago) mark a description standing
for a title; neither format has a field saying so. The access date (``urldate`` /
``accessed``), the publisher or site, the language and the archived copy (where the document was
read, when the URL is the original: ``addendum`` / ``archive_location``) are given when known.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from core.bibtex import bibtex_escape, bibtex_verbatim
from core.partialdates import PartialDate

from .models import Source, SourceKind

# --- Authors --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    family: str = ""
    given: str = ""
    literal: str = ""  # a corporate author, kept whole


def parse_authors(authors: str) -> list[Author]:
    """``"Alibalaev, Muradin M.; Kuznetsov, Denis A."`` → two :class:`Author` s."""
    parsed = []
    for part in (authors or "").split(";"):
        part = " ".join(part.split())
        if not part:
            continue
        family, comma, given = part.partition(",")
        if comma and family.strip():
            parsed.append(Author(family=family.strip(), given=given.strip()))
        else:
            parsed.append(Author(literal=part.strip(" ,")))
    return parsed


def display_title(source: Source) -> str:
    """The title as a reference gives it: in square brackets when Paradiplo supplied it."""
    return f"[{source.title}]" if source.title_supplied else source.title


# --- BibTeX -----------------------------------------------------------------------------------

#: LaTeX's special characters and what stands for them in a BibTeX field value.
BIBTEX_TYPES = {
    SourceKind.ACADEMIC_ARTICLE: "article",
    SourceKind.REPORT: "report",
    SourceKind.NEWS: "online",
    SourceKind.OFFICIAL_PAGE: "online",
    SourceKind.WEB_PAGE: "online",
    SourceKind.ENCYCLOPEDIA: "online",
}
"""biblatex entry types; founding acts, statutes, declarations, datasets and others are @misc."""

#: the field that names where the source appeared, by entry type (biblatex's names for it).
BIBTEX_CONTAINER_FIELD = {"article": "journal", "report": "institution", "online": "organization", "misc": "publisher"}

BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

#: babel/polyglossia language names for biblatex's ``langid`` (hyphenation, localised strings).
BIBTEX_LANGIDS = {"en": "english", "es": "spanish", "pt": "portuguese", "fr": "french", "it": "italian", "de": "german"}


def bibtex_name(author: Author) -> str:
    if author.literal:
        # Double braces: a corporate name is one unit, never split into family and given names.
        return "{" + bibtex_escape(author.literal) + "}"
    if author.given:
        return f"{bibtex_escape(author.family)}, {bibtex_escape(author.given)}"
    return bibtex_escape(author.family)


def bibtex_type(source: Source) -> str:
    return BIBTEX_TYPES.get(source.kind, "misc")


def bibtex_fields(source: Source) -> list[tuple[str, str]]:
    """The entry's ``(field, value)`` pairs, values ready to be put between braces (except
    ``month``, a bare macro)."""
    entry_type = bibtex_type(source)
    fields: list[tuple[str, str]] = []
    authors = parse_authors(source.authors)
    if authors:
        fields.append(("author", " and ".join(bibtex_name(author) for author in authors)))
    fields.append(("title", bibtex_escape(display_title(source))))
    if source.publisher:
        fields.append((BIBTEX_CONTAINER_FIELD[entry_type], bibtex_escape(source.publisher)))
    published = source.published
    if isinstance(published, PartialDate):
        fields.append(("year", str(published.year)))
        if published.month:
            fields.append(("month", BIBTEX_MONTHS[published.month - 1]))
        fields.append(("date", published.isoformat()))
    if source.doi:
        fields.append(("doi", bibtex_verbatim(source.doi)))
    if source.url:
        fields.append(("url", bibtex_verbatim(source.url)))
    if source.accessed:
        fields.append(("urldate", source.accessed.isoformat()))
    if source.language:
        fields.append(("language", bibtex_escape(source.language)))
        langid = BIBTEX_LANGIDS.get(source.language.split("-")[0].lower())
        if langid:
            fields.append(("langid", langid))
    if source.archived_url:
        # biblatex has no archive field: the addendum is printed at the end of the entry.
        fields.append(("addendum", "Archived copy: \\url{" + bibtex_verbatim(source.archived_url) + "}"))
    return fields


def bibtex_entry(source: Source) -> str:
    """One BibTeX entry, its key the source's stable key."""
    lines = []
    for name, value in bibtex_fields(source):
        lines.append(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}")
    return "@" + bibtex_type(source) + "{" + source.key + ",\n" + ",\n".join(lines) + "\n}\n"


# --- CSL-JSON -------------------------------------------------------------------------------

CSL_TYPES = {
    SourceKind.ACADEMIC_ARTICLE: "article-journal",
    SourceKind.NEWS: "article-newspaper",
    SourceKind.REPORT: "report",
    SourceKind.DATASET: "dataset",
    SourceKind.OFFICIAL_PAGE: "webpage",
    SourceKind.WEB_PAGE: "webpage",
    SourceKind.ENCYCLOPEDIA: "entry-encyclopedia",
}
"""CSL 1.0.2 item types; founding acts, statutes, declarations and others are ``document``."""

#: types whose ``publisher`` is the periodical or site the item appeared in (``container-title``).
CSL_CONTAINED = {"article-journal", "article-newspaper", "webpage", "entry-encyclopedia"}


def csl_type(source: Source) -> str:
    return CSL_TYPES.get(source.kind, "document")


def csl_date(value) -> dict | None:
    """``{"date-parts": [[2003, 5]]}``: a date at its precision, as CSL wants it."""
    if value is None:
        return None
    parts = [value.year]
    if getattr(value, "month", None):
        parts.append(value.month)
        if getattr(value, "day", None):
            parts.append(value.day)
    return {"date-parts": [parts]}


def csl_item(source: Source) -> dict:
    """One CSL-JSON item, ``id`` the source's stable key; empty fields are left out."""
    item_type = csl_type(source)
    item: dict = {"id": source.key, "type": item_type, "title": display_title(source)}
    authors = parse_authors(source.authors)
    if authors:
        item["author"] = [
            {"literal": author.literal}
            if author.literal
            else {key: value for key, value in (("family", author.family), ("given", author.given)) if value}
            for author in authors
        ]
    if source.publisher:
        item["container-title" if item_type in CSL_CONTAINED else "publisher"] = source.publisher
    if source.published:
        item["issued"] = csl_date(source.published)
    if source.accessed:
        item["accessed"] = csl_date(source.accessed)
    if source.url:
        item["URL"] = source.url
    if source.doi:
        item["DOI"] = source.doi
    if source.language:
        item["language"] = source.language
    if source.archived_url:
        # CSL 1.0.2's place of an item in an archive (Zotero's "Loc. in Archive").
        item["archive_location"] = source.archived_url
    return item


def csl_json(sources: Iterable[Source], *, indent: int | None = 2) -> str:
    """A CSL-JSON document: an array of the items of ``sources``."""
    return json.dumps([csl_item(source) for source in sources], ensure_ascii=False, indent=indent) + "\n"


#: schema.org types for a source's JSON-LD description (built by core.jsonld).
SCHEMA_TYPES = {
    SourceKind.ACADEMIC_ARTICLE: "ScholarlyArticle",
    SourceKind.NEWS: "NewsArticle",
    SourceKind.REPORT: "Report",
    SourceKind.DATASET: "Dataset",
    SourceKind.OFFICIAL_PAGE: "WebPage",
    SourceKind.WEB_PAGE: "WebPage",
    SourceKind.ENCYCLOPEDIA: "Article",
    SourceKind.DECLARATION: "DigitalDocument",
    SourceKind.STATUTE: "DigitalDocument",
    SourceKind.FOUNDING_ACT: "DigitalDocument",
}
