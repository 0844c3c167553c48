public import GRPCCore
internal import Schema
internal import Synchronization

/// How far a node has committed a channel, read over `Deliver` (filtered blocks, so no
/// transaction content is sent). A client that moves from one organisation's node to another
/// uses it to wait until the second has committed what the first showed it.
public enum ChannelHeight {
    /// The number of blocks the node has committed on `channel` (the newest block's number + 1).
    public static func current<Transport: ClientTransport>(
        client: GRPCClient<Transport>, channel: String, options: CallOptions = .defaults
    ) async throws -> UInt64 {
        let newest = try await filteredBlock(client: client, channel: channel, at: .newest(.init()), waiting: false, options: options)
        return newest + 1
    }

    /// Returns once the node has committed `height` blocks of `channel`; the call's timeout in
    /// `options` bounds the wait (DEADLINE_EXCEEDED after it).
    public static func wait<Transport: ClientTransport>(
        client: GRPCClient<Transport>, channel: String, reaching height: UInt64, options: CallOptions
    ) async throws {
        guard height > 0 else { return }
        var block = Medledger_V1_SeekPosition.Specified()
        block.number = height - 1
        _ = try await filteredBlock(client: client, channel: channel, at: .specified(block), waiting: true, options: options)
    }

    /// The number of the one filtered block at `position`.
    private static func filteredBlock<Transport: ClientTransport>(
        client: GRPCClient<Transport>, channel: String, at position: Medledger_V1_SeekPosition.OneOf_Position, waiting: Bool,
        options: CallOptions
    ) async throws -> UInt64 {
        var seek = Medledger_V1_SeekPosition()
        seek.position = position
        var request = Medledger_V1_DeliverRequest()
        request.channelID = channel
        request.start = seek
        request.stop = seek
        request.filtered = true
        request.behavior = waiting ? .blockUntilReady : .failIfNotReady
        return try await Medledger_V1_Deliver.Client(wrapping: client).blocks(request: ClientRequest(message: request), options: options) { response in
            var number: UInt64?
            for try await message in response.messages {
                number = message.filteredBlock?.number ?? message.block?.header?.number
            }
            guard let number else { throw RPCError(code: .dataLoss, message: "Deliver of channel \(channel) sent no block") }
            return number
        }
    }
}

extension ChannelHeight {
    /// The heights a client has seen on the nodes it called, per channel: before a call to the
    /// next node it waits until that node has committed what an earlier one showed (a client that
    /// moves between organisations' nodes reads its own writes).
    public final class Watermark: Sendable {
        private let seen = Mutex<[String: UInt64]>([:])

        public init() {}

        /// The highest height of `channel` noted so far.
        public func height(of channel: String) -> UInt64 {
            seen.withLock { $0[channel] ?? 0 }
        }

        /// Waits until the node behind `client` has committed every block of `channels` noted so
        /// far; DEADLINE_EXCEEDED after `options.timeout`.
        public func catchUp<Transport: ClientTransport>(
            _ client: GRPCClient<Transport>, channels: [String], options: CallOptions
        ) async throws {
            for channel in channels {
                try await ChannelHeight.wait(client: client, channel: channel, reaching: height(of: channel), options: options)
            }
        }

        /// Notes how far the node behind `client` has committed `channels`.
        public func note<Transport: ClientTransport>(_ client: GRPCClient<Transport>, channels: [String], options: CallOptions = .defaults)
            async throws
        {
            for channel in channels {
                let height = try await ChannelHeight.current(client: client, channel: channel, options: options)
                seen.withLock { $0[channel] = max($0[channel] ?? 0, height) }
            }
        }
    }
}
