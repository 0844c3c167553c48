import Foundation
import GRPCCore
import LedgerCore
import MedLedgerTesting
import Schema
import Testing

/// A client that opens response streams and never closes them cannot make the node keep an
/// unbounded number: one identity gets 64 at once, then RESOURCE_EXHAUSTED naming the limit.
@Suite("Open response streams per identity", .timeLimit(.minutes(3)))
struct StreamQuotaTests {
    static func follow() -> Medledger_V1_DeliverRequest {
        var request = Medledger_V1_DeliverRequest()
        request.channelID = "ehr"
        request.start = .block(0)
        request.filtered = true
        return request
    }

    @Test func theSixtyFifthStreamOfOneIdentityIsRefusedByNameAndAClosedOneFreesItsPlace() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            try await dev.withClient(as: "dr-alice") { client in
                let deliver = Medledger_V1_Deliver.Client(wrapping: client)
                let (opened, counter) = AsyncStream<Void>.makeStream()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<64 {
                        group.addTask {
                            try await deliver.blocks(Self.follow(), options: callOptions(timeout: .seconds(120))) { response in
                                for try await _ in response.messages { counter.yield() }
                            }
                        }
                    }
                    var count = 0
                    for await _ in opened {
                        count += 1
                        if count == 64 { break }
                    }
                    let refused = await #expect(throws: RPCError.self) {
                        try await deliver.blocks(Self.follow(), options: callOptions()) { response in for try await _ in response.messages {} }
                    }
                    #expect(refused?.code == .resourceExhausted, "\(String(describing: refused))")
                    #expect(refused?.message.contains("dr-alice") == true && refused?.message.contains("64 response streams") == true)

                    // Another identity is not held back by dr-alice's streams.
                    let bobs = try await dev.withClient(as: "dr-bob") { bob in
                        var once = Self.follow()
                        once.stop = .block(0)
                        return try await Medledger_V1_Deliver.Client(wrapping: bob).blocks(once, options: callOptions()) { response in
                            var blocks = 0
                            for try await _ in response.messages { blocks += 1 }
                            return blocks
                        }
                    }
                    #expect(bobs == 1)
                    group.cancelAll()
                }
                // Closed streams free their places.
                var once = Self.follow()
                once.stop = .block(0)
                var delivered = 0
                for _ in 0..<50 where delivered == 0 {
                    do {
                        delivered = try await deliver.blocks(once, options: callOptions()) { response in
                            var blocks = 0
                            for try await _ in response.messages { blocks += 1 }
                            return blocks
                        }
                    } catch let error as RPCError where error.code == .resourceExhausted {
                        try await Task.sleep(for: .milliseconds(200))
                    }
                }
                #expect(delivered == 1, "a stream opens again once the others closed")
            }
        }
    }
}
