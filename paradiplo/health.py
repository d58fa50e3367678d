"""``/healthz``: whether this app server can serve, for load balancers and orchestrators.

200 ``{"database": "ok", "cache": "ok"}`` when a ``SELECT 1`` on the primary database and a cache
write-then-read both answer; 503 with ``"unavailable"`` for the part that failed otherwise. The
answer is never cached, never redirected to HTTPS (SECURE_REDIRECT_EXEMPT) and never reads or
writes the session (no cookie, no ``Vary: Cookie``). Each check is bounded by the connection
timeouts (DATABASE_CONNECT_TIMEOUT, REDIS_CONNECT_TIMEOUT/REDIS_TIMEOUT).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import Error as DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"

# One key per process, overwritten by each probe and expiring on its own.
CACHE_KEY = f"healthz:{socket.gethostname()}:{os.getpid()}"
CACHE_TIMEOUT = 60


def database_answers() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.warning("healthz: the database does not answer: %s", " ".join(str(error).split()))
        return False


def cache_answers() -> bool:
    # The Redis backend fails open (a failed write is a no-op, a failed read a miss), so a fresh
    # value that does not come back is how a cache that does not answer shows.
    token = uuid.uuid4().hex
    try:
        cache.set(CACHE_KEY, token, CACHE_TIMEOUT)
        if cache.get(CACHE_KEY) == token:
            return True
    except Exception as error:  # A backend that raises instead of failing open.
        logger.warning("healthz: the cache does not answer: %s", error)
        return False
    logger.warning("healthz: the cache does not answer (a value written was not read back)")
    return False


@never_cache
@require_safe
def healthz(request):
    checks = {
        "database": OK if database_answers() else UNAVAILABLE,
        "cache": OK if cache_answers() else UNAVAILABLE,
    }
    healthy = all(state == OK for state in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
