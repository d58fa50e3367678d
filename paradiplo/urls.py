from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from .views import HomeView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Public pages live under a language prefix: /en/, /es/, /pt/, /fr/.
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
)
