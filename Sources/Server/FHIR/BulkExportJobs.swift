internal import Crypto
internal import EHRModel
internal import Foundation
internal import HTTPTypes
internal import Logging

/// The FHIR Bulk Data export jobs of a node: each redeems one audited `StudyRecords` decision in
/// the background into sealed NDJSON files, one per resource type (plus an `OperationOutcome`
/// file for records withheld whole), under `directory/<job>/`. Files are deleted when the client
/// deletes the job, `retention` after it completes, and all at start-up (their keys lived only in
/// the memory of the process that wrote them).
actor BulkExportJobs {
    /// One file of a finished job.
    struct Output: Sendable {
        let type: String
        let name: String
        let count: Int
        /// True for the `error` list of the manifest.
        let isError: Bool
    }

    enum State: Sendable {
        case running(done: Int, of: Int)
        case complete([Output], at: Date)
        case failed(FHIRRefusal, at: Date)
    }

    /// What the status URL reports about a job.
    struct Status: Sendable {
        let clientID: String
        let state: State
        let transactionTime: Date
        let request: String
        let transactionID: String
    }

    private struct Job {
        let clientID: String
        let request: String
        let transactionTime: Date
        let transactionID: String
        let key: SymmetricKey
        var state: State
        var task: Task<Void, Never>?
    }

    /// Most jobs one client may have running at once; more is a 429.
    static let runningPerClient = 2

    let directory: URL
    let retention: TimeInterval
    private let logger: Logger
    private var jobs: [String: Job] = [:]

    /// Jobs under `directory`, which is emptied of any earlier process's files.
    init(directory: URL, retention: TimeInterval, logger: Logger) throws {
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        self.directory = directory
        self.retention = retention
        self.logger = logger
    }

    /// Starts redeeming `decision` with `exporter` for `clientID`, keeping the records `including`
    /// accepts; returns the job's ID. 429 if the client already runs `runningPerClient` jobs.
    func start(
        _ decision: StudyExporter.Decision, with exporter: StudyExporter, for clientID: String, request: String,
        including: @escaping @Sendable (RecordReference) -> Bool
    ) throws -> String {
        let running = jobs.values.filter { job in
            if job.clientID == clientID, case .running = job.state { return true }
            return false
        }
        guard running.count < Self.runningPerClient else {
            throw FHIRRefusal(
                status: .tooManyRequests, code: "throttled",
                diagnostics: "client \(clientID) already has \(running.count) exports running; wait for one to finish or delete it")
        }
        let id = UUID().uuidString.lowercased()
        let key = SymmetricKey(size: .bits256)
        let folder = directory.appendingPathComponent(id, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let total = decision.study.patients.reduce(0) { $0 + $1.records.count }
        jobs[id] = Job(
            clientID: clientID, request: request, transactionTime: Date(), transactionID: decision.txID, key: key,
            state: .running(done: 0, of: total))
        jobs[id]?.task = Task.detached { [logger] in
            let outcome: State
            do {
                let outputs = try await Self.write(decision, with: exporter, into: folder, key: key, including: including) { done in
                    await self.progress(id, done: done, of: total)
                }
                outcome = .complete(outputs, at: Date())
            } catch is CancellationError {
                return
            } catch {
                logger.warning("bulk export failed", metadata: ["job": "\(id)", "error": "\(error)"])
                outcome = .failed(FHIRRefusal(status: .internalServerError, code: "exception", diagnostics: "the export failed: \(error)"), at: Date())
            }
            await self.finish(id, outcome)
        }
        return id
    }

    /// The job `id`, if it exists.
    func status(_ id: String) -> Status? {
        jobs[id].map {
            Status(clientID: $0.clientID, state: $0.state, transactionTime: $0.transactionTime, request: $0.request, transactionID: $0.transactionID)
        }
    }

    /// The key and path of output `name` of finished job `id`, if both exist.
    func file(_ id: String, named name: String) -> (path: String, key: SymmetricKey)? {
        guard let job = jobs[id], case .complete(let outputs, _) = job.state, outputs.contains(where: { $0.name == name }) else { return nil }
        return (directory.appendingPathComponent(id).appendingPathComponent(name).path, job.key)
    }

    /// Cancels job `id` and deletes its files; false if there is no such job.
    func delete(_ id: String) -> Bool {
        guard let job = jobs.removeValue(forKey: id) else { return false }
        job.task?.cancel()
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(id))
        return true
    }

    /// Deletes every job that ended more than `retention` ago.
    func sweep(now: Date = Date()) {
        for (id, job) in jobs {
            switch job.state {
            case .complete(_, let at), .failed(_, let at):
                if now.timeIntervalSince(at) > retention { _ = delete(id) }
            case .running: break
            }
        }
    }

    /// Cancels every job and deletes every file.
    func removeAll() {
        for id in Array(jobs.keys) { _ = delete(id) }
    }

    private func progress(_ id: String, done: Int, of total: Int) {
        guard case .running = jobs[id]?.state else { return }
        jobs[id]?.state = .running(done: done, of: total)
    }

    private func finish(_ id: String, _ state: State) {
        guard jobs[id] != nil else { return }
        jobs[id]?.state = state
        jobs[id]?.task = nil
    }

    /// Redeems `decision` into one sealed file per resource type and returns them, with an
    /// `OperationOutcome` file when records were withheld.
    private static func write(
        _ decision: StudyExporter.Decision, with exporter: StudyExporter, into folder: URL, key: SymmetricKey,
        including: @escaping @Sendable (RecordReference) -> Bool, progress: @Sendable (Int) async -> Void
    ) async throws -> [Output] {
        var files: [String: SealedNDJSONFile] = [:]
        var considered = 0
        let totals = try await exporter.redeem(decision, including: including) { resource in
            considered += 1
            let file = try files[resource.resourceType] ?? SealedNDJSONFile(
                path: folder.appendingPathComponent("\(resource.resourceType).ndjson").path, key: key)
            files[resource.resourceType] = file
            try file.append(resource.line)
            await progress(considered)
        }
        var outputs: [Output] = []
        for (type, file) in files.sorted(by: { $0.key < $1.key }) {
            try file.finish()
            outputs.append(Output(type: type, name: "\(type).ndjson", count: file.count, isError: false))
        }
        if totals.withheld > 0 {
            let file = try SealedNDJSONFile(path: folder.appendingPathComponent("OperationOutcome.ndjson").path, key: key)
            let diagnostics = "\(totals.withheld) record\(totals.withheld == 1 ? " was" : "s were") withheld whole: not a resource type Safe Harbor de-identification can export"
            try file.append(FHIRJSON.encode(FHIRJSON.operationOutcome(code: "processing", diagnostics: diagnostics, severity: "warning")))
            try file.finish()
            outputs.append(Output(type: "OperationOutcome", name: "OperationOutcome.ndjson", count: 1, isError: true))
        }
        return outputs
    }
}
