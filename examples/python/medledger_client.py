"""A small MedLedger client over stubs generated from proto/ by grpcio-tools: mTLS channels,
enrollment, and ledger transactions (proposal → Endorse → sign → Submit → CommitStatus) built
exactly as Sources/MedLedgerKit/TransactionProposal.swift and LedgerGateway.swift build them.

Call `load_stubs(DIR)` once with the directory the stubs were generated into before anything else.
"""

import contextlib
import hashlib
import importlib
import json
import os
import sys
import time
from pathlib import Path

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

pb = {}


def load_stubs(generated):
    """Imports the generated medledger.v1 modules from `generated` into `pb`, e.g. pb["ledger"]."""
    sys.path.insert(0, str(generated))
    for name in ["common", "identity", "ca", "ledger", "block", "deliver", "gateway", "content", "content_service", "records"]:
        pb[name] = importlib.import_module(f"medledger.v1.{name}_pb2")
        if name in ("ca", "deliver", "gateway", "content_service", "records"):
            pb[name + "_grpc"] = importlib.import_module(f"medledger.v1.{name}_pb2_grpc")


class Identity:
    """An X.509 identity: a DER certificate and its P-256 private key, plus the TLS root to trust."""

    def __init__(self, name, certificate_der, private_key, tls_root_pem):
        self.name = name
        self.certificate_der = certificate_der
        self.private_key = private_key
        self.tls_root_pem = tls_root_pem

    @classmethod
    def from_folder(cls, folder):
        """Reads an identity folder (cert.pem, key.pem PKCS#8, and tls-ca.pem or else ca.pem: the root
        that issued the node's TLS certificate), as `medledger dev` and `medledger network up` write them."""
        folder = Path(folder)
        certificate = x509.load_pem_x509_certificate((folder / "cert.pem").read_bytes())
        key = serialization.load_pem_private_key((folder / "key.pem").read_bytes(), password=None)
        tls_root = folder / "tls-ca.pem"
        return cls(
            folder.name,
            certificate.public_bytes(serialization.Encoding.DER),
            key,
            (tls_root if tls_root.exists() else folder / "ca.pem").read_bytes(),
        )

    @property
    def msp_id(self):
        """The organisation that issued this identity: its certificate's subject O."""
        subject = x509.load_der_x509_certificate(self.certificate_der).subject
        return subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value

    def sign(self, payload):
        """ECDSA P-256 over SHA-256 of `payload`, DER-encoded: the signature MedLedger expects everywhere."""
        return self.private_key.sign(payload, ec.ECDSA(hashes.SHA256()))

    def channel(self, address):
        """An mTLS channel to `address` presenting this identity's certificate."""
        credentials = grpc.ssl_channel_credentials(
            root_certificates=self.tls_root_pem,
            private_key=self.private_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
            certificate_chain=x509.load_der_x509_certificate(self.certificate_der).public_bytes(
                serialization.Encoding.PEM
            ),
        )
        return grpc.secure_channel(address, credentials)


def register(admin, address, enrollment_id, role):
    """Registers `enrollment_id` with `role` at the CA of `admin`'s organisation (mTLS as the admin); returns the secret."""
    with admin.channel(address) as channel:
        stub = pb["ca_grpc"].CertificateAuthorityStub(channel)
        request = pb["identity"].RegisterRequest(enrollment_id=enrollment_id, role=role)
        return stub.Register(request, timeout=30).secret


def enroll(address, tls_root_pem, msp_id, enrollment_id, secret):
    """Enrolls `enrollment_id` with the CA of `msp_id` over plain TLS; the key and the CSR are made
    here, so the private key never leaves this process. Returns the new Identity."""
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, enrollment_id)]))
        .sign(key, hashes.SHA256())
    )
    request = pb["identity"].EnrollRequest(
        enrollment_id=enrollment_id,
        secret=secret,
        csr=csr.public_bytes(serialization.Encoding.DER),
        msp_id=msp_id,
    )
    with grpc.secure_channel(address, grpc.ssl_channel_credentials(root_certificates=tls_root_pem)) as channel:
        response = pb["ca_grpc"].CertificateAuthorityStub(channel).Enroll(request, timeout=30)
    return Identity(enrollment_id, response.certificate, key, tls_root_pem)


class Nodes:
    """Where each identity connects: the one node of `medledger dev`, or, on a network of nodes
    (`network.json` of `medledger network up`), the peer of the identity's own organisation.

    On a network, `connect` first waits until that peer has committed every block of the channel
    an earlier connection saw, so that each step reads what the previous ones wrote on other nodes."""

    def __init__(self, address=None, network=None, channel_id="ehr", timeout=60):
        self.single = address
        self.peers = {}
        if network is not None:
            plan = json.loads(Path(network).read_text())
            self.peers = {org["mspID"]: f"127.0.0.1:{org['peer']['port']}" for org in plan["organizations"]}
        self.channel_id = channel_id
        self.timeout = timeout
        self.seen = 0

    def address(self, identity):
        if self.single is not None:
            return self.single
        if identity.msp_id not in self.peers:
            raise KeyError(f"no peer of {identity.msp_id} ({identity.name}'s organisation) in the network")
        return self.peers[identity.msp_id]

    @contextlib.contextmanager
    def connect(self, identity):
        """An mTLS channel as `identity` to its node, caught up with what earlier steps saw."""
        with identity.channel(self.address(identity)) as channel:
            if self.single is None:
                wait_for_height(channel, self.channel_id, self.seen, self.timeout)
            yield channel
            if self.single is None:
                self.seen = max(self.seen, height(channel, self.channel_id))


