import Identity
import Schema
public import EHRModel

/// Research access: `RequestAccess`, `ListAccessRequests`, `RespondToAccessRequest`, `StudyRecords`.
extension EHRContract {

    /// The argument of a function that needs none: `{}`.



    /// RequestAccess {studyID, purpose, categories, periodStart?, periodEnd?, description} →
    /// `AccessRequest`; researchers only, purpose HRESCH, 409 if the study ID is taken.
    static func requestAccess(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(RequestAccessRequest.self, stub)
        try requireRole([.researcher], stub, to: "request research access")
        try validateIdentifier(request.studyID, field: "studyID")
        guard request.purpose == .research else {
            throw rejected(400, "field \"purpose\" must be HRESCH for research access, not \(request.purpose.rawValue)")
        }
        try validateNonEmpty(request.description, field: "description")
        let start = request.periodStart ?? now(stub)
        try validatePeriod(start: start, end: request.periodEnd)
        let key = try EHRKey.make(EHRKey.request, request.studyID)
        guard try stub.getState(key) == nil else {
            throw rejected(409, "study \(request.studyID) has already been requested")
        }
        let accessRequest = AccessRequest(
            studyID: request.studyID, mspID: stub.creator.mspID, requester: stub.creator.enrollmentID, purpose: request.purpose,
            categories: request.categories, periodStart: start, periodEnd: request.periodEnd, description: request.description,
            requestedAt: now(stub)
        )
        try store(accessRequest, at: key, stub)
        return try respond(accessRequest)
    }

    /// ListAccessRequests {} → every `AccessRequest`, in study ID order.
    static func listAccessRequests(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        _ = try request(NoFieldsRequest.self, stub)
        return try respond(try loadAll(AccessRequest.self, EHRKey.request, [], stub))
    }

    /// RespondToAccessRequest {studyID, patientID, decision} → `AccessResponse`; only the patient.
    /// Approving grants the requesting organisation a research consent; declining after approving
    /// revokes it; repeating the current answer is a 409.
    static func respondToAccessRequest(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(RespondRequest.self, stub)
        let patient = try existingPatient(request.patientID, stub)
        try requirePatient(patient, stub, to: "answer access requests for their records")
        let study = try existingStudy(request.studyID, stub)
        let key = try EHRKey.make(EHRKey.response, study.studyID, patient.patientID)
        let previous = try load(AccessResponse.self, at: key, stub)
        if let previous, previous.decision == request.decision {
            throw rejected(409, "patient \(patient.patientID) has already \(request.decision.rawValue) study \(study.studyID)")
        }
        var response = AccessResponse(studyID: study.studyID, patientID: patient.patientID, decision: request.decision, respondedAt: now(stub))
        switch request.decision {
        case .approved:
            let consent = researchConsent(for: study, patient: patient, stub)
            try store(consent, at: try EHRKey.make(EHRKey.consent, patient.patientID, consent.consentID), stub)
            response.consentID = consent.consentID
        case .declined:
            if let consentID = previous?.consentID {
                let consentKey = try EHRKey.make(EHRKey.consent, patient.patientID, consentID)
                if try load(Consent.self, at: consentKey, stub)?.status == .active {
                    _ = try revoke(consentID: consentID, of: patient.patientID, stub)
                }
                response.consentID = consentID
            }
        }
        try store(response, at: key, stub)
        return try respond(response)
    }

    private static func researchConsent(for study: AccessRequest, patient: Patient, _ stub: ChaincodeStub) -> Consent {
        Consent(
            consentID: "c-" + stub.txID, patientID: patient.patientID, scope: .research,
            grantee: Grantee(kind: .organization, mspID: study.mspID), purposes: [.research], categories: study.categories,
            periodStart: study.periodStart, periodEnd: study.periodEnd, studyID: study.studyID, grantedAt: now(stub)
        )
    }

