from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from search import urls as search_urls

from .views import HomeView

admin.site.site_header = _("Paradiplo · staff editing")
admin.site.site_title = _("Paradiplo staff editing")
admin.site.index_title = _("Records and worklists")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("search/suggest/", include(search_urls.suggest_patterns)),
    # Before the api/v1/ include, so that it wins over the resource routes.
    path("api/v1/search/", include(search_urls.api_patterns)),
    path("api/v1/", include(("paradiplo.api.urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

# Public pages live under a language prefix: /en/, /es/, /pt/, /fr/.
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("search/", include(search_urls.page_patterns)),
)
