"""Public pages of the networks app: networks (index, profile, member list, members' map
points) in :mod:`.networks`, summits and thematic units in :mod:`.summits`, the co-membership
graph in :mod:`.graph`."""

from .graph import GraphView
from .networks import NetworkDetailView, NetworkListView, NetworkMembersView, network_members_geojson
from .summits import SummitDetailView, SummitListView, ThematicUnitDetailView

__all__ = [
    "GraphView",
    "NetworkDetailView",
    "NetworkListView",
    "NetworkMembersView",
    "SummitDetailView",
    "SummitListView",
    "ThematicUnitDetailView",
    "network_members_geojson",
]
