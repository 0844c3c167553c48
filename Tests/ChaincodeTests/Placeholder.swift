import Testing
@testable import Chaincode
