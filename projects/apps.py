from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import composition
from core.history import register_history


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Cooperation")

    def ready(self):
        # The selectors import the models, which exist only now (as Django's documentation
        # imports signal handlers in ready()).
        from . import selectors

        register_history(self)
        # The projects of cities, networks and thematic units, shown on their pages.
        composition.contribute(
            context={
                "cities.city_profile": selectors.city_profile_context,
                "networks.network_profile": selectors.network_profile_context,
                "networks.unit_profile": selectors.unit_profile_context,
            }
        )
