"""gunicorn settings for `make serve` and deploy/; every value can be overridden from the environment.

gunicorn's threaded workers must sit behind a buffering proxy (deploy/nginx.conf): they
read request headers with no time limit, so a handful of slow clients would hold every
request slot. Bind it to loopback or a unix socket only, never to a public address.
"""
import gc
import multiprocessing
import os

from canal import settings as canal_settings

# Read as `flask canal reload` reads them (canal/settings.py), so it finds this gunicorn.
bind = canal_settings.bind(os.environ)
# The usual (2 x cores) + 1: requests are cheap lookups, so workers mostly wait on sockets.
workers = int(os.environ.get("CANAL_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("CANAL_THREADS", 2))
# Load and validate events.toml once in the master: a broken file stops start-up with the
# editor's messages, and workers share the parsed catalog copy-on-write.
preload_app = True
accesslog = os.environ.get("CANAL_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
# Under gthread the master's `timeout` only notices a worker whose main loop stops, not a
# slow request; nginx's proxy_read_timeout bounds requests instead. Kept as a last resort.
timeout = 30
graceful_timeout = 20
# Workers recycle, so no slow leak lives for ever; the jitter keeps them from all
# restarting at the same moment.
max_requests = int(os.environ.get("CANAL_MAX_REQUESTS", 20000))
max_requests_jitter = int(os.environ.get("CANAL_MAX_REQUESTS_JITTER", 2000))
# No request header becomes SCRIPT_NAME or the scheme at this level: the app trusts
# X-Forwarded-* only from the proxies CANAL_TRUSTED_PROXIES counts (canal/views/proxy.py).
forwarder_headers = ""
forwarded_allow_ips = ""
secure_scheme_headers = {}
# The control socket would be shared by every gunicorn of this user (./gunicorn.ctl or
# $HOME): off, unless CANAL_CONTROL_SOCKET names one for this instance.
control_socket = os.environ.get("CANAL_CONTROL_SOCKET") or "gunicorn.ctl"
control_socket_disable = not os.environ.get("CANAL_CONTROL_SOCKET")
# `flask canal reload` finds the master here (USR2 then TERM, see canal/cli.py).
pidfile = canal_settings.pidfile(os.environ)


def when_ready(server):
    """Called in the master after the app is loaded and before any worker forks."""
    # Everything loaded so far (the catalog, its indexes) lives as long as the process.
    # Frozen, the collector in each worker neither walks it nor writes to the memory it
    # sits on, so workers keep sharing those pages with the master instead of copying them.
    gc.freeze()
