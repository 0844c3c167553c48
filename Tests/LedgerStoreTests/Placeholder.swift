import Testing
@testable import LedgerStore
