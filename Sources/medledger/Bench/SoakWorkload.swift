internal import EHRModel
internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import MedLedgerKit

/// The EHR operations a soak mixes, each with the identity that performs it and the outcome it
/// expects. The mix is fixed so that each outcome stays what it is for the whole run:
///
/// | operation | who | on | expected |
/// |---|---|---|---|
/// | upload | dr-alice | P-1, P-2 (lab) | committed |
/// | read with consent | dr-bob | a P-1 record (P-1 consented to HospitalB) | permit, plaintext matches |
/// | read without consent | dr-bob | a P-2 record | deny (audited) |
/// | consent change | patient-3 | grant, then revoke, to Regulator; then 10 s of think time | committed |
/// | audit query | patient-1 | the last 50 events of P-1 | answered |
/// | break-glass | dr-alice | a P-3 record, with a justification | permit |
/// | export | researcher | study SOAK (P-1's imaging records) | the same fixed number of resources |
enum SoakOperation: String, CaseIterable, Sendable, Codable {
    case upload, readWithConsent, readWithoutConsent, consentChange, auditQuery, breakGlass, export

    /// Share of the mix, out of 100.
    var weight: Int {
        switch self {
        case .upload: 25
        case .readWithConsent: 25
        case .readWithoutConsent: 15
        case .consentChange: 10
        case .auditQuery: 15
        case .breakGlass: 5
        case .export: 5
        }
    }

    /// A pause after each run: a patient changes consent now and then, not back to back (a
    /// consent change conflicts with every read of that patient decided meanwhile).
    var thinkTime: Duration? {
        self == .consentChange ? .seconds(10) : nil
    }

    /// Who performs it.
    var identity: String {
        switch self {
        case .upload, .breakGlass: "dr-alice"
        case .readWithConsent, .readWithoutConsent: "dr-bob"
        case .consentChange: "patient-3"
        case .auditQuery: "patient-1"
        case .export: "researcher"
        }
    }

    /// The operation of each of `clients` clients: one client per operation, the rest shared out
    /// by weight (largest remainder), so the mix holds for any number of clients.
    static func assign(clients: Int) -> [SoakOperation] {
        let extra = clients - allCases.count
        let shares = allCases.map { (operation: $0, exact: Double(extra * $0.weight) / 100) }
        var counts = shares.map { Int($0.exact) }
        let byRemainder = shares.indices.sorted { shares[$0].exact - Double(counts[$0]) > shares[$1].exact - Double(counts[$1]) }
        for index in byRemainder.prefix(extra - counts.reduce(0, +)) { counts[index] += 1 }
        return zip(allCases, counts).flatMap { operation, count in Array(repeating: operation, count: count + 1) }
    }
}

/// What the setup made, which the operations use.
struct SoakFixtures: Sendable {
    /// Records of P-1 dr-bob may read (P-1 consented to HospitalB), with their plaintext.
    let consented: [(recordID: String, plaintext: Data)]
    /// Records of P-2, which nobody outside HospitalA may read.
    let unconsented: [String]
    /// Records of P-3, authored by dr-bob.
    let emergency: [String]
    /// Resources the export of study SOAK yields, every time.
    let exportedResources: Int

    static let study = "SOAK"
}

/// One soak client: its own connection as one identity, running one operation at a time.
struct SoakClient: Sendable {
    let records: HealthRecords<HTTP2ClientTransport.Posix>
    let fixtures: SoakFixtures
    let worker: Int

    enum Outcome {
        case succeeded
        /// A refusal the workload expects (a denied read): counted, not an error.
        case expectedDenial
    }

    /// The most times one operation is retried after MVCC conflicts.
    static let conflictRetries = 8

