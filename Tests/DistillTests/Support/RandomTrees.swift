@testable import Distill

/// Random surrogates for property tests: random schemas with adversarial names, random data with some
/// structure, trees of random depth.
enum RandomTrees {
    static let featureNames = ["class", "default", "2nd value", "a b", "a-b", "naïve", "self", "Type", "init", "features",
                               "x", "X", "∆t", "return", "Input", "Class", "Double", "allCases", "my_value", "MyValue",
                               "sepal length (cm)", "日本", "in", "case"]
    static let valueNames = ["0", "1", "default", "not spam", "Not Spam", "a\"b", "back\\slash", "é", "case", "rawValue",
                             "Input", "_", "??=", "*/", "x y"]

    static func pick<T>(_ list: [T], _ count: Int, _ generator: inout SeededGenerator) -> [T] {
        Array(generator.permutation(list.count).prefix(count).map { list[$0] })
    }

    /// A random tree with its schema, fitted on random rows; also returns those rows.
    static func make(seed: UInt64, task: PredictionTask) -> (DecisionTree, Dataset) {
        var generator = SeededGenerator(seed: seed)
        let featureCount = 1 + generator.nextInt(below: 6)
        let names = pick(featureNames, featureCount, &generator)
        let features = names.map { name -> Feature in
            switch generator.nextInt(below: 3) {
            case 0: return Feature(name: name, kind: .continuous(min: -500, max: 500), unit: generator.nextInt(below: 2) == 0 ? "mm" : nil)
            case 1: return Feature(name: name, kind: .binary)
            default: return Feature(name: name, kind: .categorical(values: pick(valueNames, 2 + generator.nextInt(below: 5), &generator)))
            }
        }
        let schema = FeatureSchema(features: features)
        let rows = 200 + generator.nextInt(below: 800)
        var values: [Double] = []
        var score: [Double] = []
        for _ in 0..<rows {
            var total = 0.0
            for (index, feature) in features.enumerated() {
                let value: Double
                switch feature.kind {
                case .continuous: value = (generator.nextUnit() * 1000 - 500) * (generator.nextInt(below: 10) == 0 ? 1e-7 : 1)
                case .binary: value = Double(generator.nextInt(below: 2))
                case let .categorical(categories): value = Double(generator.nextInt(below: categories.count))
                }
                values.append(value)
                total += sin(value * Double(index + 1))
            }
            score.append(total + generator.nextUnit())
        }
        let settings = TreeSettings(maxDepth: 1 + generator.nextInt(below: 8), minSamplesLeaf: 1 + generator.nextInt(below: 5))
        let data = Dataset(schema: schema, rows: rows, values: values)
        switch task {
        case .classification:
            let classCount = 2 + generator.nextInt(below: 3)
            let classes = pick(valueNames, classCount, &generator)
            let labels = score.map { min(classCount - 1, max(0, Int(($0 + 3) / 6 * Double(classCount)))) }
            return (TreeBuilder(settings: settings).fit(data, target: .classes(labels, classCount: classCount), outputs: classes), data)
        case .regression:
            let outputs = generator.nextInt(below: 2) == 0 ? ["y"] : ["first output", "default"]
            let targets = score.flatMap { outputs.count == 1 ? [$0 * 10] : [$0, $0 * $0] }
            return (TreeBuilder(settings: settings).fit(data, target: .values(targets, outputs: outputs.count), outputs: outputs), data)
        }
    }

    /// Rows that probe every threshold of a rule list exactly and just beside it.
    static func probes(for list: RuleList, base: Dataset) -> [Double] {
        let width = list.schema.count
        var rows: [Double] = []
        var row = Array(base.values.prefix(width))
        for rule in list.rules {
            for test in rule.tests {
                switch test {
                case let .atMost(feature, threshold), let .above(feature, threshold):
                    for value in [threshold, threshold.nextUp, threshold.nextDown] {
                        row[feature] = value
                        rows += row
                    }
                case .inCategories: continue
                }
            }
        }
        return rows
    }

    /// Rows that probe every threshold exactly and just beside it, plus NaN and non-integer categories.
    static func probes(for tree: DecisionTree, base: Dataset, includeInvalid: Bool) -> [Double] {
        let width = tree.schema.count
        var rows: [Double] = []
        var row = Array(base.values.prefix(width))
        for node in tree.nodes {
            guard let split = node.split else { continue }
            if case let .threshold(threshold) = split.test {
                for value in [threshold, threshold.nextUp, threshold.nextDown] {
                    row[split.feature] = value
                    rows += row
                }
            }
        }
        if includeInvalid {
            for feature in 0..<width {
                for value in [Double.nan, 0.5, -1, 99] {
                    var probe = Array(base.values.prefix(width))
                    probe[feature] = value
                    rows += probe
                }
            }
        }
        return rows
    }
}

import Foundation
