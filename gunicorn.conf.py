"""gunicorn for the web process: `gunicorn -c gunicorn.conf.py pbc.wsgi`.

Used by docker-compose.yml, the README and `make bench`.

The application and every URL pattern load once in the master before the workers fork
(docs/decisions/0321-gunicorn-config.md): a worker is ready at once, a worker that gunicorn
replaces after a timeout does not pay Django's start-up again, and the pages share the loaded
code in memory. Nothing here opens a database or Redis connection, so none is shared across
the fork.
"""

import multiprocessing
import os

bind = os.environ.get("PBC_BIND", "0.0.0.0:8000")
# Sync workers: the pages are CPU-bound Python with short database waits. gunicorn's own rule
# of thumb, (2 x cores) + 1, unless WEB_CONCURRENCY says otherwise.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
preload_app = True
# Well above a fresh process's start-up (a few seconds) and any page's worst time under load,
# so a busy worker is never killed mid-request; a hung one still is.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 90))
graceful_timeout = 30
keepalive = 5
# Requests logged to stdout; an empty GUNICORN_ACCESS_LOG turns the log off (make bench).
# Workers are managed by signals (compose, systemd); no control socket in the home folder that
# two servers on one host would share.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None


def when_ready(server):
    """Load the URLconf (and so every view module) in the master, before the workers fork."""
    if not server.cfg.preload_app:
        return
    from django.urls import get_resolver

    def walk(patterns):
        for pattern in patterns:
            walk(getattr(pattern, "url_patterns", []))

    walk(get_resolver().url_patterns)
