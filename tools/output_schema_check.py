#!/usr/bin/env python3
"""Judge one JSON document that plaint printed against its published output schema (python's
jsonschema, Draft 2020-12).

Usage: output_schema_check.py SCHEMA_NAME < document.json

SCHEMA_NAME names a file of schemas/output/ without `.schema.json` (`responsiveness`,
`import-twcs`) or with it. Every file there is checked against the Draft 2020-12 metaschema and
registered by its `$id`, so the schemas' references to each other resolve without a network.
Prints "valid" and exits 0, or the first errors (where in the document, and what is wrong) and
exits 1; exits 2 when the name is no schema, a schema is broken, or the input is not one JSON
document. Used by the output schema tests (Tests/EndToEndTests/OutputSchemaTests.swift), which run
it on every JSON output of plaint.
"""
import json
import pathlib
import sys

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "schemas" / "output"
SHOWN = 5


class Unusable(Exception):
    """A schema name that names no file, or a schema that does not parse or is not a valid schema."""


def load(path):
    try:
        schema = json.loads(path.read_text())
        Draft202012Validator.check_schema(schema)
    except json.JSONDecodeError as problem:
        raise Unusable(f"{path.name} is not JSON: {problem}")
    except SchemaError as problem:
        raise Unusable(f"{path.name} is not a valid schema: {problem.message}")
    return schema


def validator(name):
    """A validator for schemas/output/NAME.schema.json; every schema there, checked against the
    metaschema, is registered by its `$id` for the references between them."""
    path = SCHEMAS / (name if name.endswith(".schema.json") else name + ".schema.json")
    if not path.is_file():
        known = ", ".join(sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")))
        raise Unusable(f"no schema {path.name} in {SCHEMAS} (known: {known})")
    registry = Registry()
    for each in sorted(SCHEMAS.glob("*.schema.json")):
        schema = load(each)
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    return Draft202012Validator(load(path), registry=registry)


def echoes(error):
    """Whether an error may only echo another: a member refused as unevaluated is most often the
    consequence of a failed oneOf branch, which evaluates nothing."""
    return error.validator == "unevaluatedProperties"


def closest(errors):
    """The errors worth showing: echoes only when nothing else is wrong, and for a failed oneOf or
    anyOf the errors of the branch that came closest (fewest errors, then fewest that are not
    echoes), recursively."""
    shown = []
    for error in [e for e in errors if not echoes(e)] or errors:
        if not error.context:
            shown.append(error)
            continue
        branches = {}
        for inner in error.context:
            branches.setdefault(inner.relative_schema_path[0], []).append(inner)
        nearest = min(branches.values(), key=lambda branch: (len(branch), sum(not echoes(e) for e in branch)))
        shown.extend(closest(nearest))
    return shown


def describe(error):
    where = "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    message = error.message.replace("\n", " ")
    if len(message) > 300:
        message = message[:300] + "…"
    return f"{where}: {message}"


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        check = validator(sys.argv[1])
    except Unusable as problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        document = json.loads(sys.stdin.read())
    except json.JSONDecodeError as problem:
        print(f"the input is not one JSON document: {problem}", file=sys.stderr)
        return 2
    errors = sorted(check.iter_errors(document), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not errors:
        print("valid")
        return 0
    shown = closest(errors)
    print(f"invalid: {len(shown)} error{'s' if len(shown) != 1 else ''}")
    for error in shown[:SHOWN]:
        print("  " + describe(error))
    return 1


if __name__ == "__main__":
    sys.exit(main())
