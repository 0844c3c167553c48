/// The field numbers and enum values of descriptor.proto's option messages, for writing the
/// built-in options a file sets into its `FileDescriptorProto`.
///
/// Every option `OptionRules` accepts has an entry here. Custom (parenthesized) options are not
/// written: without `extend` support their field numbers cannot be known.
enum DescriptorOptions {
    /// Field number of each built-in option in its context's `*Options` message.
    static let fieldNumbers: [OptionContext: [String: Int]] = [
        .file: [
            "java_package": 1, "java_outer_classname": 8, "optimize_for": 9, "java_multiple_files": 10,
            "go_package": 11, "cc_generic_services": 16, "java_generic_services": 17, "py_generic_services": 18,
            "java_generate_equals_and_hash": 20, "deprecated": 23, "java_string_check_utf8": 27,
            "cc_enable_arenas": 31, "objc_class_prefix": 36, "csharp_namespace": 37, "swift_prefix": 39,
            "php_class_prefix": 40, "php_namespace": 41, "php_generic_services": 42,
            "php_metadata_namespace": 44, "ruby_package": 45,
        ],
        .message: [
            "message_set_wire_format": 1, "no_standard_descriptor_accessor": 2, "deprecated": 3, "map_entry": 7,
            "deprecated_legacy_json_field_conflicts": 11,
        ],
        .field: [
            "ctype": 1, "packed": 2, "deprecated": 3, "lazy": 5, "jstype": 6, "weak": 10, "unverified_lazy": 15,
            "debug_redact": 16, "retention": 17, "targets": 19,
        ],
        .oneof: [:],
        .enumeration: ["allow_alias": 2, "deprecated": 3, "deprecated_legacy_json_field_conflicts": 6],
        .enumValue: ["deprecated": 1, "debug_redact": 3],
        .service: ["deprecated": 33],
        .method: ["deprecated": 33, "idempotency_level": 34],
    ]

    /// Numbers of the enum constants option values name.
    static let enumValues: [String: Int] = [
        "SPEED": 1, "CODE_SIZE": 2, "LITE_RUNTIME": 3,
        "STRING": 0, "CORD": 1, "STRING_PIECE": 2,
        "JS_NORMAL": 0, "JS_STRING": 1, "JS_NUMBER": 2,
        "RETENTION_UNKNOWN": 0, "RETENTION_RUNTIME": 1, "RETENTION_SOURCE": 2,
        "TARGET_TYPE_UNKNOWN": 0, "TARGET_TYPE_FILE": 1, "TARGET_TYPE_EXTENSION_RANGE": 2, "TARGET_TYPE_MESSAGE": 3,
        "TARGET_TYPE_FIELD": 4, "TARGET_TYPE_ONEOF": 5, "TARGET_TYPE_ENUM": 6, "TARGET_TYPE_ENUM_ENTRY": 7,
        "TARGET_TYPE_SERVICE": 8, "TARGET_TYPE_METHOD": 9,
        "IDEMPOTENCY_UNKNOWN": 0, "NO_SIDE_EFFECTS": 1, "IDEMPOTENT": 2,
    ]

    /// Options that are not written into the options message (`json_name` is a field of
    /// `FieldDescriptorProto` itself).
    static let notOptions: Set<String> = ["json_name"]

    /// The serialized `*Options` message for `options`, or nil when none of them is written.
    /// Fields go in number order, as protobuf serializers write known fields.
    static func encode(_ options: [OptionSyntax], in context: OptionContext, file: String) throws(CompileError) -> [UInt8]? {
        var numbered: [(number: Int, option: OptionSyntax)] = []
        for option in options {
            guard let name = option.name.builtInName, !notOptions.contains(name) else { continue }
            guard let number = fieldNumbers[context]?[name] else {
                throw CompileError(file: file, at: option.position, "the \(context.rawValue) option '\(name)' has no descriptor field")
            }
            numbered.append((number, option))
        }
        guard !numbered.isEmpty else { return nil }
        var writer = ProtoBytes()
        for (number, option) in numbered.sorted(by: { $0.number < $1.number }) {
            switch option.value {
            case .identifier("true"): writer.bool(number, true)
            case .identifier("false"): writer.bool(number, false)
            case .identifier(let constant):
                guard let value = enumValues[constant] else {
                    throw CompileError(file: file, at: option.valuePosition, "'\(constant)' is not a value of option '\(option.name)'")
                }
                writer.int(number, value)
            case .string(let text): writer.string(number, text)
            default:
                throw CompileError(file: file, at: option.valuePosition, "option '\(option.name)' takes a bool, string or enum value")
            }
        }
        return writer.bytes
    }
}
