from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from .text import sqlite_plain

#: pg_trgm's word-similarity threshold for misspelt names (its default, 0.6, misses two letters
#: swapped in a short name: "Curitbia", "Asuncoin"; 0.5 would let "Paris" find "Paraguay").
WORD_SIMILARITY_THRESHOLD = "0.55"


def configure_connection(sender, connection, **kwargs):
    """On every new connection: SQLite gets ``paradiplo_plain()``, which the index triggers and
    the embedded search compare names with; PostgreSQL gets the session's trigram threshold
    (one statement when the connection opens, none per search). Connection set-up, not schema:
    the triggers themselves are the migrations' (see :mod:`search.database`)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("paradiplo_plain", 1, sqlite_plain, deterministic=True)
    elif connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:
            cursor.execute(f"SET pg_trgm.word_similarity_threshold = {WORD_SIMILARITY_THRESHOLD}")


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import bulkload

        from .bulkload import suspended_index_triggers

        connection_created.connect(configure_connection, dispatch_uid="search.configure_connection")
        # A bulk load of cities (the gazetteer) suspends the city index triggers and catches up
        # set-wise when it ends (search/bulkload.py).
        bulkload.register("cities.City", suspended_index_triggers)
