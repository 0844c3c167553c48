import Benchmark
import CodecComparison

/// Every operation of `CodecOperation` on each codec, side by side: "<operation> | <codec>".
///
/// Each sample runs the operation 1,000 times (`scalingFactor: .kilo`), except the 3-level block
/// decode (milliseconds per run): the harness allocates 16 times and spends about a microsecond per
/// sample, which would otherwise swamp a 7-allocation, 2 µs decode. Metrics are per operation.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )
    let sample = LedgerSample()
    let codecs: [any ComparedCodec]
    do {
        codecs = try makeComparedCodecs(sample)
    } catch {
        fatalError("the codecs disagree on the sample, so no comparison is valid: \(error)")
    }
    for operation in CodecOperation.allCases {
        let configuration: Benchmark.Configuration =
            operation == .blockDecodeDeep ? .init(scalingFactor: .one) : .init()
        for codec in codecs {
            Benchmark("\(operation.rawValue) | \(codec.name)", configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(codec.run(operation))
                }
            }
        }
    }
}
