#!/usr/bin/env python3
"""MedLedger from Python: enroll a patient, upload an encrypted record, grant consent, download it.

Generate the stubs from the repository's proto/ first (see README.md), start `medledger dev`, then:

    python3 ehr_example.py --address 127.0.0.1:7051 --identities medledger-data/identities --generated GEN

or, against `medledger network up --data NET` (each identity calls its own organisation's peer):

    python3 ehr_example.py --network NET/network.json --identities NET/identities --generated GEN

Steps, each over mTLS as a different identity:
  1. hospitala-admin registers a new patient identity py-patient-<random>; it enrolls with a key
     and CSR made here (msp_id HospitalAMSP).
  2. dr-alice (HospitalA) registers it as a patient and uploads a FHIR Observation, encrypted here.
  3. dr-bob (HospitalB) opens the record: the ledger denies (no consent), and audits the denial.
  4. The new patient grants HospitalBMSP consent for treatment.
  5. dr-bob opens the record again: permit; the node releases the data key wrapped to dr-bob, who
     decrypts the content and checks it against the SHA-256 on the ledger.
  6. dr-bob writes a record about the patient at HospitalB: the key is wrapped a third time, to the
     patient's home organisation (HospitalA), whose node keeps a copy and a replica.
  7. The patient opens that record at their own node and decrypts it.

Prints one JSON object describing every step; exits 0 only if all of them came out as expected.
"""

import argparse
import json
import secrets
import sys
from pathlib import Path

import grpc
from cryptography import x509

import medledger_client
from health_records import HealthRecords
from medledger_client import Identity, pb


def observation(patient_id):
    """A FHIR R4 Observation (blood glucose) for `patient_id`, as the bytes a hospital system would store."""
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2339-0", "display": "Glucose"}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": "2025-03-14T09:30:00Z",
        "valueQuantity": {"value": 5.4, "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L"},
    }
    return json.dumps(resource, separators=(",", ":")).encode()


def decision(result, tx_id):
    return {"outcome": result["decision"]["outcome"], "rule": result["decision"]["rule"], "txID": tx_id}


def run(args, report):
    """Runs the story, filling `report["steps"]` as it goes; returns True if every step came out as expected."""
    identities = Path(args.identities)
    nodes = medledger_client.Nodes(address=args.address, network=args.network)
    admin = Identity.from_folder(identities / "hospitala-admin")
    alice = Identity.from_folder(identities / "dr-alice")
    bob = Identity.from_folder(identities / "dr-bob")
    steps = report["steps"]
    suffix = secrets.token_hex(4)
    enrollment_id, patient_id, record_id = f"py-patient-{suffix}", f"PY-{suffix}", f"py-rec-{suffix}"

    report["step"] = "enroll"
    secret = medledger_client.register(admin, nodes.address(admin), enrollment_id, pb["common"].ROLE_PATIENT)
    patient = medledger_client.enroll(nodes.address(admin), admin.tls_root_pem, "HospitalAMSP", enrollment_id, secret)
    subject = x509.load_der_x509_certificate(patient.certificate_der).subject.rfc4514_string()
    steps["enroll"] = {"enrollmentID": enrollment_id, "subject": subject}

    plaintext = observation(patient_id)
    report["step"] = "add_record"
    with nodes.connect(alice) as channel:
        records = HealthRecords(alice, channel)
        registered = records.register_patient(patient_id, patient.certificate_der)
        record, cid = records.add_record(record_id, patient_id, "Observation", "lab", plaintext)
    steps["add_record"] = {
        "patientID": registered["patientID"],
        "patientEnrollmentID": registered["enrollmentID"],
        "recordID": record["recordID"],
        "cid": cid,
        "plaintextSHA256": record["plaintextSHA256"],
        "bytes": len(plaintext),
    }

    report["step"] = "open_without_consent"
    with nodes.connect(bob) as channel:
        result, tx_id, content = HealthRecords(bob, channel).open_record(record_id)
    steps["open_without_consent"] = decision(result, tx_id) | {"released": content is not None}

    report["step"] = "grant_consent"
    with nodes.connect(patient) as channel:
        consent = HealthRecords(patient, channel).grant_consent(patient_id, "HospitalBMSP")
    steps["grant_consent"] = {"consentID": consent["consentID"], "grantee": consent["grantee"]["mspID"]}

    report["step"] = "open_with_consent"
    with nodes.connect(bob) as channel:
        result, tx_id, content = HealthRecords(bob, channel).open_record(record_id)
    steps["open_with_consent"] = decision(result, tx_id) | {
        "released": content is not None,
        # open_record already refused content whose SHA-256 differs from the ledger's.
        "sha256Matched": content is not None,
        "bytesMatched": content == plaintext,
    }

    report["step"] = "add_record_at_other_hospital"
    visit = observation(patient_id).replace(b"2025-03-14", b"2025-04-02")
    with nodes.connect(bob) as channel:
        record, cid = HealthRecords(bob, channel).add_record(f"{record_id}-b", patient_id, "Observation", "lab", visit)
    steps["add_record_at_other_hospital"] = {"recordID": record["recordID"], "cid": cid, "keyCopies": sorted(record["keyDigests"])}

    report["step"] = "patient_opens"
    with nodes.connect(patient) as channel:
        result, tx_id, content = HealthRecords(patient, channel).open_record(record["recordID"])
    steps["patient_opens"] = decision(result, tx_id) | {"bytesMatched": content == visit}
    del report["step"]

    return (
        steps["open_without_consent"]["outcome"] == "deny"
        and not steps["open_without_consent"]["released"]
        and steps["open_with_consent"]["outcome"] == "permit"
        and steps["open_with_consent"]["bytesMatched"]
        and steps["add_record_at_other_hospital"]["keyCopies"] == ["author", "home", "patient"]
        and steps["patient_opens"]["outcome"] == "permit"
        and steps["patient_opens"]["bytesMatched"]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--address", help="HOST:PORT of the `medledger dev` node, e.g. 127.0.0.1:7051")
    where.add_argument("--network", help="network.json of `medledger network up`: each identity calls its own organisation's peer")
    parser.add_argument("--identities", required=True, help="the identities folder: DATA/identities of dev, NET/identities of a network")
    parser.add_argument("--generated", required=True, help="where grpc_tools.protoc wrote the stubs")
    args = parser.parse_args()
    medledger_client.load_stubs(args.generated)

    report = {"ok": False, "steps": {}}
    try:
        report["ok"] = run(args, report)
    except grpc.RpcError as error:
        report["error"] = {"code": error.code().name, "details": error.details()}
    except Exception as error:
        report["error"] = {"code": type(error).__name__, "details": str(error)}
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
