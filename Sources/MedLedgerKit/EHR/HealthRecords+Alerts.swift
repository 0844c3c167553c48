public import EHRModel
internal import Foundation
internal import GRPCCore
internal import LedgerCore
internal import Schema

/// A committed break-glass read, as the patient and the patient's hospital are notified of it.
public struct BreakGlassAlert: Sendable {
    public var notice: BreakGlassNotice
    /// The `OpenRecord` transaction that used emergency access.
    public var txID: String
    public var blockNumber: UInt64
}

extension HealthRecords {
    /// Follows the channel's committed break-glass events from the next block on (or from
    /// `fromBlock`), optionally only those of `patientID`; calls `handle` for each until it returns
    /// false or the stream ends.
    public func watchBreakGlass(
        patientID: String? = nil, fromBlock: UInt64? = nil, _ handle: @escaping @Sendable (BreakGlassAlert) async throws -> Bool
    ) async throws {
        var request = Medledger_V1_ChaincodeEventsRequest()
        request.channelID = ledger.channel
        request.chaincodeName = Self.contract
        if let fromBlock { request.startPosition = .block(fromBlock) }
        try await ledger.gateway.chaincodeEvents(request: ClientRequest(message: request), options: options) { response in
            for try await message in response.messages {
                for event in message.events where event.eventName == "BreakGlass" {
                    guard let notice = try? JSONDecoder().decode(BreakGlassNotice.self, from: event.payload),
                        patientID == nil || notice.patientID == patientID
                    else { continue }
                    if !(try await handle(BreakGlassAlert(notice: notice, txID: event.txID, blockNumber: message.blockNumber))) { return }
                }
            }
        }
    }
}
