#!/usr/bin/env python3
"""Append by arrival order: one generated input in three orders, plaint against SQLite.

    tools/bench/arrival.py [--events 1000000] [--runs 3] [--growth 5000000] [--singles 50]
                           [--memory-events 5000000] [--plaint PATH]

The input is written grouped by case (as generated), by `occurred_at` (a live feed) and
shuffled (a merged export). For each order and run, alternating who goes first: `plaint append
--no-sync`, `plaint append` (fsync on every commit) and python's sqlite3 into one indexed table
(`sqlite_baseline.py`), each into a new store, views maintained (the default). Every write
starts from the same state: earlier stores deleted, then a few seconds to settle. Peak anonymous
memory (`RssAnon`, sampled every 10 ms) is the memory a user pays for; the store's mapped pages
are page cache and are not counted. Before every write the dirty pages of the last one are
written out (`sync`), so that no run pays for another's writeback.

Then, on the by-`occurred_at` store: replay's rate (rebuilding every view), and, with
--growth N, appending --events more events (new ids, later times, grouped by case) to a copy of
a store that already holds N, alternating with the same into an empty store, --runs times each. With --memory-events N, one input of N events in each
of the three orders, appended once each (`--no-sync`) for its peak anonymous memory. Last,
--singles processes each appending one event (start to exit, fsync included), `plaint head`, and
/bin/true for scale. Medians throughout. Not a test and not in CI.
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
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = ROOT / "tools" / "bench"
SETTLE_SECONDS = 3


def peak_anonymous(command, stdin=None):
    """Runs `command`; returns (seconds, peak RssAnon in MB)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]

    def sample():
        path = f"/proc/{process.pid}/status"
        while process.poll() is None:
            try:
                with open(path) as status:
                    for line in status:
                        if line.startswith("RssAnon:"):
                            peak[0] = max(peak[0], int(line.split()[1]))
            except OSError:
                break
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, errors = process.communicate()
    elapsed = time.monotonic() - started
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} exited {process.returncode}: {errors.decode()}")
    return elapsed, peak[0] / 1024


def fresh(path):
    """Deletes `path`, writes every dirty page out (the last run's writeback must not slow the
    next), and lets the machine settle."""
    shutil.rmtree(path, ignore_errors=True)
    if os.path.exists(path):
        os.remove(path)
    os.sync()
    time.sleep(SETTLE_SECONDS)


def generate(path, events, seed, start="2024-01-01", id_prefix="gen"):
    with open(path, "w") as out:
        subprocess.run([sys.executable, str(ROOT / "tools" / "generate_events.py"), "--events", str(events),
                        "--seed", str(seed), "--start", start, "--id-prefix", id_prefix], stdout=out, check=True)


def orders(work, events, prefix=""):
    grouped = work / f"{prefix}grouped.ndjson"
    generate(grouped, events, 5)
    lines = grouped.read_text().splitlines(keepends=True)
    live = work / f"{prefix}live.ndjson"
    live.write_text("".join(sorted(lines, key=lambda line: json.loads(line)["occurred_at"])))
    shuffled = work / f"{prefix}shuffled.ndjson"
    random.Random(7).shuffle(lines)
    shuffled.write_text("".join(lines))
    return {"grouped by case": grouped, "by occurred_at": live, "shuffled": shuffled}


