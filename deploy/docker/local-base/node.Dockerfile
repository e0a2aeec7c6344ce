# Stands in for node:22-slim where no registry is reachable: Debian's Node.js and npm.
# ca/ holds the building machine's extra CAs (local-base-images.sh), trusted by apt, pip and npm.
ARG BASE
FROM ${BASE}
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       nodejs npm ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# pip reads certifi's bundle and Node its own unless told: both read the system store instead.
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
