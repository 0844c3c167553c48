internal import Foundation
internal import Schema
internal import Wire

/// What gRPC server reflection answers from: the services this node serves and the descriptors of
/// every `.proto` file compiled into `Schema` (protoc-equal bytes, see `FileDescriptorRegistry`).
///
/// Answers follow the reflection protocol: a file is sent with every file it imports, transitively,
/// the requested one first and none twice; unknown names get a NOT_FOUND error response on the
/// stream (the call goes on); proto3 schemas declare no extensions, so a known type has none.
struct ReflectionCatalog: Sendable {
    /// Fully-qualified names of the services listed to clients, sorted.
    let serviceNames: [String]
    private let filesByName: [String: ProtoFileDescriptor]
    private let fileBySymbol: [String: String]

    init(serviceNames: [String], files: [ProtoFileDescriptor] = FileDescriptorRegistry.files) {
        self.serviceNames = Array(Set(serviceNames)).sorted()
        self.filesByName = Dictionary(files.map { ($0.name, $0) }) { first, _ in first }
        var fileBySymbol: [String: String] = [:]
        for file in files {
            for symbol in file.symbols { fileBySymbol[symbol] = fileBySymbol[symbol] ?? file.name }
        }
        self.fileBySymbol = fileBySymbol
    }

    /// gRPC status codes an `ErrorResponse` carries.
    enum ErrorCode: Int32 {
        case invalidArgument = 3
        case notFound = 5
    }

    /// The answer to one request, with `valid_host` and `original_request` filled in.
    func answer(_ request: Grpc_Reflection_V1_ServerReflectionRequest) -> Grpc_Reflection_V1_ServerReflectionResponse {
        var response = Grpc_Reflection_V1_ServerReflectionResponse()
        response.validHost = request.host
        response.originalRequest = request
        response.messageResponse = messageResponse(to: request.messageRequest)
        return response
    }

    private func messageResponse(
        to request: Grpc_Reflection_V1_ServerReflectionRequest.OneOf_MessageRequest?
    ) -> Grpc_Reflection_V1_ServerReflectionResponse.OneOf_MessageResponse {
        switch request {
        case .listServices:
            var list = Grpc_Reflection_V1_ListServiceResponse()
            list.service = serviceNames.map { name in
                var service = Grpc_Reflection_V1_ServiceResponse()
                service.name = name
                return service
            }
            return .listServicesResponse(list)
        case .fileByFilename(let name):
            guard filesByName[name] != nil else {
                return error(.notFound, "no file \(QuotedInput.quote(name)) in this node's schema")
            }
            return files(startingWith: name)
        case .fileContainingSymbol(let symbol):
            let name = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
            guard let file = fileBySymbol[name] else {
                return error(.notFound, "no service, method, message or enum \(QuotedInput.quote(symbol)) in this node's schema")
            }
            return files(startingWith: file)
        case .fileContainingExtension(let extensionRequest):
            return error(
                .notFound,
                "no extension \(extensionRequest.extensionNumber) of \(QuotedInput.quote(extensionRequest.containingType)): this node's proto3 schema declares no extensions")
        case .allExtensionNumbersOfType(let type):
            let name = type.hasPrefix(".") ? String(type.dropFirst()) : type
            guard fileBySymbol[name] != nil else {
                return error(.notFound, "no message type \(QuotedInput.quote(type)) in this node's schema")
            }
            var numbers = Grpc_Reflection_V1_ExtensionNumberResponse()
            numbers.baseTypeName = name
            return .allExtensionNumbersResponse(numbers)
        case nil:
            return error(.invalidArgument, "the request sets none of file_by_filename, file_containing_symbol, file_containing_extension, all_extension_numbers_of_type, list_services")
        }
    }

    /// `name` and, depth first, every file it imports, each once.
    private func files(startingWith name: String) -> Grpc_Reflection_V1_ServerReflectionResponse.OneOf_MessageResponse {
        var ordered: [Data] = []
        var seen: Set<String> = []
        var pending = [name]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted, let file = filesByName[next] else { continue }
            ordered.append(file.serialized)
            pending.append(contentsOf: file.dependencies.reversed())
        }
        var response = Grpc_Reflection_V1_FileDescriptorResponse()
        response.fileDescriptorProto = ordered
        return .fileDescriptorResponse(response)
    }

    private func error(_ code: ErrorCode, _ message: String) -> Grpc_Reflection_V1_ServerReflectionResponse.OneOf_MessageResponse {
        var error = Grpc_Reflection_V1_ErrorResponse()
        error.errorCode = code.rawValue
        error.errorMessage = message
        return .errorResponse(error)
    }
}
