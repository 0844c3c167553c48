import Foundation
import LedgerCore
import Schema
import Testing

@Suite("Block cutter")
struct BlockCutterTests {
    let start = ContinuousClock.now
    let limits = BlockCutter.Limits(maxMessageCount: 3, preferredMaxBytes: 100, absoluteMaxBytes: 150, batchTimeout: .milliseconds(20))

    func tx(_ size: Int, _ tag: UInt8 = 1) -> Data { Data(repeating: tag, count: size) }

    @Test func cutsAtMaxMessageCount() {
        var cutter = BlockCutter(limits: limits)
        #expect(cutter.submit(tx(1, 1), now: start) == [.startTimer(deadline: start.advanced(by: .milliseconds(20)), generation: 0)])
        #expect(cutter.submit(tx(1, 2), now: start).isEmpty)
        #expect(cutter.submit(tx(1, 3), now: start) == [.cut([tx(1, 1), tx(1, 2), tx(1, 3)])])
        #expect(cutter.pendingCount == 0)
    }

    @Test func cutsOnceThePreferredSizeIsReached() {
        var cutter = BlockCutter(limits: limits)
        _ = cutter.submit(tx(60, 1), now: start)
        #expect(cutter.submit(tx(40, 2), now: start) == [.cut([tx(60, 1), tx(40, 2)])])
    }

    @Test func aTransactionThatWouldOverflowStartsTheNextBlock() {
        var cutter = BlockCutter(limits: limits)
        _ = cutter.submit(tx(60, 1), now: start)
        let actions = cutter.submit(tx(50, 2), now: start)
        #expect(actions == [.cut([tx(60, 1)]), .startTimer(deadline: start.advanced(by: .milliseconds(20)), generation: 1)])
        #expect(cutter.pendingCount == 1)
    }

    @Test func aLoneOversizedTransactionIsItsOwnBlock() {
        var cutter = BlockCutter(limits: limits)
        #expect(cutter.submit(tx(120), now: start) == [.cut([tx(120)])])
    }

    @Test func rejectsAboveTheAbsoluteMaximumAndKeepsTheBatch() {
        var cutter = BlockCutter(limits: limits)
        _ = cutter.submit(tx(10), now: start)
        guard case .reject(let reason)? = cutter.submit(tx(151), now: start).first else {
            Issue.record("expected a rejection")
            return
        }
        #expect(reason.contains("151 bytes"))
        #expect(cutter.pendingCount == 1)
    }

    @Test func theTimerCutsAPartialBatchAndStaleTimersAreIgnored() {
        var cutter = BlockCutter(limits: limits)
        _ = cutter.submit(tx(1, 1), now: start)
        #expect(cutter.timerFired(generation: 0) == [.cut([tx(1, 1)])])
        #expect(cutter.timerFired(generation: 0).isEmpty)
        // A new batch gets a new generation; the old timer must not cut it.
        #expect(cutter.submit(tx(1, 2), now: start) == [.startTimer(deadline: start.advanced(by: .milliseconds(20)), generation: 1)])
        #expect(cutter.timerFired(generation: 0).isEmpty)
        #expect(cutter.timerFired(generation: 1) == [.cut([tx(1, 2)])])
    }

    @Test func channelParametersOfZeroTakeTheDefaults() {
        var batch = Schema.Medledger_V1_BatchParameters()
        batch.maxMessageCount = 10
        let limits = BlockCutter.Limits(batch)
        #expect(limits.maxMessageCount == 10)
        #expect(limits.preferredMaxBytes == BlockCutter.Limits.defaults.preferredMaxBytes)
        #expect(limits.batchTimeout == .milliseconds(20))
    }
}
