@testable import Distill
import Foundation
import Testing

/// A streamed file (`StreamedRows`) is checked against the same file held whole, read by the ordinary
/// path: the same fitting and held-out rows, the network's own answers on them, bins that route every
/// row as its raw value does, and a tree whose node counts are those of the raw rows sent down it.
struct StreamedRowsTests {
    /// A sample's training file, held whole by the ordinary path and split as `TrainingData` splits it.
    func whole(_ sample: String, label: String, seed: UInt64) throws -> (network: Network, path: String, fitting: Dataset, heldOut: Dataset) {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let path = Fixtures.sample(sample, "train.csv")
        let data = try DatasetLoader.convert(try CSVReader.read(path: path), file: path, network: network, label: label)
        let (fitting, heldOut) = data.partitioned(by: Dataset.heldOut(rows: data.rows, testFraction: 0.25, seed: seed))
        return (network, path, fitting, heldOut)
    }

    @Test(arguments: [("wage", "wage_band"), ("diabetes", "progression"), ("penguins", "species")])
    func streamedRowsAreTheFileHeldWhole(sample: String, label: String) throws {
        let (network, path, fitting, heldOut) = try whole(sample, label: label, seed: 7)
        let keep = (fitting: 101, heldOut: 37)
        let loaded = try StreamedRows.load(path: path, network: network, label: label, testFraction: 0.25, holdOut: true,
                                           seed: 7, always: true, keep: keep, pieceBytes: 997)
        let (train, test, streamed, fileRows) = try #require(loaded)
        #expect(fileRows == fitting.rows + heldOut.rows)
        #expect(streamed.rows == fitting.rows)
        // Evenly spaced rows of each part, kept whole.
        #expect(train == fitting.subset((0..<keep.fitting).map { $0 * fitting.rows / keep.fitting }))
        #expect(test == heldOut.subset((0..<keep.heldOut).map { $0 * heldOut.rows / keep.heldOut }))
        // The network's answers on every fitting row.
        let output = NetworkEvaluator(network: network).evaluate(raw: fitting.values, rows: fitting.rows)
        switch streamed.target {
        case let .classes(classes, count):
            #expect(classes == output.predictedClasses)
            #expect(count == network.outputs.count)
        case let .values(values, _):
            // Blocks of other sizes may round the last bit differently.
            #expect(values.count == output.values.count)
            #expect(zip(values, output.values).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
        }
        // Every raw value lies on its bin's side of every edge, and each bin's extremes are its values'.
        let bins = streamed.bins
        for (feature, description) in network.schema.features.enumerated() {
            var lowest = [Double](repeating: .infinity, count: 256), highest = [Double](repeating: -.infinity, count: 256)
            for row in 0..<fitting.rows {
                let value = fitting[row, feature], bin = Int(bins.bins[feature * bins.rows + row])
                lowest[bin] = min(lowest[bin], value)
                highest[bin] = max(highest[bin], value)
                if description.isCategorical {
                    #expect(Double(bin) == value)
                    continue
                }
                let edges = bins.edges[feature]
                if bin < edges.count { #expect(value <= edges[bin], "\(description.name) row \(row)") }
                if bin > 0 { #expect(value > edges[bin - 1], "\(description.name) row \(row)") }
            }
            #expect(lowest == streamed.lowest[feature])
            #expect(highest == streamed.highest[feature])
        }
    }

    /// Sends the raw rows down `tree` and counts them per node.
    func counts(_ tree: DecisionTree, _ data: Dataset) -> [Int] {
        var counts = [Int](repeating: 0, count: tree.nodes.count)
        for row in 0..<data.rows {
            var index = 0
            counts[0] += 1
            while let split = tree.nodes[index].split {
                index = split.test.goesLeft(data[row, split.feature]) ? tree.nodes[index].left : tree.nodes[index].right
                counts[index] += 1
            }
        }
        return counts
    }

    @Test(arguments: [("wage", "wage_band"), ("diabetes", "progression")])
    func aTreeOnBinsRoutesTheRawRowsAsItCountedThem(sample: String, label: String) throws {
        let (network, path, fitting, _) = try whole(sample, label: label, seed: 3)
        let loaded = try StreamedRows.load(path: path, network: network, label: label, testFraction: 0.25, holdOut: true,
                                           seed: 3, always: true, pieceBytes: 4096)
        let streamed = try #require(loaded).streamed
        for settings in [TreeSettings(maxDepth: 6), TreeSettings(maxLeaves: 24)] {
            let tree = TreeBuilder(settings: settings).fit(binned: streamed.bins, schema: network.schema, target: streamed.target,
                                                           outputs: network.outputs)
            #expect(tree.leafCount > 4)
            #expect(counts(tree, fitting) == tree.nodes.map(\.samples))
            // Leaf values from the raw rows: class counts of the network's answers, or their means.
            let output = NetworkEvaluator(network: network).evaluate(raw: fitting.values, rows: fitting.rows)
            var sums = [[Double]](repeating: [Double](repeating: 0, count: network.outputs.count), count: tree.nodes.count)
            for row in 0..<fitting.rows {
                var leaf = 0
                while let split = tree.nodes[leaf].split {
                    leaf = split.test.goesLeft(fitting[row, split.feature]) ? tree.nodes[leaf].left : tree.nodes[leaf].right
                }
                if network.task == .classification {
                    sums[leaf][output.predictedClasses[row]] += 1
                } else {
                    sums[leaf][0] += output.values[row] / Double(tree.nodes[leaf].samples)
                }
            }
            for (index, node) in tree.nodes.enumerated() where node.isLeaf {
                for k in node.value.indices { #expect(abs(node.value[k] - sums[index][k]) <= 1e-9 * max(1, abs(sums[index][k]))) }
            }
            // Rounded thresholds still route every row of the file as the bins did.
            let rounded = ThresholdRounding.apply(to: tree, keeping: [], gaps: streamed.gap)
            #expect(counts(rounded, fitting) == tree.nodes.map(\.samples))
        }
    }

    @Test func streamingDoesNotDependOnTheThreadCount() throws {
        let (network, path, _, _) = try whole("wage", label: "wage_band", seed: 5)
        func fit(_ threads: Int) throws -> (DecisionTree, [UInt8]) {
            try Parallelism.withThreads(threads) {
                let streamed = try #require(try StreamedRows.load(path: path, network: network, label: nil, testFraction: 0.25,
                                                                  holdOut: true, seed: 5, always: true, pieceBytes: 2000)).streamed
                return (TreeBuilder(settings: TreeSettings(maxLeaves: 16)).fit(binned: streamed.bins, schema: network.schema,
                                                                               target: streamed.target, outputs: network.outputs),
                        streamed.bins.bins)
            }
        }
        let one = try fit(1), three = try fit(3)
        #expect(one.0 == three.0)
        #expect(one.1 == three.1)
    }

    @Test func aStreamedExtractionIsMeasuredOnTheHeldOutRows() throws {
        let model = Fixtures.sample("wage", "model.json")
        var options = Extraction.Options(tree: TreeSettings(maxLeaves: 12))
        options.data = TrainingData.Options(dataPath: Fixtures.sample("wage", "train.csv"), label: "wage_band", seed: 4)
        options.data.streaming = .always
        let streamed = try Extraction.run(modelPath: model, options: options)
        options.data.streaming = .never
        let held = try Extraction.run(modelPath: model, options: options)
        #expect(streamed.data.streamed != nil && held.data.streamed == nil)
        #expect(streamed.data.test == held.data.test)
        #expect(streamed.data.fittingRows == held.data.train.rows)
        #expect(streamed.fittingPoints == held.data.train.rows)
        let test = held.data.test
        let network = NetworkEvaluator(network: streamed.network).evaluate(raw: test.values, rows: test.rows).predictedClasses
        let surrogate = streamed.surrogate.predictClasses(raw: test.values, rows: test.rows)
        let agreeing = zip(network, surrogate).filter { $0 == $1 }.count
        #expect(streamed.evaluation.heldoutRows == test.rows)
        #expect(streamed.evaluation.agreeingRows == agreeing)
        #expect((streamed.surrogate.size.leaves ?? 0) <= 12)
        #expect(streamed.data.trainSource.streamedWhole != nil && streamed.data.trainSource.total == streamed.data.fittingRows + streamed.data.test.rows)
    }

    @Test func quotedFieldsStreamUnlessTheyHoldLineBreaks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("distill-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try String(contentsOfFile: Fixtures.sample("iris", "train.csv"), encoding: .utf8)
        let network = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        let plain = source.split(separator: "\n").map(String.init)
        // Every field quoted and an extra column (ignored) with a comma, or with a line break.
        for (index, note) in [(1, "\"a, b\""), (2, "\"a\nb\"")] {
            let lines = [plain[0] + ",note"] + plain.dropFirst().map { line in
                line.split(separator: ",").map { "\"\($0)\"" }.joined(separator: ",") + "," + note
            }
            let path = directory.appendingPathComponent("quoted\(index).csv").path
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            var options = TrainingData.Options(dataPath: path, label: "species")
            options.streaming = .always
            let data = try TrainingData.prepare(network: network, modelPath: "model.json", options: options)
            // A quoted line break (the second file) leaves the fast path: the rows are then held whole.
            #expect((data.streamed != nil) == (index == 1))
            #expect(data.fittingRows + data.test.rows == plain.count - 1)
        }
    }

    @Test func aTestFileIsKeptEvenlySpaced() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("penguins", "model.json"))
        let path = Fixtures.sample("penguins", "test.csv")
        let whole = try DatasetLoader.load(path: path, network: network, label: "species")
        let (kept, fileRows) = try DatasetLoader.loadEvenlySpaced(path: path, network: network, label: "species", rows: 10)
        #expect(fileRows == whole.rows)
        #expect(kept == whole.subset((0..<10).map { $0 * whole.rows / 10 }))
        #expect(try DatasetLoader.loadEvenlySpaced(path: path, network: network, label: "species", rows: 10_000).data == whole)
    }
}
