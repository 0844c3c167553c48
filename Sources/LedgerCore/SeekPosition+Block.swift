public import Schema

extension Medledger_V1_SeekPosition {
    /// The position of block `number`.
    public static func block(_ number: UInt64) -> Self {
        var specified = Specified()
        specified.number = number
        var position = Self()
        position.position = .specified(specified)
        return position
    }
}
