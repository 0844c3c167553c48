internal import LedgerCore
