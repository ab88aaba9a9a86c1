# Public dashboard and API. The release file is built on the secure side and mounted read-only:
#   docker build -t registre-cancers .
#   docker run -p 8050:8050 -v "$PWD/data/indicators.duckdb:/srv/data/indicators.duckdb:ro" registre-cancers
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    RELEASE_PATH=/srv/data/indicators.duckdb CACHE_DIR=/tmp/registre-cache
WORKDIR /srv
RUN useradd --create-home --uid 10001 app
COPY pyproject.toml README.md ./
COPY dashboard ./dashboard
COPY app.py ./
COPY assets ./assets
COPY deploy ./deploy
# Editable install: the app finds its assets beside the package, as in development.
RUN pip install --no-cache-dir -e . && mkdir -p /srv/data && chown app /srv/data
USER app
EXPOSE 8050
# Checks the release before starting (one line and exit 3 if unusable); JSON logs; metrics on
# $METRICS_PORT when set. docker-compose.yml runs two of these behind nginx.
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "app:server"]
