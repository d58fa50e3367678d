"""Writing a plan: the sources, then the new cities, then the memberships and their citations,
each record through :func:`core.services.save_record` (full model validation) and stamped for
the audit history. The caller holds the transaction; a refused record is reported on its row."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cities.models import City
from core import history
from core.services import save_record
from core.text import fold
from sources.models import Source, SourceKind
from sources.titles import derived_title

from ...models import Membership, MembershipCategory
from .columns import MODEL_FIELD_COLUMNS
from .matching import NewCity
from .planning import Plan
from .report import ImportReport, message
from .rows import Row

MAX_SOURCE_KEY = 120
MAX_SLUG_NUMBER = 1000
PROGRESS_EVERY = 50  # rows between two progress reports


def source_key(url: str) -> str:
    """The key of a source created for ``url``: a readable slug of its host, path and query
    (the scheme and ``www.`` dropped), e.g. ``mercociudades-org-es-miembros``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    readable = re.sub(r"[./?=&:+#,()~]", " ", unquote(f"{host} {parts.path} {parts.query}"))
    return slugify(readable)[:MAX_SOURCE_KEY].strip("-") or "web-page"


@dataclass
class Writer:
    """Saves records for one import, reporting what the models or the database refuse."""

    report: ImportReport
    user: object = None
    #: ``progress(done)``: told how many rows have been written (a background job's progress).
    progress: Callable[..., None] | None = None
    #: the records cited by this import, by model: their history rows' citation snapshots are
    #: refreshed once the import has written (core.history)
    cited: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return f"Member-list import ({self.report.filename or 'file'})"[:100]

    def stamp(self, instance):
        # Audit history (django-simple-history) reads these when the record is saved.
        if self.user is not None:
            instance._history_user = self.user
        instance._change_reason = self.reason
        return instance

    def report_progress(self, done: int, total: int | None = None) -> None:
        if self.progress is not None:
            self.progress(done, total)

    def save(self, instance, row: int, column_for_all: str | None = None) -> bool:
        """Save ``instance``; False (and its problems reported on ``row``) if it is refused."""
        try:
            save_record(self.stamp(instance))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for text in messages:
                    self.report.add(row, MODEL_FIELD_COLUMNS.get(name, column_for_all), text)
            return False
        except IntegrityError as error:
            self.report.add(row, column_for_all, message(_("refused by the database: %(error)s"), error=error))
            return False
        return True

    def cite(self, record, source: Source) -> None:
        citations = record.citations
        if not citations.filter(source=source).exists():
            self.stamp(citations.model(record=record, source=source)).save()
            self.cited.setdefault(type(record), set()).add(record.pk)


def write_plan(plan: Plan, writer: Writer) -> None:
    """Write everything ``plan`` decided; problems go to the writer's report."""
    sources = _create_sources(plan, writer)
    # Progress counts the new cities, then the rows: each is a write of about the same cost.
    cities = len(plan.new_cities.cities)
    writer.report_progress(0, cities + len(plan.rows))
    _create_cities(plan.new_cities.cities, sources, writer)
    for number, row in enumerate(plan.rows, start=1):
        _write_membership(row, plan, sources, writer)
        if number % PROGRESS_EVERY == 0 or number == len(plan.rows):
            writer.report_progress(cities + number)
    for model, pks in writer.cited.items():
        history.refresh_citations(model, pks)  # the versions just saved, with their new citations


def _unique_source_key(url: str, taken: set[str]) -> str:
    base = source_key(url)
    key, number = base, 2
    while key in taken or Source.objects.filter(key=key).exists():
        suffix = f"-{number}"
        key, number = base[: MAX_SOURCE_KEY - len(suffix)].strip("-") + suffix, number + 1
    taken.add(key)
    return key


def _create_sources(plan: Plan, writer: Writer) -> dict[str, Source]:
    """The sources by address, those not recorded yet created (a web page each)."""
    sources: dict[str, Source] = {}
    taken: set[str] = set()
    for url, source in plan.sources.items():
        if source is None:
            first_row = next(row.row for row in plan.rows if row.source_url == url)
            # Never the bare address: a title derived from it, flagged as supplied (#11).
            title = derived_title(url)[:500]
            key = _unique_source_key(url, taken)
            source = Source(key=key, url=url, title=title, title_supplied=True, kind=SourceKind.WEB_PAGE)
            if not writer.save(source, first_row, "source_url"):
                continue
        sources[url] = source
    return sources


def _unique_slug(new: NewCity, taken: set[str]) -> str:
    base = slugify(fold(new.name))[:100].strip("-") or "city"
    base = f"{base}-{new.country.code.lower()}"
    candidates = [base] + ([f"{base}-{new.geonames_id}"] if new.geonames_id else [])
    candidates += [f"{base}-{number}" for number in range(2, MAX_SLUG_NUMBER)]
    slug = next(slug for slug in candidates if slug not in taken and not City.objects.filter(slug=slug).exists())
    taken.add(slug)
    return slug


def _create_cities(new_cities: list[NewCity], sources: dict[str, Source], writer: Writer) -> None:
    taken: set[str] = set()
    for number, new in enumerate(new_cities, start=1):
        if number % PROGRESS_EVERY == 0:
            writer.report_progress(number)
        city = City(
            slug=_unique_slug(new, taken),
            name_en=new.name,
            native_name=new.name,
            country=new.country,
            latitude=new.latitude,
            longitude=new.longitude,
            geonames_id=new.geonames_id,
            wikidata_id=new.wikidata_id,
        )
        if writer.save(city, new.row, "city"):
            new.instance = city

            for url in new.source_urls:
                if url in sources:
                    writer.cite(city, sources[url])


def _write_membership(row: Row, plan: Plan, sources: dict[str, Source], writer: Writer) -> None:
    city = row.city.instance if isinstance(row.city, NewCity) else row.city
    if city is None or row.action not in ("create", "update"):
        return  # a city whose creation failed (reported), or nothing to write
    if row.action == "create":
        membership = Membership(
            network=plan.network,
            city=city,
            start=row.joined,
            end=row.left,
            category=row.category or MembershipCategory.FULL,
        )
        if not writer.save(membership, row.row, "joined"):
            return
    else:
        membership = row.membership
        for name, value in row.changes.items():
            setattr(membership, name, value)
        if row.changes and not writer.save(membership, row.row, "joined"):
            return
    if row.cite and row.source_url in sources:
        writer.cite(membership, sources[row.source_url])
