import Distill
import Foundation
import Testing

/// `distill certify` checked as an outside checker would: every certified box sampled densely and
/// re-evaluated with the network, every counterexample re-evaluated inside its rule's box.
@Suite(.serialized)
struct CertifyCommandTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var name: String
        var label: String
        var testDescription: String { name }
    }

    static let samples = [Sample(name: "iris", label: "species"), Sample(name: "penguins", label: "species")]

    /// A uniform point of `box` (categorical features by name among the allowed ones), as a raw row.
    static func point(in box: [String: Any], schema: FeatureSchema, generator: inout SeededGenerator) throws -> [Double] {
        try schema.features.map { feature in
            let bounds = try #require(box[feature.name] as? [String: Any])
            if let categories = feature.categories {
                let allowed = try #require(bounds["categories"] as? [String])
                let name = allowed[Int(generator.next() % UInt64(allowed.count))]
                return Double(try #require(categories.firstIndex(of: name)))
            }
            let low = try #require(bounds["min"] as? Double), high = try #require(bounds["max"] as? Double)
            if case .binary = feature.kind { return generator.next() % 2 == 0 ? low : high }
            return low == high ? low : Double.random(in: low...high, using: &generator)
        }
    }

    @Test(arguments: samples)
    func certifiedBoxesHoldAndCounterexamplesRefute(_ sample: Sample) throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("certified.json").path
        let listing = directory.appendingPathComponent("rules.txt").path
        let model = "samples/\(sample.name)/model.json"
        let result = try CommandRunner.run(["certify", model, "--data", "samples/\(sample.name)/train.csv", "--label", sample.label,
                                            "-o", listing, "--json", json])
        #expect(result.status == 0, "\(result.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let network = try ModelDecoder.load(path: CommandRunner.repositoryRoot.appendingPathComponent(model).path)
        let evaluator = NetworkEvaluator(network: network)
        let rules = try #require(document["rules"] as? [[String: Any]])
        var generator = SeededGenerator(seed: 5)
        var sampled = 0
        for rule in rules {
            let name = try #require(rule["rule"] as? String), className = try #require(rule["class"] as? String)
            let classIndex = try #require(network.outputs.firstIndex(of: className))
            let masses = ["certified_mass", "refuted_mass", "undecided_mass"].compactMap { rule[$0] as? Double }
            #expect(masses.count == 3 && abs(masses.reduce(0, +) - 1) < 1e-9 || (rule["points"] as? Int) == 0, "\(name): \(masses)")
            let boxes = try #require(rule["certified_boxes"] as? [[String: Any]])
            // Every certified box, 100 uniform points each (300 boxes of a rule at most, evenly spaced through
            // its list: the boxes around the rows come first, then those of branch and bound, then the grown).
            for box in stride(from: 0, to: boxes.count, by: max(1, (boxes.count + 299) / 300)).map({ boxes[$0] }) {
                var raw: [Double] = []
                for _ in 0..<100 { raw += try Self.point(in: box, schema: network.schema, generator: &generator) }
                let classes = evaluator.evaluate(raw: raw, rows: 100).predictedClasses
                #expect(classes.allSatisfy { $0 == classIndex }, "\(sample.name) \(name): a certified box holds points of another class")
                sampled += 100
            }
            let region = try #require(rule["box"] as? [String: Any])
            for example in try #require(rule["counterexamples"] as? [[String: Any]]) {
                let inputs = try #require(example["inputs"] as? [String: Any])
                let raw = try network.schema.features.map { feature -> Double in
                    if let categories = feature.categories {
                        let category = try #require(inputs[feature.name] as? String)
                        return Double(try #require(categories.firstIndex(of: category)))
                    }
                    return try #require(inputs[feature.name] as? Double)
                }
                for (index, feature) in network.schema.features.enumerated() where feature.categories == nil {
                    let bounds = try #require(region[feature.name] as? [String: Any])
                    #expect(raw[index] >= (bounds["min"] as? Double ?? .infinity) && raw[index] <= (bounds["max"] as? Double ?? -.infinity))
                }
                let output = evaluator.evaluate(raw: raw, rows: 1)
                #expect(output.predictedClass(row: 0) != classIndex, "\(name): a counterexample the network agrees with")
                let probabilities = try #require(example["probabilities"] as? [String: Double])
                for (index, output) in network.outputs.enumerated() { #expect(abs(probabilities[output]! - evaluator.evaluate(raw: raw, rows: 1)[0, index]) < 1e-9) }
            }
            if (rule["refuted_mass"] as? Double ?? 0) > 0 { #expect(!(rule["counterexamples"] as? [Any] ?? []).isEmpty, "\(name)") }
        }
        #expect(sampled > 0)
        // The issue's target: at least half of the mass certified for the default depth-4 tree.
        #expect(try #require(document["certified_mass"] as? Double) >= 0.5)
        let text = try String(contentsOfFile: listing, encoding: .utf8)
        #expect(text.contains("# certified: ") && text.contains("of its mass"))
    }

    @Test func theReportDrawsEachRulesMassFromTheJSONResult() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("certified.json").path, report = directory.appendingPathComponent("certified.html").path
        let arguments = ["certify", "samples/penguins/model.json", "--data", "samples/penguins/train.csv", "--max-depth", "3",
                         "--refine", "--refine-rounds", "1", "--max-boxes", "40000", "-o", directory.appendingPathComponent("rules.txt").path, "--json", json]
        let result = try CommandRunner.run(arguments + ["--report", report])
        #expect(result.status == 0, "\(result.standardError)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let rules = try #require(document["rules"] as? [[String: Any]])
        #expect(!rules.isEmpty)
        for rule in rules {
            let name = try #require(rule["rule"] as? String)
            // The rule's row: its bar's parts are its shares of 300 pixels (to 0.01), in order.
            let row = try #require(html.components(separatedBy: "<tr><td>\(name)</td>").dropFirst().first)
            var x = 0.0
            for style in ["certified", "refuted", "undecided"] {
                let share = try #require(rule["\(style)_mass"] as? Double)
                let width = (share * 300 * 100).rounded() / 100
                guard width > 0 else { continue }
                func text(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : "\(value)" }
                #expect(row.contains("<rect class=\"\(style)\" x=\"\(text(x))\" y=\"0\" width=\"\(text(width))\""), "\(name) \(style)")
                x += width
            }
            #expect(row.contains("<td>\((rule["counterexamples"] as? [Any])?.count ?? -1)</td></tr>"))
        }
        // The refinement table lists every surrogate certified.
        let steps = try #require(document["refinement"] as? [[String: Any]])
        #expect(html.components(separatedBy: "<td>refit ").count - 1 == steps.count - 1)
        // Deterministic, and only with --certify.
        #expect(try CommandRunner.run(arguments + ["--report", report + ".2"]).status == 0)
        #expect(try String(contentsOfFile: report + ".2", encoding: .utf8) == html)
        let refused = try CommandRunner.run(["samples/iris/model.json", "--report", report])
        #expect(refused.status == 64 && refused.standardError.contains("apply with --certify"))
    }

    /// `Extraction.outputs` gives a program every file the command writes, byte for byte.
    @Test func theLibraryReturnsTheFilesTheCommandWrites() throws {
        let directory = try CommandRunner.temporaryDirectory()
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let model = "samples/penguins/model.json"
        let result = try CommandRunner.run(["certify", model, "--data", "samples/penguins/train.csv", "--label", "species", "--max-depth", "3",
                                            "--refine", "--refine-rounds", "1", "--max-boxes", "40000", "-o", path("rules.txt"), "--json", path("result.json"),
                                            "--report", path("report.html"), "--save-surrogate", path("saved.json")])
        #expect(result.status == 0, "\(result.standardError)")
        let listing = try String(contentsOfFile: path("rules.txt"), encoding: .utf8)
        let command = try #require(listing.split(separator: "\n").first { $0.hasPrefix("# command: ") }).dropFirst("# command: ".count)
        var options = Extraction.Options(data: TrainingData.Options(dataPath: "samples/penguins/train.csv", label: "species"))
        options.tree.maxDepth = 3
        // The tool names a settings field by its flag: maxDepth as --max-depth.
        var budget = RuleCertifier.Options()
        budget.maxBoxes = 40_000
        let flags = OptionNaming { field in "--" + field.map { $0.isUppercase ? "-" + $0.lowercased() : String($0) }.joined() }
        let outputs = try Extraction.outputs(network: try ModelDecoder.load(path: model), modelPath: model, options: options,
                                             certification: Extraction.CertificationRequest(options: budget, refineRounds: 1), command: String(command),
                                             naming: flags)
        #expect(outputs.listing == listing)
        // The JSON's one member that varies from run to run is the certification's seconds.
        func withoutSeconds(_ data: Data) throws -> NSDictionary {
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return object.filter { $0.key != "seconds" } as NSDictionary
        }
        #expect(try withoutSeconds(Data(outputs.json.utf8)) == (try withoutSeconds(Data(contentsOf: URL(fileURLWithPath: path("result.json"))))))
        #expect(outputs.certificationReport == (try String(contentsOfFile: path("report.html"), encoding: .utf8)))
        #expect(outputs.saved.render() == (try String(contentsOfFile: path("saved.json"), encoding: .utf8)))
        #expect(outputs.certification != nil)
    }

    @Test func theSameSeedGivesTheSameListing() throws {
        let arguments = ["certify", "samples/iris/model.json", "--data", "samples/iris/train.csv", "--label", "species", "--surrogate", "rules",
                         "--max-boxes", "40000"]
        let first = try CommandRunner.run(arguments), second = try CommandRunner.run(arguments)
        #expect(first.status == 0 && first.standardOutput == second.standardOutput)
        #expect(first.standardOutput.contains("R1 ") && first.standardOutput.contains("certified"))
    }

    @Test func certificationFlagsNeedCertify() throws {
        let result = try CommandRunner.run(["samples/iris/model.json", "--max-boxes", "10"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--max-boxes, --time-limit, --tolerance, --refine and --report apply with --certify"))
        let refine = try CommandRunner.run(["samples/iris/model.json", "--refine"])
        #expect(refine.status == 64 && refine.standardError.contains("apply with --certify"))
        let rounds = try CommandRunner.run(["certify", "samples/iris/model.json", "--refine-rounds", "2"])
        #expect(rounds.status == 64 && rounds.standardError.contains("--refine-rounds applies with --refine"))
        let negative = try CommandRunner.run(["certify", "samples/iris/model.json", "--time-limit", "-1"])
        #expect(negative.status == 64 && negative.standardError.contains("--time-limit must be a positive number of seconds"))
    }
}
