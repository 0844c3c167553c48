/// The contracts every MedLedger node runs: registered at start, dispatched by name.
public enum BuiltInContracts {
    public static var all: [any Contract] { [AssetContract(), EHRContract()] }
}
