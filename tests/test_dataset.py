"""The dataset, released (#12): ``manage.py export_dataset`` writes a Frictionless Data Package
(validated here with the ``frictionless`` library, as ``frictionless validate`` does), a Popolo
JSON-LD document, a zip and checksums; ``/data/latest/`` serves the latest release; the about page
links it with its date, size and checksum.

The real data is exported once for the module (a release in a temporary directory) and validated
once; the query count of the export is checked on synthetic rows at two sizes."""

import csv
import datetime
import hashlib
import io
import json
import zipfile

import frictionless
import pytest
from django.core.management import CommandError, call_command

from cities.models import CityCitation
from networks.models import MembershipCitation
from paradiplo.dataset import export_dataset, read_release
from paradiplo.dataset.tables import tables

from .factories import (
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    OfficeFactory,
    ProjectCityFactory,
    SourceFactory,
    TwinningFactory,
)
from .helpers import body

pytestmark = pytest.mark.django_db

DATE = "2026-12-02"
ZIP = f"paradiplo-dataset-{DATE}.zip"

#: Whatever the rows: one query per table (22), one per kind of cited record for the citations
#: table (16), the Popolo document's (the sources; each of 8 kinds of record and its citations;
#: the posts: 18), and the savepoint around the export and its release (2; outside a transaction,
#: BEGIN and COMMIT).
EXPORT_QUERIES = 58

#: The release's page and files are read from the disk (its checksum file and the files): no query,
#: whatever the size of the release.
RELEASE_PAGE_QUERIES = 0

#: Each table of the data package and the API resource that lists the same records.
API_RESOURCES = {
    "sources": "sources",
    "countries": "countries",
    "regional_blocs": "regional-blocs",
    "cities": "cities",
    "twinnings": "twinnings",
    "networks": "networks",
    "governing_bodies": "governing-bodies",
    "thematic_units": "thematic-units",
    "summits": "summits",
    "memberships": "memberships",
    "offices": "offices",
    "membership_figures": "membership-figures",
    "sdgs": "sdgs",
    "organizations": "organizations",
    "programmes": "programmes",
    "projects": "projects",
}


@pytest.fixture(scope="module")
def dataset_root(tmp_path_factory, real_data, django_db_blocker):
    """A dataset directory holding one release of the real data, written by the command."""
    root = tmp_path_factory.mktemp("dataset")
    with django_db_blocker.unblock():
        call_command("export_dataset", "--date", DATE, "--output", str(root / "releases" / DATE), stdout=io.StringIO())
    return root


@pytest.fixture(scope="module")
def release(dataset_root):
    return dataset_root / "releases" / DATE


@pytest.fixture(scope="module")
def report(release):
    """``frictionless validate datapackage.json``, once for the module."""
    return frictionless.validate(str(release / "datapackage.json"))


@pytest.fixture
def served(settings, dataset_root):
    settings.PARADIPLO_DATASET_DIR = dataset_root
    return dataset_root / "releases" / DATE


