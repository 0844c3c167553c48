#!/usr/bin/env python3
"""Validates FHIR R4 NDJSON (one resource per line, on stdin) with fhir.resources.

fhir.resources 6.4.0 is the last release that implements FHIR R4 (4.0.1); 6.5.0 and later
default to R4B or R5. It needs pydantic 1, while other Python tools on a machine often need
pydantic 2, so .ci/setup installs both pinned into their own directory (`pip install --target`)
rather than into site-packages: $MEDLEDGER_FHIR_R4_PATH, by default
~/.cache/medledger/fhir.resources-6.4.0. This script puts that directory first on sys.path.

Besides fhir.resources' model validation, each line is checked for what the FHIR JSON format
forbids and pydantic does not notice: empty objects, empty arrays, empty strings and nulls
(element rule ele-1: every element has a value or children).

Prints one JSON object: {"fhirVersion", "package", "lines", "valid", "results": [{"line",
"resourceType", "valid", "errors"}]}. Exit status 0 if every line is valid, 1 if any is not,
2 if fhir.resources (for R4) cannot be imported.
"""
import json
import os
import sys

FHIR_PACKAGE_VERSION = "6.4.0"
FHIR_VERSION = "4.0.1"
PACKAGE_PATH = os.environ.get(
    "MEDLEDGER_FHIR_R4_PATH",
    os.path.join(os.path.expanduser("~"), ".cache", "medledger", f"fhir.resources-{FHIR_PACKAGE_VERSION}"),
)


def load_fhir():
    sys.path.insert(0, PACKAGE_PATH)
    try:
        import fhir.resources
        from fhir.resources import construct_fhir_element
    except Exception as error:  # any import failure means the same thing: not installed as pinned
        print(f"validate_fhir.py: cannot import fhir.resources from {PACKAGE_PATH} ({error}); run .ci/setup", file=sys.stderr)
        sys.exit(2)
    if fhir.resources.__fhir_version__ != FHIR_VERSION:
        print(
            f"validate_fhir.py: fhir.resources {fhir.resources.__version__} implements FHIR "
            f"{fhir.resources.__fhir_version__}, not R4 {FHIR_VERSION}; run .ci/setup",
            file=sys.stderr,
        )
        sys.exit(2)
    return fhir.resources.__version__, construct_fhir_element


def empty_elements(value, path="$"):
    """Paths of elements the FHIR JSON format forbids: {}, [], "", null."""
    if value is None or value == "" or value == [] or value == {}:
        return [path]
    found = []
    if isinstance(value, dict):
        for key, element in value.items():
            found += empty_elements(element, f"{path}.{key}")
    elif isinstance(value, list):
        for index, element in enumerate(value):
            found += empty_elements(element, f"{path}[{index}]")
    return found


def validate(line, construct):
    try:
        resource = json.loads(line)
    except ValueError as error:
        return None, [f"not JSON: {error}"]
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        return None, ["not a FHIR resource: no resourceType"]
    resource_type = resource["resourceType"]
    errors = [f"empty element at {path} (ele-1)" for path in empty_elements(resource)]
    try:
        construct(resource_type, resource)
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}")
    return resource_type, errors


def main():
    package_version, construct = load_fhir()
    results = []
    for number, line in enumerate(sys.stdin.read().splitlines(), start=1):
        if not line.strip():
            continue
        resource_type, errors = validate(line, construct)
        results.append({"line": number, "resourceType": resource_type, "valid": not errors, "errors": errors})
    valid = sum(1 for result in results if result["valid"])
    report = {
        "fhirVersion": FHIR_VERSION,
        "package": f"fhir.resources {package_version}",
        "lines": len(results),
        "valid": valid,
        "results": results,
    }
    print(json.dumps(report, indent=1, sort_keys=True))
    return 0 if valid == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
