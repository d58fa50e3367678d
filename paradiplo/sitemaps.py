"""The sitemap: every public page in the four languages, with hreflang alternates.

``/sitemap.xml`` is an index of the sections below; ``/sitemap-<section>.xml`` lists a section
(``?p=2``… for the next pages). Each URL is given in every language with its alternates and an
``x-default`` (the address without language prefix, which redirects to the reader's language).
URLs use the host the sitemap was requested on (no sites framework).

Big tables stay cheap: a page of a section reads one slice of its table (a count and one
query), never the whole table, and a section's latest change is one aggregate query.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from cities.models import City, Country, RegionalBloc, Twinning
from networks.models import Membership, Network, Office, Summit, ThematicUnit
from projects.models import SDG, Organization, Programme, Project, ProjectCity
from sources.models import Source

#: items per sitemap page. Each item is listed once per language with five alternates: 20,000
#: URLs (the protocol allows 50,000) keep a file well under the protocol's 50 MB.
ITEMS_PER_PAGE = 5_000


class LanguageItems:
    """``items`` × languages as a lazy sequence: the (item, language) pairs that Django's i18n
    sitemaps paginate, without reading the whole table to build them (Django's own
    ``Sitemap._items()`` lists every item of the table for every page)."""

    def __init__(self, items, languages: list[str]):
        self.items = items
        self.languages = languages

    def count(self) -> int:
        items = self.items
        total = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
        return total * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        per_item = len(self.languages)
        start = index.start or 0
        stop = index.stop if index.stop is not None else self.count()
        first, last = start // per_item, math.ceil(stop / per_item)
        pairs = [(item, code) for item in self.items[first:last] for code in self.languages]
        offset = first * per_item
        return pairs[start - offset : stop - offset]


class I18nSitemap(Sitemap):
    """A section listed in every language, with hreflang alternates and ``x-default``."""

    i18n = True
    alternates = True
    x_default = True
    limit = ITEMS_PER_PAGE * len(settings.LANGUAGES)

    @property
    def paginator(self):
        return Paginator(LanguageItems(self.items(), self._languages()), self.limit)


class StaticSitemap(I18nSitemap):
    """The index pages and the about page."""

    names = [
        "home",
        "network-list",
        "city-list",
        "country-list",
        "bloc-list",
        "twinning-list",
        "summit-list",
        "graph",
        "project-list",
        "organization-list",
        "sdg-list",
        "source-list",
        "about",
    ]
    priority = 0.8
    changefreq = "weekly"

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)


class RecordSitemap(I18nSitemap):
    """A section of records with their own page; ``lastmod`` is the record's last change."""

    model = None
    ordering: tuple[str, ...] = ("pk",)
    fields: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def queryset(self):
        return self.model.objects.all()

    def items(self):
        # A stable order keeps the pages of a section from shifting between requests; only the
        # columns the URL needs are read.
        queryset = self.queryset().order_by(*self.ordering)
        if self.related:
            queryset = queryset.select_related(*self.related)
        return queryset.only("pk", "updated_at", *self.fields)

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every item; one aggregate is enough.
        return self.queryset().aggregate(latest=Max("updated_at"))["latest"]


class NetworkSitemap(RecordSitemap):
    model = Network
    fields = ("slug",)
    priority = 1.0


class CitySitemap(RecordSitemap):
    """Cities with something to show: a membership, an office, a twinning, a project, a summit
    hosted, or a network's secretariat or founding place (a gazetteer import may add 100,000
    cities that Paradiplo records nothing about)."""

    model = City
    fields = ("slug",)

    def queryset(self):
        city = OuterRef("pk")
        return City.objects.filter(
            Exists(Membership.objects.filter(city=city))
            | Exists(Office.objects.filter(city=city))
            | Exists(Twinning.objects.filter(Q(city_a=city) | Q(city_b=city)))
            | Exists(ProjectCity.objects.filter(city=city))
            | Exists(Summit.objects.filter(host_city=city))
            | Exists(Network.objects.filter(Q(secretariat_city=city) | Q(founded_city=city)))
        )


class CountrySitemap(RecordSitemap):
    model = Country
    fields = ("code",)


class BlocSitemap(RecordSitemap):
    model = RegionalBloc
    fields = ("slug",)


class SummitSitemap(RecordSitemap):
    model = Summit
    fields = ("slug", "network__slug")
    related = ("network",)


class ThematicUnitSitemap(RecordSitemap):
    model = ThematicUnit
    fields = ("slug", "network__slug")
    related = ("network",)


class ProjectSitemap(RecordSitemap):
    model = Project
    fields = ("slug",)


class ProgrammeSitemap(RecordSitemap):
    model = Programme
    fields = ("slug",)


class OrganizationSitemap(RecordSitemap):
    model = Organization
    fields = ("slug",)


class SDGSitemap(RecordSitemap):
    model = SDG
    ordering = ("number",)
    fields = ("number",)


class SourceSitemap(RecordSitemap):
    model = Source
    fields = ("key",)
    priority = 0.4


sitemaps: dict[str, type[Sitemap]] = {
    "pages": StaticSitemap,
    "networks": NetworkSitemap,
    "cities": CitySitemap,
    "countries": CountrySitemap,
    "blocs": BlocSitemap,
    "summits": SummitSitemap,
    "thematic-units": ThematicUnitSitemap,
    "projects": ProjectSitemap,
    "programmes": ProgrammeSitemap,
    "organizations": OrganizationSitemap,
    "sdgs": SDGSitemap,
    "sources": SourceSitemap,
}
