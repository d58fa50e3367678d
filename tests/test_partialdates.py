import datetime

import pytest
from django.core.exceptions import ValidationError

from cities.models import City
from core.partialdates import PartialDate, PartialDateField, PartialDateFormField
from networks.models import Membership

from .factories import MembershipFactory


@pytest.mark.parametrize(
    ("text", "precision", "lower", "upper"),
    [
        ("2003", "year", datetime.date(2003, 1, 1), datetime.date(2003, 12, 31)),
        ("2004-02", "month", datetime.date(2004, 2, 1), datetime.date(2004, 2, 29)),
        ("1995-11-11", "day", datetime.date(1995, 11, 11), datetime.date(1995, 11, 11)),
    ],
)
def test_a_partial_date_keeps_its_precision_and_period(text, precision, lower, upper):
    value = PartialDate.parse(text)
    assert value.precision == precision
    assert (value.lower, value.upper) == (lower, upper)
    assert value.isoformat() == text
    assert PartialDate.from_int(int(value)) == value


@pytest.mark.parametrize("text", ["03", "2003-13", "2003-02-30", "2003-5", "2003/05/11", "20030511", "abcd", "2003-00"])
def test_malformed_partial_dates_are_refused(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_partial_dates_sort_by_their_first_day():
    ordered = [PartialDate.parse(t) for t in ["2002-12-31", "2003", "2003-01-01", "2003-05", "2003-05-02", "2004"]]
    assert sorted(reversed(ordered)) == ordered


def test_form_field_gives_a_clear_message_for_a_bad_date():
    field = PartialDateFormField(required=False)
    assert field.clean("2003-05") == PartialDate(2003, 5)
    assert field.clean("") is None
    with pytest.raises(ValidationError) as error:
        field.clean("11/05/2003")
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in str(error.value)


def test_model_field_refuses_an_impossible_date():
    with pytest.raises(ValidationError) as error:
        PartialDateField().clean("2003-02-30", None)
    assert error.value.code == "invalid_partial_date"


def test_display_is_at_the_dates_precision(settings):
    settings.LANGUAGE_CODE = "en"
    assert PartialDate(2003).display() == "2003"
    assert "2003" in PartialDate(2003, 5).display() and "May" in PartialDate(2003, 5).display()
    assert PartialDate(2003, 5, 11).display().startswith("May 11") or "11" in PartialDate(2003, 5, 11).display()


@pytest.mark.django_db
def test_partial_dates_round_trip_through_the_database():
    membership = MembershipFactory(start="2003", end="2010-06")
    stored = Membership.objects.get(pk=membership.pk)
    assert stored.start == PartialDate(2003) and str(stored.start) == "2003"
    assert stored.end == PartialDate(2010, 6) and stored.end.precision == "month"


@pytest.mark.django_db
def test_a_date_known_only_as_2003_is_found_by_the_year_2003():
    year_only = MembershipFactory(start="2003")
    month = MembershipFactory(start="2003-07")
    day = MembershipFactory(start="2003-12-31")
    other = MembershipFactory(start="2004-01-01")
    found = set(Membership.objects.filter(start__year=2003).values_list("pk", flat=True))
    assert {year_only.pk, month.pk, day.pk} <= found
    assert other.pk not in found
    assert str(Membership.objects.get(pk=year_only.pk).start) == "2003"


@pytest.mark.django_db
def test_lookups_accept_iso_strings_and_dates(real_data):
    membership = MembershipFactory(start="2003-05")
    assert Membership.objects.filter(pk=membership.pk, start__gte="2003").exists()
    assert Membership.objects.filter(pk=membership.pk, start__lt=datetime.date(2003, 6, 1)).exists()
    assert not Membership.objects.filter(pk=membership.pk, start__gt="2003-05-31").exists()
    assert City.objects.exists()  # the real data is there beside synthetic records
