import Foundation
import Testing

/// Progress on standard error: a bar on a terminal (the binary run under `script`, which gives it a
/// pseudo-terminal), nothing off one unless `--progress` asks for plain lines, nothing with `--quiet`;
/// the outputs the same in every case.
struct ProgressCommandTests {
    static let sensitivity = ["sensitivity", "samples/breast_cancer/model.json", "--data", "samples/breast_cancer/train.csv",
                              "--method", "ig", "permutation"]

    /// Runs the binary under `script` (util-linux, essential on Debian): standard output and error both go
    /// to the pseudo-terminal, whose bytes come back.
    static func onTerminal(_ arguments: [String]) throws -> (status: Int32, terminal: String) {
        let quoted = ([CommandRunner.executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfec", quoted.joined(separator: " "), "/dev/null"]
        process.currentDirectoryURL = CommandRunner.repositoryRoot
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func aTerminalGetsABarPerStageAndTheResultIsTheSame() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let drawn = directory.appendingPathComponent("drawn.txt").path, plain = directory.appendingPathComponent("plain.txt").path
        let run = try Self.onTerminal(Self.sensitivity + ["-o", drawn])
        try FileManager.default.moveItem(atPath: drawn, toPath: plain)
        #expect(run.status == 0, "\(run.terminal)")
        // A stage's line is redrawn in place (carriage return, erase line) and ends with its total and time.
        #expect(run.terminal.contains("\r\u{1B}[2Kintegrated gradients ["), "\(run.terminal)")
        #expect(run.terminal.contains("] 100% 426/426 rows in "), "\(run.terminal)")
        #expect(run.terminal.contains("\r\u{1B}[2Kpermutation importance [") && run.terminal.contains("150/150 shuffles in "))
        let quiet = try Self.onTerminal(Self.sensitivity + ["-o", drawn, "--quiet"])
        #expect(quiet.status == 0 && quiet.terminal.isEmpty, "\(quiet.terminal)")
        // The command line in the report leaves out --quiet, as it leaves out the progress it silences.
        #expect(try String(contentsOfFile: drawn, encoding: .utf8) == String(contentsOfFile: plain, encoding: .utf8))
        // Extraction draws its stages too, and its listing does not name the progress flags.
        let extract = try Self.onTerminal(["samples/iris/model.json", "--data", "samples/iris/train.csv", "--progress",
                                           "-o", directory.appendingPathComponent("rules.txt").path])
        #expect(extract.status == 0)
        #expect(extract.terminal.contains("drawing and labelling up to 120000 points [") && extract.terminal.contains("fitting the tree surrogate ["),
                "\(extract.terminal)")
        let listing = try String(contentsOfFile: directory.appendingPathComponent("rules.txt").path, encoding: .utf8)
        #expect(listing.contains("# command: distill samples/iris/model.json --data samples/iris/train.csv\n"), "\(listing)")
    }

    @Test func offATerminalNothingUnlessAsked() throws {
        let silent = try CommandRunner.run(Self.sensitivity)
        #expect(silent.status == 0 && silent.standardError.isEmpty, "\(silent.standardError)")
        let extract = try CommandRunner.run(["samples/iris/model.json", "--data", "samples/iris/train.csv"])
        #expect(extract.status == 0 && extract.standardError.isEmpty, "\(extract.standardError)")
        let lines = try CommandRunner.run(Self.sensitivity + ["--progress"])
        #expect(lines.status == 0 && lines.standardOutput == silent.standardOutput)
        let printed = lines.standardError.split(separator: "\n").map(String.init)
        #expect(printed.first == "distill: integrated gradients: 0% 0/426 rows, 0.0 s", "\(printed)")
        #expect(printed.contains { $0.hasPrefix("distill: integrated gradients: 100% 426/426 rows in ") })
        #expect(printed.last?.hasPrefix("distill: permutation importance: 100% 150/150 shuffles in ") == true)
        #expect(!lines.standardError.contains("\r") && !lines.standardError.contains("\u{1B}"))
        let quiet = try CommandRunner.run(Self.sensitivity + ["--progress", "--quiet"])
        #expect(quiet.status == 0 && quiet.standardError.isEmpty)
    }

    /// A sweep reports as its own stages: its runs, on whichever thread, start none of theirs.
    @Test func compareReportsItsSweepOnly() throws {
        let run = try CommandRunner.run(["compare", "samples/iris/model.json", "--data", "samples/iris/train.csv", "--quick", "--progress"])
        #expect(run.status == 0, "\(run.standardError)")
        let printed = run.standardError.split(separator: "\n").map(String.init)
        #expect(printed.contains { $0.hasPrefix("distill: compare: fitting surrogates: 100% 23/23 runs in ") }, "\(printed)")
        #expect(printed.contains { $0.hasPrefix("distill: compare: pruning the network: 100% 1/1 budgets in ") }, "\(printed)")
        #expect(printed.allSatisfy { $0.hasPrefix("distill: compare: ") }, "\(printed)")
    }
}
