#!/usr/bin/env python3
"""Pointers into the memory map stay inside PlaintLog: list every public or package declaration of
any module (PlaintLog included) whose signature names an `Unsafe…` type.

Reads the symbol graphs `swift package dump-symbol-graph --minimum-access-level package` writes
and exits 1 if any such declaration takes, returns or stores an Unsafe pointer type: what leaves
PlaintLog is a copy, or a span or a noncopyable view lent to a closure, and the other modules'
interfaces take spans too. Run it from the package root after `swift build --build-tests`: without
the test build, the symbol-graph step fails on the generated test-discovery module.

    tools/check_unsafe_api.py [--no-build]
"""
import glob
import json
import subprocess
import sys

ALLOWED = {"CLMDB"}


def main():
    if "--no-build" not in sys.argv:
        subprocess.run(
            ["swift", "package", "dump-symbol-graph", "--minimum-access-level", "package",
             "--skip-synthesized-members"], check=True, stdout=subprocess.DEVNULL)
    found = []
    for path in sorted(glob.glob(".build/*/symbolgraph/*.symbols.json")):
        graph = json.load(open(path))
        module = graph["module"]["name"]
        if module in ALLOWED or module.endswith("Tests") or module == "PlaintTestSupport":
            continue
        for symbol in graph["symbols"]:
            if symbol.get("accessLevel") not in ("public", "package", "open"):
                continue
            declaration = "".join(part["spelling"] for part in symbol.get("declarationFragments", []))
            if "Unsafe" in declaration:
                where = symbol.get("location", {})
                file = where.get("uri", "").split("/Sources/")[-1]
                line = where.get("position", {}).get("line", -1) + 1
                found.append(f"{module}: Sources/{file}:{line}: {declaration}")
    for line in found:
        print(line)
    print(f"{len(found)} public or package declarations name an Unsafe type")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
