#!/usr/bin/env python3
"""Generate protobuf reference vectors for MedLedger's schema, using Python protobuf as the oracle.

For every message type declared under proto/ (nested types included, map-entry types excluded)
this writes K randomized instances:

  <full.Name>.<i>.bin          msg.SerializeToString(deterministic=True)
  <full.Name>.<i>.json         json_format.MessageToJson(msg, preserving_proto_field_name=False,
                               indent=None) -- canonical proto3 JSON, default-valued fields omitted
  <full.Name>.unknown.<j>.bin  an instance with unknown fields 1000 (varint), 1001 (length-delimited),
                               1002 (fixed32) and 1003 (fixed64) appended, re-parsed and
                               re-serialized by Python (unknown fields are kept, written last)

and an index.json describing every file. The output depends only on the .proto files, the seed and
the count: each type draws from its own random generator seeded from (seed, type name), so adding a
type does not change the vectors of the others.

Instance profiles, by index i (the rest are random):
  0 empty        all fields default (encodes to zero bytes)
  1 max          every scalar at its maximum, every oneof's first case, one element per repeated
  2 min          every scalar at its minimum (most negative), every oneof's last case
  3 presence     present-but-default: proto3 `optional` scalars set to their default value,
                 singular message fields set to an empty message, each oneof's first case set
                 to its default value; everything else default
  4 large       first bytes field 100 KiB, repeated scalars 1000 elements, maps 50 keys
  5.. random    random values; oneof cases cycle so that every case appears; unicode strings

Notes for the consumer (the Swift tests):
  * Map fields are written sorted by key (Python's deterministic mode), and every map entry
    carries both key and value, even when they are default.
  * Types whose index entry has "order": "dagpb" (medledger.v1.PBNode) are written by Python in
    field-number order (Data before Links); MedLedger writes Links first as dag-pb requires.
    Compare decoded values for those, not bytes.
  * Enum fields in proto3 are open: some random instances carry enum numbers with no name
    (JSON prints them as numbers). Such instances are marked "open_enum": true.
  * Floats: an index entry has "nan": true if the instance contains a NaN (so value equality
    cannot be used). The current schema has no float or double fields.
  * Some strings contain U+0000; such instances are marked "nul_in_string": true. protobuf-c
    (C strings) truncates them, so skip those when comparing against pbc-roundtrip.
  * Instances with a map entry whose key or value is the default are marked
    "map_default_entry": true. Python writes both key and value of every entry; protobuf-c
    omits a default key or value inside the entry (also valid protobuf), so skip those when
    comparing bytes against pbc-roundtrip.
  * JSON is written with ensure_ascii=False (UTF-8, no \\u escapes for non-ASCII).

Usage: make_vectors.py OUTDIR [--seed N] [--count-per-type K] [--proto-dir DIR]
"""

import argparse
import importlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zlib

from google.protobuf import descriptor as _descriptor
from google.protobuf import json_format

FD = _descriptor.FieldDescriptor

DEFAULT_PROTO_DIR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "proto"))

# Types whose MedLedger encoding deliberately differs in field order from protoc's.
DAGPB_ORDER_TYPES = {"medledger.v1.PBNode"}

PROFILES = ["empty", "max", "min", "presence", "large"]

LARGE_BYTES = 100 * 1024
LARGE_REPEATED = 1000
LARGE_MAP = 50
MAX_DEPTH = 4

INT_RANGES = {
    FD.TYPE_INT32: (-(2**31), 2**31 - 1),
    FD.TYPE_SINT32: (-(2**31), 2**31 - 1),
    FD.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    FD.TYPE_INT64: (-(2**63), 2**63 - 1),
    FD.TYPE_SINT64: (-(2**63), 2**63 - 1),
    FD.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    FD.TYPE_UINT32: (0, 2**32 - 1),
    FD.TYPE_FIXED32: (0, 2**32 - 1),
    FD.TYPE_UINT64: (0, 2**64 - 1),
    FD.TYPE_FIXED64: (0, 2**64 - 1),
}

