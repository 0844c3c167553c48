import Crypto
import Foundation
import Identity

// SignatureRatios: ECDSA P-256 signing and verification as MedLedger does it (Identity's
// RequestSigner / SignatureVerifier: SHA-256 of the payload, DER signature) beside
// `openssl speed -seconds S ecdsap256` run in the same process lifetime, so both see the same machine.
//
//   .build/release/SignatureRatios [seconds]

let seconds = Double(CommandLine.arguments.dropFirst().first ?? "") ?? 2

/// Operations per second of `body`, run for about `seconds`.
func rate(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    while clock.now - start < .seconds(seconds) {
        for _ in 0..<50 { try body() }
        count += 50
    }
    let elapsed = clock.now - start
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

/// openssl's own figures: the last line of `openssl speed ecdsap256` reads
/// ` 256 bits ecdsa (nistp256)   0.0000s   0.0001s  26684.8  10677.0`.
func opensslRates() throws -> (sign: Double, verify: Double) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl", "speed", "-seconds", String(Int(seconds.rounded(.up))), "ecdsap256"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard let line = text.split(separator: "\n").last(where: { $0.contains("nistp256") }) else {
        throw CocoaError(.fileReadCorruptFile)
    }
    let numbers = line.split(separator: " ").compactMap { Double($0) }
    guard numbers.count >= 2 else { throw CocoaError(.fileReadCorruptFile) }
    return (numbers[numbers.count - 2], numbers[numbers.count - 1])
}

let key = P256.Signing.PrivateKey()
let signer = RequestSigner(key: key, certificateDER: Data())
var table: [(String, Double, Double)] = []
for payloadSize in [32, 3_371] {
    let payload = Data((0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    let signature = try signer.sign(payload)
    precondition(SignatureVerifier.isValid(signature: signature, payload: payload, key: key.publicKey))
    let signRate = try rate { _ = try signer.sign(payload) }
    let verifyRate = rate { precondition(SignatureVerifier.isValid(signature: signature, payload: payload, key: key.publicKey)) }
    table.append(("MedLedger, \(payloadSize)-byte payload", signRate, verifyRate))
}
let openssl = try opensslRates()
table.append(("openssl speed ecdsap256", openssl.sign, openssl.verify))

print("operation                              sign/s   verify/s   sign ×openssl   verify ×openssl")
for (name, sign, verify) in table {
    let padded = name.padding(toLength: 34, withPad: " ", startingAt: 0)
    print(padded + String(format: "%10.0f %10.0f %15.2f %17.2f", sign, verify, sign / openssl.sign, verify / openssl.verify))
}
