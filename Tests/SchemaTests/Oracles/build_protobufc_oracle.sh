#!/usr/bin/env bash
# Builds pbc-roundtrip, the protobuf-c oracle (see protobufc_roundtrip.c), into OUTDIR.
#
#   build_protobufc_oracle.sh OUTDIR [PROTO_DIR]
#
# Runs protoc-c on every .proto under PROTO_DIR (default: the repository's proto/), generates a
# table of all message descriptors, and compiles OUTDIR/pbc-roundtrip against -lprotobuf-c.
#
# protoc-c 1.4.1 (Debian 12) does not declare support for proto3 `optional`, and protoc refuses
# to run it on such files. Those files (dagpb, unixfs, content) are therefore compiled from a
# proto2 copy: `syntax` becomes proto2, unlabeled singular fields become `optional` (outside
# oneofs), and unlabeled repeated scalars get [packed = true]. On the wire this is the same
# schema: a proto3 encoder writes an implicit-presence field exactly when it is not default,
# and the proto2 copy re-encodes exactly the fields that were present. One difference remains:
# proto2 enums are closed, so an enum number with no name is treated as an unknown field.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 OUTDIR [PROTO_DIR]" >&2
    exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
proto_dir="$(cd "${2:-$here/../../../proto}" && pwd)"

stage="$out/proto"
gen="$out/gen"
rm -rf "$stage" "$gen"
mkdir -p "$stage" "$gen"

# Stage the protos without their services, rewriting the ones that use proto3 `optional` as proto2.
python3 - "$proto_dir" "$stage" <<'PY'
import os
import re
import sys

source, stage = sys.argv[1], sys.argv[2]
SCALARS = {"double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
           "fixed32", "fixed64", "sfixed32", "sfixed64", "bool"}
FIELD = re.compile(r"^(\s*)(optional\s+|repeated\s+)?([\w.]+)\s+(\w+)\s*=\s*(\d+)\s*(\[[^\]]*\])?\s*;")


def uses_proto3_optional(text):
    return re.search(r"^\s*optional\s", text, re.M) is not None


def to_proto2(text, enum_names):
    out = []
    block_stack = []  # "message", "oneof", "enum", "service", or "other" per open brace
    for line in text.splitlines():
        code = line.split("//", 1)[0]
        if re.match(r'^\s*syntax\s*=\s*"proto3"\s*;', code):
            line = line.replace('"proto3"', '"proto2"')
        in_message = bool(block_stack) and block_stack[-1] == "message"
        m = FIELD.match(code)
        if m and in_message and not code.strip().startswith("map<"):
            indent, label, ftype, name, number, options = m.groups()
            if label is None:
                line = line.replace(code.rstrip(), code.rstrip().replace(
                    indent + ftype, indent + "optional " + ftype, 1), 1)
            elif label.strip() == "repeated" and (ftype in SCALARS or ftype in enum_names) \
                    and (options is None or "packed" not in options):
                line = line.replace(name + " = " + number + ";",
                                    name + " = " + number + " [packed = true];", 1)
        # Track braces with what opened them.
        for token in re.finditer(r"\b(message|oneof|enum|service)\s+\w+\s*\{|\{|\}", code):
            text_token = token.group(0)
            if text_token == "}":
                block_stack.pop()
            elif text_token == "{":
                block_stack.append("other")
            else:
                block_stack.append(token.group(1))
        out.append(line)
    return "\n".join(out) + "\n"


def without_services(text):
    """Drops service blocks: the oracle needs only messages, and protoc-c's service stubs do not
    compile for an rpc named `Register` (it becomes a struct member named `register`)."""
    out, depth = [], 0
    for line in text.splitlines():
        code = line.split("//", 1)[0]
        if depth == 0 and re.match(r"^\s*service\s+\w+\s*\{", code):
            depth = code.count("{") - code.count("}")
            continue
        if depth > 0:
            depth += code.count("{") - code.count("}")
            continue
        out.append(line)
    return "\n".join(out) + "\n"


for root, _, files in os.walk(source):
    for name in files:
        if not name.endswith(".proto"):
            continue
        path = os.path.join(root, name)
        rel = os.path.relpath(path, source)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if uses_proto3_optional(text):
            enums = set(re.findall(r"\benum\s+(\w+)", text))
            text = to_proto2(text, enums)
            print("proto2 copy:", rel)
        text = without_services(text)
        if not re.search(r"^\s*(message|enum)\s", text, re.M):
            continue  # a services-only file (ca.proto, content_service.proto)
        os.makedirs(os.path.join(stage, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(stage, rel), "w", encoding="utf-8") as f:
            f.write(text)
PY

mapfile -t protos < <(cd "$stage" && find . -name '*.proto' | sed 's|^\./||' | sort)
(cd "$stage" && protoc-c -I . --c_out="$gen" "${protos[@]}")

# One table of every generated message descriptor (nested and map-entry types included).
mapfile -t headers < <(cd "$gen" && find . -name '*.pb-c.h' | sed 's|^\./||' | sort)
table="$gen/pbc_descriptor_table.c"
{
    echo "/* Generated by build_protobufc_oracle.sh. DO NOT EDIT. */"
    echo "#include <stddef.h>"
    for h in "${headers[@]}"; do echo "#include \"$h\""; done
    echo "const ProtobufCMessageDescriptor *const pbc_descriptor_table[] = {"
    for h in "${headers[@]}"; do
        sed -n 's/^extern const ProtobufCMessageDescriptor \([A-Za-z0-9_]*\);$/    \&\1,/p' "$gen/$h"
    done
    echo "};"
    echo "const size_t pbc_descriptor_count = sizeof(pbc_descriptor_table) / sizeof(pbc_descriptor_table[0]);"
} > "$table"

mapfile -t sources < <(find "$gen" -name '*.pb-c.c' | sort)
gcc -std=c11 -O1 -Wall -Wno-unused-parameter -I "$gen" \
    -o "$out/pbc-roundtrip" "$here/protobufc_roundtrip.c" "$table" "${sources[@]}" -lprotobuf-c

echo "built $out/pbc-roundtrip ($("$out/pbc-roundtrip" --list | wc -l) message descriptors)"
