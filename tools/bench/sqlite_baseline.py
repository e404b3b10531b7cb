#!/usr/bin/env python3
"""What a user would reach for instead: python's sqlite3, the same NDJSON lines, executemany in
one transaction into a table with an index on the case id. Prints "events seconds"."""
import json
import sqlite3
import sys
import time

path, database = sys.argv[1], sys.argv[2]
started = time.monotonic()
connection = sqlite3.connect(database)
connection.execute("CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT UNIQUE, case_id TEXT, body TEXT)")
connection.execute("CREATE INDEX events_case ON events (case_id)")


def rows():
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            yield event["id"], event.get("case"), line


with connection:
    connection.executemany("INSERT INTO events (id, case_id, body) VALUES (?, ?, ?)", rows())
count = connection.execute("SELECT count(*) FROM events").fetchone()[0]
connection.close()
print(count, round(time.monotonic() - started, 3))
