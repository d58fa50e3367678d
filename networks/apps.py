from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import composition
from core.history import register_history


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks")

    def ready(self):
        # The selectors import the models, which exist only now (as Django's documentation
        # imports signal handlers in ready()).
        from . import selectors

        register_history(self)
        # What networks record about cities and countries, shown on the cities app's pages.
        composition.contribute(
            rows={
                "cities.city_rows": selectors.with_current_networks,
                "cities.country_rows": selectors.with_member_city_count,
            },
            context={
                "cities.city_profile": selectors.city_profile_context,
                "cities.country_profile": selectors.country_profile_context,
            },
        )
