internal import Foundation
internal import Hummingbird
internal import MedLedgerKit

/// The explorer (auditors and admins): channels, blocks, a block's transactions — who called
/// which function, never arguments or health data — activity per minute, and chain verification.
extension PortalBackend {
    /// Blocks per page of the block table.
    static var blocksPerPage: UInt64 { 20 }
    /// The newest blocks the activity chart counts.
    static var chartBlocks: UInt64 { 300 }
    /// The contracts whose transactions a verification re-executes the rules of.
    static var knownChaincodes: Set<String> { ["asset", "ehr"] }

    func addExplorerRoutes(to router: Router<PortalContext>) {
        router.get("/explorer") { [self] request, context in
            var channels: [[String: Any]] = []
            for channel in explorerChannels {
                let height: String
                do { height = "\(try await ChannelHeight.current(client: client, channel: channel))" } catch {
                    height = "unavailable: \(PortalRefusal(error).message)"
                }
                channels.append(["name": channel, "path": PortalFormat.pathSegment(channel), "height": height])
            }
            return page("explorer", "Ledger explorer", .explorer, request, context, ["channels": channels])
        }
        router.get("/explorer/{channel}") { [self] request, context in
            let channel = try context.parameters.require("channel")
            let height = try await ChannelHeight.current(client: client, channel: channel)
            let before = min(height, request.uri.queryParameters["before"].flatMap { UInt64($0) } ?? height)
            guard before > 0 else { throw PortalRefusal.notFound("no blocks before block 0") }
            let first = before > Self.blocksPerPage ? before - Self.blocksPerPage : 0
            async let page = ChainExplorer.blocks(client: client, channel: channel, from: first, through: before - 1)
            async let recent = ChainExplorer.blocks(
                client: client, channel: channel, from: height > Self.chartBlocks ? height - Self.chartBlocks : 0, through: height - 1)
            let blocks = try await page.reversed().map { block -> [String: Any] in
                [
                    "number": block.number, "time": block.time.map(PortalFormat.time) ?? "—", "transactions": block.transactionCount,
                    "valid": block.validCount, "hash": block.hash, "shortHash": PortalFormat.short(block.hash), "previousHash": block.previousHash,
                    "shortPrevious": block.previousHash.isEmpty ? "—" : PortalFormat.short(block.previousHash),
                ]
            }
            var values: [String: Any] = [
                "name": channel, "path": PortalFormat.pathSegment(channel), "height": height, "blocks": blocks, "first": first, "last": before - 1,
                "chart": ActivityChart.values(of: try await recent),
            ]
            if first > 0 { values["older"] = first }
            if before < height { values["newer"] = min(height, before + Self.blocksPerPage) }
            return self.page("channel", "Channel \(channel)", .explorer, request, context, values)
        }
        router.get("/explorer/{channel}/blocks/{number}") { [self] request, context in
            let channel = try context.parameters.require("channel")
            let number = try context.parameters.require("number", as: UInt64.self)
            let height = try await ChannelHeight.current(client: client, channel: channel)
            guard number < height else { throw PortalRefusal.notFound("channel \(channel) has \(height) blocks; there is no block \(number)") }
            guard let block = try await ChainExplorer.blocks(client: client, channel: channel, from: number, through: number).first else {
                throw PortalRefusal.notFound("the node sent no block \(number) of \(channel)")
            }
            let transactions = block.transactions.map { tx -> [String: Any] in
                [
                    "txID": tx.txID, "shortID": PortalFormat.short(tx.txID, 16), "creator": tx.creator ?? "—", "contract": tx.contract ?? tx.kind.rawValue,
                    "function": tx.function ?? "—", "code": tx.validationCode, "codeClass": tx.validationCode == "VALID" ? "valid" : "invalid",
                    "endorsers": tx.endorsers.joined(separator: ", "), "keys": tx.keysWritten,
                ]
            }
            return page(
                "block", "Block \(number) of \(channel)", .explorer, request, context,
                [
                    "name": channel, "path": PortalFormat.pathSegment(channel), "number": number, "time": block.time.map(PortalFormat.time) ?? "—",
                    "hash": block.hash, "previousHash": block.previousHash.isEmpty ? "— (genesis)" : block.previousHash, "dataHash": block.dataHash,
                    "transactions": transactions,
                ])
        }
        router.post("/explorer/{channel}/verify") { [self] _, context in
            let channel = try context.parameters.require("channel")
            let height = try await ChannelHeight.current(client: client, channel: channel)
            let client = client
            await verifications.start(channel, total: height) { progress in
                try await ChainAudit.verify(client: client, channel: channel, knownChaincodes: Self.knownChaincodes, progress: progress)
            }
            return PortalPages.redirect(to: "/explorer/\(PortalFormat.pathSegment(channel))/verify")
        }
        router.get("/explorer/{channel}/verify") { [self] request, context in
            let channel = try context.parameters.require("channel")
            guard let state = await verifications.state(of: channel) else {
                throw PortalRefusal.notFound("no verification of \(channel) was started; use the Verify button on the channel's page")
            }
            var values: [String: Any] = [
                "name": channel, "path": PortalFormat.pathSegment(channel), "done": state.verified, "total": max(state.total, 1), "running": state.running,
            ]
            if state.running { values["refresh"] = 1 }
            if let report = state.report {
                values["passed"] = [
                    "height": report.height, "transactions": report.transactions, "validTransactions": report.validTransactions,
                    "genesisHash": report.genesisHash, "tipHash": report.tipHash,
                ]
            }
            values["failure"] = state.failure
            return page("verify", "Verify \(channel)", .explorer, request, context, values)
        }
    }
}
