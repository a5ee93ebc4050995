# The briefing bot: `docker compose up` (see compose.yaml) or
#   docker build -t briefing-bot . && docker run --env-file .env -v briefing-data:/var/lib/briefing-bot briefing-bot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Exact versions with hashes, before the code: this layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY cogs ./cogs
RUN pip install --no-deps . && rm -rf bot cogs build *.egg-info

COPY data ./data
COPY deploy/entrypoint.sh /usr/local/bin/briefing-entrypoint

RUN useradd --system --uid 10001 --home-dir /var/lib/briefing-bot --create-home briefing \
    && chmod 0755 /usr/local/bin/briefing-entrypoint
USER briefing
WORKDIR /var/lib/briefing-bot
VOLUME ["/var/lib/briefing-bot"]

# SQLite in the volume unless DATABASE_URL says otherwise (compose.yaml uses PostgreSQL).
ENV DATA_DIR=/app/data \
    DATABASE_URL=sqlite+aiosqlite:////var/lib/briefing-bot/briefing.sqlite3 \
    HEALTH_PORT=8080 \
    HEALTH_HOST=0.0.0.0
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status != 200)"]

ENTRYPOINT ["briefing-entrypoint"]
