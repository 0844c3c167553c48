internal import EHRModel
internal import Foundation
internal import Hummingbird
internal import MedLedgerKit

/// The patient's screens: records, who read them, consents, research requests.
extension PortalBackend {
    func addPatientRoutes(to router: Router<PortalContext>) {
        router.get("/records") { [self] request, context in
            guard let patientID = try await patientID() else {
                return page("records", "My records", .records, request, context, ["unregistered": true, "enrollmentID": user.enrollmentID, "channel": records.ledger.channel])
            }
            async let listed = records.listRecords(of: patientID)
            async let trail = records.auditTrail(of: patientID)
            let alerts = try await trail.filter { $0.action == "break-glass" }.suffix(5).reversed().map { event in
                ["time": PortalFormat.time(event.recordedAt), "reader": Self.name(event.reader), "recordID": event.recordID ?? "—", "justification": event.justification ?? ""]
            }
            return page(
                "records", "My records", .records, request, context,
                ["patientID": patientID, "records": try await listed.map(Self.recordValues), "alerts": alerts, "hasAlerts": !alerts.isEmpty])
        }
        router.get("/audit") { [self] request, context in
            let patientID = try await ownPatientID()
            let events = try await records.auditTrail(of: patientID).reversed().map { event -> [String: Any] in
                var values: [String: Any] = [
                    "time": PortalFormat.time(event.recordedAt), "datetime": PortalFormat.datetime(event.recordedAt),
                    "reader": Self.name(event.reader), "action": event.action,
                    "purpose": event.purpose, "outcome": event.outcome.rawValue, "rule": event.rule,
                ]
                values["recordID"] = event.recordID
                values["studyID"] = event.studyID
                values["justification"] = event.justification
                return values
            }
            return page("audit", "Who read my records", .audit, request, context, ["events": events])
        }
        router.get("/consents") { [self] request, context in
            let consents = try await records.consents(of: try await ownPatientID()).reversed().map(Self.consentValues)
            return page("consents", "Consents", .consents, request, context, ["consents": consents])
        }
        router.post("/consents") { [self] _, context in
            _ = try await records.grantConsent(try consentDraft(context.form, patientID: try await ownPatientID()))
            return PortalPages.redirect(to: "/consents?done=granted")
        }
        router.post("/consents/{consent}/revoke") { [self] _, context in
            _ = try await records.revokeConsent(try context.parameters.require("consent"), of: try await ownPatientID())
            return PortalPages.redirect(to: "/consents?done=revoked")
        }
        router.get("/research") { [self] request, context in
            let patientID = try await ownPatientID()
            async let requests = records.accessRequests()
            let approved = Set(try await records.consents(of: patientID).filter { $0.status == .active }.compactMap(\.studyID))
            let rows = try await requests.map { request -> [String: Any] in
                [
                    "studyID": request.studyID, "path": PortalFormat.pathSegment(request.studyID), "mspID": request.mspID,
                    "description": request.description, "categories": request.categories.isEmpty ? "all" : request.categories.joined(separator: ", "),
                    "answer": approved.contains(request.studyID) ? "approved" : "not approved",
                ]
            }
            return page("research", "Research requests", .research, request, context, ["requests": rows])
        }
        router.post("/research/{study}/respond") { [self] _, context in
            let decision = try Self.field("decision", of: context.form)
            guard ["approve", "decline"].contains(decision) else { throw PortalRefusal.badRequest("decision must be approve or decline, not \(decision)") }
            _ = try await records.respond(toStudy: try context.parameters.require("study"), patientID: try await ownPatientID(), approve: decision == "approve")
            return PortalPages.redirect(to: "/research?done=\(decision == "approve" ? "approved" : "declined")")
        }
        router.get("/alerts") { [self] request, _ in
            let feed = BreakGlassFeed(records: records, patientID: try await ownPatientID(), client: client)
            return try await feed.response(resumingAfter: request.headers[.lastEventID])
        }
    }

    /// The patient ID of this identity, or 404 saying the hospital has not registered it.
    func ownPatientID() async throws -> String {
        guard let patientID = try await patientID() else {
            throw PortalRefusal.notFound("\(user.enrollmentID)@\(user.mspID) is not registered as a patient on channel \(records.ledger.channel)")
        }
        return patientID
    }

    /// The consent the grant form describes; the SDK and the ledger check it.
    private func consentDraft(_ form: PortalForm, patientID: String) throws -> ConsentDraft {
        let kindName = try Self.field("kind", of: form)
        guard let kind = Grantee.Kind(rawValue: kindName) else { throw PortalRefusal.badRequest("grantee kind \(kindName) is not organization, role or identity") }
        let grantee = Grantee(
            kind: kind, mspID: try Self.field("mspID", of: form), role: kind == .role ? try Self.field("role", of: form) : nil,
            enrollmentID: kind == .identity ? try Self.field("enrollmentID", of: form) : nil)
        let excluded = Self.list(form["excluded"])
        return ConsentDraft(
            patientID: patientID, scope: "treatment", grantee: grantee, purposes: form.values("purposes"), categories: Self.list(form["categories"]),
            periodStart: try PortalFormat.day(form["periodStart"], field: "periodStart"),
            periodEnd: try PortalFormat.day(form["periodEnd"], field: "periodEnd").map { $0 + 86_400 },
            provisions: excluded.isEmpty ? nil : [Provision(type: .deny, categories: excluded)])
    }

    static func consentValues(_ consent: Consent) -> [String: Any] {
        let grantee: String =
            switch consent.grantee.kind {
            case .organization: "all of \(consent.grantee.mspID)"
            case .role: "\(consent.grantee.role ?? "?")s of \(consent.grantee.mspID)"
            case .identity: "\(consent.grantee.enrollmentID ?? "?")@\(consent.grantee.mspID)"
            }
        let excluded = consent.provisions.filter { $0.type == .deny }.flatMap(\.categories)
        var values: [String: Any] = [
            "consentID": consent.consentID, "path": PortalFormat.pathSegment(consent.consentID), "grantee": grantee,
            "purposes": consent.purposes.map(\.rawValue).joined(separator: ", "),
            "categories": consent.categories.isEmpty ? "all" : consent.categories.joined(separator: ", "),
            "excluded": excluded.joined(separator: ", "),
            "period": "\(PortalFormat.time(consent.periodStart)) – \(consent.periodEnd.map { PortalFormat.time($0) } ?? "open-ended")",
            "status": consent.status.rawValue, "active": consent.status == .active,
        ]
        values["studyID"] = consent.studyID
        return values
    }
}
