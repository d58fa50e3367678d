"""Production settings (``make serve``, ``paradiplo/wsgi.py``). Secrets and hosts come from the
environment and have no defaults: a missing DJANGO_SECRET_KEY or DJANGO_ALLOWED_HOSTS stops the
process at start-up. Every variable is described in docs/deployment.md."""

import logging
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import databases, env_bool, env_list


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set in production (see docs/deployment.md)."
        )
    return value


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "The environment variable DJANGO_ALLOWED_HOSTS must be set in production: the host names the site "
        "answers to, comma-separated (see docs/deployment.md)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Connections are kept between requests (and checked before reuse, see base.database()).
DATABASES = databases(conn_max_age_default=60)
if not os.environ.get("DATABASE_URL"):
    # Printed once per process, before logging is configured.
    logging.getLogger("paradiplo.settings").warning(
        "DATABASE_URL is not set: serving from SQLite (%s). Fine for one server; "
        "set DATABASE_URL to a PostgreSQL database to run several.",
        DATABASES["default"]["NAME"],
    )

# HTTPS. By default every http:// request is redirected to https:// and cookies are marked
# Secure. DJANGO_SECURE_SSL_REDIRECT=0 serves plain HTTP (`make serve` on a workstation, or
# behind a proxy that redirects itself); cookies then follow unless DJANGO_SECURE_COOKIES says
# otherwise. Behind a TLS-terminating proxy, set DJANGO_SECURE_PROXY_SSL_HEADER=1. /healthz is
# never redirected: load balancers probe over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", SECURE_SSL_REDIRECT)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# WhiteNoise serves the collected static files (run `manage.py collectstatic` at deploy time).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *[m for m in MIDDLEWARE if m != "django.middleware.security.SecurityMiddleware"],  # noqa: F405
]

# One line per request comes from gunicorn's access log; Django logs warnings and errors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
