#!/usr/bin/env python3
"""Benchmark of the figure queries with their intervals: `responsiveness` over every brand and
`audit` of the busiest brand, on a 1,000,000-event store, against a baseline plaint in the same
run.

    tools/bench/figures.py --baseline PLAINT [--events 1000000] [--runs 5]

Builds this checkout's static plaint, generates --events events once, appends them with views
to one store per binary (each binary writes the views of its own layout), then times
`responsiveness --json`, `audit BUSIEST --format json` and `audit BUSIEST` (Markdown) as whole
processes, the two binaries alternated run by run so that both meet the same machine. Prints
medians of --runs and this plaint's time as a ratio of the baseline's. Targets: responsiveness
under 0.5 s, audit under 2 s. Not a test, not in CI.

A baseline binary of another commit: `git worktree add /tmp/base COMMIT && swift build -c release
--package-path /tmp/base` (the worktree's `.build/release/plaint`).
"""
import argparse
import json
import shutil
import statistics
import subprocess
import sys
import pathlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from projections import PLAINT, build_and_make_workdir, generate, run  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True, help="the plaint binary to compare with")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    work = build_and_make_workdir()
    binaries = {"baseline": arguments.baseline, "this": PLAINT}
    try:
        events = work / "events.ndjson"
        generate(events, arguments.events, "--seed", "5")
        stores = {}
        for name, binary in binaries.items():
            stores[name] = str(work / f"store-{name}")
            seconds, _ = run([binary, "append", "--no-sync", "--store", stores[name], str(events)])
            print(f"append with views ({name:<8})  {seconds:.1f} s")
        _, ranking = run([PLAINT, "responsiveness", "--json", "--store", stores["this"]], stdout=subprocess.PIPE)
        busiest = max(json.loads(ranking)["brands"], key=lambda brand: brand["requests"])
        print(f"events {arguments.events:,}; busiest brand {busiest['brand']}, {busiest['requests']:,} requests")
        queries = {
            "responsiveness --json": ["responsiveness", "--json"],
            "audit --format json": ["audit", busiest["brand"], "--format", "json"],
            "audit (markdown)": ["audit", busiest["brand"]],
        }
        for label, query in queries.items():
            times = {name: [] for name in binaries}
            for _ in range(arguments.runs):
                for name, binary in binaries.items():
                    seconds, _ = run([binary, *query, "--store", stores[name]])
                    times[name].append(seconds)
            medians = {name: statistics.median(values) for name, values in times.items()}
            print(f"{label:<24} this {medians['this'] * 1000:6.0f} ms, baseline {medians['baseline'] * 1000:6.0f} ms, "
                  f"ratio {medians['this'] / medians['baseline']:.2f} (medians of {arguments.runs}, alternated; "
                  f"this: {', '.join(f'{value * 1000:.0f}' for value in times['this'])} ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
