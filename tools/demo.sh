#!/usr/bin/env bash
# Installs what is needed, builds plaint, and runs it on a small generated example whose brands
# behave differently (swiftnet answers within minutes, dmfirst redirects nearly everything to
# DM, silentco ignores most complaints, cutrate downgrades customers without consent): append the
# events, rank the brands, replay a journey, explain a customer's loyalty, and check the log's
# integrity.
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
echo "== vendor responsiveness, ranked by response rate within 72 h =="
"$plaint" responsiveness --store "$store"
redirected=$("$plaint" events --store "$store" --brand dmfirst --type brand.replied | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    if e["data"]["kind"] == "redirect":
        print(e["case"]); break')
echo "== a dmfirst complaint, in event time, with the state after each event: $redirected =="
"$plaint" journey --store "$store" "$redirected" --steps
downgrade=$("$plaint" events --store "$store" --type vendor.changed_service | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    if e["data"]["change"] in ("downgrade", "price_increase", "policy") and not e["data"]["consented"]:
        print(e["customer"], e["brand"]); break')
if [ -n "$downgrade" ]; then
    read -r downgraded vendor <<< "$downgrade"
    echo "== a customer whose service $vendor changed without consent: their cases across brands =="
    "$plaint" journey --store "$store" --customer "$downgraded"
    echo "== that customer's loyalty to $vendor and $vendor's devotion to them, explained =="
    "$plaint" loyalty --store "$store" --customer "$downgraded" --brand "$vendor" --explain
fi
echo "== loyalty across silentco's customers: deciles, customers below 30, the largest gaps =="
"$plaint" loyalty --store "$store" --brand silentco
echo "== replay: rebuild every view from the log and compare =="
"$plaint" replay --store "$store" | head -2
echo "== store statistics =="
"$plaint" stats --store "$store"
echo "== integrity =="
"$plaint" verify --store "$store"
