import Distill
import Foundation
import Testing

/// Pixel maps over the digits sample, whose model declares its 8x8 image, and the "Inside the network" pages.
struct PixelMapCommandTests {
    static let model = "samples/digits/model.json"

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// Cells drawn in an SVG of `PixelMapSVG` (each panel adds one frame).
    static func cells(_ svg: String) -> Int {
        svg.components(separatedBy: "<rect x=").count - 1 - (svg.components(separatedBy: "fill=\"none\"").count - 1)
    }

    @Test func explainDrawsSixMapsAndTheSaliencyIsTheGradient() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("why.json").path, pixels = directory.appendingPathComponent("pixels.svg").path
        let result = try CommandRunner.run(["explain", Self.model, "--row", "samples/digits/test.csv", "--pixels", pixels, "--json", json,
                                            "--background-rows", "20"])
        #expect(result.status == 0, "\(result.standardError)")
        let svg = try String(contentsOfFile: pixels, encoding: .utf8)
        #expect(Self.cells(svg) == 6 * 64)
        let document = try Self.json(json)
        #expect((document["occlusion"] as? [String: Double])?.count == 64)
        // The saliency is the gradient of the explained probability: central differences (steps of 1e-6,
        // short enough not to cross the ReLU network's kinks) agree to 1e-6.
        let network = try ModelDecoder.load(path: CommandRunner.repositoryRoot.appendingPathComponent(Self.model).path)
        #expect(network.image == ImageShape(height: 8, width: 8))
        let saliency = try #require(document["saliency"] as? [String: Double])
        let rowInputs = try #require(document["row"] as? [String: Double])
        let row = network.schema.features.map { rowInputs[$0.name]! }
        let className = try #require(document["class"] as? String)
        let explained = try #require(network.outputs.firstIndex(of: className))
        let evaluator = NetworkEvaluator(network: network)
        for (index, feature) in network.schema.features.enumerated() {
            var up = row, down = row
            up[index] += 1e-6
            down[index] -= 1e-6
            let difference = (evaluator.evaluate(raw: up, rows: 1)[0, explained] - evaluator.evaluate(raw: down, rows: 1)[0, explained]) / 2e-6
            #expect(abs(difference - saliency[feature.name]!) <= 1e-6, "\(feature.name)")
        }
        let wrong = try CommandRunner.run(["explain", Self.model, "--row", "samples/digits/test.csv", "--image", "9x9"])
        #expect(wrong.status == 64 && wrong.standardError.contains("has 81 pixels; the model has 64 inputs"))
        let needsImage = try CommandRunner.run(["explain", "samples/iris/model.json", "--row", "samples/iris/test.csv", "--pixels", pixels])
        #expect(needsImage.status == 64 && needsImage.standardError.contains("the model declares none"))
    }

    /// `sensitivity --pixels`: the occlusion map against an independent computation (every 2x2 patch of
    /// every row set to the rows' mean; the mean |change| of the class's probability).
    @Test func sensitivityDrawsEachMethodAndTheOcclusionMap() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("s.json").path, pixels = directory.appendingPathComponent("s.svg").path
        let result = try CommandRunner.run(["sensitivity", Self.model, "--data", "samples/digits/test.csv", "--method", "gradient",
                                            "--class", "3", "--json", json, "--pixels", pixels, "-o", "/dev/null"])
        #expect(result.status == 0, "\(result.standardError)")
        // The mean input, saliency, gradient x input, occlusion.
        #expect(Self.cells(try String(contentsOfFile: pixels, encoding: .utf8)) == 4 * 64)
        let occlusion = try #require(try Self.json(json)["occlusion"] as? [String: Double])
        let network = try ModelDecoder.load(path: CommandRunner.repositoryRoot.appendingPathComponent(Self.model).path)
        let data = try DatasetLoader.load(path: CommandRunner.repositoryRoot.appendingPathComponent("samples/digits/test.csv").path,
                                          network: network, label: "digit")
        let evaluator = NetworkEvaluator(network: network)
        let mean = (0..<64).map { j in (0..<data.rows).reduce(0.0) { $0 + data[$1, j] } / Double(data.rows) }
        let base = evaluator.evaluate(raw: data.values, rows: data.rows)
        for (top, left) in [(0, 0), (2, 4), (6, 6)] {
            var total = 0.0
            for row in 0..<data.rows {
                var hidden = (0..<64).map { data[row, $0] }
                for y in top..<(top + 2) { for x in left..<(left + 2) { hidden[y * 8 + x] = mean[y * 8 + x] } }
                total += abs(base[row, 3] - evaluator.evaluate(raw: hidden, rows: 1)[0, 3])
            }
            for y in top..<(top + 2) {
                for x in left..<(left + 2) {
                    #expect(abs(occlusion["pixel_\(y)_\(x)"]! - total / Double(data.rows)) <= 1e-12, "pixel \(y), \(x)")
                }
            }
        }
    }

    /// `neurons --pixels --report`: every neuron's maximising input drawn, its cells the shades of the values
    /// in the JSON on the data's range; the page lists every neuron and the groups.
    @Test func neuronsDrawTheirMaximisingInputs() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("n.json").path, pixels = directory.appendingPathComponent("n.svg").path
        let report = directory.appendingPathComponent("n.html").path
        let result = try CommandRunner.run(["neurons", Self.model, "--data", "samples/digits/train.csv", "--label", "digit", "--groups", "3",
                                            "--json", json, "--pixels", pixels, "--report", report, "-o", "/dev/null"])
        #expect(result.status == 0, "\(result.standardError)")
        let svg = try String(contentsOfFile: pixels, encoding: .utf8)
        #expect(Self.cells(svg) == (32 + 3) * 64)
        let neurons = try #require(try Self.json(json)["neurons"] as? [[String: Any]])
        // The first cell of N1.1's panel is pixel_0_0 of its maximising input, grey on the range 0..16 (dark = high).
        let input = try #require(neurons[0]["maximizing_input"] as? [String: Double])
        let grey = Int((255 * (1 - input["pixel_0_0"]! / 16)).rounded())
        let panel = try #require(svg.components(separatedBy: ">N1.1 ").dropFirst().first)
        let firstCell = try #require(panel.components(separatedBy: "fill=\"").dropFirst().first)
        #expect(firstCell.hasPrefix("rgb(\(grey),\(grey),\(grey))"))
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<h2>Inside the network</h2>"))
        #expect(html.components(separatedBy: "<tr><td>N1.").count - 1 == 32)
        #expect(html.components(separatedBy: "<tr><td>G1.").count - 1 == 3)
    }

    /// `explain --groups`: the row's decision attributed to groups of neurons.
    @Test func explainAttributesTheRowToGroups() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("g.json").path
        let result = try CommandRunner.run(["explain", "samples/penguins/model.json", "--row", "samples/penguins/test.csv", "--data",
                                            "samples/penguins/train.csv", "--label", "species", "--groups", "3", "--layer", "1", "--json", json])
        #expect(result.status == 0, "\(result.standardError)")
        let groups = try #require(try Self.json(json)["groups"] as? [String: Any])
        #expect(groups["layer"] as? Int == 1 && groups["layer_attribution"] is Double)
        let found = try #require(groups["groups"] as? [[String: Any]])
        #expect(found.map { $0["name"] as? String } == ["G1.1", "G1.2", "G1.3"])
        #expect(found.allSatisfy { ($0["coefficient"] as? Double ?? -1) >= 0 })
        #expect(result.standardOutput.contains("## groups of hidden layer 1"))
        let wrong = try CommandRunner.run(["explain", "samples/penguins/model.json", "--row", "samples/penguins/test.csv", "--layer", "2"])
        #expect(wrong.status == 64 && wrong.standardError.contains("--layer chooses the layer of --groups"))
    }

    /// `compare --report --inside`: the report gains the section.
    @Test func compareInsideAddsTheSection() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let report = directory.appendingPathComponent("r.html").path
        let result = try CommandRunner.run(["compare", "samples/iris/model.json", "--data", "samples/iris/train.csv", "--test", "samples/iris/test.csv",
                                            "--label", "species", "--quick", "--report", report, "--inside"])
        #expect(result.status == 0, "\(result.standardError)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        let network = try ModelDecoder.load(path: CommandRunner.repositoryRoot.appendingPathComponent("samples/iris/model.json").path)
        let hidden = network.layers.dropLast().compactMap { layer -> Int? in if case let .dense(dense) = layer { return dense.units } else { return nil } }
        #expect(html.contains("<h2>Inside the network</h2>") && html.contains("<h4>Groups of hidden layer 1</h4>"))
        #expect(html.components(separatedBy: "<tr><td>N").count - 1 == hidden.reduce(0, +))
        let alone = try CommandRunner.run(["compare", "samples/iris/model.json", "--data", "samples/iris/train.csv", "--inside"])
        #expect(alone.status == 64 && alone.standardError.contains("--inside adds a section to the HTML report"))
    }
}

/// The diff a golden mismatch prints.
struct GoldenDiffTests {
    @Test func theDiffShowsTheChangedLinesOnly() {
        #expect(CommandRunner.lineDiff("a\nb\nc\nd\n", "a\nB\nB2\nd\n") == "@@ line 2: 2 golden lines -> 2 output lines\n-b\n-c\n+B\n+B2")
        #expect(CommandRunner.lineDiff("a\nb\nc\n", "a\nb\nx\nc\n") == "@@ line 3: 0 golden lines -> 1 output line\n+x")
    }
}
