internal import Foundation
internal import Synchronization

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Free TCP ports on 127.0.0.1 for the nodes of a local network.
///
/// The ports come from *below* the kernel's ephemeral range (`ip_local_port_range`): a port the
/// kernel handed out for `bind(0)` is one it may hand to the next outgoing connection too, so a
/// node started a few seconds later could find it taken by some client's socket. Each candidate is
/// bound to prove it free; all stay bound until every port is chosen, so the ports are distinct,
/// and this process never hands out the same port twice.
enum FreePorts {
    private static let handedOut = Mutex<Set<Int>>([])

    static func reserve(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        let range = candidateRange
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count {
            attempts += 1
            guard attempts <= 50 * count + 1000 else {
                throw LocalNetworkError.ports("no \(count) free ports in \(range.lowerBound)...\(range.upperBound) on 127.0.0.1 (\(ports.count) found)")
            }
            let candidate = Int.random(in: range)
            let fresh = handedOut.withLock { $0.insert(candidate).inserted }
            guard fresh else { continue }
            if let socket = try bound(port: candidate) {
                sockets.append(socket)
                ports.append(candidate)
            }
        }
        return ports
    }

    /// Ports below the ephemeral range (32768 when it cannot be read), above the well-known ones.
    static var candidateRange: ClosedRange<Int> {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let ephemeralLow = text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32768
        let upper = max(ephemeralLow - 1, 2048)
        return max(1024, upper / 3)...upper
    }

    /// A socket bound to 127.0.0.1:`port`, or nil when something else holds the port.
    private static func bound(port: Int) throws -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LocalNetworkError.ports("socket() failed: errno \(errno)") }
        var address = loopback(port: port)
        let success = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        if success { return descriptor }
        close(descriptor)
        return nil
    }

    fileprivate static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}

extension FreePorts {
    /// True if a TCP connection to 127.0.0.1:`port` succeeds.
    static func connects(port: Int) throws -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LocalNetworkError.ports("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// Why the local network could not be set up.
public enum LocalNetworkError: Error, CustomStringConvertible {
    case ports(String)
    case files(String)
    case notReady(String)

    public var description: String {
        switch self {
        case .ports(let reason): "free ports: \(reason)"
        case .files(let reason): reason
        case .notReady(let reason): reason
        }
    }
}