UNICODE_STRINGS = [
    "a",
    "hello, world",
    "héllo wörld",                      # 2-byte UTF-8
    "日本語のカルテ",                     # 3-byte UTF-8
    "🩺💉🏥",                            # 4-byte UTF-8 (surrogate pairs in UTF-16)
    "mixed: a é 日 🩺 \u0000 nul",        # embedded NUL
    "line\nbreak\ttab \"quote\" \\ backslash",
    "\u2028\u2029 separators",
    "\U0010FFFF last code point",
]


def generate_python_modules(proto_dir, out_dir):
    """Runs grpc_tools.protoc on every .proto under proto_dir; returns their relative paths."""
    protos = []
    for root, _, files in os.walk(proto_dir):
        for name in files:
            if name.endswith(".proto"):
                protos.append(os.path.relpath(os.path.join(root, name), proto_dir))
    protos.sort()
    subprocess.check_call(
        [sys.executable, "-m", "grpc_tools.protoc", "-I" + proto_dir, "--python_out=" + out_dir] + protos)
    return protos


def import_modules(protos, module_dir):
    # Make every generated directory a regular package: otherwise the installed `grpc` package
    # (grpcio) would win over the generated `grpc.health.v1` namespace package.
    for root, _, _ in os.walk(module_dir):
        if root != module_dir:
            open(os.path.join(root, "__init__.py"), "a").close()
    sys.path.insert(0, module_dir)
    for name in [m for m in sys.modules if m == "grpc" or m.startswith("grpc.")]:
        del sys.modules[name]
    modules = []
    for proto in protos:
        module_name = proto[: -len(".proto")].replace("/", ".").replace("-", "_") + "_pb2"
        modules.append(importlib.import_module(module_name))
    return modules


def all_message_types(modules):
    """Every message descriptor declared in the files, depth first, without map-entry types."""
    result = []

    def visit(descriptor):
        if descriptor.GetOptions().map_entry:
            return
        result.append(descriptor)
        for nested in descriptor.nested_types:
            visit(nested)

    for module in modules:
        for descriptor in module.DESCRIPTOR.message_types_by_name.values():
            visit(descriptor)
    return result


def message_class(descriptor):
    from google.protobuf import message_factory
    return message_factory.GetMessageClass(descriptor)


def is_map(field):
    return (field.type == FD.TYPE_MESSAGE and field.message_type.GetOptions().map_entry)


def is_repeated(field):
    # `label` is deprecated in newer protobuf releases in favour of `is_repeated`.
    value = getattr(field, "is_repeated", None)
    if value is not None:
        return value() if callable(value) else value
    return field.label == FD.LABEL_REPEATED


PROTO3_OPTIONAL = set()  # (message full name, field name) of every proto3 `optional` field


def record_proto3_optional(modules):
    """Finds proto3 `optional` fields, whose oneof is synthetic, from the FileDescriptorProtos."""
    from google.protobuf import descriptor_pb2

    def visit(prefix, message):
        full_name = prefix + "." + message.name
        for field in message.field:
            if field.proto3_optional:
                PROTO3_OPTIONAL.add((full_name, field.name))
        for nested in message.nested_type:
            visit(full_name, nested)

    for module in modules:
        file_proto = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(file_proto)
        for message in file_proto.message_type:
            visit(file_proto.package, message)


def is_proto3_optional(field):
    return (field.containing_type.full_name, field.name) in PROTO3_OPTIONAL


def real_oneof(field):
    """The field's oneof, unless it is the synthetic oneof of a proto3 `optional` field."""
    if field.containing_oneof is None or is_proto3_optional(field):
        return None
    return field.containing_oneof


