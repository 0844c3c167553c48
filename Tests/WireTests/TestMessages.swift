// Test messages for the Wire runtime, written exactly as medledger-codegen emits them (internal
// visibility) for this schema, so the runtime is tested through the code shape it serves:
//
//     syntax = "proto3";
//     package test;
//     message Outer {
//       uint64 id = 1;
//       string name = 2;
//       bytes payload = 3;
//       Inner inner = 4;
//       repeated int32 values = 5;   // packed
//       Outer child = 6;             // recursive: boxed
//       repeated fixed32 fixeds = 7; // packed
//       repeated Inner items = 8;
//       map<string, int64> counts = 9;
//       sint32 delta = 10;
//       double ratio = 11;
//       Kind kind = 12;
//     }
//     message Inner { string name = 1; bytes blob = 2; }
//     enum Kind { KIND_UNSPECIFIED = 0; KIND_LEAF = 1; }
// swift-format-ignore-file

import Foundation
import Wire
internal enum Test_Kind: Wire.ProtoEnum, CaseIterable {
    case unspecified // = 0
    case leaf // = 1
    /// A number this schema does not name.
    case UNRECOGNIZED(Int32)

    internal static let allCases: [Test_Kind] = [.unspecified, .leaf]

    internal init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .leaf
        default: self = .UNRECOGNIZED(rawValue)
        }
    }

    internal var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .leaf: 1
        case .UNRECOGNIZED(let number): number
        }
    }

    internal var protoName: String? {
        switch self {
        case .unspecified: "KIND_UNSPECIFIED"
        case .leaf: "KIND_LEAF"
        case .UNRECOGNIZED: nil
        }
    }

    internal init?(protoName: String) {
        switch protoName {
        case "KIND_UNSPECIFIED": self = .unspecified
        case "KIND_LEAF": self = .leaf
        default: return nil
        }
    }
}

internal struct Test_Outer: Wire.Message {
    internal var id: UInt64 = 0

    internal var name: String = ""

    internal var payload: Foundation.Data = Foundation.Data()

    internal var inner: Test_Inner?

    internal var values: [Int32] = []

    internal var child: Test_Outer? {
        get { _child?.value }
        set { _child = newValue.map { Wire.IndirectBox($0) } }
    }
    private var _child: Wire.IndirectBox<Test_Outer>?

    internal var fixeds: [UInt32] = []

    internal var items: [Test_Inner] = []

    internal var counts: [String: Int64] = [:]

    internal var delta: Int32 = 0

    internal var ratio: Double = 0

    internal var kind: Test_Kind = Test_Kind(rawValue: 0)

    internal var unknownFields = Wire.UnknownFields()

    internal static let protoMessageName = "test.Outer"

    internal init() {}

    internal func computeSize(into cache: inout Wire.SizeCache) -> Int {
        var size = 0
        if self.id != 0 {
            size += 1 + Wire.WireFormat.varintSize(self.id)
        }
        if !self.name.isEmpty {
            size += 1 + Wire.WireFormat.lengthDelimitedSize(self.name.utf8.count)
        }
        if !self.payload.isEmpty {
            size += 1 + Wire.WireFormat.lengthDelimitedSize(self.payload.count)
        }
        if let value = self.inner {
            size += 1 + cache.measureDelimited(value)
        }
        if !self.values.isEmpty {
            let slot = cache.reserveSlot()
            var length = 0
            for element in self.values { length += Wire.WireFormat.int32Size(element) }
            cache.fill(slot, with: length)
            size += 1 + Wire.WireFormat.lengthDelimitedSize(length)
        }
        if let value = self.child {
            size += 1 + cache.measureDelimited(value)
        }
        if !self.fixeds.isEmpty {
            size += 1 + Wire.WireFormat.lengthDelimitedSize(self.fixeds.count * 4)
        }
        if !self.items.isEmpty {
            for element in self.items { size += 1 + cache.measureDelimited(element) }
        }
        if !self.counts.isEmpty {
            for key in self.counts.keysInWireOrder {
                let slot = cache.reserveSlot()
                let entrySize = 2 + Wire.WireFormat.lengthDelimitedSize(key.utf8.count) + Wire.WireFormat.varintSize(UInt64(bitPattern: self.counts[key]!))
                cache.fill(slot, with: entrySize)
                size += 1 + Wire.WireFormat.lengthDelimitedSize(entrySize)
            }
        }
        if self.delta != 0 {
            size += 1 + Wire.WireFormat.varintSize(UInt64(Wire.WireFormat.zigZag(self.delta)))
        }
        if self.ratio.bitPattern != 0 {
            size += 1 + 8
        }
        if self.kind.rawValue != 0 {
            size += 1 + Wire.WireFormat.int32Size(self.kind.rawValue)
        }
        size += self.unknownFields.count
        return size
    }

