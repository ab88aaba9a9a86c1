"""gunicorn settings of one app instance (``gunicorn -c deploy/gunicorn.conf.py app:server``).

Before anything starts, the release file is checked: a missing, truncated or wrong-schema
file stops the instance with one line on stderr and exit status 3. Metrics of all workers are
served by the master on ``METRICS_PORT`` (Prometheus multiprocess mode), apart from the site.
"""

import os
import shutil
import sys
import tempfile

from dashboard.data_access import release_path
from dashboard.release_check import EXIT_UNUSABLE, problem

# Refuse to start on an unusable release: one line, no traceback (before gunicorn says anything).
_reason = problem(release_path())
if _reason is not None:
    print(f"error: {_reason}", file=sys.stderr, flush=True)
    os._exit(EXIT_UNUSABLE)

bind = os.environ.get("BIND", "0.0.0.0:8050")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("THREADS", "4"))
timeout = 60
# Above the app's own 4 KB limit, which answers a JSON 414 (gunicorn's would be HTML).
limit_request_line = 8190
graceful_timeout = 20
keepalive = 75  # longer than nginx's upstream keepalive
control_socket_disable = True  # several instances may share a machine and a home folder
accesslog = None  # the app writes its own JSON access log (dashboard.observability)
os.environ.setdefault("LOG_FORMAT", "json")
if os.environ["LOG_FORMAT"] == "json":  # gunicorn's own lines as JSON too
    logconfig_dict = {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"json": {"()": "dashboard.observability.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"handlers": ["stderr"], "level": "INFO",
                                       "propagate": False}},
    }
_own_metrics_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _own_metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="registre-metrics-")


def when_ready(server):
    port = os.environ.get("METRICS_PORT")
    if port:
        from prometheus_client import start_wsgi_server

        from dashboard.observability import metrics_registry

        start_wsgi_server(int(port), os.environ.get("METRICS_ADDR", "127.0.0.1"),
                          registry=metrics_registry())
        server.log.info("metrics on port %s", port)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
