/// The checked, resolved description of one `.proto` file that the Swift emitters consume.
///
/// The front end (lexer → parser → semantic checks) produces it; every type reference in it is
/// already resolved to a fully-qualified proto name and a Swift name, so emitters never look
/// anything up by themselves.
public struct FileModel: Sendable, Equatable {
    /// Path of the `.proto` file relative to its import root, e.g. `medledger/v1/ledger.proto`.
    public var path: String
    /// Proto package, e.g. `medledger.v1` (empty when the file declares none).
    public var package: String
    /// Top-level messages in declaration order (nested ones hang off their parent).
    public var messages: [MessageModel]
    /// Top-level enums in declaration order.
    public var enums: [EnumModel]
    /// Services in declaration order.
    public var services: [ServiceModel]
    /// The files this one imports, as written (paths relative to an import root).
    public var imports: [String] = []
    /// The file's serialized `google.protobuf.FileDescriptorProto`, as protoc writes it.
    public var descriptor: [UInt8] = []

    public init(
        path: String,
        package: String,
        messages: [MessageModel] = [],
        enums: [EnumModel] = [],
        services: [ServiceModel] = []
    ) {
        self.path = path
        self.package = package
        self.messages = messages
        self.enums = enums
        self.services = services
    }
}

/// A message type, with its fields in schema declaration order (the order they are encoded in).
public struct MessageModel: Sendable, Equatable {
    /// Fully-qualified proto name without a leading dot, e.g. `medledger.v1.Block.Header`.
    public var fullName: String
    /// Swift type name relative to the enclosing Swift type: `Medledger_V1_Block` at top level,
    /// `Header` for a nested message (emitted inside its parent's extension).
    public var swiftName: String
    /// Fully-qualified Swift name, e.g. `Medledger_V1_Block.Header`.
    public var swiftFullName: String
    /// Every field in declaration order, including the members of oneofs (see `FieldModel.oneofIndex`).
    public var fields: [FieldModel]
    /// Oneofs in declaration order; proto3 `optional` synthetic oneofs are *not* listed here.
    public var oneofs: [OneofModel]
    public var nestedMessages: [MessageModel]
    public var nestedEnums: [EnumModel]
    /// Leading comment lines without the comment markers.
    public var comments: [String]

    public init(
        fullName: String,
        swiftName: String,
        swiftFullName: String,
        fields: [FieldModel] = [],
        oneofs: [OneofModel] = [],
        nestedMessages: [MessageModel] = [],
        nestedEnums: [EnumModel] = [],
        comments: [String] = []
    ) {
        self.fullName = fullName
        self.swiftName = swiftName
        self.swiftFullName = swiftFullName
        self.fields = fields
        self.oneofs = oneofs
        self.nestedMessages = nestedMessages
        self.nestedEnums = nestedEnums
        self.comments = comments
    }
}

/// A proto3 scalar type.
public enum ScalarType: String, Sendable, Equatable, CaseIterable {
    case double, float
    case int32, int64, uint32, uint64, sint32, sint64
    case fixed32, fixed64, sfixed32, sfixed64
    case bool, string, bytes
}

/// How a message or enum is referred to from a field.
public struct TypeReference: Sendable, Equatable {
    /// Fully-qualified proto name without a leading dot.
    public var fullName: String
    /// Fully-qualified Swift name, e.g. `Medledger_V1_Block.Header`.
    public var swiftFullName: String

    public init(fullName: String, swiftFullName: String) {
        self.fullName = fullName
        self.swiftFullName = swiftFullName
    }
}

/// The value type of a field (for a `map`, the whole map).
public indirect enum FieldType: Sendable, Equatable {
    case scalar(ScalarType)
    case enumeration(TypeReference)
    case message(TypeReference)
    /// `map<K, V>`: `key` is an integral, bool or string scalar; `value` is never a map.
    case map(key: ScalarType, value: FieldType)
}

/// How many values a field holds and whether presence is tracked.
public enum FieldCardinality: Sendable, Equatable {
    /// proto3 implicit presence: scalars and enums are omitted when default; message fields
    /// (which always track presence) also use this label and are emitted as Swift optionals.
    case singular
    /// proto3 `optional`: explicit presence, emitted as a Swift optional.
    case optional
    /// `repeated` (and `map`, whose cardinality is always `repeated`).
    case repeated
}

