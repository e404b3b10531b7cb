#!/usr/bin/env bash
# Installs what is needed, builds plaint, and shows its point on a generated scenario whose five
# brands behave as tools/generate_scenario.py defines them: quickfix answers within minutes,
# dmonly redirects nearly everything to DM, slowbutsure answers everything but slowly, cutrate
# downgrades customers without consent, ghostline ignores most complaints. It appends the
# events, ranks the brands, replays one complaint's journey, explains a downgraded customer's
# loyalty, imports a small twcs (Twitter customer support) file, and checks the log's integrity.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
echo "== building plaint (release) =="
bash tools/build-release.sh 2>&1 | tail -1
plaint=.build/release/plaint
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store=$work/store
scenario=$work/scenario.ndjson
python3 tools/generate_scenario.py --cases 1500 --seed 7 > "$scenario"
echo "== appending a generated scenario: 1,500 complaints to five brands over four months =="
"$plaint" append --store "$store" "$scenario"
echo
echo "== vendor responsiveness, ranked by response rate within 72 h =="
"$plaint" responsiveness --store "$store"
echo
redirected=$("$plaint" events --store "$store" --brand dmonly --type case.resolved --limit 1 \
    | python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["case"])')
echo "== one dmonly complaint, in event time, with the state after each event =="
"$plaint" journey --store "$store" "$redirected" --steps
echo
downgraded=$("$plaint" events --store "$store" --brand cutrate --type vendor.changed_service --limit 1 \
    | python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["customer"])')
echo "== $downgraded, downgraded by cutrate without consent: loyalty and devotion, explained =="
"$plaint" loyalty --store "$store" --customer "$downgraded" --brand cutrate --explain
echo
echo "== importing real-format data: a small twcs CSV (the public Twitter customer-support dataset's format) =="
"$plaint" import twcs --store "$store" Tests/EndToEndTests/Fixtures/twcs/threads.csv
echo
echo "== integrity: the whole hash chain and every index =="
"$plaint" verify --store "$store"
echo
echo "More: '$plaint audit quickfix --store DIR', '$plaint --help', and README.md."
