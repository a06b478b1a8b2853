import Distill
import Foundation
import Testing

struct SensitivityCommandTests {
    @Test func jsonFollowsTheContractAndRunsRepeat() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("s.json").path, svg = directory.appendingPathComponent("s.svg").path
        let arguments = ["sensitivity", "samples/iris/model.json", "--data", "samples/iris/train.csv", "--json", json, "--plot", svg,
                         "--csv", directory.appendingPathComponent("s.csv").path, "--sobol-samples", "256"]
        let first = try CommandRunner.run(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: json))
        let again = try CommandRunner.run(arguments)
        #expect(again.standardOutput == first.standardOutput)
        #expect(try Data(contentsOf: URL(fileURLWithPath: json)) == bytes)
        let document = try JSONDocument.parse(Array(bytes), file: json)
        guard case let .object(methods)? = document["methods"] else { Issue.record("no methods"); return }
        #expect(Set(methods.map(\.0)) == ["saliency", "gradient_x_input", "integrated_gradients", "lrp", "permutation",
                                          "sobol_first", "sobol_total", "morris_mu_star"])
        for (name, list) in methods {
            guard case let .array(entries) = list else { Issue.record("\(name) is not a list"); continue }
            let values = entries.compactMap { entry -> Double? in
                if case let .number(value)? = entry["value"] { return value }
                return nil
            }
            #expect(values.count == 4 && values == values.sorted(by: >), "\(name) not sorted by decreasing value")
            if name.hasPrefix("sobol") { #expect(entries.allSatisfy { $0["ci"]?.arrayCount == 2 }) }
        }
        let plot = try String(contentsOf: URL(fileURLWithPath: svg), encoding: .utf8)
        #expect(plot.hasPrefix("<svg") && plot.contains("petal width (cm)") && plot.hasSuffix("</svg>\n"))
    }

    @Test func aSampleOfRowsIsSaidInTheHeaderAndTheJSON() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("s.json").path
        let result = try CommandRunner.run(["sensitivity", "samples/penguins/model.json", "--data", "samples/penguins/train.csv",
                                            "--method", "gradient", "ig", "--explain-rows", "40", "--json", json])
        #expect(result.status == 0, "\(result.standardError)")
        let header = result.standardOutput.split(separator: "\n").prefix(3).map(String.init)
        #expect(header[1].hasPrefix("# per-row methods (gradients, integrated gradients, LRP, permutation) over 40 of ")
                && header[1].contains("(a seeded sample, seed 1; --explain-rows 40)"), "\(header)")
        #expect(result.standardOutput.contains("## saliency\n1. "))
        let document = try JSONDocument.parse(Array(try Data(contentsOf: URL(fileURLWithPath: json))), file: json)
        guard case let .number(explained)? = document["explained_rows"], case let .number(rows)? = document["rows"] else {
            Issue.record("no explained_rows or rows"); return
        }
        #expect(explained == 40 && rows > 40)
        let zero = try CommandRunner.run(["sensitivity", "samples/penguins/model.json", "--method", "gradient", "--explain-rows", "0"])
        #expect(zero.status == 64 && zero.standardError.contains("--explain-rows must be 1 or more, found 0"), "\(zero.standardError)")
    }

    @Test func unknownClassIsReported() throws {
        let result = try CommandRunner.run(["sensitivity", "samples/iris/model.json", "--method", "gradient", "--class", "rose"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("unknown class 'rose' for --class; the classes are: setosa, versicolor, virginica"))
    }
}

