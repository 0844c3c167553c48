internal import GRPCCore
internal import Schema
internal import Wire

/// `grpc.reflection.v1.ServerReflection`: one answer per request, in order, on one stream.
struct ReflectionService: Grpc_Reflection_V1_ServerReflection.SimpleServiceProtocol {
    let catalog: ReflectionCatalog

    func serverReflectionInfo(
        request: RPCAsyncSequence<Grpc_Reflection_V1_ServerReflectionRequest, any Error>,
        response: RPCWriter<Grpc_Reflection_V1_ServerReflectionResponse>,
        context: ServerContext
    ) async throws {
        for try await message in request {
            try await response.write(catalog.answer(message))
        }
    }
}

/// `grpc.reflection.v1alpha.ServerReflection`, which many tools still call: the same protocol under
/// an older package. Its messages are wire-identical to v1's, so each request is re-read as v1,
/// answered by the same catalog, and the answer re-read as v1alpha.
struct ReflectionServiceV1Alpha: Grpc_Reflection_V1alpha_ServerReflection.SimpleServiceProtocol {
    let catalog: ReflectionCatalog

    func serverReflectionInfo(
        request: RPCAsyncSequence<Grpc_Reflection_V1alpha_ServerReflectionRequest, any Error>,
        response: RPCWriter<Grpc_Reflection_V1alpha_ServerReflectionResponse>,
        context: ServerContext
    ) async throws {
        for try await message in request {
            let answer = catalog.answer(try Grpc_Reflection_V1_ServerReflectionRequest(serializedData: message.serializedData()))
            try await response.write(try Grpc_Reflection_V1alpha_ServerReflectionResponse(serializedData: answer.serializedData()))
        }
    }
}
