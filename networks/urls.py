"""Public pages of networks, their thematic units and summits (under a language prefix)."""

from django.urls import path

from paradiplo.views import PendingPage

network_patterns = [
    path("", PendingPage.as_view(), name="network-list"),
    path("<slug:slug>/", PendingPage.as_view(), name="network-detail"),
    path("<slug:slug>/members/", PendingPage.as_view(), name="network-members"),
    path("<slug:network>/units/<slug:slug>/", PendingPage.as_view(), name="thematic-unit-detail"),
    path("<slug:network>/summits/<slug:slug>/", PendingPage.as_view(), name="summit-detail"),
]

summit_patterns = [
    path("", PendingPage.as_view(), name="summit-list"),
]
