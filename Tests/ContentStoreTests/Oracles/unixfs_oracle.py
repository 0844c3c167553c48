#!/usr/bin/env python3
"""Independent oracle for MedLedger's importer: computes the root CID `ipfs add` gives a file.

It follows the structure of Kubo's balanced importer (boxo ipld/unixfs/importer/balanced):
a first leaf as root, then repeatedly a new root over the old one filled recursively by depth
(`fillNodeRec`), which is a different algorithm from the Swift importer's level stack, so the two
agree only if both match the layout. UnixFS and PBLink messages are encoded by Python protobuf
from MedLedger's proto/ files (compiled here by protoc); PBNode is assembled by hand because
dag-pb writes Links (field 2) before Data (field 1). Base32 comes from the standard library.

Usage: unixfs_oracle.py PROTO_DIR FILE CID_VERSION RAW_LEAVES(0|1) CHUNK_SIZE [MAX_LINKS]
Prints: "<root CID> <file size> <dag size>".
"""

import base64
import hashlib
import importlib
import os
import subprocess
import sys
import tempfile

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data):
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = B58[rem] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def load_messages(proto_dir):
    out = tempfile.mkdtemp(prefix="unixfs-oracle-")
    subprocess.run(
        ["protoc", "-I", proto_dir, "--python_out", out,
         "medledger/v1/dagpb.proto", "medledger/v1/unixfs.proto"],
        check=True,
    )
    sys.path.insert(0, out)
    dagpb = importlib.import_module("medledger.v1.dagpb_pb2")
    unixfs = importlib.import_module("medledger.v1.unixfs_pb2")
    return dagpb, unixfs


class Builder:
    def __init__(self, dagpb, unixfs, data, cid_version, raw_leaves, chunk_size, max_links):
        self.dagpb, self.unixfs = dagpb, unixfs
        self.data, self.pos = data, 0
        self.cid_version, self.raw_leaves = cid_version, raw_leaves
        self.chunk_size, self.max_links = chunk_size, max_links

    def done(self):
        return self.pos >= len(self.data)

    def cid(self, block, codec):
        mh = b"\x12\x20" + hashlib.sha256(block).digest()
        if codec == 0x70 and self.cid_version == 0:
            return mh
        return varint(1) + varint(codec) + mh

    def node(self, links, unixfs_bytes):
        out = bytearray()
        for cid, tsize in links:
            link = self.dagpb.PBLink()
            link.Hash = cid
            link.Name = ""
            link.Tsize = tsize
            encoded = link.SerializeToString(deterministic=True)
            out += b"\x12" + varint(len(encoded)) + encoded
        out += b"\x0a" + varint(len(unixfs_bytes)) + unixfs_bytes
        return bytes(out)

    def leaf(self):
        chunk = self.data[self.pos:self.pos + self.chunk_size]
        self.pos += len(chunk)
        if self.raw_leaves:
            return self.cid(chunk, 0x55), len(chunk), len(chunk)
        header = self.unixfs.Data()
        header.Type = self.unixfs.Data.File
        if chunk:
            header.Data = chunk
        header.filesize = len(chunk)
        block = self.node([], header.SerializeToString(deterministic=True))
        return self.cid(block, 0x70), len(block), len(chunk)

    def parent(self, children):
        header = self.unixfs.Data()
        header.Type = self.unixfs.Data.File
        header.filesize = sum(c[2] for c in children)
        header.blocksizes.extend(c[2] for c in children)
        block = self.node([(c[0], c[1]) for c in children], header.SerializeToString(deterministic=True))
        return self.cid(block, 0x70), len(block) + sum(c[1] for c in children), header.filesize

    def fill(self, children, depth):
        while len(children) < self.max_links and not self.done():
            children.append(self.leaf() if depth == 1 else self.fill([], depth - 1))
        return self.parent(children)

    def layout(self):
        root = self.leaf()
        depth = 1
        while not self.done():
            root = self.fill([root], depth)
            depth += 1
        return root


def text(cid, version):
    return b58encode(cid) if version == 0 and cid[0] == 0x12 else "b" + base64.b32encode(cid).decode().lower().rstrip("=")


def main():
    proto_dir, path, version, raw, chunk = sys.argv[1:6]
    max_links = int(sys.argv[6]) if len(sys.argv) > 6 else 174
    dagpb, unixfs = load_messages(proto_dir)
    with open(path, "rb") as handle:
        data = handle.read()
    builder = Builder(dagpb, unixfs, data, int(version), raw == "1", int(chunk), max_links)
    cid, tsize, size = builder.layout()
    print(text(cid, int(version)), size, tsize)


if __name__ == "__main__":
    main()
