import Foundation
import Synchronization
import Testing

/// Runs the built `distill` binary, as a user would, and captures its output and exit code.
enum CommandRunner {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary next to the test bundle (SwiftPM puts products in one folder), else .build/debug.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["DISTILL_BINARY"] { return URL(fileURLWithPath: path) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("distill")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return repositoryRoot.appendingPathComponent(".build/debug/distill")
    }()

    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
        /// Killed after the timeout.
        var timedOut = false
    }

    /// Runs `distill arguments...` in the repository root, with `environment` added to this process's;
    /// killed (SIGKILL) when still running after `timeout` seconds.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = repositoryRoot
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let killed = Mutex(false)
        if let timeout {
            let identifier = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                killed.withLock { stopped in
                    if process.isRunning { stopped = true; kill(identifier, SIGKILL) }
                }
            }
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self), timedOut: killed.withLock { $0 })
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("distill-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Compares `text` with the golden file `name`; re-records it when DISTILL_RECORD_GOLDEN=1.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = repositoryRoot.appendingPathComponent("Tests/CLITests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["DISTILL_RECORD_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(text == golden, "differs from Golden/\(name); re-record with DISTILL_RECORD_GOLDEN=1 swift test and review the diff:\n\(lineDiff(golden, text))",
                sourceLocation: sourceLocation)
    }

    /// The lines between the common head and tail of two texts: the golden's with "-", the output's with
    /// "+", at most 20 of each, under the line number where they start.
    static func lineDiff(_ golden: String, _ output: String) -> String {
        let old = golden.split(separator: "\n", omittingEmptySubsequences: false), new = output.split(separator: "\n", omittingEmptySubsequences: false)
        var head = 0
        while head < old.count, head < new.count, old[head] == new[head] { head += 1 }
        var tail = 0
        while tail < old.count - head, tail < new.count - head, old[old.count - 1 - tail] == new[new.count - 1 - tail] { tail += 1 }
        let removed = old[head..<(old.count - tail)], added = new[head..<(new.count - tail)]
        var lines = ["@@ line \(head + 1): \(removed.count) golden line\(removed.count == 1 ? "" : "s") -> \(added.count) output line\(added.count == 1 ? "" : "s")"]
        lines += removed.prefix(20).map { "-" + $0 } + (removed.count > 20 ? ["- ... \(removed.count - 20) more"] : [])
        lines += added.prefix(20).map { "+" + $0 } + (added.count > 20 ? ["+ ... \(added.count - 20) more"] : [])
        return lines.joined(separator: "\n")
    }
}
