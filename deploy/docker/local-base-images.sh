#!/usr/bin/env bash
# Base images for a Docker daemon that can reach no image registry, made from Debian's own package
# repository: a minimal Debian rootfs (debootstrap) imported as an image, then on it a Python image,
# a Node image, and one with PostgreSQL, Redis and nginx for compose.yaml. Build the shop's image from them with
#   docker build --build-arg PYTHON_IMAGE=ecomsearch-local/python:trixie \
#                --build-arg NODE_IMAGE=ecomsearch-local/node:trixie -t ecomsearch .
# Needs root, debootstrap (apt-get install debootstrap) and a running daemon. Images already
# present are kept; FORCE=1 remakes them. docs/deployment-docker.md.
#
# The images trust the CAs this machine added to its own store (CA_DIR): where a TLS-inspecting
# proxy stands between this machine and the package registries, npm and pip inside a build need
# its CA as much as they do here. No certificate is kept in the repository.
set -euo pipefail
cd "$(dirname "$0")"

SUITE=${SUITE:-trixie}  # trixie: Python 3.13 and Node 20.19, which Vite 8 needs (bookworm has 18)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
PREFIX=ecomsearch-local
CA_DIR=${CA_DIR:-/usr/local/share/ca-certificates}

have() { [ "${FORCE:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }

if ! have "$PREFIX/debian:$SUITE"; then
  command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
  rootfs=$(mktemp -d /tmp/ecomsearch-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >/dev/null
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' - "$PREFIX/debian:$SUITE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  echo "made $PREFIX/debian:$SUITE"
fi

context=$(mktemp -d /tmp/ecomsearch-base.XXXXXX)
trap 'rm -rf "$context"' EXIT
mkdir "$context/ca"
find "$CA_DIR" -maxdepth 1 -name '*.crt' -exec cp {} "$context/ca/" \; 2>/dev/null || true
cp local-base/*.Dockerfile "$context/"
# --network host: the build reaches Debian's repository the way this machine does.
for kind in python node services; do
  if ! have "$PREFIX/$kind:$SUITE"; then
    docker build --quiet --network host --build-arg "BASE=$PREFIX/debian:$SUITE" \
      -f "$context/$kind.Dockerfile" -t "$PREFIX/$kind:$SUITE" "$context" >/dev/null
    echo "made $PREFIX/$kind:$SUITE"
  fi
done
