/// Where an option statement appears; each place has its own set of built-in options.
enum OptionContext: String {
    case file, message, field, oneof, enumeration = "enum", enumValue = "enum value", service, method
}

/// The built-in (descriptor.proto) options this compiler knows, with the kind of value each takes.
///
/// Unknown plain option names are errors, as in protoc, so a typo such as `packd` is never ignored.
/// Parenthesized custom options are accepted and kept generically: without `extend` support
/// their types cannot be known.
enum OptionRules {
    enum ValueKind {
        case bool, string
        case enumeration(Set<String>)
        /// Known to protoc but meaningless or forbidden in proto3; the message says why.
        case rejected(String)
    }

    static let builtIns: [OptionContext: [String: ValueKind]] = [
        .file: [
            "java_package": .string, "java_outer_classname": .string, "java_multiple_files": .bool,
            "java_generate_equals_and_hash": .bool, "java_string_check_utf8": .bool,
            "optimize_for": .enumeration(["SPEED", "CODE_SIZE", "LITE_RUNTIME"]), "go_package": .string,
            "cc_generic_services": .bool, "java_generic_services": .bool, "py_generic_services": .bool,
            "php_generic_services": .bool, "deprecated": .bool, "cc_enable_arenas": .bool,
            "objc_class_prefix": .string, "csharp_namespace": .string, "swift_prefix": .string,
            "php_class_prefix": .string, "php_namespace": .string, "php_metadata_namespace": .string,
            "ruby_package": .string,
        ],
        .message: [
            "no_standard_descriptor_accessor": .bool, "deprecated": .bool,
            "deprecated_legacy_json_field_conflicts": .bool,
            "message_set_wire_format": .rejected("MessageSet wire format is not supported in proto3"),
            "map_entry": .rejected("'map_entry' must not be set explicitly; use map<KeyType, ValueType> instead"),
        ],
        .field: [
            "ctype": .enumeration(["STRING", "CORD", "STRING_PIECE"]), "packed": .bool,
            "jstype": .enumeration(["JS_NORMAL", "JS_STRING", "JS_NUMBER"]), "lazy": .bool,
            "unverified_lazy": .bool, "deprecated": .bool, "debug_redact": .bool, "json_name": .string,
            "retention": .enumeration(["RETENTION_UNKNOWN", "RETENTION_RUNTIME", "RETENTION_SOURCE"]),
            "targets": .enumeration([
                "TARGET_TYPE_UNKNOWN", "TARGET_TYPE_FILE", "TARGET_TYPE_EXTENSION_RANGE", "TARGET_TYPE_MESSAGE",
                "TARGET_TYPE_FIELD", "TARGET_TYPE_ONEOF", "TARGET_TYPE_ENUM", "TARGET_TYPE_ENUM_ENTRY",
                "TARGET_TYPE_SERVICE", "TARGET_TYPE_METHOD",
            ]),
            "default": .rejected("explicit default values are not allowed in proto3"),
            "weak": .rejected("weak fields are not supported"),
        ],
        .oneof: [:],
        .enumeration: [
            "allow_alias": .bool, "deprecated": .bool, "deprecated_legacy_json_field_conflicts": .bool,
        ],
        .enumValue: ["deprecated": .bool, "debug_redact": .bool],
        .service: ["deprecated": .bool],
        .method: [
            "deprecated": .bool,
            "idempotency_level": .enumeration(["IDEMPOTENCY_UNKNOWN", "NO_SIDE_EFFECTS", "IDEMPOTENT"]),
        ],
    ]

    /// Checks names, value kinds and repetition of `options` written in `context`.
    static func check(_ options: [OptionSyntax], in context: OptionContext, file: String) throws(CompileError) {
        var seen: [String: SourcePosition] = [:]
        for option in options {
            let name = option.name.description
            if let earlier = seen[name] {
                throw CompileError(file: file, at: option.position, "option '\(name)' was already set at \(earlier)")
            }
            seen[name] = option.position
            if case .extensionName = option.name.parts[0] { continue }
            guard let builtInName = option.name.builtInName, let kind = builtIns[context]?[builtInName] else {
                throw CompileError(file: file, at: option.position, "unknown \(context.rawValue) option '\(name)'")
            }
            try check(option, builtInName: builtInName, against: kind, file: file)
        }
    }

    private static func check(_ option: OptionSyntax, builtInName: String, against kind: ValueKind, file: String) throws(CompileError) {
        switch (kind, option.value) {
        case (.bool, .identifier("true")), (.bool, .identifier("false")), (.string, .string):
            return
        case (.enumeration(let allowed), .identifier(let value)) where allowed.contains(value):
            return
        case (.rejected(let reason), _):
            throw CompileError(file: file, at: option.position, reason)
        case (.bool, _):
            throw CompileError(file: file, at: option.valuePosition, "option '\(builtInName)' must be true or false")
        case (.string, _):
            throw CompileError(file: file, at: option.valuePosition, "option '\(builtInName)' must be a quoted string")
        case (.enumeration(let allowed), _):
            throw CompileError(file: file, at: option.valuePosition, "option '\(builtInName)' must be one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// The value of a boolean built-in option, or nil when it isn't set.
    static func bool(_ name: String, in options: [OptionSyntax]) -> Bool? {
        for option in options where option.name.builtInName == name {
            if case .identifier(let value) = option.value { return value == "true" }
        }
        return nil
    }

    /// The value of a string built-in option, or nil when it isn't set.
    static func string(_ name: String, in options: [OptionSyntax]) -> String? {
        for option in options where option.name.builtInName == name {
            if case .string(let value) = option.value { return value }
        }
        return nil
    }
}
