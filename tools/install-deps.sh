#!/usr/bin/env bash
# Installs what plaint needs on a Debian machine with Swift: LMDB (liblmdb-dev, found through
# pkg-config) and, for the tests, python's jsonschema (4.18 or later; the schema conformance test)
# and rfc8785 (the README's recipe that recomputes the hash chain without plaint); and for the tests
# of PostgreSQL stores, Debian's postgresql, patroni and etcd-server (tools/pg-cluster.sh install).
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! pkg-config --exists lmdb 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq liblmdb-dev pkg-config >/dev/null
fi
if ! python3 -c 'import jsonschema, referencing' 2>/dev/null; then
    python3 -m pip install --quiet 'jsonschema>=4.18' 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages 'jsonschema>=4.18'
fi
if ! python3 -c 'import rfc8785' 2>/dev/null; then
    python3 -m pip install --quiet rfc8785 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages rfc8785
fi
bash "$(dirname "$0")/pg-cluster.sh" install
