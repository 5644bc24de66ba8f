"""gunicorn settings for `make serve`; every value can be overridden from the environment."""
import gc
import multiprocessing
import os

bind = os.environ.get("CANAL_BIND", "127.0.0.1:8000")
# The usual (2 x cores) + 1: requests are cheap lookups, so workers mostly wait on sockets.
workers = int(os.environ.get("CANAL_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("CANAL_THREADS", 2))
# Load and validate events.toml once in the master: a broken file stops start-up with the
# editor's messages, and workers share the parsed catalog copy-on-write.
preload_app = True
accesslog = os.environ.get("CANAL_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
timeout = 30


def when_ready(server):
    """Called in the master after the app is loaded and before any worker forks."""
    # Everything loaded so far (the catalog, its indexes) lives as long as the process.
    # Frozen, the collector in each worker neither walks it nor writes to the memory it
    # sits on, so workers keep sharing those pages with the master instead of copying them.
    gc.freeze()
