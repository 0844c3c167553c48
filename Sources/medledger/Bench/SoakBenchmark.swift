internal import EHRModel
internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import MedLedgerKit
internal import Synchronization
internal import X509

/// `medledger bench soak`: a `medledger dev` node in its own process, `clients` clients (each its
/// own mTLS connection as one identity) running the EHR mix of `SoakOperation` for `duration`,
/// and the node's resident memory and open files sampled from `/proc` every few seconds. What
/// it reports: per operation the count, p50/p99/max latency and the unexpected errors; memory
/// growth from the end of warm-up to the end; open files at both ends.
struct SoakBenchmark {
    let duration: Duration
    let clients: Int
    /// The part of the run before memory is taken as the baseline: the node's bounded caches (the
    /// SQLite page cache of each connection, the 100,000 signatures it issued) fill meanwhile.
    let warmUp: Duration
    /// A pause after each operation of each client.
    var pace: Duration = .zero
    static let sampleInterval: Duration = .seconds(5)

    struct Report: Codable {
        struct Operation: Codable {
            let name: String
            let clients: Int
            let count: Int
            let expectedDenials: Int
            /// MVCC conflicts with a concurrent transaction, each retried (as a Fabric client does).
            let conflictsRetried: Int
            let errors: Int
            let firstError: String?
            let p50Milliseconds: Double
            let p99Milliseconds: Double
            let maxMilliseconds: Double
        }

        let minutes: Double
        let warmUpMinutes: Double
        let clients: Int
        let operations: [Operation]
        let samples: [ProcessSample]
        /// Resident memory at the end of warm-up and at the end, and the growth between them in percent.
        let residentAfterWarmUp: UInt64
        let residentAtEnd: UInt64
        let residentGrowthPercent: Double
        let openFilesAfterWarmUp: Int
        let openFilesAtEnd: Int

        var errors: Int { operations.reduce(0) { $0 + $1.errors } }
    }

