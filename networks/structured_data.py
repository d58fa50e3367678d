"""schema.org JSON-LD of the network and summit pages: plain functions of records already
loaded, no query. ``absolute`` turns a path into an absolute URL (``request.build_absolute_uri``)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext

from core.records import LANGUAGE_CODES, WIKIDATA_URL

from .models import Network, Summit, SummitFormat

ATTENDANCE_MODES = {
    SummitFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    SummitFormat.VIRTUAL: "https://schema.org/OnlineEventAttendanceMode",
    SummitFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def place(city, absolute: Callable[[str], str]) -> dict:
    """schema.org ``Place`` of a city: its country and coordinates when known."""
    data = {"@type": "Place", "name": str(city), "url": absolute(city.get_absolute_url())}
    if city.country_id:
        data["address"] = {"@type": "PostalAddress", "addressLocality": str(city), "addressCountry": city.country.code}
    if city.latitude is not None and city.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(city.latitude), "longitude": float(city.longitude)}
    return data


def organization_data(network: Network, members: int, absolute: Callable[[str], str]) -> dict:
    """schema.org ``Organization``: names, founding date (ISO 8601 at its precision) and place,
    Wikidata and website, parent and sections, and the members recorded now."""
    url = absolute(network.get_absolute_url())
    data = {"@context": "https://schema.org", "@type": "Organization", "@id": url, "name": str(network), "url": url}
    names = {getattr(network, f"name_{code}", "") for code in LANGUAGE_CODES} | {network.acronym}
    alternate = sorted(name for name in names if name and name != str(network))
    if alternate:
        data["alternateName"] = alternate
    if network.description:
        data["description"] = network.description
    if network.founded:
        data["foundingDate"] = network.founded.isoformat()
    if network.dissolved:
        data["dissolutionDate"] = network.dissolved.isoformat()
    if network.founded_city:
        data["foundingLocation"] = place(network.founded_city, absolute)
    if network.secretariat_city:
        data["location"] = place(network.secretariat_city, absolute)
    same_as = []
    if network.wikidata_id:
        same_as.append(WIKIDATA_URL.format(network.wikidata_id))
    if network.website:
        same_as.append(network.website)
    if same_as:
        data["sameAs"] = same_as
    if network.parent:
        data["parentOrganization"] = {
            "@type": "Organization",
            "name": str(network.parent),
            "url": absolute(network.parent.get_absolute_url()),
        }
    sections = list(network.sections.all())
    if sections:
        data["subOrganization"] = [
            {"@type": "Organization", "name": str(section), "url": absolute(section.get_absolute_url())}
            for section in sections
        ]
    if network.language_list:
        data["knowsLanguage"] = network.language_list
    # schema.org has no "number of members": an InteractionCounter of JoinAction is its way of
    # counting the people or organizations who joined.
    data["interactionStatistic"] = {
        "@type": "InteractionCounter",
        "interactionType": "https://schema.org/JoinAction",
        "userInteractionCount": members,
        "description": gettext("Member cities recorded in Paradiplo today"),
    }
    return data


def event_data(summit: Summit, title: str, absolute: Callable[[str], str]) -> dict:
    """schema.org ``Event``: dates at their precision (ISO 8601 "1995", "2016-11" or
    "1995-11-11"), the host city as a ``Place`` with its coordinates, the network as organizer."""
    network = summit.network
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": title,
        "url": absolute(summit.get_absolute_url()),
        "organizer": {"@type": "Organization", "name": str(network), "url": absolute(network.get_absolute_url())},
    }
    if network.website:
        data["organizer"]["sameAs"] = network.website
    if summit.start:
        data["startDate"] = summit.start.isoformat()
    if summit.end:
        data["endDate"] = summit.end.isoformat()
    if summit.format in ATTENDANCE_MODES:
        data["eventAttendanceMode"] = ATTENDANCE_MODES[summit.format]
    if summit.summary:
        data["description"] = summit.summary
    if summit.host_city is not None:
        data["location"] = place(summit.host_city, absolute)
    return data