    /// StudyRecords {studyID, researcher} → `StudyExport`: for each approving patient, the live
    /// records the consent evaluator permits for HRESCH; one audit event ("export") per patient
    /// whose records are included, naming the researcher as the reader. The reader is a
    /// researcher of the study's organisation, or one of its backend clients registered for the
    /// study (role `backend-client`, enrollment ID the client ID; FHIR Bulk Data export).
    ///
    /// The answer names patients' ledger IDs and records' CIDs, which a researcher must never
    /// see, so a researcher does not submit it: the node of the study's organisation does
    /// (`Research.Export`), on behalf of a researcher of that organisation it authenticated, keeps
    /// the answer to itself and sends the researcher only the de-identified records.
    static func studyRecords(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        guard stub.creator.role == .peer else {
            throw rejected(
                403,
                "\(who(stub)) may not run StudyRecords: its answer names patients, so only a node of the study's organisation runs it, for a researcher who asks it with Research.Export")
        }
        let request = try request(StudyRecordsRequest.self, stub)
        try validateIdentifier(request.studyID, field: "studyID")
        let study = try existingStudy(request.studyID, stub)
        guard stub.creator.mspID == study.mspID else {
            throw rejected(403, "\(who(stub)) may not run StudyRecords for study \(study.studyID): only a node of \(study.mspID) may")
        }
        if request.researcher.role == BackendClient.readerRole {
            try requireBackendClient(request.researcher, mayExport: study, stub)
        } else if request.researcher.role != Medledger_V1_Role.researcher.certificateName || request.researcher.mspID != study.mspID {
            let asker = "\(request.researcher.role) \(request.researcher.enrollmentID)@\(request.researcher.mspID)"
            throw rejected(403, "\(asker) may not export study \(study.studyID): only researchers and backend clients of \(study.mspID) may")
        }
        let reader = request.researcher
        let time = now(stub)
        var export = StudyExport(studyID: study.studyID, patients: [])
        let responses = try loadAll(AccessResponse.self, EHRKey.response, [study.studyID], stub)
        for response in responses where response.decision == .approved {
            let patient = try existingPatient(response.patientID, stub)
            // Only the consent this study's approval created counts: approving one study must not
            // open the patient's records to another study of the same organisation.
            let consents = try consents(of: patient.patientID, stub).filter { $0.studyID == study.studyID }
            var permitted: [(record: RecordReference, decision: Decision)] = []
            for record in try records(of: patient.patientID, stub) where !record.erased {
                let query = AccessQuery(reader: reader, record: record, patient: patient, purpose: .research, time: time)
                let decision = ConsentEvaluator.evaluate(query, consents: consents, grants: []).decision
                if decision.outcome == .permit { permitted.append((record, decision)) }
            }
            guard let first = permitted.first else { continue }
            export.patients.append(.init(patientID: patient.patientID, records: permitted.map(\.record)))
            let audit = AuditEvent(
                eventID: stub.txID, recordedAt: time, action: "export", reader: reader, patientID: patient.patientID,
                studyID: study.studyID, purpose: Purpose.research.rawValue, outcome: .permit,
                rule: "\(first.decision.rule) (\(permitted.count) record\(permitted.count == 1 ? "" : "s"))"
            )
            try writeAudit(audit, stub)
        }
        return try respond(export)
    }

    /// TallyAccessResponses {studyID} → `AccessTally`: counts of the patients' answers, for the
    /// researchers and admins of the study's organisation and for auditors. Counts only: which
    /// patients answered stays with them (and the ledger's audit).
    static func tallyAccessResponses(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(StudyIDRequest.self, stub)
        let study = try existingStudy(request.studyID, stub)
        try requireRole([.researcher, .admin, .auditor], stub, to: "count the answers to study \(study.studyID)")
        guard stub.creator.role == .auditor || stub.creator.mspID == study.mspID else {
            throw rejected(403, "\(who(stub)) may not count the answers to study \(study.studyID): it is \(study.mspID)'s")
        }
        var tally = AccessTally(studyID: study.studyID, approved: 0, declined: 0, withdrawn: 0)
        for response in try loadAll(AccessResponse.self, EHRKey.response, [study.studyID], stub) {
            switch response.decision {
            case .declined: tally.declined += 1
            case .approved:
                let consent = try response.consentID.flatMap { try load(Consent.self, at: try EHRKey.make(EHRKey.consent, response.patientID, $0), stub) }
                if consent?.status == .active { tally.approved += 1 } else { tally.withdrawn += 1 }
            }
        }
        return try respond(tally)
    }

    static func existingStudy(_ studyID: String, _ stub: ChaincodeStub) throws -> AccessRequest {
        try validateIdentifier(studyID, field: "studyID")
        guard let study = try load(AccessRequest.self, at: try EHRKey.make(EHRKey.request, studyID), stub) else {
            throw rejected(404, "no access request for study \(studyID)")
        }
        return study
    }
}
