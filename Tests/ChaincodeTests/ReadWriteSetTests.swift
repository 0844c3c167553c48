import Chaincode
import Foundation
import Identity
import LedgerCore
import Schema
import Testing

@Suite("The stub records what a simulation read and wrote, and never writes state")
struct ReadWriteSetTests {
    let state = InMemoryState()

    init() throws {
        try state.seed("script", ["a": "1", "b": "2"])
        try state.seed("script", ["b": "22"])
    }

    func run(_ body: @escaping ContractFunction) throws -> SimulationResult {
        let dispatcher = try ChaincodeDispatcher(contracts: [ScriptedContract(["Run": body])])
        return try dispatcher.simulate(proposal: proposal("script", "Run"), creator: TestIdentities.hospitalA, state: state)
    }

    @Test("Point reads record the version seen once per key, and no version for an absent key")
    func pointReads() throws {
        let result = try run { stub in
            #expect(try stub.getState("b") == bytes("22"))
            #expect(try stub.getState("missing") == nil)
            _ = try stub.getState("a")
            _ = try stub.getState("b")
            return .success()
        }
        let reads = try #require(result.readWriteSet).reads
        #expect(reads.map(\.key) == ["b", "missing", "a"])
        #expect(reads[0].version == version(1, 0))
        #expect(reads[1].version == nil)
        #expect(reads[2].version == version(0, 0))
        #expect(result.readWriteSet?.namespace == "script")
    }

    @Test("Writes come out sorted by UTF-8 bytes, one per key, the last one winning")
    func writes() throws {
        let result = try run { stub in
            try stub.putState("é", bytes("e-acute"))
            try stub.putState("b", bytes("first"))
            try stub.putState("b", bytes("second"))
            try stub.putState("a", bytes("doomed"))
            try stub.deleteState("a")
            try stub.deleteState("Z")
            try stub.putState("Z", bytes("revived"))
            try stub.putState("ab", Data())
            return .success()
        }
        let writes = try #require(result.readWriteSet).writes
        #expect(writes.map(\.key) == ["Z", "a", "ab", "b", "é"])
        #expect(writes.map(\.isDelete) == [false, true, false, false, false])
        #expect(writes.map { String(decoding: $0.value, as: UTF8.self) } == ["revived", "", "", "second", "e-acute"])
        #expect(result.readWriteSet?.reads.isEmpty == true)
    }

    @Test("Reads see committed state, not the simulation's own writes")
    func noReadYourOwnWrites() throws {
        _ = try run { stub in
            try stub.putState("a", bytes("new"))
            try stub.deleteState("b")
            try stub.putState("fresh", bytes("x"))
            #expect(try stub.getState("a") == bytes("1"))
            #expect(try stub.getState("b") == bytes("22"))
            #expect(try stub.getState("fresh") == nil)
            #expect(try stub.getStateByRange(start: "", end: "").entries.map(\.key) == ["a", "b"])
            return .success()
        }
    }

    @Test("Simulation leaves world state as it was")
    func stateUntouched() throws {
        let result = try run { stub in
            try stub.putState("a", bytes("new"))
            try stub.deleteState("b")
            try stub.putState("fresh", bytes("x"))
            return .success()
        }
        #expect(result.readWriteSet?.writes.count == 3)
        #expect(state.get(namespace: "script", key: "a") == VersionedValue(value: bytes("1"), version: version(0, 0)))
        #expect(state.get(namespace: "script", key: "b") == VersionedValue(value: bytes("22"), version: version(1, 0)))
        #expect(state.get(namespace: "script", key: "fresh") == nil)
        #expect(state.history(namespace: "script", key: "a").count == 1)
        #expect(state.lastAppliedBlock() == 1)
    }

    @Test("A simulation that touches no state has no read-write set")
    func nothingTouched() throws {
        let result = try run { _ in .success(bytes("hello")) }
        #expect(result.readWriteSet == nil)
        #expect(result.readWriteSets.isEmpty)
        #expect(result.response.status == 200)
        #expect(result.response.text == "hello")
    }

    @Test("The stub exposes the proposal and its creator")
    func proposalFields() throws {
        let creatorID = TestIdentities.hospitalA.enrollmentID
        let echo: ContractFunction = { stub throws in
            #expect(stub.txID == "tx-42")
            #expect(stub.channelID == "ward")
            #expect(stub.contractName == "script")
            #expect(stub.function == "Echo")
            #expect(try stub.stringArgs() == ["x", "y"])
            #expect(stub.args == [bytes("x"), bytes("y")])
            #expect(stub.transient == ["key": bytes("secret")])
            #expect(stub.timestamp.seconds == 1_700_000_000)
            #expect(stub.creator.mspID == "HospitalAMSP")
            #expect(stub.creator.enrollmentID == creatorID)
            return .success()
        }
        let dispatcher = try ChaincodeDispatcher(contracts: [ScriptedContract(["Echo": echo])])
        let call = proposal("script", "Echo", ["x", "y"], txID: "tx-42", transient: ["key": bytes("secret")])
        let result = try dispatcher.simulate(proposal: call, creator: TestIdentities.hospitalA, state: state)
        #expect(result.response.status == 200)
    }

    @Test("History is returned oldest first and not recorded")
    func history() throws {
        let result = try run { stub in
            let changes = try stub.getHistoryForKey("b")
            #expect(changes.map(\.value) == [bytes("2"), bytes("22")])
            #expect(changes.map(\.version) == [version(0, 1), version(1, 0)])
            #expect(changes.map(\.isDelete) == [false, false])
            return .success()
        }
        #expect(result.readWriteSet == nil)
    }
}
