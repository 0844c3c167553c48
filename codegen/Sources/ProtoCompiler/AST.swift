// The syntax tree of one `.proto` file exactly as written: names are unresolved and nothing is
// checked beyond grammar. Every node keeps the position of its name token for error messages.

/// A whole `.proto` file.
public struct FileSyntax: Sendable, Equatable {
    public var path: String
    public var package: PackageSyntax?
    public var imports: [ImportSyntax] = []
    public var options: [OptionSyntax] = []
    public var messages: [MessageSyntax] = []
    public var enums: [EnumSyntax] = []
    public var services: [ServiceSyntax] = []
}

public struct PackageSyntax: Sendable, Equatable {
    public var name: String
    public var position: SourcePosition
}

public struct ImportSyntax: Sendable, Equatable {
    public var path: String
    public var isPublic: Bool
    public var position: SourcePosition
}

/// An option name such as `deprecated`, `(my.ext)` or `(my.ext).sub.field`.
public struct OptionNameSyntax: Sendable, Equatable, CustomStringConvertible {
    public enum Part: Sendable, Equatable {
        case simple(String)
        /// A parenthesized extension name, e.g. `(my.ext)` → `my.ext` (a leading `.` is kept).
        case extensionName(String)
    }

    public var parts: [Part]

    /// The name when it is a single plain identifier (a built-in option such as `packed`).
    public var builtInName: String? {
        if parts.count == 1, case .simple(let name) = parts[0] { return name }
        return nil
    }

    public var description: String {
        parts.map { part in
            switch part {
            case .simple(let name): name
            case .extensionName(let name): "(\(name))"
            }
        }.joined(separator: ".")
    }
}

/// An option value, kept generically because custom options cannot be typed without `extend`.
public indirect enum OptionValueSyntax: Sendable, Equatable {
    /// Enum constants, `true`/`false`, `inf`, `nan`.
    case identifier(String)
    case integer(negative: Bool, magnitude: UInt64)
    case float(Double)
    case string(String)
    /// A text-format message literal `{ name: value ... }`.
    case aggregate([AggregateFieldSyntax])
    /// A text-format list `[a, b]` (only inside aggregates).
    case list([OptionValueSyntax])
}

public struct AggregateFieldSyntax: Sendable, Equatable {
    /// The field name; extension fields keep their brackets, e.g. `[my.ext]`.
    public var name: String
    public var value: OptionValueSyntax

    public init(name: String, value: OptionValueSyntax) {
        self.name = name
        self.value = value
    }
}

public struct OptionSyntax: Sendable, Equatable {
    public var name: OptionNameSyntax
    public var value: OptionValueSyntax
    public var position: SourcePosition
    public var valuePosition: SourcePosition
}

/// A field's type as written: a scalar keyword, a (possibly qualified) type name, or a map.
public indirect enum TypeSyntax: Sendable, Equatable, CustomStringConvertible {
    case scalar(ScalarType)
    /// A message or enum name, possibly dotted and possibly starting with `.`.
    case named(String)
    case map(key: TypeSyntax, value: TypeSyntax)

    public var description: String {
        switch self {
        case .scalar(let scalar): scalar.rawValue
        case .named(let name): name
        case .map(let key, let value): "map<\(key), \(value)>"
        }
    }
}

public enum FieldLabelSyntax: Sendable, Equatable {
    case none, optional, repeated
}

public struct FieldSyntax: Sendable, Equatable {
    public var name: String
    public var label: FieldLabelSyntax
    public var type: TypeSyntax
    /// The number as written; may be out of range (the checker reports that).
    public var number: Int64
    public var options: [OptionSyntax]
    /// Index into the enclosing `MessageSyntax.oneofs` for oneof members.
    public var oneofIndex: Int?
    public var comments: [String]
    public var position: SourcePosition
    public var typePosition: SourcePosition
    public var numberPosition: SourcePosition
}

public struct OneofSyntax: Sendable, Equatable {
    public var name: String
    public var options: [OptionSyntax]
    public var comments: [String]
    public var position: SourcePosition
}

/// An inclusive range of reserved numbers; `max` is already replaced by the largest legal value.
public struct ReservedRangeSyntax: Sendable, Equatable {
    public var start: Int64
    public var end: Int64
    public var position: SourcePosition
}

public struct ReservedNameSyntax: Sendable, Equatable {
    public var name: String
    public var position: SourcePosition
}

public struct MessageSyntax: Sendable, Equatable {
    public var name: String
    /// All fields in declaration order, oneof members included.
    public var fields: [FieldSyntax] = []
    public var oneofs: [OneofSyntax] = []
    public var messages: [MessageSyntax] = []
    public var enums: [EnumSyntax] = []
    public var reservedRanges: [ReservedRangeSyntax] = []
    public var reservedNames: [ReservedNameSyntax] = []
    public var options: [OptionSyntax] = []
    public var comments: [String]
    public var position: SourcePosition
}

public struct EnumValueSyntax: Sendable, Equatable {
    public var name: String
    public var number: Int64
    public var options: [OptionSyntax]
    public var comments: [String]
    public var position: SourcePosition
}

public struct EnumSyntax: Sendable, Equatable {
    public var name: String
    public var values: [EnumValueSyntax] = []
    public var reservedRanges: [ReservedRangeSyntax] = []
    public var reservedNames: [ReservedNameSyntax] = []
    public var options: [OptionSyntax] = []
    public var comments: [String]
    public var position: SourcePosition
}

public struct MethodSyntax: Sendable, Equatable {
    public var name: String
    public var inputType: String
    public var outputType: String
    public var clientStreaming: Bool
    public var serverStreaming: Bool
    public var options: [OptionSyntax]
    public var comments: [String]
    public var position: SourcePosition
    public var inputPosition: SourcePosition
    public var outputPosition: SourcePosition
    /// Whether the method was declared with a `{ ... }` body (protoc then records an options
    /// message in the descriptor even when the body sets none).
    public var hasBody = false
}

public struct ServiceSyntax: Sendable, Equatable {
    public var name: String
    public var methods: [MethodSyntax] = []
    public var options: [OptionSyntax] = []
    public var comments: [String]
    public var position: SourcePosition
}