    /// `perform`, run again (up to `conflictRetries` times) when its transaction lost an MVCC or
    /// phantom-read race with a concurrent one, as Fabric clients do; returns how many times it lost.
    func performRetryingConflicts(_ operation: SoakOperation, sequence: Int) async throws -> (Outcome, conflicts: Int) {
        var conflicts = 0
        while true {
            do {
                let outcome = try await perform(operation, sequence: sequence)
                if let pause = operation.thinkTime { try await Task.sleep(for: pause) }
                return (outcome, conflicts)
            } catch where Self.isConflict(error) && conflicts < Self.conflictRetries {
                conflicts += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 20...200)))
            }
        }
    }

    /// True for a transaction that lost an MVCC race: the SDK's own commit check, or a node
    /// that submitted for the caller (an export's decision) asking it to ask again.
    static func isConflict(_ error: any Error) -> Bool {
        switch error {
        case HealthRecordsError.notCommitted(_, _, let code): code.hasSuffix("ReadConflict")
        case let error as RPCError: error.code == .unavailable && error.message.contains("ReadConflict")
        default: false
        }
    }

    /// Performs `operation` (its `sequence`-th run by this client) and checks its outcome;
    /// throws on anything unexpected.
    func perform(_ operation: SoakOperation, sequence: Int) async throws -> Outcome {
        switch operation {
        case .upload:
            let patient = sequence % 2 == 0 ? "P-1" : "P-2"
            let recordID = "soak-\(worker)-\(sequence)-\(UUID().uuidString.prefix(8))"
            let draft = RecordDraft(recordID: recordID, patientID: patient, resourceType: "Observation", category: "lab")
            _ = try await records.addRecord(draft, plaintext: SoakResources.observation(patient: patient, value: Double(sequence % 200) / 10))
            return .succeeded
        case .readWithConsent:
            let record = fixtures.consented[(worker + sequence) % fixtures.consented.count]
            let opened = try await records.openRecord(record.recordID, purpose: "TREAT")
            guard opened.decision.outcome == .permit, opened.plaintext == record.plaintext else {
                throw SoakFailure("dr-bob was not given \(record.recordID) under P-1's consent: \(opened.decision.rule)")
            }
            return .succeeded
        case .readWithoutConsent:
            let record = fixtures.unconsented[(worker + sequence) % fixtures.unconsented.count]
            let opened = try await records.openRecord(record, purpose: "TREAT")
            guard opened.decision.outcome == .deny, opened.plaintext == nil else {
                throw SoakFailure("dr-bob read \(record) without consent: \(opened.decision.rule)")
            }
            return .expectedDenial
        case .consentChange:
            let consent = try await records.grantConsent(ConsentDraft(patientID: "P-3", grantee: Grantee(kind: .organization, mspID: "RegulatorMSP")))
            _ = try await records.revokeConsent(consent.consentID, of: "P-3")
            return .succeeded
        case .auditQuery:
            let events = try await records.auditTrail(of: "P-1", last: 50)
            guard events.count <= 50 else { throw SoakFailure("ListAudit with limit 50 answered \(events.count) events") }
            return .succeeded
        case .breakGlass:
            let record = fixtures.emergency[(worker + sequence) % fixtures.emergency.count]
            let opened = try await records.openRecord(record, purpose: "ETREAT", justification: "soak: unconscious patient")
            guard opened.decision.outcome == .permit else { throw SoakFailure("break-glass on \(record) was denied: \(opened.decision.rule)") }
            return .succeeded
        case .export:
            let download = try await records.exportStudy(SoakFixtures.study)
            guard Int(download.resources) == fixtures.exportedResources else {
                throw SoakFailure("the export of \(SoakFixtures.study) gave \(download.resources) resources, not \(fixtures.exportedResources)")
            }
            return .succeeded
        }
    }
}

/// Small FHIR R4 resources for the soak.
enum SoakResources {
    static func observation(patient: String, value: Double) -> Data {
        Data(
            #"{"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},"subject":{"reference":"Patient/\#(patient)"},"effectiveDateTime":"2025-03-14","valueQuantity":{"value":\#(value),"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}"#
                .utf8)
    }

    static func imaging(patient: String, index: Int) -> Data {
        Data(
            #"{"resourceType":"DiagnosticReport","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"24627-2","display":"Chest CT"}]},"subject":{"reference":"Patient/\#(patient)"},"effectiveDateTime":"2024-0\#(index % 9 + 1)-02"}"#
                .utf8)
    }
}

/// Something in the soak went other than the workload expects.
struct SoakFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
