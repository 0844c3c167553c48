internal import ArgumentParser
internal import Chaincode
internal import Foundation
internal import MedLedgerKit
internal import EHRModel

/// `medledger access request|list|approve|decline|register-client|revoke-client`: research
/// access requests, and the backend clients that export studies over FHIR Bulk Data.
struct AccessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Research access: a researcher requests, each patient approves or declines.",
        subcommands: [Request.self, List.self, Tally.self, Approve.self, Decline.self, RegisterClient.self, RevokeClient.self]
    )

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "File a study's access request (researchers).")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("study")) var studyID: String
        @Option(name: .customLong("category"), help: "Record categories the study needs (repeatable).") var categories: [String] = []
        @Option var description: String

        func run() async throws {
            let request = try await client.withRecords { try await $0.requestAccess(studyID: studyID, categories: categories, description: description) }
            try client.output(request) { [describe($0)] }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the studies' access requests.")
        @OptionGroup var client: EHRClientOptions

        func run() async throws {
            let requests = try await client.withRecords { try await $0.accessRequests() }
            try client.output(requests) { $0.map(describe) }
        }
    }

    struct Tally: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count the patients' answers to a study (its organisation's researchers and admins, auditors); counts only.")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("study")) var studyID: String

        func run() async throws {
            let tally = try await client.withRecords { try await $0.tally(ofStudy: studyID) }
            try client.output(tally) { ["\($0.studyID): \($0.approved) approved (consent in force), \($0.declined) declined, \($0.withdrawn) withdrawn"] }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a study (the patient): a research consent for its categories.")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("study")) var studyID: String
        @Option(name: .customLong("patient-id")) var patientID: String

        func run() async throws {
            let response = try await client.withRecords { try await $0.respond(toStudy: studyID, patientID: patientID, approve: true) }
            try client.output(response) { ["\($0.patientID) \($0.decision.rawValue) \($0.studyID)" + ($0.consentID.map { " (consent \($0))" } ?? "")] }
        }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decline a study (the patient); revokes an earlier approval.")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("study")) var studyID: String
        @Option(name: .customLong("patient-id")) var patientID: String

        func run() async throws {
            let response = try await client.withRecords { try await $0.respond(toStudy: studyID, patientID: patientID, approve: false) }
            try client.output(response) { ["\($0.patientID) \($0.decision.rawValue) \($0.studyID)"] }
        }
    }

    struct RegisterClient: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register-client",
            abstract: "Register a SMART backend client of your organisation for FHIR Bulk Data export of its studies (admins).")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("client-id"), help: "The client_id the backend service puts in its assertions' iss and sub.")
        var clientID: String
        @Option(help: "A name people recognise.") var name: String?
        @Option(help: ArgumentHelp("The client's public JWK Set (ES384, RS384 or ES256 keys), a JSON file.", valueName: "FILE"))
        var jwks: String
        @Option(name: .customLong("study"), help: "A study the client may export (repeatable).") var studies: [String]

        func validate() throws {
            guard !studies.isEmpty else { throw ValidationError("name at least one --study the client may export") }
        }

        func run() async throws {
            let set = try Data(contentsOf: URL(fileURLWithPath: jwks))
            let registered = try await client.withRecords {
                try await $0.registerBackendClient(clientID: clientID, name: name ?? clientID, jwks: set, studies: studies)
            }
            try client.output(registered) { [describe($0)] }
        }
    }

    struct RevokeClient: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-client", abstract: "Revoke a backend client: no more tokens, no more exports (admins).")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("client-id")) var clientID: String

        func run() async throws {
            let revoked = try await client.withRecords { try await $0.revokeBackendClient(clientID) }
            try client.output(revoked) { [describe($0)] }
        }
    }

    static func describe(_ client: BackendClient) -> String {
        let keys = client.keys.map { "\($0.kid) (\($0.algorithms.sorted().joined(separator: "/")))" }.joined(separator: ", ")
        let state = client.revokedAt == nil ? "active" : "revoked"
        return "\(client.clientID) of \(client.mspID), \(state): studies \(client.studies.joined(separator: ", ")); keys \(keys)"
    }

    static func describe(_ request: AccessRequest) -> String {
        "\(request.studyID) by \(request.requester)@\(request.mspID) for \(request.purpose.rawValue) on \(request.categories.isEmpty ? "all categories" : request.categories.joined(separator: ",")): \(request.description)"
    }
}

/// `medledger export`: a study's de-identified FHIR R4 NDJSON.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a study's records as de-identified FHIR R4 NDJSON (researchers of the requesting organisation); the export is audited.")
    @OptionGroup var client: EHRClientOptions
    @Option(name: .customLong("study")) var studyID: String
    @Option(name: .shortAndLong, help: "Write the NDJSON here instead of stdout.") var out: String?

    func run() async throws {
        let download = try await client.withRecords { try await $0.exportStudy(studyID) }
        if let out {
            try download.ndjson.write(to: URL(fileURLWithPath: out))
        } else {
            FileHandle.standardOutput.write(download.ndjson)
        }
        let withheld = download.withheld == 0 ? "" : "; \(download.withheld) records withheld (not an exportable FHIR R4 resource)"
        FileHandle.standardError.write(
            Data("\(download.resources) resources of \(download.patients) approving patients\(withheld) (audited in transaction \(download.txID))\n".utf8))
    }
}
