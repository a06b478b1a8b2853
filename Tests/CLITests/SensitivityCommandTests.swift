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

    @Test func unknownClassIsReported() throws {
        let result = try CommandRunner.run(["sensitivity", "samples/iris/model.json", "--method", "gradient", "--class", "rose"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("unknown class 'rose' for --class; the classes are: setosa, versicolor, virginica"))
    }
}
