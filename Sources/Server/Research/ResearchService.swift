internal import Foundation
internal import GRPCCore
internal import Identity
internal import Schema
internal import EHRModel

/// The `medledger.v1.Research` gRPC service: streams a study's records as de-identified FHIR R4
/// NDJSON. What is exported is decided and audited on the ledger by a `StudyRecords` transaction
/// (approving patients only, consent evaluated per record) that this node, a node of the
/// researcher's organisation, submits as its own peer on behalf of the researcher it
/// authenticated. The decision names patients' ledger IDs and records' CIDs, so it stays here:
/// the researcher receives only the transaction's ID, the number of patients and the
/// de-identified records (`StudyExporter`, which FHIR Bulk Data export shares).
struct ResearchService: Medledger_V1_Research.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Research"

    let exporter: StudyExporter

    func export(
        request: Medledger_V1_ExportRequest, response: RPCWriter<Medledger_V1_ExportResponse>, context: ServerContext
    ) async throws {
        let caller = try CallerIdentity.required()
        let reader = Reader(mspID: caller.mspID, enrollmentID: caller.enrollmentID, role: caller.role.certificateName ?? "none")
        let decision = try await StatusMapping.mapped {
            try await exporter.decide(studyID: request.studyID, channelID: request.channelID, reader: reader)
        }
        var first = Medledger_V1_ExportResponse()
        first.transactionID = decision.txID
        first.patients = UInt32(decision.study.patients.count)
        try await response.write(first)
        let totals = try await exporter.redeem(decision) { resource in
            var message = Medledger_V1_ExportResponse()
            message.ndjson = resource.line + [0x0A]
            message.resources = 1
            try await response.write(message)
        }
        if totals.withheld > 0 {
            var message = Medledger_V1_ExportResponse()
            message.withheld = UInt32(totals.withheld)
            try await response.write(message)
        }
    }
}

extension HostedService {
    /// The Research service of `exporter`.
    static func research(exporter: StudyExporter) -> HostedService {
        HostedService(name: ResearchService.serviceName, service: ResearchService(exporter: exporter))
    }
}
