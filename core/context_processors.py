"""Values every public template may use."""

from django.conf import settings

from .provenance import References


def site(request):
    return {
        # One per rendered page: {% cite %} numbers sources, {% references %} lists them.
        "references": References(),
        "MAP_TILE_URL": settings.PARADIPLO_MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.PARADIPLO_MAP_TILE_ATTRIBUTION,
    }
