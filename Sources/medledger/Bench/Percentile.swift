extension Array where Element == Double {
    /// The `p` quantile (0…1) of these values, which must be sorted: the nearest rank below, as
    /// every benchmark of this CLI reports it; 0 when there are none.
    func percentile(_ p: Double) -> Double {
        isEmpty ? 0 : self[Swift.min(count - 1, Int((Double(count) * p).rounded(.down)))]
    }
}
