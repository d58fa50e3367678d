"""Settings of the benchmarks: the production settings (so DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS are required, as in production; ``benchmarks/run.py`` sets them), with the
URLs of :mod:`benchmarks.urls`: the product's, plus the bare Django view that the profile
benchmark measures the site against. The product's own URLs never include that view."""

from paradiplo.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

# The benchmarks and the load tool send thousands of requests from one address: the page,
# download and suggestion rate limits (core/throttle_middleware.py) are off, as in the tests.
PARADIPLO_THROTTLE_RATES = {scope: None for scope in PARADIPLO_THROTTLE_RATES}  # noqa: F405
