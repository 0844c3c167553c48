internal import ArgumentParser
internal import Chaincode
internal import EHRModel
internal import Foundation
internal import Identity
internal import MedLedgerKit

/// `medledger patient register|show|list`.
struct PatientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient",
        abstract: "Register a patient (hospital staff), show one, or list your organisation's.",
        subcommands: [Register.self, Show.self, List.self]
    )

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bind a pseudonymous patient ID to the patient's enrolled certificate (no names on chain).")
        @OptionGroup var client: EHRClientOptions
        @Option(name: .customLong("patient-id"), help: "The pseudonymous patient ID to assign.") var patientID: String
        @Option(name: .customLong("patient-cert"), help: ArgumentHelp("The patient's certificate (PEM), e.g. DIR/cert.pem of their identity folder.", valueName: "PATH"))
        var patientCertificate: String

        func run() async throws {
            let certificate = try IdentityFolder.loadCertificateDER(path: patientCertificate)
            let patient = try await client.withRecords { try await $0.registerPatient(patientID, certificateDER: certificate) }
            try client.output(patient) { ["registered \($0.patientID) for \($0.enrollmentID)@\($0.mspID)"] }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a registered patient.")
        @OptionGroup var client: EHRClientOptions
        @Argument(help: "The patient ID.") var patientID: String

        func run() async throws {
            let patient = try await client.withRecords { try await $0.patient(patientID) }
            try client.output(patient) { ["\($0.patientID): \($0.enrollmentID)@\($0.mspID), registered by \($0.registeredBy) at \(isoTime($0.registeredAt))"] }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List your organisation's patients (clinicians, admins) or every patient (auditors), by patient ID.")
        @OptionGroup var client: EHRClientOptions

        func run() async throws {
            let patients = try await client.withRecords { try await $0.patients() }
            try client.output(patients) { $0.map { "\($0.patientID) \($0.mspID) \($0.enrollmentID) \(isoTime($0.registeredAt))" } }
        }
    }
}
