import Testing
@testable import LedgerCore
