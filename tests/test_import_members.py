"""Member-list import (networks.services.member_import and the import_members command).

Real fixture cities are matched; cities that must be created are synthetic and labelled so
("Synthetic Town 17") in a real country. Networks are synthetic unless the test is about a
membership recorded in the fixtures. The Wikidata id set on a fixture city below is synthetic.
"""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from cities.models import City, CityCitation
from networks.models import Membership, MembershipCitation
from networks.services.member_import import import_members, read_rows
from sources.models import Source

from .factories import CityFactory, NetworkFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

HEADER = ["city", "country", "latitude", "longitude", "geonames_id", "wikidata_id", "category", "joined", "left",
          "source_url"]  # fmt: skip
SAMPLE_DIR = Path(settings.BASE_DIR) / "docs" / "import"


def row(city, country, *, latitude="", longitude="", geonames_id="", wikidata_id="", category="", joined="", left="",
        source_url=""):  # fmt: skip
    return [city, country, latitude, longitude, geonames_id, wikidata_id, category, joined, left, source_url]


def csv_file(rows, header=HEADER, delimiter=",", bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_file(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state():
    """What an import may change."""
    return {
        "memberships": Membership.objects.count(),
        "cities": City.objects.count(),
        "sources": Source.objects.count(),
        "membership citations": MembershipCitation.objects.count(),
        "city citations": CityCitation.objects.count(),
    }


def run(network, data: bytes, name="members.csv", dry_run=False):
    return import_members(network, io.BytesIO(data), filename=name, dry_run=dry_run)


def errors_of(report):
    return {(error.row, error.column) for error in report.errors}


@pytest.fixture
def network():
    return NetworkFactory(slug="synthetic-import-network", name_en="Synthetic Import Network")


# --- Refusal -------------------------------------------------------------------------------


def test_bad_rows_refuse_the_whole_file(network):
    before = state()
    data = csv_file(
        [
            row("Montevideo", "UY", joined="1995"),  # 2: valid
            row("Narnia Town", "Narnia", joined="2003"),  # 3: unknown country
            row("Rosario", "AR", joined="2005", left="2001"),  # 4: left before joined
            row("Porto Alegre", "BR", joined="May 2003"),  # 5: malformed date
            row("montevideo", "uy", joined="1995"),  # 6: duplicate of row 2
            row("Synthetic Town 1", "UY", latitude="123", longitude="-56.1"),  # 7: latitude out of range
            row("Synthetic Town 2", "UY", source_url="https://example.org/synthetic"),  # 8: valid, new city + source
        ]
    )
    report = run(network, data)

    assert not report.ok and not report.written
    assert errors_of(report) == {(3, "country"), (4, "left"), (5, "joined"), (6, "city"), (7, "latitude")}
    lines = report.lines()
    assert "Row 3, country: “Narnia” is not a known country (ISO code or name)." in lines
    assert "Row 4, left: 2001 is before the joined date 2005." in lines
    assert any(line.startswith("Row 5, joined: “May 2003” is not a valid date.") for line in lines)
    assert "Row 6, city: the same city, country and joined date as row 2 (a duplicate row)." in lines
    assert any(line.startswith("Row 7, latitude: 123 is out of range") for line in lines)
    assert lines[-1] == "The file was refused (5 errors in 5 rows): nothing was written."
    assert state() == before


def test_fifty_rows_with_three_bad_ones_name_exactly_those_rows(network):
    good = [
        row(f"Synthetic Town {n}", "UY", latitude=f"-34.{n:05d}", longitude="-56.10000", joined=str(1990 + n % 30))
        for n in range(1, 51)
    ]
    bad = list(good)
    bad[10] = row("Synthetic Town 11", "Narnia", joined="2001")  # spreadsheet row 12
    bad[28] = row("Synthetic Town 29", "UY", latitude="-34.5", joined="2019")  # row 30: no longitude
    bad[45] = row("Synthetic Town 46", "UY", joined="2016-13")  # row 47: no month 13
    before = state()

    refused = run(network, csv_file(bad))
    assert refused.rows == 50
    assert refused.rows_with_errors == [12, 30, 47]
    assert errors_of(refused) == {(12, "country"), (30, "longitude"), (47, "joined")}
    assert state() == before

    imported = run(network, csv_file(good))
    assert imported.ok and imported.written, imported.lines()
    assert (imported.created_cities, imported.created_memberships) == (50, 50)
    after = state()
    assert after["cities"] == before["cities"] + 50
    assert after["memberships"] == before["memberships"] + 50
    town = City.objects.get(slug="synthetic-town-7-uy")
    assert (town.name_en, town.native_name, str(town.latitude), town.country.code) == (
        "Synthetic Town 7",
        "Synthetic Town 7",
        "-34.00007",
        "UY",
    )
    assert str(Membership.objects.get(network=network, city=town).start) == "1997"

    again = run(network, csv_file(good))
    assert again.ok and again.written
    assert (again.created_cities, again.matched_cities) == (0, 50)
    assert (again.created_memberships, again.updated_memberships, again.unchanged_memberships) == (0, 0, 50)
    assert state() == after


def test_unknown_columns_refuse_the_file_and_are_named(network):
    data = csv_file([["Montevideo", "UY", "x", "y"]], header=["City", "Country", "Town", "State"])
    report = run(network, data)
    assert [error.row for error in report.errors] == [None]
    assert "“town”, “state”" in report.lines()[0]


def test_format_and_column_errors(network):
    assert "neither a CSV" in run(network, b"city,country\n", name="members.ods").lines()[0]
    not_utf8 = "city,country\nAsunción,PY\n".encode("latin-1")
    assert "not UTF-8" in run(network, not_utf8).lines()[0]
    assert "Missing columns: “country”" in run(network, b"city,joined\nMontevideo,1995\n").lines()[0]
    assert "could not be read" in run(network, b"not a workbook", name="members.xlsx").lines()[0]


# --- Matching ------------------------------------------------------------------------------


def test_cities_are_matched_by_geonames_id_wikidata_id_and_name(network):
    rosario = City.objects.get(slug="rosario-ar")
    rosario.wikidata_id = "Q999999901"  # synthetic identifier, for this test only
    rosario.save()
    before = state()
    data = csv_file(
        [
            row("Another name for it", "UY", geonames_id="3441575", joined="2001"),  # Montevideo
            row("Whatever", "Argentina", wikidata_id="Q999999901", joined="2002"),  # Rosario
            row("Asuncion", "paraguay", joined="2003"),  # Asunción: accents and case ignored
            row("  PORTO   alegre ", "br", category="associate member", joined="2004-05"),
        ]
    )
    report = run(network, data)

    assert report.ok, report.lines()
    assert (report.created_cities, report.matched_cities, report.created_memberships) == (0, 4, 4)
    assert state()["cities"] == before["cities"]
    members = dict(Membership.objects.filter(network=network).values_list("city__slug", "category"))
    assert members == {
        "montevideo-uy": "full",
        "rosario-ar": "full",
        "asuncion-py": "full",
        "porto-alegre-br": "associate",
    }


def test_an_ambiguous_name_asks_for_a_geonames_id(network):
    CityFactory(slug="synthetic-second-montevideo", name_en="Montevideo", country=City.objects.get(
        slug="montevideo-uy").country)  # fmt: skip
    report = run(network, csv_file([row("Montevideo", "UY")]))
    assert errors_of(report) == {(2, "city")}
    assert "add the geonames_id" in report.lines()[0]

    report = run(network, csv_file([row("Montevideo", "UY", geonames_id="3441575")]))
    assert report.ok and Membership.objects.get(network=network).city.slug == "montevideo-uy"


def test_lodz_matches_the_recorded_lodz_instead_of_creating_a_copy(network):
    # The real data records Łódź (a Eurocities member). "Ł" does not decompose (NFKD) into "L"
    # plus a mark, so only the shared folding (core.text.fold) matches the name typed without it.
    lodz = City.objects.get(slug="lodz-pl", name_en="Łódź", country__code="PL")
    before = City.objects.count()

    report = run(network, csv_file([row("Lodz", "PL", joined="2004")]))

    assert report.ok, report.lines()
    assert (report.matched_cities, report.created_cities) == (1, 0)
    assert City.objects.count() == before
    assert Membership.objects.get(network=network).city == lodz


def test_identifiers_must_agree_with_the_country(network):
    report = run(network, csv_file([row("Montevideo", "AR", geonames_id="3441575")]))
    assert errors_of(report) == {(2, "geonames_id")}
    assert "3441575 is Montevideo, in Uruguay, not in Argentina." in report.lines()[0]


def test_new_city_rows_share_one_city(network):
    data = csv_file(
        [
            row("Synthetic Town 1", "UY", latitude="-34.5", longitude="-56.1", joined="2001", left="2005"),
            row("synthetic town 1", "Uruguay", joined="2010"),
        ]
    )
    report = run(network, data)
    assert report.ok, report.lines()
    assert (report.created_cities, report.created_memberships) == (1, 2)
    town = City.objects.get(slug="synthetic-town-1-uy")
    assert town.memberships.count() == 2


# --- Memberships ---------------------------------------------------------------------------


def test_overlaps_with_recorded_and_file_memberships_are_refused(mercociudades):
    data = csv_file(
        [
            row("Montevideo", "UY", joined="2000"),  # recorded since 1995-11-11, never left
            row("Synthetic Town 1", "UY", joined="2001", left="2010"),
            row("Synthetic Town 1", "UY", joined="2009"),  # overlaps row 3
            row("Canelones", "UY", joined="2010"),  # recorded without a joining date
        ]
    )
    report = run(mercociudades, data)
    assert errors_of(report) == {(2, "joined"), (4, "joined"), (5, "joined")}
    text = "\n".join(report.lines())
    assert "give its joined date, 1995-11-11" in text
    assert "overlaps the one in row 3" in text
    assert "leave the joined date empty" in text


def test_a_matching_row_updates_only_what_differs(mercociudades):
    montevideo = Membership.objects.get(network=mercociudades, city__slug="montevideo-uy")
    data = csv_file([row("Montevideo", "UY", joined="1995-11-11", left="2099", category="observer")])
    report = run(mercociudades, data, dry_run=True)
    assert report.ok and (report.updated_memberships, report.created_memberships) == (1, 0)
    montevideo.refresh_from_db()
    assert montevideo.end is None and montevideo.category == "full"

    report = run(mercociudades, data)
    assert report.ok and report.updated_memberships == 1
    montevideo.refresh_from_db()
    assert (str(montevideo.end), montevideo.category, montevideo.founding) == ("2099", "observer", True)

    again = run(mercociudades, data)
    assert (again.updated_memberships, again.unchanged_memberships) == (0, 1)


def test_source_urls_are_found_or_created_and_cited_once(network):
    known = Source.objects.exclude(url="").order_by("pk").first()
    data = csv_file(
        [
            row("Montevideo", "UY", joined="2001", source_url=known.url),
            row("Synthetic Town 3", "UY", joined="2002", source_url="https://www.example.org/members/list?page=2"),
            row("Synthetic Town 4", "UY", joined="2002", source_url="https://www.example.org/members/list?page=2"),
        ]
    )
    sources = Source.objects.count()
    report = run(network, data)
    assert report.ok and report.created_sources == 1
    assert Source.objects.count() == sources + 1
    created = Source.objects.get(url="https://www.example.org/members/list?page=2")
    # Never the bare address as a title (#11): one derived from it, flagged as supplied.
    assert (created.key, created.title, created.title_supplied, created.kind) == (
        "example-org-members-list-page-2",
        "Page members/list?page=2 of example.org",
        True,
        "web_page",
    )
    assert MembershipCitation.objects.filter(record__network=network, source=known).count() == 1
    assert MembershipCitation.objects.filter(record__network=network, source=created).count() == 2
    assert CityCitation.objects.filter(record__slug="synthetic-town-3-uy", source=created).exists()

    citations = MembershipCitation.objects.count()
    again = run(network, data)
    assert again.ok and (again.created_sources, again.updated_memberships) == (0, 0)
    assert MembershipCitation.objects.count() == citations


def test_dry_run_writes_nothing(network):
    before = state()
    data = csv_file([row("Synthetic Town 5", "UY", joined="2003", source_url="https://example.org/synthetic-dry")])
    report = run(network, data, dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert (report.created_cities, report.created_memberships, report.created_sources) == (1, 1, 1)
    assert report.lines()[-1] == "Dry run: every row is valid; nothing was written."
    assert state() == before


# --- Formats -------------------------------------------------------------------------------


def test_semicolons_bom_and_header_case(network):
    data = csv_file([["Montevideo", "UY", "2003-05"]], header=[" City ", "COUNTRY", "Joined"], delimiter=";", bom=True)
    rows = read_rows(io.BytesIO(data), "list.CSV")
    assert rows == [{"city": "Montevideo", "country": "UY", "joined": "2003-05", "row": 2}]
    assert run(network, data).ok


def test_row_numbers_are_spreadsheet_lines(network):
    data = b"city,country\n\nNarnia Town,Narnia\n"
    assert read_rows(io.BytesIO(data), "x.csv") == [{"city": "Narnia Town", "country": "Narnia", "row": 3}]


def test_xlsx_imports_like_csv(network):
    rows = [
        row("Montevideo", "UY", geonames_id=3441575, joined=1995),
        row("Synthetic Town 6", "UY", latitude=-34.123456, longitude=-56.5, joined="2003-05", left=2010),
    ]
    before = state()
    report = run(network, xlsx_file(rows), name="members.xlsx")
    assert report.ok, report.lines()
    assert (report.created_cities, report.matched_cities, report.created_memberships) == (1, 1, 2)
    town = City.objects.get(slug="synthetic-town-6-uy")
    assert (str(town.latitude), str(town.longitude)) == ("-34.12346", "-56.50000")
    membership = Membership.objects.get(network=network, city=town)
    assert (str(membership.start), str(membership.end)) == ("2003-05", "2010")

    again = run(network, csv_file([[str(value) for value in values] for values in rows]))
    assert again.ok and (again.created_cities, again.created_memberships, again.updated_memberships) == (0, 0, 0)
    assert state()["memberships"] == before["memberships"] + 2

    bad = run(network, xlsx_file([row("Narnia Town", "Narnia")]), name="bad.xlsx")
    assert errors_of(bad) == {(2, "country")}


def test_the_sample_files_are_valid_and_alike(network):
    csv_rows = read_rows((SAMPLE_DIR / "members-sample.csv").read_bytes(), "members-sample.csv")
    xlsx_rows = read_rows((SAMPLE_DIR / "members-sample.xlsx").read_bytes(), "members-sample.xlsx")
    assert csv_rows == xlsx_rows
    report = import_members(network, csv_rows, dry_run=True)
    assert report.ok, report.lines()
    assert report.created_cities == 0


# --- The command ---------------------------------------------------------------------------


def test_command_reports_and_exits_non_zero_on_a_refused_file(network, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([row("Narnia Town", "Narnia", joined="2003")]))
    stderr = io.StringIO()
    before = state()
    with pytest.raises(CommandError, match="refused"):
        call_command("import_members", network.slug, str(bad), stderr=stderr, stdout=io.StringIO())
    assert "Row 2, country: “Narnia” is not a known country (ISO code or name)." in stderr.getvalue()
    assert state() == before

    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_file([row("Synthetic Town 8", "UY", joined="2003")]))
    stdout = io.StringIO()
    call_command("import_members", network.slug, str(good), "--dry-run", stdout=stdout)
    assert "Dry run" in stdout.getvalue() and state() == before

    stdout = io.StringIO()
    call_command("import_members", network.slug, str(good), stdout=stdout)
    assert "Memberships: 1 created" in stdout.getvalue() and "Imported." in stdout.getvalue()
    assert state()["memberships"] == before["memberships"] + 1

    with pytest.raises(CommandError, match="Unknown network"):
        call_command("import_members", "no-such-network", str(good))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_members", network.slug, str(tmp_path / "missing.csv"))


def test_the_user_must_be_allowed_to_edit_the_network(network, django_user_model):
    from django.core.exceptions import PermissionDenied

    from networks.models import NetworkEditor

    data = csv_file([row("Montevideo", "UY", joined="2001")])
    outsider = django_user_model.objects.create_user("synthetic-outsider")
    with pytest.raises(PermissionDenied):
        import_members(network, io.BytesIO(data), filename="m.csv", dry_run=True, user=outsider)

    editor = django_user_model.objects.create_user("synthetic-editor")
    NetworkEditor.objects.create(user=editor, network=network)
    report = import_members(network, io.BytesIO(data), filename="m.csv", dry_run=False, user=editor)
    assert report.ok and report.written
    membership = Membership.objects.get(network=network)
    if hasattr(membership, "history"):  # audit history (django-simple-history)
        assert membership.history.first().history_user == editor


def test_an_uploaded_file_gives_its_own_format(network):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("Members.XLSX", xlsx_file([row("Montevideo", "UY", joined="2001")]))
    upload.read()  # a form may have read it already
    report = import_members(network, upload, dry_run=True)
    assert report.ok and report.filename == "Members.XLSX" and report.created_memberships == 1


# --- Wikidata identifiers first (#11) --------------------------------------------------------


def test_a_wikidata_column_matches_by_qid_before_the_name(network):
    rosario = City.objects.get(slug="rosario-ar")
    rosario.wikidata_id = "Q999999902"  # synthetic identifier, for this test only
    rosario.save()
    header = ["city", "country", "wikidata", "joined"]
    # A name that matches no city: the QID (in a "wikidata" column, as an address) decides.
    data = csv_file([["Some other name", "AR", "https://www.wikidata.org/wiki/Q999999902", "2003"]], header=header)
    report = run(network, data)
    assert report.ok, report.lines()
    assert (report.matched_cities, report.created_cities) == (1, 0)
    assert Membership.objects.get(network=network).city == rosario


def test_a_qid_that_names_another_city_than_the_geonames_id_is_refused(network):
    rosario = City.objects.get(slug="rosario-ar")
    rosario.wikidata_id = "Q999999903"  # synthetic identifier, for this test only
    rosario.save()
    header = ["city", "country", "wikidata", "geonames_id", "joined"]
    report = run(network, csv_file([["Montevideo", "UY", "Q999999903", "3441575", "2003"]], header=header))
    assert not report.ok and Membership.objects.filter(network=network).count() == 0
    assert errors_of(report) == {(2, "wikidata_id")}


def test_wikidata_and_wikidata_id_columns_together_are_one_column_twice(network):
    header = ["city", "country", "wikidata", "wikidata_id"]
    report = run(network, csv_file([["Montevideo", "UY", "Q1335", "Q1335"]], header=header))
    assert not report.ok and "Columns given more than once: “wikidata_id”" in report.lines()[0]
