"""Values every public template may use."""

from django.conf import settings

from . import licence
from .provenance import References


def site(request):
    return {
        # One per rendered page: {% cite %} numbers sources, {% references %} lists them.
        "references": References(),
        "MAP_TILE_URL": settings.PARADIPLO_MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.PARADIPLO_MAP_TILE_ATTRIBUTION,
        # The licence of the data, stated beside every download link (core.licence).
        "LICENCE_NAME": licence.NAME,
        "LICENCE_URL": licence.URL,
    }
