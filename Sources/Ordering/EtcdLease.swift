public import Foundation
internal import GRPCCore
public import Schema
internal import Synchronization

/// A lease that could not be kept: etcd let it expire (its keys, the leader key among them, are
/// gone) or no member refreshed it within its time to live.
public struct EtcdLeaseLost: Error, CustomStringConvertible {
    public var lease: Int64
    public var reason: String
    public var description: String { "etcd lease \(String(lease, radix: 16)) lost: \(reason)" }
}

/// Leases and leader election (etcd's `v3electionpb.Election`) over `EtcdConnection`.
extension EtcdConnection {
    /// Grants a lease of `ttl` seconds; returns its ID.
    public func grantLease(ttl: Int64) async throws -> Int64 {
        var request = Etcdserverpb_LeaseGrantRequest()
        request.ttl = ttl
        let response = try await call("lease grant") { client in
            try await Etcdserverpb_Lease.Client(wrapping: client).leaseGrant(request, options: unaryOptions)
        }
        guard response.error.isEmpty, response.id != 0 else {
            throw RPCError(code: .unavailable, message: "etcd refused a lease: \(response.error)")
        }
        return response.id
    }

    /// Revokes `lease` (its keys are deleted at once); errors are ignored, since an unrevoked lease
    /// expires by itself.
    public func revokeLease(_ lease: Int64) async {
        var request = Etcdserverpb_LeaseRevokeRequest()
        request.id = lease
        _ = try? await call("lease revoke") { client in
            try await Etcdserverpb_Lease.Client(wrapping: client).leaseRevoke(request, options: unaryOptions)
        }
    }

    /// Refreshes `lease` every third of its `ttl` until cancelled; throws `EtcdLeaseLost` as soon as
    /// etcd reports the lease gone or a whole `ttl` passes without a refresh — whether the stream
    /// broke (then other members are tried meanwhile) or hangs on a member without a quorum.
    public func keepAlive(lease: Int64, ttl: Duration) async throws {
        let renewed = LastRenewal()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.refresh(lease: lease, ttl: ttl, renewed: renewed) }
            group.addTask {
                while true {
                    try await Task.sleep(for: ttl / 4)
                    let since = renewed.elapsed
                    if since > ttl { throw EtcdLeaseLost(lease: lease, reason: "not refreshed for \(since)") }
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func refresh(lease: Int64, ttl: Duration, renewed: LastRenewal) async throws {
        var request = Etcdserverpb_LeaseKeepAliveRequest()
        request.id = lease
        while !Task.isCancelled {
            var options = CallOptions.defaults
            options.waitForReady = false
            let request = request
            do {
                try await Etcdserverpb_Lease.Client(wrapping: preferredClient.client).leaseKeepAlive(
                    options: options,
                    requestProducer: { writer in
                        while true {
                            try await writer.write(request)
                            try await Task.sleep(for: ttl / 3)
                        }
                    },
                    onResponse: { response in
                        for try await answer in response.messages {
                            guard answer.ttl > 0 else { throw EtcdLeaseLost(lease: lease, reason: "etcd says it expired") }
                            renewed.mark()
                        }
                    })
            } catch let lost as EtcdLeaseLost {
                throw lost
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                rotate()
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Campaigns in election `name` with `lease`, publishing `value`; returns once this campaigner
    /// leads. Waits as long as another leader holds the election.
    public func campaign(_ name: String, lease: Int64, value: Data) async throws -> V3electionpb_LeaderKey {
        var request = V3electionpb_CampaignRequest()
        request.name = Data(name.utf8)
        request.lease = lease
        request.value = value
        var options = CallOptions.defaults
        options.waitForReady = false
        while true {
            do {
                let response = try await V3electionpb_Election.Client(wrapping: preferredClient.client).campaign(request, options: options)
                guard let leader = response.leader else { throw RPCError(code: .internalError, message: "etcd elected without a leader key") }
                return leader
            } catch let error as RPCError where Self.isUnreachable(error) {
                try Task.checkCancellation()
                rotate()
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// The value the current leader of election `name` published, or nil if none leads.
    public func leader(of name: String) async throws -> Data? {
        var request = V3electionpb_LeaderRequest()
        request.name = Data(name.utf8)
        do {
            let response = try await call("election leader") { client in
                try await V3electionpb_Election.Client(wrapping: client).leader(request, options: unaryOptions)
            }
            return response.kv?.value
        } catch let error as RPCError where error.message.contains("no leader") {
            return nil
        }
    }

    /// Gives up leadership held with `leader`.
    public func resign(_ leader: V3electionpb_LeaderKey) async {
        var request = V3electionpb_ResignRequest()
        request.leader = leader
        _ = try? await call("election resign") { client in
            try await V3electionpb_Election.Client(wrapping: client).resign(request, options: unaryOptions)
        }
    }
}

/// When a lease was last refreshed.
private final class LastRenewal: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var elapsed: Duration { ContinuousClock.now - instant.withLock { $0 } }

    func mark() {
        instant.withLock { $0 = .now }
    }
}
