"""Public browse pages (placeholders until built)."""

from paradiplo.views import PendingPage

CityListView = PendingPage
CityDetailView = PendingPage
CountryListView = PendingPage
CountryDetailView = PendingPage
BlocListView = PendingPage
BlocDetailView = PendingPage
