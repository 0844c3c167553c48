#!/usr/bin/env bash
# Regenerates the committed peer code from ../proto: swift-protobuf's (Sources/SwiftProtobufPeer)
# and protobuf-c's (Sources/ProtobufCPeer/medledger). Run it only when those .proto files change.
#
#   Scripts/generate_peers.sh PROTOC_GEN_SWIFT
#
# PROTOC_GEN_SWIFT is protoc-gen-swift built from swift-protobuf 1.39.0, the runtime version pinned
# in Package.swift, e.g.:
#   git clone https://github.com/apple/swift-protobuf /tmp/sp && git -C /tmp/sp checkout 1.39.0
#   (cd /tmp/sp && swift build -c release --product protoc-gen-swift)
#   Scripts/generate_peers.sh /tmp/sp/.build/release/protoc-gen-swift
# protoc-c is the system one (protobuf-c 1.4.1, libprotoc 3.21.12 on Debian 12). These four files
# need neither of the rewrites Tests/SchemaTests/Oracles/build_protobufc_oracle.sh applies (no
# services, no proto3 `optional`).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 PROTOC_GEN_SWIFT" >&2
    exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
proto_root="$here/../proto"
protos=(medledger/v1/common.proto medledger/v1/channel.proto medledger/v1/ledger.proto medledger/v1/block.proto)

rm -rf "$here/Sources/SwiftProtobufPeer/medledger" "$here/Sources/ProtobufCPeer/medledger"
protoc --plugin=protoc-gen-swift="$1" --swift_opt=Visibility=Public \
    --swift_out="$here/Sources/SwiftProtobufPeer" -I "$proto_root" "${protos[@]}"
protoc-c --c_out="$here/Sources/ProtobufCPeer" -I "$proto_root" "${protos[@]}"
