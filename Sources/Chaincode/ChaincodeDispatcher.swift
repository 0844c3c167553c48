public import Identity
public import LedgerCore
public import Schema

/// What simulating one proposal produced: the response and, for a successful one, the read-write
/// set and event that an endorser signs.
public struct SimulationResult: Sendable, Equatable {
    /// The contract's reads and writes in its namespace; nil if it touched no state or failed.
    public var readWriteSet: Medledger_V1_ReadWriteSet?
    /// The event the contract set, if any (only for a successful response).
    public var event: Medledger_V1_ChaincodeEvent?
    public var response: Medledger_V1_Response

    public init(readWriteSet: Medledger_V1_ReadWriteSet?, event: Medledger_V1_ChaincodeEvent?, response: Medledger_V1_Response) {
        self.readWriteSet = readWriteSet
        self.event = event
        self.response = response
    }

    /// The read-write sets as `ProposalResponsePayload.results` lists them.
    public var readWriteSets: [Medledger_V1_ReadWriteSet] {
        readWriteSet.map { [$0] } ?? []
    }
}

/// The registered contracts of a peer, and the in-process simulation of proposals against them
/// (Fabric's chaincode execution, without containers).
///
/// A failed call (status 400 and up, or a thrown error) yields its response with no read-write
/// set and no event, so nothing of a refused call can be endorsed.
public struct ChaincodeDispatcher: Sendable {
    private struct Registration: Sendable {
        let contract: any Contract
        let functions: [String: ContractFunction]
    }

    private let registrations: [String: Registration]

    /// Registers `contracts`; their names must be valid and distinct.
    public init(contracts: [any Contract]) throws(ChaincodeError) {
        var registrations: [String: Registration] = [:]
        for contract in contracts {
            guard Self.isValidName(contract.name) else { throw .invalidContractName(contract.name) }
            guard registrations[contract.name] == nil else { throw .duplicateContract(contract.name) }
            registrations[contract.name] = Registration(contract: contract, functions: contract.functions)
        }
        self.registrations = registrations
    }

    /// Names of the registered contracts, sorted.
    public var contractNames: [String] {
        registrations.keys.sorted()
    }

    /// The contract registered as `name`, if any.
    public func contract(named name: String) -> (any Contract)? {
        registrations[name]?.contract
    }

    /// Runs the function `proposal` names against `state`, which is only read.
    ///
    /// Throws `unknownContract`/`unknownFunction` before running anything, and `stateUnavailable`
    /// if world state could not be read (whatever the contract then did). A contract's own failure
    /// is not thrown: it is the result's response — the status of a `ChaincodeError.rejected` or
    /// of a returned error response, 400 for a key, argument or query the stub refused, or 500
    /// naming the function for any other error.
    public func simulate(proposal: Medledger_V1_Proposal, creator: Identity, state: some StateReader)
        throws(ChaincodeError) -> SimulationResult
    {
        let contractName = proposal.chaincodeName
        guard let registration = registrations[contractName] else { throw .unknownContract(contractName) }
        let functionName = proposal.input?.function ?? ""
        guard let function = registration.functions[functionName] else {
            throw .unknownFunction(contract: contractName, function: functionName)
        }
        let stub = ChaincodeStub(proposal: proposal, contractName: contractName, creator: creator, state: state)
        let qualifiedName = "\(contractName).\(functionName)"
        var response: Medledger_V1_Response
        do {
            response = try function(stub)
        } catch ChaincodeError.rejected(let status, let message) {
            response = .failure(status: status >= 400 ? status : 500, message)
        } catch let error as ChaincodeError where error.isAboutInput {
            // A key, argument or query the stub refused was made of the caller's input.
            response = .failure(status: 400, "\(qualifiedName): \(error)")
        } catch {
            response = .failure(status: 500, "\(qualifiedName) failed: \(error)")
        }
        if let reason = stub.stateFailure {
            throw .stateUnavailable(contract: contractName, function: functionName, reason: reason)
        }
        if response.status < 200 {
            response = .failure(status: 500, "\(qualifiedName) returned status \(response.status), which is not a response status")
        }
        guard response.isSuccess else {
            return SimulationResult(readWriteSet: nil, event: nil, response: response)
        }
        return SimulationResult(readWriteSet: stub.readWriteSet, event: stub.event, response: response)
    }

    /// Fabric's chaincode name rule: letters and digits, in groups joined by single `-` or `_`.
    static func isValidName(_ name: String) -> Bool {
        let groups = name.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "_" }
        return groups.allSatisfy { group in
            !group.isEmpty && group.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }
}