    internal func encode(to writer: inout Wire.WireWriter, cache: inout Wire.SizeCache) {
        if self.id != 0 {
            writer.writeByte(0x8)
            writer.writeVarint(self.id)
        }
        if !self.name.isEmpty {
            writer.writeByte(0x12)
            writer.writeDelimited(self.name)
        }
        if !self.payload.isEmpty {
            writer.writeByte(0x1A)
            writer.writeDelimited(self.payload)
        }
        if let value = self.inner {
            writer.writeByte(0x22)
            writer.writeDelimited(value, cache: &cache)
        }
        if !self.values.isEmpty {
            writer.writeByte(0x2A)
            writer.writeVarint(cache.nextSize())
            for element in self.values { writer.writeInt32(element) }
        }
        if let value = self.child {
            writer.writeByte(0x32)
            writer.writeDelimited(value, cache: &cache)
        }
        if !self.fixeds.isEmpty {
            writer.writeByte(0x3A)
            writer.writeVarint(self.fixeds.count * 4)
            for element in self.fixeds { writer.writeFixed32(element) }
        }
        if !self.items.isEmpty {
            for element in self.items { writer.writeByte(0x42); writer.writeDelimited(element, cache: &cache) }
        }
        if !self.counts.isEmpty {
            for key in self.counts.keysInWireOrder {
                writer.writeByte(0x4A)
                writer.writeVarint(cache.nextSize())
                writer.writeByte(0xA); writer.writeDelimited(key)
                writer.writeByte(0x10); writer.writeVarint(UInt64(bitPattern: self.counts[key]!))
            }
        }
        if self.delta != 0 {
            writer.writeByte(0x50)
            writer.writeVarint(UInt64(Wire.WireFormat.zigZag(self.delta)))
        }
        if self.ratio.bitPattern != 0 {
            writer.writeByte(0x59)
            writer.writeFixed64(self.ratio.bitPattern)
        }
        if self.kind.rawValue != 0 {
            writer.writeByte(0x60)
            writer.writeInt32(self.kind.rawValue)
        }
        writer.writeUnknownFields(self.unknownFields)
    }

    internal mutating func decode(from reader: inout Wire.WireReader) throws(Wire.WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.number {
            case 1:
                self.id = try reader.decodeUInt64(tag, field: "id")
            case 2:
                self.name = try reader.decodeString(tag, field: "name")
            case 3:
                self.payload = try reader.decodeBytes(tag, field: "payload")
            case 4:
                var message = self.inner ?? Test_Inner()
                try reader.decodeMessage(tag, field: "inner", into: &message)
                self.inner = message
            case 5:
                try reader.decodeRepeatedVarint(tag, field: "values", into: &self.values) { Int32(truncatingIfNeeded: $0) }
            case 6:
                var message = self.child ?? Test_Outer()
                try reader.decodeMessage(tag, field: "child", into: &message)
                self.child = message
            case 7:
                try reader.decodeRepeatedFixed32(tag, field: "fixeds", into: &self.fixeds) { $0 }
            case 8:
                try reader.decodeRepeatedMessage(tag, field: "items", into: &self.items)
            case 9:
                try reader.decodeMapEntry(
                    tag, field: "counts", into: &self.counts,
                    key: "", value: 0,
                    readKey: { reader, tag throws(Wire.WireDecodingError) in try reader.decodeString(tag, field: "key") },
                    readValue: { reader, tag throws(Wire.WireDecodingError) in try reader.decodeInt64(tag, field: "value") }
                )
            case 10:
                self.delta = try reader.decodeSInt32(tag, field: "delta")
            case 11:
                self.ratio = try reader.decodeDouble(tag, field: "ratio")
            case 12:
                self.kind = Test_Kind(rawValue: try reader.decodeInt32(tag, field: "kind"))
            default:
                try reader.decodeUnknown(tag, into: &self.unknownFields)
            }
        }
    }

    internal func writeJSON(to json: inout Wire.JSONWriter) {
        json.beginObject()
        if self.id != 0 { json.key("id"); json.writeQuotedNumber(self.id) }
        if !self.name.isEmpty { json.key("name"); json.writeString(self.name) }
        if !self.payload.isEmpty { json.key("payload"); json.writeBytes(self.payload) }
        if let value = self.inner { json.key("inner"); json.writeMessage(value) }
        if !self.values.isEmpty {
            json.key("values")
            json.beginArray()
            for element in self.values { json.element(); json.writeNumber(element) }
            json.endArray()
        }
        if let value = self.child { json.key("child"); json.writeMessage(value) }
        if !self.fixeds.isEmpty {
            json.key("fixeds")
            json.beginArray()
            for element in self.fixeds { json.element(); json.writeNumber(element) }
            json.endArray()
        }
        if !self.items.isEmpty {
            json.key("items")
            json.beginArray()
            for element in self.items { json.element(); json.writeMessage(element) }
            json.endArray()
        }
        if !self.counts.isEmpty {
            json.key("counts")
            json.beginObject()
            for key in self.counts.keysInWireOrder { json.key(key); json.writeQuotedNumber(self.counts[key]!) }
            json.endObject()
        }
        if self.delta != 0 { json.key("delta"); json.writeNumber(self.delta) }
        if self.ratio.bitPattern != 0 { json.key("ratio"); json.writeDouble(self.ratio) }
        if self.kind.rawValue != 0 { json.key("kind"); json.writeEnum(self.kind) }
        json.endObject()
    }

    internal mutating func readJSON(from object: Wire.JSONObject, path: Wire.JSONPath) throws(Wire.JSONMappingError) {
        for (name, value) in object.members {
            switch name {
            case "id":
                let fieldPath = path.appending("id")
                self.id = value.isNull ? 0 : try value.uint64(at: fieldPath)
            case "name":
                let fieldPath = path.appending("name")
                self.name = value.isNull ? "" : try value.string(at: fieldPath)
            case "payload":
                let fieldPath = path.appending("payload")
                self.payload = value.isNull ? Foundation.Data() : try value.bytes(at: fieldPath)
            case "inner":
                let fieldPath = path.appending("inner")
                self.inner = value.isNull ? nil : try value.message(at: fieldPath, as: Test_Inner.self)
            case "values":
                let fieldPath = path.appending("values")
                var elements: [Int32] = []
                for (index, element) in try value.array(at: fieldPath).enumerated() {
                    elements.append(try element.int32(at: fieldPath.appending(index: index)))
                }
                self.values = elements
            case "child":
                let fieldPath = path.appending("child")
                self.child = value.isNull ? nil : try value.message(at: fieldPath, as: Test_Outer.self)
            case "fixeds":
                let fieldPath = path.appending("fixeds")
                var elements: [UInt32] = []
                for (index, element) in try value.array(at: fieldPath).enumerated() {
                    elements.append(try element.uint32(at: fieldPath.appending(index: index)))
                }
                self.fixeds = elements
            case "items":
                let fieldPath = path.appending("items")
                var elements: [Test_Inner] = []
                for (index, element) in try value.array(at: fieldPath).enumerated() {
                    elements.append(try element.message(at: fieldPath.appending(index: index), as: Test_Inner.self))
                }
                self.items = elements
            case "counts":
                let fieldPath = path.appending("counts")
                var entries: [String: Int64] = [:]
                for (key, entry) in try value.mapObject(at: fieldPath).members {
                    let entryPath = fieldPath.appending(key: key)
                    entries[key] = try entry.int64(at: entryPath)
                }
                self.counts = entries
            case "delta":
                let fieldPath = path.appending("delta")
                self.delta = value.isNull ? 0 : try value.int32(at: fieldPath)
            case "ratio":
                let fieldPath = path.appending("ratio")
                self.ratio = value.isNull ? 0 : try value.double(at: fieldPath)
            case "kind":
                let fieldPath = path.appending("kind")
                self.kind = value.isNull ? Test_Kind(rawValue: 0) : try value.enumValue(at: fieldPath, as: Test_Kind.self)
            default:
                throw Wire.JSONMappingError(path: path, reason: "unknown field \"\(name)\" in test.Outer")
            }
        }
    }
}

