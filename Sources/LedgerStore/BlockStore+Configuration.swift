public import LedgerCore
internal import Schema

extension BlockStore {
    /// The channel configuration in force after the newest stored block: the one its newest
    /// configuration block carries (the block the tip's `last_config_block_number` names), which
    /// was checked when that block was stored. A peer's copy of that block must record it VALID.
    public func configurationInForce() throws(LedgerError) -> ChannelContext {
        let height = try height()
        guard height > 0, let tip = try block(height - 1) else {
            throw .corrupted(block: nil, reason: "the block store holds no readable newest block")
        }
        let number = tip.metadata?.lastConfigBlockNumber ?? 0
        guard number < height, let carrier = try block(number), let config = BlockAssembly.config(carriedBy: carrier) else {
            throw .corrupted(block: height - 1, reason: "its last_config_block_number \(number) does not name a configuration block")
        }
        let codes = carrier.metadata?.validationCodes ?? []
        guard codes.isEmpty || codes == [.valid] else {
            throw .corrupted(block: number, reason: "the configuration block the chain names is not recorded VALID")
        }
        do {
            return try ChannelContext(config: config, configBlockNumber: number)
        } catch {
            throw .corrupted(block: number, reason: "\(error)")
        }
    }
}
