from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks")

    def ready(self):
        from core import composition
        from core.history import register_history

        from . import selectors

        register_history(self)
        # What networks record about cities and countries, shown on the cities app's pages.
        composition.contribute_rows("cities.city_rows", selectors.with_current_networks)
        composition.contribute_rows("cities.country_rows", selectors.with_member_city_count)
        composition.contribute_context("cities.city_profile", selectors.city_profile_context)
        composition.contribute_context("cities.country_profile", selectors.country_profile_context)
