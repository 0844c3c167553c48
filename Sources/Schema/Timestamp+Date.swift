public import Foundation

/// Conversions between the schema's `Timestamp` and `Date`, in one place for every module that
/// writes or reads times on the wire (proposals, certificates, history).
extension Medledger_V1_Timestamp {
    public var date: Date {
        Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9)
    }

    public init(date: Date) {
        self.init()
        let interval = date.timeIntervalSince1970
        var whole = interval.rounded(.down)
        var nanos = ((interval - whole) * 1e9).rounded()
        if nanos >= 1e9 {
            whole += 1
            nanos -= 1e9
        }
        seconds = Int64(whole)
        self.nanos = Int32(nanos)
    }
}