def rows_of(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


# The data package ---------------------------------------------------------------------------------


def test_the_data_package_is_valid(report):
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, errors[:10] + [error.message for error in report.errors[:10]]
    assert [task.name for task in report.tasks] == [table.name for table in tables()]


def test_its_row_counts_equal_the_api_counts(report, api):
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    for table, resource in API_RESOURCES.items():
        count = api.get(f"/api/v1/{resource}/", {"page_size": 1}).json()["count"]
        assert rows[table] == count, table
    assert rows["memberships"] == 461 and rows["networks"] == 14 and rows["cities"] == 464


def test_its_descriptor_has_keys_licence_and_sources(release):
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["title"] == f"Paradiplo dataset, release {DATE}"
    assert descriptor["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    assert any("GeoNames" in source["title"] for source in descriptor["sources"])
    schemas = {resource["name"]: resource["schema"] for resource in descriptor["resources"]}
    memberships = schemas["memberships"]
    assert memberships["primaryKey"] == ["key"]
    assert {"fields": ["city"], "reference": {"resource": "cities", "fields": ["key"]}} in memberships["foreignKeys"]
    assert {"fields": ["admitted_at"], "reference": {"resource": "summits", "fields": ["key"]}} in memberships[
        "foreignKeys"
    ]
    certainty = next(field for field in memberships["fields"] if field["name"] == "certainty")
    assert certainty["constraints"]["enum"] == ["stated", "probable", "uncertain"]
    # A network's parent is a network of the same table.
    assert {"fields": ["parent"], "reference": {"resource": "", "fields": ["key"]}} in schemas["networks"][
        "foreignKeys"
    ]
    assert schemas["project_sdgs"]["primaryKey"] == ["project", "sdg"]
    assert schemas["citations"]["primaryKey"] == ["resource", "record", "source"]


def test_memberships_keep_their_keys_and_certainty(release):
    memberships = {row["key"]: row for row in rows_of(release / "memberships.csv")}
    montevideo = memberships["mercociudades~montevideo-uy~1995-11-11"]
    assert montevideo["network"] == "mercociudades" and montevideo["city"] == "montevideo-uy"
    assert montevideo["founding"] == "true" and montevideo["certainty"] == "stated"
    assert montevideo["admitted_at"] == "mercociudades~1-1995"
    # The Mercociudades memberships of every level (docs/data.md): 59 stated + 29 probable + 2 uncertain.
    levels = [row["certainty"] for row in memberships.values() if row["network"] == "mercociudades"]
    assert (levels.count("stated"), levels.count("probable"), levels.count("uncertain")) == (59, 29, 2)
    cities = {row["key"]: row for row in rows_of(release / "cities.csv")}
    assert cities["montevideo-uy"]["country"] == "UY"
    assert cities["asuncion-py"]["name"] == cities["asuncion-py"]["name_en"] == "Asunción"


def test_citations_link_records_to_sources(release):
    citations = rows_of(release / "citations.csv")
    sources = {row["key"] for row in rows_of(release / "sources.csv")}
    assert {row["source"] for row in citations} <= sources
    montevideo = [row for row in citations if row["record"] == "mercociudades~montevideo-uy~1995-11-11"]
    assert montevideo and {row["resource"] for row in montevideo} == {"memberships"}
    resources = [row["resource"] for row in citations]
    assert resources.count("memberships") == MembershipCitation.objects.count()
    assert resources.count("cities") == CityCitation.objects.count()


def test_the_popolo_document(release):
    document = json.loads((release / "paradiplo-popolo.json").read_text(encoding="utf-8"))
    assert document["@context"]["organization_id"] == {"@id": "org:organization", "@type": "@id"}
    assert document["license"] == "https://creativecommons.org/licenses/by/4.0/"
    organizations = {item["id"]: item for item in document["organizations"]}
    assert organizations["/api/v1/networks/mercociudades/"]["founding_date"] == "1995-11-11"
    assert organizations["/api/v1/cities/montevideo-uy/"]["area_id"] == "/api/v1/countries/UY/"
    memberships = {item["id"]: item for item in document["memberships"]}
    founder = memberships["/api/v1/memberships/mercociudades~montevideo-uy~1995-11-11/"]
    assert founder["member"] == {"type": "Organization", "id": "/api/v1/cities/montevideo-uy/"}
    assert founder["start_date"] == "1995-11-11" and founder["certainty"] == "stated" and founder["sources"]
    tandil = memberships["/api/v1/offices/mercociudades~president~tandil-ar~~2020-12/"]
    assert tandil["role"] == "president" and tandil["person"] == "Miguel Lunghi"
    assert (tandil["start_date"], tandil["end_date"]) == ("2020-12", "2021-12")
    posts = {item["id"]: item for item in document["posts"]}
    assert posts[tandil["post_id"]]["organization_id"] == tandil["organization_id"]
    assert len(document["memberships"]) == 461 + 114


def test_the_release_is_citable_and_checksummed(release):
    readme = (release / "README.md").read_text(encoding="utf-8")
    assert f"Paradiplo dataset, release {DATE}" in readme and "CC BY 4.0" in readme
    cff = (release / "CITATION.cff").read_text(encoding="utf-8")
    assert f'title: "Paradiplo dataset, release {DATE}"' in cff and f"date-released: {DATE}" in cff
    sums = dict(reversed(line.split("  ")) for line in (release / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name
    with zipfile.ZipFile(release / ZIP) as archive:
        names = {name.removeprefix(f"paradiplo-dataset-{DATE}/") for name in archive.namelist()}
    assert names == set(sums) - {ZIP}
    assert {"datapackage.json", "memberships.csv", "paradiplo-popolo.json", "README.md", "CITATION.cff"} <= names


# Served at /data/latest/ ----------------------------------------------------------------------------


def test_the_latest_release_is_listed(client, served):
    response = client.get("/data/latest/")
    assert response.status_code == 200
    page = body(response)
    assert f"Paradiplo dataset, release {DATE}" in page
    assert f'href="{ZIP}"' in page and 'href="datapackage.json"' in page
    assert read_release(served).zip.sha256 in page
    assert f"/data/releases/{DATE}/" in page


def test_the_release_pages_read_the_disk_only(client, served, django_assert_num_queries):
    with django_assert_num_queries(RELEASE_PAGE_QUERIES):
        assert client.get("/data/latest/").status_code == 200
        response = client.get("/data/latest/memberships.csv")
        assert response.status_code == 200 and b"".join(response.streaming_content)


def test_the_files_are_served_with_their_types(client, served):
    cases = [
        ("datapackage.json", "application/json"),
        ("memberships.csv", "text/csv; charset=utf-8"),
        ("paradiplo-popolo.json", "application/ld+json"),
        (ZIP, "application/zip"),
    ]
    for name, content_type in cases:
        response = client.get(f"/data/latest/{name}")
        assert response.status_code == 200, name
        assert response["Content-Type"] == content_type
        assert b"".join(response.streaming_content) == (served / name).read_bytes()
        assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert client.get(f"/data/latest/{ZIP}")["Content-Disposition"] == f'attachment; filename="{ZIP}"'
    assert client.get(f"/data/releases/{DATE}/cities.csv").status_code == 200


def test_a_client_with_the_file_gets_a_304(client, served):
    etag = client.get("/data/latest/datapackage.json")["ETag"]
    assert client.get("/data/latest/datapackage.json", headers={"if-none-match": etag}).status_code == 304


def test_nothing_outside_the_release_is_served(client, served):
    (served / "not-listed.txt").write_text("secret")
    (served.parent.parent / "outside.txt").write_text("secret")
    for address in [
        "/data/latest/not-listed.txt",
        "/data/latest/..",
        "/data/latest/..%2F..%2Foutside.txt",
        "/data/latest/%2e%2e%2foutside.txt",
        "/data/latest/..%5C..%5Coutside.txt",
        "/data/releases/..%2F../outside.txt",
        f"/data/releases/{DATE}/..%2F..%2Foutside.txt",
        "/data/releases/2026-13-45/datapackage.json",
        "/data/releases/..%2Freleases%2F2026-12-02/datapackage.json",
        "/data/latest/%00",
        "/data/latest/datapackage.json%00.csv",
        "/data/releases/%00/",
    ]:
        assert client.get(address).status_code == 404, address


def test_the_files_count_as_downloads_against_the_rate_limits(client, served, settings):
    settings.PARADIPLO_THROTTLE_RATES = {"page": "3/minute", "download": "2/minute", "suggest": None}
    address = {"REMOTE_ADDR": "203.0.113.5"}
    statuses = [client.get("/data/latest/cities.csv", **address).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/data/latest/", **address).status_code == 200


def test_the_about_page_links_the_release(client, served):
    page = body(client.get("/en/about/"))
    release = read_release(served)
    assert f'href="/data/latest/{ZIP}"' in page
    assert release.zip.sha256 in page and f"Paradiplo dataset, release {DATE}" in page


def test_without_a_release_the_page_says_how_to_write_one(client, settings, tmp_path):
    settings.PARADIPLO_DATASET_DIR = tmp_path
    response = client.get("/data/latest/")
    assert response.status_code == 404
    assert "manage.py export_dataset" in body(response)
    assert client.get("/data/latest/datapackage.json").status_code == 404
    assert "manage.py export_dataset" in body(client.get("/en/about/"))


# The command ---------------------------------------------------------------------------------------


def grow():
    """Synthetic rows of every kind the export reads through relations, each cited."""
    source = SourceFactory()
    for _number in range(3):
        membership = MembershipFactory(network=NetworkFactory(), city=CityFactory())
        MembershipCitation.objects.create(record=membership, source=source)
        CityCitation.objects.create(record=membership.city, source=source)
        OfficeFactory(network=membership.network, city=membership.city)
        TwinningFactory()
        ProjectCityFactory()


def test_the_export_makes_a_fixed_number_of_queries_and_the_same_bytes(tmp_path, django_assert_num_queries):
    grow()
    with django_assert_num_queries(EXPORT_QUERIES):
        small = export_dataset(tmp_path / "small", release_date=datetime.date(2026, 12, 2))
    grow()
    with django_assert_num_queries(EXPORT_QUERIES):
        large = export_dataset(tmp_path / "large", release_date=small.date)
    assert len(rows_of(large.path / "memberships.csv")) == len(rows_of(small.path / "memberships.csv")) + 3
    # The same data and date give the same bytes (a second export replaces the first).
    again = export_dataset(tmp_path / "large", release_date=small.date)
    assert again.zip.sha256 == large.zip.sha256
    assert (tmp_path / "large" / "SHA256SUMS").read_text() == (large.path / "SHA256SUMS").read_text()


def test_the_command_refuses_a_bad_date_and_a_folder_that_is_not_a_release(tmp_path):
    with pytest.raises(CommandError, match="not a date"):
        call_command("export_dataset", "--date", "2026-13-01", "--output", str(tmp_path / "out"))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="holds no release"):
        call_command("export_dataset", "--output", str(tmp_path / "mine"))
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]


def test_the_command_writes_into_the_dataset_directory_by_default(settings, tmp_path):
    settings.PARADIPLO_DATASET_DIR = tmp_path
    out = io.StringIO()
    call_command("export_dataset", "--date", DATE, stdout=out)
    assert f"Paradiplo dataset, release {DATE}" in out.getvalue()
    assert read_release(tmp_path / "releases" / DATE).date.isoformat() == DATE
