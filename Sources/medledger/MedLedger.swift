internal import ArgumentParser

/// The `medledger` command: runs a node and talks to one.
@main
struct MedLedger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medledger",
        abstract: "A permissioned ledger for sharing electronic health records.",
        subcommands: [DevCommand.self, NetworkCommand.self, DemoCommand.self, PatientCommand.self, RecordCommand.self, ConsentCommand.self, AuditCommand.self, AccessCommand.self, ExportCommand.self, ServeCommand.self, PortalCommand.self, CACommand.self, DagCommand.self, ChannelCommand.self, ChaincodeCommand.self, LedgerCommand.self, BenchCommand.self, ProtoCommand.self]
    )
}