/// `distill explain`: one row's answer, attributions, rule and counterfactual, checked from outside.
struct ExplainCommandTests {
    @Test func explainsARowAndItsCounterfactualHolds() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let rowFile = directory.appendingPathComponent("row.csv").path
        let lines = try String(contentsOfFile: CommandRunner.repositoryRoot.appendingPathComponent("samples/penguins/test.csv").path, encoding: .utf8)
            .split(separator: "\n")
        try (lines[0] + "\n" + lines[3] + "\n" + lines[9] + "\n").write(toFile: rowFile, atomically: true, encoding: .utf8)
        let json = directory.appendingPathComponent("why.json").path, plot = directory.appendingPathComponent("why.svg").path
        let arguments = ["explain", "samples/penguins/model.json", "--row", rowFile, "--row-number", "2", "--data", "samples/penguins/train.csv",
                         "--label", "species", "--json", json, "--plot", plot, "--certify"]
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("## nearest counterfactual") && result.standardOutput.contains("## surrogate rule"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let network = try ModelDecoder.load(path: CommandRunner.repositoryRoot.appendingPathComponent("samples/penguins/model.json").path)
        let evaluator = NetworkEvaluator(network: network)
        func raw(_ inputs: [String: Any]) throws -> [Double] {
            try network.schema.features.map { feature in
                if let categories = feature.categories {
                    let name = try #require(inputs[feature.name] as? String)
                    return Double(try #require(categories.firstIndex(of: name)))
                }
                return try #require(inputs[feature.name] as? Double)
            }
        }
        // The row is the file's second data row, and the probabilities are the network's there.
        let rowInputs = try #require(document["row"] as? [String: Any])
        let row = try raw(rowInputs)
        let out = evaluator.evaluate(raw: row, rows: 1).values
        let probabilities = try #require(document["probabilities"] as? [String: Double])
        for (index, name) in network.outputs.enumerated() { #expect(abs(probabilities[name]! - out[index]) <= 1e-12) }
        // Shapley values add up to the explained probability minus the background's mean.
        let explainedName = try #require(document["class"] as? String)
        #expect(document["shapley_method"] as? String == "exact")
        let explained = try #require(network.outputs.firstIndex(of: explainedName))
        let shapley = try #require(document["shapley"] as? [String: Double])
        #expect(abs(shapley.values.reduce(0, +) - (out[explained] - (document["expected"] as! Double))) <= 1e-9)
        // The counterfactual is decided otherwise by the network, re-evaluated here.
        let counterfactual = try #require(document["counterfactual"] as? [String: Any])
        let movedInputs = try #require(counterfactual["inputs"] as? [String: Any])
        let moved = evaluator.evaluate(raw: try raw(movedInputs), rows: 1).values
        #expect(Agreement.argmax(moved) != Agreement.argmax(out))
        #expect(try String(contentsOfFile: plot, encoding: .utf8).hasPrefix("<svg"))
        // The rule and its certification there, as `distill certify` finds it with the same flags.
        let rule = try #require(document["rule"] as? [String: Any])
        let certifiedHere = try #require(rule["certified_here"] as? Bool)
        let certifyJSON = directory.appendingPathComponent("certify.json").path
        #expect(try CommandRunner.run(["certify", "samples/penguins/model.json", "--data", "samples/penguins/train.csv", "--label", "species",
                                       "-o", directory.appendingPathComponent("rules.txt").path, "--json", certifyJSON]).status == 0)
        let certified = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: certifyJSON))) as? [String: Any])
        let ruleName = try #require(rule["name"] as? String)
        let entry = try #require((certified["rules"] as? [[String: Any]])?.first { $0["rule"] as? String == ruleName })
        #expect(rule["certified_mass"] as? Double == entry["certified_mass"] as? Double)
        let boxes = try #require(entry["certified_boxes"] as? [[String: [String: Any]]])
        let inside = boxes.contains { box in
            network.schema.features.enumerated().allSatisfy { index, feature in
                guard let bounds = box[feature.name] else { return false }
                if let categories = bounds["categories"] as? [String], let names = feature.categories { return categories.contains(names[Int(row[index])]) }
                return (bounds["min"] as? Double ?? .infinity) <= row[index] && row[index] <= (bounds["max"] as? Double ?? -.infinity)
            }
        }
        #expect(inside == certifiedHere)
        // Deterministic.
        #expect(try CommandRunner.run(arguments).standardOutput == result.standardOutput)
        // A row number past the file's rows is refused, naming the file.
        let past = try CommandRunner.run(["explain", "samples/penguins/model.json", "--row", rowFile, "--row-number", "3"])
        #expect(past.status == 65 && past.standardError.contains(rowFile) && past.standardError.contains("has 2 data rows"))
    }
}

/// `distill neurons`: profiles of every hidden neuron, checked from outside.
struct NeuronsCommandTests {
    @Test func profilesEveryHiddenNeuron() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("neurons.json").path
        let arguments = ["neurons", "samples/penguins/model.json", "--data", "samples/penguins/train.csv", "--label", "species", "--json", json,
                         "--groups", "3"]
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 0, "\(result.standardError)")
        let network = try ModelDecoder.load(path: CommandRunner.repositoryRoot.appendingPathComponent("samples/penguins/model.json").path)
        let hidden = network.layers.dropLast().compactMap { layer -> Int? in if case let .dense(dense) = layer { return dense.units } else { return nil } }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let neurons = try #require(document["neurons"] as? [[String: Any]])
        #expect(neurons.count == hidden.reduce(0, +))
        #expect(neurons.first?["name"] as? String == "N1.1")
        for neuron in neurons {
            let most = try #require(neuron["top_rows"] as? [[String: Any]]).compactMap { $0["activation"] as? Double }
            #expect(most.count == 5 && most == most.sorted(by: >))
            let maximum = try #require(neuron["max_activation_data"] as? Double), maximised = try #require(neuron["max_activation_found"] as? Double)
            // The maximising input lies inside the declared domain.
            let input = try #require(neuron["maximizing_input"] as? [String: Any])
            for feature in network.schema.features {
                if case let .continuous(low, high) = feature.kind, let value = input[feature.name] as? Double {
                    #expect(value >= (low ?? -.infinity) && value <= (high ?? .infinity), "\(feature.name)")
                }
            }
            // The ascent starts from the most active rows, so it reaches at least the rows' maximum.
            #expect(maximised >= maximum - 1e-12 && most.first == maximum)
            let agreement = try #require(neuron["rule_agreement"] as? Double)
            #expect(agreement >= 0.5 && agreement <= 1)
        }
        #expect(result.standardOutput.contains("N1.1 is active when"))
        // Groups per hidden layer: 3 each, the explained variance of 1 to 8 groups within [0, 1] and highest
        // with the most groups, each group's unit weights at most 1 in all.
        let groups = try #require(document["groups"] as? [[String: Any]])
        #expect(groups.count == hidden.count)
        for layer in groups {
            let explained = try #require(layer["explained_variance"] as? [Double])
            #expect(explained.count == min(8, hidden[(layer["layer"] as! Int) - 1]))
            #expect(explained.allSatisfy { $0 <= 1 })
            for (before, after) in zip(explained, explained.dropFirst()) { #expect(after >= before - 1e-12) }
            let found = try #require(layer["groups"] as? [[String: Any]])
            #expect(found.count == 3)
            for group in found {
                let weights = try #require(group["units"] as? [[String: Any]]).compactMap { $0["weight"] as? Double }
                #expect(weights.allSatisfy { $0 >= 0 } && weights.reduce(0, +) <= 1 + 1e-12)
            }
        }
        let layer = try CommandRunner.run(["neurons", "samples/penguins/model.json", "--layer", "9"])
        #expect(layer.status == 64 && layer.standardError.contains("hidden layers; layer 9 is not one of them"))
    }
}
