"""The admin index's links to each model's trash (:class:`core.admin.HistoryAdminMixin`)."""

from django import template
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def trash_url(model_entry: dict) -> str:
    """The trash of a model of the admin index's ``app_list`` (``""`` when it has none)."""
    model = model_entry.get("model")
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not hasattr(model_admin, "trash_view"):
        return ""
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_trash")
    except NoReverseMatch:
        return ""