class Generator:
    """Builds instances of one message type for one profile, using a seeded RNG."""

    def __init__(self, rng, profile, case_index):
        self.rng = rng
        self.profile = profile
        self.case_index = case_index
        self.large_bytes_used = False
        self.open_enum = False
        self.nan = False
        self.nul_in_string = False
        self.map_default_entry = False

    # Scalars -----------------------------------------------------------------------------

    def scalar(self, field, top_level):
        t = field.type
        p = self.profile
        if t in INT_RANGES:
            lo, hi = INT_RANGES[t]
            if p == "max":
                return hi
            if p == "min":
                return lo
            choices = [0, 1, hi, lo, self.rng.randint(lo, hi), self.rng.randint(0, 300)]
            if lo < 0:
                choices += [-1, self.rng.randint(-300, 0)]
            return self.rng.choice(choices)
        if t == FD.TYPE_BOOL:
            return True if p in ("max", "min") else self.rng.random() < 0.5
        if t in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
            if p == "max":
                return math.inf
            if p == "min":
                return -math.inf
            value = self.rng.choice([0.0, -0.0, 1.5, -2.25, 1e300 if t == FD.TYPE_DOUBLE else 3.0e38,
                                     5e-324 if t == FD.TYPE_DOUBLE else 1.0e-45, math.inf, math.nan])
            if isinstance(value, float) and math.isnan(value):
                self.nan = True
            return value
        if t == FD.TYPE_STRING:
            value = self.string(top_level)
            if "\x00" in value:
                self.nul_in_string = True
            return value
        if t == FD.TYPE_BYTES:
            if p == "large" and top_level and not self.large_bytes_used:
                self.large_bytes_used = True
                return self.rng.randbytes(LARGE_BYTES)
            if p == "max":
                return bytes(range(256))
            if p == "min":
                return b"\x00"
            return self.rng.randbytes(self.rng.choice([1, 2, 16, 32, 33, 71, 200, 1000]))
        if t == FD.TYPE_ENUM:
            values = [v.number for v in field.enum_type.values]
            if p == "max":
                return max(values)
            if p == "min":
                return min(values)
            open_enum = not getattr(field.enum_type, "is_closed", True)
            if open_enum and self.rng.random() < 0.1:
                self.open_enum = True
                return self.rng.choice([max(values) + 1, 1000, -1])
            return self.rng.choice(values)
        raise ValueError("unsupported field type %d" % t)

    def string(self, top_level):
        p = self.profile
        if p == "max":
            return "🩺 max " + "é" * 64
        if p == "min":
            return "a"
        if p == "large" and top_level:
            return "".join(self.rng.choice(UNICODE_STRINGS) for _ in range(200))
        return self.rng.choice(UNICODE_STRINGS + [self.random_ascii()])

    def random_ascii(self):
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:/ "
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(1, 40)))

    def default_value(self, field):
        if field.type == FD.TYPE_STRING:
            return ""
        if field.type == FD.TYPE_BYTES:
            return b""
        if field.type == FD.TYPE_BOOL:
            return False
        if field.type in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
            return 0.0
        return 0

    # Messages ----------------------------------------------------------------------------

    def fill(self, msg, depth, top_level=True):
        descriptor = msg.DESCRIPTOR
        p = self.profile
        if p == "empty":
            return
        chosen = self.choose_oneof_cases(descriptor, depth, top_level)
        for field in descriptor.fields:
            oneof = real_oneof(field)
            if oneof is not None:
                if chosen.get(oneof.name) is field:
                    self.set_singular(msg, field, depth, top_level, force=True)
                continue
            if p == "presence":
                # Present-but-default: proto3 `optional` scalars set to their default value and
                # singular message fields set to an empty message; both must still be encoded.
                if is_repeated(field):
                    continue
                if field.type == FD.TYPE_MESSAGE:
                    getattr(msg, field.name).SetInParent()
                elif is_proto3_optional(field):
                    setattr(msg, field.name, self.default_value(field))
                continue
            if is_map(field):
                self.fill_map(msg, field, depth, top_level)
            elif is_repeated(field):
                self.fill_repeated(msg, field, depth, top_level)
            else:
                self.set_singular(msg, field, depth, top_level)

    def choose_oneof_cases(self, descriptor, depth, top_level):
        chosen = {}
        for oneof in descriptor.oneofs:
            fields = [f for f in oneof.fields if real_oneof(f) is not None]
            if not fields:
                continue
            if self.profile == "max":
                chosen[oneof.name] = fields[0]
            elif self.profile == "min":
                chosen[oneof.name] = fields[-1]
            elif self.profile == "presence":
                chosen[oneof.name] = fields[0]
            elif top_level:
                # Cycle through the cases (and "none") so that every case appears.
                k = self.case_index % (len(fields) + 1)
                if k < len(fields):
                    chosen[oneof.name] = fields[k]
            elif self.rng.random() < 0.8:
                chosen[oneof.name] = self.rng.choice(fields)
        return chosen

    def set_singular(self, msg, field, depth, top_level, force=False):
        if field.type == FD.TYPE_MESSAGE:
            if depth >= MAX_DEPTH and not force:
                return
            if self.profile == "random" and not force and self.rng.random() < 0.25:
                return
            sub = getattr(msg, field.name)
            sub.SetInParent()
            if depth < MAX_DEPTH:
                self.fill(sub, depth + 1, top_level=False)
            return
        if self.profile == "random" and not force and self.rng.random() < 0.2:
            return  # leave some fields default (or absent, for optional ones)
        value = self.scalar(field, top_level)
        if force and self.profile in ("presence",):
            value = self.default_value(field)  # a oneof case present with its default value
        setattr(msg, field.name, value)

    def repeated_count(self, field, top_level):
        p = self.profile
        if p in ("max", "min"):
            return 1
        if p == "large" and top_level:
            if field.type == FD.TYPE_MESSAGE:
                return 50
            if field.type in (FD.TYPE_STRING, FD.TYPE_BYTES):
                return 20
            return LARGE_REPEATED
        return self.rng.choice([0, 0, 1, 2, 3, 5])

    def fill_repeated(self, msg, field, depth, top_level):
        count = self.repeated_count(field, top_level)
        container = getattr(msg, field.name)
        if field.type == FD.TYPE_MESSAGE:
            if depth >= MAX_DEPTH:
                return
            for _ in range(count):
                self.fill(container.add(), depth + 1, top_level=False)
        else:
            for _ in range(count):
                container.append(self.scalar(field, top_level=False))

    def fill_map(self, msg, field, depth, top_level):
        key_field = field.message_type.fields_by_name["key"]
        value_field = field.message_type.fields_by_name["value"]
        p = self.profile
        if p in ("max", "min"):
            count = 1
        elif p == "large" and top_level:
            count = LARGE_MAP
        else:
            count = self.rng.choice([0, 1, 3, 5])
        container = getattr(msg, field.name)
        for n in range(count):
            if n == 0 and p == "random":
                key = self.default_value(key_field)  # default key: still written, and sorted first
            else:
                key = self.scalar(key_field, top_level=False)
            if key == self.default_value(key_field):
                self.map_default_entry = True
            if value_field.type == FD.TYPE_MESSAGE:
                entry = container[key]
                if depth < MAX_DEPTH:
                    self.fill(entry, depth + 1, top_level=False)
            else:
                value = self.scalar(value_field, top_level=False)
                if value == self.default_value(value_field):
                    self.map_default_entry = True
                container[key] = value


