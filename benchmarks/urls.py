"""The product's URLs plus ``/bench/bare/``: a bare Django JSON view, the floor of the profile
benchmark (:mod:`benchmarks.bench_profile`). It goes through the same middleware and server as
every page, and does nothing else: no template, no database, no cache."""

from django.http import JsonResponse
from django.urls import path

from paradiplo.urls import urlpatterns as product_urlpatterns

BARE_PATH = "/bench/bare/"


def bare(request):
    return JsonResponse({"bare": True})


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare, name="bench-bare"), *product_urlpatterns]
