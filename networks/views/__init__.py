"""Public pages of the networks app: networks (index, profile, member list, members' map
points) in :mod:`.networks`, summits and thematic units in :mod:`.summits`, the co-membership
graph in :mod:`.graph`."""

from .compare import NetworkCompareView
from .graph import GraphView
from .networks import (
    NetworkChangesView,
    NetworkDetailView,
    NetworkListView,
    NetworkMembersView,
    network_members_geojson,
)
from .summits import SummitDetailView, SummitListView, ThematicUnitDetailView

__all__ = [
    "GraphView",
    "NetworkChangesView",
    "NetworkCompareView",
    "NetworkDetailView",
    "NetworkListView",
    "NetworkMembersView",
    "SummitDetailView",
    "SummitListView",
    "ThematicUnitDetailView",
    "network_members_geojson",
]
