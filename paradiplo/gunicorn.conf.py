"""gunicorn's configuration for ``make serve`` (``gunicorn -c paradiplo/gunicorn.conf.py``).

Every value comes from the environment (see docs/deployment.md):

HOST, PORT                  where to listen (127.0.0.1:8000)
WEB_CONCURRENCY             worker processes (2 x CPUs available + 1)
GUNICORN_THREADS            threads per worker (1: gunicorn's sync workers)
GUNICORN_TIMEOUT            seconds a request may take before its worker is killed (120)
GUNICORN_GRACEFUL_TIMEOUT   seconds workers get to finish their requests on restart/stop (30)
GUNICORN_KEEPALIVE          seconds a keep-alive connection waits (5; threaded workers only)
GUNICORN_MAX_REQUESTS       requests after which a worker is replaced (1000; 0 = never)
GUNICORN_MAX_REQUESTS_JITTER  random extra requests, so workers are not replaced together (100)
GUNICORN_PIDFILE            write the master's process id there (for ``kill -HUP``)
GUNICORN_LOG_LEVEL          gunicorn's own log level (info)

Graceful restart: ``kill -HUP <master pid>`` starts new workers with the new code and
configuration, then stops the old ones after they finish their requests. ``kill -TERM`` stops
gracefully (within GUNICORN_GRACEFUL_TIMEOUT).
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpus() -> int:
    # The CPUs this process may run on (a container's share), not the machine's count.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Not on Linux.
        return os.cpu_count() or 1


wsgi_app = "paradiplo.wsgi:application"
# An address with a colon (IPv6) needs brackets in gunicorn's bind syntax.
_host = os.environ.get("HOST", "").strip() or "127.0.0.1"
bind = [f"[{_host}]:{_int('PORT', 8000)}" if ":" in _host else f"{_host}:{_int('PORT', 8000)}"]

workers = _int("WEB_CONCURRENCY", 2 * _cpus() + 1)
threads = _int("GUNICORN_THREADS", 1)

# The longest legitimate request is a large export (100,000 CSV rows): it must finish well
# inside this. A worker stuck past it is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Replacing workers now and then bounds the memory a long-lived process may gather.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Access log and errors on standard output/error, for the process supervisor to collect. The
# access line ends with the worker's process id and the time taken in milliseconds.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(p)s %(M)sms'

pidfile = os.environ.get("GUNICORN_PIDFILE") or None
proc_name = "paradiplo"

# Worker heartbeats in memory rather than on a disk that may be slow (containers).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicorn's control socket (``gunicornc``) defaults to one path per user, which two servers on
# one machine would share: off unless GUNICORN_CONTROL_SOCKET names a path for this one.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or None
control_socket_disable = control_socket is None
