public import Foundation

/// Builds compact proto3 JSON text. Generated `writeJSON(to:)` code drives it: `key` before each
/// member, `element` before each array element, then one value writer.
public struct JSONWriter {
    public private(set) var text = ""
    private var needsSeparator = false

    public init() {}

    public mutating func beginObject() { text += "{"; needsSeparator = false }
    public mutating func endObject() { text += "}"; needsSeparator = true }
    public mutating func beginArray() { text += "["; needsSeparator = false }
    public mutating func endArray() { text += "]"; needsSeparator = true }

    /// Starts an object member.
    public mutating func key(_ name: String) {
        if needsSeparator { text += "," }
        writeQuoted(name)
        text += ":"
        needsSeparator = false
    }

    /// Starts an array element.
    public mutating func element() {
        if needsSeparator { text += "," }
    }

    public mutating func writeNull() { text += "null"; needsSeparator = true }
    public mutating func writeBool(_ value: Bool) { text += value ? "true" : "false"; needsSeparator = true }

    /// 32-bit integers are JSON numbers.
    public mutating func writeNumber(_ value: some FixedWidthInteger) { text += String(value); needsSeparator = true }

    /// A number literal that a `JSONParser` accepted, written as it stands (no rounding through `Double`).
    public mutating func writeNumberLiteral(_ literal: String) { text += literal; needsSeparator = true }

    /// 64-bit integers are JSON strings, since JSON numbers are doubles in most parsers.
    public mutating func writeQuotedNumber(_ value: some FixedWidthInteger) { text += "\"\(value)\""; needsSeparator = true }

    public mutating func writeDouble(_ value: Double) {
        if value.isNaN {
            text += "\"NaN\""
        } else if value.isInfinite {
            text += value < 0 ? "\"-Infinity\"" : "\"Infinity\""
        } else {
            text += Self.shortest(value.description)
        }
        needsSeparator = true
    }

    public mutating func writeFloat(_ value: Float) {
        if value.isNaN {
            text += "\"NaN\""
        } else if value.isInfinite {
            text += value < 0 ? "\"-Infinity\"" : "\"Infinity\""
        } else {
            text += Self.shortest(value.description)
        }
        needsSeparator = true
    }

    public mutating func writeString(_ value: String) { writeQuoted(value); needsSeparator = true }

    /// `bytes` are standard base64 with padding.
    public mutating func writeBytes(_ value: Data) { writeQuoted(value.base64EncodedString()); needsSeparator = true }

    public mutating func writeEnum<E: ProtoEnum>(_ value: E) {
        if let name = value.protoName {
            writeQuoted(name)
        } else {
            text += String(value.rawValue)
        }
        needsSeparator = true
    }

    public mutating func writeMessage<M: Message>(_ message: M) { message.writeJSON(to: &self) }

    /// Swift prints integral floating-point values as `1.0`; JSON takes them either way, but `1`
    /// is what other proto3 JSON printers emit.
    private static func shortest(_ description: String) -> String {
        description.hasSuffix(".0") ? String(description.dropLast(2)) : description
    }

    private mutating func writeQuoted(_ string: String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}

extension JSONWriter {
    /// Writes a parsed value back as compact JSON: members in their order, numbers exactly as
    /// they were written (the parser validated them), strings escaped as `writeString` does.
    public mutating func writeValue(_ value: JSONValue) {
        switch value {
        case .null: writeNull()
        case .bool(let bool): writeBool(bool)
        case .number(let literal): writeNumberLiteral(literal)
        case .string(let string): writeString(string)
        case .array(let elements):
            beginArray()
            for element in elements {
                self.element()
                writeValue(element)
            }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(member.name)
                writeValue(member.value)
            }
            endObject()
        }
    }
}
