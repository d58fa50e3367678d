"""Rate limits of the API (``DEFAULT_THROTTLE_CLASSES``). Clients are counted by the address
:func:`core.clientip.client_ip` gives: ``X-Forwarded-For`` is read only from a trusted proxy
(``DJANGO_TRUSTED_PROXIES``), so a made-up header never changes a client's bucket."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from core.clientip import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request)


class AnonymousRateThrottle(ClientAddressMixin, AnonRateThrottle):
    """The anonymous rate, by client address."""


class SignedInRateThrottle(ClientAddressMixin, UserRateThrottle):
    """The user rate, for signed-in users (by account) only.

    DRF's ``UserRateThrottle`` also counts anonymous requests, by address, beside
    ``AnonRateThrottle``: two more cache round trips (a read and a write, to Redis in production)
    per anonymous request, for a limit that never decides while the anonymous rate is the lower
    one (120 against 600 a minute by default). Here an anonymous request is left to the
    anonymous rate alone."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # SimpleRateThrottle allows a request without a key, touching no cache
        return super().get_cache_key(request, view)
