internal import MedLedgerKit

/// Chain verifications the explorer started, one per channel at a time, with their progress:
/// the verification runs in the portal process (`ChainAudit`, blocks from Deliver), not in the node.
actor ChainVerifications {
    /// Where one verification stands.
    struct State: Sendable {
        var verified: UInt64 = 0
        /// The channel's height when the verification started.
        var total: UInt64
        var report: ChainAuditReport?
        var failure: String?
        var running: Bool { report == nil && failure == nil }
    }

    private var states: [String: State] = [:]

    /// Starts verifying `channel` (of `total` blocks) unless a verification of it is running.
    func start(_ channel: String, total: UInt64, verify: @escaping @Sendable (@escaping @Sendable (UInt64) async -> Void) async throws -> ChainAuditReport) {
        guard states[channel]?.running != true else { return }
        states[channel] = State(total: total)
        Task {
            do {
                let report = try await verify { verified in await self.progress(channel, verified) }
                finish(channel) { $0.report = report; $0.verified = report.height; $0.total = max($0.total, report.height) }
            } catch {
                finish(channel) { $0.failure = "\(error)" }
            }
        }
    }

    func state(of channel: String) -> State? { states[channel] }

    private func progress(_ channel: String, _ verified: UInt64) {
        states[channel]?.verified = verified
        if let state = states[channel], verified > state.total { states[channel]?.total = verified }
    }

    private func finish(_ channel: String, _ change: (inout State) -> Void) {
        if var state = states[channel] {
            change(&state)
            states[channel] = state
        }
    }
}
