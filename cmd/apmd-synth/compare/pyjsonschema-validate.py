"""Validates every record file of an APMD dataset folder with python-jsonschema (the engine
behind check-jsonschema), Debian's python3-jsonschema: the schemas are loaded once, the
local $refs resolved from memory, then each file is read, parsed and validated in turn.

    /usr/bin/python3 pyjsonschema-validate.py SCHEMA_DIR DATASET_DIR

Prints one JSON line {tool, version, files, invalid, seconds}; exits 1 when a record is invalid.
"""
import json
import os
import sys
import time

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker

try:
    from importlib.metadata import version as _version

    VERSION = _version("jsonschema")
except Exception:  # the metadata may be missing from a distribution package
    VERSION = getattr(jsonschema, "__version__", "?")


def main():
    if len(sys.argv) != 3:
        print("usage: pyjsonschema-validate.py SCHEMA_DIR DATASET_DIR", file=sys.stderr)
        sys.exit(2)
    schema_dir, data_dir = sys.argv[1:]
    start = time.monotonic()
    schemas = {}
    for f in os.listdir(schema_dir):
        with open(os.path.join(schema_dir, f), encoding="utf-8") as fh:
            schemas[f.replace(".schema.json", "")] = json.load(fh)
    store = {s["$id"]: s for s in schemas.values()}
    validators = {}
    for kind in ("source", "group", "incident", "claim"):
        s = schemas[kind]
        if hasattr(jsonschema, "RefResolver") and VERSION < "4.18":
            # 4.10 (Debian 12) resolves $refs with a RefResolver and a store of documents.
            resolver = jsonschema.RefResolver(s["$id"], s, store=store)
            validators[kind] = Draft202012Validator(s, resolver=resolver, format_checker=FormatChecker())
        else:
            from referencing import Registry, Resource

            registry = Registry().with_resources((i, Resource.from_contents(d)) for i, d in store.items())
            validators[kind] = Draft202012Validator(s, registry=registry, format_checker=FormatChecker())
    folders = {"sources": "source", "groups": "group", "incidents": "incident", "claims": "claim"}
    files = invalid = 0
    for folder, kind in folders.items():
        v = validators[kind]
        for root, dirs, names in os.walk(os.path.join(data_dir, folder)):
            dirs.sort()
            for name in sorted(names):
                if not name.endswith(".json"):
                    continue
                files += 1
                try:
                    with open(os.path.join(root, name), encoding="utf-8") as fh:
                        doc = json.load(fh)
                    ok = next(v.iter_errors(doc), None) is None
                except ValueError:
                    ok = False
                if not ok:
                    invalid += 1
    seconds = time.monotonic() - start
    print(json.dumps({"tool": "python-jsonschema", "version": VERSION, "files": files, "invalid": invalid, "seconds": seconds}))
    sys.exit(1 if invalid else 0)


if __name__ == "__main__":
    main()
