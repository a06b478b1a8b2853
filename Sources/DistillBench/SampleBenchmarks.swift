import Distill
import Foundation

// The sample benchmarks (DistillBench with no mode): tree fitting on rows a random teacher network labels,
// and the forward pass of the sample networks.
//   DistillBench [--rows N] [--features F] [--depth D] [--out DIR]
// Writes the tree benchmark's data to DIR (float64 features, int32 labels, JSON timings) so that
// Benchmarks/compare_sklearn.py can time scikit-learn on the very same rows in the same run.

func argument(_ name: String, default value: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count,
          let parsed = Int(CommandLine.arguments[index + 1]) else { return value }
    return parsed
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func sampleBenchmarks() throws {
    let rows = argument("--rows", default: 200_000)
    let featureCount = argument("--features", default: 20)
    let depth = argument("--depth", default: 8)
    let outIndex = CommandLine.arguments.firstIndex(of: "--out")
    let outDirectory = outIndex.map { CommandLine.arguments[$0 + 1] } ?? NSTemporaryDirectory() + "distill-bench"
    try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)

    // A random teacher network labels uniform random rows: the labels look like a network's answers.
    var generator = SeededGenerator(seed: 2024)
    let schema = FeatureSchema(features: (0..<featureCount).map { Feature(name: "x\($0)", kind: .continuous(min: 0, max: 1)) })
    func randomLayer(units: Int, inputs: Int, activation: Activation, generator: inout SeededGenerator) -> Layer {
        .dense(DenseLayer(units: units, inputs: inputs, weights: (0..<(units * inputs)).map { _ in generator.nextUnit() * 4 - 2 },
                          bias: (0..<units).map { _ in generator.nextUnit() * 2 - 1 }, activation: activation))
    }
    let teacher = Network(name: "teacher", task: .classification, schema: schema, outputs: ["a", "b", "c"],
                          preprocessing: [.standardize(mean: Array(repeating: 0.5, count: featureCount),
                                                       std: Array(repeating: 0.29, count: featureCount))],
                          layers: [randomLayer(units: 32, inputs: featureCount, activation: .tanh, generator: &generator),
                                   randomLayer(units: 3, inputs: 32, activation: .softmax, generator: &generator)])
    let values = (0..<(rows * featureCount)).map { _ in generator.nextUnit() }
    let data = Dataset(schema: schema, rows: rows, values: values)
    var labels: [Int] = []
    let forwardSeconds = seconds { labels = NetworkEvaluator(network: teacher).evaluate(raw: values, rows: rows).predictedClasses }

    var tree: DecisionTree?
    var fitTimes: [Double] = []
    for _ in 0..<3 {
        fitTimes.append(seconds {
            tree = TreeBuilder(settings: TreeSettings(maxDepth: depth)).fit(data, target: .classes(labels, classCount: 3), outputs: teacher.outputs)
        })
    }
    let fitted = tree!
    let trainAgreement = Agreement.share(fitted.predictClasses(raw: values, rows: rows), labels)
    print("tree fit: \(rows) rows x \(featureCount) features, depth \(depth): median \(String(format: "%.3f", median(fitTimes))) s over 3 runs (\(fitTimes.map { String(format: "%.3f", $0) }.joined(separator: ", ")))")
    print("          \(fitted.leafCount) leaves, training agreement \(String(format: "%.4f", trainAgreement))")
    print("network forward pass (20-32-3 MLP): \(String(format: "%.1f", forwardSeconds / Double(rows) * 1e9)) ns per row, \(rows) rows batched")

    // Sample networks: forward pass cost per row, batched and one row at a time.
    var networkCost: [String: (batched: Double, single: Double)] = [:]
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    for sample in ["breast_cancer", "penguins"] {
        let path = root.appendingPathComponent("samples/\(sample)/model.json").path
        guard let network = try? ModelDecoder.load(path: path) else { continue }
        var sampler = SeededGenerator(seed: 1)
        let domain = try DomainSampler(schema: network.schema, file: path).sample(rows: 100_000, generator: &sampler)
        let elapsed = median((0..<3).map { _ in seconds { _ = NetworkEvaluator(network: network).evaluate(raw: domain.values, rows: domain.rows) } })
        let evaluator = NetworkEvaluator(network: network)
        let width = network.schema.count
        let single = median((0..<3).map { _ in seconds {
            for row in 0..<10_000 { _ = evaluator.evaluate(raw: Array(domain.values[(row * width)..<((row + 1) * width)]), rows: 1) }
        } }) / 1e4
        networkCost[sample] = (elapsed / 1e5 * 1e9, single * 1e9)
        if sample == "breast_cancer" {
            // The held-out rows, raw, for timing the generated surrogate on the same inputs.
            let test = try DatasetLoader.load(path: root.appendingPathComponent("samples/\(sample)/test.csv").path, network: network, label: nil)
            test.values.withUnsafeBytes { try? Data($0).write(to: URL(fileURLWithPath: outDirectory + "/bc_rows.f64")) }
        }
        print("network forward pass (\(sample)): \(String(format: "%.1f", elapsed / 1e5 * 1e9)) ns per row, 100000 rows batched; \(String(format: "%.1f", single * 1e9)) ns one row at a time")
    }

    // Hand the same rows to the scikit-learn comparison.
    values.withUnsafeBytes { try? Data($0).write(to: URL(fileURLWithPath: outDirectory + "/features.f64")) }
    labels.map(Int32.init).withUnsafeBytes { try? Data($0).write(to: URL(fileURLWithPath: outDirectory + "/labels.i32")) }
    if let cost = networkCost["breast_cancer"] {
        try "\(cost.batched) \(cost.single)\n".write(toFile: outDirectory + "/network_ns.txt", atomically: true, encoding: .utf8)
    }
    let summary = "{\"rows\": \(rows), \"features\": \(featureCount), \"depth\": \(depth), \"fit_seconds\": \(median(fitTimes)), \"leaves\": \(fitted.leafCount), \"train_agreement\": \(trainAgreement)}\n"
    try summary.write(toFile: outDirectory + "/distill.json", atomically: true, encoding: .utf8)
}
