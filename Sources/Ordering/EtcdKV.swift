public import Foundation
internal import GRPCCore
public import Schema

/// The key-value operations the orderer needs, over `EtcdConnection`.
extension EtcdConnection {
    /// The value at `key` with its revisions, or nil.
    public func get(_ key: String) async throws -> Mvccpb_KeyValue? {
        var request = Etcdserverpb_RangeRequest()
        request.key = Data(key.utf8)
        let response = try await call("range \(key)") { client in
            try await Etcdserverpb_KV.Client(wrapping: client).range(request, options: unaryOptions)
        }
        return response.kvs.first
    }

    /// Keys in `[start, end)` in key order, at most `limit` (0: all), and the store revision the
    /// answer reflects.
    public func range(from start: String, to end: String, limit: Int64 = 0, newestFirst: Bool = false) async throws
        -> (values: [Mvccpb_KeyValue], revision: Int64)
    {
        var request = Etcdserverpb_RangeRequest()
        request.key = Data(start.utf8)
        request.rangeEnd = Data(end.utf8)
        request.limit = limit
        if newestFirst {
            request.sortOrder = .descend
            request.sortTarget = .key
        }
        let response = try await call("range \(start)") { client in
            try await Etcdserverpb_KV.Client(wrapping: client).range(request, options: unaryOptions)
        }
        return (response.kvs, response.header?.revision ?? 0)
    }

    /// Writes `value` at `key` only if `key` does not exist yet and `leader` still holds its
    /// election (its key's create-revision is the one it was elected with) — one etcd
    /// transaction, so a deposed leader can never write. True if written.
    public func createIfLeader(_ key: String, value: Data, leader: V3electionpb_LeaderKey) async throws -> Bool {
        var stillLeader = Etcdserverpb_Compare()
        stillLeader.key = leader.key
        stillLeader.target = .create
        stillLeader.result = .equal
        stillLeader.targetUnion = .createRevision(leader.rev)
        var absent = Etcdserverpb_Compare()
        absent.key = Data(key.utf8)
        absent.target = .create
        absent.result = .equal
        absent.targetUnion = .createRevision(0)
        var put = Etcdserverpb_PutRequest()
        put.key = Data(key.utf8)
        put.value = value
        var operation = Etcdserverpb_RequestOp()
        operation.request = .requestPut(put)
        var transaction = Etcdserverpb_TxnRequest()
        transaction.compare = [stillLeader, absent]
        transaction.success = [operation]
        let response = try await call("txn \(key)") { client in
            try await Etcdserverpb_KV.Client(wrapping: client).txn(transaction, options: unaryOptions)
        }
        return response.succeeded
    }

    /// Deletes the keys in `[start, end)`; returns how many.
    @discardableResult
    public func delete(from start: String, to end: String) async throws -> Int64 {
        var request = Etcdserverpb_DeleteRangeRequest()
        request.key = Data(start.utf8)
        request.rangeEnd = Data(end.utf8)
        let response = try await call("delete \(start)") { client in
            try await Etcdserverpb_KV.Client(wrapping: client).deleteRange(request, options: unaryOptions)
        }
        return response.deleted
    }

    /// Compacts the key-value history up to `revision` (etcd then frees the space on defragment).
    public func compact(revision: Int64) async throws {
        var request = Etcdserverpb_CompactionRequest()
        request.revision = revision
        _ = try await call("compact") { client in
            try await Etcdserverpb_KV.Client(wrapping: client).compact(request, options: unaryOptions)
        }
    }

    /// Defragments every member, one at a time (a member answers nothing while it defragments), so
    /// that the space compaction freed leaves the database files. Returns each member's error, if any.
    @discardableResult
    public func defragmentEach(timeout: Duration = .seconds(30)) async -> [String: any Error] {
        var failures: [String: any Error] = [:]
        var options = unaryOptions
        options.timeout = timeout
        for (index, endpoint) in configuration.endpoints.enumerated() {
            do {
                _ = try await Etcdserverpb_Maintenance.Client(wrapping: clientAt(index)).defragment(.init(), options: options)
            } catch {
                failures[endpoint] = error
            }
        }
        return failures
    }

    /// Each member's status (version, leader, database size), or the error reaching it.
    public func memberStatuses() async -> [(endpoint: String, status: Result<Etcdserverpb_StatusResponse, any Error>)] {
        var statuses: [(String, Result<Etcdserverpb_StatusResponse, any Error>)] = []
        for (index, endpoint) in configuration.endpoints.enumerated() {
            let client = clientAt(index)
            do {
                let status = try await Etcdserverpb_Maintenance.Client(wrapping: client).status(.init(), options: unaryOptions)
                statuses.append((endpoint, .success(status)))
            } catch {
                statuses.append((endpoint, .failure(error)))
            }
        }
        return statuses
    }
}

/// The smallest key greater than every key starting with `prefix`: the end of a prefix range.
public func etcdPrefixEnd(_ prefix: String) -> String {
    var bytes = Array(prefix.utf8)
    while let last = bytes.last {
        if last < 0xff {
            bytes[bytes.count - 1] = last + 1
            return String(decoding: bytes, as: UTF8.self)
        }
        bytes.removeLast()
    }
    return "\u{0}"
}
