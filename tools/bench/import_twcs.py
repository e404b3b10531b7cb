#!/usr/bin/env python3
"""Benchmark of `plaint import twcs`: rows/s and peak RSS on a generated twcs-format
file of 1,000,000 rows, as whole processes.

    tools/bench/import_twcs.py [--rows 1000000] [--runs 3]

Generates the file with tools/generate_twcs.py, then, --runs times each and in alternating
order so drift on a shared machine hits all alike:
  - import twcs --no-sync into a fresh store (both passes, the conversion and the append);
  - import twcs --emit > /dev/null: the two passes alone;
  - append --no-sync of the emitted NDJSON into a fresh store: the append alone;
and once, a second import of the same file into the filled store (every event a duplicate).
Figures are medians; peak RSS is the largest of the runs (from wait4). Not a test, not in CI.
"""
import argparse
import pathlib
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from projections import PLAINT, ROOT, build_and_make_workdir, measure  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    work = build_and_make_workdir()
    try:
        csv = work / "twcs.csv"
        with open(csv, "w") as out:
            subprocess.run([sys.executable, str(ROOT / "tools" / "generate_twcs.py"), "--rows", str(arguments.rows),
                            "--seed", "3"], stdout=out, check=True)
        ndjson = work / "events.ndjson"
        with open(ndjson, "w") as out:
            subprocess.run([PLAINT, "import", "twcs", "--emit", str(csv)], stdout=out, stderr=subprocess.DEVNULL,
                           check=True)
        events = sum(1 for _ in open(ndjson, "rb"))
        store = work / "store"
        figures = {"import": [], "emit": [], "append": []}
        peaks = {name: [] for name in figures}
        commands = {
            "import": [PLAINT, "import", "twcs", "--no-sync", "--store", str(store), str(csv)],
            "emit": [PLAINT, "import", "twcs", "--emit", str(csv)],
            "append": [PLAINT, "append", "--no-sync", "--store", str(store), str(ndjson)],
        }
        for index in range(arguments.runs):
            order = list(figures) if index % 2 == 0 else list(reversed(figures))
            for name in order:
                shutil.rmtree(store, ignore_errors=True)
                seconds, peak, _ = measure(commands[name])
                figures[name].append(seconds)
                peaks[name].append(peak)
        shutil.rmtree(store, ignore_errors=True)
        measure(commands["import"])
        again, again_peak, _ = measure(commands["import"])
        size = csv.stat().st_size
        print(f"input                      {arguments.rows:,} rows, {size / 1e6:.0f} MB, {events:,} events")
        for name, label in (("import", "import twcs --no-sync"), ("emit", "import twcs --emit"),
                            ("append", "append --no-sync (NDJSON)")):
            seconds = statistics.median(figures[name])
            rate = f"{arguments.rows / seconds:>9,.0f} rows/s" if name != "append" else f"{events / seconds:>9,.0f} events/s"
            print(f"{label:<26} {seconds:6.1f} s  {rate}   peak RSS {max(peaks[name]):.0f} MB")
        print(f"{'re-import (all duplicates)':<26} {again:6.1f} s  {arguments.rows / again:>9,.0f} rows/s   "
              f"peak RSS {again_peak:.0f} MB")
        print(f"(medians of {arguments.runs} runs; re-import once)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
