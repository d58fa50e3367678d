"""The app configuration of every domain app (sources, cities, networks, projects)."""

from django.apps import AppConfig
from django.utils.module_loading import import_string

from .composition import contribute


class DomainAppConfig(AppConfig):
    """A domain app: every model keeps an audit history (django-simple-history), and the app may
    show what it records on other apps' pages (:mod:`core.composition`).

    ``contributions`` maps ``"context"`` and ``"rows"`` to ``{page name: dotted path of a
    function}``; the functions are imported when the app is ready (they read models)."""

    contributions: dict[str, dict[str, str]] = {}

    def ready(self):
        # Imported here: core.history defines a model (the historical rows' citation
        # snapshot), which needs the app registry that this module is part of building.
        from .history import register_history

        register_history(self)
        contribute(
            **{
                kind: {page: import_string(path) for page, path in functions.items()}
                for kind, functions in self.contributions.items()
            }
        )
