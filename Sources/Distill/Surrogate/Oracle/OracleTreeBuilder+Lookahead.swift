/// Two-level lookahead for decisions no single split improves (XOR, checkerboards): a bounded set of
/// candidate first splits is scored by the points that agree with their side's majority after the best
/// Gini split of each side.
extension OracleTreeBuilder {
    /// Candidate first splits per feature: thresholds at evenly spaced quantiles of the points (64 / features
    /// per feature, between 2 and 16), the binary split, or each category against the rest.
    func lookaheadCandidates(_ data: Dataset) -> [SplitCandidate] {
        let features = data.schema.features
        let perFeature = Self.thresholdsPerFeature(features.count)
        var candidates: [SplitCandidate] = []
        for (feature, description) in features.enumerated() where settings.allowedFeatures?.contains(feature) ?? true {
            if let categories = description.categories {
                let present = Set((0..<data.rows).map { Int(data[$0, feature]) })
                for category in categories.indices where present.contains(category) && present.count > 1 {
                    let mask = categories.indices.map { $0 == category }
                    candidates.append(SplitCandidate(feature: feature, test: .categories(left: mask), proxy: 0))
                }
                continue
            }
            let values = (0..<data.rows).map { data[$0, feature] }.sorted()
            var thresholds: [Double] = []
            for step in 1...perFeature {
                let position = step * values.count / (perFeature + 1)
                guard position > 0, position < values.count else { continue }
                let low = values[position - 1], high = values[position]
                let threshold = high > low ? SplitTest.midpoint(low, high) : low
                if threshold < values.last!, threshold >= values.first!, thresholds.last != threshold {
                    thresholds.append(threshold)
                }
            }
            for threshold in thresholds {
                candidates.append(SplitCandidate(feature: feature, test: .threshold(threshold), proxy: 0))
            }
        }
        return candidates
    }

    /// Coarse thresholds per continuous feature: 64 / features, between 2 and 16.
    static func thresholdsPerFeature(_ features: Int) -> Int {
        min(16, max(2, 64 / max(features, 1)))
    }

    /// The candidate with the most points agreeing with their majority two levels down, and that count.
    /// A winning threshold is then refined twice: 16 thresholds between its coarse neighbours.
    /// `work` counts the points times features times candidates scanned in the tree so far; nil, with no
    /// work done, when this node's candidates (and their refinement) would take it past
    /// `settings.lookaheadOperations`.
    func lookahead(_ data: Dataset, labels: [Int], work: inout Double) -> (split: SplitCandidate, gain: Int)? {
        // Each candidate scans every feature's sorted points on both sides (`LookaheadScorer`).
        let scanned = Double(settings.allowedFeatures?.count ?? data.schema.count) * Double(data.rows)
        let perFeature = Self.thresholdsPerFeature(data.schema.count)
        let most = data.schema.features.indices.reduce(32) { total, feature in
            guard settings.allowedFeatures?.contains(feature) ?? true else { return total }
            return total + (data.schema.features[feature].categories?.count ?? perFeature)
        }
        guard work + Double(most) * scanned <= settings.lookaheadOperations else { return nil }
        let coarse = lookaheadCandidates(data)
        work += Double(coarse.count) * scanned
        var scorer = LookaheadScorer(data: data, labels: labels, classCount: network.outputs.count,
                                     minSamplesLeaf: settings.minSamplesLeaf)
        scorer.allowedFeatures = settings.allowedFeatures
        guard var best = bestByLookahead(coarse, data: data, labels: labels, scorer: scorer) else { return nil }
        guard case .threshold = best.split.test else { return best }
        var neighbours = coarse.compactMap { candidate -> Double? in
            guard candidate.feature == best.split.feature, case let .threshold(t) = candidate.test else { return nil }
            return t
        }
        let feature = best.split.feature
        let values = (0..<data.rows).map { data[$0, feature] }.sorted()
        for _ in 0..<2 {
            guard case let .threshold(current) = best.split.test else { break }
            let low = neighbours.filter { $0 < current }.max() ?? values.first!
            let high = neighbours.filter { $0 > current }.min() ?? values.last!
            let inside = values.filter { $0 > low && $0 < high }
            guard inside.count > 2 else { break }
            var finer: [Double] = []
            for step in 1...16 {
                let position = step * inside.count / 17
                guard position > 0, position < inside.count else { continue }
                let a = inside[position - 1], b = inside[position]
                let threshold = b > a ? SplitTest.midpoint(a, b) : a
                if finer.last != threshold { finer.append(threshold) }
            }
            let candidates = finer.map { SplitCandidate(feature: feature, test: .threshold($0), proxy: 0) }
            work += Double(candidates.count) * scanned
            if let refined = bestByLookahead(candidates, data: data, labels: labels, scorer: scorer), refined.gain > best.gain {
                best = refined
            }
            neighbours = finer + [low, high]
        }
        return best
    }

    /// Scores each candidate by the points agreeing with their majority after the best second split on
    /// each side; returns the best. Scores within 0.2% of the points count as equal, and then the larger
    /// Gini decrease of the first split itself wins (a boundary rather than a cut through a pure cell).
    func bestByLookahead(_ candidates: [SplitCandidate], data: Dataset, labels: [Int],
                         scorer: LookaheadScorer) -> (split: SplitCandidate, gain: Int)? {
        // Each candidate scored on its own (in parallel), then compared in order.
        let scores = (try? Parallelism.map(candidates.count) { index -> (total: Int, gini: Double)? in
            let candidate = candidates[index]
            let (left, right) = sides(candidate.feature, candidate.test, data: data)
            guard left.count >= settings.minSamplesLeaf, right.count >= settings.minSamplesLeaf else { return nil }
            var member = [Bool](repeating: false, count: data.rows)
            for row in left { member[row] = true }
            return (scorer.bestSecondLevels(member: member), giniDecrease(candidate, data: data, labels: labels))
        }) ?? []
        var best: (split: SplitCandidate, gain: Int, gini: Double)?
        let tolerance = Int(0.002 * Double(data.rows))
        for (candidate, score) in zip(candidates, scores) {
            guard let (total, gini) = score else { continue }
            if let current = best {
                let clearlyBetter = total > current.gain + tolerance
                let tiedButCleaner = abs(total - current.gain) <= tolerance && gini > current.gini
                if !(clearlyBetter || tiedButCleaner) { continue }
            }
            best = (candidate, total, gini)
        }
        return best.map { ($0.split, $0.gain) }
    }
}
