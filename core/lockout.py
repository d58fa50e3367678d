"""The page of a locked-out sign-in (django-axes' ``AXES_LOCKOUT_CALLABLE``): 429 with
``Retry-After``, in the admin's look and the reader's language, saying how many failures caused
it and how long it lasts (settings ``PARADIPLO_LOGIN_FAILURE_LIMIT``,
``PARADIPLO_LOGIN_COOLOFF_MINUTES``)."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    seconds = math.ceil(cool_off.total_seconds()) if cool_off else None
    context = {
        **admin.site.each_context(request),
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": math.ceil(seconds / 60) if seconds else None,
    }
    response = render(request, "admin/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    if seconds:
        response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response
