#!/usr/bin/env python3
"""Concurrency test: several processes append distinct events to one store at once.

Afterwards the store must hold exactly processes x events, at positions 1..N with no gap,
every id once, and `plaint verify` must pass.

    tools/concurrency_test.py [--processes 4] [--events 25000]
"""
import argparse
import subprocess
import sys
import tempfile

from plaint_tools import binary, check_positions, generate, run, views_match


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--events", type=int, default=25_000, help="events per process")
    parser.add_argument("--stream", action="store_true", help="append with --stream (many small commits)")
    arguments = parser.parse_args()
    total = arguments.processes * arguments.events
    with tempfile.TemporaryDirectory(prefix="plaint-concurrency-") as work:
        generate(f"{work}/all.ndjson", total, 11)
        with open(f"{work}/all.ndjson") as source:
            lines = source.readlines()
        parts = []
        for index in range(arguments.processes):
            part = f"{work}/part-{index}.ndjson"
            with open(part, "w") as out:
                out.writelines(lines[index * arguments.events:(index + 1) * arguments.events])
            parts.append(part)
        store = f"{work}/store"
        extra = ["--stream", "--commit-every", "100"] if arguments.stream else []
        writers = [subprocess.Popen([binary(), "append", "--store", store, *extra, part],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for part in parts]
        for writer in writers:
            out, err = writer.communicate()
            assert writer.returncode == 0, f"a writer failed: {err}"
        run("verify", "--store", store)
        check_positions(store, total)
        views_match(store, "after the concurrent appends")
        print(f"{arguments.processes} processes appended {total} events: positions 1..{total}, ids distinct, verify ok, "
              "views match replay")
        print("concurrency test: 1 passed, 0 failed")


if __name__ == "__main__":
    sys.exit(main())