    func run() async throws -> Report {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-soak-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let node = try await SoakNode.start(dataDirectory: directory.appendingPathComponent("dev"))
        defer { node.stop() }
        let identities = IdentityDirectory.developmentNetwork(dataDirectory: node.dataDirectory)
        let connect = SoakConnector(address: node.address, identities: identities)
        let fixtures = try await SoakSetup(connect: connect).run()

        let recorders = Dictionary(uniqueKeysWithValues: SoakOperation.allCases.map { ($0, OperationRecorder()) })
        let assignment = SoakOperation.assign(clients: clients)
        let start = ContinuousClock.now
        let deadline = start + duration
        let samples = SampleLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while ContinuousClock.now < deadline {
                    if let sample = ProcessSample.take(pid: node.pid, at: (ContinuousClock.now - start).seconds) {
                        samples.append(sample)
                    }
                    try await Task.sleep(for: Self.sampleInterval)
                }
            }
            for (worker, operation) in assignment.enumerated() {
                group.addTask {
                    try await connect.withRecords(as: operation.identity) { [pace] records in
                        let client = SoakClient(records: records, fixtures: fixtures, worker: worker)
                        var sequence = 0
                        while ContinuousClock.now < deadline {
                            let began = ContinuousClock.now
                            do {
                                let (outcome, conflicts) = try await client.performRetryingConflicts(operation, sequence: sequence)
                                recorders[operation]?.finished(after: began.duration(to: .now), denied: outcome == .expectedDenial, conflicts: conflicts)
                            } catch {
                                recorders[operation]?.failed("\(error)")
                            }
                            sequence += 1
                            if pace > .zero { try await Task.sleep(for: pace) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        if let last = ProcessSample.take(pid: node.pid, at: (ContinuousClock.now - start).seconds) { samples.append(last) }
        return report(samples: samples.all, recorders: recorders, assignment: assignment)
    }

    private func report(samples: [ProcessSample], recorders: [SoakOperation: OperationRecorder], assignment: [SoakOperation]) -> Report {
        let baseline = samples.first { $0.at >= warmUp.seconds } ?? samples.last
        let end = samples.last
        let before = baseline?.residentBytes ?? 0
        let after = end?.residentBytes ?? 0
        return Report(
            minutes: duration.seconds / 60, warmUpMinutes: warmUp.seconds / 60, clients: clients,
            operations: SoakOperation.allCases.map { operation in
                recorders[operation]!.summary(name: operation.rawValue, clients: assignment.filter { $0 == operation }.count)
            },
            samples: samples, residentAfterWarmUp: before, residentAtEnd: after,
            residentGrowthPercent: before == 0 ? 0 : (Double(after) - Double(before)) / Double(before) * 100,
            openFilesAfterWarmUp: baseline?.openFiles ?? 0, openFilesAtEnd: end?.openFiles ?? 0)
    }
}

/// The node's samples, taken while the load runs.
final class SampleLog: Sendable {
    private let samples = Mutex<[ProcessSample]>([])

    func append(_ sample: ProcessSample) { samples.withLock { $0.append(sample) } }

    var all: [ProcessSample] { samples.withLock { $0 } }
}

/// Latencies and outcomes of one operation.
final class OperationRecorder: Sendable {
    private struct State {
        var latencies: [Double] = []
        var denials = 0
        var conflicts = 0
        var errors = 0
        var firstError: String?
    }

    private let state = Mutex(State())

    func finished(after duration: Duration, denied: Bool, conflicts: Int) {
        state.withLock { state in
            state.latencies.append(duration.seconds * 1000)
            if denied { state.denials += 1 }
            state.conflicts += conflicts
        }
    }

    func failed(_ reason: String) {
        state.withLock { state in
            state.errors += 1
            if state.firstError == nil { state.firstError = reason }
        }
    }

    func summary(name: String, clients: Int) -> SoakBenchmark.Report.Operation {
        state.withLock { state in
            let sorted = state.latencies.sorted()
            return .init(
                name: name, clients: clients, count: sorted.count + state.errors, expectedDenials: state.denials, conflictsRetried: state.conflicts,
                errors: state.errors,
                firstError: state.firstError, p50Milliseconds: sorted.percentile(0.5), p99Milliseconds: sorted.percentile(0.99),
                maxMilliseconds: sorted.last ?? 0)
        }
    }
}

/// Connections to the soak's node as one identity each.
struct SoakConnector: Sendable {
    let address: String
    let identities: IdentityDirectory

    func withRecords<Result: Sendable>(
        as name: String, _ body: (HealthRecords<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let identity = identities.identity(name)
        let signer = try identity.loadSigner()
        return try await NodeConnectionOptions.withNodeClient(address: address, trusting: identity.tlsTrustPath, identity: identity) { client in
            try await body(HealthRecords(client: client, signer: signer))
        }
    }
}

/// The patients, records, consent and study the mix works on.
struct SoakSetup {
    let connect: SoakConnector

    func run() async throws -> SoakFixtures {
        let certificate = { (name: String) in Data(try connect.identities.identity(name).loadCertificate().derBytes) }
        var consented: [(String, Data)] = []
        var unconsented: [String] = []
        try await connect.withRecords(as: "dr-alice") { alice in
            try await alice.registerPatient("P-1", certificateDER: try certificate("patient-1"))
            try await alice.registerPatient("P-2", certificateDER: try certificate("patient-2"))
            for index in 0..<8 {
                let plaintext = SoakResources.observation(patient: "P-1", value: Double(index))
                _ = try await alice.addRecord(.init(recordID: "p1-lab-\(index)", patientID: "P-1", resourceType: "Observation", category: "lab"), plaintext: plaintext)
                consented.append(("p1-lab-\(index)", plaintext))
                _ = try await alice.addRecord(
                    .init(recordID: "p2-lab-\(index)", patientID: "P-2", resourceType: "Observation", category: "lab"),
                    plaintext: SoakResources.observation(patient: "P-2", value: Double(index)))
                unconsented.append("p2-lab-\(index)")
            }
            for index in 0..<5 {
                _ = try await alice.addRecord(
                    .init(recordID: "p1-ct-\(index)", patientID: "P-1", resourceType: "DiagnosticReport", category: "imaging"),
                    plaintext: SoakResources.imaging(patient: "P-1", index: index))
            }
        }
        let emergency = try await connect.withRecords(as: "dr-bob") { bob in
            try await bob.registerPatient("P-3", certificateDER: try certificate("patient-3"))
            var recordIDs: [String] = []
            for index in 0..<8 {
                _ = try await bob.addRecord(
                    .init(recordID: "p3-lab-\(index)", patientID: "P-3", resourceType: "Observation", category: "lab"),
                    plaintext: SoakResources.observation(patient: "P-3", value: Double(index)))
                recordIDs.append("p3-lab-\(index)")
            }
            return recordIDs
        }
        try await connect.withRecords(as: "patient-1") { patient in
            _ = try await patient.grantConsent(ConsentDraft(patientID: "P-1", grantee: Grantee(kind: .organization, mspID: "HospitalBMSP")))
        }
        try await connect.withRecords(as: "researcher") {
            _ = try await $0.requestAccess(studyID: SoakFixtures.study, categories: ["imaging"], description: "soak: imaging of consenting patients")
        }
        try await connect.withRecords(as: "patient-1") { _ = try await $0.respond(toStudy: SoakFixtures.study, patientID: "P-1", approve: true) }
        let exported = try await connect.withRecords(as: "researcher") { try await $0.exportStudy(SoakFixtures.study) }
        guard exported.resources == 5 else { throw SoakFailure("the setup's export gave \(exported.resources) resources, not 5") }
        return SoakFixtures(consented: consented, unconsented: unconsented, emergency: emergency, exportedResources: exported.resources)
    }
}
