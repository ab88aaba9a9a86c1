# Public dashboard and API. The release is built on the secure side and published read-only
# (python -m dashboard.publish FILE --dir releases: the file, its bulk files, current.duckdb):
#   docker build -t registre-cancers .
#   docker run -p 8050:8050 -v "$PWD/releases:/srv/releases:ro" registre-cancers
# Settings from the environment: WEB_CONCURRENCY (workers, default 2), THREADS (per worker,
# default 4), RELEASE_PATH, REDIS_URL, ... (docs/deployment.md).

# --- build: dependencies first (a layer that changes only with pyproject.toml), then the wheel
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
# Only the dependencies (read from pyproject.toml), before any code is copied.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && /opt/venv/bin/pip install -r requirements.txt
COPY dashboard ./dashboard
# plotly.js's partial bundle, from the npm registry, checked against its pinned digest
RUN PYTHONPATH=. /opt/venv/bin/python -m dashboard.web.vendor
# A regular (non-editable) install: package data (assets, boundaries, reference tables) inside.
RUN /opt/venv/bin/pip install --no-deps . && rm -rf /src/dashboard

# --- runtime: the virtualenv and the gunicorn settings, no source tree, non-root
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    RELEASE_PATH=/srv/releases/current.duckdb CACHE_DIR=/tmp/registre-cache \
    WEB_CONCURRENCY=2 THREADS=4 BIND=0.0.0.0:8050
RUN useradd --create-home --uid 10001 app
COPY --from=build /opt/venv /opt/venv
COPY deploy/gunicorn.conf.py /etc/registre/gunicorn.conf.py
WORKDIR /home/app
USER app
EXPOSE 8050
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8050/healthz', timeout=2)"
# Checks the release before starting (one line and exit 3 if unusable); JSON logs; metrics on
# $METRICS_PORT when set. docker-compose.yml runs two of these behind nginx.
CMD ["gunicorn", "-c", "/etc/registre/gunicorn.conf.py", "dashboard.web.wsgi:server"]
