/// Emits a proto3 enum as a Swift enum that keeps unrecognised numbers (`UNRECOGNIZED(n)`), so a
/// value from a newer schema survives a decode/encode round trip.
struct EnumEmitter {
    let access: String

    func emit(_ model: EnumModel, into printer: inout CodePrinter) {
        var primaries: [EnumValueModel] = []
        var aliases: [(alias: EnumValueModel, primary: EnumValueModel)] = []
        for value in model.values {
            if let primary = primaries.first(where: { $0.number == value.number }) {
                aliases.append((value, primary))
            } else {
                primaries.append(value)
            }
        }
        printer.docComment(model.comments)
        printer.block("\(access) enum \(model.swiftName): Wire.ProtoEnum, CaseIterable {") { body in
            for value in primaries {
                body.docComment(value.comments)
                body.line("case \(SwiftNaming.quotedIfKeyword(value.swiftName)) // = \(value.number)")
            }
            body.line("/// A number this schema does not name.")
            body.line("case UNRECOGNIZED(Int32)")
            for (alias, primary) in aliases {
                body.line()
                body.docComment(alias.comments.isEmpty ? ["Alias of `\(primary.swiftName)`."] : alias.comments)
                body.line("\(access) static let \(SwiftNaming.quotedIfKeyword(alias.swiftName)) = \(model.swiftName).\(SwiftNaming.quotedIfKeyword(primary.swiftName))")
            }
            body.line()
            body.line("\(access) static let allCases: [\(model.swiftName)] = [\(primaries.map { ".\(SwiftNaming.quotedIfKeyword($0.swiftName))" }.joined(separator: ", "))]")
            body.line()
            body.block("\(access) init(rawValue: Int32) {") { initializer in
                initializer.line("switch rawValue {")
                for value in primaries { initializer.line("case \(value.number): self = .\(SwiftNaming.quotedIfKeyword(value.swiftName))") }
                initializer.line("default: self = .UNRECOGNIZED(rawValue)")
                initializer.line("}")
            }
            body.line()
            body.block("\(access) var rawValue: Int32 {") { getter in
                getter.line("switch self {")
                for value in primaries { getter.line("case .\(SwiftNaming.quotedIfKeyword(value.swiftName)): \(value.number)") }
                getter.line("case .UNRECOGNIZED(let number): number")
                getter.line("}")
            }
            body.line()
            body.block("\(access) var protoName: String? {") { getter in
                getter.line("switch self {")
                for value in primaries { getter.line("case .\(SwiftNaming.quotedIfKeyword(value.swiftName)): \"\(value.protoName)\"") }
                getter.line("case .UNRECOGNIZED: nil")
                getter.line("}")
            }
            body.line()
            body.block("\(access) init?(protoName: String) {") { initializer in
                initializer.line("switch protoName {")
                for value in primaries { initializer.line("case \"\(value.protoName)\": self = .\(SwiftNaming.quotedIfKeyword(value.swiftName))") }
                for (alias, primary) in aliases { initializer.line("case \"\(alias.protoName)\": self = .\(SwiftNaming.quotedIfKeyword(primary.swiftName))") }
                initializer.line("default: return nil")
                initializer.line("}")
            }
        }
    }
}
