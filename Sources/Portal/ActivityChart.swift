internal import Foundation
internal import MedLedgerKit

/// Transactions and blocks per minute over the newest blocks, as numbers an SVG template draws
/// (bars and marks; every value a number or a time this type formats, nothing from the ledger).
struct ActivityChart {
    static let width = 720
    static let height = 180
    static let left = 40
    static let baseline = 150
    /// The minutes drawn, up to the current one.
    static let minutes = 30

    /// Values for the `chart` of the channel template.
    static func values(of blocks: [BlockSummary], now: Date = Date()) -> [String: Any] {
        let lastMinute = Int(max(now, blocks.compactMap(\.time).max() ?? now).timeIntervalSince1970 / 60)
        let firstMinute = lastMinute - minutes + 1
        let count = minutes
        var transactions = [Int](repeating: 0, count: count)
        var blockCounts = [Int](repeating: 0, count: count)
        for block in blocks {
            guard let time = block.time else { continue }
            let index = Int(time.timeIntervalSince1970 / 60) - firstMinute
            guard transactions.indices.contains(index) else { continue }
            transactions[index] += block.transactionCount
            blockCounts[index] += 1
        }
        let maximum = max(1, transactions.max() ?? 1, blockCounts.max() ?? 1)
        let slot = Double(width - left - 10) / Double(count)
        let scale = Double(baseline - 20) / Double(maximum)
        let bars: [[String: Any]] = (0..<count).map { index in
            let x = Double(left) + Double(index) * slot
            let txHeight = Double(transactions[index]) * scale
            return [
                "x": Int(x.rounded()), "width": max(1, Int((slot * 0.8).rounded())), "txY": Int((Double(baseline) - txHeight).rounded()),
                "txHeight": Int(txHeight.rounded()), "blockY": Int((Double(baseline) - Double(blockCounts[index]) * scale).rounded()) - 1,
                "transactions": transactions[index], "blocks": blockCounts[index], "label": minuteLabel(firstMinute + index),
            ]
        }
        let ticks = stride(from: 0, to: count, by: max(1, count / 6)).map { index -> [String: Any] in
            ["x": Int((Double(left) + Double(index) * slot).rounded()), "y": baseline + 18, "label": minuteLabel(firstMinute + index)]
        }
        return [
            "width": width, "height": height, "baseline": baseline, "right": width - 10, "maximum": maximum, "bars": bars, "ticks": ticks,
            "title": "\(minuteLabel(firstMinute)) to \(minuteLabel(lastMinute)) UTC, over the \(blocks.count) newest blocks",
        ]
    }

    /// "HH:MM" of a minute since 1970 (UTC).
    static func minuteLabel(_ minute: Int) -> String {
        let minuteOfDay = ((minute % 1440) + 1440) % 1440
        return String(format: "%02d:%02d", minuteOfDay / 60, minuteOfDay % 60)
    }
}