/// One field of a message.
public struct FieldModel: Sendable, Equatable {
    /// The name as written in the schema, e.g. `previous_hash`.
    public var protoName: String
    /// The proto3 JSON name: `json_name` if given, else lowerCamelCase of `protoName`.
    public var jsonName: String
    /// The Swift property name, e.g. `previousHash` (backticked by the emitter when it is a keyword).
    public var swiftName: String
    public var number: Int
    public var cardinality: FieldCardinality
    public var type: FieldType
    /// Index into `MessageModel.oneofs` when the field belongs to a (real) oneof.
    public var oneofIndex: Int?
    /// Whether a repeated scalar/enum field is written packed (proto3 default `true`; `[packed = false]`).
    public var isPacked: Bool
    /// Whether storing this field inline would make a Swift value type contain itself
    /// (the message type is on a reference cycle with the enclosing message), so it must be boxed.
    public var needsIndirection: Bool
    public var comments: [String]

    public init(
        protoName: String,
        jsonName: String,
        swiftName: String,
        number: Int,
        cardinality: FieldCardinality,
        type: FieldType,
        oneofIndex: Int? = nil,
        isPacked: Bool = false,
        needsIndirection: Bool = false,
        comments: [String] = []
    ) {
        self.protoName = protoName
        self.jsonName = jsonName
        self.swiftName = swiftName
        self.number = number
        self.cardinality = cardinality
        self.type = type
        self.oneofIndex = oneofIndex
        self.isPacked = isPacked
        self.needsIndirection = needsIndirection
        self.comments = comments
    }
}

/// A `oneof` group: emitted as a Swift enum with one case per member field.
public struct OneofModel: Sendable, Equatable {
    public var protoName: String
    /// Swift property name (lowerCamelCase), e.g. `payload`.
    public var swiftName: String
    /// Swift enum type name (UpperCamelCase, prefixed `OneOf_` like swift-protobuf), e.g. `OneOf_Payload`.
    public var swiftTypeName: String
    /// Field numbers of the members, in declaration order.
    public var fieldNumbers: [Int]
    public var comments: [String]

    public init(protoName: String, swiftName: String, swiftTypeName: String, fieldNumbers: [Int], comments: [String] = []) {
        self.protoName = protoName
        self.swiftName = swiftName
        self.swiftTypeName = swiftTypeName
        self.fieldNumbers = fieldNumbers
        self.comments = comments
    }
}

/// An enum type; proto3 requires the first value to be zero.
public struct EnumModel: Sendable, Equatable {
    public var fullName: String
    public var swiftName: String
    public var swiftFullName: String
    /// Values in declaration order; with `allow_alias`, later values may repeat a number.
    public var values: [EnumValueModel]
    public var comments: [String]

    public init(fullName: String, swiftName: String, swiftFullName: String, values: [EnumValueModel], comments: [String] = []) {
        self.fullName = fullName
        self.swiftName = swiftName
        self.swiftFullName = swiftFullName
        self.values = values
        self.comments = comments
    }
}

/// One named value of an enum.
public struct EnumValueModel: Sendable, Equatable {
    /// The name as written, e.g. `TX_VALIDATION_CODE_VALID` (also the JSON name).
    public var protoName: String
    /// Swift case name: the common enum-name prefix stripped, lowerCamelCase, e.g. `valid`.
    public var swiftName: String
    public var number: Int32
    public var comments: [String]

    public init(protoName: String, swiftName: String, number: Int32, comments: [String] = []) {
        self.protoName = protoName
        self.swiftName = swiftName
        self.number = number
        self.comments = comments
    }
}

/// A gRPC service.
public struct ServiceModel: Sendable, Equatable {
    /// Fully-qualified name used on the wire, e.g. `grpc.health.v1.Health`.
    public var fullName: String
    /// Swift namespace enum name, e.g. `Grpc_Health_V1_Health`.
    public var swiftName: String
    public var methods: [MethodModel]
    public var comments: [String]

    public init(fullName: String, swiftName: String, methods: [MethodModel], comments: [String] = []) {
        self.fullName = fullName
        self.swiftName = swiftName
        self.methods = methods
        self.comments = comments
    }
}

/// One RPC of a service.
public struct MethodModel: Sendable, Equatable {
    /// The method name as written, e.g. `Check` (used on the wire).
    public var name: String
    /// Swift function name, lowerCamelCase, e.g. `check`.
    public var swiftName: String
    public var input: TypeReference
    public var output: TypeReference
    public var clientStreaming: Bool
    public var serverStreaming: Bool
    public var comments: [String]

    public init(
        name: String,
        swiftName: String,
        input: TypeReference,
        output: TypeReference,
        clientStreaming: Bool,
        serverStreaming: Bool,
        comments: [String] = []
    ) {
        self.name = name
        self.swiftName = swiftName
        self.input = input
        self.output = output
        self.clientStreaming = clientStreaming
        self.serverStreaming = serverStreaming
        self.comments = comments
    }
}
