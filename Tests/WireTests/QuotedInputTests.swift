import Testing
import Wire

@Suite("Caller input in messages: quoted short, invisible characters shown")
struct QuotedInputTests {
    @Test func shortValuesAreQuotedWhole() {
        #expect(QuotedInput.quote("P-001") == "'P-001'")
        #expect(QuotedInput.quote("it's") == #"'it\'s'"#)
        #expect(QuotedInput.quote("a\u{0}b") == #"'a\u{0}b'"#)
    }

    @Test func invisibleAndDirectionCharactersAreEscaped() {
        #expect(QuotedInput.quote("\u{202E}gpj.exe") == #"'\u{202e}gpj.exe'"#)
        #expect(QuotedInput.quote("a\nb\u{7F}") == #"'a\u{a}b\u{7f}'"#)
    }

    @Test func longValuesAreCutAndSayHowLongTheyWere() {
        let quoted = QuotedInput.quote(String(repeating: "é", count: 1000))
        #expect(quoted.hasPrefix("'" + String(repeating: "é", count: QuotedInput.defaultLimit) + "'…"))
        #expect(quoted.hasSuffix("(2000 bytes)"))
    }

    @Test func boundedMessagesKeepTheirQuotesAndStopAtTheLimit() {
        #expect(QuotedInput.bounded("organisation's CA 'x'") == "organisation's CA 'x'")
        let cut = QuotedInput.bounded("value: " + String(repeating: "x", count: 1 << 20), limit: 100)
        #expect(cut.utf8.count < 140 && cut.hasSuffix("(message cut at 100 bytes)"))
        #expect(QuotedInput.bounded("line one\nline\u{0}two") == #"line one line\u{0}two"#)
    }
}
