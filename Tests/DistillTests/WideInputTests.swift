import Foundation
@testable import Distill
import Testing

/// Networks of hundreds of inputs (784 pixels): fewer drawn points as the inputs widen, histograms from
/// fewer rows, bounded histogram caches, drawing in parallel blocks.
struct WideInputTests {
    @Test func pointCountsShrinkWithTheInputsPastSixtyFour() {
        let options = Extraction.Options()
        // Up to 64 inputs the counts are as set.
        for inputs in [1, 30, 64] { #expect(options.scaledPoints(inputs: inputs) == options) }
        // 128 inputs: half of each (100,000 x 64 / 128, 25,000 x 64 / 128).
        let half = options.scaledPoints(inputs: 128)
        #expect(half.oraclePoints == 50_000)
        #expect(half.rulePoints == 12_500)
        #expect(half.validationPoints == options.validationPoints && half.domainPoints == options.domainPoints)
        // 784 pixels: 100,000 x 64 / 784 = 8,163 and 25,000 x 64 / 784 = 2,040 are below the floors.
        let pixels = options.scaledPoints(inputs: 784)
        #expect(pixels.oraclePoints == Extraction.Options.minWideOraclePoints)
        #expect(pixels.rulePoints == Extraction.Options.minWideRulePoints)
        // 300 inputs: 100,000 x 64 / 300 = 21,333 is above its floor; 25,000 x 64 / 300 = 5,333 is not.
        let three = options.scaledPoints(inputs: 300)
        #expect(three.oraclePoints == 21_333)
        #expect(three.rulePoints == 10_000)
        // Counts set below the floors stay; 0 stays 0; without a width the counts are as set.
        var few = options
        few.oraclePoints = 5_000
        few.rulePoints = 0
        #expect(few.scaledPoints(inputs: 784).oraclePoints == 5_000)
        #expect(few.scaledPoints(inputs: 784).rulePoints == 0)
        // A count kept as set stays; the other still shrinks.
        var kept = options
        kept.scalesOraclePoints = false
        #expect(kept.scaledPoints(inputs: 784).oraclePoints == 100_000)
        #expect(kept.scaledPoints(inputs: 784).rulePoints == 10_000)
        kept.scalesRulePoints = false
        #expect(kept.scaledPoints(inputs: 784) == kept)
    }

    /// The fitter of a 128-input network draws half the fitting points and gives the rule learners half
    /// theirs; counts kept as set (as the CLI's flags keep them) are drawn as set.
    @Test func aWideNetworksFitterDrawsTheScaledCounts() throws {
        let width = 128, rows = 300
        var generator = SeededGenerator(seed: 2)
        let features = (0..<width).map { Feature(name: "x\($0)", kind: .continuous(min: nil, max: nil)) }
        let network = Self.network(features)
        let data = Dataset(schema: network.schema, rows: rows, values: (0..<(rows * width)).map { _ in generator.nextUnit() })
        var options = Extraction.Options()
        (options.validationPoints, options.domainPoints, options.data.rows) = (0, 0, data)
        let prepared = try TrainingData.prepare(network: network, modelPath: "wide.json", options: options.data)
        let fitter = try SurrogateFitter(network: network, data: prepared, options: options, modelPath: "wide.json")
        #expect(fitter.fitting.points.rows == 50_000)
        #expect(fitter.ruleFitting.points.rows == 12_500)
        #expect(fitter.with(options).options.oraclePoints == 50_000)
        (options.scalesOraclePoints, options.scalesRulePoints) = (false, false)
        (options.oraclePoints, options.rulePoints) = (30_000, 20_000)
        let asSet = try SurrogateFitter(network: network, data: prepared, options: options, modelPath: "wide.json")
        #expect(asSet.fitting.points.rows == 30_000)
        #expect(asSet.ruleFitting.points.rows == 20_000)
    }

    @Test func histogramsPayFromFewerRowsOnManyFeatures() {
        // 20,000 rows up to 64 features; the rows times the features above that.
        #expect(!TreeSettings.histogramsPay(rows: 19_999, features: 3))
        #expect(TreeSettings.histogramsPay(rows: 20_000, features: 64))
        #expect(!TreeSettings.histogramsPay(rows: 19_999, features: 64))
        #expect(TreeSettings.histogramsPay(rows: 10_000, features: 128))
        #expect(!TreeSettings.histogramsPay(rows: 9_999, features: 128))
        // 784 features: 1,633 x 784 = 1,280,272 >= 1,280,000 > 1,632 x 784.
        #expect(TreeSettings.histogramsPay(rows: 1_633, features: 784))
        #expect(!TreeSettings.histogramsPay(rows: 1_632, features: 784))
        #expect(TreeSettings().usesHistograms(rows: 5_000, features: 784))
        #expect(!TreeSettings(splitSearch: .exact).usesHistograms(rows: 5_000, features: 784))
    }

    @Test func aTreeSumOnManyInputsAndClassesKeepsFewerPoints() {
        // Digits (64 inputs, 10 classes) at 64 leaves: 2e9 / (64 x 10 x 64 x 8) = 6,103 points.
        #expect(SurrogateFitter.treeSumPoints(leaves: 64, features: 64, scores: 10, available: 100_000) == 6_103)
        // 784 inputs: 2e9 / (784 x 10 x 64 x 8) = 498.2; 4 times that, 1,992.9, is below 5,000.
        #expect(SurrogateFitter.treeSumPoints(leaves: 64, features: 784, scores: 10, available: 100_000) == 1_992)
        // At 16 leaves 2e9 / (784 x 10 x 16 x 3) = 5,314.
        #expect(SurrogateFitter.treeSumPoints(leaves: 16, features: 784, scores: 10, available: 100_000) == 5_314)
        // Up to 64 inputs the floor of 5,000 holds: digits at 256 leaves, 2e9 / (64 x 10 x 256 x 32) = 381.
        #expect(SurrogateFitter.treeSumPoints(leaves: 256, features: 64, scores: 10, available: 100_000) == 5_000)
        // Never more than there are.
        // 784 inputs of one score at 64 leaves: 2e9 / (784 x 64 x 8) = 4,982, raised to 5,000.
        #expect(SurrogateFitter.treeSumPoints(leaves: 64, features: 784, scores: 1, available: 100_000) == 5_000)
        #expect(SurrogateFitter.treeSumPoints(leaves: 16, features: 8, scores: 1, available: 3_000) == 3_000)
    }

    /// 600 features of 256 values each and 12 classes: a histogram holds 600 x 256 x 13 doubles (16.0 MB),
    /// so 16 of them fill the 256 MB budget; a tree of 48 leaves grows past that many open nodes, and
    /// (every feature having no more values than bins) is the exact search's tree.
    @Test func histogramCachesStayWithinTheirBudget() {
        let rows = 256, width = 600, classes = 12
        var generator = SeededGenerator(seed: 5)
        var values = [Double](repeating: 0, count: rows * width)
        for feature in 0..<width {
            for (row, position) in generator.permutation(rows).enumerated() { values[row * width + feature] = Double(position) }
        }
        let schema = FeatureSchema(features: (0..<width).map { Feature(name: "x\($0)", kind: .continuous(min: nil, max: nil)) })
        let data = Dataset(schema: schema, rows: rows, values: values)
        let labels = (0..<rows).map { row in Int(values[row * width] + 2 * values[row * width + 1] + values[row * width + 7]) / 64 % classes }
        let target = TreeTarget.classes(labels, classCount: classes)
        let settings = TreeSettings(maxLeaves: 48, splitSearch: .histogram)
        let splitter = HistogramSplitter(data: data, target: target, settings: settings)!
        #expect(splitter.cacheBytes == width * 256 * (classes + 1) * 8)
        // 256 MB / 16.0 MB = 16, less the one more open node a split leaves.
        #expect(TreeGrowth(splitter: splitter, rows: rows, settings: settings).cachedFrontier == 15)
        // Real-valued sums on up to 64 features are not budgeted (their subtraction rounds); past 64 they are.
        let values64 = Dataset(schema: FeatureSchema(features: Array(schema.features.prefix(64))), rows: rows,
                               values: (0..<rows).flatMap { row in values[(row * width)..<(row * width + 64)] })
        let sums = TreeTarget.values(labels.map(Double.init), outputs: 1)
        #expect(HistogramSplitter(data: values64, target: sums, settings: settings)!.cacheBytes == 0)
        #expect(HistogramSplitter(data: data, target: sums, settings: settings)!.cacheBytes == width * 256 * 2 * 8)
        let outputs = (0..<classes).map { "c\($0)" }
        let histogram = TreeBuilder(settings: settings).fit(data, target: target, outputs: outputs)
        var exact = settings
        exact.splitSearch = .exact
        #expect(histogram.leafCount == 48)
        #expect(histogram == TreeBuilder(settings: exact).fit(data, target: target, outputs: outputs))
        // Without the budget (a splitter that holds nothing per node) the frontier keeps 256.
        #expect(TreeGrowth(splitter: PresortedSplitter(data: data, target: target, settings: exact), rows: rows,
                           settings: exact).cachedFrontier == 256)
    }

    /// A few thousand rows of many features are binned in blocks of rows and of features side by side:
    /// every cell is the bin of its value.
    @Test func binsOfManyFeaturesAreEveryValuesBin() throws {
        let rows = 3_000, width = 150
        var generator = SeededGenerator(seed: 9)
        let values = (0..<(rows * width)).map { _ in generator.nextUnit() * 10 }
        let schema = FeatureSchema(features: (0..<width).map { Feature(name: "x\($0)", kind: .continuous(min: nil, max: nil)) })
        let data = Dataset(schema: schema, rows: rows, values: values)
        let bins = try #require(Parallelism.withThreads(3) { FeatureBins(data: data, maxBins: 256) })
        let layout = try #require(FeatureBins.Layout(sample: data, maxBins: 256))
        #expect(bins.edges == layout.edges)
        var wrong = 0
        for row in 0..<rows {
            for feature in 0..<width where Int(bins.bins[feature * rows + row]) != layout.bin(values[row * width + feature], feature: feature) {
                wrong += 1
            }
        }
        #expect(wrong == 0)
        #expect(bins.binCount.allSatisfy { $0 == 256 })
        #expect(try #require(Parallelism.withThreads(1) { FeatureBins(data: data, maxBins: 256) }).bins == bins.bins)
    }

    /// 70 continuous inputs (past the joint kernel's 64) and a categorical one: draws come in blocks, each
    /// from its own stream, and are the same on one thread and on three. A value moves by its kernel's
    /// noise, so over many draws its variance is the rows' plus (scale x bandwidth)²; the category is the
    /// copied row's.
    @Test func wideDrawsComeInBlocksWithTheKernelsSpread() throws {
        let rows = 200, continuous = 70, width = continuous + 1
        var generator = SeededGenerator(seed: 3)
        var values = [Double](repeating: 0, count: rows * width)
        for row in 0..<rows {
            for feature in 0..<continuous { values[row * width + feature] = generator.nextUnit() }
            values[row * width + continuous] = Double(row % 3)
        }
        // Feature 0 is held in [0, 1]; the others may move anywhere in [-50, 50].
        let features = (0..<continuous).map { Feature(name: "x\($0)", kind: .continuous(min: $0 == 0 ? 0 : -50, max: $0 == 0 ? 1 : 50)) }
            + [Feature(name: "kind", kind: .categorical(values: ["a", "b", "c"]))]
        let data = Dataset(schema: FeatureSchema(features: features), rows: rows, values: values)
        var distribution = InputDistribution(data: data)
        distribution.kernelScale = 0.5
        #expect(distribution.drawsInBlocks)
        #expect(JointKernel(distribution: distribution, rows: data) == nil)
        let count = 3 * InputDistribution.drawBlock + 100
        let drawn = Parallelism.withThreads(3) { OracleSample.drawPoints(count, network: Self.network(features), distribution: distribution,
                                                                         rows: data, sampler: .rows, seed: 8) }
        #expect(drawn.rows == count)
        // Each block from its own stream: the second block's rows are not the first's again.
        let block = InputDistribution.drawBlock * width
        #expect(Array(drawn.values[0..<block]) != Array(drawn.values[block..<(2 * block)]))
        #expect(Parallelism.withThreads(1) { distribution.samplePerturbedInBlocks(count, rows: values, spread: 0.5, seed: 8) } == drawn.values)
        #expect(distribution.samplePerturbedInBlocks(count, rows: values, spread: 0.5, seed: 9) != drawn.values)
        for feature in [1, 35, 69] {
            let column = (0..<rows).map { values[$0 * width + feature] }
            let mean = column.reduce(0, +) / Double(rows)
            let rowsVariance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rows)
            let noise = 0.5 * InputDistribution.silverman(column.sorted())
            let expected = rowsVariance + noise * noise
            let draws = (0..<count).map { drawn[$0, feature] }
            let drawnMean = draws.reduce(0, +) / Double(count)
            let variance = draws.reduce(0) { $0 + ($1 - drawnMean) * ($1 - drawnMean) } / Double(count - 1)
            #expect(abs(drawnMean - mean) < 4 * (expected / Double(count)).squareRoot())
            #expect(abs(variance / expected - 1) < 0.06)
        }
        #expect((0..<count).allSatisfy { drawn[$0, 0] > -Double.ulpOfOne && drawn[$0, 0] <= 1 })
        // Rows 0, 3, 6, ... (67 of 200) are of kind "a".
        let shareA = Double((0..<count).filter { drawn[$0, continuous] == 0 }.count) / Double(count)
        #expect(abs(shareA - 67.0 / 200) < 4 * (0.335 * 0.665 / Double(count)).squareRoot())
        #expect((0..<count).allSatisfy { [0, 1, 2].contains(drawn[$0, continuous]) })
    }

    /// A network reading `features` (one dense layer to two classes); drawing reads only its schema.
    static func network(_ features: [Feature]) -> Network {
        let schema = FeatureSchema(features: features)
        let dense = DenseLayer(units: 2, inputs: schema.encodedWidth, weights: [Double](repeating: 0.01, count: 2 * schema.encodedWidth),
                               bias: [0, 0], activation: .softmax)
        return Network(name: "wide", task: .classification, schema: schema, outputs: ["p", "q"], preprocessing: [], layers: [.dense(dense)])
    }
}
