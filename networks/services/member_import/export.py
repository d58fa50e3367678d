"""A network's member list written in the import's own columns (names and codes, never
database ids), so that the file, imported again, changes nothing: every row is "unchanged".
The empty template of the import page is the same header without rows."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import get_language

from ...models import Membership, Network
from ...selectors import member_file_rows
from .columns import column_names


def header() -> list[str]:
    """The column names, in the active language's form (any of them is read back)."""
    return column_names(get_language())


def member_file_row(membership: Membership) -> list:
    """One membership as a row of the import file: the city's name, its country's ISO code, its
    coordinates and identifiers (which match it again on import), the category's code, the
    dates at their precision and the address of the first cited source that has one."""
    city = membership.city
    source_url = next((c.source.url for c in membership.citations.all() if c.source.url), "")
    return [
        str(city),
        city.country.code if city.country_id else "",
        city.latitude,
        city.longitude,
        city.geonames_id,
        city.wikidata_id,
        membership.category,
        membership.start,
        membership.end,
        source_url,
    ]


def member_file(network: Network) -> Iterator[list]:
    """Every membership of ``network`` as an import row (read 2,000 at a time)."""
    return (member_file_row(membership) for membership in member_file_rows(network).iterator(chunk_size=2000))
