"""MedLedger's sealed-stream format for record content, byte for byte as Sources/ContentStore/SealedStream.swift.

Layout: a 10-byte header b"MLS1" | segment size (uint32 big-endian) | 0x0000, then the plaintext in
segments of `segment_size` bytes (the last may be shorter, or empty for an empty record), each sealed
with AES-256-GCM as ciphertext || 16-byte tag. The nonce is 7 zero bytes | segment index (uint32
big-endian) | 1 for the last segment else 0, and the header is the associated data, so segments
cannot be reordered, dropped or truncated without failing authentication.
"""

import hashlib
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"MLS1"
HEADER_SIZE = 10
TAG_SIZE = 16
DEFAULT_SEGMENT_SIZE = 65_536


class SealedStreamError(Exception):
    """The bytes are not a sealed stream this key opens."""


def header(segment_size):
    return MAGIC + struct.pack(">I", segment_size) + b"\x00\x00"


def _nonce(index, last):
    if index > 0xFFFFFFFF:
        raise SealedStreamError("more than 2^32 segments")
    return b"\x00" * 7 + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def seal(key, plaintext, segment_size=DEFAULT_SEGMENT_SIZE):
    """Seals `plaintext` with the 32-byte `key`; returns (sealed bytes, hex SHA-256 of the plaintext)."""
    if not 16 <= segment_size <= 16 << 20:
        raise SealedStreamError(f"segment size {segment_size} outside 16 B … 16 MiB")
    aead = AESGCM(key)
    head = header(segment_size)
    out = [head]
    # Every segment but the last is full; a plaintext of exactly N segments ends with a full last
    # segment, and an empty plaintext is one empty last segment (as SealingWriter does).
    count = max(1, -(-len(plaintext) // segment_size))
    for index in range(count):
        segment = plaintext[index * segment_size : (index + 1) * segment_size]
        out.append(aead.encrypt(_nonce(index, index == count - 1), segment, head))
    return b"".join(out), hashlib.sha256(plaintext).hexdigest()


def open_sealed(key, sealed):
    """Decrypts a whole sealed stream with the 32-byte `key`; raises SealedStreamError if it does not authenticate."""
    head = sealed[:HEADER_SIZE]
    if len(head) != HEADER_SIZE or head[:4] != MAGIC or head[8:10] != b"\x00\x00":
        raise SealedStreamError("not a MedLedger sealed stream (bad header)")
    segment_size = struct.unpack(">I", head[4:8])[0]
    if not 16 <= segment_size <= 16 << 20:
        raise SealedStreamError(f"segment size {segment_size} outside 16 B … 16 MiB")
    body = sealed[HEADER_SIZE:]
    if len(body) < TAG_SIZE:
        raise SealedStreamError(f"stream of {len(sealed)} bytes is truncated")
    sealed_segment = segment_size + TAG_SIZE
    count = (len(body) - 1) // sealed_segment + 1
    if len(body) - (count - 1) * sealed_segment < TAG_SIZE:
        raise SealedStreamError("last segment is truncated")
    aead = AESGCM(key)
    out = []
    for index in range(count):
        segment = body[index * sealed_segment : (index + 1) * sealed_segment]
        try:
            out.append(aead.decrypt(_nonce(index, index == count - 1), segment, head))
        except Exception as exc:
            raise SealedStreamError(
                f"segment {index} fails authentication (wrong key, tampered, truncated or reordered)"
            ) from exc
    return b"".join(out)
