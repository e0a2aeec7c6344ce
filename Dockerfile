# Ecomsearch in one image: the web app built with Node, served by `ecomsearch serve` on a slim
# Python runtime, as a non-root user. The same image runs the API (`serve`, the default), the SAQ
# worker (`worker`) and the one-shot commands (`db upgrade`, `demo seed`). docs/deployment-docker.md.
#
# The base images are build arguments so a machine without a registry can build from images it
# made itself (deploy/docker/local-base-images.sh); the Python one must be 3.11 or newer with venv.
ARG NODE_IMAGE=node:22-bookworm-slim
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# --- the web app: npm ci from the lock file, then the production bundle in /web/dist
FROM ${NODE_IMAGE} AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# --- the Python environment: the project's dependencies (no dev extras) in /opt/venv
FROM ${PYTHON_IMAGE} AS python
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /opt/venv
WORKDIR /app
# Dependencies first, from pyproject.toml alone (an empty src/ and README), so editing the code or
# the docs reuses this layer.
COPY pyproject.toml ./
RUN mkdir src && touch README.md && /opt/venv/bin/pip install . && /opt/venv/bin/pip uninstall --yes ecomsearch
COPY README.md ./
COPY src/ src/
# Editable: the code finds alembic.ini, migrations/ and web/dist beside src/ (entrypoints/cli/db.py),
# so it runs from /app/src, at the same path in the runtime stage.
RUN /opt/venv/bin/pip install --no-deps --editable . && /opt/venv/bin/python -m compileall -q src

# --- the runtime: no compiler, no Node, no build files
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 ecomsearch \
    && useradd --system --uid 10001 --gid ecomsearch --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin ecomsearch
WORKDIR /app
COPY --from=python /opt/venv /opt/venv
COPY --from=python /app /app
COPY alembic.ini ./
COPY migrations/ migrations/
COPY deploy/docker/healthcheck.py /usr/local/lib/ecomsearch/healthcheck.py
COPY --from=web /web/dist web/dist/
# data/ holds what a SQLite setup writes (the database, models, the mail outbox); PostgreSQL setups
# keep models in the database and write only the outbox here.
RUN mkdir -p /app/data && chown ecomsearch:ecomsearch /app/data
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    WEB_DIST_DIR=/app/web/dist \
    ECOMSEARCH_HOST=0.0.0.0 \
    ECOMSEARCH_PORT=8000
USER ecomsearch
EXPOSE 8000
# `serve` refuses 0.0.0.0 with the development SECRET_KEY: run with SECRET_KEY set (or, for a
# throwaway demo only, ALLOW_INSECURE=1).
HEALTHCHECK --interval=10s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python3", "/usr/local/lib/ecomsearch/healthcheck.py"]
ENTRYPOINT ["ecomsearch"]
CMD ["serve"]