def canonical_json(msg):
    """MessageToJson(msg, preserving_proto_field_name=False, indent=None), with map entries sorted.

    json_format writes map entries in hash-table order, which changes from run to run; this
    builds the same JSON (MessageToDict + json.dumps is what MessageToJson does) with every map's
    entries sorted as the binary encoding sorts them (by key value), so the output is reproducible.
    """
    tree = json_format.MessageToDict(msg, preserving_proto_field_name=False)
    sort_maps(msg.DESCRIPTOR, tree)
    return json.dumps(tree, indent=None, ensure_ascii=False)


def sort_maps(descriptor, tree):
    for field in descriptor.fields:
        name = field.json_name
        if name not in tree or field.type != FD.TYPE_MESSAGE:
            continue
        value = tree[name]
        if is_map(field):
            key_type = field.message_type.fields_by_name["key"].type
            value_field = field.message_type.fields_by_name["value"]
            if key_type == FD.TYPE_STRING:
                order = lambda k: k
            elif key_type == FD.TYPE_BOOL:
                order = lambda k: k == "true"
            else:
                order = int
            tree[name] = {k: value[k] for k in sorted(value, key=order)}
            if value_field.type == FD.TYPE_MESSAGE:
                for entry in tree[name].values():
                    sort_maps(value_field.message_type, entry)
        elif is_repeated(field):
            for element in value:
                sort_maps(field.message_type, element)
        else:
            sort_maps(field.message_type, value)


