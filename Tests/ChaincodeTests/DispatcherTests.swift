import Chaincode
import Foundation
import LedgerCore
import Schema
import Testing

private struct Boom: Error, CustomStringConvertible {
    var description: String { "the flux capacitor overheated" }
}

/// World state whose store has failed.
private struct BrokenState: StateReader {
    struct DiskGone: Error {}
    func get(namespace: String, key: String) throws -> VersionedValue? { throw DiskGone() }
    func range(namespace: String, start: String, end: String, limit: Int) throws -> [StateEntry] { throw DiskGone() }
    func query(namespace: String, _ query: RichQuery, after bookmark: String, limit: Int) throws -> [StateEntry] { throw DiskGone() }
    func history(namespace: String, key: String) throws -> [KeyModification] { throw DiskGone() }
    func transaction(_ txID: String) throws -> TransactionLocation? { nil }
    func lastAppliedBlock() throws -> UInt64? { nil }
}

@Suite("Dispatch, outcomes and errors")
struct DispatcherTests {
    let state = InMemoryState()
    let creator = TestIdentities.hospitalA

    func simulate(_ functions: [String: ContractFunction], _ function: String = "Run", on reader: any StateReader = InMemoryState())
        throws -> SimulationResult
    {
        let dispatcher = try ChaincodeDispatcher(contracts: [ScriptedContract(functions)])
        return try dispatcher.simulate(proposal: proposal("script", function), creator: creator, state: reader)
    }

