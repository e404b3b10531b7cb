#!/usr/bin/env bash
# Builds the plaint users run: optimized, and one static executable (the Swift runtime,
# Foundation and LMDB linked in), so that a script calling plaint once per event pays no dynamic
# loading: about 5 ms to append one event, fsync included, instead of about 18. The binary is
# .build/release/plaint.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib -Xswiftc -static-executable "$@"
