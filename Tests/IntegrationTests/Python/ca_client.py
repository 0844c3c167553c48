#!/usr/bin/env python3
"""Enrolls with a MedLedger node's CertificateAuthority over TLS, then calls a protected RPC over mTLS.

Generate the stubs from the repository's proto/ first, then run:

    python3 -m grpc_tools.protoc -I proto --python_out=GEN --grpc_python_out=GEN \\
        medledger/v1/common.proto medledger/v1/identity.proto medledger/v1/ca.proto
    python3 ca_client.py --generated GEN --target 127.0.0.1:7051 --ca medledger-data/tls/ca.pem \\
        --id ID --secret SECRET

The key and CSR are made here (the CA never sees the key). Prints one JSON object: the enrolled
certificate's subject and serial, the mTLS GetCRL result, and the status of the same call without
a client certificate.
"""

import argparse
import importlib
import json
import sys

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--id", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()

    sys.path.insert(0, args.generated)
    identity_pb2 = importlib.import_module("medledger.v1.identity_pb2")
    ca_pb2_grpc = importlib.import_module("medledger.v1.ca_pb2_grpc")

    root = open(args.ca, "rb").read()
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, args.id)]))
        .sign(key, hashes.SHA256())
    )
    result = {}
    with grpc.secure_channel(args.target, grpc.ssl_channel_credentials(root_certificates=root)) as channel:
        stub = ca_pb2_grpc.CertificateAuthorityStub(channel)
        response = stub.Enroll(
            identity_pb2.EnrollRequest(
                enrollment_id=args.id, secret=args.secret, csr=csr.public_bytes(serialization.Encoding.DER)
            ),
            timeout=60,
        )
        certificate = x509.load_der_x509_certificate(response.certificate)
        result["subject"] = certificate.subject.rfc4514_string()
        result["serial"] = format(certificate.serial_number, "x")
        try:
            stub.GetCRL(identity_pb2.GetCRLRequest(), timeout=60)
            result["without_certificate"] = "OK"
        except grpc.RpcError as exc:
            result["without_certificate"] = exc.code().name

    credentials = grpc.ssl_channel_credentials(
        root_certificates=root,
        private_key=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        certificate_chain=certificate.public_bytes(serialization.Encoding.PEM),
    )
    with grpc.secure_channel(args.target, credentials) as channel:
        stub = ca_pb2_grpc.CertificateAuthorityStub(channel)
        crl = stub.GetCRL(identity_pb2.GetCRLRequest(), timeout=60)
        result["crl_issuer"] = x509.load_der_x509_crl(crl.crl).issuer.rfc4514_string()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
