import Foundation
@testable import LocalNetwork
import Testing

/// The ports a local network is planned on lie outside the kernel's ephemeral range, so that no
/// client socket opened between planning and starting a node can take a node's port.
@Suite("Free ports for a local network")
struct FreePortsTests {
    @Test func reservedPortsAreDistinctBelowTheEphemeralRangeAndBindable() throws {
        let text = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
        let ephemeralLow = try #require(text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) })
        let first = try FreePorts.reserve(24)
        let second = try FreePorts.reserve(24)
        let all = first + second
        #expect(Set(all).count == 48, "a port was handed out twice: \(all.sorted())")
        #expect(all.allSatisfy { $0 >= 1024 && $0 < ephemeralLow }, "ports \(all.sorted()) reach the ephemeral range from \(ephemeralLow)")
        #expect(all.allSatisfy { !TCPProbe.isListening(port: $0) })
    }
}
