"""Public pages of the networks app: networks (index, profile, member list) in
:mod:`.networks`, summits and thematic units in :mod:`.summits`."""

from .networks import NetworkDetailView, NetworkListView, NetworkMembersView
from .summits import SummitDetailView, SummitListView, ThematicUnitDetailView

__all__ = [
    "NetworkDetailView",
    "NetworkListView",
    "NetworkMembersView",
    "SummitDetailView",
    "SummitListView",
    "ThematicUnitDetailView",
]
