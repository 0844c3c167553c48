#!/usr/bin/env python3
"""Calls a MedLedger node with no .proto file at all: every type comes from server reflection.

grpcio-reflection's descriptor database (grpc.reflection.v1alpha) fetches the descriptors; a
DescriptorPool built on it gives the message classes. With them the script calls
grpc.health.v1.Health/Check, medledger.v1.Gateway/CommitStatus for --tx-id, and, from the
descriptors reflection gave of itself, grpc.reflection.v1.ServerReflection (list services and an
unknown symbol).

    python3 reflection_client.py --target 127.0.0.1:7051 --ca tls-ca.pem \\
        --cert cert.pem --key key.pem --channel ehr --tx-id TX

Prints one JSON object with what each call returned.
"""

import argparse
import json

import grpc
from google.protobuf import descriptor_pb2, message_factory
from google.protobuf.descriptor_pool import DescriptorPool
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase


def message_class(descriptor):
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(descriptor.file.pool).GetPrototype(descriptor)


def unary(channel, pool, service, method, timeout, fields):
    """Calls service/method with a request built from reflected descriptors; returns the reply."""
    method_descriptor = pool.FindServiceByName(service).FindMethodByName(method)
    request_class = message_class(method_descriptor.input_type)
    response_class = message_class(method_descriptor.output_type)
    call = channel.unary_unary(
        f"/{service}/{method}",
        request_serializer=request_class.SerializeToString,
        response_deserializer=response_class.FromString,
    )
    return method_descriptor, call(request_class(**fields), timeout=timeout)


def enum_name(message, field):
    descriptor = message.DESCRIPTOR.fields_by_name[field].enum_type
    return descriptor.values_by_number[getattr(message, field)].name


def reflection_v1(channel, pool, timeout):
    """Lists services and asks for an unknown symbol over v1, typed from reflected descriptors."""
    service = "grpc.reflection.v1.ServerReflection"
    method = pool.FindServiceByName(service).FindMethodByName("ServerReflectionInfo")
    request_class = message_class(method.input_type)
    response_class = message_class(method.output_type)
    call = channel.stream_stream(
        f"/{service}/ServerReflectionInfo",
        request_serializer=request_class.SerializeToString,
        response_deserializer=response_class.FromString,
    )
    requests = [request_class(list_services=""), request_class(file_containing_symbol="no.such.Symbol")]
    responses = list(call(iter(requests), timeout=timeout))
    return {
        "services": [s.name for s in responses[0].list_services_response.service],
        "unknown": {
            "code": responses[1].error_response.error_code,
            "message": responses[1].error_response.error_message,
            "original": responses[1].original_request.file_containing_symbol,
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True)
    parser.add_argument("--ca", required=True, help="PEM of the CA that issued the node's TLS certificate")
    parser.add_argument("--cert", required=True, help="the caller's certificate (mTLS)")
    parser.add_argument("--key", required=True, help="the caller's private key")
    parser.add_argument("--channel", required=True)
    parser.add_argument("--tx-id", required=True, help="a committed transaction to ask CommitStatus about")
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()

    def read(path):
        with open(path, "rb") as f:
            return f.read()

    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(args.ca), private_key=read(args.key), certificate_chain=read(args.cert))
    result = {}
    with grpc.secure_channel(args.target, credentials) as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        result["services"] = sorted(database.get_services())
        pool = DescriptorPool(database)

        _, health = unary(channel, pool, "grpc.health.v1.Health", "Check", args.timeout, {"service": ""})
        result["health"] = enum_name(health, "status")

        method, status = unary(
            channel, pool, "medledger.v1.Gateway", "CommitStatus", args.timeout,
            {"transaction_id": args.tx_id, "channel_id": args.channel})
        result["commit_status"] = {"result": enum_name(status, "result"), "block_number": status.block_number}
        result["commit_status_file"] = method.containing_service.file.name
        result["commit_status_imports"] = [d.name for d in method.containing_service.file.dependencies]

        # The serialized form of a reflected file, as the pool rebuilt it, for a byte comparison.
        gateway = descriptor_pb2.FileDescriptorProto()
        pool.FindFileByName("medledger/v1/gateway.proto").CopyToProto(gateway)
        result["gateway_message_types"] = [m.name for m in gateway.message_type]

        result["v1"] = reflection_v1(channel, pool, args.timeout)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
