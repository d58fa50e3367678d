"""The admin index's data-quality worklists."""

from django import template

from paradiplo.admin_worklists import worklists as build

register = template.Library()


@register.simple_tag(takes_context=True)
def worklists(context):
    """The data-quality worklists for the admin index (see paradiplo/admin_worklists.py)."""
    request = context.get("request")
    return build(request) if request is not None and request.user.is_authenticated else []
