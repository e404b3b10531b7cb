#!/usr/bin/env python3
"""Full-disk test: append into a store on a small tmpfs until the disk is full.

Each case must end with exit 74 and a one-line message that says the disk is full (never a crash
trace or a signal: a writer maps the store writable, and only reserved file space is ever
written through the map), a store that verifies, and only whole batches in it; after the
filesystem is enlarged, running the same command again must complete the input.

  1. The spool fills the disk during the check: nothing is written, and the spool's unlinked
     files give their space back.
  2. The store cannot hold the checked input: the room it needs is reserved before the first
     transaction, so the append stops there with nothing written.
  3. `--stream` fills the disk as its map grows: the commits before the failure are kept.

Needs root (it mounts a tmpfs); without the right to mount it says so and exits 0, skipping.

    tools/disk_full_test.py [--events 60000]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from plaint_tools import binary, check_positions, generate, head, run


def mount(point, megabytes, remount=False):
    options = f"{'remount,' if remount else ''}size={megabytes}m"
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", point], capture_output=True, text=True)


def used_megabytes(point):
    stats = os.statvfs(point)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize / 2**20


def expect_disk_full(result, what):
    """Exit 74, one line naming the full disk, no trace."""
    message = result.stderr.strip()
    assert result.returncode == 74, f"{what}: exit {result.returncode}, expected 74: {message}"
    assert "no space left" in message.lower(), f"{what}: the message does not say the disk is full: {message}"
    assert "Fatal error" not in message and "Stack dump" not in message, f"{what}: a crash trace: {message}"
    lines = [line for line in message.splitlines() if not line.startswith("lines before it were committed")]
    assert len(lines) <= 2, f"{what}: expected a short message, got:\n{message}"
    return message


def stored(store):
    return head(store)["position"] if os.path.exists(f"{store}/data.mdb") else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=11)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plaint-full-") as work:
        point = f"{work}/disk"
        os.mkdir(point)
        attempt = mount(point, 8)
        if attempt.returncode != 0:
            print(f"skipped: cannot mount a tmpfs ({attempt.stderr.strip()}); run as root to test a full disk")
            return
        try:
            events = f"{work}/events.ndjson"
            generate(events, arguments.events, arguments.seed)
            size = os.path.getsize(events) / 2**20

            # 1. The spool cannot hold the input: the check stops, nothing is stored.
            store = f"{point}/spool-full"
            mount(point, int(size / 3), remount=True)
            before = used_megabytes(point)
            message = expect_disk_full(run("append", "--store", store, events, check=False), "spool")
            assert "spool" in message, f"spool: the message does not name the spool: {message}"
            assert stored(store) == 0, "spool: events were stored although the check failed"
            assert used_megabytes(point) - before < 2, "spool: the spool's files kept their space"
            print(f"ok: the spool filled {int(size / 3)} MB during the check: exit 74, nothing stored, space freed")
            subprocess.run(["rm", "-rf", store], check=True)

            # 2. The store cannot hold the checked input: the append reserves the room it needs
            #    before its first transaction, so it stops there, with nothing written.
            store = f"{point}/store-full"
            mount(point, int(size * 1.6), remount=True)
            result = run("append", "--no-sync", "--store", store, events, check=False)
            expect_disk_full(result, "store")
            assert stored(store) == 0, f"store: {stored(store)} events stored; the room is reserved before writing"
            mount(point, int(size * 8), remount=True)
            again = json.loads(run("append", "--json", "--store", store, events).stdout)
            assert again["appended"] == arguments.events, f"store: re-run gave {again}"
            run("verify", "--store", store)
            check_positions(store, arguments.events)
            print("ok: the store's room could not be reserved: exit 74 before anything was written; "
                  "with room, the re-run appended the whole input")
            subprocess.run(["rm", "-rf", store], check=True)

            # 3. --stream: the commits before the failure stay.
            store = f"{point}/stream-full"
            mount(point, int(size * 1.6), remount=True)
            with open(events, "rb") as lines:
                result = subprocess.run([binary(), "append", "--stream", "--store", store],
                                        stdin=lines, capture_output=True, text=True)
            expect_disk_full(result, "stream")
            kept = stored(store)
            assert 0 < kept < arguments.events, f"stream: {kept} events stored; expected part of the input"
            run("verify", "--store", store)
            check_positions(store, kept)
            print(f"ok: --stream filled the disk after {kept} events: exit 74, the earlier commits verify")
            subprocess.run(["rm", "-rf", store], check=True)

            # 4. The rejects file cannot be written (the store is elsewhere): nothing is appended.
            mount(point, 1, remount=True)
            with open(f"{point}/filler", "wb") as filler:
                try:
                    while True:
                        filler.write(b"x" * 65536)
                        filler.flush()
                except OSError:
                    pass
            bad_lines = f"{work}/bad.ndjson"
            with open(events) as source, open(bad_lines, "w") as out:
                for number, line in enumerate(source):
                    out.write(line.replace('"type":"', '"type":"not.', 1) if number % 2 else line)
            store = f"{work}/rejects-store"
            result = run("append", "--store", store, "--rejects", f"{point}/rejects.ndjson", bad_lines, check=False)
            expect_disk_full(result, "rejects")
            assert stored(store) == 0, "rejects: events were appended although the rejects file could not be written"
            assert not os.path.exists(f"{point}/rejects.ndjson"), "rejects: a half-written rejects file was left"
            print("ok: the rejects file filled the disk: exit 74, nothing appended, no half-written file")
        finally:
            subprocess.run(["umount", point], capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