    @Test("An unknown contract or function is an error naming it, raised before anything runs")
    func unknownNames() throws {
        let dispatcher = try ChaincodeDispatcher(contracts: [AssetContract()])
        #expect(throws: ChaincodeError.unknownContract("ehr")) {
            try dispatcher.simulate(proposal: proposal("ehr", "AddRecord"), creator: creator, state: state)
        }
        #expect(throws: ChaincodeError.unknownFunction(contract: "asset", function: "Mint")) {
            try dispatcher.simulate(proposal: proposal("asset", "Mint"), creator: creator, state: state)
        }
        #expect(ChaincodeError.unknownContract("ehr").description.contains("'ehr'"))
        let unknownFunction = ChaincodeError.unknownFunction(contract: "asset", function: "Mint").description
        #expect(unknownFunction.contains("'asset'") && unknownFunction.contains("'Mint'"))
        #expect(dispatcher.contractNames == ["asset"])
        #expect(dispatcher.contract(named: "asset")?.indexedFields == ["owner"])
    }

    @Test("Contract names must be distinct and well formed")
    func registration() throws {
        #expect(throws: ChaincodeError.duplicateContract("asset")) {
            try ChaincodeDispatcher(contracts: [AssetContract(), ScriptedContract(name: "asset", [:])])
        }
        for bad in ["", "two words", "trailing-", "a--b", "ünï"] {
            #expect(throws: ChaincodeError.invalidContractName(bad)) {
                try ChaincodeDispatcher(contracts: [ScriptedContract(name: bad, [:])])
            }
        }
        _ = try ChaincodeDispatcher(contracts: [ScriptedContract(name: "ehr_v2-beta", [:])])
    }

    @Test("A thrown error becomes status 500 naming the function, with nothing to endorse")
    func thrownError() throws {
        let result = try simulate(["Run": { stub in
            try stub.putState("k", bytes("v"))
            try stub.setEvent(name: "Happened")
            throw Boom()
        }])
        #expect(result.response.status == 500)
        #expect(result.response.message.contains("script.Run"))
        #expect(result.response.message.contains("flux capacitor"))
        #expect(result.readWriteSet == nil)
        #expect(result.event == nil)
    }

    @Test("A key the stub refuses and the contract does not catch is a 400 naming the key")
    func stubErrorSurfaces() throws {
        let result = try simulate(["Run": { stub in
            try stub.putState("\u{0}bad", bytes("v"))
            return .success()
        }])
        #expect(result.response.status == 400)
        #expect(result.response.message.contains("script.Run"))
        #expect(result.response.message.contains("\\u{0}bad"))
    }

    @Test("Rejections and returned error statuses pass through as the response")
    func rejections() throws {
        let thrown = try simulate(["Run": { stub in
            try stub.putState("k", bytes("v"))
            throw ChaincodeError.rejected(status: 403, message: "not yours")
        }])
        #expect(thrown.response.status == 403)
        #expect(thrown.response.message == "not yours")
        #expect(thrown.readWriteSet == nil)

        let returned = try simulate(["Run": { stub in
            try stub.putState("k", bytes("v"))
            return .failure(status: 409, "taken")
        }])
        #expect(returned.response == .failure(status: 409, "taken"))
        #expect(returned.readWriteSet == nil)

        let notAnError = try simulate(["Run": { _ in throw ChaincodeError.rejected(status: 200, message: "odd") }])
        #expect(notAnError.response.status == 500)
        #expect(notAnError.response.isSuccess == false)

        let noStatus = try simulate(["Run": { _ in Medledger_V1_Response() }])
        #expect(noStatus.response.status == 500)
        #expect(noStatus.response.message.contains("script.Run"))
    }

    @Test("The event is the last one set and names the contract and transaction")
    func eventReplaced() throws {
        let result = try simulate(["Run": { stub in
            try stub.setEvent(name: "First", payload: bytes("1"))
            try stub.setEvent(name: "Second", payload: bytes("2"))
            #expect(throws: ChaincodeError.self) { try stub.setEvent(name: "") }
            return .success()
        }])
        let event = try #require(result.event)
        #expect(event.eventName == "Second")
        #expect(event.payload == bytes("2"))
        #expect(event.chaincodeName == "script")
        #expect(event.txID == "tx-1")
    }

    @Test("A failure to read state abandons the simulation even if the contract swallows it")
    func stateFailure() throws {
        #expect {
            try simulate(["Run": { stub in
                _ = try? stub.getState("k")
                return .success()
            }], on: BrokenState())
        } throws: { error in
            guard case .stateUnavailable(let contract, let function, _) = error as? ChaincodeError else { return false }
            return contract == "script" && function == "Run"
        }
    }

    @Test("Keys must be non-empty, and only composite keys may start with U+0000")
    func keyRules() throws {
        let result = try simulate(["Run": { stub in
            #expect(throws: ChaincodeError.invalidKey("", reason: "keys must not be empty")) { try stub.getState("") }
            #expect(throws: ChaincodeError.self) { try stub.putState("", bytes("v")) }
            #expect(throws: ChaincodeError.self) { try stub.deleteState("\u{0}simple") }
            #expect(throws: ChaincodeError.self) { try stub.getState("\u{0}\u{0}") }
            #expect(throws: ChaincodeError.self) { try stub.getHistoryForKey("") }
            let composite = try stub.createCompositeKey(objectType: "t", attributes: ["a"])
            try stub.putState(composite, bytes("ok"))
            return .success()
        }])
        #expect(result.readWriteSet?.writes.map(\.key) == ["\u{0}t\u{0}a\u{0}"])
        let message = ChaincodeError.invalidKey("\u{0}simple", reason: "r").description
        #expect(message.contains("\\u{0}simple"))
    }

    @Test("An argument that is not UTF-8 rejects the call with 400")
    func invalidUTF8Argument() throws {
        let dispatcher = try ChaincodeDispatcher(contracts: [ScriptedContract(["Run": { stub in
            _ = try stub.stringArgs()
            return .success()
        }])])
        var call = proposal("script", "Run")
        call.input?.args = [bytes("fine"), Data([0xC3, 0x28])]
        let result = try dispatcher.simulate(proposal: call, creator: creator, state: state)
        #expect(result.response.status == 400)
        #expect(result.response.message.contains("argument 1"))
    }
}
