internal import ArgumentParser
internal import Chaincode
internal import Foundation
internal import MedLedgerKit
internal import EHRModel

/// `medledger consent grant|revoke|list` (patients).
struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Grant, revoke and list a patient's consents (only the patient may grant or revoke).",
        subcommands: [Grant.self, Revoke.self, List.self]
    )

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let an organisation, a role in it, or one identity read your records for a purpose.")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("patient-id")) var patientID: String
        @Option(name: .customLong("to-org"), help: "The grantee organisation (MSP ID).") var organization: String
        @Option(help: "Only identities with this role in it, e.g. clinician.") var role: String?
        @Option(name: .customLong("to-identity"), help: "Only this enrollment ID in it.") var enrollmentID: String?
        @Option(help: "treatment or research.") var scope = "treatment"
        @Option(name: .customLong("purpose"), help: "TREAT, ETREAT or HRESCH (repeatable).") var purposes: [String] = ["TREAT"]
        @Option(name: .customLong("category"), help: "Record categories (repeatable; none means all).") var categories: [String] = []
        @Option(name: .customLong("except-category"), help: "Categories denied inside this consent (repeatable), e.g. mental-health.")
        var deniedCategories: [String] = []
        @Option(name: .customLong("until"), help: "End of the consent, ISO 8601 (e.g. 2027-01-01T00:00:00Z).") var until: String?

        func run() async throws {
            let kind: Grantee.Kind = enrollmentID != nil ? .identity : (role != nil ? .role : .organization)
            var periodEnd: Int64?
            if let until {
                guard let date = ISO8601DateFormatter().date(from: until) else { throw ValidationError("--until must be ISO 8601, e.g. 2027-01-01T00:00:00Z") }
                periodEnd = Int64(date.timeIntervalSince1970)
            }
            let draft = ConsentDraft(
                patientID: patientID, scope: scope,
                grantee: Grantee(kind: kind, mspID: organization, role: role, enrollmentID: enrollmentID),
                purposes: purposes, categories: categories, periodEnd: periodEnd,
                provisions: deniedCategories.isEmpty ? nil : [Provision(type: .deny, categories: deniedCategories)])
            let consent = try await client.withRecords { try await $0.grantConsent(draft) }
            try client.output(consent) { [describe($0)] }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a consent; reads decided from now on no longer see it.")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("patient-id")) var patientID: String
        @Argument(help: "The consent ID (from consent list).") var consentID: String

        func run() async throws {
            let consent = try await client.withRecords { try await $0.revokeConsent(consentID, of: patientID) }
            try client.output(consent) { [describe($0)] }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a patient's consents, active and revoked.")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("patient-id")) var patientID: String

        func run() async throws {
            let consents = try await client.withRecords { try await $0.consents(of: patientID) }
            try client.output(consents) { $0.map(describe) }
        }
    }

    static func describe(_ consent: Consent) -> String {
        let grantee = [consent.grantee.mspID, consent.grantee.role, consent.grantee.enrollmentID].compactMap { $0 }.joined(separator: "/")
        let categories = consent.categories.isEmpty ? "all categories" : consent.categories.joined(separator: ",")
        let except = consent.provisions.filter { $0.type == .deny }.flatMap(\.categories)
        let exceptText = except.isEmpty ? "" : " except \(except.joined(separator: ","))"
        let until = consent.periodEnd.map { " until \(isoTime($0))" } ?? ""
        return "\(consent.consentID) \(consent.status.rawValue): \(grantee) may \(consent.purposes.map(\.rawValue).joined(separator: ",")) "
            + "(\(consent.scope.rawValue)) on \(categories)\(exceptText) from \(isoTime(consent.periodStart))\(until)"
    }
}

/// `medledger audit list`: who read a patient's records.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail of a patient's records (the patient, or auditors).",
        subcommands: [List.self, Watch.self]
    )

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow break-glass reads as they commit (for patients and their hospital); one line each.")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("patient-id"), help: "Only this patient's.") var patientID: String?
        @Option(name: .customLong("from-block"), help: "Start at this block instead of the next commit.") var fromBlock: UInt64?
        @Option(help: "Stop after this many alerts.") var count: Int?

        func run() async throws {
            let seen = Counter()
            let limit = count
            try await client.withRecords { records in
                try await records.watchBreakGlass(patientID: patientID, fromBlock: fromBlock) { alert in
                    let notice = alert.notice
                    let line = "BREAK-GLASS \(notice.recordID) of \(notice.patientID) (\(notice.patientMSP)) by \(notice.reader.enrollmentID)@\(notice.reader.mspID): \"\(notice.justification)\" until \(isoTime(notice.expiresAt)) (tx \(alert.txID), block \(alert.blockNumber))\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                    return limit.map { seen.increment() < $0 } ?? true
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every read of a patient's records, permitted or denied, oldest first.")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("patient-id")) var patientID: String

        func run() async throws {
            let events = try await client.withRecords { try await $0.auditTrail(of: patientID) }
            try client.output(events) { events in
                events.map { event in
                    let why = event.justification.map { " — \"\($0)\"" } ?? ""
                    let what = event.recordID ?? event.studyID ?? "-"
                    return "\(isoTime(event.recordedAt)) \(event.outcome.rawValue.uppercased()) \(event.action) \(what) by \(event.reader.enrollmentID)@\(event.reader.mspID) (\(event.reader.role)) for \(event.purpose): \(event.rule)\(why)"
                }
            }
        }
    }
}

/// Counts alerts across the watcher's calls.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// Adds one and returns the new count.
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
