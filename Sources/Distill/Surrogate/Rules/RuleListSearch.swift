/// A decision list chosen from candidate conjunctions to agree with the network on as many fitting points
/// as a budget of rules (`maxRules`, the default rule counted) and conditions (`maxConditions`) allows.
///
/// The candidates are conjunctions found elsewhere (every node's path in trees of several sizes, the
/// generalised rules of C4.5rules). The list is built greedily, each step adding the candidate (with the
/// majority class of the points it is first to decide) that raises the list's agreement most, the default
/// being the majority of the points no rule decides; the most agreeing of that list and the `starts`
/// (ordered lists of other learners within the budget, e.g. RIPPER's) is then improved by local search: a rule is replaced by
/// another candidate (of those that would gain most as a last rule there, as many as `evaluationBudget`
/// allows), or dropped, whenever that raises the agreement, until a pass changes nothing (at most `passes`). Every evaluation counts agreeing
/// points exactly, on bit sets. Deterministic: candidates are tried in order, and only a strict gain is
/// taken.
struct RuleListSearch {
    var maxRules: Int
    var maxConditions: Int
    var passes = 10
    /// Bit-word operations the local search may spend on lists tried in full: at each position it tries
    /// the candidates that would gain most as the last rule there, as many as this budget allows over
    /// `passes` passes (every candidate for short lists), and never fewer than `minimumTried`.
    var evaluationBudget = 1_000_000_000
    var minimumTried = 32
    /// Greedy steps before which `generate` is asked for candidates (the first rules decide most points).
    var generatedSteps = 8

    /// One rule of the list being searched: a candidate and the class it predicts.
    struct Entry: Equatable {
        var candidate: Int
        var prediction: Int
    }

    /// The list over `fit`'s points, as a `RuleList` (ordered, counts and default from `fit`).
    /// `generate`: more candidates for the points no rule decides yet (a flag per point), asked before
    /// each greedy step (column generation with a heuristic pricing step: conjunctions found where the
    /// list still has to decide).
    /// With `generate`, the search runs with and without it and keeps the list that agrees on more points
    /// (without on ties): the generated conjunctions fit where the list still has to decide, which helps
    /// most lists but can lead the greedy start astray.
    func fit(_ fit: RuleFitData, candidates initial: [[RuleTest]], outputs: [String], starts: [RuleList] = [],
             generate: (([Bool]) -> [[RuleTest]])? = nil) -> RuleList {
        let plain = search(fit, candidates: initial, outputs: outputs, starts: starts, generate: nil)
        guard let generate else { return plain }
        let generated = search(fit, candidates: initial, outputs: outputs, starts: starts, generate: generate)
        return fit.agreement(generated).agreeing > fit.agreement(plain).agreeing ? generated : plain
    }

