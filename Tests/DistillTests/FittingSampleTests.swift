@testable import Distill
import Testing

/// Which of the fitting rows each learner fits on, and how the listing says so.
struct FittingSampleTests {
    @Test func rowsAreCountedWhereTheLearnersSpaceThem() throws {
        let model = Fixtures.sample("checkerboard", "model.json")
        let network = try ModelDecoder.load(path: model)
        var options = Extraction.Options(data: .init(dataPath: Fixtures.sample("checkerboard", "train.csv")))
        (options.rulePoints, options.oraclePoints, options.validationPoints, options.domainPoints) = (500, 600, 0, 0)
        let data = try TrainingData.prepare(network: network, modelPath: model, options: options.data)
        let rows = data.train.rows
        #expect(rows > 600)
        let fitter = try SurrogateFitter(network: network, data: data, options: options, modelPath: model)
        // Rule lists read 500 of the rows and the oracle tree 600, evenly spaced; trees every row.
        #expect(fitter.fittingSample(.ripper, leaves: .constant) == (500, 500))
        #expect(fitter.fittingSample(.ruleSearch, leaves: .constant) == (500, 500))
        #expect(fitter.fittingSample(.oracleTree, leaves: .constant) == (600, 600))
        #expect(fitter.fittingSample(.tree, leaves: .constant) == (rows, rows))
    }

    @Test func aThinnedTreeSumCountsTheRowsAmongItsPoints() throws {
        let model = Fixtures.sample("digits", "model.json")
        let network = try ModelDecoder.load(path: model)
        var options = Extraction.Options(data: .init(dataPath: Fixtures.sample("digits", "train.csv")), tree: TreeSettings(maxLeaves: 64))
        (options.oraclePoints, options.validationPoints, options.domainPoints) = (20_000, 0, 0)
        let data = try TrainingData.prepare(network: network, modelPath: model, options: options.data)
        let fitter = try SurrogateFitter(network: network, data: data, options: options, modelPath: model)
        // 64 leaves of 10 scores over 64 inputs: 2e9 / (64 · 10 · 64 · 8) = 6,103 of the 20,000 points,
        // the i-th at i · 20,000 / 6,103; the rows are the first points.
        let points = Int(2e9 / Double(64 * 10 * 64 * 8))
        #expect(points == 6_103 && fitter.fitting.points.rows == 20_000)
        let rows = (0..<points).filter { $0 * 20_000 / points < data.train.rows }.count
        #expect(rows > 0 && rows < data.train.rows)
        #expect(fitter.fittingSample(.treeSum, leaves: .constant) == (points, rows))
    }

    @Test func theListingSaysHowManyRowsWereFittedOn() throws {
        let model = Fixtures.sample("iris", "model.json"), train = Fixtures.sample("iris", "train.csv")
        var options = Extraction.Options(data: .init(dataPath: train, testPath: Fixtures.sample("iris", "test.csv")),
                                         tree: TreeSettings(maxLeaves: 4))
        (options.oraclePoints, options.validationPoints, options.domainPoints) = (600, 0, 0)
        var extraction = try Extraction.run(network: try ModelDecoder.load(path: model), modelPath: model, options: options)
        let rows = extraction.data.train.rows
        #expect(extraction.fittedRows == rows && extraction.fittingPoints == 600)
        #expect(RuleListing.fittedRowsText(extraction) + RuleListing.drawnText(extraction)
            == "\(rows) rows of \(train) and \(600 - rows) points drawn around them")
        (extraction.fittedRows, extraction.fittingPoints) = (10, 510)
        #expect(RuleListing.fittedRowsText(extraction) + RuleListing.drawnText(extraction)
            == "\(rows) rows of \(train) (10 of them, evenly spaced) and 500 points drawn around them")
    }

    @Test func samplesBeginningWithTheSamePointsShareAnOptimalPlan() {
        let values = (0..<40).map(Double.init), classes = (0..<20).map { $0 % 3 }
        func key(_ values: [Double], _ classes: [Int], rows: Int, leaves: Int = 8) -> OptimalPlanKey {
            OptimalPlanKey(maxLeaves: leaves, maxDepth: 3, allowedFeatures: nil, values: values[0..<(2 * rows)], classes: classes[0..<rows])
        }
        // The same first 10 points (2 values each), whatever follows: one key.
        var longer = values + [99, 98], longerClasses = classes + [2]
        #expect(key(values, classes, rows: 10) == key(longer, longerClasses, rows: 10))
        #expect(key(values, classes, rows: 10).hashValue == key(longer, longerClasses, rows: 10).hashValue)
        // A value or a class that differs among them, or other settings: another key.
        longer[3] = -1
        #expect(key(values, classes, rows: 10) != key(longer, longerClasses, rows: 10))
        longerClasses[4] = 1 - longerClasses[4]
        #expect(key(values, classes, rows: 10) != key(values, longerClasses, rows: 10))
        #expect(key(values, classes, rows: 10) != key(values, classes, rows: 10, leaves: 7))
        #expect(key(values, classes, rows: 10) != key(values, classes, rows: 11))
    }
}
