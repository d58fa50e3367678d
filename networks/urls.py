"""Public pages of networks, their thematic units and summits (under a language prefix)."""

from django.urls import path

from .views import (
    GraphView,
    NetworkChangesView,
    NetworkCompareView,
    NetworkDetailView,
    NetworkListView,
    NetworkMembersView,
    SummitDetailView,
    SummitListView,
    ThematicUnitDetailView,
    network_members_geojson,
)

network_patterns = [
    path("", NetworkListView.as_view(), name="network-list"),
    # Before the profile's route, which would take "compare" for a network's key.
    path("compare/", NetworkCompareView.as_view(), name="network-compare"),
    path("<slug:slug>/", NetworkDetailView.as_view(), name="network-detail"),
    path("<slug:slug>/members/", NetworkMembersView.as_view(), name="network-members"),
    # What changed between two dates (?from=2000&to=2010).
    path("<slug:slug>/changes/", NetworkChangesView.as_view(), name="network-changes"),
    # The profile map's points, fetched by static/js/map.js (GeoJSON, cached per content version).
    path("<slug:slug>/members.geojson", network_members_geojson, name="network-members-geojson"),
    path("<slug:network>/units/<slug:slug>/", ThematicUnitDetailView.as_view(), name="thematic-unit-detail"),
    path("<slug:network>/summits/<slug:slug>/", SummitDetailView.as_view(), name="summit-detail"),
]

summit_patterns = [
    path("", SummitListView.as_view(), name="summit-list"),
]

graph_patterns = [
    path("", GraphView.as_view(), name="graph"),
]
