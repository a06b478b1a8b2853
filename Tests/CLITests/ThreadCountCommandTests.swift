import Foundation
import Testing

/// Every output is byte-identical with one thread and with several (`--threads`, `DISTILL_THREADS`).
struct ThreadCountCommandTests {
    /// Runs `arguments` writing every output under `directory` (emptied first; the same path for every
    /// run, since a listing may quote its command); returns the outputs' bytes by name.
    static func outputs(_ arguments: (String) -> [String], environment: [String: String] = [:], in directory: URL) throws -> [String: Data] {
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let result = try CommandRunner.run(arguments(directory.path), environment: environment)
        #expect(result.status == 0, "\(result.standardError)")
        var files: [String: Data] = ["stdout": Data(result.standardOutput.utf8)]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }

    /// A histogram-searched tree on 12,000 domain draws and an oracle tree (the network labels points at
    /// every node), each with 1 thread, 2 threads and DISTILL_THREADS=3.
    @Test(arguments: [["--samples", "12000", "--max-depth", "6", "--split-search", "histogram"],
                      ["--surrogate", "oracle-tree", "--max-leaves", "6", "--min-oracle-samples", "400"]])
    func extractionIgnoresTheThreadCount(settings: [String]) throws {
        let command = { (threads: [String]) in { (directory: String) in
            ["samples/breast_cancer/model.json"] + settings + threads
                + ["-o", "\(directory)/rules.txt", "--json", "\(directory)/result.json", "--c", "\(directory)/s.h"]
        } }
        let directory = try CommandRunner.temporaryDirectory()
        let one = try Self.outputs(command(["--threads", "1"]), in: directory)
        #expect(one.count == 4)
        #expect(try Self.outputs(command(["--threads", "2"]), in: directory) == one)
        #expect(try Self.outputs(command([]), environment: ["DISTILL_THREADS": "3"], in: directory) == one)
    }

    @Test func sensitivityIgnoresTheThreadCount() throws {
        let command = { (threads: [String]) in { (directory: String) in
            ["sensitivity", "samples/penguins/model.json", "--data", "samples/penguins/train.csv", "--method", "sobol",
             "--method", "gradient", "--sobol-samples", "256", "--json", "\(directory)/s.json", "-o", "\(directory)/s.txt"] + threads
        } }
        let directory = try CommandRunner.temporaryDirectory()
        let one = try Self.outputs(command(["--threads", "1"]), in: directory)
        #expect(try Self.outputs(command(["--threads", "2"]), in: directory) == one)
    }

    @Test func aThreadCountBelowOneIsRefused() throws {
        let result = try CommandRunner.run(["samples/iris/model.json", "--threads", "0"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--threads must be 1 or more, found 0"))
    }
}
