"""What the site answers when its database cannot be reached (PostgreSQL restarting, a network
cut, too many connections): 503 Service Unavailable with Retry-After, logged in one line, never a
500 and never a traceback.

Django raises ``OperationalError`` or ``InterfaceError`` (``django.db``) when a connection cannot
be made or is lost. Two places turn them into a 503:

- :class:`DatabaseUnavailableMiddleware`, for everything Django serves (pages, the admin): a short
  HTML page, or the API's JSON error shape under ``/api/`` for the views that are not REST
  framework's;
- :class:`APIExceptionHandler`, for REST framework's views, which handle their exceptions
  themselves (drf-standardized-errors: ``DRF_STANDARDIZED_ERRORS["EXCEPTION_HANDLER_CLASS"]``):
  ``{"type": "server_error", "errors": [{"code": "service_unavailable", "detail": "…",
  "attr": null}]}``.

With ``DEBUG`` on, pages show Django's debug page instead, so that a developer sees the cause.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, DataError, IntegrityError, InterfaceError, OperationalError
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import defaults
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework.exceptions import APIException, ErrorDetail, ValidationError

from core.deletion import LISTED, HasDependants
from core.models import AdminPreference
from core.validation import has_control_characters

logger = logging.getLogger(__name__)

# Seconds a client should wait before trying again: PostgreSQL restarts in a few seconds.
RETRY_AFTER_SECONDS = 10
API_PREFIX = "/api/"


def is_database_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def log_unavailable(exc: BaseException, request: HttpRequest | None) -> None:
    where = f"{request.method} {request.path}" if request is not None else "a request"
    # One line: the driver's message often spans several ("Is the server running on …").
    logger.error(
        "Database unavailable, answered 503 to %s: %s: %s", where, type(exc).__name__, " ".join(str(exc).split())
    )


class DatabaseUnavailable(APIException):
    status_code = 503
    default_detail = gettext_lazy("The database is unavailable for a moment. Please try again shortly.")
    default_code = "service_unavailable"
    wait = RETRY_AFTER_SECONDS


def api_error_body(detail: str) -> dict:
    """The API's error shape (drf-standardized-errors) for a 503."""
    return {
        "type": "server_error",
        "errors": [{"code": DatabaseUnavailable.default_code, "detail": detail, "attr": None}],
    }


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer to ``request``: JSON under /api/, a short HTML page elsewhere. It reads
    nothing from the database (no template context processors, no user)."""
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(api_error_body(str(DatabaseUnavailable.default_detail)), status=503)
    else:
        title = _("Service temporarily unavailable")
        response = HttpResponse(
            format_html(
                '<!doctype html><html lang="{}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title></head>'
                "<body><h1>{}</h1><p>{}</p></body></html>\n",
                get_language() or settings.LANGUAGE_CODE,
                title,
                title,
                _("Paradiplo cannot reach its database right now. Please try again in a moment."),
            ),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return logged(response)


def logged(response):
    # log_unavailable() said it in one line: Django's handler would add "Service Unavailable:
    # <path>" for every 5xx response it has not logged.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 (see the module docstring) when a view or its template cannot reach the
    database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request.path):
            # No record's address holds a NUL or another control character; asking the
            # database for one would fail (PostgreSQL refuses NUL in text) instead of finding none.
            return not_found(request, None)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception) or settings.DEBUG:
            return None
        log_unavailable(exception, request)
        return unavailable_response(request)


class Conflict(APIException):
    """409: the request conflicts with the records as they stand (others depend on the record to
    delete; a rule of the database, such as a unique key, refuses the write)."""

    status_code = 409
    default_detail = gettext_lazy("This change conflicts with the records as they stand.")
    default_code = "conflict"


def dependants_conflict(summary, records) -> Conflict:
    """409 listing what depends on the record to delete: one error for the whole (``attr``
    ``dependants``), then one per record (up to :data:`core.deletion.LISTED`), each with the
    dependant's model (``networks.membership``) as ``attr``."""
    detail = {"dependants": [ErrorDetail(str(summary), code="has_dependants")]}
    for record in records:
        label = f"{record._meta.app_label}.{record._meta.model_name}"
        detail.setdefault(label, []).append(ErrorDetail(f"{record._meta.verbose_name}: {record}", code="depends_on_it"))
    return Conflict(detail)