def _one_filtered_block(channel, channel_id, position, wait, timeout):
    request = pb["deliver"].DeliverRequest(
        channel_id=channel_id,
        start=position,
        stop=position,
        filtered=True,
        behavior=pb["deliver"].SEEK_BEHAVIOR_BLOCK_UNTIL_READY if wait else pb["deliver"].SEEK_BEHAVIOR_FAIL_IF_NOT_READY,
    )
    numbers = [r.filtered_block.number for r in pb["deliver_grpc"].DeliverStub(channel).Blocks(request, timeout=timeout)]
    if not numbers:
        raise ContractError(f"Deliver of {channel_id} sent no block")
    return numbers[-1]


def height(channel, channel_id="ehr", timeout=30):
    """How many blocks of `channel_id` the node has committed (Deliver, filtered: no content)."""
    newest = pb["deliver"].SeekPosition(newest=pb["deliver"].SeekPosition.Newest())
    return _one_filtered_block(channel, channel_id, newest, False, timeout) + 1


def wait_for_height(channel, channel_id, target, timeout=60):
    """Returns once the node has committed `target` blocks of `channel_id` (DEADLINE_EXCEEDED after `timeout`)."""
    if target > 0:
        block = pb["deliver"].SeekPosition(specified=pb["deliver"].SeekPosition.Specified(number=target - 1))
        _one_filtered_block(channel, channel_id, block, True, timeout)


class ContractError(Exception):
    """A transaction that was ordered but did not commit as VALID."""


class Ledger:
    """The Gateway of one channel, as one identity over one mTLS channel."""

    def __init__(self, identity, channel, channel_id="ehr", timeout=30):
        self.identity = identity
        self.channel_id = channel_id
        self.timeout = timeout
        self.gateway = pb["gateway_grpc"].GatewayStub(channel)

    def proposal(self, chaincode, function, argument):
        """A signed proposal for `function(argument)` (one JSON object) and its tx ID."""
        nonce = os.urandom(32)
        now = time.time_ns()
        proposal = pb["ledger"].Proposal(
            channel_id=self.channel_id,
            chaincode_name=chaincode,
            input=pb["ledger"].ChaincodeInput(
                function=function, args=[json.dumps(argument, sort_keys=True, separators=(",", ":")).encode()]
            ),
            # Fabric's derivation: the peer recomputes it and rejects a proposal whose tx_id differs.
            tx_id=hashlib.sha256(nonce + self.identity.certificate_der).hexdigest(),
            nonce=nonce,
            creator=self.identity.certificate_der,
            timestamp=pb["common"].Timestamp(seconds=now // 1_000_000_000, nanos=now % 1_000_000_000),
        )
        proposal_bytes = proposal.SerializeToString(deterministic=True)
        signed = pb["ledger"].SignedProposal(proposal_bytes=proposal_bytes, signature=self.identity.sign(proposal_bytes))
        return signed, proposal.tx_id

    def evaluate(self, chaincode, function, argument):
        """Runs a query; nothing is ordered. Returns the contract's JSON response, decoded."""
        signed, tx_id = self.proposal(chaincode, function, argument)
        request = pb["gateway"].EvaluateRequest(
            transaction_id=tx_id, channel_id=self.channel_id, proposed_transaction=signed
        )
        return json.loads(self.gateway.Evaluate(request, timeout=self.timeout).result.payload)

    def submit(self, chaincode, function, argument):
        """Endorses, signs and submits a transaction, waits for its commit; returns (JSON response, tx ID)."""
        signed, tx_id = self.proposal(chaincode, function, argument)
        endorsed = self.gateway.Endorse(
            pb["gateway"].EndorseRequest(transaction_id=tx_id, channel_id=self.channel_id, proposed_transaction=signed),
            timeout=self.timeout,
        )
        if not endorsed.HasField("prepared_transaction"):
            raise ContractError(f"the endorse response for {tx_id} has no prepared transaction")
        envelope = pb["ledger"].Envelope()
        envelope.CopyFrom(endorsed.prepared_transaction)
        envelope.signature = self.identity.sign(envelope.payload)
        self.gateway.Submit(
            pb["gateway"].SubmitRequest(transaction_id=tx_id, channel_id=self.channel_id, prepared_transaction=envelope),
            timeout=self.timeout,
        )
        status = self.gateway.CommitStatus(
            pb["gateway"].CommitStatusRequest(transaction_id=tx_id, channel_id=self.channel_id), timeout=self.timeout
        )
        if status.result != pb["block"].TX_VALIDATION_CODE_VALID:
            code = pb["block"].TxValidationCode.Name(status.result)
            raise ContractError(f"{function} (transaction {tx_id}) committed as {code}, not VALID")
        return json.loads(endorsed.result.payload), tx_id
