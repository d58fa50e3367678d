"""Provenance in view: the numbered references of a page and the "cite this page" block.

A page cites records with ``{% cite record %}`` (the record's ``citations`` prefetched with
their ``source``) and lists what it cited with ``{% references %}`` at the end: each distinct
source gets a number the first time the page cites it, and every number links to the
source's entry in the bibliography.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .bibtex import bibtex_escape, bibtex_verbatim


@dataclass
class Reference:
    number: int
    source: object
    locators: list[str] = field(default_factory=list)


class References:
    """The sources one rendered page cites, numbered in order of first citation."""

    def __init__(self):
        self._by_source: dict[int, Reference] = {}

    def cite(self, source, locator: str = "") -> Reference:
        reference = self._by_source.get(source.pk)
        if reference is None:
            reference = Reference(len(self._by_source) + 1, source)
            self._by_source[source.pk] = reference
        if locator and locator not in reference.locators:
            reference.locators.append(locator)
        return reference

    def cite_record(self, record) -> list[Reference]:
        """The references of ``record``: a Source itself, or a record with ``citations``."""
        if record is None:
            return []
        if hasattr(record, "citations"):
            return [self.cite(citation.source, citation.locator) for citation in record.citations.all()]
        if hasattr(record, "key") and hasattr(record, "title"):  # a Source
            return [self.cite(record)]
        return []

    def __iter__(self):
        return iter(sorted(self._by_source.values(), key=lambda reference: reference.number))

    def __len__(self):
        return len(self._by_source)

    def __bool__(self):
        return bool(self._by_source)


def cite_page(title: str, url: str, path: str, updated: datetime.datetime | datetime.date | None = None) -> dict:
    """APA-style text, a BibTeX entry and a CSL-JSON item (what Zotero, Mendeley and pandoc
    read) for a page of Paradiplo at ``url`` (whose path is ``path``), with today's access
    date."""
    today = timezone.localdate()
    if isinstance(updated, datetime.datetime):
        updated = timezone.localtime(updated).date() if timezone.is_aware(updated) else updated.date()
    english = (translation.get_language() or "en").startswith("en")
    # APA: "(2025, March 1)" and "Retrieved March 1, 2026"; other languages write the date their way.
    if updated:
        published = date_format(updated, "Y, F j") if english else date_format(updated, "DATE_FORMAT")
    else:
        published = _("n.d.")
    accessed_text = date_format(today, "F j, Y") if english else date_format(today, "DATE_FORMAT")
    # The key names the page by its path (without the language), never its query string:
    # "paradiplo-networks-mercociudades-members".
    segments = [segment for segment in path.split("/") if segment][1:]
    key = "paradiplo-" + ("-".join(segments) if segments else "home")
    bibtex_fields = [
        ("author", "{Paradiplo}"),
        ("title", bibtex_escape(title)),
        ("howpublished", "\\url{" + bibtex_verbatim(url) + "}"),
    ]
    if updated:
        bibtex_fields.append(("year", str(updated.year)))
    bibtex_fields.append(("note", f"Accessed: {today.isoformat()}"))
    bibtex = "@misc{" + key + ",\n" + ",\n".join(f"  {name} = {{{value}}}" for name, value in bibtex_fields) + "\n}"
    csl = {
        "id": key,
        "type": "webpage",
        "title": title,
        "author": [{"literal": "Paradiplo"}],
        "container-title": "Paradiplo",
        "URL": url,
        **({"issued": {"date-parts": [[updated.year, updated.month, updated.day]]}} if updated else {}),
        "accessed": {"date-parts": [[today.year, today.month, today.day]]},
        "language": (translation.get_language() or "en").split("-")[0],
    }
    return {
        "title": title,
        "url": url,
        "published": published,
        "accessed": today,
        "accessed_text": accessed_text,
        "bibtex": bibtex,
        "csl_json": json.dumps([csl], ensure_ascii=False, indent=2),
    }
