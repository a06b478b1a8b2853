import Foundation
import Testing

/// Careless and hostile input, as a user gives it: each is refused with a diagnostic and the exit status
/// of its kind (sysexits), never a crash, a hang or a lost file.
@Suite(.serialized)
struct ReliabilityCommandTests {
    let iris = ["samples/iris/model.json", "--data", "samples/iris/train.csv"]

    func expect(_ arguments: [String], status: Int32, saying fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == status, "\(arguments): \(result.standardError)", sourceLocation: sourceLocation)
        #expect(result.standardError.contains(fragment), "\(arguments): \(result.standardError)", sourceLocation: sourceLocation)
        #expect(!result.standardError.contains("Fatal error") && !result.standardError.contains("Backtrace"), sourceLocation: sourceLocation)
    }

    /// A copy of the repository file `path` in a fresh folder, with the first match of `pattern` replaced.
    func rewritten(_ path: String, replacing pattern: String, with replacement: String, named name: String = "model.json") throws -> URL {
        let text = try String(contentsOfFile: CommandRunner.repositoryRoot.appendingPathComponent(path).path, encoding: .utf8)
        let range = try #require(text.range(of: pattern, options: .regularExpression))
        let url = try CommandRunner.temporaryDirectory().appendingPathComponent(name)
        try text.replacingCharacters(in: range, with: replacement).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// samples/iris/train.csv with the first cell of data row `row` (1-based) replaced by `cell`.
    func irisRows(replacingFirstCellOfRow row: Int, with cell: String) throws -> URL {
        var lines = try String(contentsOfFile: CommandRunner.repositoryRoot.appendingPathComponent("samples/iris/train.csv").path, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var cells = lines[row].split(separator: ",").map(String.init)
        cells[0] = cell
        lines[row] = cells.joined(separator: ",")
        let url = try CommandRunner.temporaryDirectory().appendingPathComponent("rows.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func inputsThatAreNotRegularFilesAreRefusedAtOnce() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let fifo = directory.appendingPathComponent("model.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // A FIFO without a writer would block the open for ever; it is refused before it is opened.
        try expect([fifo], status: 66, saying: "\(fifo): is a pipe (FIFO), expected a regular file")
        try expect(["/dev/zero"], status: 66, saying: "/dev/zero: is a device, expected a regular file")
        try expect([directory.path], status: 66, saying: "is a directory, expected a file")
        try expect(["samples/iris/missing.json"], status: 66, saying: "samples/iris/missing.json: no such file")
        try expect(["samples/iris/model.json", "--data", fifo], status: 66, saying: "is a pipe (FIFO)")
    }

    @Test func countFlagsBeyondMemoryNameTheFlag() throws {
        try expect(["samples/iris/model.json", "--samples", "9223372036854775807"], status: 64,
                   saying: "--samples 9223372036854775807 would need more memory than any machine has")
        try expect(["samples/iris/model.json", "--samples", "100000000000"], status: 64, saying: "; lower --samples")
        try expect(["sensitivity", "samples/iris/model.json", "--method", "sobol", "--sobol-samples", "9223372036854775807"],
                   status: 64, saying: "--sobol-samples 9223372036854775807 would need")
        try expect(["sensitivity", "samples/iris/model.json", "--method", "morris", "--morris-trajectories", "9223372036854775807"],
                   status: 64, saying: "--morris-trajectories 9223372036854775807 would need")
        try expect(["sensitivity", "samples/iris/model.json", "--method", "ig", "--steps", "4611686018427387904"],
                   status: 64, saying: "--steps 4611686018427387904 would need")
    }

    @Test func numericFlagsRejectWhatTheyCannotMean() throws {
        try expect(iris + ["--prune", "--max-fidelity-loss", "nan"], status: 64, saying: "--max-fidelity-loss expects points from 0 up to 100")
        try expect(iris + ["--prune", "--max-fidelity-loss", "500"], status: 64, saying: "--max-fidelity-loss expects points")
        try expect(iris + ["--min-importance", "2"], status: 64, saying: "--min-importance is a share of decisions changed, from 0 to 1")
        try expect(iris + ["--test-fraction", "nan"], status: 64, saying: "--test-fraction must be between 0 and 1")
        try expect(["prune", "samples/iris/model.json", "-o", "/tmp/never.json", "--max-fidelity-loss", "inf"], status: 64,
                   saying: "--max-fidelity-loss expects points such as 0.5 or 0.5%, found 'inf'")
        try expect(["prune", "samples/iris/model.json", "-o", "/tmp/never.json", "--max-fidelity-loss", "nan"], status: 64,
                   saying: "--max-fidelity-loss expects points")
    }

    @Test func filesReadWholeAreBoundByMaxInputSize() throws {
        // iris/model.json is 3,828 bytes; the saved surrogate more than 4 KB.
        try expect(["inspect", "samples/iris/model.json", "--max-input-size", "3K"], status: 64,
                   saying: "samples/iris/model.json: is 3.7 KB, more than --max-input-size 3.0 KB; raise --max-input-size to read it")
        try expect(["emit", "Tests/Fuzz/corpus/surrogate/iris-tree.json", "--c", "/tmp/never.h", "--max-input-size", "1k"], status: 64,
                   saying: "more than --max-input-size 1.0 KB")
        try expect(["inspect", "samples/iris/model.json", "--max-input-size", "lots"], status: 64,
                   saying: "--max-input-size must be a size such as 8G, 500M or 1048576, found 'lots'")
        try expect(["inspect", "samples/iris/model.json", "--max-input-size", "0"], status: 64, saying: "--max-input-size must be a size")
        #expect(try CommandRunner.run(["inspect", "samples/iris/model.json", "--max-input-size", "3828"]).status == 0)
        // Data read straight into values is bound by its values, not by the file's size.
        let data = try CommandRunner.run(["samples/iris/model.json", "--data", "samples/iris/train.csv", "--max-input-size", "3.75K",
                                          "--max-depth", "2"])
        #expect(data.status == 0, "\(data.standardError)")
    }

    @Test func dataBeyondMemoryIsRefusedBeforeItsValuesAreAllocated() throws {
        // 112 rows of 4 inputs: 112 x 4 x 8 = 3584 bytes; with the label 112 x 5 x 8 = 4480.
        for (arguments, bytes, numbers, shown) in [
            (["predict", "samples/iris/model.json", "--data", "samples/iris/train.csv"], 3584, 4, "3.5 KB"),
            (iris + ["--label", "species", "--stream", "never"], 4480, 5, "4.4 KB"),
        ] {
            let refused = try CommandRunner.run(arguments, environment: ["DISTILL_TEST_MEMORY_BYTES": "\(bytes - 1)"])
            #expect(refused.status == 64, "\(refused.standardError)")
            #expect(refused.standardError.contains("samples/iris/train.csv: its 112 rows of \(numbers) numbers would take \(shown) in memory, more than half of this machine's"),
                    "\(refused.standardError)")
            #expect(try CommandRunner.run(arguments, environment: ["DISTILL_TEST_MEMORY_BYTES": "\(bytes)"]).status == 0)
        }
    }

    @Test func messagesSayWhatIsWrong() throws {
        // A negative number is the flag's value, not an unknown flag.
        try expect(iris + ["--max-depth", "-1"], status: 64, saying: "--max-depth must be 0 or more, found -1")
        try expect(["sensitivity", "samples/iris/model.json", "--steps", "-3"], status: 64, saying: "--steps must be 1 or more")
        // A very long cell is quoted by its start and its length.
        let csv = try irisRows(replacingFirstCellOfRow: 1, with: String(repeating: "7", count: 9_990) + "x")
        let long = try CommandRunner.run(["samples/iris/model.json", "--data", csv.path])
        #expect(long.status == 65)
        #expect(long.standardError.contains("...' (9991 characters) is not a finite number"))
        #expect(long.standardError.count < 400)
        // Whole rows move the held-out share: the listing says so.
        let few = try CommandRunner.run(["samples/iris/model.json", "--samples", "2", "--test-fraction", "0.01"])
        #expect(few.status == 0, "\(few.standardError)")
        #expect(few.standardOutput.contains("# held out: the other 1 rows (--test-fraction 0.01 = 1%, which leaves 1 of 2 rows = 50% in whole rows, seed 1)"))
    }

    @Test func aHugeDeclaredShapeIsRefusedBeforeAllocation() throws {
        let packed = "Tests/DistillTests/Fixtures/layers/packed32.json", shape = #""shape": \[[0-9, ]+\]"#
        let overflowing = try rewritten(packed, replacing: shape, with: #""shape": [3037000500, 3037000500]"#)
        try expect([overflowing.path], status: 65, saying: "declares more values than any file can hold")
        let tooLong = try rewritten(packed, replacing: shape, with: #""shape": [100000, 100000]"#)
        try expect([tooLong.path], status: 65, saying: "but the base64 text is only")
    }

    @Test func weightsThatOverflowStopAtTheLayer() throws {
        // The first unit's weights in the first dense layer become 1e308: their sum overflows.
        let model = try rewritten("samples/iris/model.json", replacing: #""weights": \[\s*\[[^\]]*\]"#,
                                  with: #""weights": [[1e308, 1e308, 1e308, 1e308]"#)
        let directory = model.deletingLastPathComponent()
        try expect([model.path, "--data", "samples/iris/train.csv"], status: 65, saying: "its values stop being finite at layers[")
        try expect(["predict", model.path, "--data", "samples/iris/train.csv"], status: 65, saying: "its values stop being finite")
        try expect(["sensitivity", model.path, "--method", "gradient"], status: 65, saying: "its weights may be too large")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("rules.txt").path))
    }

    @Test func drawnPointsWhoseAnswersOverflowStopTheRun() throws {
        // 1e306 (x + y) * 100 overflows beyond x + y = 1.797. The rows lie on x + y = 1; points drawn from
        // the inputs' marginals reach x + y near 2.
        let directory = try CommandRunner.temporaryDirectory()
        let model = directory.appendingPathComponent("edge.json"), data = directory.appendingPathComponent("rows.csv")
        try #"""
        {"format": "distill-model", "version": 1, "task": "classification",
         "inputs": [{"name": "x", "type": "continuous"}, {"name": "y", "type": "continuous"}], "outputs": ["low", "high"],
         "layers": [{"type": "dense", "weights": [[1e306, 1e306]], "bias": [0], "activation": "identity"},
                    {"type": "dense", "weights": [[100], [-100]], "bias": [0, 0], "activation": "softmax"}]}
        """#.write(to: model, atomically: true, encoding: .utf8)
        try ("x,y\n" + (0...100).map { "\(Double($0) / 100),\(1 - Double($0) / 100)" }.joined(separator: "\n") + "\n")
            .write(to: data, atomically: true, encoding: .utf8)
        #expect(try CommandRunner.run(["predict", model.path, "--data", data.path]).status == 0)
        try expect([model.path, "--data", data.path, "--oracle-sampler", "marginals"], status: 65,
                   saying: "is NaN: its values stop being finite at layers[1]")
        try expect([model.path, "--data", data.path, "--oracle-sampler", "marginals"], status: 65,
                   saying: "the network's output for drawn point ")
    }

    @Test func aHexadecimalCellIsNotANumber() throws {
        let csv = try irisRows(replacingFirstCellOfRow: 3, with: "0x1p2")
        try expect(["samples/iris/model.json", "--data", csv.path], status: 65, saying: "row 3 (line 4), column 1 'sepal length (cm)': '0x1p2' is not a finite number")
    }

    @Test func failedOutputsChangeNothing() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let rules = directory.appendingPathComponent("rules.txt")
        try "earlier rules\n".write(to: rules, atomically: true, encoding: .utf8)
        let folder = directory.appendingPathComponent("a-folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The JSON output names a folder: refused before anything is written, the old rules kept.
        try expect(iris + ["-o", rules.path, "--json", folder.path], status: 73, saying: "is a directory; expected the path of an output file")
        #expect(try String(contentsOf: rules, encoding: .utf8) == "earlier rules\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["a-folder", "rules.txt"])
        // A full device: an I/O error, not a crash.
        try expect(iris + ["-o", "/dev/full"], status: 74, saying: "/dev/full: cannot write: No space left on device")
        try expect(iris + ["--json", "/dev/full", "-o", rules.path], status: 74, saying: "No space left on device")
        #expect(try String(contentsOf: rules, encoding: .utf8) == "earlier rules\n")
    }

    /// Real runs killed at several moments (loading, fitting, measuring, writing): whatever the moment, no
    /// temporary file is left, and each output is either what was there before or complete.
    @Test(arguments: [0.05, 0.3, 0.8, 1.5, 2.5])
    func aRunKilledAtAnyMomentLeavesOldOrCompleteOutputs(after seconds: Double) throws {
        let directory = try CommandRunner.temporaryDirectory()
        let rules = directory.appendingPathComponent("rules.txt"), json = directory.appendingPathComponent("result.json")
        let header = directory.appendingPathComponent("surrogate.h")
        try "earlier rules\n".write(to: rules, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = iris + ["--label", "species", "--oracle-points", "400000", "--surrogate", "best",
                                    "-o", rules.path, "--json", json.path, "--c", header.path]
        process.currentDirectoryURL = CommandRunner.repositoryRoot
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32(seconds * 1_000_000))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!left.contains { $0.contains(".distill-") }, "temporary files left after \(seconds) s: \(left)")
        let listing = try String(contentsOf: rules, encoding: .utf8)
        #expect(listing == "earlier rules\n" || (listing.hasPrefix("# rules for iris-mlp") && listing.hasSuffix("\n")))
        if FileManager.default.fileExists(atPath: json.path) {
            #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: json))) != nil, "a partial result.json")
            #expect(listing != "earlier rules\n", "the JSON was replaced but not the listing")
        }
        if listing != "earlier rules\n" { #expect(FileManager.default.fileExists(atPath: header.path)) }
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func anInterruptedRunLeavesNoTemporaryFileAndKeepsTheOldOutputs(signal: Int32) throws {
        let directory = try CommandRunner.temporaryDirectory()
        let rules = directory.appendingPathComponent("rules.txt"), json = directory.appendingPathComponent("result.json")
        try "earlier rules\n".write(to: rules, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = iris + ["-o", rules.path, "--json", json.path]
        process.currentDirectoryURL = CommandRunner.repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(["DISTILL_PAUSE_BEFORE_RENAME": "20000"]) { $1 }
        try process.run()
        // Killed once both temporary files are written, before they are renamed.
        let temporaries = ["rules.txt", "result.json"].map { directory.appendingPathComponent(".\($0).distill-\(process.processIdentifier).tmp").path }
        for _ in 0..<600 where !temporaries.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { usleep(50_000) }
        #expect(temporaries.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        #expect(!temporaries.contains { FileManager.default.fileExists(atPath: $0) })
        #expect(!FileManager.default.fileExists(atPath: json.path))
        #expect(try String(contentsOf: rules, encoding: .utf8) == "earlier rules\n")
    }

    @Test func standardOutputOnAFullDeviceIsAnIOError() throws {
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = iris
        process.currentDirectoryURL = CommandRunner.repositoryRoot
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let error = Pipe()
        process.standardError = error
        try process.run()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 74)
        #expect(message.contains("standard output: cannot write: No space left on device"))
    }
}
