#!/usr/bin/env python3
"""plaint's append and read benchmark, with two baselines measured in the same run.

    tools/bench/run.py [--events 1000000] [--runs 3] [--cases 10000]

Appends generated events with --no-sync and with sync, reads them all back, reads random cases
with --case, and reports medians of --runs runs, peak RSS and bytes on disk per event. Baselines,
on the same input: (1) lmdb_ceiling.c, the same LMDB writes with no parsing, validation or
hashing; (2) python's sqlite3 inserting the same lines with executemany in one transaction into
a table with an index on the case id. Not a test and not run in CI: machines here are shared and
noisy, so compare ratios measured together rather than absolute figures across runs.
"""
import argparse
import json
import os
import pathlib
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from projections import measure  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = ROOT / "tools" / "bench"
PLAINT = str(ROOT / ".build" / "release" / "plaint")


# Every write below starts the same way: what earlier writes left is deleted, then the machine
# settles for a few seconds. On these VMs memory freed and reused within a second or two is several
# times cheaper to touch than memory the host has meanwhile taken back (free page reporting), so a
# command run right after deleting a store of its own size runs on warm memory; an order that gave
# that to one side alone (its previous store deleted just before it ran) would favour it.
SETTLE_SECONDS = 5


def settle(*paths):
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    time.sleep(SETTLE_SECONDS)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", type=int, default=10_000)
    arguments = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, capture_output=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="plaint-bench-", dir=os.environ.get("BENCH_DIR", "/tmp")))
    try:
        events = work / "events.ndjson"
        with open(events, "w") as out:
            subprocess.run([sys.executable, str(ROOT / "tools" / "generate_events.py"), "--events", str(arguments.events),
                            "--seed", "99"], stdout=out, check=True)
        ceiling = work / "lmdb_ceiling"
        subprocess.run(["cc", "-O2", "-o", str(ceiling), str(HERE / "lmdb_ceiling.c"), "-llmdb"], check=True)
        prep = work / "prep"
        subprocess.run([PLAINT, "append", "--no-sync", "--store", str(prep), str(events)], check=True, capture_output=True)
        with open(work / "events.tsv", "w") as out:
            reader = subprocess.Popen([PLAINT, "events", "--store", str(prep)], stdout=subprocess.PIPE)
            subprocess.run([sys.executable, str(HERE / "prepare_inputs.py")], stdin=reader.stdout, stdout=out, check=True)
            reader.wait()
        shutil.rmtree(prep)

        figures = {name: [] for name in ("nosync", "alone", "sync", "ceiling", "sqlite", "read")}
        rss = {name: [] for name in ("nosync", "alone", "sync", "read")}
        # The ceiling writes the log and its indexes only; plaint's append also maintains the
        # projections' views in the same transactions. PLAINT_MAINTAIN_VIEWS=0 measures the
        # log alone, the like-for-like comparison.
        log_alone = dict(os.environ, PLAINT_MAINTAIN_VIEWS="0")
        store = work / "store"
        for run in range(arguments.runs):
            settle(store, work / "sync-store")
            seconds, peak, _ = measure([PLAINT, "append", "--no-sync", "--store", str(store), str(events)])
            figures["nosync"].append(arguments.events / seconds)
            rss["nosync"].append(peak)

            settle(work / "alone-store")
            seconds, peak, _ = measure([PLAINT, "append", "--no-sync", "--store", str(work / "alone-store"), str(events)],
                                     env=log_alone)
            figures["alone"].append(arguments.events / seconds)
            rss["alone"].append(peak)

            settle(work / "alone-store", work / "ceiling-store")
            _, _, output = measure([str(ceiling), str(work / "events.tsv"), str(work / "ceiling-store")], stdout=subprocess.PIPE)
            count, seconds = output.split()
            figures["ceiling"].append(int(count) / float(seconds))

            settle(work / "ceiling-store", work / "sqlite.db")
            _, _, output = measure([sys.executable, str(HERE / "sqlite_baseline.py"), str(events), str(work / "sqlite.db")], stdout=subprocess.PIPE)
            count, seconds = output.split()
            figures["sqlite"].append(int(count) / float(seconds))

            seconds, peak, _ = measure([PLAINT, "events", "--store", str(store)])
            figures["read"].append(arguments.events / seconds)
            rss["read"].append(peak)

            settle(work / "sqlite.db")
            seconds, peak, _ = measure([PLAINT, "append", "--store", str(work / "sync-store"), str(events)])
            figures["sync"].append(arguments.events / seconds)
            rss["sync"].append(peak)
            print(f"run {run + 1}: " + ", ".join(f"{name} {values[-1]:,.0f}/s" for name, values in figures.items()), flush=True)

        store = str(work / "store")
        stats = json.loads(subprocess.run([PLAINT, "stats", "--json", "--store", store], capture_output=True, text=True).stdout)
        with open(work / "events.tsv") as tsv:
            cases = sorted({line.split("\t")[1] for line in tsv if line.split("\t")[1]})
        sample = random.Random(5).sample(cases, min(arguments.cases, len(cases)))
        per_case = []
        started = time.monotonic()
        for case in sample:
            begun = time.monotonic()
            subprocess.run([PLAINT, "events", "--store", store, "--case", case], stdout=subprocess.DEVNULL, check=True)
            per_case.append(time.monotonic() - begun)
        case_seconds = time.monotonic() - started

        median = {name: statistics.median(values) for name, values in figures.items()}
        print()
        print(f"plaint benchmark: {arguments.events:,} generated events "
              f"({events.stat().st_size / arguments.events:.0f} bytes each), median of {arguments.runs} runs")
        print(f"  append --no-sync      {median['nosync']:>12,.0f} events/s   peak RSS {max(rss['nosync']):.0f} MB")
        print(f"  append --no-sync, log alone {median['alone']:>8,.0f} events/s   peak RSS {max(rss['alone']):.0f} MB"
              "   (PLAINT_MAINTAIN_VIEWS=0: no views, as the ceiling)")
        print(f"  append (fsync)        {median['sync']:>12,.0f} events/s   peak RSS {max(rss['sync']):.0f} MB")
        print(f"  LMDB storage ceiling  {median['ceiling']:>12,.0f} events/s   (lmdb_ceiling.c: same writes, no parsing)")
        print(f"  SQLite baseline       {median['sqlite']:>12,.0f} events/s   (python sqlite3, executemany, index on case)")
        print(f"  --no-sync / ceiling   {median['nosync'] / median['ceiling']:>12.2f}        target >= 0.50"
              f"   (log alone: {median['alone'] / median['ceiling']:.2f})")
        print(f"  --no-sync / SQLite    {median['nosync'] / median['sqlite']:>12.2f}        target >= 1.50"
              f"   (log alone: {median['alone'] / median['sqlite']:.2f})")
        print(f"  read all (events)     {median['read']:>12,.0f} events/s   target >= 1,000,000; peak RSS {max(rss['read']):.0f} MB")
        print(f"  --case, {len(sample):,} random cases: {len(sample) / case_seconds:,.0f} cases/s, "
              f"median {statistics.median(per_case) * 1000:.1f} ms per process (start to exit)")
        print(f"  on disk               {stats['used_bytes'] / arguments.events:>12.0f} bytes per event "
              f"(data file {stats['file_bytes'] / 1e6:,.0f} MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
