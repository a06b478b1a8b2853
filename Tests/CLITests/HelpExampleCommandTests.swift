import Foundation
import Testing

/// Every subcommand's help shows an example, and the example runs as written (in a scratch folder that
/// holds the samples), writing the files it names. `--version` names the commit the binary was built from.
struct HelpExampleCommandTests {
    static let subcommands = ["extract", "certify", "predict", "emit", "sensitivity", "explain", "neurons", "prune", "compare", "inspect"]

    /// The commands of a help text's example ("Example: distill ..." or "Example (after distill ...): distill ..."),
    /// in the order they run; the help's wrapped lines joined again.
    static func examples(_ help: String) -> [[String]] {
        let text = help.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        guard let start = text.range(of: "Example") else { return [] }
        var rest = String(text[start.upperBound...])
        var commands: [String] = []
        if rest.hasPrefix(" (after "), let close = rest.range(of: "): ") {
            commands.append(String(rest[rest.index(rest.startIndex, offsetBy: 8)..<close.lowerBound]))
            rest = String(rest[close.upperBound...])
        } else if rest.hasPrefix(": ") {
            rest.removeFirst(2)
        }
        commands.append(rest.components(separatedBy: " USAGE:").first ?? rest)
        return commands.map { $0.split(separator: " ").map(String.init) }
    }

    @Test(arguments: subcommands)
    func theHelpsExampleRuns(_ subcommand: String) throws {
        let help = try CommandRunner.run([subcommand, "--help"])
        #expect(help.status == 0)
        let commands = Self.examples(help.standardOutput)
        #expect(!commands.isEmpty && commands.allSatisfy { $0.first == "distill" }, "\(help.standardOutput)")
        let directory = try CommandRunner.temporaryDirectory()
        try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("samples"),
                                                   withDestinationURL: CommandRunner.repositoryRoot.appendingPathComponent("samples"))
        for command in commands {
            let process = Process()
            process.executableURL = CommandRunner.executable
            process.arguments = Array(command.dropFirst())
            process.currentDirectoryURL = directory
            process.standardOutput = FileHandle.nullDevice
            let error = Pipe()
            process.standardError = error
            try process.run()
            let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(command.joined(separator: " ")): \(message)")
            // Every file the command names after an output flag exists afterwards.
            for (flag, value) in zip(command, command.dropFirst())
                where ["-o", "--json", "--csv", "--plot", "--swift", "--c", "--save-surrogate"].contains(flag) {
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(value).path), "\(flag) \(value)")
            }
        }
    }

    @Test func versionNamesTheCommit() throws {
        let result = try CommandRunner.run(["--version"])
        #expect(result.status == 0)
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["-C", CommandRunner.repositoryRoot.path, "rev-parse", "--short=12", "HEAD"]
        let output = Pipe()
        git.standardOutput = output
        try git.run()
        let commit = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        git.waitUntilExit()
        // The binary was built from this checkout: its commit, marked when sources had changes since.
        #expect(result.standardOutput.hasPrefix("0.1.0 (commit \(commit)"), "\(result.standardOutput)")
        #expect(result.standardOutput.hasSuffix(")\n"))
    }
}
