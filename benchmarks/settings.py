"""Settings of the benchmarks: the production settings (so DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS are required, as in production; ``benchmarks/run.py`` sets them), with the
URLs of :mod:`benchmarks.urls`: the product's, plus the bare Django view that the profile
benchmark measures the site against. The product's own URLs never include that view."""

from paradiplo.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

# The benchmarks and the load tool send thousands of requests from one address: the download
# and suggestion rate limits (core/throttle_middleware.py) are off, as in the tests. The pages'
# limit stays on, at a rate no run reaches, so that a page's cost includes its count in Redis
# as in production (a cached page's hit counts in the round trip that reads it).
PARADIPLO_THROTTLE_RATES = {scope: None for scope in PARADIPLO_THROTTLE_RATES}  # noqa: F405
PARADIPLO_THROTTLE_RATES["page"] = "1000000000/minute"
