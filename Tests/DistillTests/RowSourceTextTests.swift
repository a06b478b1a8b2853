@testable import Distill
import Testing

/// The `# fitted on` / `# held out` phrases, written out by hand for each kind of source.
struct RowSourceTextTests {
    @Test func everyKindOfSourceReadsAsBefore() {
        let split = RowSource.Split(fraction: 0.25, seed: 3, whole: 200)
        let cases: [(RowSource, String)] = [
            (RowSource(rows: 150, origin: .memory), "150 rows given in memory"),
            (RowSource(rows: 150, of: 200, origin: .file("a.csv")), "150 of the 200 rows of a.csv"),
            (RowSource(rows: 7500, of: 10000, origin: .domain), "7500 of the 10000 points drawn uniformly from the model's declared input domain"),
            (RowSource(rows: 50, origin: .file("a.csv"), split: split), "the other 50 rows ({testFraction} 0.25 = 25%, seed 3)"),
            (RowSource(rows: 20, of: 50, origin: .file("a.csv"), evenlySpaced: true, split: split),
             "20 evenly spaced of the other 50 rows ({testFraction} 0.25 = 25%, seed 3)"),
            (RowSource(rows: 20, of: 90, origin: .file("t.csv"), evenlySpaced: true), "20 evenly spaced of the 90 rows of t.csv"),
            (RowSource(rows: 150, of: 200, origin: .file("a.csv"), streamedWhole: 40), "150 of the 200 rows of a.csv, streamed (held as bins, 40 whole)"),
            // 60 of 200 is 30%, more than a point from the 25% asked for.
            (RowSource(rows: 60, origin: .file("a.csv"), split: split),
             "the other 60 rows ({testFraction} 0.25 = 25%, which leaves 60 of 200 rows = 30% in whole rows, seed 3)"),
        ]
        for (source, text) in cases { #expect(RowSourceText.render(source) == text) }
    }
}
