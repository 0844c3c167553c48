internal import Foundation
internal import Synchronization

/// Submit→commit latencies and outcome counts of a load run.
final class LatencyRecorder: Sendable {
    private struct State {
        var latencies: [Double] = []
        var valid = 0
        var invalid = 0
        var rejected = 0
        var firstRejection: String?
    }

    private let state = Mutex(State())

    func committed(valid: Bool, latency: Duration) {
        let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18
        state.withLock { state in
            state.latencies.append(seconds)
            if valid { state.valid += 1 } else { state.invalid += 1 }
        }
    }

    func rejected(_ reason: String) {
        state.withLock { state in
            state.rejected += 1
            if state.firstRejection == nil { state.firstRejection = reason }
        }
    }

    var finished: Int { state.withLock { $0.valid + $0.invalid + $0.rejected } }

    /// Counts and the p50/p99 latency in milliseconds.
    func summary() -> (valid: Int, invalid: Int, rejected: Int, firstRejection: String?, p50: Double, p99: Double) {
        state.withLock { state in
            let sorted = state.latencies.sorted()
            return (state.valid, state.invalid, state.rejected, state.firstRejection, sorted.percentile(0.5) * 1000, sorted.percentile(0.99) * 1000)
        }
    }
}
