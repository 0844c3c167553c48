internal import ArgumentParser
internal import Chaincode
internal import Foundation
internal import MedLedgerKit
internal import EHRModel

/// `medledger record add|get|list|history|erase`.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Add, open, list and erase health records (content encrypted on this machine).",
        subcommands: [Add.self, Get.self, List.self, History.self, Erase.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encrypt a file, store it, hand its key to the patient and your organisation, and register it on the ledger (clinicians).")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("patient-id")) var patientID: String
        @Option(name: .customLong("record-id"), help: "A new, unique record ID.") var recordID: String
        @Option(name: .customLong("type"), help: "The FHIR resource type, e.g. Observation.") var resourceType: String
        @Option(help: "lab, imaging, note, prescription, mental-health, …") var category: String
        @Option(name: .customLong("corrects"), help: "The record ID this one corrects (a new version; nothing is overwritten).")
        var previousRecordID: String?
        @Argument(help: "The file holding the record (e.g. FHIR JSON).") var file: String

        func run() async throws {
            guard let plaintext = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let draft = RecordDraft(recordID: recordID, patientID: patientID, resourceType: resourceType, category: category, previousRecordID: previousRecordID)
            let record = try await client.withRecords { try await $0.addRecord(draft, plaintext: plaintext) }
            try client.output(record) { ["added \($0.recordID) v\($0.version) for \($0.patientID): \($0.cid) (sha256 \($0.plaintextSHA256))"] }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a record: the ledger decides and audits the read; on a permit the content is decrypted and verified here.")
        @OptionGroup var client: EHRClientOptions
        @Option(help: "TREAT, ETREAT (break-glass, with --justification) or HRESCH.") var purpose = "TREAT"
        @Option(help: "Why (required for break-glass).") var justification: String?
        @Option(name: .shortAndLong, help: "Write the content here instead of stdout.") var out: String?
        @Argument(help: "The record ID.") var recordID: String

        func run() async throws {
            let opened = try await client.withRecords { try await $0.openRecord(recordID, purpose: purpose, justification: justification) }
            let message = "\(opened.decision.outcome.rawValue): \(opened.decision.rule) (audited in transaction \(opened.txID))"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            guard let plaintext = opened.plaintext else { throw ExitCode(2) }
            if let out {
                try plaintext.write(to: URL(fileURLWithPath: out))
            } else {
                FileHandle.standardOutput.write(plaintext)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a patient's records (metadata only).")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("patient-id")) var patientID: String

        func run() async throws {
            let records = try await client.withRecords { try await $0.listRecords(of: patientID) }
            try client.output(records) { $0.map(describe) }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every version of a record, oldest first (corrections link to what they correct).")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("patient-id")) var patientID: String
        @Argument(help: "Any version's record ID.") var recordID: String

        func run() async throws {
            let records = try await client.withRecords { try await $0.listRecords(of: patientID) }
            let versions = RecordVersions.chain(containing: recordID, in: records)
            guard !versions.isEmpty else { throw ValidationError("no record '\(recordID)' among \(patientID)'s records you may list") }
            try client.output(versions) { $0.map(describe) }
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Request erasure of a record (the patient), or approve it (--approve, an admin of the authoring organisation): every key copy is destroyed.")
        @OptionGroup var client: EHRClientOptions
        @Flag(help: "Approve a pending erasure request.") var approve = false
        @Argument(help: "The record ID.") var recordID: String

        func run() async throws {
            if approve {
                let erased = try await client.withRecords { try await $0.approveErasure(of: recordID) }
                print("erased \(erased.recordID) at \(isoTime(erased.erasedAt)): every key copy destroyed, content collected")
            } else {
                try await client.withRecords { try await $0.requestErasure(of: recordID) }
                print("erasure of \(recordID) requested; an admin of the authoring organisation must approve it")
            }
        }
    }

    static func describe(_ record: RecordReference) -> String {
        let erased = record.erased ? " ERASED \(isoTime(record.erasedAt))" : ""
        let corrects = record.previousRecordID.map { " corrects \($0)" } ?? ""
        return "\(record.recordID) v\(record.version) \(record.category)/\(record.resourceType) by \(record.author)@\(record.authorMSP) at \(isoTime(record.createdAt)) \(record.cid)\(corrects)\(erased)"
    }
}

/// The versions of one record: follows `previousRecordID` links both ways.
enum RecordVersions {
    static func chain(containing recordID: String, in records: [RecordReference]) -> [RecordReference] {
        let byID = Dictionary(records.map { ($0.recordID, $0) }, uniquingKeysWith: { first, _ in first })
        guard var oldest = byID[recordID] else { return [] }
        while let previous = oldest.previousRecordID.flatMap({ byID[$0] }) { oldest = previous }
        var chain = [oldest]
        while let next = records.first(where: { $0.previousRecordID == chain.last?.recordID }) { chain.append(next) }
        return chain
    }
}
