"""Audit history (django-simple-history) for every model of Paradiplo's apps.

Registered from each app's ``ready()``, which runs after django-modeltranslation has added the
translated columns, so the history tables record every language."""

from simple_history import register
from simple_history.models import HistoricalChanges


def register_history(app_config, exclude: tuple[str, ...] = ()) -> None:
    for model in list(app_config.get_models()):
        if issubclass(model, HistoricalChanges) or model.__name__ in exclude:
            continue
        if hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        register(model, app=app_config.label)
