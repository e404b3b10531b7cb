#!/usr/bin/env python3
"""Benchmark of the projections: replay rate, the cost of maintaining views inline,
responsiveness over all brands, and journey start-to-exit time.

    tools/bench/projections.py [--events 1000000] [--runs 3] [--input FILE]

Figures are medians of --runs runs (journey: of 50 process runs). Replay is measured twice: on a
store whose views are current (it rebuilds and compares them), and on copies of a store appended
without views (it rebuilds and writes them all). The inline cost is the
ratio of append --no-sync with views to append --no-sync of the log alone
(PLAINT_MAINTAIN_VIEWS=0), both measured in this run on the same input. Not a test, not in CI.
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

ROOT = pathlib.Path(__file__).resolve().parents[2]
# A fully static executable: no dynamic loading at start-up, which is most of a short query's time.
BUILD = ["swift", "build", "-c", "release", "--static-swift-stdlib", "-Xswiftc", "-static-executable",
         "--scratch-path", str(ROOT / ".build" / "static")]
PLAINT = str(ROOT / ".build" / "static" / "release" / "plaint")


def build_and_make_workdir():
    """Builds the static plaint and returns a scratch directory (under $BENCH_DIR, else /tmp)."""
    subprocess.run(BUILD, cwd=ROOT, check=True, capture_output=True)
    return pathlib.Path(tempfile.mkdtemp(prefix="plaint-bench-", dir=os.environ.get("BENCH_DIR", "/tmp")))


def generate(path, events, *options):
    """Writes `events` generated events to `path`; options go to tools/generate_events.py."""
    with open(path, "w") as out:
        subprocess.run([sys.executable, str(ROOT / "tools" / "generate_events.py"), "--events", str(events),
                        *options], stdout=out, check=True)


def measure(command, stdout=subprocess.DEVNULL, env=None):
    """Seconds, peak RSS (MB) and, with stdout=subprocess.PIPE, the standard output of one process."""
    with tempfile.TemporaryFile() as errors:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=stdout, stderr=errors, env=env)
        output = process.stdout.read().decode() if stdout == subprocess.PIPE else ""
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            sys.exit(f"{' '.join(command)} exited {process.returncode}: {errors.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024, output


def run(command, env=None, stdout=subprocess.DEVNULL):
    started = time.monotonic()
    result = subprocess.run(command, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {result.stderr}")
    return elapsed, result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--input", help="an NDJSON file to use instead of generating one")
    arguments = parser.parse_args()
    work = build_and_make_workdir()
    try:
        events = pathlib.Path(arguments.input) if arguments.input else work / "events.ndjson"
        if not arguments.input:
            generate(events, arguments.events, "--seed", "99")
        count = sum(1 for _ in open(events, "rb"))
        log_alone = dict(os.environ, PLAINT_MAINTAIN_VIEWS="0")
        with_views, without_views = [], []
        store = work / "store"
        for index in range(arguments.runs):
            # Alternate the order so drift on a shared machine hits both alike.
            for label in (("views", "alone") if index % 2 == 0 else ("alone", "views")):
                shutil.rmtree(store, ignore_errors=True)
                env = log_alone if label == "alone" else None
                seconds, _ = run([PLAINT, "append", "--no-sync", "--store", str(store), str(events)], env=env)
                (with_views if label == "views" else without_views).append(count / seconds)
        # A replay that finds every view missing writes them all: each run replays a fresh copy
        # of a store appended without views.
        alone_store, scratch = work / "alone-store", work / "scratch"
        run([PLAINT, "append", "--no-sync", "--store", str(alone_store), str(events)], env=log_alone)
        rewriting = []
        for _ in range(arguments.runs):
            shutil.rmtree(scratch, ignore_errors=True)
            shutil.copytree(alone_store, scratch)
            os.sync()
            seconds, report = run([PLAINT, "replay", "--store", str(scratch)], stdout=subprocess.PIPE)
            if "rewritten" not in report:
                sys.exit(f"replay of a store without views did not write them: {report}")
            rewriting.append(count / seconds)
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(alone_store, ignore_errors=True)
        # The store left by the last run has views either way: replay makes them current.
        replays = []
        for _ in range(arguments.runs):
            seconds, _ = run([PLAINT, "replay", "--store", str(store)])
            replays.append(count / seconds)
        ranking = []
        for _ in range(max(5, arguments.runs)):
            seconds, _ = run([PLAINT, "responsiveness", "--json", "--store", str(store)])
            ranking.append(seconds)
        _, listing = run([PLAINT, "events", "--type", "complaint.filed", "--store", str(store)],
                         stdout=subprocess.PIPE)
        cases = [json.loads(line)["case"] for line in listing.splitlines()]
        random.Random(5).shuffle(cases)
        journeys, harness = [], []
        for case in cases[:50]:
            seconds, _ = run([PLAINT, "journey", case, "--store", str(store)])
            journeys.append(seconds)
            seconds, _ = run(["/bin/true"])
            harness.append(seconds)
        views_rate = statistics.median(with_views)
        alone_rate = statistics.median(without_views)
        print(f"events                              {count}")
        print(f"append --no-sync with views         {views_rate:,.0f} events/s")
        print(f"append --no-sync, log alone         {alone_rate:,.0f} events/s")
        print(f"  ratio (target >= 0.70)            {views_rate / alone_rate:.2f}")
        print(f"replay, whole process               {statistics.median(replays):,.0f} events/s (target >= 1,000,000)")
        print(f"  writing every view (none stored)  {statistics.median(rewriting):,.0f} events/s")
        print(f"responsiveness, all brands          {statistics.median(ranking) * 1000:.0f} ms (target < 500 ms)")
        print(f"journey CASE, start to exit         {statistics.median(journeys) * 1000:.1f} ms median of 50 "
              f"(target < 5 ms); starting /bin/true the same way: {statistics.median(harness) * 1000:.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