    private func search(_ fit: RuleFitData, candidates initial: [[RuleTest]], outputs: [String], starts: [RuleList],
                        generate: (([Bool]) -> [[RuleTest]])?) -> RuleList {
        let schema = fit.data.schema
        var candidates = initial
        var known = Set(initial)
        var sets = candidates.map { fit.coverage($0).words }
        var conditions = candidates.map { RuleTest.conditions($0, schema: schema).count }
        let classes = fit.classSets.map(\.words)
        var scorer = ListScorer(sets: sets, classes: classes, rows: fit.rows)
        var entries: [Entry] = []
        var best = scorer.agreement(entries)
        func used(_ list: [Entry]) -> Int { list.reduce(0) { $0 + conditions[$1.candidate] } }
        // Greedy: the largest gain while rules and conditions last.
        while entries.count + 1 < maxRules {
            if let generate, entries.count < generatedSteps {
                let undecided = scorer.undecided(after: entries)
                let flags = (0..<fit.rows).map { undecided[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
                for tests in generate(flags) where known.insert(tests).inserted {
                    candidates.append(tests)
                    sets.append(fit.coverage(tests).words)
                    conditions.append(RuleTest.conditions(tests, schema: schema).count)
                }
                scorer = ListScorer(sets: sets, classes: classes, rows: fit.rows)
            }
            var chosen: (Entry, Int)?
            let undecided = scorer.undecided(after: entries)
            let counts = scorer.classCounts(undecided)
            let decided = best - (counts.max() ?? 0)
            for candidate in candidates.indices where used(entries) + conditions[candidate] <= maxConditions
                && !entries.contains(where: { $0.candidate == candidate }) {
                let (prediction, score) = scorer.appended(candidate, to: undecided, counts: counts)
                if decided + score > (chosen?.1 ?? best) { chosen = (Entry(candidate: candidate, prediction: prediction), decided + score) }
            }
            guard let (entry, score) = chosen else { break }
            entries.append(entry)
            best = score
        }
        // Another learner's list, when it agrees more.
        let index = Dictionary(candidates.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for start in starts where start.ordered && start.rules.count + 1 <= maxRules && start.conditionCount <= maxConditions {
            let list = start.rules.compactMap { rule in index[RuleTest.simplified(rule.tests)].map { Entry(candidate: $0, prediction: rule.prediction) } }
            guard list.count == start.rules.count, used(list) <= maxConditions else { continue }
            let score = scorer.agreement(list)
            if score > best { (entries, best) = (list, score) }
        }
        // Local search: replace or drop a rule while that gains.
        let listCost = max(1, entries.count * entries.count * scorer.words * passes)
        let tried = max(minimumTried, evaluationBudget / listCost)
        for _ in 0..<passes {
            var changed = false
            for position in entries.indices.reversed() where position < entries.count {
                // The rules before `position` decide the same points in every list tried here.
                let prefix = scorer.agreement(of: entries[..<position], from: RowSet.all(rows: fit.rows).words)
                let undecided = prefix.undecided
                var dropped = entries
                dropped.remove(at: position)
                let droppedScore = prefix.agreeing + scorer.agreement(dropped[position...], from: undecided)
                var chosen: ([Entry], Int)? = droppedScore > best ? (dropped, droppedScore) : nil
                let budget = maxConditions - used(dropped)
                // The `tried` candidates that would gain most as the last rule here are tried in full.
                let present = Set(entries.map(\.candidate))
                let open = candidates.indices.filter { conditions[$0] <= budget && !present.contains($0) }
                let counts = scorer.classCounts(undecided)
                let gains: [(prediction: Int, agreeing: Int)] = open.map { scorer.appended($0, to: undecided, counts: counts) }
                let order = open.indices.sorted { (a: Int, b: Int) -> Bool in
                    gains[a].agreeing != gains[b].agreeing ? gains[a].agreeing > gains[b].agreeing : a < b
                }
                for slot in order.prefix(tried) {
                    var replaced = entries
                    replaced[position] = Entry(candidate: open[slot], prediction: gains[slot].prediction)
                    let score = prefix.agreeing + scorer.agreement(replaced[position...], from: undecided)
                    if score > (chosen?.1 ?? best) { chosen = (replaced, score) }
                }
                if let (list, score) = chosen {
                    entries = list
                    best = score
                    changed = true
                }
            }
            if !changed { break }
        }
        let rules = entries.map { ListRule(tests: candidates[$0.candidate], prediction: $0.prediction) }
        return fit.finished(RuleList(schema: schema, outputs: outputs, rules: rules,
                                     defaultClass: scorer.defaultClass(after: entries), ordered: true))
    }

    /// Candidates from trees: the path to every node but the root, its tests merged per feature, each once.
    static func candidates(from trees: [DecisionTree], and lists: [RuleList] = []) -> [[RuleTest]] {
        var seen = Set<[RuleTest]>(), result: [[RuleTest]] = []
        func add(_ tests: [RuleTest]) {
            guard !tests.isEmpty, seen.insert(tests).inserted else { return }
            result.append(tests)
        }
        for tree in trees {
            var stack: [(node: Int, tests: [RuleTest])] = [(0, [])]
            while let (node, tests) = stack.popLast() {
                add(RuleTest.simplified(tests))
                guard let split = tree.nodes[node].split else { continue }
                let (left, right): (RuleTest, RuleTest)
                switch split.test {
                case let .threshold(threshold):
                    (left, right) = (.atMost(feature: split.feature, threshold: threshold), .above(feature: split.feature, threshold: threshold))
                case let .categories(goesLeft):
                    (left, right) = (.inCategories(feature: split.feature, categories: goesLeft),
                                     .inCategories(feature: split.feature, categories: goesLeft.map { !$0 }))
                }
                stack.append((tree.nodes[node].right, tests + [right]))
                stack.append((tree.nodes[node].left, tests + [left]))
            }
        }
        for list in lists { for rule in list.rules { add(RuleTest.simplified(rule.tests)) } }
        return result
    }
}

/// Exact agreement of decision lists over candidate coverages kept as bit words.
struct ListScorer {
    let sets: [[UInt64]]
    let classes: [[UInt64]]
    let rows: Int
    /// Every point's class.
    let labels: [Int32]
    /// `classes` word by word: `classWords[word * classes.count + label]`.
    let classWords: [UInt64]

    init(sets: [[UInt64]], classes: [[UInt64]], rows: Int) {
        self.sets = sets
        self.classes = classes
        self.rows = rows
        let words = (rows + 63) / 64
        var labels = [Int32](repeating: 0, count: words * 64)
        var classWords = [UInt64](repeating: 0, count: words * classes.count)
        for (label, members) in classes.enumerated() {
            for w in 0..<words {
                classWords[w * classes.count + label] = members[w]
                var bits = members[w]
                while bits != 0 {
                    labels[w << 6 | bits.trailingZeroBitCount] = Int32(label)
                    bits &= bits &- 1
                }
            }
        }
        self.labels = labels
        self.classWords = classWords
    }

    var words: Int { (rows + 63) / 64 }

    /// The points no rule of `entries` decides.
    func undecided(after entries: [Entry]) -> [UInt64] {
        var undecided = RowSet.all(rows: rows).words
        for entry in entries { for w in 0..<words { undecided[w] &= ~sets[entry.candidate][w] } }
        return undecided
    }

    typealias Entry = RuleListSearch.Entry

    /// How many points of `undecided` each class holds.
    func classCounts(_ undecided: [UInt64]) -> [Int] {
        classes.map { members in (0..<words).reduce(0) { $0 + (undecided[$1] & members[$1]).nonzeroBitCount } }
    }

    /// `candidate` appended to a list that leaves `undecided` (holding `counts` points of each class): its
    /// class (the majority of what it decides, the lowest on ties) and the points it and then the default
    /// get right. Words the candidate does not reach are skipped; a sparse word counts its points' labels.
    func appended(_ candidate: Int, to undecided: [UInt64], counts: [Int]) -> (prediction: Int, agreeing: Int) {
        let classCount = classes.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: classCount) { inside in
            inside.initialize(repeating: 0)
            sets[candidate].withUnsafeBufferPointer { set in
                undecided.withUnsafeBufferPointer { open in
                    labels.withUnsafeBufferPointer { labels in
                        classWords.withUnsafeBufferPointer { classWords in
                            for w in 0..<set.count {
                                let hit = set[w] & open[w]
                                if hit == 0 { continue }
                                if hit.nonzeroBitCount <= classCount {
                                    var bits = hit
                                    while bits != 0 {
                                        inside[Int(labels[w << 6 | bits.trailingZeroBitCount])] += 1
                                        bits &= bits &- 1
                                    }
                                } else {
                                    let base = w * classCount
                                    for label in 0..<classCount { inside[label] += (hit & classWords[base + label]).nonzeroBitCount }
                                }
                            }
                        }
                    }
                }
            }
            var prediction = 0, outside = 0
            for label in 0..<classCount {
                if inside[label] > inside[prediction] { prediction = label }
                outside = max(outside, counts[label] - inside[label])
            }
            return (prediction, inside[prediction] + outside)
        }
    }

    /// The default class after `entries`: the majority of the points they leave.
    func defaultClass(after entries: [Entry]) -> Int {
        RuleFitData.majority(classCounts(undecided(after: entries)))
    }

    /// Points on which the list of `entries` then the majority default agrees with the labels.
    func agreement(_ entries: [Entry]) -> Int {
        agreement(entries[...], from: RowSet.all(rows: rows).words)
    }

    /// Points of `undecided` on which `entries` then the majority default agree with the labels.
    func agreement(_ entries: ArraySlice<Entry>, from undecided: [UInt64]) -> Int {
        let (agreeing, left) = agreement(of: entries, from: undecided)
        var most = 0
        left.withUnsafeBufferPointer { left in
            for members in classes {
                var count = 0
                members.withUnsafeBufferPointer { members in
                    for w in 0..<left.count { count += (left[w] & members[w]).nonzeroBitCount }
                }
                most = max(most, count)
            }
        }
        return agreeing + most
    }

    /// Points of `undecided` on which the rules of `entries` agree with the labels, and the points they
    /// leave undecided.
    func agreement(of entries: ArraySlice<Entry>, from undecided: [UInt64]) -> (agreeing: Int, undecided: [UInt64]) {
        var undecided = undecided
        var agreeing = 0
        undecided.withUnsafeMutableBufferPointer { undecided in
            for entry in entries {
                sets[entry.candidate].withUnsafeBufferPointer { set in
                    classes[entry.prediction].withUnsafeBufferPointer { members in
                        for w in 0..<undecided.count {
                            agreeing += (set[w] & undecided[w] & members[w]).nonzeroBitCount
                            undecided[w] &= ~set[w]
                        }
                    }
                }
            }
        }
        return (agreeing, undecided)
    }
}
