#!/usr/bin/env python3
"""Check MedLedger's JSON output with Python protobuf's json_format as the oracle.

  check_json.py VECTOR_DIR OURS_DIR

For every OURS_DIR/<vector>.bin.json (MedLedger's JSON for vector VECTOR_DIR/<vector>.bin, whose
message type is given by VECTOR_DIR/index.json), json_format.Parse must accept it and the parsed
message must serialize (deterministically) to exactly the vector's bytes. Prints a JSON summary
{"checked": N, "failures": [...]} and exits 1 if anything failed.
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_vectors  # noqa: E402
from google.protobuf import json_format  # noqa: E402


def main():
    vector_dir, ours_dir = sys.argv[1], sys.argv[2]
    with open(os.path.join(vector_dir, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    types_by_file = {v["file"]: v["type"] for v in index["vectors"]}
    module_dir = tempfile.mkdtemp(prefix="medledger-pb2-")
    failures = []
    checked = 0
    try:
        protos = make_vectors.generate_python_modules(make_vectors.DEFAULT_PROTO_DIR, module_dir)
        modules = make_vectors.import_modules(protos, module_dir)
        classes = {d.full_name: make_vectors.message_class(d) for d in make_vectors.all_message_types(modules)}
        for name in sorted(os.listdir(ours_dir)):
            if not name.endswith(".bin.json"):
                continue
            vector = name[: -len(".json")]
            cls = classes[types_by_file[vector]]
            with open(os.path.join(ours_dir, name), encoding="utf-8") as f:
                text = f.read()
            with open(os.path.join(vector_dir, vector), "rb") as f:
                expected = f.read()
            checked += 1
            try:
                msg = json_format.Parse(text, cls())
            except json_format.ParseError as error:
                failures.append({"vector": vector, "error": str(error)[:300]})
                continue
            if msg.SerializeToString(deterministic=True) != expected:
                failures.append({"vector": vector, "error": "parsed JSON encodes to different bytes"})
    finally:
        shutil.rmtree(module_dir, ignore_errors=True)
    print(json.dumps({"checked": checked, "failures": failures}))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
