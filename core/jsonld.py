"""schema.org JSON-LD of the pages, built in one place: plain functions of records already
loaded, no query. They read the records' attributes and import no domain app; what only a
domain knows (which roles fund a project, which countries are full members of a bloc) is
passed in by the view. ``absolute`` turns a path into an absolute URL
(``request.build_absolute_uri``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext

from core import licence
from core.records import LANGUAGE_CODES, WIKIDATA_URL

CONTEXT = "https://schema.org"

#: schema.org attendance modes, by the stored value of a summit's format.
ATTENDANCE_MODES = {
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "virtual": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}

Absolute = Callable[[str], str]


def _ref(kind: str, record, absolute: Absolute, name: str | None = None) -> dict:
    """``{"@type": kind, "name": …, "url": …}`` of a record with a page."""
    return {"@type": kind, "name": name or str(record), "url": absolute(record.get_absolute_url())}


def _country(country, absolute: Absolute) -> dict:
    return {
        "@type": "Country",
        "name": str(country),
        "identifier": country.code,
        "url": absolute(country.get_absolute_url()),
    }


def place(city, absolute: Absolute) -> dict:
    """schema.org ``Place`` of a city: its country and coordinates when known."""
    data = _ref("Place", city, absolute)
    if city.country_id:
        data["address"] = {"@type": "PostalAddress", "addressLocality": str(city), "addressCountry": city.country.code}
    if city.latitude is not None and city.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(city.latitude), "longitude": float(city.longitude)}
    return data


def city_data(city, absolute: Absolute, *, administrative_area: bool, same_as: list[str]) -> dict:
    """schema.org ``City`` (a municipality or metropolitan government) or
    ``AdministrativeArea`` (a province, state, department or region), with its coordinates,
    country and external identifiers and website as ``sameAs``."""
    data = {"@context": CONTEXT, **_ref("AdministrativeArea" if administrative_area else "City", city, absolute)}
    if city.native_name and city.native_name != str(city):
        data["alternateName"] = city.native_name
    if city.has_coordinates:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(city.latitude), "longitude": float(city.longitude)}
    if city.country_id:
        data["containedInPlace"] = _country(city.country, absolute)
    if same_as:
        data["sameAs"] = same_as
    return data


def country_data(country, absolute: Absolute, *, same_as: list[str]) -> dict:
    """schema.org ``Country`` with its ISO code."""
    data = {"@context": CONTEXT, **_country(country, absolute)}
    if same_as:
        data["sameAs"] = same_as
    return data


def bloc_data(bloc, absolute: Absolute, *, members: Iterable) -> dict:
    """schema.org ``GovernmentOrganization`` of a regional bloc and its member ``countries``."""
    data = {"@context": CONTEXT, **_ref("GovernmentOrganization", bloc, absolute, bloc.name or str(bloc))}
    if bloc.acronym:
        data["alternateName"] = bloc.acronym
    if bloc.founded:
        data["foundingDate"] = bloc.founded.isoformat()
    if bloc.website:
        data["sameAs"] = bloc.website
    members = [_country(country, absolute) for country in members]
    if members:
        data["member"] = members
    return data


def organization_data(network, members: int, absolute: Absolute) -> dict:
    """schema.org ``Organization`` of a network: names, founding date (ISO 8601 at its
    precision) and place, Wikidata and website, parent and sections, and the members recorded
    now."""
    url = absolute(network.get_absolute_url())
    data = {"@context": CONTEXT, "@type": "Organization", "@id": url, "name": str(network), "url": url}
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
    same_as = [WIKIDATA_URL.format(network.wikidata_id)] if network.wikidata_id else []
    if network.website:
        same_as.append(network.website)
    if same_as:
        data["sameAs"] = same_as
    if network.parent:
        data["parentOrganization"] = _ref("Organization", network.parent, absolute)
    sections = list(network.sections.all())
    if sections:
        data["subOrganization"] = [_ref("Organization", section, absolute) for section in sections]
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


def event_data(summit, absolute: Absolute) -> dict:
    """schema.org ``Event`` of a summit, named by its ``title``: dates at their precision (ISO
    8601 "1995", "2016-11" or "1995-11-11"), the host city as a ``Place`` with its
    coordinates, the network as organizer."""
    network = summit.network
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "name": summit.title,
        "url": absolute(summit.get_absolute_url()),
        "organizer": _ref("Organization", network, absolute),
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


def project_data(project, absolute: Absolute, *, funder_roles, other_roles, participants, sdgs) -> dict:
    """schema.org ``Project``: its name, description, dates, network, funders, the other
    organizations and the cities taking part (with their roles), and its SDGs."""
    url = absolute(project.get_absolute_url())
    data = {
        "@context": CONTEXT,
        "@type": "Project",
        "@id": url,
        "url": url,
        "identifier": project.slug,
        "name": project.title or project.slug,
    }
    if project.summary:
        data["description"] = project.summary
    if project.start:
        data["startDate"] = project.start.isoformat()
    if project.end:
        data["endDate"] = project.end.isoformat()
    if project.network_id:
        data["parentOrganization"] = _ref("Organization", project.network, absolute)
    funders = [_organization(role.organization, absolute) for role in funder_roles]
    members = [_member(role, _organization(role.organization, absolute)) for role in other_roles]
    members += [_member(role, _ref("GovernmentOrganization", role.city, absolute)) for role in participants]
    if funders:
        data["funder"] = funders
    if members:
        data["member"] = members
    if sdgs:
        data["about"] = [
            {
                "@type": "DefinedTerm",
                "termCode": str(sdg.number),
                "name": sdg.short_name,
                "url": absolute(sdg.get_absolute_url()),
            }
            for sdg in sdgs
        ]
    return data


def _organization(organization, absolute: Absolute) -> dict:
    data = _ref("Organization", organization, absolute, organization.name or str(organization))
    if organization.acronym:
        data["alternateName"] = organization.acronym
    return data


def _member(role, member: dict) -> dict:
    return {"@type": "OrganizationRole", "roleName": role.get_role_display(), "member": member}


def creative_work_data(source, page_url: str, *, schema_type: str, authors) -> dict:
    """A source described with schema.org terms: ``schema_type`` ("ScholarlyArticle"…), its
    ``authors`` (parsed: organizations by ``literal``, persons by family and given names),
    publisher, date, address, DOI, language and licence."""
    data: dict = {"@context": CONTEXT, "@type": schema_type, "@id": page_url, "name": source.title}
    if authors:
        data["author"] = [
            {"@type": "Organization", "name": author.literal}
            if author.literal
            else {"@type": "Person", "familyName": author.family, "givenName": author.given}
            for author in authors
        ]
    if source.publisher:
        data["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published:
        data["datePublished"] = source.published.isoformat()
    if source.url:
        data["url"] = source.url
    if source.archived_url:
        data["archivedAt"] = source.archived_url
    if source.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": source.doi}
        data["sameAs"] = f"https://doi.org/{source.doi}"
    if source.language:
        data["inLanguage"] = source.language
    if source.licence:
        data["license"] = source.licence
    return data


def dataset_data(*, description: str, url: str, languages: list[str], downloads: list[tuple[str, str]]) -> dict:
    """schema.org ``Dataset`` of the whole site: ``downloads`` are ``(media type, URL)``; its
    licence (:mod:`core.licence`) and the datasets it builds on (``isBasedOn``, each with its
    own licence)."""
    return {
        "@context": CONTEXT,
        "@type": "Dataset",
        "name": "Paradiplo",
        "description": description,
        "url": url,
        "inLanguage": languages,
        "isAccessibleForFree": True,
        "license": licence.URL,
        "creditText": licence.ATTRIBUTION,
        "isBasedOn": [
            {"@type": "Dataset", "name": credit.name, "url": credit.url, "license": credit.licence_url}
            for credit in licence.CREDITS
        ],
        "keywords": ["paradiplomacy", "city networks", "Mercociudades", "UCLG", "C40", "Eurocities"],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media_type, "contentUrl": content_url}
            for media_type, content_url in downloads
        ],
    }
