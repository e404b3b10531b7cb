#!/usr/bin/env python3
"""Corruption test: change one byte inside a stored event in LMDB's data file.

`plaint verify` must then fail with exit 74 and name exactly that event's position. Repeated
for several randomly chosen positions, each in a fresh store.

    tools/corruption_test.py [--trials 5] [--events 2000]
"""
import argparse
import json
import random
import sys
import tempfile

from plaint_tools import generate, run


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    arguments = parser.parse_args()
    chooser = random.Random(arguments.seed)
    with tempfile.TemporaryDirectory(prefix="plaint-corrupt-") as work:
        generate(f"{work}/events.ndjson", arguments.events, arguments.seed)
        for trial in range(1, arguments.trials + 1):
            store = f"{work}/store-{trial}"
            run("append", "--store", store, f"{work}/events.ndjson")
            position = chooser.randrange(1, arguments.events + 1)
            event = json.loads(run("events", "--store", store, "--from-position", str(position), "--limit", "1").stdout)
            # The id as it appears inside the stored event (the id index holds it without the key).
            marker = ('"id":' + json.dumps(event["id"])).encode()
            with open(f"{store}/data.mdb", "r+b") as data:
                content = bytearray(data.read())
                where = content.find(marker)
                assert where >= 0, "event bytes not found in data.mdb"
                count = 0
                while where >= 0:  # copy-on-write may have left older copies of the page: change all
                    content[where + len(marker) - 2] ^= 0x01
                    count += 1
                    where = content.find(marker, where + 1)
                data.seek(0)
                data.write(content)
            verify = run("verify", "--store", store, "--json", check=False)
            report = json.loads(verify.stdout)
            assert verify.returncode == 74, f"verify exited {verify.returncode} after corrupting position {position}"
            assert report["first_bad_position"] == position, \
                f"verify named position {report['first_bad_position']}, the corrupted one is {position}"
            print(f"trial {trial}: one byte changed in the event at position {position} "
                  f"({count} cop{'y' if count == 1 else 'ies'}); verify: {report['problem'][:60]}...")
        print(f"corruption test: {arguments.trials} passed, 0 failed")


if __name__ == "__main__":
    sys.exit(main())
