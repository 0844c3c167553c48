/// Every rule that turns a proto name into a Swift name, following swift-protobuf's conventions
/// so generated code reads like code from `protoc-gen-swift`.
///
/// Keeping them in one place means the front end (which stores Swift names in the model) and the
/// emitters (which quote keywords) can never disagree.
public enum SwiftNaming {
    // MARK: - Types

    /// The prefix of top-level type names: `medledger.v1` → `Medledger_V1_`; a `swift_prefix`
    /// file option wins (even when empty); no package → no prefix.
    public static func typePrefix(package: String, swiftPrefix: String? = nil) -> String {
        if let swiftPrefix { return swiftPrefix }
        guard !package.isEmpty else { return "" }
        var prefix = ""
        var uppercaseNext = true
        for character in package {
            if character == "_" {
                uppercaseNext = true
            } else if character == "." {
                uppercaseNext = true
                prefix += "_"
            } else {
                if prefix.isEmpty && character.isNumber { prefix += "_" }
                prefix += uppercaseNext ? character.uppercased() : String(character)
                uppercaseNext = false
            }
        }
        return prefix + "_"
    }

    /// Name of a top-level message, enum or service: `Medledger_V1_Block`.
    public static func topLevelTypeName(_ protoName: String, prefix: String, isEnum: Bool = false) -> String {
        sanitizedTypeName(prefix + protoName, disambiguator: isEnum ? "Enum" : "Message")
    }

    /// Name of a nested message or enum inside its parent Swift type: `Header`.
    public static func nestedTypeName(_ protoName: String, isEnum: Bool = false) -> String {
        sanitizedTypeName(protoName, disambiguator: isEnum ? "Enum" : "Message")
    }

    /// Names a Swift type cannot take without shadowing the standard library or breaking type
    /// expressions (`Foo.Type` is a metatype); swift-protobuf appends `Message`/`Enum` to them.
    static let reservedTypeNames: Set<String> = swiftKeywords.union([
        "Type", "Protocol", "Any", "AnyObject", "Array", "Bool", "Data", "Dictionary", "Double", "Error",
        "Float", "Int", "Int32", "Int64", "Optional", "Set", "String", "UInt32", "UInt64", "Void",
        "SwiftProtobuf", "Extensions", "Swift", "Foundation", "Wire", "GRPCCore",
    ])

    private static func sanitizedTypeName(_ name: String, disambiguator: String) -> String {
        if reservedTypeNames.contains(name) || name.allSatisfy({ $0 == "_" }) {
            return name + disambiguator
        }
        // If `Type` becomes `TypeMessage`, a real `TypeMessage` must move too so they can't collide.
        if name.hasSuffix(disambiguator) && name.count > disambiguator.count {
            return sanitizedTypeName(String(name.dropLast(disambiguator.count)), disambiguator: disambiguator) + disambiguator
        }
        return name
    }

    // MARK: - Fields and oneofs

    /// Swift property name of a field: `previous_hash` → `previousHash`, `block_id` → `blockID`;
    /// names that would shadow generated members get `_p` appended.
    public static func fieldName(_ protoName: String) -> String {
        let name = lowerCamelCase(protoName)
        return clashesWithGeneratedMember(name) ? name + "_p" : name
    }

    /// Members every generated message has (or that Swift gives every type), plus the `hasX` /
    /// `clearX` accessors generated for fields with presence.
    static let generatedMemberNames: Set<String> = [
        "unknownFields", "isInitialized", "hashValue", "description", "debugDescription", "dynamicType",
        "init", "self", "Type", "Protocol", "jsonName",
    ]

    private static func clashesWithGeneratedMember(_ name: String) -> Bool {
        if generatedMemberNames.contains(name) { return true }
        for accessorPrefix in ["has", "clear"] where name.hasPrefix(accessorPrefix) {
            let rest = name.dropFirst(accessorPrefix.count)
            if let first = rest.first, first.isUppercase { return true }
        }
        return false
    }

