"""Shared helpers for the scripts in tools/: find the binary, run it, generate input."""
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def binary():
    """The plaint to test: $PLAINT, else the release build, else the debug build."""
    if os.environ.get("PLAINT"):
        return os.environ["PLAINT"]
    for build in ("release", "debug"):
        path = ROOT / ".build" / build / "plaint"
        if path.exists():
            return str(path)
    sys.exit("no plaint binary: run 'tools/build-release.sh' or set PLAINT")


def run(*arguments, check=True, **options):
    result = subprocess.run([binary(), *arguments], capture_output=True, text=True, **options)
    if check and result.returncode != 0:
        sys.exit(f"plaint {' '.join(arguments)} exited {result.returncode}: {result.stderr.strip()}")
    return result


def generate(path, events, seed):
    with open(path, "w") as out:
        subprocess.run([sys.executable, str(ROOT / "tools" / "generate_events.py"), "--events", str(events),
                        "--seed", str(seed)], stdout=out, check=True)


def head(store):
    return json.loads(run("head", "--json", "--store", store).stdout)


def check_positions(store, expected_count):
    """All stored events: positions exactly 1..expected_count, ids all distinct."""
    result = run("events", "--store", store)
    positions, ids = [], set()
    for line in result.stdout.splitlines():
        event = json.loads(line)
        positions.append(event["position"])
        ids.add(event["id"])
    assert positions == list(range(1, expected_count + 1)), "positions are not 1..%d" % expected_count
    assert len(ids) == expected_count, "%d distinct ids for %d events" % (len(ids), expected_count)


def views_match(store, moment):
    """Replay rebuilds the views from the log and compares: they must equal what appends kept."""
    report = json.loads(run("replay", "--json", "--store", store).stdout)
    assert report["views"] == "identical", f"{moment}: stored views differ from replay ({report['differing_rows']} rows)"


def event_object(event_id, kind, occurred_at, customer, brand, case=None, channel=None, data=None, meta=None):
    """One plaint event for `plaint append`, members in the documented order, optional ones only when given."""
    event = {"id": event_id, "type": kind, "occurred_at": occurred_at, "customer": customer, "brand": brand}
    if case:
        event["case"] = case
    if channel:
        event["channel"] = channel
    if data is not None:
        event["data"] = data
    if meta is not None:
        event["meta"] = meta
    return event
