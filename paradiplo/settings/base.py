"""Settings shared by every environment. Everything that varies is read from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin classes and widgets win.
    "modeltranslation",
    "paradiplo.admin_config.ParadiploAdminConfig",  # django.contrib.admin, our site (core.admin_site)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "simple_history",
    # Login lockout after repeated failures (django-axes) and the Content-Security-Policy header.
    "axes",
    "csp",
    # Background jobs (member imports, the gazetteer, search rebuilds): Django's tasks API and
    # its database backend, whose worker is `manage.py db_worker` (docs/deployment.md).
    "django_tasks",
    "django_tasks_db",
    "core",
    "paradiplo",
    "sources",
    "cities",
    "networks",
    "projects",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # A database that cannot be reached answers 503 with Retry-After, not a 500 (core.middleware).
    "core.middleware.DatabaseUnavailableMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # An anonymous hit of a cached public page is answered here, before the rest of the stack,
    # counted by the page throttle in the same round trip to Redis (core/pagecache_middleware.py).
    "core.pagecache_middleware.CachedPageHitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A page addressed by a renamed record's old slug answers 301 to its new one (KEY_ALIAS_PAGES).
    "core.recordkeys.RenamedPageMiddleware",
    # ETag on every GET response and 304 to If-None-Match / If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin in the language each staff member chose, wherever they sign in (core.middleware).
    "core.middleware.AdminLanguageMiddleware",
    # Rate limits of public pages, downloads and suggestions: 429 before any view runs
    # (core/throttle_middleware.py, PARADIPLO_THROTTLE_RATES below).
    "core.throttle_middleware.PublicThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the audit history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# Which parameter of which page names which model's key, so that a renamed record's old key
# redirects there (core.recordkeys.RenamedPageMiddleware; the API does so on its own).
_NETWORK, _CITY = {"slug": "networks.network"}, {"slug": "cities.city"}
KEY_ALIAS_PAGES = {
    **dict.fromkeys(["network-detail", "network-members", "network-changes", "network-members-geojson"], _NETWORK),
    **dict.fromkeys(["thematic-unit-detail", "summit-detail"], {"network": "networks.network"}),
    "city-detail": _CITY,
    "country-detail": {"code": "cities.country"},
    "bloc-detail": {"slug": "cities.regionalbloc"},
    "project-detail": {"slug": "projects.project"},
    "programme-detail": {"slug": "projects.programme"},
    "organization-detail": {"slug": "projects.organization"},
    "sdg-detail": {"number": "projects.sdg"},
    "source-detail": {"key": "sources.source"},
}

# Who edits which network (core.ownership): the rows that grant a user one network, and the
# permission that makes a curator of every network.
OWNERSHIP_GRANT_MODEL = "networks.NetworkEditor"
OWNERSHIP_CURATE_PERMISSION = "networks.curate_all"
# The network model, for the shared library's background jobs (core.Job), named as AUTH_USER_MODEL is.
OWNERSHIP_NETWORK_MODEL = "networks.Network"

ROOT_URLCONF = "paradiplo.urls"
WSGI_APPLICATION = "paradiplo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

SQLITE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"


def database(url: str, *, conn_max_age: int) -> dict:
    """One entry of DATABASES from a URL. Connections are checked before reuse
    (CONN_HEALTH_CHECKS), so a restarted PostgreSQL costs one failed request per process at most,
    never a restart of the app; a PostgreSQL that does not answer fails within
    DATABASE_CONNECT_TIMEOUT seconds instead of hanging a worker."""
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
        )
    return config


def databases(*, conn_max_age_default: int) -> dict:
    """DATABASES from the environment. DATABASE_URL selects the primary (e.g.
    postgres://user@host:5432/paradiplo; without it, SQLite in the project folder).
    DATABASE_REPLICA_URL (comma-separated) adds read replicas as replica1, replica2, … which
    paradiplo.db_routers sends reads to; the test runner mirrors them to the primary."""
    conn_max_age = int(os.environ.get("DATABASE_CONN_MAX_AGE", str(conn_max_age_default)))
    result = {"default": database(os.environ.get("DATABASE_URL") or SQLITE_URL, conn_max_age=conn_max_age)}
    for number, url in enumerate(env_list("DATABASE_REPLICA_URL"), start=1):
        result[f"replica{number}"] = {
            **database(url, conn_max_age=conn_max_age),
            "TEST": {"MIRROR": "default"},
        }
    return result


# Development and tests open a connection per request; production keeps them (production.py).
DATABASES = databases(conn_max_age_default=0)
if len(DATABASES) > 1:
    # Reads to a replica, writes (and whatever follows a write in the same request, or comes
    # from the same browser shortly after) to the primary: see paradiplo/db_routers.py.
    DATABASE_ROUTERS = ["paradiplo.db_routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(1, "paradiplo.db_routers.PrimaryPinMiddleware")
    DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "5"))
    # A page-cache miss renders from the primary, so a page stored under the primary's content
    # version never holds a lagging replica's content (core/pagecache.py).
    PARADIPLO_PAGE_CACHE_ON_MISS = "paradiplo.db_routers.pin_to_primary"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions live in the database, so that any app server can serve any request (no sticky
# sessions); only signed-in staff have one.
SESSION_ENGINE = "django.contrib.sessions.backends.db"


def caches() -> dict:
    """CACHES from the environment. REDIS_URL (e.g. redis://127.0.0.1:6379/0) selects Redis,
    shared by every worker and server: throttle counters and cached pages hold across them. The
    backend fails open (core.cache_backends): a Redis that is down or slow means cache misses,
    never errors. Without REDIS_URL, each process keeps its own local-memory cache."""
    prefix = os.environ.get("PARADIPLO_CACHE_PREFIX", "paradiplo")
    redis_url = os.environ.get("REDIS_URL", "").strip()
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": prefix}}
    return {
        "default": {
            "BACKEND": "core.cache_backends.FailOpenRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {
                "parser_class": "redis.connection._HiredisParser",
                # Seconds. Redis on the same network answers in well under a millisecond: past
                # these, the cache is treated as down for this request and the next few seconds.
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }


CACHES = caches()
# /healthz answers 503 when the cache does not answer (paradiplo/health.py). 0: it reports the
# cache but answers 200, as the site serves without it.
PARADIPLO_HEALTHZ_REQUIRES_CACHE = env_bool("PARADIPLO_HEALTHZ_REQUIRES_CACHE", True)

AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in from a locked-out client before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Network editors get the model permissions of Paradiplo's records (see networks/backends.py).
    "networks.backends.NetworkEditorBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the interface and the content come in these four.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# Content translation (django-modeltranslation). A missing translation falls back to the
# nearest language: Portuguese readers get Spanish before English and vice versa, which is
# what Mercosur-area content needs; English and French fall back to the others in turn.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es", "pt", "fr")
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en", "es", "pt", "fr"),
    "en": ("es", "pt", "fr"),
    "es": ("pt", "en", "fr"),
    "pt": ("es", "en", "fr"),
    "fr": ("en", "es", "pt"),
}
# The admin's translation tabs use jQuery UI; serve our vendored copy, never a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
# Where `collectstatic` gathers the files WhiteNoise serves in production.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The API (Django REST framework). Reading is public; writing needs a token or a staff session
# and the matching model permission.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.NetworkScopedPermission"],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonymousRateThrottle",
        "core.api.throttling.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("PARADIPLO_API_ANON_RATE", "120/minute"),
        "user": os.environ.get("PARADIPLO_API_USER_RATE", "600/minute"),
    },
    # Anonymous clients are counted by address: core.api.throttling reads it through
    # core.clientip (PARADIPLO_TRUSTED_PROXIES), never DRF's NUM_PROXIES.
    "URL_FORMAT_OVERRIDE": "format",
    "ORDERING_PARAM": "ordering",
}
DRF_STANDARDIZED_ERRORS = {
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    # An unreachable database answers 503 with Retry-After in the API's error shape (not a 500).
    "EXCEPTION_HANDLER_CLASS": "core.middleware.APIExceptionHandler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Paradiplo API",
    "DESCRIPTION": (
        "City networks, their members over time, governing bodies, thematic units, offices, summits and "
        "cooperation projects, with a source for every fact. Translated fields follow `?lang=` or "
        "`Accept-Language`; partial dates are ISO 8601 strings at their precision (`1995`, `1995-11`, "
        "`1995-11-11`).\n\n"
        "**`at=` has one meaning everywhere** (the lists' `at` and `member_at`, `networks/?at=`, "
        "`members-by-country`, the window of `changes`, the graph): `at=1995-11-11` is what was in force on "
        "that day; `at=1995-11` and `at=1995` what was in force on at least one day of that month or year "
        "(a city that left in March 1995 and one that joined in December 1995 are both members in 1995).\n\n"
        "**A country has one shape** wherever it appears: `{key, url, code, name}` (null when unknown). "
        "Coordinates are JSON numbers; amounts of money are exact decimal strings. `ordering=` puts records "
        "without the value last in either direction. CSV (`?format=csv`) flattens nested records into dotted "
        "columns (a record inside a summary: its key, e.g. `city.country`), lists into `; `-joined text, "
        "booleans as `true`/`false`, and neutralises spreadsheet formulas with a leading `'`.\n\n"
        "Coordinates and populations: GeoNames (CC BY 4.0)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator: the docs request nothing from another host.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "core.partialdates.PRECISION_CHOICES",
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "core.api.schema.blank_or_uri",
    ],
}

# Cross-origin reads of the API. PARADIPLO_CORS_ALLOWED_ORIGINS (comma-separated) restricts the
# origins; without it any origin may read.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = env_list("PARADIPLO_CORS_ALLOWED_ORIGINS")
CORS_ALLOW_ALL_ORIGINS = not CORS_ALLOWED_ORIGINS
# POST for the reconciliation service (/api/reconcile/: JSON bodies need a preflight); writes
# still need a token, which no other site holds (no credentials are allowed cross-origin).
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST"]
CORS_EXPOSE_HEADERS = ["Content-Language", "ETag", "Last-Modified", "Retry-After"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Maps on the public pages draw member cities over bundled country outlines, so they need no
# tile server. PARADIPLO_MAP_TILE_URL adds a tile layer under them (e.g.
# https://tile.openstreetmap.org/{z}/{x}/{y}.png, with its attribution in
# PARADIPLO_MAP_TILE_ATTRIBUTION); empty (the default) means no request leaves the site.
PARADIPLO_MAP_TILE_URL = os.environ.get("PARADIPLO_MAP_TILE_URL", "")
PARADIPLO_MAP_TILE_ATTRIBUTION = os.environ.get("PARADIPLO_MAP_TILE_ATTRIBUTION", "")

# The text matching of the lists' ``?q=`` (pages and API), a dotted path as with
# AUTHENTICATION_BACKENDS: the search service's, so that a list finds what /search/ finds. Empty:
# a plain case-insensitive "contains" (core.api.filters.plain_text_condition).
PARADIPLO_TEXT_MATCHER = "search.services.text_condition"

# Whole public pages and aggregate API answers are cached per content version (docs/caching.md);
# this only bounds how long old versions' entries stay. 0 turns the page cache off.
PARADIPLO_PAGE_CACHE_SECONDS = int(os.environ.get("PARADIPLO_PAGE_CACHE_SECONDS", "3600"))

# --- Abuse limits (#15) ---------------------------------------------------------------------------

# The proxies in front of the app (addresses or networks, comma-separated, e.g. 10.0.0.0/8). Only
# a request whose connection comes from one of them has its client's address read from
# X-Forwarded-For (the rightmost address that is not a trusted proxy); every other request is
# counted by its connection's own address, whatever it sends (core/clientip.py). The API's rate
# limits, the page rate limits and the login lockout all count clients this way.
PARADIPLO_TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")

# Rate limits of what the API's limits do not cover (core/throttle_middleware.py), per client
# address, counted in the default cache (Redis with REDIS_URL: shared by every worker). DRF's
# syntax: N/second, N/minute, N/hour or N/day; empty or 0 turns that limit off. Over it: 429 with
# Retry-After and a translated page. Signed-in staff are not limited.
PARADIPLO_THROTTLE_RATES = {
    # Public pages (/en/…, /es/…): a reader clicks a few pages a minute, a crawler more.
    "page": os.environ.get("PARADIPLO_PAGE_RATE", "240/minute"),
    # Downloads of the public pages (?format=csv, .geojson, the bibliography): each is a whole list.
    "download": os.environ.get("PARADIPLO_DOWNLOAD_RATE", "30/minute"),
    # The header's search suggestions (/search/suggest/): one request per keystroke.
    "suggest": os.environ.get("PARADIPLO_SUGGEST_RATE", "180/minute"),
}

# Login lockout (django-axes): after PARADIPLO_LOGIN_FAILURE_LIMIT failed sign-ins from one client
# address, that address cannot sign in for PARADIPLO_LOGIN_COOLOFF_MINUTES (each failure during
# the lockout starts the cool-off again). Attempts are kept in the database, so every worker and
# server sees them; staff can unlock an address in the admin (Axes › Access attempts).
AXES_FAILURE_LIMIT = int(os.environ.get("PARADIPLO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("PARADIPLO_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.clientip.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Successful sign-ins are in the sessions and the audit history already.
AXES_DISABLE_ACCESS_LOG = True


def content_security_policy(tile_url: str, report_uri: str = "") -> dict:
    """django-csp's CONTENT_SECURITY_POLICY, for every page. Scripts only from the site
    itself (the admin, maps, charts, typeahead and API docs are all static files; the one inline
    script, Swagger UI's start-up, carries the request's nonce); no 'unsafe-inline' or
    'unsafe-eval' for scripts. Styles only from the site's stylesheets, with no 'unsafe-inline'
    either: no template has a <style> element or a style attribute, and what scripts style (Leaflet
    and its clusters, Chart.js, Cytoscape.js, the admin's jQuery UI tabs and Select2, Swagger UI)
    they style through the CSSOM, which the policy does not govern. The one page whose script adds
    <style> elements, Redoc's (/api/redoc/), gives them the request's nonce (static/js/redoc.js),
    but for one it adds before it has the nonce: REDOC_CSP_UPDATE allows that one by its hashes, on
    that page only. A page that never asks for the nonce sends none. The map's tile server, when
    PARADIPLO_MAP_TILE_URL names one, is the only other host images come from (docs/deployment.md)."""
    from urllib.parse import urlsplit

    from csp.constants import NONCE, NONE, SELF

    images = [SELF, "data:", "blob:"]
    if tile_url:
        parts = urlsplit(tile_url)
        images.append(f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}")
    directives = {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": images,
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    if report_uri:
        directives["report-uri"] = [report_uri]
    return {"DIRECTIVES": directives}


# PARADIPLO_CSP_REPORT_URI: where browsers report violations (optional).
CONTENT_SECURITY_POLICY = content_security_policy(
    PARADIPLO_MAP_TILE_URL, os.environ.get("PARADIPLO_CSP_REPORT_URI", "").strip()
)

# Redoc (/api/redoc/) adds one <style> element while its script loads, before static/js/redoc.js
# can hand it the nonce: perfect-scrollbar's stylesheet, inserted empty and then filled. The
# hashes of those two contents are allowed on that page only (django-csp's csp_update in
# paradiplo/urls.py). They belong to the Redoc of the pinned drf-spectacular-sidecar: an upgrade
# that changes the stylesheet fails tests/browser/test_csp.py, which names the new hash.
REDOC_CSP_UPDATE = {
    "style-src": [
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty element
        "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar's rules
    ]
}

# /api/schema/ is built once per code version, language and format, then served from the cache
# (core/api/schema_cache.py). PARADIPLO_RELEASE (e.g. the deployed commit) names the code
# version; without it, a digest of the project's Python files is used, so a deploy of new code
# never serves an old schema.
PARADIPLO_RELEASE = os.environ.get("PARADIPLO_RELEASE", "").strip()

# Releases of the dataset (manage.py export_dataset) are written to, and /data/latest/ served
# from, this directory's releases/YYYY-MM-DD/ (paradiplo/dataset/).
PARADIPLO_DATASET_DIR = Path(os.environ.get("PARADIPLO_DATASET_DIR") or BASE_DIR / "var" / "dataset")


# Background jobs (django-tasks): the database backend keeps the queue in this database, so
# nothing else needs running but a worker (`manage.py db_worker`; `make serve` starts one beside
# gunicorn, `make worker` runs one on its own). docs/deployment.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Member files with more rows than this are previewed and imported by the worker; smaller ones
# in the request.
PARADIPLO_IMPORT_BACKGROUND_ROWS = int(os.environ.get("PARADIPLO_IMPORT_BACKGROUND_ROWS", "300"))
# A preview (dry run) of at most this many rows also tries every write, then rolls back (so the
# database's own rules are checked); a larger one stops once every row is checked and planned.
PARADIPLO_IMPORT_DRY_RUN_WRITE_ROWS = int(os.environ.get("PARADIPLO_IMPORT_DRY_RUN_WRITE_ROWS", "300"))
# A running job whose worker has not been heard from for this many seconds is taken as dead:
# marked failed (its transaction rolled back with the worker's connection) and may be retried.
PARADIPLO_JOB_STALE_SECONDS = int(os.environ.get("PARADIPLO_JOB_STALE_SECONDS", "600"))
