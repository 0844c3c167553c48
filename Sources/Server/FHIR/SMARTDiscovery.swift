internal import Deidentification
internal import Foundation

/// What a Bulk Data client discovers before it calls: the SMART configuration
/// (`.well-known/smart-configuration`, SMART App Launch v2) and the FHIR R4 CapabilityStatement.
enum SMARTDiscovery {
    static func configuration(origin: String) -> [String: Any] {
        [
            "issuer": origin,
            "token_endpoint": "\(origin)/auth/token",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["ES384", "RS384", "ES256"],
            "scopes_supported": ExportScopes.advertised(exportable: SafeHarbor.exportableTypes),
            "capabilities": ["client-confidential-asymmetric", "permission-v1", "permission-v2"],
        ]
    }

    /// An R4 CapabilityStatement: this server exports a Group (a study) through `$export`, behind
    /// SMART Backend Services.
    static func capabilityStatement(origin: String) -> [String: Any] {
        [
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": Date().formatted(.iso8601.year().month().day()),
            "publisher": "MedLedger",
            "kind": "instance",
            "instantiates": ["http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"],
            "software": ["name": "MedLedger"],
            "implementation": ["description": "MedLedger node: de-identified research exports of consenting patients", "url": "\(origin)/fhir"],
            "fhirVersion": "4.0.1",
            "format": ["json"],
            "rest": [
                [
                    "mode": "server",
                    "security": [
                        "extension": [
                            [
                                "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                                "extension": [["url": "token", "valueUri": "\(origin)/auth/token"]],
                            ]
                        ],
                        "service": [
                            ["coding": [["system": "http://terminology.hl7.org/CodeSystem/restful-security-service", "code": "SMART-on-FHIR"]]]
                        ],
                    ],
                    "resource": [
                        [
                            "type": "Group",
                            "operation": [["name": "export", "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"]],
                        ]
                    ],
                ]
            ],
        ]
    }
}
