#!/usr/bin/env python3
"""Peak memory of `plaint append` as the input grows: the target is under 150 MB whatever the size.

    tools/bench/memory.py [--sizes 1000000,3000000] [--runs 1]

For each size, generates that many events (tools/generate_events.py, seed 5), appends them with
--no-sync to a fresh store with the views maintained, and prints the wall time, events/s and peak
RSS (getrusage of the process). Past 1,500,000 accepted events the check's tables move to disk
(InputChecker), so the peak should stay flat while the time grows about linearly. Not a test and
not run in CI: it takes a few minutes and these machines are noisy.
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from projections import measure  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
PLAINT = str(ROOT / ".build" / "release" / "plaint")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000,3000000", help="comma-separated event counts")
    parser.add_argument("--runs", type=int, default=1)
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, capture_output=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="plaint-memory-", dir=os.environ.get("BENCH_DIR", "/tmp")))
    try:
        print(f"{'events':>12} {'seconds':>9} {'events/s':>10} {'peak RSS':>9}")
        for size in sizes:
            events = work / f"events-{size}.ndjson"
            with open(events, "w") as out:
                subprocess.run([sys.executable, str(ROOT / "tools" / "generate_events.py"), "--events", str(size),
                                "--seed", "5"], stdout=out, check=True)
            times, peaks = [], []
            for _ in range(arguments.runs):
                store = work / "store"
                shutil.rmtree(store, ignore_errors=True)
                seconds, peak, _ = measure([PLAINT, "append", "--no-sync", "--store", str(store), str(events)])
                times.append(seconds)
                peaks.append(peak)
            seconds = statistics.median(times)
            print(f"{size:>12,} {seconds:>9.1f} {size / seconds:>10,.0f} {max(peaks):>6.0f} MB", flush=True)
            events.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
