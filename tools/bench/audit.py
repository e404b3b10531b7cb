#!/usr/bin/env python3
"""Benchmark of `plaint audit`: the audit of the busiest brand of a 1,000,000-event
store, in each format, as whole processes.

    tools/bench/audit.py [--events 1000000] [--runs 5]

Generates --events events of all the generator's brands, appends them with every view
maintained inline, picks the brand with the most requests (`responsiveness --json`), then times
`audit BRAND` in markdown, html and json with the default integrity check (the hash chain
recomputed over the whole log, in the report's snapshot). Figures are medians of --runs; the
target is under 2 s. `--verify full` (plaint verify's checks as well) is timed once, for scale.
Not a test, not in CI.
"""
import argparse
import json
import pathlib
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from projections import PLAINT, build_and_make_workdir, generate, run  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    work = build_and_make_workdir()
    try:
        events = work / "events.ndjson"
        generate(events, arguments.events, "--seed", "5")
        store = str(work / "store")
        append_seconds, _ = run([PLAINT, "append", "--no-sync", "--store", store, str(events)])
        _, ranking = run([PLAINT, "responsiveness", "--json", "--store", store], stdout=subprocess.PIPE)
        busiest = max(json.loads(ranking)["brands"], key=lambda brand: brand["requests"])
        print(f"events                        {arguments.events:,} (appended with views in {append_seconds:.1f} s)")
        print(f"busiest brand                 {busiest['brand']}, {busiest['requests']:,} requests")
        for report_format in ["markdown", "html", "json"]:
            times = []
            for _ in range(arguments.runs):
                seconds, _ = run([PLAINT, "audit", busiest["brand"], "--format", report_format, "--store", store])
                times.append(seconds)
            _, text = run([PLAINT, "audit", busiest["brand"], "--format", report_format, "--store", store],
                          stdout=subprocess.PIPE)
            print(f"audit --format {report_format:<9}      {statistics.median(times) * 1000:.0f} ms median of "
                  f"{arguments.runs} ({len(text.encode()):,} bytes; target < 2 s)")
        seconds, _ = run([PLAINT, "audit", busiest["brand"], "--verify", "full", "--store", store])
        print(f"audit --verify full, once     {seconds:.1f} s (all of plaint verify's checks too)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
