"""The licence of Paradiplo's own compilation and the credits of the data it builds on, defined
once: the about page, the API root, the Dataset JSON-LD and every download (CSV, GeoJSON, JSON)
read them from here.

Paradiplo's compilation (which facts are recorded, how they are linked and cited) is under
CC BY 4.0. Some of its data comes from others, under their own terms: GeoNames (coordinates,
populations, country codes; CC BY 4.0), Wikidata (identifiers; CC0) and, for rows matched
through it, dr5hn's countries-states-cities database (ODbL 1.0).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

#: The compilation's licence: short name, full name and address.
NAME = "CC BY 4.0"
TITLE = "Creative Commons Attribution 4.0 International"
URL = "https://creativecommons.org/licenses/by/4.0/"
#: SPDX identifier, for machine-readable metadata.
SPDX = "CC-BY-4.0"

#: Who to credit when reusing the compilation (kept in English: it is a name, not UI text).
ATTRIBUTION = "Paradiplo"


@dataclass(frozen=True)
class Credit:
    """Data from another project that Paradiplo builds on, under its own licence."""

    name: str
    url: str
    licence: str
    licence_url: str
    used_for: str  # a lazily translated description


CREDITS = (
    Credit(
        "GeoNames",
        "https://www.geonames.org/",
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        _("coordinates and populations of places, country codes"),
    ),
    Credit(
        "Wikidata",
        "https://www.wikidata.org/",
        "CC0 1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        _("identifiers (QIDs) of cities and countries"),
    ),
    Credit(
        "dr5hn/countries-states-cities-database",
        "https://github.com/dr5hn/countries-states-cities-database",
        "ODbL 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        _("Wikidata identifiers of the rows matched through it"),
    ),
)


def link_header() -> str:
    """The value of an HTTP ``Link`` header pointing to the licence (RFC 8288, ``rel="license"``)."""
    return f'<{URL}>; rel="license"'


def data() -> dict:
    """The licence as a JSON member of an API answer or a download:
    ``{"name", "url", "attribution", "credits": [{name, url, licence, licence_url, used_for}]}``;
    ``used_for`` in the active language."""
    return {
        "name": NAME,
        "url": URL,
        "attribution": ATTRIBUTION,
        "credits": [
            {
                "name": credit.name,
                "url": credit.url,
                "licence": credit.licence,
                "licence_url": credit.licence_url,
                "used_for": str(credit.used_for),
            }
            for credit in CREDITS
        ],
    }
