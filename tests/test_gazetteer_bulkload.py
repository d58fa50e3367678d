"""The gazetteer as a bulk load (core.bulkload): the search app suspends the city index triggers
while it writes and catches up set-wise at the end (search/bulkload.py). The entries after an
import are the ones the triggers would have written, the triggers work again afterwards, an
edit made meanwhile is caught up, and an import that fails half way leaves the index complete
for what it committed. CI runs this file on SQLite and PostgreSQL."""

import pytest
from django.db import connection, transaction

from cities.models import City
from cities.services import gazetteer
from cities.services.gazetteer import import_gazetteer
from core import bulkload
from search import bulkload as search_bulkload
from search import database as search_database
from search.kinds import KIND_BY_CODE
from search.models import SearchEntry

from .test_gazetteer import synthetic_places

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

COLUMNS = [column for column in search_database.COLUMNS if column != "object_id"]


def city_entries() -> list[tuple]:
    """Every city entry, by city slug (ids differ between two imports)."""
    return sorted(SearchEntry.objects.filter(kind="city").values_list(*COLUMNS))


class RolledBack(Exception):
    pass


def with_the_triggers_alone(monkeypatch, run):
    """``run()``'s city entries with no bulk-load handler (each batch indexed by the triggers),
    rolled back afterwards."""
    with monkeypatch.context() as patch:
        patch.setitem(bulkload._handlers, "cities.City", {})
        try:
            with transaction.atomic():
                run()
                entries = city_entries()
                raise RolledBack
        except RolledBack:
            pass
    return entries


def triggers_installed() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'cities_city'::regclass "
                "AND tgname LIKE 'search_%%' AND tgenabled <> 'D'"
            )
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cities_city'")
        return cursor.fetchone()[0] == 3


def test_the_entries_after_an_import_are_those_the_triggers_would_have_written(monkeypatch):
    def run():
        return import_gazetteer(countries=["UY"], batch_size=50)

    by_triggers = with_the_triggers_alone(monkeypatch, run)
    report = run()
    assert report.cities_created > 100
    assert city_entries() == by_triggers
    assert len(by_triggers) == City.objects.count()
    assert triggers_installed()
    again = run()  # idempotent: nothing written, nothing changed in the index
    assert again.cities_created == again.cities_updated == 0 and city_entries() == by_triggers


def test_the_triggers_index_cities_again_after_an_import():
    import_gazetteer(countries=["UY"], batch_size=50)
    country = City.objects.get(slug="montevideo-uy").country
    city = City.objects.create(slug="synthetic-after-load-uy", name_en="Synthetic After Load", country=country)
    entry = SearchEntry.objects.get(kind="city", object_id=city.pk)
    assert "Synthetic After Load" in entry.names
    city.name_en = "Synthetic Renamed After Load"
    city.save()
    entry.refresh_from_db()
    assert "Synthetic Renamed After Load" in entry.names


def test_an_edit_made_while_the_index_waits_is_caught_up_at_the_end():
    city = City.objects.get(slug="montevideo-uy")
    with bulkload.bulk_load(City) as load:
        city.name_en = "Synthetic Montevideo renamed during a load"
        city.save()
        load.rows += 1
        entry = SearchEntry.objects.get(kind="city", object_id=city.pk)
        assert "Synthetic" not in entry.names  # the trigger is suspended…
        assert not triggers_installed()
    entry.refresh_from_db()
    assert "Synthetic Montevideo renamed during a load" in entry.names  # …and the end caught up
    assert triggers_installed()


def test_an_import_failing_half_way_leaves_the_index_complete_and_the_triggers_back(monkeypatch, tmp_path):
    path = synthetic_places(tmp_path, [(990000100 + n, f"Synthetic Failing Town {n}", 1000 + n) for n in range(30)])
    real_batch = gazetteer.import_batch
    calls = []

    def fails_on_the_second_batch(importer, batch):
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError("synthetic failure half way")
        real_batch(importer, batch)

    monkeypatch.setattr(gazetteer, "import_batch", fails_on_the_second_batch)
    with pytest.raises(RuntimeError, match="half way"):
        import_gazetteer(countries=["UY"], path=path, batch_size=10)
    written = City.objects.filter(geonames_id__gte=990000100)
    assert written.count() == 10  # the first batch, committed
    indexed = SearchEntry.objects.filter(kind="city", object_id__in=written.values("pk"))
    assert indexed.count() == 10
    assert triggers_installed()
    monkeypatch.setattr(gazetteer, "import_batch", real_batch)
    entries = city_entries()
    search_database.rebuild(connection, [KIND_BY_CODE["city"]])  # what the triggers' statement writes
    assert city_entries() == entries


def test_a_large_load_rebuilds_the_gin_indexes_and_writes_the_same_entries(monkeypatch):
    def run():
        return import_gazetteer(countries=["UY"], batch_size=50)

    by_triggers = with_the_triggers_alone(monkeypatch, run)
    monkeypatch.setattr(search_bulkload, "LARGE_LOAD", 10)
    run()
    assert city_entries() == by_triggers
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchentry'")
            names = {row[0] for row in cursor.fetchall()}
        assert set(search_bulkload.INDEXES) <= names
