internal import ContentStore
internal import Crypto
internal import Foundation
internal import RecordCrypto

/// The issue's content-store benchmark, with its peers measured in the same run on the same file:
/// `sha256sum` and Python's `hashlib.sha256` (this machine's SHA-256 limit) against our
/// `--only-hash` import, in process and as a `medledger dag add --only-hash` child whose peak RSS
/// the kernel reports; then the sealed (encrypted) add into a store and the decrypting cat, beside
/// `dd conv=fsync` copying the file into the same file system (this disk's durable write limit).
/// Every figure is the best of `runs`; MB/s are 10⁶ bytes per second.
struct ContentBenchmark {
    let file: URL
    let runs: Int
    /// Where the sealed adds' stores go. They are all removed together after the last run: the
    /// file system's work for deleting one run's blocks (here, ext4 with online discard) would
    /// otherwise land in the next run's fsyncs.
    let scratch: URL
    /// This executable, run as the `dag add --only-hash` child.
    let medledger: String

    /// Python hashing the file in 1 MiB reads into one buffer; prints the hex digest and the loop's seconds.
    static let hashlibScript = """
        import hashlib, sys, time
        buffer = bytearray(1 << 20); view = memoryview(buffer)
        start = time.perf_counter(); h = hashlib.sha256()
        with open(sys.argv[1], 'rb', buffering=0) as f:
            while True:
                n = f.readinto(buffer)
                if not n: break
                h.update(view[:n])
        print(h.hexdigest(), time.perf_counter() - start)
        """

    struct Result {
        var bytes: UInt64
        var sha256sumSeconds: Double
        var hashlibSeconds: Double
        var onlyHashSeconds: Double
        var onlyHashProcessSeconds: Double
        var onlyHashProcessMaxRSS: UInt64
        var sealedAddSeconds: Double
        /// The sealed add's CPU work alone (encrypt, hash, build the DAG), blocks discarded.
        var sealedHashSeconds: Double
        var sealedCatSeconds: Double
        /// `dd bs=1M conv=fsync` writing the file beside the stores: the disk's durable bandwidth.
        var ddSeconds: Double
        var cid: CID
        var sealedCID: CID
    }

    func run() async throws -> Result {
        let bytes = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? UInt64 ?? 0
        var best = [String: Double]()
        func record(_ name: String, _ seconds: Double) { best[name] = min(best[name] ?? .infinity, seconds) }
        var cid: CID?
        var maxRSS: UInt64 = 0
        var sealedCID: CID?
        let options = try ImportOptions()
        for _ in 0..<runs {
            let sum = try MeasuredProcess.run(["sha256sum", file.path])
            guard sum.status == 0, let sumDigest = sum.standardOutput.split(separator: " ").first else {
                throw BenchError("sha256sum failed (exit \(sum.status))")
            }
            record("sha256sum", sum.seconds)

            let python = try MeasuredProcess.run(["python3", "-c", Self.hashlibScript, file.path])
            let fields = python.standardOutput.split(separator: " ")
            guard python.status == 0, fields.count == 2, let seconds = Double(fields[1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw BenchError("python3 hashlib failed (exit \(python.status)): \(python.standardOutput)")
            }
            guard fields[0] == sumDigest else { throw BenchError("sha256sum and hashlib disagree on the file's digest") }
            record("hashlib", seconds)

            let start = ContinuousClock.now
            let inProcess = try PathImporter(options: options, sink: DiscardingSink()).importPath(file).cid
            record("onlyHash", (ContinuousClock.now - start).seconds)

            let child = try MeasuredProcess.run([medledger, "dag", "add", "--only-hash", file.path])
            let childCID = child.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            guard child.status == 0, childCID == inProcess.description else {
                throw BenchError("dag add --only-hash printed '\(childCID)' (exit \(child.status)), in-process import gave \(inProcess)")
            }
            record("onlyHashProcess", child.seconds)
            maxRSS = max(maxRSS, child.maximumResidentBytes)
            cid = inProcess

            record("sealedHash", try sealedWithoutStore())
            let copy = scratch.appendingPathComponent("dd-\(UUID().uuidString)").path
            let dd = try MeasuredProcess.run(["dd", "if=\(file.path)", "of=\(copy)", "bs=1M", "conv=fsync", "status=none"])
            guard dd.status == 0 else { throw BenchError("dd failed (exit \(dd.status))") }
            record("dd", dd.seconds)
            let (added, decrypted, stored) = try await sealedRoundTrip(
                in: scratch.appendingPathComponent("store-\(UUID().uuidString)"))
            record("sealedAdd", added)
            record("sealedCat", decrypted)
            sealedCID = stored
        }
        return Result(
            bytes: bytes, sha256sumSeconds: best["sha256sum"]!, hashlibSeconds: best["hashlib"]!,
            onlyHashSeconds: best["onlyHash"]!, onlyHashProcessSeconds: best["onlyHashProcess"]!,
            onlyHashProcessMaxRSS: maxRSS, sealedAddSeconds: best["sealedAdd"]!, sealedHashSeconds: best["sealedHash"]!, sealedCatSeconds: best["sealedCat"]!,
            ddSeconds: best["dd"]!, cid: cid!, sealedCID: sealedCID!)
    }

    /// Seals the file and builds its DAG as the sealed add does, storing nothing: the add's
    /// ceiling on this CPU, so that the store's share of its time is visible.
    private func sealedWithoutStore() throws -> Double {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let start = ContinuousClock.now
        var sealer = SealingWriter(key: SealedStream.newDataKey(), format: try SealedStream())
        var importer = FileImporter(options: try ImportOptions(cidVersion: 1), sink: DiscardingSink())
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            try importer.write(try sealer.write(piece))
        }
        try importer.write(try sealer.finish().sealed)
        _ = try importer.finish()
        return (ContinuousClock.now - start).seconds
    }

