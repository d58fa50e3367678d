"""The content version: one token that changes whenever the published content changes.

Cached pages and API answers (:mod:`core.pagecache`) are keyed by it, so that an edit shows on
the very next request instead of when a timeout runs out. The token lives in one row of the
primary database (:class:`core.models.ContentVersion`), not in a cache: every process (gunicorn
worker, server) reads the same row, also when each has its own local-memory cache.

What changes it:

- saving or deleting a record of a domain app (every model of an app whose configuration is a
  :class:`core.appconfig.DomainAppConfig`: sources, cities, networks, projects), or changing
  one of its many-to-many relations: through Django's signals, so the admin, the API, services,
  ``loaddata`` (raw saves) and the shell are all covered. Audit history rows are not content;
  sessions, users and the search index live in other apps;
- :func:`bump`, called by code that writes without signals: ``bulk_create``, ``bulk_update``,
  ``QuerySet.update()``, raw SQL (the member import, the gazetteer, the fixture loader).

The token changes once per transaction, after it commits (``transaction.on_commit``): a reader
never gets a new token while the change that caused it can still roll back, so it cannot cache a
page of the old content under the new token. Each token is random, not a counter, so a database
restored to an earlier state (a backup, or a test's rolled-back transaction) brings back its own
token and never meets a page cached for a different state under the same one.

**The copy in the shared cache.** The row is the truth; with a cache shared by every process
(Redis: :class:`core.cache_backends.FailOpenRedisCache` says so), the token is also kept in the
cache under :func:`cache_key`, so that a cached page's hit reads the token and the page in one
round trip to the cache (:func:`current_and_cached`) instead of a query and a round trip. How
that copy never makes an old page look fresh:

- only the row says which token is current: the copy is written by a bump *after* its row was
  committed (the on-commit callback), and then checked against the row once more, so that of
  two concurrent bumps the later token is the one left in the cache;
- a reader that finds no copy reads the row and offers it with ``add`` (written only while the
  cache has none): a bump that committed meanwhile has written its own token already, and
  ``add`` never replaces it;
- the copy expires after ``PARADIPLO_CONTENT_VERSION_CACHE_SECONDS`` (default 60): the bound on
  how long a bump that could not reach the cache (Redis down at that moment, or a process
  configured without the shared cache) goes unseen. A cache that does not answer at all means
  misses: the row is read, the page rendered, never an error.

With a cache of each process's own (local memory, no ``REDIS_URL``) the copy would be seen by
one process only, so the row is read on every request, as before.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

# The primary database: a replica may lag behind the write that changed the token.
DATABASE = DEFAULT_DB_ALIAS
ROW = 1
#: Where the shared cache keeps its copy of the token (followed by which database: see cache_key).
CACHE_KEY = "paradiplo.contentversion"
#: How long the cached copy lives unless PARADIPLO_CONTENT_VERSION_CACHE_SECONDS says otherwise.
DEFAULT_CACHE_SECONDS = 60
# The token this process saw last: a hit's page key is guessed with it, so that the token and
# the page come in one round trip (it is checked against the cached token before any use).
_last_seen: str | None = None


def _rows():
    from .models import ContentVersion

    return ContentVersion.objects.using(DATABASE).filter(pk=ROW)


def current() -> str:
    """The current content version token: one primary-key read from the primary database."""
    token = _read()
    if token is None:
        # The row was deleted (a flushed test database): put a new one in its place.
        _store_new_token()
        token = _read()
    return token


def _read() -> str | None:
    # Every cached page asks, so the statement is written once rather than compiled by the ORM
    # on each request (a tenth of the cost).
    from .models import ContentVersion

    connection = connections[DATABASE]
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [ROW])
        row = cursor.fetchone()
    return row[0] if row else None


def cache_holds_version() -> bool:
    """Whether the token is kept in the default cache too: setting
    ``PARADIPLO_CONTENT_VERSION_IN_CACHE`` (True/False), else whether that cache is shared by
    every process (its backend's ``shared_between_processes``) and the copy may live at all."""
    if cache_seconds() <= 0:
        return False
    chosen = getattr(settings, "PARADIPLO_CONTENT_VERSION_IN_CACHE", None)
    if chosen is not None:
        return bool(chosen)
    return bool(getattr(cache, "shared_between_processes", False))


def cache_seconds() -> int:
    return int(getattr(settings, "PARADIPLO_CONTENT_VERSION_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def cache_key() -> str:
    """The cache key of the token's copy: :data:`CACHE_KEY` and the database the row is in
    (engine, host, port and name), so that two sites or scale databases sharing one Redis and
    one key prefix never read each other's token."""
    database = settings.DATABASES[DATABASE]
    where = "|".join(str(database.get(part) or "") for part in ("ENGINE", "HOST", "PORT", "NAME"))
    return f"{CACHE_KEY}:{hashlib.sha256(where.encode()).hexdigest()[:16]}"


def last_seen() -> str | None:
    """The token this process saw last (None before the first): the guess under which a hit's
    page is read in the same round trip as the token (checked against it before any use)."""
    return _last_seen


def saw(token: str) -> None:
    """Record ``token`` as the one this process saw last (read from the cache's copy)."""
    global _last_seen
    _last_seen = token


def current_and_cached(key_for: Callable[[str], str]) -> tuple[str, Any]:
    """The current token and the default cache's value under ``key_for(token)`` (None when it
    has none). With the token kept in the shared cache, both come in one ``get_many`` when the
    token has not changed since this process last saw it; otherwise the row is read (one
    query), then the cache."""
    global _last_seen
    if not cache_holds_version():
        token = current()
        return token, cache.get(key_for(token))
    guess = _last_seen
    copy = cache_key()
    keys = [copy] + ([key_for(guess)] if guess else [])
    found = cache.get_many(keys)
    token = found.get(copy)
    if token is None:
        token = current()
        # Only while the cache has no copy: a bump that committed after the read above has
        # written its own token already, and add never replaces it.
        cache.add(copy, token, cache_seconds())
    _last_seen = token
    if token == guess:
        return token, found.get(keys[1])
    return token, cache.get(key_for(token))


def bump() -> None:
    """Record that content changed: a new token once the current transaction commits (at once
    outside a transaction). Called many times in one transaction, it changes the token once."""
    connection = connections[DATABASE]
    if any(callback is _store_new_token for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_store_new_token, using=DATABASE)


def _store_new_token() -> None:
    from .models import ContentVersion

    values = {"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    # One atomic UPDATE: concurrent writers each leave a token that no reader has seen before.
    if not _rows().update(**values):
        ContentVersion.objects.using(DATABASE).bulk_create([ContentVersion(pk=ROW, **values)], ignore_conflicts=True)
    if cache_holds_version():
        _publish(values["token"])


def _publish(token: str) -> None:
    # Called once the row holds ``token`` (committed, except inside a test's transaction).
    # Two bumps may commit in one order and write the cache in the other: after writing, read
    # the row again and write what it says until the two agree, so the later token stays.
    copy = cache_key()
    for _ in range(3):
        cache.set(copy, token, cache_seconds())
        latest = _read()
        if latest is None or latest == token:
            return
        token = latest
    cache.delete(copy)


def _changed(sender, action: str = "", **kwargs) -> None:
    # m2m_changed comes twice per change (pre_add, post_add…): bump once, after.
    if not action.startswith("pre_"):
        bump()


def connect_domain_models() -> None:
    """Bump on every save, delete and many-to-many change of the domain apps' models. Connected
    model by model (not for every sender) so that other models keep Django's fast deletes."""
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    from .appconfig import DomainAppConfig

    for app_config in apps.get_app_configs():
        if not isinstance(app_config, DomainAppConfig):
            continue
        for model in app_config.get_models(include_auto_created=True):
            if issubclass(model, HistoricalChanges):
                continue
            for signal in (post_save, post_delete, m2m_changed):
                signal.connect(_changed, sender=model, weak=False, dispatch_uid=f"contentversion.{model._meta.label}")