def append_unknown_fields(data, rng):
    """Appends one unknown field of each wire type after the known fields."""

    def varint(n):
        out = bytearray()
        while True:
            b = n & 0x7F
            n >>= 7
            if n:
                out.append(b | 0x80)
            else:
                out.append(b)
                return bytes(out)

    payload = rng.randbytes(rng.randint(0, 40))
    return (data
            + varint(1000 << 3 | 0) + varint(rng.randint(0, 2**64 - 1))
            + varint(1001 << 3 | 2) + varint(len(payload)) + payload
            + varint(1002 << 3 | 5) + rng.randbytes(4)
            + varint(1003 << 3 | 1) + rng.randbytes(8))


def type_rng(seed, full_name, salt):
    return random.Random((seed << 32) ^ zlib.crc32((salt + full_name).encode()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count-per-type", type=int, default=25)
    parser.add_argument("--unknown-per-type", type=int, default=3)
    parser.add_argument("--proto-dir", default=DEFAULT_PROTO_DIR)
    args = parser.parse_args()

    os.makedirs(args.outdir, exist_ok=True)
    module_dir = tempfile.mkdtemp(prefix="medledger-pb2-")
    try:
        protos = generate_python_modules(args.proto_dir, module_dir)
        modules = import_modules(protos, module_dir)
        record_proto3_optional(modules)
        types = all_message_types(modules)
        index = []
        for descriptor in types:
            index.extend(write_type_vectors(descriptor, args))
    finally:
        shutil.rmtree(module_dir, ignore_errors=True)

    with open(os.path.join(args.outdir, "index.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "count_per_type": args.count_per_type,
                   "types": [d.full_name for d in types], "vectors": index}, f, indent=1)
        f.write("\n")
    valid = sum(1 for v in index if v["kind"] == "valid")
    print("%d message types, %d vectors (%d valid, %d with unknown fields) in %s"
          % (len(types), len(index), valid, len(index) - valid, args.outdir))


def write_type_vectors(descriptor, args):
    cls = message_class(descriptor)
    full_name = descriptor.full_name
    order = "dagpb" if full_name in DAGPB_ORDER_TYPES else "field_number"
    entries = []
    encoded = []
    rng = type_rng(args.seed, full_name, "instances:")
    for i in range(args.count_per_type):
        profile = PROFILES[i] if i < len(PROFILES) else "random"
        gen = Generator(rng, profile, i)
        msg = cls()
        gen.fill(msg, depth=0)
        data = msg.SerializeToString(deterministic=True)
        encoded.append(data)
        bin_name = "%s.%d.bin" % (full_name, i)
        json_name = "%s.%d.json" % (full_name, i)
        with open(os.path.join(args.outdir, bin_name), "wb") as f:
            f.write(data)
        text = canonical_json(msg)
        with open(os.path.join(args.outdir, json_name), "w", encoding="utf-8") as f:
            f.write(text)
        entry = {"type": full_name, "file": bin_name, "json": json_name, "kind": "valid",
                 "profile": profile, "order": order}
        if gen.open_enum:
            entry["open_enum"] = True
        if gen.nan:
            entry["nan"] = True
        if gen.nul_in_string:
            entry["nul_in_string"] = True
        if gen.map_default_entry:
            entry["map_default_entry"] = True
        entries.append(entry)

    unknown_rng = type_rng(args.seed, full_name, "unknown:")
    sources = [0, 1] + list(range(len(PROFILES), args.count_per_type))
    for j in range(min(args.unknown_per_type, len(sources))):
        source = sources[j] if j < 2 else unknown_rng.choice(sources[2:])
        with_unknown = append_unknown_fields(encoded[source], unknown_rng)
        msg = cls()
        msg.ParseFromString(with_unknown)
        data = msg.SerializeToString(deterministic=True)
        bin_name = "%s.unknown.%d.bin" % (full_name, j)
        with open(os.path.join(args.outdir, bin_name), "wb") as f:
            f.write(data)
        entry = {"type": full_name, "file": bin_name, "json": None, "kind": "unknown",
                 "source": "%s.%d.bin" % (full_name, source), "order": order}
        for flag in ("open_enum", "nan", "nul_in_string", "map_default_entry"):
            if entries[source].get(flag):
                entry[flag] = True
        entries.append(entry)
    return entries


if __name__ == "__main__":
    main()
