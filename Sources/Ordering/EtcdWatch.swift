public import Foundation
internal import GRPCCore
public import Schema
internal import Synchronization

/// A watch that cannot resume: etcd compacted the revisions it still needed.
public struct EtcdWatchCompacted: Error, CustomStringConvertible {
    public var compactRevision: Int64
    public var description: String { "etcd compacted its history up to revision \(compactRevision)" }
}

extension EtcdConnection {
    /// Calls `handle` with every change to keys starting with `prefix` from revision `start` on,
    /// in revision order, until cancelled. A broken stream resumes on another member from the
    /// revision after the last one handled, so nothing is skipped or repeated; if etcd has
    /// compacted that revision away, throws `EtcdWatchCompacted`.
    public func watch(prefix: String, from start: Int64, _ handle: @escaping @Sendable (Mvccpb_Event) async throws -> Void) async throws {
        let next = Mutex(start)
        while !Task.isCancelled {
            var create = Etcdserverpb_WatchCreateRequest()
            create.key = Data(prefix.utf8)
            create.rangeEnd = Data(etcdPrefixEnd(prefix).utf8)
            create.startRevision = next.withLock { $0 }
            var watchRequest = Etcdserverpb_WatchRequest()
            watchRequest.requestUnion = .createRequest(create)
            var options = CallOptions.defaults
            options.waitForReady = false
            let request = watchRequest
            do {
                try await Etcdserverpb_Watch.Client(wrapping: preferredClient.client).watch(
                    options: options,
                    requestProducer: { writer in
                        try await writer.write(request)
                        // Keep the request side open: closing it would end the watch.
                        while true { try await Task.sleep(for: .seconds(3600)) }
                    },
                    onResponse: { response in
                        for try await answer in response.messages {
                            if answer.compactRevision > 0 { throw EtcdWatchCompacted(compactRevision: answer.compactRevision) }
                            if answer.canceled { throw RPCError(code: .unavailable, message: "etcd cancelled the watch: \(answer.cancelReason)") }
                            for event in answer.events {
                                try await handle(event)
                                next.withLock { $0 = (event.kv?.modRevision ?? 0) + 1 }
                            }
                        }
                    })
            } catch let compacted as EtcdWatchCompacted {
                throw compacted
            } catch is CancellationError {
                return
            } catch let error as RPCError {
                if Task.isCancelled { return }
                guard Self.isUnreachable(error) || error.code == .unknown || error.code == .internalError else { throw error }
                rotate()
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
