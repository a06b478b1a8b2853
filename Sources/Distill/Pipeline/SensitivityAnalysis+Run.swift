extension SensitivityAnalysis {
    /// Runs `options.methods` on `network`, over `data` (nil: the declared domain of `modelPath`).
    ///
    /// - Parameters:
    ///   - network: the network analysed.
    ///   - modelPath: the model's file, named in diagnostics (and whose declared domain is sampled without data).
    ///   - data: the rows to analyse; nil draws `options.domainSamples` points from the declared domain.
    ///   - options: the methods and their budgets (Sobol' points, Morris trajectories, quadrature steps, ...).
    ///   - progress: called with a method's name and its share done, for long methods (Sobol').
    /// - Returns: per method, the features ranked by score, with intervals where the method has them, and
    ///   notes; the occlusion map when the model has an image.
    /// - Throws: a `Diagnostic` for a budget that would not fit in memory, an unknown class or baseline,
    ///   or a domain that cannot be sampled.
    public static func run(network: Network, modelPath: String, data: Dataset?, options: Options,
                           progress: ((String, Double) -> Void)? = nil) throws -> SensitivityAnalysis {
        let d = network.schema.count, width = max(network.schema.encodedWidth, d)
        guard options.occlusionPatch >= 1 else {
            throw Diagnostic("{occlusionPatch} must be 1 or more, found \(options.occlusionPatch)", failure: .usage)
        }
        if options.methods.contains(.sobol) {
            try ResourceLimit.check("sobolSamples", options.sobolSamples,
                                    items: ResourceLimit.product(ResourceLimit.product(options.sobolSamples, d + 2), width + 2),
                                    bytesEach: 8, what: "its N (d + 2) evaluations")
        }
        if options.methods.contains(.morris) {
            try ResourceLimit.check("morrisTrajectories", options.morrisTrajectories,
                                    items: ResourceLimit.product(ResourceLimit.product(options.morrisTrajectories, d + 1), width + 2),
                                    bytesEach: 8, what: "its r (d + 1) evaluations")
        }
        if options.methods.contains(.ig) {
            try ResourceLimit.check("integrationSteps", options.integrationSteps,
                                    items: ResourceLimit.product(options.integrationSteps, (data?.rows ?? options.domainSamples) + width),
                                    bytesEach: 16, what: "its quadrature points along every row's path")
        }
        var generator = SeededGenerator(seed: options.seed)
        let rows = try data ?? DomainSampler(schema: network.schema, file: modelPath).sample(rows: options.domainSamples, generator: &generator)
        let mapping = try data.map { InputMapping(data: $0) } ?? InputMapping(schema: network.schema, file: modelPath)
        let evaluator = NetworkEvaluator(network: network)
        let output = try evaluator.checkedEvaluate(raw: rows.values, rows: rows.rows, file: modelPath, what: data == nil ? "drawn point" : "row")
        var target = 0
        if network.task == .classification {
            if let name = options.className {
                guard let index = network.outputs.firstIndex(of: name) else {
                    throw Diagnostic(file: modelPath, "unknown class '\(name)' for {className}; the classes are: \(network.outputs.joined(separator: ", "))",
                                     failure: .usage)
                }
                target = index
            } else {
                var counts = [Int](repeating: 0, count: network.outputs.count)
                for label in output.predictedClasses { counts[label] += 1 }
                target = RuleFitData.majority(counts)
            }
        }
        let names = network.schema.features.map(\.name)
        let explained = try Self.explained(rows, options: options)
        func ranked(_ values: [Double], intervals: [Interval]? = nil, spreads: [Double]? = nil) -> [FeatureScore] {
            names.indices.map { index in
                FeatureScore(feature: names[index], value: values[index], interval: intervals?[index],
                             spread: spreads?[index])
            }
                .enumerated().sorted { $0.element.value > $1.element.value || ($0.element.value == $1.element.value && $0.offset < $1.offset) }
                .map(\.element)
        }
        var rankings: [Ranking] = []
        var notes: [SensitivityNote] = []
        var convergence: [SobolIndices.Convergence] = []
        let attributions = Attributions(network: network)
        // The integrated-gradients baseline, computed once for integrated gradients and the occlusion map.
        var computedBaseline: [Double]?
        func baseline() throws -> [Double] {
            if let computedBaseline { return computedBaseline }
            let value = try integratedGradientsBaseline(network: network, rows: rows, options: options, modelPath: modelPath)
            computedBaseline = value
            return value
        }
        if options.methods.contains(.gradient) {
            let summary = Progress.run("gradients", total: explained.rows, unit: "rows") { stage in
                defer { stage?.advance(by: explained.rows) }
                return attributions.gradientSummaries(explained, target: target)
            }
            rankings.append(Ranking(method: "saliency", scores: ranked(summary.saliency, intervals: summary.saliencyIntervals)))
            rankings.append(Ranking(method: "gradient_x_input",
                                    scores: ranked(summary.gradientTimesInput, intervals: summary.gradientTimesInputIntervals)))
        }
        if options.methods.contains(.ig) {
            let start = try baseline()
            let (values, gap) = integratedGradients(attributions, rows: explained, baseline: start, target: target, options: options)
            let width = network.schema.count, count = explained.rows
            let means = (0..<width).map { j in (0..<count).reduce(0.0) { $0 + abs(values[$1 * width + j]) } / Double(count) }
            let intervals = MeanIntervals.of(values.map(abs), rows: count, means: means)
            rankings.append(Ranking(method: "integrated_gradients", scores: ranked(means, intervals: intervals)))
            notes.append(.completenessGap(gap: gap, steps: options.integrationSteps, rule: options.integrationRule, baseline: options.baseline))
        }
        if options.methods.contains(.lrp) {
            let encoded = network.schema.encode(explained.values, rows: explained.rows)
            let width = network.schema.encodedWidth, d = network.schema.count
            let relevance = Progress.run("LRP", total: explained.rows, unit: "rows") { stage in
                defer { stage?.advance(by: explained.rows) }
                return LayerwiseRelevance(network: network, rule: options.lrpRule)
                    .relevances(encoded: encoded, rows: explained.rows, target: target).input
            }
            var totals = [Double](repeating: 0, count: d), perRow = [Double](repeating: 0, count: explained.rows * d)
            for row in 0..<explained.rows {
                let r = Array(relevance[(row * width)..<((row + 1) * width)])
                for (feature, value) in attributions.perFeature(r).enumerated() {
                    totals[feature] += abs(value) / Double(explained.rows)
                    perRow[row * d + feature] = abs(value)
                }
            }
            rankings.append(Ranking(method: "lrp", scores: ranked(totals, intervals: MeanIntervals.of(perRow, rows: explained.rows, means: totals))))
        }
        if options.methods.contains(.permutation) {
            let scores = PermutationImportance.measure(network: network, data: explained, repeats: options.permutationRepeats, seed: options.seed)
            // Equal shares of changed decisions in the order `--features` keeps them: by how far the output moves.
            rankings.append(Ranking(method: "permutation", scores: PermutationImportance.ranking(scores).map { index in
                FeatureScore(feature: names[index], value: scores[index].mean, interval: nil, spread: scores[index].sd)
            }))
        }
        let model: ([Double], Int) -> [Double] = { unit, count in
            let out = evaluator.evaluate(raw: mapping.rows(unit, count: count), rows: count)
            return (0..<count).map { out[$0, target] }
        }
        if options.methods.contains(.sobol) {
            let settings = SobolIndices.Settings(baseSamples: options.sobolSamples, seed: options.seed, rates: .network)
            let sobolStage = Progress.stage("Sobol' indices", total: 1000, unit: "thousandths")
            defer { sobolStage?.finish() }
            let sobol = SobolIndices.estimate(dimensions: network.schema.count, settings: settings,
                                              progress: { share in progress?("sobol", share); sobolStage?.reach(Int(share * 1000)) },
                                              coordinates: { mapping.rows($0, count: $1) },
                                              mixed: { a, b, count in
                evaluator.evaluateSubstituting(base: a, other: b, rows: count, features: Array(0..<network.schema.count))
                    .map { out in (0..<count).map { out[$0, target] } }
            }) { raw, count in
                let out = evaluator.evaluate(raw: raw, rows: count)
                return (0..<count).map { out[$0, target] }
            }
            rankings.append(Ranking(method: "sobol_first", scores: ranked(sobol.first.map(\.value), intervals: sobol.first.map { Interval($0.low, $0.high) })))
            rankings.append(Ranking(method: "sobol_total", scores: ranked(sobol.total.map(\.value), intervals: sobol.total.map { Interval($0.low, $0.high) })))
            convergence = sobol.convergence
            for (index, estimate) in sobol.first.enumerated() where estimate.value < 0 {
                notes.append(.negativeSobol(index: "sobol_first", feature: names[index], value: estimate.value))
            }
            for (index, estimate) in sobol.total.enumerated() where estimate.value < 0 {
                notes.append(.negativeSobol(index: "sobol_total", feature: names[index], value: estimate.value))
            }
            notes.append(.sobolIntervals(evaluations: sobol.evaluations, samples: options.sobolSamples, dimensions: names.count, blocks: sobol.blocks,
                                         rate: settings.rates.total))
        }
        if options.methods.contains(.morris) {
            let morris = Progress.run("Morris screening", total: options.morrisTrajectories * (d + 1), unit: "points") { stage in
                MorrisScreening.screen(dimensions: d, trajectories: options.morrisTrajectories, seed: options.seed) { unit, count in
                    defer { stage?.advance(by: count) }
                    return model(unit, count)
                }
            }
            rankings.append(Ranking(method: "morris_mu_star", scores: ranked(morris.map(\.muStar), spreads: morris.map(\.sigma))))
        }
        if options.methods.contains(.shapley) {
            let (means, intervals, note) = globalShapley(network: network, rows: rows, target: target, options: options)
            rankings.append(Ranking(method: "shapley", scores: ranked(means, intervals: intervals.map { Interval($0.0, $0.1) })))
            notes.append(note)
        }
        let label = network.task == .classification ? "P(\(network.outputs[target]))" : network.outputs[target]
        var imageMaps: ImageMaps?
        if let shape = options.image ?? network.image {
            guard shape.inputs.upperBound <= d else {
                throw Diagnostic(file: modelPath, "an image of \(shape.height) x \(shape.width) x \(shape.channels) values from input \(shape.firstInput + 1) needs \(shape.inputs.upperBound) inputs; the model has \(d)", failure: .usage)
            }
            imageMaps = Self.imageMaps(network: network, shape: shape, rows: rows, target: target, encodedBaseline: try baseline(), options: options)
            notes.append(.occlusion(target: label, patch: options.occlusionPatch, baseline: options.baselineRow == nil ? options.baseline : "given",
                                   rows: imageMaps!.rows))
        }
        return SensitivityAnalysis(rankings: rankings, notes: notes, convergence: convergence, featureNames: names,
                                   target: label, neurons: NeuronStatistics.measure(network: network, data: rows),
                                   rows: rows.rows, explainedRows: explained.rows, seed: options.seed, imageMaps: imageMaps)
    }

    /// Integrated gradients over `rows` in blocks of 256 rows (each row's attributions depend on it alone),
    /// a block at a time so that progress can be told: per raw feature and row, and the worst gap.
    static func integratedGradients(_ attributions: Attributions, rows: Dataset, baseline: [Double], target: Int,
                                    options: Options) -> (values: [Double], gap: Double) {
        Progress.run("integrated gradients", total: rows.rows, unit: "rows") { stage in
            var values: [Double] = [], gap = 0.0
            values.reserveCapacity(rows.rows * rows.schema.count)
            for start in stride(from: 0, to: rows.rows, by: 256) {
                let block = rows.subset(Array(start..<min(rows.rows, start + 256)))
                let part = attributions.integratedGradients(block, baseline: baseline, target: target,
                                                            steps: options.integrationSteps, rule: options.integrationRule)
                values += part.attributions
                gap = max(gap, part.gap)
                stage?.advance(by: block.rows)
            }
            return (values, gap)
        }
    }

    /// The rows the per-row methods explain: all of `rows`, or a seeded sample of `options.explainRows` of
    /// them in their original order.
    static func explained(_ rows: Dataset, options: Options) throws -> Dataset {
        guard options.explainRows >= 1 else { throw Diagnostic("{explainRows} must be 1 or more, found \(options.explainRows)", failure: .usage) }
        guard rows.rows > options.explainRows else { return rows }
        var generator = SeededGenerator(seed: options.seed &+ 0xE1A1)
        return rows.subset(Array(generator.permutation(rows.rows).prefix(options.explainRows)).sorted())
    }

    /// Mean |Shapley value| per feature over a seeded sample of `shapleyRows` rows, against a background of
    /// `shapleyBackground` other sampled rows, with 95% intervals of the mean over the explained rows.
    static func globalShapley(network: Network, rows: Dataset, target: Int,
                              options: Options) -> (means: [Double], intervals: [(Double, Double)], note: SensitivityNote) {
        var generator = SeededGenerator(seed: options.seed &+ 0x5A4B)
        let order = generator.permutation(rows.rows)
        let explained = Array(order.prefix(min(options.shapleyRows, rows.rows))).sorted()
        let rest = order.count > explained.count ? Array(order.dropFirst(explained.count)) : order
        let background = rows.subset(Array(rest.prefix(options.shapleyBackground)).sorted())
        let shapley = ShapleyValues(network: network, background: background, output: target)
        let d = network.schema.count
        let exact = d <= ShapleyValues.exactLimit
        var explanations = [ShapleyValues.Explanation?](repeating: nil, count: explained.count)
        let stage = Progress.stage("Shapley values", total: explained.count, unit: "rows")
        defer { stage?.finish() }
        explanations.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedBox(buffer)
            Parallelism.forEach(pieces: explained.count) { piece, _ in
                let row = Array(rows.values[(explained[piece] * d)..<((explained[piece] + 1) * d)])
                output.value[piece] = shapley.explain(row, permutations: exact ? nil : options.shapleyPermutations,
                                                      seed: options.seed &+ UInt64(explained[piece]))
                stage?.advance()
            }
        }
        let n = Double(explained.count)
        var means = [Double](repeating: 0, count: d), intervals = [(Double, Double)](repeating: (0, 0), count: d)
        for feature in 0..<d {
            let values = explanations.map { abs($0!.values[feature]) }
            let mean = values.reduce(0, +) / n
            let variance = explained.count > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
            let half = 1.96 * (variance / n).squareRoot()
            means[feature] = mean
            intervals[feature] = (mean - half, mean + half)
        }
        let note = SensitivityNote.shapley(explained: explained.count, rows: rows.rows, seed: options.seed, coalitions: exact ? 1 << d : nil,
                                           orderings: options.shapleyPermutations, background: background.rows,
                                           otherRows: order.count > explained.count)
        return (means, intervals, note)
    }

    /// The encoded baseline row for integrated gradients.
    static func integratedGradientsBaseline(network: Network, rows: Dataset, options: Options, modelPath: String) throws -> [Double] {
        let width = network.schema.encodedWidth
        if let row = options.baselineRow { return network.schema.encode(row, rows: 1) }
        let encoded = network.schema.encode(rows.values, rows: rows.rows)
        switch options.baseline {
        case "zeros": return [Double](repeating: 0, count: width)
        case "mean": return (0..<width).map { j in (0..<rows.rows).reduce(0.0) { $0 + encoded[$1 * width + j] } / Double(rows.rows) }
        case "median":
            return (0..<width).map { j in
                let column = (0..<rows.rows).map { encoded[$0 * width + j] }.sorted()
                return column.count % 2 == 1 ? column[column.count / 2] : (column[column.count / 2 - 1] + column[column.count / 2]) / 2
            }
        default:
            throw Diagnostic("unknown {baseline} '\(options.baseline)'; expected zeros, mean, median or a CSV file")
        }
    }
}