def median(values):
    return statistics.median(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--growth", type=int, default=0, help="events already in the store for the growth run")
    parser.add_argument("--singles", type=int, default=50)
    parser.add_argument("--memory-events", type=int, default=0, help="events per order for the memory run")
    parser.add_argument("--growth-only", action="store_true", help="only the growth run (with --growth)")
    parser.add_argument("--plaint", default=str(ROOT / ".build" / "release" / "plaint"))
    arguments = parser.parse_args()
    plaint = arguments.plaint
    work = pathlib.Path(tempfile.mkdtemp(prefix="plaint-arrival-", dir=os.environ.get("BENCH_DIR", "/tmp")))
    try:
        store, database = str(work / "store"), str(work / "sqlite.db")
        results = {}
        inputs = {} if arguments.growth_only else orders(work, arguments.events)
        for order, path in inputs.items():
            contenders = {
                "append --no-sync": lambda: peak_anonymous([plaint, "append", "--no-sync", "--store", store, str(path)]),
                "append (synced)": lambda: peak_anonymous([plaint, "append", "--store", store, str(path)]),
                "sqlite3": lambda: peak_anonymous([sys.executable, str(HERE / "sqlite_baseline.py"), str(path), database]),
            }
            for run in range(arguments.runs):
                names = list(contenders)
                if run % 2:
                    names.reverse()
                for name in names:
                    fresh(store)
                    fresh(database)
                    results.setdefault((order, name), []).append(contenders[name]())
        events = arguments.events
        if not arguments.growth_only:
            print(f"{events:,} events, medians of {arguments.runs} runs; plaint {plaint}")
            print(f"{'arrival order':18} {'--no-sync':>10} {'synced':>10} {'sqlite3':>10} {'plaint/SQLite':>14} "
                  f"{'synced/no-sync':>15} {'peak anon MB':>13}")
            for order in inputs:
                nosync = median([seconds for seconds, _ in results[(order, "append --no-sync")]])
                synced = median([seconds for seconds, _ in results[(order, "append (synced)")]])
                sqlite = median([seconds for seconds, _ in results[(order, "sqlite3")]])
                anon = max(peak for name in ("append --no-sync", "append (synced)") for _, peak in results[(order, name)])
                print(f"{order:18} {nosync:9.2f}s {synced:9.2f}s {sqlite:9.2f}s {sqlite / nosync:13.2f}x "
                      f"{synced / nosync:14.2f}x {anon:13.0f}")

            # Replay of the live-feed store.
            fresh(store)
            subprocess.run([plaint, "append", "--no-sync", "--store", store, str(inputs["by occurred_at"])],
                           stdout=subprocess.DEVNULL, check=True)
            replays = [peak_anonymous([plaint, "replay", "--store", store]) for _ in range(arguments.runs)]
            seconds = median([s for s, _ in replays])
            print(f"replay (every view rebuilt): {seconds:.2f} s, {events / seconds:,.0f} events/s, "
                  f"peak anon {max(p for _, p in replays):.0f} MB")

        if arguments.growth:
            base = work / "base.ndjson"
            generate(base, arguments.growth, 11, start="2022-01-01", id_prefix="base")
            more = work / "more.ndjson"
            generate(more, events, 12, start="2025-01-01", id_prefix="more")
            grown_store = str(work / "grown")
            fresh(grown_store)
            subprocess.run([plaint, "append", "--no-sync", "--store", grown_store, str(base)],
                           stdout=subprocess.DEVNULL, check=True)
            # Each grown run starts from a copy of the same large store, alternating with the
            # empty-store runs.
            grown_runs, empty_runs = [], []
            for run in range(arguments.runs):
                for kind in (["grown", "empty"] if run % 2 == 0 else ["empty", "grown"]):
                    fresh(store)
                    if kind == "grown":
                        shutil.copytree(grown_store, store)
                        os.sync()
                        time.sleep(SETTLE_SECONDS)
                        grown_runs.append(peak_anonymous([plaint, "append", "--no-sync", "--store", store, str(more)])[0])
                    else:
                        empty_runs.append(peak_anonymous([plaint, "append", "--no-sync", "--store", store, str(more)])[0])
            fresh(grown_store)
            fresh(store)
            grown, empty = median(grown_runs), median(empty_runs)
            print(f"growth: {events:,} events into a store of {arguments.growth:,}: {events / grown:,.0f} events/s; "
                  f"into an empty store: {events / empty:,.0f} events/s; rate {empty / grown:.2f} of the empty "
                  f"store's (medians of {arguments.runs}: {', '.join(f'{x:.2f}' for x in grown_runs)} s against "
                  f"{', '.join(f'{x:.2f}' for x in empty_runs)} s)")

        if arguments.memory_events:
            large = orders(work, arguments.memory_events, prefix="large-")
            for order, path in large.items():
                fresh(store)
                seconds, anon = peak_anonymous([plaint, "append", "--no-sync", "--store", store, str(path)])
                print(f"memory: {arguments.memory_events:,} events {order}: {seconds:.1f} s, "
                      f"{arguments.memory_events / seconds:,.0f} events/s, peak anonymous memory {anon:.0f} MB")
                path.unlink()
            fresh(store)

        if arguments.singles:
            single = work / "single"
            fresh(single)
            lines = inputs["grouped by case"].read_text().splitlines(keepends=True)[: arguments.singles + 1]
            subprocess.run([plaint, "append", "--store", str(single)], input=lines[0].encode(), check=True,
                           stdout=subprocess.DEVNULL)

            def timed(command, data=None):
                started = time.monotonic()
                subprocess.run(command, input=data, stdout=subprocess.DEVNULL, check=True)
                return (time.monotonic() - started) * 1000

            appends = [timed([plaint, "append", "--store", str(single)], line.encode()) for line in lines[1:]]
            heads = [timed([plaint, "head", "--store", str(single)]) for _ in range(arguments.singles)]
            trues = [timed(["/bin/true"]) for _ in range(arguments.singles)]
            print(f"one event per process: {median(appends):.1f} ms; plaint head: {median(heads):.1f} ms; "
                  f"/bin/true: {median(trues):.1f} ms (medians of {arguments.singles})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
