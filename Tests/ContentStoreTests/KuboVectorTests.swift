import ContentStore
import Foundation
import MedLedgerTesting
import Testing

/// CIDs published in Kubo's own tests (test/sharness/t0040-add-and-cat.sh) for known inputs.
@Suite("Kubo's published ipfs add results")
struct KuboVectorTests {
    static let v0 = try! ImportOptions()
    static let v0Raw = try! ImportOptions(rawLeaves: true)
    static let v1 = try! ImportOptions(cidVersion: 1)
    static let v1NoRaw = try! ImportOptions(cidVersion: 1, rawLeaves: false)

    @Test(arguments: [
        ("", "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"),
        ("hello world\n", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"),
        ("Hello Worlds!\n", "QmVr26fY1tKyspEJBniVhqxQeEjhF78XerGiqWAwraVLQH"),
        ("Helloo Worlds!\n", "Qmf35k66MZNW2GijohUmXQEWKZU4cCGTCwK6idfnt152wJ"),
        ("Hello Venus!\n", "QmU5kp3BH3B8tnWUU2Pikdb2maksBNkb92FHRr56hyghh4"),
        ("Hello Jupiter!\n", "QmUnvPcBctVTAcJpigv6KMqDvmDewksPWrNVoy1E1WP5fh"),
        ("Hello Neptune!\nHello Pluton!", "QmZDhWpi8NvKrekaYYhxKCdNVGWsFFe1CREnAjP1QbPaB3"),
        ("IPFS\n", "QmdFyxZXsFiP4csgfM5uPu99AvFiKH62CSPDw5TP92nr7w"),
    ])
    func singleChunkFilesCIDv0(text: String, expected: String) throws {
        #expect(try importBytes(Data(text.utf8), options: Self.v0).cid.description == expected)
    }

    @Test func rawLeavesAndCIDv1SingleChunk() throws {
        #expect(try importBytes(Data(), options: Self.v0Raw).cid.description == "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
        #expect(try importBytes(Data("Hello Mars!\n".utf8), options: Self.v1).cid.description == "bafkreibmlvvgdyihetgocpof6xk64kjjzdeq2e4c7hqs3krdheosk4tgj4")
        #expect(try importBytes(Data("Hello Mars!\n".utf8), options: Self.v1NoRaw).cid.description == "bafybeiawta2ntdmsy24aro35w3homzl4ak7svr3si7l7gesvq4erglyye4")
        #expect(try importBytes(Data("Hello Venus!\n".utf8), options: Self.v1NoRaw).cid.description == "bafybeicvkvhs2fr75ynebtdjqpgm4g2fc63abqbmysupwpmcjl4gx7mzrm")
        // `--cid-base=base32` prints the CIDv0 DAG's root in its v1 form.
        let base32Test = try importBytes(Data("base32 test\n".utf8), options: Self.v0).cid
        #expect(base32Test.v1.description == "bafybeibyosqxljd2eptb4ebbtvk7pb4aoxzqa6ttdsflty6rsslz5y6i34")
    }

    @Test func chunkerSizeDoesNotChangeASingleChunkFile() throws {
        for spec in ["size-32", "size-64"] {
            let options = try ImportOptions(chunker: Chunker(spec: spec))
            #expect(try importBytes(Data("Hello Worlds!\n".utf8), options: options).cid.description == "QmVr26fY1tKyspEJBniVhqxQeEjhF78XerGiqWAwraVLQH")
        }
    }

    @Test(arguments: [
        (KuboVectorTests.v0, "QmWSgS32xQEcXMeqd3YPJLrNBLSdsfYCep2U7CFkyrjXwY"),
        (KuboVectorTests.v0Raw, "QmfWfQfKCY5Ukv9peBbxM5vqWM9BzmqUSXvdCgjT2wsiBT"),
        (KuboVectorTests.v1, "bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi"),
        (KuboVectorTests.v1NoRaw, "bafybeif5tuep5ap2d7zyhbktucey75aoacxufgt6i3v4gebmixyipnyp7y"),
    ])
    func planetsDirectory(options: ImportOptions, expected: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("planets/mars.txt", Data("Hello Mars!\n".utf8))
        _ = try directory.write("planets/venus.txt", Data("Hello Venus!\n".utf8))
        let result = try PathImporter(options: options, sink: DiscardingSink()).importPath(directory.url.appendingPathComponent("planets"))
        #expect(result.cid.description == expected)
    }

    /// From the IPFS primer ("wrap directories around content"): `ipfs add -w mytextfile.txt`.
    @Test func wrappedSingleFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("wrap/mytextfile.txt", Data("version 1 of my text\n".utf8))
        let importer = PathImporter(options: Self.v0, sink: DiscardingSink())
        #expect(try importer.importPath(file).cid.description == "QmZtmD2qt6fJot32nabSP3CUjicnypEBz7bHVDhPQt9aAy")
        #expect(try importer.importPath(file.deletingLastPathComponent()).cid.description == "QmPvaEQFVvuiaYzkSVUp23iHTQeEUpDaJnP8U7C3PqE57w")
    }

    @Test func nestedDirectories() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("moons/jupiter/europa.txt", Data("Hello Europa!\n".utf8))
        _ = try directory.write("moons/saturn/titan.txt", Data("Hello Titan!\n".utf8))
        _ = try directory.write("moons/mercury.txt", Data("hey youre no moon!\n".utf8))
        _ = try directory.write("current/hey", Data("Hey\n".utf8))
        _ = try directory.write("current/hello/world", Data("World\n".utf8))
        _ = try directory.write("current/.hidden", Data("skipped as Kubo skips it\n".utf8))
        let importer = PathImporter(options: Self.v0, sink: DiscardingSink())
        #expect(try importer.importPath(directory.url.appendingPathComponent("moons")).cid.description == "QmVKvomp91nMih5j6hYBA8KjbiaYvEetU2Q7KvtZkLe9nQ")
        #expect(try importer.importPath(directory.url.appendingPathComponent("moons/jupiter")).cid.description == "QmS5mZddhFPLWFX3w6FzAy9QxyYkaxvUpsWCtZ3r7jub9J")
        #expect(try importer.importPath(directory.url.appendingPathComponent("current")).cid.description == "QmZQWnfcqJ6hNkkPvrY9Q5X39GP3jUnUbAV4AbmbbR3Cb1")
    }
}
