internal import ArgumentParser
import Foundation
import Schema
import Wire

/// `medledger proto`: converts between proto3 JSON and the binary wire format for any message of
/// the schema, like `protoc --encode/--decode` but with JSON, so anyone can inspect wire data.
struct ProtoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proto",
        abstract: "Convert MedLedger messages between proto3 JSON and binary.",
        subcommands: [Encode.self, Decode.self, Types.self]
    )

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read proto3 JSON on stdin, write the binary encoding to stdout.")

        @Option(help: "Fully-qualified message type, e.g. medledger.v1.Block.")
        var type: String

        func run() throws {
            let messageType = try ProtoCommand.lookUp(type)
            let json = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            FileHandle.standardOutput.write(try ProtoCommand.encode(messageType, json: json))
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read the binary encoding on stdin, write proto3 JSON to stdout.")

        @Option(help: "Fully-qualified message type, e.g. medledger.v1.Block.")
        var type: String

        @Option(help: "Largest accepted input in bytes.")
        var maxMessageSize = DecodingOptions.default.maxMessageSize

        func run() throws {
            let messageType = try ProtoCommand.lookUp(type)
            let bytes = FileHandle.standardInput.readDataToEndOfFile()
            let options = DecodingOptions(maxMessageSize: maxMessageSize)
            FileHandle.standardOutput.write(Data((try ProtoCommand.decode(messageType, bytes: bytes, options: options) + "\n").utf8))
        }
    }

    struct Types: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the message types the schema defines.")

        func run() {
            for type in MessageRegistry.messageTypes.map({ $0.protoMessageName }).sorted() { print(type) }
        }
    }

    static func lookUp(_ name: String) throws -> any Wire.Message.Type {
        guard let type = MessageRegistry.messageType(named: name) else {
            throw ValidationError("unknown message type \"\(name)\"; `medledger proto types` lists them")
        }
        return type
    }

    static func encode<M: Wire.Message>(_ type: M.Type, json: String) throws -> Data {
        do {
            return try M(jsonString: json).serializedData()
        } catch {
            throw ConversionError(description: "input is not a valid \(M.protoMessageName) in proto3 JSON: \(error)")
        }
    }

    static func decode<M: Wire.Message>(_ type: M.Type, bytes: Data, options: DecodingOptions) throws -> String {
        do {
            return try M(serializedData: bytes, options: options).jsonString()
        } catch {
            throw ConversionError(description: "input is not a valid \(M.protoMessageName) encoding: \(error)")
        }
    }
}

/// Input that does not convert; printed as the reason, without the usage text.
struct ConversionError: Error, CustomStringConvertible {
    var description: String
}
