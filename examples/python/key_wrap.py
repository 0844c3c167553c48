"""Wrapping a record's data key to a reader, as Sources/ContentStore/KeyWrap.swift does.

HPKE (RFC 9180) base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, with
info = b"medledger data key v1" and the record's binary CID as associated data, so a wrapped key
opens only for the record it was made for. A wrapped key is enc (65 bytes) || ciphertext.
"""

import base64

from cryptography import x509
from pyhpke import AEADId, CipherSuite, KDFId, KEMId, KEMKey

INFO = b"medledger data key v1"
ENCAPSULATED_KEY_SIZE = 65
SUITE = CipherSuite.new(KEMId.DHKEM_P256_HKDF_SHA256, KDFId.HKDF_SHA256, AEADId.AES256_GCM)


def _base58_decode(text):
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    number = 0
    for char in text:
        number = number * 58 + alphabet.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\x00" * (len(text) - len(text.lstrip("1"))) + body


def cid_bytes(cid):
    """The binary form of a CID string (as CID.swift's `bytes`): the multihash for CIDv0 ("Qm…"),
    varint(1) varint(codec) multihash for CIDv1 ("b…" base32 lower case, "z…" base58btc)."""
    if cid.startswith("Qm"):
        return _base58_decode(cid)
    if cid.startswith("b"):
        text = cid[1:].upper()
        return base64.b32decode(text + "=" * (-len(text) % 8))
    if cid.startswith("z"):
        return _base58_decode(cid[1:])
    raise ValueError(f"unsupported CID {cid!r} (expected Qm…, b… or z…)")


def wrap(data_key, certificate_der, cid):
    """Wraps `data_key` to the P-256 key of the DER certificate `certificate_der`, for the record `cid`."""
    public_key = x509.load_der_x509_certificate(certificate_der).public_key()
    enc, sender = SUITE.create_sender_context(KEMKey.from_pyca_cryptography_key(public_key), info=INFO)
    return enc + sender.seal(data_key, aad=cid_bytes(cid))


def unwrap(wrapped, private_key, cid):
    """Opens a key wrapped to `private_key` (a `cryptography` P-256 private key) for the record `cid`."""
    if len(wrapped) <= ENCAPSULATED_KEY_SIZE + 16:
        raise ValueError(f"wrapped key of {len(wrapped)} bytes is too short")
    recipient = SUITE.create_recipient_context(
        wrapped[:ENCAPSULATED_KEY_SIZE], KEMKey.from_pyca_cryptography_key(private_key), info=INFO
    )
    key = recipient.open(wrapped[ENCAPSULATED_KEY_SIZE:], aad=cid_bytes(cid))
    if len(key) != 32:
        raise ValueError(f"unwrapped key is {len(key)} bytes, expected 32")
    return key
