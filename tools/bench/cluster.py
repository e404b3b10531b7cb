#!/usr/bin/env python3
"""A PostgreSQL cluster store against an LMDB store, in the same run, on the same input.

    tools/bench/cluster.py [--events 1000000] [--batch 10000] [--singles 50] [--runs 3] [--plaint PATH]

Starts a 3-node etcd + Patroni + PostgreSQL cluster with tools/pg-cluster.sh (synchronous
replication to one standby, fsync on) and measures, alternating the two stores in each run:

- bulk: --events generated events appended in inputs of --batch events each (one transaction per
  input on the cluster; a checked append per input on LMDB, fsync on), events/s;
- singles: --singles processes each appending one event (start to exit), median milliseconds;
- catch-up: the rate at which the local view store copies the cluster's log and maintains every
  view (`plaint brands` on a fresh view directory), events/s.

Medians of --runs runs; each run uses a new database and a new LMDB store. Not a test and not in CI.
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def run(command, **options):
    return subprocess.run(command, capture_output=True, text=True, check=True, **options)


def timed(command, **options):
    started = time.monotonic()
    run(command, **options)
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--singles", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plaint", default=str(ROOT / ".build" / "release" / "plaint"))
    arguments = parser.parse_args()
    plaint = arguments.plaint

    work = tempfile.mkdtemp(prefix="plaint-cluster-bench-")
    os.chmod(work, 0o755)
    cluster_dir = os.path.join(work, "cluster")
    started = subprocess.run(["bash", str(ROOT / "tools" / "pg-cluster.sh"), "start", cluster_dir],
                             capture_output=True, text=True, env={**os.environ, "PG_CLUSTER_PORT_BASE": "44430"})
    if started.returncode != 0:
        sys.exit(started.stderr[-2000:])
    url = started.stdout.strip().splitlines()[-1]
    try:
        source = os.path.join(work, "events.ndjson")
        with open(source, "w") as out:
            subprocess.run([sys.executable, str(ROOT / "tools" / "generate_events.py"), "--events",
                            str(arguments.events)], stdout=out, check=True)
        with open(source) as f:
            lines = f.readlines()
        batches = []
        for start in range(0, len(lines), arguments.batch):
            path = os.path.join(work, f"batch-{start // arguments.batch:05d}.ndjson")
            with open(path, "w") as out:
                out.writelines(lines[start:start + arguments.batch])
            batches.append(path)
        singles = []
        for number in range(arguments.singles):
            singles.append('{"id":"single-%d","type":"complaint.filed","occurred_at":"2030-01-01T00:00:00Z",'
                           '"case":"single-%d","customer":"s","brand":"solo","channel":"twitter"}\n' % (number, number))

        figures = {"cluster bulk": [], "lmdb bulk": [], "cluster single ms": [], "lmdb single ms": [],
                   "catch-up": []}
        for number in range(arguments.runs):
            database = f"bench{number}"
            run(["psql", url.rsplit("/", 1)[0] + "/postgres?target_session_attrs=read-write", "-qc",
                 f"CREATE DATABASE {database}"])
            store_url = url.rsplit("/", 1)[0] + "/" + database
            lmdb = os.path.join(work, f"lmdb{number}")
            views = os.path.join(work, f"views{number}")
            order = [("cluster", store_url), ("lmdb", lmdb)]
            if number % 2:
                order.reverse()
            for name, store in order:
                env = {**os.environ, "PLAINT_VIEWS": views + "-writer"}
                seconds = sum(timed([plaint, "append", "--store", store, path], env=env) for path in batches)
                figures[f"{name} bulk"].append(len(lines) / seconds)
                times = [timed([plaint, "append", "--store", store], input=line, env=env) * 1000 for line in singles]
                figures[f"{name} single ms"].append(statistics.median(times))
                print(f"run {number + 1} {name}: bulk {len(lines) / seconds:,.0f} events/s, single append "
                      f"{statistics.median(times):.1f} ms", flush=True)
            seconds = timed([plaint, "brands", "--store", store_url, "--views", views])
            figures["catch-up"].append((len(lines) + len(singles)) / seconds)
            print(f"run {number + 1}: the local views caught up at {figures['catch-up'][-1]:,.0f} events/s", flush=True)
            shutil.rmtree(lmdb, ignore_errors=True)
            shutil.rmtree(views, ignore_errors=True)
            shutil.rmtree(views + "-writer", ignore_errors=True)
        print("medians:")
        for name, values in figures.items():
            print(f"  {name}: {statistics.median(values):,.1f}")
        print(f"  cluster / LMDB bulk: {statistics.median(figures['cluster bulk']) / statistics.median(figures['lmdb bulk']):.2f}")
    finally:
        subprocess.run(["bash", str(ROOT / "tools" / "pg-cluster.sh"), "stop", cluster_dir], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
