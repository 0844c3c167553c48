public import Foundation

/// Another orderer's copy of a channel's chain, for an orderer that fell behind the window of
/// blocks etcd keeps: it catches up from there, checking every block as it would one from etcd.
public protocol OrderedChainSource: Sendable {
    /// Calls `handle` with the exact bytes of each ordered block from `start` on, in order, from
    /// another orderer, until `handle` returns false or that orderer has no more.
    func blocks(from start: UInt64, _ handle: @escaping @Sendable (Data) throws -> Bool) async throws
}