    /// Seals the file into a fresh on-disk store as `SealContent` does (CIDv1, leased and pinned,
    /// every block fsynced), then decrypts it all back; returns both times and the sealed root.
    private func sealedRoundTrip(in directory: URL) async throws -> (add: Double, cat: Double, cid: CID) {
        let store = try ContentStore(directory: directory)
        let key = SealedStream.newDataKey()
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let pieces = AnySequence {
            AnyIterator { (try? handle.read(upToCount: 1 << 20)).flatMap { $0.isEmpty ? nil : $0 } }
        }
        var start = ContinuousClock.now
        let sealed = try store.addSealed(pieces, key: key, options: try ImportOptions(cidVersion: 1))
        let added = (ContinuousClock.now - start).seconds

        start = ContinuousClock.now
        var hasher = SHA256()
        try await store.catSealed(sealed.stored.cid, key: key) { hasher.update(data: $0) }
        let decrypted = (ContinuousClock.now - start).seconds
        guard hasher.finalize() == sealed.plaintextSHA256 else { throw BenchError("the decrypted content differs from the file") }
        return (added, decrypted, sealed.stored.cid)
    }
}

extension ContentBenchmark.Result {
    static let hashlibTarget = 0.7
    static let maximumRSSTarget: UInt64 = 64 << 20
    static let sealedAddTarget = 600.0

    func megabytesPerSecond(_ seconds: Double) -> Double { Double(bytes) / seconds / 1e6 }

    var onlyHashVersusHashlib: Double { hashlibSeconds / onlyHashSeconds }
    var onlyHashVersusSha256sum: Double { sha256sumSeconds / onlyHashSeconds }
    var meetsTargets: Bool {
        onlyHashVersusHashlib >= Self.hashlibTarget && onlyHashProcessMaxRSS <= Self.maximumRSSTarget
            && megabytesPerSecond(sealedAddSeconds) >= Self.sealedAddTarget
    }

    var fields: [String: Any] {
        [
            "bytes": bytes,
            "cid": cid.description,
            "sealed_cid": sealedCID.description,
            "sha256sum_mb_s": megabytesPerSecond(sha256sumSeconds),
            "hashlib_mb_s": megabytesPerSecond(hashlibSeconds),
            "only_hash_mb_s": megabytesPerSecond(onlyHashSeconds),
            "only_hash_process_mb_s": megabytesPerSecond(onlyHashProcessSeconds),
            "only_hash_process_max_rss_bytes": onlyHashProcessMaxRSS,
            "sealed_add_mb_s": megabytesPerSecond(sealedAddSeconds),
            "sealed_no_store_mb_s": megabytesPerSecond(sealedHashSeconds),
            "sealed_cat_mb_s": megabytesPerSecond(sealedCatSeconds),
            "dd_fsync_mb_s": megabytesPerSecond(ddSeconds),
            "ratio_sealed_add_vs_dd_fsync": ddSeconds / sealedAddSeconds,
            "ratio_only_hash_vs_hashlib": onlyHashVersusHashlib,
            "ratio_only_hash_vs_sha256sum": onlyHashVersusSha256sum,
            "ratio_only_hash_process_vs_hashlib": hashlibSeconds / onlyHashProcessSeconds,
            "targets": [
                "only_hash_vs_hashlib_min": Self.hashlibTarget,
                "only_hash_max_rss_bytes": Self.maximumRSSTarget,
                "sealed_add_mb_s_min": Self.sealedAddTarget,
                "met": meetsTargets,
            ] as [String: Any],
        ]
    }

    var text: String {
        func rate(_ seconds: Double) -> String { String(format: "%8.1f MB/s", megabytesPerSecond(seconds)) }
        func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }
        return """
            content benchmark: \(bytes) bytes, CID \(cid)
              sha256sum                          \(rate(sha256sumSeconds))
              python3 hashlib.sha256 (1 MiB)     \(rate(hashlibSeconds))
              dag add --only-hash (in process)   \(rate(onlyHashSeconds))  \(ratio(onlyHashVersusHashlib)) hashlib (target ≥\(ratio(Self.hashlibTarget))), \(ratio(onlyHashVersusSha256sum)) sha256sum
              dag add --only-hash (process)      \(rate(onlyHashProcessSeconds))  \(ratio(hashlibSeconds / onlyHashProcessSeconds)) hashlib, peak RSS \(String(format: "%.1f", Double(onlyHashProcessMaxRSS) / 1_048_576)) MiB (target ≤64 MiB)
              sealed add into the store          \(rate(sealedAddSeconds))  (target ≥\(Int(Self.sealedAddTarget)) MB/s), \(ratio(ddSeconds / sealedAddSeconds)) dd conv=fsync
              sealed add, blocks discarded       \(rate(sealedHashSeconds))  (encrypt + hash + DAG: the CPU ceiling)
              sealed cat (decrypt)               \(rate(sealedCatSeconds))
              dd bs=1M conv=fsync (disk limit)   \(rate(ddSeconds))
            targets \(meetsTargets ? "met" : "NOT met")
            """
    }
}
