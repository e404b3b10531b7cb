#!/usr/bin/env python3
"""Crash test: kill -9 a large append at random moments; the store must stay whole.

For each round: start appending a generated NDJSON file, kill the process with SIGKILL at a
random moment, then check that `plaint verify` passes, that the store holds only whole batches
(a multiple of the batch size), and that running the same append again completes the input
with no duplicates: positions 1..N, every id once.

    tools/crash_test.py [--rounds 30] [--events 100000] [--seed 1]
"""
import argparse
import random
import signal
import subprocess
import sys
import tempfile
import time

from plaint_tools import binary, check_positions, generate, head, run, views_match

BATCH = 10_000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    chooser = random.Random(arguments.seed)
    with tempfile.TemporaryDirectory(prefix="plaint-crash-") as work:
        events = f"{work}/events.ndjson"
        generate(events, arguments.events, arguments.seed)
        started = time.monotonic()
        run("append", "--store", f"{work}/timing", "--batch-size", str(BATCH), events)
        full = time.monotonic() - started
        print(f"one full append of {arguments.events} events takes {full:.2f} s; killing within that window")
        outcomes = {"before any commit": 0, "between commits": 0, "after the last commit": 0}
        for round_number in range(1, arguments.rounds + 1):
            store = f"{work}/store-{round_number}"
            process = subprocess.Popen([binary(), "append", "--store", store, "--batch-size", str(BATCH), events],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(chooser.uniform(0.0, full * 1.05))
            process.send_signal(signal.SIGKILL)
            process.wait()
            stored = head(store)["position"] if run("head", "--store", store, check=False).returncode == 0 else 0
            if stored:
                verify = run("verify", "--store", store, check=False)
                assert verify.returncode == 0, f"round {round_number}: verify failed after kill: {verify.stdout}"
                views_match(store, f"round {round_number}, after the kill")
            assert stored % BATCH == 0 or stored == arguments.events, \
                f"round {round_number}: {stored} events stored, not whole batches of {BATCH}"
            outcomes["before any commit" if stored == 0 else
                     "after the last commit" if stored == arguments.events else "between commits"] += 1
            rerun = run("append", "--store", store, "--json", events)
            assert rerun.returncode == 0
            run("verify", "--store", store)
            check_positions(store, arguments.events)
            views_match(store, f"round {round_number}, after the re-run")
            print(f"round {round_number:2}: killed with {stored:6} events stored; re-run completed, verify ok, "
                  "views match replay")
        print("kill moments:", ", ".join(f"{count} {name}" for name, count in outcomes.items()))
        print(f"crash test: {arguments.rounds} passed, 0 failed")


if __name__ == "__main__":
    sys.exit(main())
