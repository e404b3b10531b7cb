#!/usr/bin/env python3
"""Turn `plaint events` output into the baselines' inputs (done before any timing).

Writes events.tsv for lmdb_ceiling.c: id, case, customer, brand, type and the canonical JSON
plaint stored (the event without position, version, recorded_at and hash, keys sorted).
"""
import json
import sys

for line in sys.stdin:
    event = json.loads(line)
    for field in ("position", "version", "recorded_at", "hash"):
        event.pop(field)
    body = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    print("\t".join([event["id"], event.get("case", ""), event["customer"], event["brand"], event["type"], body]))
