"""``/healthz``: whether this app server can serve, for load balancers and orchestrators.

200 ``{"database": "ok", "cache": "ok"}`` when a ``SELECT 1`` on the primary database and a cache
write-then-read both answer; 503 with ``"unavailable"`` for the part that failed otherwise.
The site itself serves without its cache (core.cache_backends fails open): with
PARADIPLO_HEALTHZ_REQUIRES_CACHE=0 a cache that does not answer is still reported but answers
200, so that a load balancer does not take every app server out when the shared Redis stops. The
answer is never cached, never redirected to HTTPS (SECURE_REDIRECT_EXEMPT) and never reads or
writes the session (no cookie, no ``Vary: Cookie``). Each check is bounded by the connection
timeouts (DATABASE_CONNECT_TIMEOUT, REDIS_CONNECT_TIMEOUT/REDIS_TIMEOUT).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import Error as DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.middleware import logged

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
    required = ["database", "cache"] if settings.PARADIPLO_HEALTHZ_REQUIRES_CACHE else ["database"]
    healthy = all(checks[name] == OK for name in required)
    response = JsonResponse(checks, status=200 if healthy else 503)
    # The failing part was logged above, in one line: not again as "Service Unavailable".
    return response if healthy else logged(response)
