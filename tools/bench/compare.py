#!/usr/bin/env python3
"""Two plaint binaries side by side on the same inputs: append, replay and the queries.

    tools/bench/compare.py --baseline PLAINT [--this PLAINT] [--events 1000000] [--runs 3]

Generates --events events once and writes them in two arrival orders: as generated (grouped by
case) and by `occurred_at` (a live feed). For each run, each binary in turn (alternated, so that
both meet the same machine) appends each order with `--no-sync` into a new store with its views,
then replays that store (rebuilding every view) and runs the queries on it: `events` (every
event, to /dev/null), `responsiveness --json`, `audit BRAND --format json`, `loyalty --brand
BRAND --json` and `journey CASE --json`. Prints the median of --runs for each and the ratio
this / baseline. --this defaults to this checkout's release build. Not a test, not in CI.
"""
import argparse
import json
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from projections import generate  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
SETTLE_SECONDS = 3


def timed(command):
    started = time.monotonic()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {result.returncode}: {result.stderr}")
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--this", default=str(ROOT / ".build" / "release" / "plaint"))
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    binaries = {"baseline": arguments.baseline, "this": arguments.this}
    work = pathlib.Path(tempfile.mkdtemp(prefix="plaint-compare-"))
    try:
        grouped = work / "grouped.ndjson"
        generate(grouped, arguments.events, "--seed", "5")
        lines = grouped.read_text().splitlines(keepends=True)
        live = work / "live.ndjson"
        live.write_text("".join(sorted(lines, key=lambda line: json.loads(line)["occurred_at"])))
        first = json.loads(lines[0])
        brand, case = first["brand"], first["case"]
        inputs = {"grouped by case": grouped, "by occurred_at": live}
        times = {}

        def record(label, name, seconds):
            times.setdefault(label, {}).setdefault(name, []).append(seconds)

        for run in range(arguments.runs):
            for name, binary in (binaries.items() if run % 2 == 0 else reversed(binaries.items())):
                for order, path in inputs.items():
                    store = str(work / f"store-{name}")
                    shutil.rmtree(store, ignore_errors=True)
                    time.sleep(SETTLE_SECONDS)
                    record(f"append --no-sync, {order}", name, timed([binary, "append", "--no-sync", "--store", store, str(path)]))
                record("replay (rebuild every view)", name, timed([binary, "replay", "--store", store]))
                queries = {
                    "events (all)": ["events"],
                    "responsiveness --json": ["responsiveness", "--json"],
                    "audit --format json": ["audit", brand, "--format", "json"],
                    "loyalty --brand --json": ["loyalty", "--brand", brand, "--json"],
                    "journey --json": ["journey", case, "--json"],
                }
                for label, query in queries.items():
                    record(label, name, timed([binary, *query, "--store", store]))
        print(f"{arguments.events:,} events, medians of {arguments.runs} runs (seconds)")
        print(f"{'':34} {'baseline':>9} {'this':>9} {'this/base':>9}")
        for label, by_name in times.items():
            base, this = statistics.median(by_name["baseline"]), statistics.median(by_name["this"])
            print(f"{label:34} {base:9.3f} {this:9.3f} {this / base:9.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
