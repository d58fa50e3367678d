"""Read replicas: reads go to a replica, writes to the primary (``default``).

Installed by the settings when DATABASE_REPLICA_URL names one or more replicas (aliases
``replica1``, ``replica2``, …). A replica may lag behind the primary by a moment, so a read goes
to the primary instead when it must see a write:

- inside a transaction open on the primary (``transaction.atomic()``): the transaction's own
  writes are not on any replica yet, and reads that decide a write must see the latest rows;
- later in a request that has written (a form saved, then its page rendered);
- from a browser that wrote in the last DATABASE_REPLICA_PIN_SECONDS seconds
  (:class:`PrimaryPinMiddleware`'s cookie): the admin saves, redirects, and the next page shows
  the edit.

Relations between objects from different aliases are allowed (they are the same database), and
migrations run on the primary only (replicas copy its schema).
"""

from __future__ import annotations

import random
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_PREFIX = "replica"
PIN_COOKIE = "paradiplo_primary"

# Per request (thread- and task-local): whether reads go to the primary for the rest of it, and
# whether it has written.
_pinned: ContextVar[bool] = ContextVar("paradiplo_primary_pinned", default=False)
_wrote: ContextVar[bool] = ContextVar("paradiplo_primary_wrote", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def pin_to_primary() -> None:
    """Send the reads of the rest of this request to the primary."""
    _pinned.set(True)


def pinned_to_primary() -> bool:
    return _pinned.get()


def unpin(**kwargs) -> None:
    """Forget the writes seen so far: each request starts unpinned (a WSGI thread serves one
    request after another in the same context)."""
    _pinned.set(False)
    _wrote.set(False)


request_started.connect(unpin, dispatch_uid="paradiplo.db_routers.unpin")


class PrimaryReplicaRouter:
    """Reads to a random replica, unless they must see a write (module docstring); writes to
    the primary."""

    def __init__(self):
        self.replicas = replica_aliases()

    def db_for_read(self, model, **hints):
        if not self.replicas or _pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return random.choice(self.replicas)

    def db_for_write(self, model, **hints):
        _pinned.set(True)
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class PrimaryPinMiddleware:
    """Keeps a browser that has just written on the primary for a few seconds
    (DATABASE_REPLICA_PIN_SECONDS), longer than a replica usually lags: a request that wrote
    sets a short cookie, and requests carrying it read from the primary (without renewing it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 5)

    def __call__(self, request):
        if PIN_COOKIE in request.COOKIES:
            pin_to_primary()
        response = self.get_response(request)
        if _wrote.get() and self.seconds > 0:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=self.seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
