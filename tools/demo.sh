#!/usr/bin/env bash
# Installs what is needed, builds plaint, and runs it on a small generated example:
# append events from a script, read one complaint's journey back, and check the log's integrity.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
echo "== building plaint (release) =="
swift build -c release 2>&1 | tail -1
plaint=.build/release/plaint
store=$(mktemp -d)/demo-store
trap 'rm -rf "$(dirname "$store")"' EXIT
echo "== generating 2,000 events and appending them =="
python3 tools/generate_events.py --events 2000 --seed 7 | "$plaint" append --store "$store"
echo "== appending the same events again: duplicates, nothing new =="
python3 tools/generate_events.py --events 2000 --seed 7 | "$plaint" append --store "$store"
case_id=$("$plaint" events --store "$store" --type case.reopened --limit 1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["case"])')
echo "== one complaint's events, in the order they were stored: $case_id =="
"$plaint" events --store "$store" --case "$case_id" | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    text = (e.get("data") or {}).get("text") or (e.get("data") or {}).get("kind") or ""
    print("  #%-5d v%d  %s  %-22s %s" % (e["position"], e["version"], e["occurred_at"], e["type"], text[:50]))'
echo "== store statistics =="
"$plaint" stats --store "$store"
echo "== integrity =="
"$plaint" verify --store "$store"
