"""Public pages of cities, countries and regional blocs (under a language prefix)."""

from django.urls import path

from paradiplo.views import PendingPage

city_patterns = [
    path("", PendingPage.as_view(), name="city-list"),
    path("<slug:slug>/", PendingPage.as_view(), name="city-detail"),
]

country_patterns = [
    path("", PendingPage.as_view(), name="country-list"),
    path("<str:code>/", PendingPage.as_view(), name="country-detail"),
]

bloc_patterns = [
    path("", PendingPage.as_view(), name="bloc-list"),
    path("<slug:slug>/", PendingPage.as_view(), name="bloc-detail"),
]
