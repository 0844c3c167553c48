#!/usr/bin/env python3
"""Calls a MedLedger node's grpc.health.v1.Health service with Python grpcio over TLS.

Generate the stubs from the repository's proto/ first, then run:

    python3 -m grpc_tools.protoc -I proto --python_out=GEN --grpc_python_out=GEN \\
        grpc/health/v1/health.proto
    python3 health_client.py --generated GEN --target 127.0.0.1:7051 \\
        --ca medledger-data/tls/ca.pem

Prints one JSON object: the status of each --service and --long-service (or the gRPC error for
it), the first Watch message for the server as a whole, and List's answer. With grpcio's default
limits, a status whose message is over 8 KiB reaches the caller as a client-side RESOURCE_EXHAUSTED,
and a request message over 4 MiB as CANCELLED unless the server answers it with a status.
"""

import argparse
import importlib
import json
import os
import sys

import grpc


def load_stubs(generated):
    """Imports the generated grpc.health.v1 modules from the protoc output directory.

    They belong to the package `grpc`, which grpcio itself owns, so GEN/grpc joins grpcio's
    package path instead of going on sys.path.
    """
    grpc.__path__.append(os.path.join(os.path.abspath(generated), "grpc"))
    messages = importlib.import_module("grpc.health.v1.health_pb2")
    services = importlib.import_module("grpc.health.v1.health_pb2_grpc")
    return messages, services


def error(exc):
    return {"code": exc.code().name, "details": exc.details()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", required=True, help="the --python_out directory of grpc_tools.protoc")
    parser.add_argument("--target", required=True, help="HOST:PORT of the node")
    parser.add_argument("--ca", required=True, help="PEM file of the CA that issued the server certificate")
    parser.add_argument("--service", action="append", help="service to Check (repeatable; default: \"\")")
    parser.add_argument(
        "--long-service",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="also Check a service name of N 'x' characters, reported as check[\"x*N\"] (repeatable)",
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="deadline of each call, in seconds (generous: CI runs every suite at once on two cores)")
    args = parser.parse_args()

    health_pb2, health_pb2_grpc = load_stubs(args.generated)
    status_name = health_pb2.HealthCheckResponse.ServingStatus.Name

    with open(args.ca, "rb") as f:
        credentials = grpc.ssl_channel_credentials(root_certificates=f.read())

    result = {"check": {}}
    with grpc.secure_channel(args.target, credentials) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        named = [(service, service) for service in args.service or [""]]
        named += [(f"x*{length}", "x" * length) for length in args.long_service]
        for name, service in named:
            try:
                response = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=args.timeout)
                result["check"][name] = {"status": status_name(response.status)}
            except grpc.RpcError as exc:
                result["check"][name] = {"error": error(exc)}

        watch = stub.Watch(health_pb2.HealthCheckRequest(service=""), timeout=args.timeout)
        try:
            result["watch_first"] = status_name(next(watch).status)
        except grpc.RpcError as exc:
            result["watch_first"] = {"error": error(exc)}
        finally:
            watch.cancel()

        try:
            response = stub.List(health_pb2.HealthListRequest(), timeout=args.timeout)
            result["list"] = {name: status_name(s.status) for name, s in sorted(response.statuses.items())}
        except grpc.RpcError as exc:
            result["list"] = {"error": error(exc)}

    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
