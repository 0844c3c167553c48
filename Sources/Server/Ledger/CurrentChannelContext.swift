internal import LedgerCore
internal import Synchronization

/// The configuration in force on one channel of this node: the genesis configuration, then each
/// one a committed configuration block installs. The committer advances it between blocks, so
/// every block is validated under the configuration before it; endorsement, admission, delivery
/// and the list of the network's orderers read it at each use.
final class CurrentChannelContext: Sendable {
    private let value: Mutex<ChannelContext>

    init(_ context: ChannelContext) {
        value = Mutex(context)
    }

    /// The configuration in force now.
    var context: ChannelContext { value.withLock { $0 } }

    /// Puts `next` in force (the committer, after committing its configuration block).
    func advance(to next: ChannelContext) {
        value.withLock { $0 = next }
    }
}
