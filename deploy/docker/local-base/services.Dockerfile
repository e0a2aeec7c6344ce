# Stands in for the postgres, redis and nginx images where no registry is reachable: Debian's
# packages in one image, run by compose.yaml's own commands (POSTGRES_IMAGE, REDIS_IMAGE and
# NGINX_IMAGE all name it; docs/deployment-docker.md).
ARG BASE
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       postgresql redis-server nginx-light \
    && rm -rf /var/lib/apt/lists/* \
    && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data
