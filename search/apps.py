from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

#: pg_trgm's word-similarity threshold for misspelt names (its default, 0.6, misses two letters
#: swapped in a short name: "Curitbia", "Asuncoin"; 0.5 would let "Paris" find "Paraguay").
WORD_SIMILARITY_THRESHOLD = "0.55"


def configure_connection(sender, connection, **kwargs):
    """On every new connection: SQLite gets ``paradiplo_plain()``, which the index triggers and
    the embedded search compare names with; PostgreSQL gets the session's trigram threshold
    (one statement when the connection opens, none per search)."""
    if connection.vendor == "sqlite":
        from .text import sqlite_plain

        connection.connection.create_function("paradiplo_plain", 1, sqlite_plain, deterministic=True)
    elif connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:
            cursor.execute(f"SET pg_trgm.word_similarity_threshold = {WORD_SIMILARITY_THRESHOLD}")


def reinstall_triggers(sender, using="default", **kwargs):
    """After every ``migrate``: put the index triggers back (SQLite drops a table's triggers when
    a migration rebuilds the table). Idempotent."""
    from django.db import connections

    from . import database

    connection = connections[using]
    if connection.vendor in ("postgresql", "sqlite") and database.is_installed(connection):
        database.install_triggers(connection)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        connection_created.connect(configure_connection, dispatch_uid="search.configure_connection")
        post_migrate.connect(reinstall_triggers, sender=self, dispatch_uid="search.reinstall_triggers")
