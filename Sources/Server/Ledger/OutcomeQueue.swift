internal import Synchronization

/// Many producers, one consumer that takes everything queued at once: stream messages produced
/// concurrently (a server's responses, a load generator's requests) are written in batches
/// instead of one await and one flush per message.
public final class OutcomeQueue<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var waiter: CheckedContinuation<[Element]?, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    public init() {}

    public func yield(_ item: Element) {
        let waiter = state.withLock { state -> (CheckedContinuation<[Element]?, Never>, [Element])? in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, [item])
            }
            state.items.append(item)
            return nil
        }
        if let (continuation, items) = waiter { continuation.resume(returning: items) }
    }

    /// No more items will come; the consumer gets what is queued, then nil.
    public func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[Element]?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.items.isEmpty ? state.waiter : nil
        }
        waiter?.resume(returning: nil)
    }

    /// Everything queued since the last call, waiting if there is nothing; nil once finished and empty.
    public func next() async -> [Element]? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [Element]?? in
                if !state.items.isEmpty {
                    defer { state.items = [] }
                    return .some(state.items)
                }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
