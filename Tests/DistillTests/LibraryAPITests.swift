import Distill
import Foundation
import Testing

/// The library as another Swift package uses it (`import Distill`, no `@testable`).
struct LibraryAPITests {
    /// Fitting on rows held in memory gives the surrogate and figures that fitting on the same files gives.
    @Test func rowsInMemoryFitAsFilesDo() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("penguins", "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample("penguins", "train.csv"), network: network, label: "species")
        let test = try DatasetLoader.load(path: Fixtures.sample("penguins", "test.csv"), network: network, label: "species")
        var options = Extraction.Options()
        options.domainPoints = 2000
        let inMemory = try Extraction.run(network: network, rows: train, test: test, options: options)
        options.data = TrainingData.Options(dataPath: Fixtures.sample("penguins", "train.csv"), testPath: Fixtures.sample("penguins", "test.csv"),
                                            label: "species")
        let fromFiles = try Extraction.run(network: network, modelPath: "model.json", options: options)
        #expect(inMemory.surrogate == fromFiles.surrogate)
        #expect(inMemory.evaluation.fidelity == fromFiles.evaluation.fidelity && inMemory.evaluation.domain == fromFiles.evaluation.domain)
        #expect(inMemory.data.trainSource == RowSource(rows: train.rows, origin: .memory))
        // Without held-out rows, a seeded quarter of the rows is held out.
        let split = try Extraction.run(network: network, rows: train, options: options)
        #expect(split.data.test.rows + split.data.train.rows == train.rows && split.data.test.rows == Int((Double(train.rows) * 0.25).rounded(.up)))
        // Rows of another network are refused.
        let iris = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        #expect(throws: Diagnostic.self) { try Extraction.run(network: iris, rows: train) }
    }

    /// `import Distill` leaves Swift's own `Task` usable (the network's task is `PredictionTask`).
    /// The settings line names every setting that differs from what the tool would use, the pruning's too.
    @Test func theSettingsRecordEveryPruningSettingTheToolWouldNotUse() {
        var options = Extraction.Options(data: TrainingData.Options(seed: 3), tree: TreeSettings(maxDepth: 2))
        options.prune = PruningSettings(maxFidelityLoss: 0.01, seed: 3)
        let fields = options.settings.map { $0.field + ($0.value.map { "=" + $0 } ?? "") }
        #expect(fields == ["prune", "maxFidelityLoss=1", "maxDepth=2", "minSamplesLeaf=1"])
        options.prune = PruningSettings(maxFidelityLoss: 0.01, checkSamples: 500, seed: 9)
        options.prune?.maxWork = 1e9
        let more = options.settings.map { $0.field + ($0.value.map { "=" + $0 } ?? "") }
        #expect(more == ["prune", "maxFidelityLoss=1", "pruneSeed=9", "checkSamples=500", "maxWork=1000000000", "maxDepth=2", "minSamplesLeaf=1"])
    }

    @Test func swiftsTaskIsNotShadowed() async {
        let value = await Task { await Task.yield(); return PredictionTask.classification }.value
        #expect(value == .classification)
    }
}

/// Library diagnostics name the settings field; the command-line tool names its flag instead.
struct OptionDiagnosticTests {
    @Test func aDiagnosticNamesTheFieldAndRendersAFlag() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample("iris", "train.csv"), network: network, label: "species")
        var options = Extraction.Options()
        options.data.testFraction = 2
        let diagnostic = expectDiagnostic { _ = try Extraction.run(network: network, rows: train, options: options) }
        #expect(diagnostic?.description == "testFraction must be between 0 and 1 (exclusive), found 2.0")
        #expect(diagnostic?.options == ["testFraction"] && diagnostic?.failure == .usage)
        #expect(diagnostic?.rendered { $0 == "testFraction" ? "--test-fraction" : $0 } == "--test-fraction must be between 0 and 1 (exclusive), found 2.0")
        // Braces from an input are not options: shown as they are.
        let quoted = Diagnostic(file: "x.csv", "unknown category '{north}' in {label} 'region'")
        #expect(quoted.options == ["label"] && quoted.failure == .data)
        #expect(quoted.rendered { "--" + $0 } == "x.csv: unknown category '{north}' in --label 'region'")
    }
}

/// Inputs a library user can pass that the tool never would: refused or answered, never a crash.
struct LibraryInputTests {
    @Test func aCategoryConditionHoldsForNoValueThatIsNotAWholeNumber() {
        let condition = Condition.oneOf(feature: 0, categories: [1, 2])
        for (value, holds) in [(1.0, true), (2.0, true), (1.5, false), (Double.nan, false), (Double.infinity, false), (0.0, false)] {
            let row = [value]
            #expect(row.withUnsafeBufferPointer { condition.holds(for: $0) } == holds, "\(value)")
        }
    }

    @Test func aZeroOcclusionPatchIsRefusedByItsField() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        var options = SensitivityAnalysis.Options()
        options.methods = [.gradient]
        options.occlusionPatch = 0
        #expect {
            try SensitivityAnalysis.run(network: network, modelPath: "iris", data: nil, options: options)
        } throws: { error in
            (error as? Diagnostic)?.description == "occlusionPatch must be 1 or more, found 0"
        }
        options.occlusionPatch = 2
        options.explainRows = 0
        #expect(throws: Diagnostic.self) { try SensitivityAnalysis.run(network: network, modelPath: "iris", data: nil, options: options) }
    }
}
