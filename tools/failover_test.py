#!/usr/bin/env python3
"""Kills the leader of a 3-node PostgreSQL cluster while four processes append to it, then checks
what plaint promises on a cluster:

- every event whose `plaint append` exited 0 is stored, exactly once;
- positions are gapless (1..N) and every case's versions run 1, 2, ...;
- the hash chain verifies on every node (each node read on its own, replicas included);
- the local views equal a replay of the log.

The cluster is started with tools/pg-cluster.sh under a temporary directory (or --dir), the leader
is killed with SIGKILL (its postmaster) a few seconds into the run, and the cluster is stopped at
the end. Prints what happened: appends acknowledged, how long the slowest append waited across the
failover, and the checks.
"""
import argparse
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from plaint_tools import ROOT, binary  # noqa: E402

CLUSTER = str(ROOT / "tools" / "pg-cluster.sh")


def cluster(*arguments, env=None):
    return subprocess.run(["bash", CLUSTER, *arguments], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def event(event_id, case, customer, when):
    return json.dumps({"id": event_id, "type": "complaint.filed", "occurred_at": when, "case": case,
                       "customer": customer, "brand": "acme", "channel": "twitter", "data": {"text": "down"}})


def appender(number, url, rounds, batch, work, results):
    """Appends `rounds` inputs of `batch` events; records each call's ids, exit code and duration."""
    views = os.path.join(work, f"views-{number}")
    for round_ in range(rounds):
        lines = [event(f"w{number}-r{round_}-e{k}", f"w{number}-case{k % 7}", f"u{number}",
                       "2024-03-01T%02d:%02d:00Z" % (round_ % 24, k % 60)) for k in range(batch)]
        started = time.monotonic()
        result = subprocess.run([binary(), "append", "--store", url, "--views", views, "--json"],
                                input="\n".join(lines) + "\n", capture_output=True, text=True)
        results.append({"writer": number, "ids": [json.loads(l)["id"] for l in lines],
                        "status": result.returncode, "seconds": time.monotonic() - started,
                        "stderr": result.stderr.strip()})


def node_urls(url):
    """One URL per node, accepting a replica (target_session_attrs=any)."""
    prefix, rest = url.split("@", 1)
    hosts, database = rest.split("/", 1)
    return [f"{prefix}@{host}/{database}?target_session_attrs=any" for host in hosts.split(",")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", help="cluster directory (default: a temporary one)")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--kill-after", type=float, default=3.0, help="seconds before the leader is killed")
    parser.add_argument("--port-base", default="24430")  # below the ephemeral range (pg-cluster.sh)
    arguments = parser.parse_args()

    work = tempfile.mkdtemp(prefix="plaint-failover-")
    directory = arguments.dir or os.path.join(work, "cluster")
    os.chmod(work, 0o755)
    env = {"PG_CLUSTER_PORT_BASE": arguments.port_base}
    started = cluster("start", directory, env=env)
    if started.returncode != 0:
        sys.exit("failover: the cluster did not start:\n" + started.stderr[-2000:])
    url = started.stdout.strip().splitlines()[-1]
    failures = []
    try:
        results = []
        threads = [threading.Thread(target=appender, args=(n, url, arguments.rounds, arguments.batch, work, results))
                   for n in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(arguments.kill_after)
        leader = cluster("leader", directory)
        if leader.returncode != 0:
            sys.exit("failover: no leader to kill: " + leader.stderr)
        pid = int(leader.stdout.strip())
        killed_at = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        print(f"failover: killed the leader's postmaster (pid {pid}) with SIGKILL")
        for thread in threads:
            thread.join()

        acknowledged = [r for r in results if r["status"] == 0]
        refused = [r for r in results if r["status"] != 0]
        slowest = max(r["seconds"] for r in results)
        print(f"failover: {len(results)} appends of {arguments.batch} events: {len(acknowledged)} acknowledged, "
              f"{len(refused)} not; slowest append {slowest:.1f} s")
        for r in refused[:5]:
            print(f"  writer {r['writer']} exit {r['status']}: {r['stderr'][:200]}")

        # The log as the leader holds it, through plaint (its local copy catches up).
        views = os.path.join(work, "views-check")
        listed = subprocess.run([binary(), "events", "--store", url, "--views", views], capture_output=True,
                                text=True)
        if listed.returncode != 0:
            sys.exit("failover: events failed: " + listed.stderr)
        stored = [json.loads(line) for line in listed.stdout.splitlines()]
        ids = [e["id"] for e in stored]
        positions = [e["position"] for e in stored]
        if positions != list(range(1, len(stored) + 1)):
            failures.append("positions are not gapless")
        if len(ids) != len(set(ids)):
            failures.append("an id is stored twice")
        missing = [i for r in acknowledged for i in r["ids"] if i not in set(ids)]
        if missing:
            failures.append(f"{len(missing)} acknowledged events are missing, e.g. {missing[:3]}")
        versions = {}
        for e in stored:
            versions.setdefault(e["case"], []).append(e["version"])
        if any(v != list(range(1, len(v) + 1)) for v in versions.values()):
            failures.append("a case's versions are not 1, 2, ...")
        print(f"failover: {len(stored)} events stored at positions 1-{len(stored)}; "
              f"{sum(len(r['ids']) for r in acknowledged)} acknowledged, all present once"
              if not failures else "failover: " + "; ".join(failures))

        # Every node, replicas included, holds a chain that verifies; wait for the old leader to rejoin.
        for number, node in enumerate(node_urls(url), 1):
            deadline = time.monotonic() + 90
            while True:
                verify = subprocess.run([binary(), "verify", "--store", node, "--views",
                                         os.path.join(work, f"views-node{number}"), "--json"],
                                        capture_output=True, text=True, env={**os.environ, "PLAINT_LEADER_WAIT": "5"})
                if verify.returncode == 0 or time.monotonic() > deadline:
                    break
                time.sleep(2)
            if verify.returncode != 0:
                failures.append(f"node {number}: verify exited {verify.returncode}: {verify.stderr.strip()[:300]}")
                continue
            report = json.loads(verify.stdout)
            print(f"failover: node {number}: chain verified through position {report['verified_through']}, "
                  f"views equal a replay ({report['views_differing_rows']} differing rows)")
        replay = json.loads(subprocess.run([binary(), "replay", "--json", "--store", url, "--views", views],
                                           capture_output=True, text=True, check=True).stdout)
        if replay["differing_rows"] != 0:
            failures.append(f"the local views differ from a replay in {replay['differing_rows']} rows")
        else:
            print("failover: the local views equal a replay of the log")
        print(f"failover: the run took {time.monotonic() - killed_at:.1f} s after the kill")
    finally:
        cluster("stop", directory)
    if failures:
        sys.exit("failover: FAILED: " + "; ".join(failures))
    print("failover: ok")


if __name__ == "__main__":
    main()
