import Foundation
import LedgerCore
import Schema
import Testing

@Suite("Keys and strings compare by bytes")
struct KeyNormalizationTests {
    static let fixture = try! ChannelFixture()

    @Test func onlyNFCKeysAreNormalized() {
        #expect(StateKeyOrder.isNormalized("caf\u{E9}"))
        #expect(!StateKeyOrder.isNormalized("cafe\u{301}"))
        // The Kelvin sign's canonical form is the letter K.
        #expect(!StateKeyOrder.isNormalized("\u{212A}"))
    }

    @Test func aWriteKeyThatIsNotNFCIsABadReadWriteSet() throws {
        let f = Self.fixture
        let envelope = try f.envelope(
            f.proposal(by: f.clinicianA), signer: f.clinicianA, rwset: rwset(writes: [("cafe\u{301}", "x")]), endorsers: [f.peerA])
        let checked = f.validator().check(envelope, blockNumber: 1)
        #expect(checked.code == .badRwset)
        #expect(checked.reason?.contains("NFC") == true)
    }

    @Test func richQueryStringsMatchByBytesNotByCanonicalEquivalence() throws {
        let query = try RichQuery(json: Data(#"{"selector": {"unit": "K"}}"#.utf8))
        #expect(query.matches(Data(#"{"unit": "K"}"#.utf8)))
        #expect(!query.matches(Data(#"{"unit": "\u212A"}"#.utf8)))
        let notEqual = try RichQuery(json: Data(#"{"selector": {"unit": {"$ne": "K"}}}"#.utf8))
        #expect(notEqual.matches(Data(#"{"unit": "\u212A"}"#.utf8)))
        let atLeast = try RichQuery(json: Data(#"{"selector": {"unit": {"$gte": "\u212A"}}}"#.utf8))
        #expect(!atLeast.matches(Data(#"{"unit": "K"}"#.utf8)))
    }
}
