#!/usr/bin/env python3
"""Judge events with the published JSON Schemas (python's jsonschema, Draft 2020-12).

Reads NDJSON from stdin, one object per line with an "event" member; prints one line per input:
"valid" or "invalid: <first error>". Used by the conformance test, which compares these verdicts
with `plaint append`'s.
"""
import json
import pathlib
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "schemas"


def validator():
    registry = Registry()
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    root = json.loads((SCHEMAS / "event.schema.json").read_text())
    Draft202012Validator.check_schema(root)
    return Draft202012Validator(root, registry=registry)


def main():
    check = validator()
    for line in sys.stdin:
        if not line.strip():
            continue
        event = json.loads(line)["event"]
        errors = sorted(check.iter_errors(event), key=lambda e: list(e.path))
        print("valid" if not errors else "invalid: " + errors[0].message.replace("\n", " ")[:200])


if __name__ == "__main__":
    main()
