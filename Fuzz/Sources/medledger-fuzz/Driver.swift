import Foundation
import FuzzTargets

/// The target this process fuzzes, named by `MEDLEDGER_FUZZ_TARGET` (see `FuzzTarget`).
enum Selected {
    static let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["MEDLEDGER_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("MEDLEDGER_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))\n".utf8))
            exit(2)
        }
        return target
    }()
}

/// Called once by libFuzzer before fuzzing. With `MEDLEDGER_FUZZ_SEEDS_INTO=DIR` it writes the
/// target's seeds into DIR and exits.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let target = Selected.target
    if let directory = ProcessInfo.processInfo.environment["MEDLEDGER_FUZZ_SEEDS_INTO"] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (index, seed) in try target.seeds().enumerated() {
                try seed.write(to: URL(fileURLWithPath: directory).appendingPathComponent("seed-\(index)"))
            }
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("cannot write seeds of \(target.rawValue): \(error)\n".utf8))
            exit(1)
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    Selected.target.runBlocking(Data(bytes: data, count: size))
    return 0
}
