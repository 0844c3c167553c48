/// A generated protobuf enum: every `Int32` is a value, and numbers the schema does not name are
/// kept (as `UNRECOGNIZED(n)`) so that they survive decoding and re-encoding.
public protocol ProtoEnum: Sendable, Hashable, RawRepresentable where RawValue == Int32 {
    init(rawValue: Int32)
    /// The value's name as the schema writes it, or `nil` for an unrecognised number.
    var protoName: String? { get }
    /// The value a name denotes, for the JSON mapping.
    init?(protoName: String)
}