internal struct Test_Inner: Wire.Message {
    internal var name: String = ""

    internal var blob: Foundation.Data = Foundation.Data()

    internal var unknownFields = Wire.UnknownFields()

    internal static let protoMessageName = "test.Inner"

    internal init() {}

    internal func computeSize(into cache: inout Wire.SizeCache) -> Int {
        var size = 0
        if !self.name.isEmpty {
            size += 1 + Wire.WireFormat.lengthDelimitedSize(self.name.utf8.count)
        }
        if !self.blob.isEmpty {
            size += 1 + Wire.WireFormat.lengthDelimitedSize(self.blob.count)
        }
        size += self.unknownFields.count
        return size
    }

    internal func encode(to writer: inout Wire.WireWriter, cache: inout Wire.SizeCache) {
        if !self.name.isEmpty {
            writer.writeByte(0xA)
            writer.writeDelimited(self.name)
        }
        if !self.blob.isEmpty {
            writer.writeByte(0x12)
            writer.writeDelimited(self.blob)
        }
        writer.writeUnknownFields(self.unknownFields)
    }

    internal mutating func decode(from reader: inout Wire.WireReader) throws(Wire.WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.number {
            case 1:
                self.name = try reader.decodeString(tag, field: "name")
            case 2:
                self.blob = try reader.decodeBytes(tag, field: "blob")
            default:
                try reader.decodeUnknown(tag, into: &self.unknownFields)
            }
        }
    }

    internal func writeJSON(to json: inout Wire.JSONWriter) {
        json.beginObject()
        if !self.name.isEmpty { json.key("name"); json.writeString(self.name) }
        if !self.blob.isEmpty { json.key("blob"); json.writeBytes(self.blob) }
        json.endObject()
    }

    internal mutating func readJSON(from object: Wire.JSONObject, path: Wire.JSONPath) throws(Wire.JSONMappingError) {
        for (name, value) in object.members {
            switch name {
            case "name":
                let fieldPath = path.appending("name")
                self.name = value.isNull ? "" : try value.string(at: fieldPath)
            case "blob":
                let fieldPath = path.appending("blob")
                self.blob = value.isNull ? Foundation.Data() : try value.bytes(at: fieldPath)
            default:
                throw Wire.JSONMappingError(path: path, reason: "unknown field \"\(name)\" in test.Inner")
            }
        }
    }
}
