/// RFC 4648 base16 (multibase `f`, lower case; `F`, upper case): how `ipfs cid format -b base16`
/// and many tools print a CID's bytes.
enum Base16 {
    /// Decodes an even number of hex digits of one case (`upper` picks which); nil otherwise.
    static func decode(_ text: Substring, upper: Bool) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        let letters = upper ? UInt8(ascii: "A")...UInt8(ascii: "F") : UInt8(ascii: "a")...UInt8(ascii: "f")
        func value(_ digit: UInt8) -> UInt8? {
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) { return digit - UInt8(ascii: "0") }
            if letters.contains(digit) { return digit - letters.lowerBound + 10 }
            return nil
        }
        var output: [UInt8] = []
        output.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            output.append(high << 4 | low)
        }
        return output
    }
}
