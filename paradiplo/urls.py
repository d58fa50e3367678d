from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from cities import urls as city_urls
from core.api.schema_cache import CachedSchemaView
from networks import urls as network_urls
from projects import urls as project_urls
from search import urls as search_urls
from sources import urls as source_urls

from .health import healthz
from .pages import AboutView, data_file, data_release, favicon_ico, robots_txt
from .sitemaps import sitemaps
from .views import HomeView

SITEMAP_CACHE_SECONDS = 60 * 60

# JSON in the API's error shape under /api/, Django's page elsewhere.
handler404 = "core.middleware.not_found"

admin.site.site_header = _("Paradiplo · staff editing")
admin.site.site_title = _("Paradiplo staff editing")
admin.site.index_title = _("Records and worklists")

urlpatterns = [
    # For load balancers: no language prefix, no session, no HTTPS redirect (paradiplo/health.py).
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("favicon.ico", favicon_ico, name="favicon"),
    # Sitemaps are read by crawlers, not people: an hour-old copy is fine and spares the database.
    path("sitemap.xml", cache_page(SITEMAP_CACHE_SECONDS)(sitemap_index), {"sitemaps": sitemaps}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    # The dataset's releases (paradiplo/dataset/): the latest, and each by its date (citable).
    path("data/latest/", data_release, name="data-latest"),
    path("data/latest/<str:name>", data_file, name="data-latest-file"),
    path("data/releases/<str:release>/", data_release, name="data-release"),
    path("data/releases/<str:release>/<str:name>", data_file, name="data-release-file"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("search/suggest/", include(search_urls.suggest_patterns)),
    # Before the api/v1/ include, so that it wins over the resource routes.
    path("api/v1/search/", include(search_urls.api_patterns)),
    path("api/v1/", include(("paradiplo.api_urls", "api"), namespace="api")),
    # The W3C Reconciliation Service API (OpenRefine), beside the versioned API: search/reconcile.py.
    path("api/reconcile/", include(search_urls.reconcile_patterns)),
    # Built once per code version, language and format, then served from the cache.
    path("api/schema/", CachedSchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc adds one <style> element before it can be given the nonce: allowed by its hashes, here only.
    path(
        "api/redoc/",
        csp_update(settings.REDOC_CSP_UPDATE)(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
]

# Public pages live under a language prefix: /en/, /es/, /pt/, /fr/.
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("search/", include(search_urls.page_patterns)),
    path("networks/", include(network_urls.network_patterns)),
    path("summits/", include(network_urls.summit_patterns)),
    path("cities/", include(city_urls.city_patterns)),
    path("countries/", include(city_urls.country_patterns)),
    path("blocs/", include(city_urls.bloc_patterns)),
    path("twinnings/", include(city_urls.twinning_patterns)),
    path("graph/", include(network_urls.graph_patterns)),
    path("projects/", include(project_urls.project_patterns)),
    path("programmes/", include(project_urls.programme_patterns)),
    path("organizations/", include(project_urls.organization_patterns)),
    path("sdgs/", include(project_urls.sdg_patterns)),
    path("sources/", include(source_urls.source_patterns)),
    path("about/", AboutView.as_view(), name="about"),
)
