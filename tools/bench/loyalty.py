#!/usr/bin/env python3
"""Benchmark of `plaint loyalty`: the brand summary over at least 100,000
relationships, and one relationship explained.

    tools/bench/loyalty.py [--events 800000] [--customers 140000] [--runs 5]

Generates one brand's history (cutrate: downgrades without consent) spread over --customers
customer ids, appends it with every view maintained inline, then times `loyalty --brand` and
`loyalty --customer C --brand B --explain` as whole processes. Figures are medians of --runs.
The cost of the views on append is measured by tools/bench/projections.py. Not a test, not in CI.
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
    parser.add_argument("--events", type=int, default=800_000)
    parser.add_argument("--customers", type=int, default=140_000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    work = build_and_make_workdir()
    try:
        events = work / "events.ndjson"
        generate(events, arguments.events, "--seed", "3", "--brands", "cutrate", "--customers", str(arguments.customers))
        store = str(work / "store")
        append_seconds, _ = run([PLAINT, "append", "--no-sync", "--store", store, str(events)])
        _, summary = run([PLAINT, "loyalty", "--brand", "cutrate", "--json", "--store", store], stdout=subprocess.PIPE)
        document = json.loads(summary)
        brand_times = []
        for _ in range(arguments.runs):
            seconds, _ = run([PLAINT, "loyalty", "--brand", "cutrate", "--json", "--store", store])
            brand_times.append(seconds)
        customer = document["largest_gaps"]["devotion_above_loyalty"][0]["customer"]
        explain_times = []
        for _ in range(arguments.runs):
            seconds, _ = run([PLAINT, "loyalty", "--customer", customer, "--brand", "cutrate", "--explain",
                              "--store", store])
            explain_times.append(seconds)
        print(f"events                                {arguments.events:,} (appended with views in {append_seconds:.1f} s)")
        print(f"relationships of the brand            {document['relationships']:,}")
        print(f"loyalty --brand, start to exit        {statistics.median(brand_times) * 1000:.0f} ms median of "
              f"{arguments.runs} (target < 1 s)")
        print(f"loyalty --customer --brand --explain  {statistics.median(explain_times) * 1000:.0f} ms median of "
              f"{arguments.runs}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
