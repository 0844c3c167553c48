public import Identity
import SwiftASN1
public import X509

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The names a node's TLS server certificate carries: loopback and `localhost` always, plus the
/// host names and IP addresses its operator configures.
public enum HostNames {
    /// `localhost`, `127.0.0.1`, `::1`, then `extra` without duplicates.
    public static func required(adding extra: [String]) -> [String] {
        var names = ["localhost", "127.0.0.1", "::1"]
        for name in extra where !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// An IP address literal as its network-order bytes, or nil for a DNS name.
    public static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// The subject alternative name for `name`; throws for text that is neither an IP nor a DNS name.
    public static func generalName(for name: String) throws -> GeneralName {
        if let bytes = ipAddressBytes(name) {
            return .ipAddress(ASN1OctetString(contentBytes: bytes[...]))
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "/" }) else {
            throw CAError.invalidHostname(name)
        }
        return .dnsName(name.lowercased())
    }

    /// One spelling per name, so that `::1` and `0:0::1` compare equal.
    public static func canonical(_ name: String) -> String {
        if let bytes = ipAddressBytes(name) {
            return "ip:" + bytes.map(String.init).joined(separator: ".")
        }
        return "dns:" + name.lowercased()
    }

    /// The canonical spelling of a subject alternative name.
    public static func canonical(_ name: GeneralName) -> String {
        switch name {
        case .ipAddress(let octets): "ip:" + octets.bytes.map(String.init).joined(separator: ".")
        case .dnsName(let dns): "dns:" + dns.lowercased()
        default: "other:\(name)"
        }
    }
}
