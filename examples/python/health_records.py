"""Health records with client-side encryption, as Sources/MedLedgerKit/EHR/HealthRecords+Records.swift
does them: the plaintext is sealed here with a fresh data key, only ciphertext goes to the content
store, the key goes to the node wrapped (HPKE) to the patient, to the author's organisation and (when
it is another) to the patient's home organisation, and
a read is an audited `OpenRecord` transaction before the node releases the key re-wrapped to the reader.
"""

import base64
import hashlib
import os

import key_wrap
import sealed_stream
from medledger_client import Ledger, pb

CONTRACT = "ehr"
CHUNK_SIZE = 256 * 1024


class IntegrityError(Exception):
    """The decrypted record does not match the SHA-256 the ledger recorded."""


class HealthRecords:
    """The `ehr` contract, the Content service and the Records service as one identity."""

    def __init__(self, identity, channel, channel_id="ehr", timeout=30):
        self.identity = identity
        self.ledger = Ledger(identity, channel, channel_id, timeout)
        self.content = pb["content_service_grpc"].ContentStub(channel)
        self.records = pb["records_grpc"].RecordsStub(channel)
        self.timeout = timeout

    def register_patient(self, patient_id, certificate_der):
        """RegisterPatient (hospital staff): binds `patient_id` to the patient's certificate."""
        request = {"patientID": patient_id, "certificate": base64.b64encode(certificate_der).decode()}
        return self.ledger.submit(CONTRACT, "RegisterPatient", request)[0]

    def patient(self, patient_id):
        return self.ledger.evaluate(CONTRACT, "GetPatient", {"patientID": patient_id})

    def grant_consent(self, patient_id, grantee_msp_id, purposes=("TREAT",), categories=()):
        """GrantConsent (the patient only): lets an organisation read for `purposes`."""
        request = {
            "patientID": patient_id,
            "scope": "treatment",
            "grantee": {"kind": "organization", "mspID": grantee_msp_id},
            "purposes": list(purposes),
            "categories": list(categories),
        }
        return self.ledger.submit(CONTRACT, "GrantConsent", request)[0]

    def add_record(self, record_id, patient_id, resource_type, category, plaintext):
        """Encrypts, stores, deposits the wrapped keys and submits AddRecord; returns (record, CID)."""
        patient = self.patient(patient_id)
        patient_certificate = base64.b64decode(patient["certificate"])
        custodian = self.records.GetCustodian(pb["records"].GetCustodianRequest(), timeout=self.timeout)
        # The patient's home organisation keeps a copy too (its node answers for its custodian).
        home = self.records.GetCustodian(pb["records"].GetCustodianRequest(msp_id=patient["mspID"]), timeout=self.timeout)

        data_key = os.urandom(32)
        sealed, digest = sealed_stream.seal(data_key, plaintext)
        cid = self.store(sealed)

        deposit = pb["records"].DepositKeysRequest(
            channel_id=self.ledger.channel_id,
            cid=cid,
            patient_id=patient_id,
            patient_key=key_wrap.wrap(data_key, patient_certificate, cid),
            organization_key=key_wrap.wrap(data_key, custodian.certificate, cid),
        )
        if home.certificate != custodian.certificate:
            deposit.home_organization_key = key_wrap.wrap(data_key, home.certificate, cid)
        receipt = self.records.DepositKeys(deposit, timeout=self.timeout)
        key_digests = {"patient": receipt.patient_key_digest, "author": receipt.organization_key_digest}
        if receipt.home_organization_key_digest:
            key_digests["home"] = receipt.home_organization_key_digest
        request = {
            "recordID": record_id,
            "patientID": patient_id,
            "cid": cid,
            "plaintextSHA256": digest,
            "resourceType": resource_type,
            "category": category,
            "keyDigests": key_digests,
        }
        return self.ledger.submit(CONTRACT, "AddRecord", request)[0], cid

    def open_record(self, record_id, purpose="TREAT"):
        """Submits OpenRecord (the ledger decides and audits, denials included). On a permit, fetches
        the released key and the ciphertext, decrypts, and checks the plaintext's SHA-256 against the
        ledger. Returns (OpenRecord's JSON result, its tx ID, plaintext or None)."""
        result, tx_id = self.ledger.submit(CONTRACT, "OpenRecord", {"recordID": record_id, "purpose": purpose})
        record = result.get("record")
        if result["decision"]["outcome"] != "permit" or record is None:
            return result, tx_id, None
        released = self.records.ReleaseKey(
            pb["records"].ReleaseKeyRequest(channel_id=self.ledger.channel_id, transaction_id=tx_id),
            timeout=self.timeout,
        )
        data_key = key_wrap.unwrap(released.wrapped_key, self.identity.private_key, released.cid)
        plaintext = sealed_stream.open_sealed(data_key, self.fetch(released.cid))
        actual = hashlib.sha256(plaintext).hexdigest()
        if actual != record["plaintextSHA256"]:
            raise IntegrityError(
                f"record {record_id!r} decrypted to SHA-256 {actual}, but the ledger recorded {record['plaintextSHA256']}"
            )
        return result, tx_id, plaintext

    def store(self, sealed):
        """Adds sealed bytes to the content store (CIDv1, raw leaves, pinned provisionally: the node
        collects them if no committed record references them within its upload grace); returns the CID."""

        def requests():
            yield pb["content"].AddRequest(options=pb["content"].AddOptions(cid_version=1, pin=True, provisional=True))
            for start in range(0, len(sealed), CHUNK_SIZE):
                yield pb["content"].AddRequest(chunk=sealed[start : start + CHUNK_SIZE])

        return self.content.Add(requests(), timeout=self.timeout).cid

    def fetch(self, cid):
        responses = self.content.Cat(pb["content"].CatRequest(cid=cid), timeout=self.timeout)
        return b"".join(response.chunk for response in responses)
