#!/usr/bin/env python3
"""Second, independent check of the APMD schemas with python-jsonschema (Debian's
python3-jsonschema): every schema must be a valid draft 2020-12 schema, and every record of a
dataset folder must validate against the schema version it declares, with formats asserted.

usage: crosscheck.py SCHEMA_DIR [DATASET_DIR]
Prints one line per problem and exits 1 if there is any; warnings are errors here.
"""
import json, os, sys, warnings

warnings.simplefilter("error")  # a warning from the library fails the check
import jsonschema
from jsonschema import Draft202012Validator, FormatChecker

BASE = "https://apmd-data.github.io/apmd/schema/"
FOLDERS = {"sources": "source", "groups": "group", "incidents": "incident", "claims": "claim"}


def validator(store, url):
    """A validator for one schema that resolves $refs only from the local store."""
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            (k, Resource.from_contents(d)) for k, d in store.items())
        return Draft202012Validator(store[url], registry=registry, format_checker=FormatChecker())
    except ImportError:  # Debian bookworm's 4.10
        resolver = jsonschema.RefResolver(base_uri=url, referrer=store[url], store=store)
        return Draft202012Validator(store[url], resolver=resolver, format_checker=FormatChecker())


def main():
    schema_dir = sys.argv[1]
    data_dir = sys.argv[2] if len(sys.argv) > 2 else None
    problems = 0
    store = {}
    for version in sorted(os.listdir(schema_dir)):
        vdir = os.path.join(schema_dir, version)
        if not os.path.isdir(vdir) or not version[0].isdigit():
            continue
        for name in sorted(os.listdir(vdir)):
            if not name.endswith(".schema.json"):
                continue
            with open(os.path.join(vdir, name), encoding="utf-8") as f:
                doc = json.load(f)
            try:
                Draft202012Validator.check_schema(doc)
            except jsonschema.exceptions.SchemaError as e:
                print(f"{version}/{name}: not a valid draft 2020-12 schema: {e.message}")
                problems += 1
            if doc.get("$id") != BASE + version + "/" + name:
                print(f"{version}/{name}: $id {doc.get('$id')!r} does not name its version")
                problems += 1
            store[doc["$id"]] = doc
    print(f"checked {len(store)} schema documents")

    if data_dir:
        checked = 0
        for root, _, files in os.walk(data_dir):
            for name in sorted(files):
                if not name.endswith(".json"):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, data_dir)
                kind = "manifest" if rel == "dataset.json" else FOLDERS.get(rel.split(os.sep)[0])
                if kind is None:
                    continue
                with open(path, encoding="utf-8") as f:
                    rec = json.load(f)
                url = BASE + str(rec.get("schema_version")) + "/" + kind + ".schema.json"
                if url not in store:
                    print(f"{rel}: unknown schema_version {rec.get('schema_version')!r}")
                    problems += 1
                    continue
                v = validator(store, url)
                for err in sorted(v.iter_errors(rec), key=lambda e: list(e.absolute_path)):
                    ptr = "/" + "/".join(str(p) for p in err.absolute_path)
                    print(f"{rel}: {err.message} (at {ptr})")
                    problems += 1
                checked += 1
        print(f"validated {checked} records")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
