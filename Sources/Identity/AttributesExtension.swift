import Foundation
public import SwiftASN1
public import X509

/// The attributes of an identity inside its certificates, as Fabric CA writes them: a non-critical
/// extension with OID 1.2.3.4.5.6.7.8.1 whose value is the JSON object `{"attrs": {...}}`.
///
/// Any verifier can read them from the certificate alone, without asking the CA.
public struct AttributesExtension: Sendable, Hashable {
    public static let oid: ASN1ObjectIdentifier = [1, 2, 3, 4, 5, 6, 7, 8, 1]

    public var attributes: [String: String]

    public init(attributes: [String: String]) {
        self.attributes = attributes
    }

    /// The certificate extension carrying these attributes (keys sorted, so the bytes are stable).
    public func makeExtension() throws -> Certificate.Extension {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(["attrs": attributes])
        return Certificate.Extension(oid: Self.oid, critical: false, value: ArraySlice(json))
    }

    /// Reads the attributes of `certificate`: empty if it has none, nil if the extension is malformed.
    public static func read(from certificate: Certificate) -> [String: String]? {
        guard let ext = certificate.extensions[oid: oid] else { return [:] }
        struct Payload: Decodable { var attrs: [String: String]? }
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(ext.value)) else { return nil }
        return payload.attrs ?? [:]
    }
}
