internal import Wire

/// Why a simulation could not run, or why a contract refuses a call. Each message names the
/// contract, function or key concerned.
///
/// Only `duplicateContract`, `invalidContractName`, `unknownContract`, `unknownFunction` and
/// `stateUnavailable` leave the dispatcher (for the Server's `StatusMapping`: NOT_FOUND for the
/// unknown names, UNAVAILABLE for state); the others surface inside a simulation's response.
public enum ChaincodeError: Error, Equatable, CustomStringConvertible {
    /// Two contracts were registered under the same name.
    case duplicateContract(String)
    /// A contract's name is empty or uses characters other than letters, digits, `-` and `_`.
    case invalidContractName(String)
    /// No contract of this name is registered.
    case unknownContract(String)
    /// The contract offers no function of this name.
    case unknownFunction(contract: String, function: String)
    /// A state key breaks the key rules (the message says which rule).
    case invalidKey(String, reason: String)
    /// A stub call was given an argument it cannot use (page size, bookmark, event name).
    case invalidArgument(String)
    /// A rich query could not be parsed.
    case invalidQuery(String)
    /// World state could not be read; the simulation is abandoned whatever the contract did.
    case stateUnavailable(contract: String, function: String, reason: String)
    /// Thrown by a contract to refuse the call with this status (400 and up) and message.
    case rejected(status: Int32, message: String)

    public var description: String {
        switch self {
        case .duplicateContract(let name): "contract \(QuotedInput.quote(name)) is registered twice"
        case .invalidContractName(let name):
            "contract name \(QuotedInput.quote(name)) is invalid: use letters and digits, separated by single '-' or '_'"
        case .unknownContract(let name): "no contract named \(QuotedInput.quote(name))"
        case .unknownFunction(let contract, let function): "contract \(QuotedInput.quote(contract)) has no function \(QuotedInput.quote(function))"
        case .invalidKey(let key, let reason): "invalid state key \(QuotedInput.quote(key)): \(reason)"
        case .invalidArgument(let why): "invalid argument: \(why)"
        case .invalidQuery(let why): "invalid rich query: \(why)"
        case .stateUnavailable(let contract, let function, let reason):
            "\(contract).\(function): world state could not be read: \(reason)"
        case .rejected(let status, let message): "rejected with status \(status): \(message)"
        }
    }

    /// True for the errors a stub raises about what it was given (a key, an argument, a query):
    /// in a contract those are made of the caller's input.
    var isAboutInput: Bool {
        switch self {
        case .invalidKey, .invalidArgument, .invalidQuery: true
        default: false
        }
    }
}
