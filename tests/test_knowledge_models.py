"""Evidence levels, Wikidata identifiers, twinnings and sources fit for a bibliography (#11): each
invalid value is refused by model validation with a clear message and a stable code, and by the
database when validation is bypassed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cities.models import Country, Twinning, TwinningKind
from networks.models import Membership, Office
from sources.models import Certainty, Source

from .factories import (
    CityFactory,
    CountryFactory,
    MembershipFactory,
    NetworkFactory,
    OfficeFactory,
    SourceFactory,
    SummitFactory,
    TwinningFactory,
)

pytestmark = pytest.mark.django_db


def validation_errors(instance) -> dict[str, list[ValidationError]]:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.error_dict


def messages(errors: list[ValidationError]) -> str:
    return " ".join(message for error in errors for message in error.messages)


def refused_by_database(instance):
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


# Evidence levels -----------------------------------------------------------------------------


def test_a_fact_is_stated_unless_its_evidence_is_graded_otherwise():
    membership = MembershipFactory(network=NetworkFactory(), city=CityFactory())
    office = OfficeFactory(network=NetworkFactory(), city=CityFactory())
    twinning = TwinningFactory()
    assert membership.certainty == office.certainty == twinning.certainty == Certainty.STATED
    assert Certainty.labels == ["stated", "probable", "uncertain"]


@pytest.mark.parametrize(
    "build",
    [
        lambda: MembershipFactory.build(network=NetworkFactory(), city=CityFactory(), certainty="rumoured"),
        lambda: OfficeFactory.build(network=NetworkFactory(), city=CityFactory(), certainty="rumoured"),
        lambda: TwinningFactory.build(city_a=CityFactory(), city_b=CityFactory(), certainty="rumoured"),
    ],
    ids=["membership", "office", "twinning"],
)
def test_an_unknown_evidence_level_is_refused(build):
    record = build()
    errors = validation_errors(record)
    assert [error.code for error in errors["certainty"]] == ["invalid_choice"]
    refused_by_database(record)


def test_probable_and_uncertain_levels_are_kept():
    membership = MembershipFactory(network=NetworkFactory(), city=CityFactory(), certainty=Certainty.PROBABLE)
    membership.full_clean()
    assert Membership.objects.get(pk=membership.pk).get_certainty_display() == "probable"


# Wikidata identifiers -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1489", "q1489", "Q0123", "Q14 89", "P31"])
@pytest.mark.parametrize("make", [CityFactory.build, CountryFactory.build, NetworkFactory.build], ids=str)
def test_a_wikidata_identifier_is_a_q_followed_by_digits(make, value):
    record = make(wikidata_id=value)
    errors = validation_errors(record)["wikidata_id"]
    assert [error.code for error in errors] == ["invalid_qid"]
    assert "Q followed by digits, e.g. Q1489" in messages(errors)


def test_two_countries_cannot_share_a_wikidata_identifier():
    CountryFactory(code="XA", wikidata_id="Q999999999")
    twin = CountryFactory.build(code="XB", wikidata_id="Q999999999")
    assert "Another record already has this Wikidata identifier." in messages(validation_errors(twin)["__all__"])
    refused_by_database(twin)


def test_records_without_a_wikidata_identifier_do_not_collide():
    CountryFactory(code="XA", wikidata_id="")
    other = CountryFactory.build(code="XB", wikidata_id="")
    other.full_clean()
    other.save()
    assert Country.objects.filter(code__in=["XA", "XB"], wikidata_id="").count() == 2


def test_two_networks_cannot_share_a_wikidata_identifier():
    NetworkFactory(wikidata_id="Q1110148")
    refused_by_database(NetworkFactory.build(wikidata_id="Q1110148"))


# Twinnings ----------------------------------------------------------------------------------


def test_a_city_cannot_be_twinned_with_itself():
    city = CityFactory()
    twinning = TwinningFactory.build(city_a=city, city_b=city)
    assert "A city cannot be twinned with itself." in messages(validation_errors(twinning)["__all__"])
    refused_by_database(twinning)


def test_the_same_agreement_is_refused_whichever_city_is_named_first():
    first = TwinningFactory(kind=TwinningKind.TWINNING, start="1997")
    reversed_pair = TwinningFactory.build(city_a=first.city_b, city_b=first.city_a, kind=first.kind, start="1997")
    assert "These two cities already have this agreement." in messages(validation_errors(reversed_pair)["__all__"])
    refused_by_database(reversed_pair)


def test_an_undated_agreement_cannot_be_recorded_twice():
    first = TwinningFactory(kind=TwinningKind.SISTER_CITIES, start=None)
    refused_by_database(TwinningFactory.build(city_a=first.city_b, city_b=first.city_a, kind=first.kind, start=None))


def test_two_agreements_of_different_kinds_between_the_same_cities_are_kept():
    first = TwinningFactory(kind=TwinningKind.FRIENDSHIP, start="2017")
    second = TwinningFactory.build(city_a=first.city_a, city_b=first.city_b, kind=TwinningKind.TWINNING, start="2019")
    second.full_clean()
    second.save()
    assert Twinning.objects.involving(first.city_a).count() == 2


def test_a_twinning_is_a_shared_record_of_no_network():
    assert getattr(Twinning, "NETWORK_PATH", None) is None
    assert Twinning.NATURAL_KEY == ("city_a__slug", "city_b__slug", "kind", "start")


# Offices: elected at, took office at ---------------------------------------------------------


def test_an_office_takes_office_at_a_summit_of_its_own_network():
    network = NetworkFactory()
    office = OfficeFactory.build(network=network, city=CityFactory(), took_office_at=SummitFactory())
    errors = validation_errors(office)["took_office_at"]
    assert [error.code for error in errors] == ["other_network"]


def test_elected_at_and_took_office_at_are_two_facts():
    network = NetworkFactory()
    electing, inaugural = SummitFactory(network=network, number=30), SummitFactory(network=network, number=31)
    office = OfficeFactory(network=network, city=CityFactory(), elected_at=electing, took_office_at=inaugural)
    office.full_clean()
    stored = Office.objects.get(pk=office.pk)
    assert (stored.elected_at, stored.took_office_at) == (electing, inaugural)
    assert list(inaugural.inaugurations.all()) == [stored] and list(inaugural.elections.all()) == []


# Sources fit for a bibliography ---------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["mercociudades.org/?p=5129", "https://www.c40.org/", "afrik.com/les-collectivites-locales-africaines", "c40.org"],
)
def test_a_bare_address_is_not_a_title(title):
    source = SourceFactory.build(title=title)
    errors = validation_errors(source)["title"]
    assert [error.code for error in errors] == ["bare_url_title"]
    assert "readable title" in messages(errors)


def test_a_title_derived_from_the_address_is_flagged_as_supplied():
    source = SourceFactory.build(
        title="Les collectivites locales africaines parlent desormais d une seule voix",
        title_supplied=True,
        url="https://en.wikipedia.org/wiki/Eurocities",
        archived_url="https://en.wikipedia-on-ipfs.org/wiki/Eurocities",
    )
    source.full_clean()
    source.save()
    stored = Source.objects.get(pk=source.pk)
    assert stored.title_supplied and stored.archived_url.startswith("https://en.wikipedia-on-ipfs.org/")
    assert SourceFactory.build().title_supplied is False