class APIExceptionHandler(ExceptionHandler):
    """drf-standardized-errors' handler, with an unreachable database answered 503 + Retry-After
    in the API's error shape, logged in one line instead of as a server error, and every error
    of the database about the data answered in the same shape, never a 500:

    - a deletion refused while others depend on the record (:class:`core.deletion.HasDependants`,
      or Django's protected and restricted relations): 409 listing them;
    - an integrity error (a unique key or another constraint): 409;
    - a value the database cannot hold (:class:`django.db.DataError`): 400."""

    def convert_known_exceptions(self, exc):
        if is_database_unavailable(exc):
            request = getattr(self.context.get("request"), "_request", None)
            log_unavailable(exc, request)
            return DatabaseUnavailable()
        if isinstance(exc, HasDependants):
            return dependants_conflict(exc.summary(), exc.records)
        if isinstance(exc, ProtectedError | RestrictedError):
            records = list(getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ()))
            summary = gettext_lazy("This record cannot be deleted while other records depend on it.")
            return dependants_conflict(summary, records[:LISTED])
        if isinstance(exc, IntegrityError):
            logger.warning("Integrity error answered 409: %s", " ".join(str(exc).split()))
            return Conflict(gettext_lazy("This change breaks a rule of the data (such as a key used twice)."))
        if isinstance(exc, DataError):
            return ValidationError(gettext_lazy("A value is too long or out of range for the database."))
        return super().convert_known_exceptions(exc)

    def get_response(self, exc, data):
        response = super().get_response(exc, data)
        return logged(response) if isinstance(exc, DatabaseUnavailable) else response

    def get_headers(self, exc):
        headers = super().get_headers(exc)
        if isinstance(exc, DatabaseUnavailable):
            headers["Cache-Control"] = "no-store"
        return headers

    def report_exception(self, exc, response):
        if isinstance(exc, DatabaseUnavailable):
            return  # Logged in one line by convert_known_exceptions, not as a crash.
        super().report_exception(exc, response)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """The site's 404 (``handler404``): under ``/api/`` the API's error shape in JSON, as REST
    framework's own 404s are; elsewhere Django's page."""
    if request.path.startswith(API_PREFIX):
        body = {"type": "client_error", "errors": [{"code": "not_found", "detail": _("Not found."), "attr": None}]}
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)


ADMIN_LANGUAGE_SESSION_KEY = "paradiplo_admin_language"


class AdminLanguageMiddleware:
    """The admin in each staff member's own language, wherever they sign in: the language they
    chose with the admin's switch (:class:`core.models.AdminPreference`) is activated on every
    admin page, over the browser's. It is put in the session when they sign in
    (:func:`remember_language_on_login`) or switch, so an admin page costs no query. After
    ``AuthenticationMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Admin pages only: any other request (the API, /healthz, public pages) never reads the
        # session here.
        if request.path.startswith(admin_prefix()):
            language = self.chosen_language(request)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)

    @staticmethod
    def chosen_language(request) -> str | None:
        session = getattr(request, "session", None)
        if session is None:
            return None
        try:
            language = session.get(ADMIN_LANGUAGE_SESSION_KEY)
        except DatabaseError:
            # The database is down: the admin view fails next, and DatabaseUnavailableMiddleware
            # answers 503 (an exception raised here would be a 500 before it could).
            return None
        return language if language in dict(settings.LANGUAGES) else None


def remember_language_on_login(sender, request, user, **kwargs):
    """On sign-in (``user_logged_in``), the user's admin language into the new session."""
    if request is None or not hasattr(request, "session"):
        return
    language = AdminPreference.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[ADMIN_LANGUAGE_SESSION_KEY] = language


def admin_prefix() -> str:
    return reverse("admin:index")
