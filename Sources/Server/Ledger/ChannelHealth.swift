/// Reports each channel's ability to take transactions on the health service, as the service
/// `ledger/<channel>`: SERVING normally, NOT_SERVING once its committer stopped on a storage failure
/// (until the node is restarted and recovers from its block store) or while it waits for disk
/// space. Load balancers and operators can watch it with any gRPC health client; the reason is in
/// the node's log.
enum ChannelHealth {
    static let interval: Duration = .milliseconds(250)

    /// The health service name of `channel`.
    static func serviceName(_ channel: String) -> String { "ledger/\(channel)" }

    /// Updates `board` from `ledger` every `interval` until cancelled.
    static func report(_ ledger: LedgerNode, on board: HealthStatusBoard) async {
        var reported: [String: Bool] = [:]
        while !Task.isCancelled {
            for (channel, accepting) in ledger.channelsAcceptingTransactions where reported[channel] != accepting {
                await board.setStatus(accepting ? .serving : .notServing, for: serviceName(channel))
                reported[channel] = accepting
            }
            try? await Task.sleep(for: interval)
        }
    }
}
