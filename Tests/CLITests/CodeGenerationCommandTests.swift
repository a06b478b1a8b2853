import Foundation
import Testing

@Suite(.serialized)
struct CodeGenerationCommandTests {
    let iris = ["samples/iris/model.json", "--data", "samples/iris/train.csv", "--test", "samples/iris/test.csv", "--label", "species"]

    @Test func irisSwiftAndCMatchTheGoldenFiles() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let swift = directory.appendingPathComponent("IrisSurrogate.swift"), header = directory.appendingPathComponent("iris.h")
        let result = try CommandRunner.run(iris + ["-o", directory.appendingPathComponent("rules.txt").path,
                                                   "--swift", swift.path, "--c", header.path])
        #expect(result.status == 0, "\(result.standardError)")
        try CommandRunner.expectGolden(try String(contentsOf: swift, encoding: .utf8), "IrisMlpSurrogate.swift.txt")
        try CommandRunner.expectGolden(try String(contentsOf: header, encoding: .utf8), "iris_mlp_surrogate.h.txt")
    }

    @Test func emitFromASavedSurrogateGivesTheSameCode() throws {
        let directory = try CommandRunner.temporaryDirectory()
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let extract = try CommandRunner.run(["samples/penguins/model.json", "--data", "samples/penguins/train.csv", "--max-depth", "5",
                                             "-o", path("rules.txt"), "--save-surrogate", path("s.json"),
                                             "--swift", path("direct.swift"), "--c", path("direct.h"),
                                             "--type-name", "Penguins", "--layout", "table"])
        #expect(extract.status == 0, "\(extract.standardError)")
        let emit = try CommandRunner.run(["emit", path("s.json"), "--swift", path("emitted.swift"), "--c", path("emitted.h"),
                                          "--type-name", "Penguins", "--layout", "table"])
        #expect(emit.status == 0, "\(emit.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("direct.swift"))) == (try Data(contentsOf: URL(fileURLWithPath: path("emitted.swift")))))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("direct.h"))) == (try Data(contentsOf: URL(fileURLWithPath: path("emitted.h")))))
    }

    @Test func typeNameContract() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let swift = directory.appendingPathComponent("Out.swift")
        let result = try CommandRunner.run(["samples/breast_cancer/model.json", "--data", "samples/breast_cancer/train.csv",
                                            "--swift", swift.path, "--type-name", "Tumour"])
        #expect(result.status == 0, "\(result.standardError)")
        let text = try String(contentsOf: swift, encoding: .utf8)
        #expect(text.contains("public struct Tumour: Sendable {"))
        #expect(text.contains("public enum Class: String, CaseIterable, Sendable {\n        case malignant = \"malignant\"\n        case benign = \"benign\""))
        #expect(text.contains("public static func predict(features: [Double]) -> Class {"))
        let regression = try CommandRunner.run(["samples/diabetes/model.json", "--data", "samples/diabetes/train.csv",
                                                "--swift", swift.path, "--type-name", "Progression"])
        #expect(regression.status == 0)
        #expect(try String(contentsOf: swift, encoding: .utf8).contains("public static func predict(features: [Double]) -> Double {"))
    }

    @Test func badTypeNameAndEmptyEmitAreRejected() throws {
        let bad = try CommandRunner.run(iris + ["--swift", "/tmp/x.swift", "--type-name", "class"])
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("--type-name 'class' is not a usable Swift type name"))
        let empty = try CommandRunner.run(["emit", "whatever.json"])
        #expect(empty.status != 0)
        #expect(empty.standardError.contains("nothing to emit"))
        let notSurrogate = try CommandRunner.run(["emit", "samples/iris/model.json", "--swift", "/tmp/never.swift"])
        #expect(notSurrogate.status == 65)
        #expect(notSurrogate.standardError.contains("samples/iris/model.json: format: expected \"distill-surrogate\""))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.swift"))
    }

    /// Builds the generated package with SwiftPM and runs its own tests (held-out rows computed by distill):
    /// an iris tree, and a diabetes tree sum with a linear start (regression: the expected outputs are its
    /// start plus its trees).
    @Test(arguments: [false, true])
    func generatedSwiftPackageBuildsAndPassesItsTests(sum: Bool) throws {
        let directory = try CommandRunner.temporaryDirectory()
        let package = directory.appendingPathComponent(sum ? "DiabetesPackage" : "IrisPackage")
        let source = sum ? ["samples/diabetes/model.json", "--data", "samples/diabetes/train.csv", "--test", "samples/diabetes/test.csv",
                            "--surrogate", "tree-sum", "--leaf-model", "linear", "--max-leaves", "12"] : iris
        let result = try CommandRunner.run(source + ["-o", directory.appendingPathComponent("rules.txt").path, "--swift-package", package.path])
        #expect(result.status == 0, "\(result.standardError)")
        let test = Process()
        test.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        test.arguments = ["swift", "test", "--package-path", package.path]
        let output = Pipe()
        test.standardOutput = output
        test.standardError = output
        try test.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        test.waitUntilExit()
        #expect(test.terminationStatus == 0, "\(text.suffix(3000))")
        #expect(text.contains("Test answersMatchDistill() passed"))
    }
}
