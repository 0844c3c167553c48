import CodecComparison
import Foundation
import MallocInterposerSwift

// Runs every operation on every codec for a fixed time and prints ns/op, allocations per op and
// the ratio to protobuf-c, without the benchmark harness: numbers to quote, not regressions to gate.
//
//   CodecRatios [seconds-per-cell]              the table (1 s per cell by default)
//   CodecRatios repeat CODEC OPERATION COUNT    only runs one cell COUNT times, for a profiler, e.g.
//     valgrind --tool=callgrind .build/release/CodecRatios repeat 0 transactionDecode 2000
//   (CODEC: 0 MedLedger Wire, 1 swift-protobuf, 2 protobuf-c; OPERATION: a CodecOperation case name)

let arguments = Array(CommandLine.arguments.dropFirst())
let sample = LedgerSample()
let codecs: [any ComparedCodec]
do {
    codecs = try makeComparedCodecs(sample)
} catch {
    FileHandle.standardError.write(Data("the codecs disagree on the sample, so no comparison is valid: \(error)\n".utf8))
    exit(1)
}

if arguments.first == "repeat" {
    guard arguments.count == 4, let index = Int(arguments[1]), codecs.indices.contains(index),
        let operation = CodecOperation.allCases.first(where: { "\($0)" == arguments[2] }),
        let count = Int(arguments[3])
    else {
        FileHandle.standardError.write(Data("usage: CodecRatios repeat CODEC OPERATION COUNT\n".utf8))
        exit(2)
    }
    var sink = 0
    for _ in 0..<count { sink &+= codecs[index].run(operation) }
    print("\(codecs[index].name) \(operation.rawValue) ×\(count): \(sink)")
    exit(0)
}
let secondsPerCell = arguments.first.flatMap(Double.init) ?? 1.0

struct Cell {
    var nanosecondsPerOperation: Double
    var allocationsPerOperation: Double
}

/// Monotonic time in nanoseconds.
func nanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Best of several timed batches (the least disturbed by the other work on the machine),
/// and the allocations of one separate counted run.
func measure(_ codec: any ComparedCodec, _ operation: CodecOperation) -> Cell {
    var sink = 0
    let start = nanoseconds()
    var calibration = 0
    while nanoseconds() - start < 50_000_000 || calibration < 3 {
        sink &+= codec.run(operation)
        calibration += 1
    }
    let perBatch = max(1, calibration / 5)
    let batches = max(5, Int(secondsPerCell * Double(calibration) / 0.05) / perBatch)
    var best = Double.infinity
    for _ in 0..<batches {
        let batchStart = nanoseconds()
        for _ in 0..<perBatch { sink &+= codec.run(operation) }
        best = min(best, Double(nanoseconds() - batchStart) / Double(perBatch))
    }
    let countedRuns = 10
    MallocInterposerSwift.reset()
    MallocInterposerSwift.hook()
    for _ in 0..<countedRuns { sink &+= codec.run(operation) }
    MallocInterposerSwift.unhook()
    let allocations = Double(MallocInterposerSwift.getStatistics().mallocCount) / Double(countedRuns)
    if sink == 42 { print("") }  // keeps `sink` (and so every run) alive
    return Cell(nanosecondsPerOperation: best, allocationsPerOperation: allocations)
}

func formatted(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

func padded(_ text: String, _ width: Int, left: Bool = false) -> String {
    let pad = String(repeating: " ", count: max(0, width - text.count))
    return left ? text + pad : pad + text
}

print("Sample: Transaction \(sample.transactionBytes.count) B, Envelope \(sample.envelopeBytes.count) B, "
    + "Block \(sample.blockBytes.count) B (\(sample.transactionsPerBlock) envelopes); "
    + "encodings identical across the three codecs.")
print("ns/op is the best batch mean over ~\(formatted(secondsPerCell, 1)) s; allocs/op counts malloc/calloc/realloc calls.")
print("Ratio = protobuf-c time / codec time (throughput relative to protobuf-c; > 1 is faster).")
print("")
let names = codecs.map(\.name)
var header = padded("operation", 40, left: true)
for name in names { header += " | " + padded(name + " ns/op", 22) + padded("allocs", 8) }
for name in names.dropLast() { header += " | " + padded(name + " ×pbc", 20) }
print(header)
print(String(repeating: "-", count: header.count))
for operation in CodecOperation.allCases {
    let cells = codecs.map { measure($0, operation) }
    let reference = cells.last!.nanosecondsPerOperation
    var line = padded(operation.rawValue, 40, left: true)
    for cell in cells {
        line += " | " + padded(formatted(cell.nanosecondsPerOperation, 0), 22) + padded(formatted(cell.allocationsPerOperation, 1), 8)
    }
    for cell in cells.dropLast() { line += " | " + padded(formatted(reference / cell.nanosecondsPerOperation, 2), 20) }
    print(line)
}
