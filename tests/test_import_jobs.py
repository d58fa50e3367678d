"""Member imports as background jobs (core/jobs.py, networks/services/member_import/jobs.py):
the upload keeps the file in a job and redirects to the job's page; a large file is run by the
task worker (``manage.py db_worker``, run here in-process in batch mode on the database
backend); a job whose work dies writes nothing; a preview is imported without a second upload.

Cities and networks are synthetic (tests/factories.py), in synthetic countries."""

import csv
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core import jobs
from core.models import Job, JobKind, JobStatus
from networks.models import Membership
from networks.services import editors

from .factories import CountryFactory, NetworkFactory
from .helpers import csv_text

pytestmark = pytest.mark.django_db

#: Queries of the job list page, whatever the number of jobs (session, user, grants, count,
#: page of jobs, network filter choices …).
JOB_LIST_QUERIES = 9


def member_csv(count: int, *, country: str, start: int = 1) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["city", "country", "latitude", "longitude", "joined"])
    for number in range(start, start + count):
        writer.writerow([f"Synthetic Town {number}", country, f"-33.{number:05d}", "-55.50000", "2001"])
    return buffer.getvalue().encode()


def upload(data: bytes, name: str = "members.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def import_url(network) -> str:
    return reverse("admin:networks_network_import_members", args=[network.pk])


def run_worker() -> None:
    """One in-process worker that runs every queued task, then stops. It would close the
    test's connection between tasks (it is in the test's transaction, not in autocommit)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.fixture
def country():
    return CountryFactory()


@pytest.fixture
def network():
    return NetworkFactory()


@pytest.fixture
def editor(django_user_model, network):
    user = django_user_model.objects.create_user("synthetic-job-editor", password="x")
    editors.grant_editor(user=user, network=network)
    return user


@pytest.fixture
def small_threshold(settings):
    settings.PARADIPLO_IMPORT_BACKGROUND_ROWS = 5


@pytest.mark.usefixtures("small_threshold")
def test_a_large_file_is_queued_then_the_worker_imports_it_and_its_page_shows_the_report(
    client, editor, network, country
):
    client.force_login(editor)
    response = client.post(import_url(network), {"file": upload(member_csv(8, country=country.code)), "_import": "1"})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("admin:core_job_change", args=[job.pk])
    assert (job.status, job.total, job.dry_run, job.network, job.user) == (JobStatus.QUEUED, 8, False, network, editor)
    assert not Membership.objects.filter(network=network).exists()  # the request wrote nothing
    waiting = client.get(response["Location"])
    assert 'data-job-status-url="' in waiting.content.decode() and "job-progress.js" in waiting.content.decode()
    status = client.get(reverse("admin:core_job_status", args=[job.pk])).json()
    assert status == {**status, "status": "queued", "done": 0, "total": 8, "finished": False}

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and (job.done, job.total) == (16, 16)  # 8 new cities, 8 rows
    assert job.report["written"] and job.report["created_memberships"] == 8 and job.report["errors"] == []
    assert Membership.objects.filter(network=network).count() == 8
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    page = client.get(response["Location"]).content.decode()
    assert "Memberships: 8 created, 0 updated, 0 unchanged." in page and "data-job-status-url" not in page
    assert client.get(reverse("admin:core_job_status", args=[job.pk])).json()["finished"] is True


@pytest.mark.usefixtures("small_threshold")
def test_a_job_whose_work_dies_half_way_writes_nothing_and_can_be_run_again(client, editor, network, country):
    client.force_login(editor)
    client.post(import_url(network), {"file": upload(member_csv(8, country=country.code)), "_import": "1"})
    job = Job.objects.get()

    from networks.services.member_import import writing

    real_write = writing._write_membership
    written = []

    def dies_after_three(row, plan, sources, writer):
        if len(written) == 3:
            raise MemoryError("synthetic worker death")
        real_write(row, plan, sources, writer)
        written.append(row)

    with mock.patch.object(writing, "_write_membership", dies_after_three):
        run_worker()

    job.refresh_from_db()
    assert len(written) == 3  # three memberships were saved, then rolled back with the rest
    assert job.status == JobStatus.FAILED and "synthetic worker death" in job.error
    assert not Membership.objects.filter(network=network).exists()
    assert DBTaskResult.objects.get().status == "FAILED"
    assert "Run again" in client.get(reverse("admin:core_job_change", args=[job.pk])).content.decode()

    retried = client.post(reverse("admin:networks_network_import_retry", args=[network.pk, job.pk]))
    assert retried.status_code == 302
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and Membership.objects.filter(network=network).count() == 8


def test_a_running_job_not_heard_from_is_marked_failed(editor, network, settings):
    from django.utils import timezone

    settings.PARADIPLO_JOB_STALE_SECONDS = 60
    heard = timezone.now() - timezone.timedelta(seconds=61)
    dead = Job.objects.create(kind=JobKind.MEMBER_IMPORT, network=network, status=JobStatus.RUNNING, heartbeat_at=heard)
    alive = Job.objects.create(
        kind=JobKind.MEMBER_IMPORT, network=network, status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )
    assert jobs.fail_stale() == 1
    dead.refresh_from_db(), alive.refresh_from_db()
    assert dead.status == JobStatus.FAILED and "nothing it did was kept" in dead.error
    assert alive.status == JobStatus.RUNNING


def test_a_preview_keeps_the_file_and_its_page_imports_it_without_a_second_upload(client, editor, network, country):
    client.force_login(editor)
    preview = client.post(import_url(network), {"file": upload(member_csv(3, country=country.code)), "_preview": "1"})
    job = Job.objects.get()
    assert job.dry_run and job.status == JobStatus.SUCCEEDED and job.report["ok"]  # small: run in the request
    page = client.get(preview["Location"]).content.decode()
    confirm_url = reverse("admin:networks_network_import_confirm", args=[network.pk, job.pk])
    assert confirm_url in page and "Dry run: every row is valid; nothing was written." in page
    assert not Membership.objects.filter(network=network).exists()

    confirmed = client.post(confirm_url)

    job.refresh_from_db()
    assert confirmed["Location"] == preview["Location"]
    assert not job.dry_run and job.report["written"] and job.report["created_memberships"] == 3
    assert Membership.objects.filter(network=network).count() == 3
    assert client.post(confirm_url).status_code == 403  # imported already: not a preview any more


def test_a_refused_preview_cannot_be_confirmed(client, editor, network):
    client.force_login(editor)
    client.post(import_url(network), {"file": upload(member_csv(2, country="Narnia")), "_preview": "1"})
    job = Job.objects.get()
    assert job.report["rows_with_errors"] == [2, 3]
    assert client.post(reverse("admin:networks_network_import_confirm", args=[network.pk, job.pk])).status_code == 403
    assert not Membership.objects.filter(network=network).exists()


def test_job_pages_are_scoped_to_the_editors_networks(client, editor, network, django_user_model):
    other = NetworkFactory()
    own = Job.objects.create(kind=JobKind.MEMBER_IMPORT, network=network, filename="own.csv")
    foreign = Job.objects.create(kind=JobKind.MEMBER_IMPORT, network=other, filename="foreign.csv")
    gazetteer = Job.objects.create(kind=JobKind.GAZETTEER)
    client.force_login(editor)

    listing = client.get(reverse("admin:core_job_changelist"))
    assert list(listing.context["cl"].result_list) == [own]
    assert client.get(reverse("admin:core_job_change", args=[own.pk])).status_code == 200
    for job in (foreign, gazetteer):
        assert client.get(reverse("admin:core_job_change", args=[job.pk])).status_code == 302  # "does not exist"
        assert client.get(reverse("admin:core_job_status", args=[job.pk])).status_code == 404
    assert client.post(reverse("admin:networks_network_import_confirm", args=[other.pk, foreign.pk])).status_code == 403

    curator = django_user_model.objects.create_superuser("synthetic-job-curator", password="x")
    client.force_login(curator)
    assert {job.pk for job in client.get(reverse("admin:core_job_changelist")).context["cl"].result_list} == {
        own.pk,
        foreign.pk,
        gazetteer.pk,
    }


@pytest.mark.parametrize("count", [2, 12])
def test_the_job_list_runs_a_fixed_number_of_queries(client, editor, network, count, django_assert_num_queries):
    Job.objects.bulk_create(
        Job(kind=JobKind.MEMBER_IMPORT, network=network, filename=f"f{n}.csv", user=editor) for n in range(count)
    )
    client.force_login(editor)
    with django_assert_num_queries(JOB_LIST_QUERIES):
        response = client.get(reverse("admin:core_job_changelist"))
    assert len(response.context["cl"].result_list) == count


def test_the_gazetteer_and_search_rebuild_commands_can_queue_jobs():
    out = io.StringIO()
    call_command("rebuild_search_index", "--background", stdout=out)
    job = Job.objects.get(kind=JobKind.SEARCH_REBUILD)
    assert f"background job {job.pk}" in out.getvalue() and job.status == JobStatus.QUEUED
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.report["lines"][0].startswith("Search index rebuilt:")

    call_command("import_gazetteer", "--background", "--countries", "UY", "--max-places", "3", stdout=io.StringIO())
    job = Job.objects.get(kind=JobKind.GAZETTEER)
    assert job.params == {"countries": ["UY"], "min_population": None, "limit": 3, "batch_size": 2000}


def test_the_dataset_release_can_be_written_by_the_worker(settings, tmp_path):
    settings.PARADIPLO_DATASET_DIR = tmp_path
    NetworkFactory()
    out = io.StringIO()
    call_command("export_dataset", "--background", "--date", "2026-12-01", stdout=out)
    job = Job.objects.get(kind=JobKind.DATASET_EXPORT)
    assert f"background job {job.pk}" in out.getvalue() and job.status == JobStatus.QUEUED
    assert not (tmp_path / "releases" / "2026-12-01").exists()  # nothing until a worker runs it
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (tmp_path / "releases" / "2026-12-01" / "datapackage.json").is_file()
    assert "Paradiplo dataset, release 2026-12-01" in job.report["lines"][0]


# --- Import and export that round-trip ----------------------------------------------------


def read_csv(response) -> list[list[str]]:
    """The rows of a CSV download (after the byte order mark every download starts with)."""
    return list(csv.reader(io.StringIO(csv_text(response))))


def test_the_member_list_in_the_import_columns_imports_again_unchanged(client, editor, network, country):
    from .factories import CityFactory, MembershipFactory, SourceFactory

    cited = SourceFactory()
    left = MembershipFactory(network=network, city=CityFactory(country=country, geonames_id=990001), start="1995-11",
                             end="2004", category="associate")  # fmt: skip
    left.citations.create(source=cited)
    MembershipFactory(network=network, city=CityFactory(country=country, wikidata_id="Q99000017"), start=None)
    MembershipFactory(network=network, city=CityFactory(country=country), start="2010-03-04")
    client.force_login(editor)

    rows = read_csv(client.get(reverse("admin:networks_network_import_export", args=[network.pk, "csv"])))
    assert rows[0] == ["city", "country", "latitude", "longitude", "geonames_id", "wikidata_id", "category",
                       "joined", "left", "source_url"]  # fmt: skip
    exported = {row[0]: row for row in rows[1:]}
    assert exported[str(left.city)] == [str(left.city), country.code, "-34.90000", "-56.20000", "990001", "",
                                        "associate", "1995-11", "2004", cited.url]  # fmt: skip
    data = b"".join(
        client.get(reverse("admin:networks_network_import_export", args=[network.pk, "csv"])).streaming_content
    )
    before = list(Membership.objects.filter(network=network).values().order_by("pk"))

    client.post(import_url(network), {"file": upload(data), "_import": "1"})

    report = Job.objects.get().report
    assert report["ok"] and (report["unchanged_memberships"], report["created_memberships"]) == (3, 0)
    assert (report["updated_memberships"], report["created_cities"], report["created_sources"]) == (0, 0, 0)
    assert list(Membership.objects.filter(network=network).values().order_by("pk")) == before


def test_the_xlsx_export_reimports_unchanged_too(client, editor, network, country):
    from .factories import CityFactory, MembershipFactory

    MembershipFactory(network=network, city=CityFactory(country=country, geonames_id=990002), start="2001")
    client.force_login(editor)
    response = client.get(reverse("admin:networks_network_import_export", args=[network.pk, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    client.post(import_url(network), {"file": upload(response.content, "members.xlsx"), "_import": "1"})
    report = Job.objects.get().report
    assert report["ok"] and report["unchanged_memberships"] == 1 and report["created_memberships"] == 0


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("en", ["city", "country", "latitude", "longitude", "geonames_id", "wikidata_id", "category", "joined",
                "left", "source_url"]),
        ("es", ["ciudad", "país", "latitud", "longitud", "id_geonames", "id_wikidata", "categoría", "ingreso",
                "salida", "url_fuente"]),
        ("pt", ["cidade", "país", "latitude", "longitude", "id_geonames", "id_wikidata", "categoria", "adesão",
                "saída", "url_fonte"]),
        ("fr", ["ville", "pays", "latitude", "longitude", "id_geonames", "id_wikidata", "catégorie", "adhésion",
                "départ", "url_source"]),
    ],
)  # fmt: skip
def test_the_templates_name_the_columns_in_the_staffers_language_and_import_as_such(
    client, editor, network, country, language, header
):
    import openpyxl

    client.force_login(editor)
    client.cookies["django_language"] = language
    template = reverse("admin:networks_network_import_template", args=[network.pk, "csv"])
    assert read_csv(client.get(template, HTTP_ACCEPT_LANGUAGE=language)) == [header]
    workbook_response = client.get(template.replace("template.csv", "template.xlsx"), HTTP_ACCEPT_LANGUAGE=language)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_response.content)).active
    assert [cell.value for cell in next(sheet.iter_rows())] == header

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow(["Synthetic Town 1", country.code, "-33.1", "-55.5", "", "", "full", "2001", "2003", ""])
    client.post(import_url(network), {"file": upload(buffer.getvalue().encode()), "_import": "1"})
    report = Job.objects.get().report
    assert report["ok"] and report["created_memberships"] == 1
    membership = Membership.objects.get(network=network)
    assert (str(membership.start), str(membership.end), membership.category) == ("2001", "2003", "full")


def test_a_template_in_another_format_is_not_found(client, editor, network):
    client.force_login(editor)
    assert client.get(f"{import_url(network)}template.ods").status_code == 404


def test_a_large_preview_checks_every_row_without_trying_the_writes(editor, network, country, settings):
    from networks.services.member_import import import_members

    settings.PARADIPLO_IMPORT_DRY_RUN_WRITE_ROWS = 2
    data = member_csv(3, country=country.code) + f"Synthetic Town 1,{country.code},,,2001\n".encode()
    refused = import_members(network, data, filename="m.csv", dry_run=True, user=editor)
    assert refused.rows_with_errors == [5]  # the duplicate of row 2, found by the plan
    report = import_members(network, member_csv(3, country=country.code), filename="m.csv", dry_run=True)
    assert report.ok and (report.created_cities, report.created_memberships) == (3, 3) and not report.written
    assert not Membership.objects.filter(network=network).exists()
