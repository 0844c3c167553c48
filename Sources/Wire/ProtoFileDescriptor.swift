public import Foundation

/// One `.proto` file as gRPC server reflection describes it: its serialized
/// `google.protobuf.FileDescriptorProto` (as `protoc --descriptor_set_out` writes it), the files it
/// imports, and the fully-qualified names it defines. The code generator emits one per file.
public struct ProtoFileDescriptor: Sendable, Hashable {
    /// The file's path relative to the schema root, e.g. `medledger/v1/gateway.proto`.
    public let name: String
    /// The files it imports, as written.
    public let dependencies: [String]
    /// Every message, enum, service and method it defines, fully qualified without a leading dot
    /// (`medledger.v1.Gateway`, `medledger.v1.Gateway.Submit`, `medledger.v1.Block.Header`).
    public let symbols: [String]
    /// The serialized `FileDescriptorProto`.
    public let serialized: Data

    /// `serializedBase64` is the descriptor as generated code carries it.
    public init(name: String, dependencies: [String], symbols: [String], serializedBase64: String) {
        self.name = name
        self.dependencies = dependencies
        self.symbols = symbols
        self.serialized = Data(base64Encoded: serializedBase64) ?? Data()
    }
}