    /// protoc's JSON name: underscores removed and the letter after each uppercased
    /// (`previous_hash` → `previousHash`; the first letter keeps its case).
    public static func jsonName(_ protoName: String) -> String {
        var result = ""
        var uppercaseNext = false
        for character in protoName {
            if character == "_" {
                uppercaseNext = true
            } else if uppercaseNext {
                result += character.uppercased()
                uppercaseNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Swift property holding a oneof's case: `payload`.
    public static func oneofName(_ protoName: String) -> String {
        fieldName(protoName)
    }

    /// Swift enum type of a oneof: `OneOf_Payload`.
    public static func oneofTypeName(_ protoName: String) -> String {
        "OneOf_" + upperCamelCase(protoName)
    }

    // MARK: - Enum values

    /// Swift case names for an enum's values, in order. The enum's name (compared ignoring case
    /// and underscores, so `TxValidationCode` matches `TX_VALIDATION_CODE_`) is stripped only when
    /// every value starts with it and every remainder starts with a letter, so a single odd value
    /// can't leave the enum half-prefixed.
    public static func enumCaseNames(enumName: String, valueNames: [String]) -> [String] {
        let stripped = valueNames.map { strip(prefix: enumName, from: $0) }
        let useStripped = !stripped.contains(nil)
        return zip(valueNames, stripped).map { name, remainder in
            let caseName = lowerCamelCase(useStripped ? remainder! : name)
            return reservedEnumCaseNames.contains(caseName) ? caseName + "_" : caseName
        }
    }

    /// Members of Swift enums (and `CaseIterable`/`RawRepresentable`) a case must not shadow.
    static let reservedEnumCaseNames: Set<String> = [
        "allCases", "debugDescription", "description", "dynamicType", "hashValue", "init", "rawValue", "self",
    ]

    /// `from` without `prefix` (ignoring case and underscores) and the underscores after it, or nil
    /// when it doesn't start with the prefix or nothing starting with a letter would be left.
    private static func strip(prefix: String, from name: String) -> String? {
        let prefixCharacters = Array(prefix.lowercased().filter { $0 != "_" })
        let characters = Array(name)
        var index = 0
        for expected in prefixCharacters {
            while index < characters.count && characters[index] == "_" { index += 1 }
            guard index < characters.count, Character(characters[index].lowercased()) == expected else { return nil }
            index += 1
        }
        guard index < characters.count, characters[index] == "_" else { return nil }
        while index < characters.count && characters[index] == "_" { index += 1 }
        guard index < characters.count, characters[index].isLetter else { return nil }
        return String(characters[index...])
    }

    // MARK: - Services and methods

    /// Swift namespace of a service: `Grpc_Health_V1_Health`.
    public static func serviceName(_ protoName: String, prefix: String) -> String {
        sanitizedTypeName(prefix + protoName, disambiguator: "Service")
    }

    /// Swift function name of an RPC: the leading run of capitals is lowercased, except its last
    /// letter when that starts the next word (`CommitStatus` → `commitStatus`, `GetCRL` → `getCRL`,
    /// `CRLStatus` → `crlStatus`, `ExportCAR` → `exportCAR`).
    public static func methodName(_ protoName: String) -> String {
        let characters = Array(protoName)
        var runEnd = 0
        while runEnd < characters.count && characters[runEnd].isUppercase { runEnd += 1 }
        if runEnd > 1 && runEnd < characters.count && characters[runEnd].isLowercase { runEnd -= 1 }
        return characters[..<runEnd].map { $0.lowercased() }.joined() + String(characters[runEnd...])
    }

    // MARK: - Camel case

    /// Abbreviations written all-caps inside camel case, as swift-protobuf does (`block_id` → `blockID`).
    static let abbreviations: Set<String> = ["url", "http", "https", "id"]

    /// `previous_hash` → `PreviousHash`.
    public static func upperCamelCase(_ name: String) -> String { camelCase(name, initialUppercase: true) }

    /// `previous_hash` → `previousHash`, `block_id` → `blockID`, `TxBody` → `txBody`. Like swift-protobuf,
    /// a run of capitals continues into the lowercase letters after it (`HTTPStatus` → `httpstatus`).
    public static func lowerCamelCase(_ name: String) -> String { camelCase(name, initialUppercase: false) }

    private enum CharacterClass { case digit, lower, upper, underscore, other, none }

    /// Splits into words at underscores, case changes and digit runs, then joins them
    /// capitalized (the first word lowercase unless `initialUppercase`). Repeated underscores
    /// keep the extras, and a leading digit gets an underscore so the result is an identifier.
    private static func camelCase(_ name: String, initialUppercase: Bool) -> String {
        var result = ""
        var word = ""
        var previous = CharacterClass.none

        func flushWord() {
            guard !word.isEmpty else { return }
            if result.isEmpty && !initialUppercase {
                result += word
            } else if abbreviations.contains(word) {
                result += word.uppercased()
            } else {
                result += word.prefix(1).uppercased() + word.dropFirst()
            }
            word = ""
        }

        for character in name {
            let characterClass: CharacterClass =
                if character.isASCII && character.isNumber { .digit }
                else if character.isASCII && character.isLowercase { .lower }
                else if character.isASCII && character.isUppercase { .upper }
                else if character == "_" { .underscore }
                else { .other }
            switch characterClass {
            case .digit:
                if previous != .digit { flushWord() }
                if result.isEmpty && word.isEmpty { result += "_" }
                word.append(character)
            case .upper:
                if previous != .upper { flushWord() }
                word += character.lowercased()
            case .lower:
                if previous != .lower && previous != .upper { flushWord() }
                word.append(character)
            case .underscore:
                flushWord()
                if previous == .underscore { result += "_" }
            case .other, .none:
                flushWord()
                word.append(character)
            }
            previous = characterClass
        }
        flushWord()
        if previous == .underscore { result += "_" }
        return result
    }

    // MARK: - Keywords

    /// Swift keywords that must be backticked to be used as identifiers.
    static let swiftKeywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var",
        "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for",
        "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "_",
    ]

    /// Whether `name` is a Swift keyword (and so needs backticks as an identifier).
    public static func isSwiftKeyword(_ name: String) -> Bool {
        swiftKeywords.contains(name)
    }

    /// `name` wrapped in backticks when it is a keyword, else unchanged: `default` → `` `default` ``.
    public static func quotedIfKeyword(_ name: String) -> String {
        isSwiftKeyword(name) ? "`\(name)`" : name
    }
}
