import ContentStore
import Foundation
import LocalNetwork
import MedLedgerTesting
import Testing

extension MultiNodeNetwork {
    /// The health-record story and the Python example on `medledger network up`, every user at
    /// their own organisation's peer; afterwards every node's ledger verifies to the same tip.
    @Suite("The story and the Python example on a network of nodes", .serialized, .timeLimit(.minutes(8)))
    struct NetworkStoryTests {
        static let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

        @Test func theDemoPlaysWithEachIdentityAtItsOwnNodeThroughHospitalAsOutage() async throws {
            try await withNetwork { network in
                let output = try await runProcess([RunningNetwork.executable, "demo", "--network", network.directory.path], timeout: .seconds(360))
                try #require(output.status == 0, "demo --network failed\n\(output.summary)")
                let text = output.standardOutput
                for expected in [
                    "dr-alice → hospitala-peer", "dr-bob → hospitalb-peer", "researcher → pharmaco-peer", "auditor → regulator-peer",
                    "DENIED — no active consent grants HospitalBMSP/dr-bob", "hospitala-peer stopped",
                    "hospitalb-peer served its replica and released its own key copy", "hospitala-peer restarted and caught up",
                    "PERMITTED — break-glass", "2 de-identified FHIR R4 resources of 2 patients", "The story is complete.",
                ] {
                    #expect(text.contains(expected), "the story on the network should print \(expected)\n\(text)")
                }
                for patient in ["P-001", "P-002", "P-003"] {
                    #expect(!text.contains("\"Patient/\(patient)\""), "the export printed \(patient)")
                }
                #expect(network.process(network.organization("HospitalA").peer).runningPID() != nil, "the demo leaves HospitalA's peer running")

                // Every node serves metrics: the peers agree on ehr's height, the orderers took the broadcasts.
                let heights = try await eventually(timeout: .seconds(20)) {
                    var heights: [String: Double] = [:]
                    for organization in network.plan.organizations {
                        heights[organization.name] = try await Self.sample(
                            "medledger_block_height", ["channel": "ehr"], at: try #require(organization.peer.metricsPort))
                    }
                    guard Set(heights.values).count == 1 else { throw NodeProcessLag(node: "\(heights)") }
                    return heights
                }
                #expect((heights.values.first ?? 0) > 10, "\(heights)")
                var broadcasts = 0.0
                var ordered = 0.0
                for orderer in network.plan.organizations.compactMap(\.orderer) {
                    broadcasts += try await Self.sample(
                        "medledger_grpc_requests_total", ["method": "Broadcast", "code": "OK"], at: try #require(orderer.metricsPort))
                    ordered += try await Self.sample(
                        "medledger_orderer_broadcast_duration_seconds_count", ["channel": "ehr"], at: try #require(orderer.metricsPort))
                }
                #expect(broadcasts > 10, "the orderers counted \(broadcasts) broadcasts")
                #expect(ordered > 10, "the orderers' ordering-latency histogram counted \(ordered) transactions")

                _ = try await network.command(["down"])
                let tips = try await network.verifyEveryNode().values.compactMap { RunningNetwork.tip(of: "ehr", in: $0) }
                #expect(Set(tips).count == 1 && tips.count >= network.plan.organizations.count, "every node's ehr chain verifies to one tip: \(tips)")
            }
        }

        /// The sum of the samples of `name` with `labels` that the node's metrics endpoint on `port` reports.
        static func sample(_ name: String, _ labels: [String: String], at port: Int) async throws -> Double {
            try await PrometheusScrape.fetch(port: port).value(name, labels) ?? 0
        }

        @Test func thePythonExampleRunsWithEachIdentityAtItsOwnNode() async throws {
            let generated = try await PythonStubs.generate(
                ["common", "identity", "ca", "channel", "block", "deliver", "ledger", "gateway", "content", "content_service", "records"]
                    .map { "medledger/v1/\($0).proto" },
                protoRoot: Self.repositoryRoot.appendingPathComponent("proto"), extraModules: ["cryptography", "pyhpke"])
            defer { generated.remove() }
            let script = Self.repositoryRoot.appendingPathComponent("examples/python/ehr_example.py").path
            try await withNetwork { network in
                let output = try await runProcess(
                    [
                        "python3", script, "--network", NetworkPlan.file(in: network.directory).path,
                        "--identities", network.layout.identities.path, "--generated", generated.url.path,
                    ], timeout: .seconds(180))
                let report = try #require(
                    try? JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any],
                    "ehr_example.py printed no JSON object\n\(output.summary)")
                try #require(output.status == 0 && report["ok"] as? Bool == true, "ehr_example.py failed on the network\n\(output.summary)")
                let steps = try #require(report["steps"] as? [String: [String: Any]])
                #expect(steps["open_without_consent"]?["outcome"] as? String == "deny")
                #expect(steps["open_with_consent"]?["bytesMatched"] as? Bool == true)

                // What Python wrote at HospitalB about HospitalA's patient is kept by both custodians.
                let elsewhere = try #require(steps["add_record_at_other_hospital"])
                #expect(elsewhere["keyCopies"] as? [String] == ["author", "home", "patient"])
                let cid = try CID(try #require(elsewhere["cid"] as? String))
                for organization in ["HospitalA", "HospitalB"] {
                    #expect(try network.holdsKey(of: cid, at: organization) && network.holdsContent(cid, at: organization), "\(organization) keeps \(cid)")
                }
                #expect(try !network.holdsKey(of: cid, at: "PharmaCo") && !network.holdsContent(cid, at: "PharmaCo"))
                #expect(steps["patient_opens"]?["bytesMatched"] as? Bool == true)
            }
        }
    }
}
