import Foundation
import Testing

/// `distill inspect` against the model files read independently (Foundation's JSON parser): the inputs,
/// each layer's type, widths and parameter count, the total and the outputs.
struct InspectCommandTests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: ["samples/iris/model.json", "samples/penguins/model.json", "samples/breast_cancer/model.json",
                      "samples/diabetes/model.json", "samples/checkerboard/model.json",
                      "Tests/DistillTests/Fixtures/layers/all_layers.json"])
    func theSummaryIsWhatTheFileHolds(path: String) throws {
        let result = try CommandRunner.run(["inspect", path, "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let summary = try Self.object(result.standardOutput)
        let model = try Self.object(try String(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent(path), encoding: .utf8))

        let inputs = try #require(model["inputs"] as? [[String: Any]])
        let shown = try #require(summary["inputs"] as? [[String: Any]])
        #expect(shown.map { $0["name"] as? String } == inputs.map { $0["name"] as? String })
        #expect(shown.map { $0["type"] as? String } == inputs.map { $0["type"] as? String })
        for (input, declared) in zip(shown, inputs) where declared["type"] as? String == "continuous" {
            #expect(input["min"] as? Double == declared["min"] as? Double && input["max"] as? Double == declared["max"] as? Double)
        }
        let encodedWidth = inputs.reduce(0) { $0 + (($1["values"] as? [Any])?.count ?? 1) }
        #expect(summary["encoded_width"] as? Int == encodedWidth)

        var width = encodedWidth, total = 0
        let layers = try #require(model["layers"] as? [[String: Any]])
        let rows = try #require(summary["layers"] as? [[String: Any]])
        #expect(rows.count == layers.count)
        for (row, layer) in zip(rows, layers) {
            var outputs = width, parameters = 0
            if let weights = layer["weights"] as? [[Double]] {
                outputs = weights.count
                #expect(weights.allSatisfy { $0.count == width })
                parameters = weights.count * width + ((layer["bias"] as? [Double])?.count ?? 0)
            } else if let gamma = layer["gamma"] as? [Double] {
                parameters = 2 * gamma.count
            }
            #expect(row["type"] as? String == layer["type"] as? String)
            #expect(row["inputs"] as? Int == width && row["outputs"] as? Int == outputs)
            #expect(row["parameters"] as? Int == parameters)
            #expect((row["activation"] as? String) == (layer["activation"] as? String))
            width = outputs
            total += parameters
        }
        #expect(summary["parameters"] as? Int == total)
        #expect(summary["outputs"] as? [String] == model["outputs"] as? [String])
    }

    @Test func theTextSummaryIsTheGolden() throws {
        let result = try CommandRunner.run(["inspect", "Tests/DistillTests/Fixtures/layers/all_layers.json"])
        #expect(result.status == 0, "\(result.standardError)")
        try CommandRunner.expectGolden(result.standardOutput, "all-layers-inspect.txt")
        let penguins = try CommandRunner.run(["inspect", "samples/penguins/model.json"])
        try CommandRunner.expectGolden(penguins.standardOutput, "penguins-inspect.txt")
    }

    @Test func theOutputFileHoldsWhatStandardOutputShows() throws {
        let file = try CommandRunner.temporaryDirectory().appendingPathComponent("summary.json")
        let written = try CommandRunner.run(["inspect", "samples/iris/model.json", "--json", "-o", file.path])
        #expect(written.status == 0 && written.standardOutput.isEmpty)
        let printed = try CommandRunner.run(["inspect", "samples/iris/model.json", "--json"])
        #expect(try String(contentsOf: file, encoding: .utf8) == printed.standardOutput)
    }

    @Test func aMalformedModelIsNamedWithItsPlace() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let bad = directory.appendingPathComponent("bad.json")
        let text = try String(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("samples/iris/model.json"), encoding: .utf8)
        try text.replacingOccurrences(of: "\"relu\"", with: "\"bogus\"").write(to: bad, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(["inspect", bad.path])
        #expect(result.status != 0)
        #expect(result.standardError.contains("bad.json") && result.standardError.contains("layers[0].activation"))
        #expect(result.standardOutput.isEmpty)
    }
}
