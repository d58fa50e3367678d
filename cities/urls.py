"""Public pages of cities, countries and regional blocs (under a language prefix)."""

from django.urls import path

from .views import (
    BlocDetailView,
    BlocListView,
    CityDetailView,
    CityListView,
    CountryDetailView,
    CountryListView,
    TwinningListView,
)

city_patterns = [
    path("", CityListView.as_view(), name="city-list"),
    path("<slug:slug>/", CityDetailView.as_view(), name="city-detail"),
]

country_patterns = [
    path("", CountryListView.as_view(), name="country-list"),
    path("<str:code>/", CountryDetailView.as_view(), name="country-detail"),
]

bloc_patterns = [
    path("", BlocListView.as_view(), name="bloc-list"),
    path("<slug:slug>/", BlocDetailView.as_view(), name="bloc-detail"),
]

twinning_patterns = [
    path("", TwinningListView.as_view(), name="twinning-list"),
]
