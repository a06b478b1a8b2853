import Foundation

extension RowExplanation {
    /// Explains raw row `row` of `network`; `data` (the rows of `dataPath`) gives the background, the domain
    /// and the surrogate; without it the background is drawn from the model's declared domain.
    ///
    /// - Parameters:
    ///   - network: the network whose decision is explained.
    ///   - modelPath: the model's file, named in diagnostics.
    ///   - row: one raw row (a value per input feature, a categorical one as its category index).
    ///   - data: background rows (nil: 2000 points drawn from the declared domain).
    ///   - options: the class explained, the background sample, the surrogate and certification, image maps
    ///     and groups.
    /// - Returns: the answer, the attributions, the rule, the counterfactual and the maps asked for.
    /// - Throws: a `Diagnostic` for an unknown class, a row the network answers NaN on, an image that
    ///   does not fit the inputs, or a layer that is not hidden.
    /// - Complexity: exact Shapley values take 2^d evaluations per background row (d <= 14 inputs).
    public static func run(network: Network, modelPath: String, row: [Double], data: Dataset?, options: Options) throws -> RowExplanation {
        let d = network.schema.count
        let evaluator = NetworkEvaluator(network: network)
        let outputs = try evaluator.checkedEvaluate(raw: row, rows: 1, file: modelPath, what: "row").values
        var target = network.task == .classification ? Agreement.argmax(outputs) : 0
        if let name = options.className {
            guard network.task == .classification, let index = network.outputs.firstIndex(of: name) else {
                throw Diagnostic(file: modelPath, "unknown class '\(name)' for {className}; the classes are: \(network.outputs.joined(separator: ", "))",
                                 failure: .usage)
            }
            target = index
        }
        var generator = SeededGenerator(seed: options.seed &+ 0xB6)
        let pool = try data ?? DomainSampler(schema: network.schema, file: modelPath).sample(rows: 2000, generator: &generator)
        let background = options.backgroundRows.map { count in pool.subset(Array(generator.permutation(pool.rows).prefix(count)).sorted()) } ?? pool
        let shapley = ShapleyValues(network: network, background: background, output: target).explain(row, seed: options.seed)
        // The background's mean, as `distill sensitivity`'s default baseline.
        let baseline = try SensitivityAnalysis.integratedGradientsBaseline(network: network, rows: background, options: .init(), modelPath: modelPath)
        let single = Dataset(schema: network.schema, rows: 1, values: row)
        let attributions = Attributions(network: network)
        let integrated = attributions.integratedGradients(single, baseline: baseline, target: target, steps: options.integrationSteps).attributions
        let slope = NetworkGradient(network: network).gradients(encoded: network.schema.encode(row, rows: 1), rows: 1,
                                                                 targets: .fixed(target)).gradients
        let relevance = LayerwiseRelevance(network: network, rule: .epsilon)
            .relevances(encoded: network.schema.encode(row, rows: 1), rows: 1, target: target).input
        let domain = RawBox(domainOf: network.schema, rows: pool.values)
        var surrogate: Extraction?, ruleName: String?, certification: RowCertification?
        if let settings = options.surrogate {
            let extraction = try Extraction.run(network: network, modelPath: modelPath, options: settings)
            surrogate = extraction
            let regions = ListedRegion.regions(of: extraction.surrogate, domain: domain, rows: row)
            ruleName = regions.map { $0.regions[$0.deciders[0]].name }
            if let certify = options.certify, let regions, let result = extraction.certify(certify) {
                let rule = result.rules[regions.deciders[0]]
                let inside = row.withUnsafeBufferPointer { point in rule.certifiedBoxes.contains { $0.contains(point) } }
                certification = RowCertification(rowCertified: inside, ruleCertifiedMass: rule.certifiedMass)
            }
        }
        var occlusion: [Double]?
        let image = options.image ?? network.image
        if let image {
            guard image.inputs.upperBound <= d, options.patch >= 1 else {
                throw Diagnostic(file: modelPath, "an image of \(image.height) x \(image.width) x \(image.channels) values from input \(image.firstInput + 1) needs \(image.inputs.upperBound) inputs; the model has \(d)", failure: .usage)
            }
            occlusion = OcclusionMap.drops(evaluator: evaluator, row: row, fill: background.columnMeans(), image: image,
                                           patch: options.patch, output: target)
        }
        var groups: NeuronGroups?, groupAttribution: NeuronGroups.RowAttribution?
        if let count = options.groups {
            let hidden = NeuronProfile.hiddenLayers(of: network)
            let ordinal = options.groupLayer ?? hidden.count
            guard !hidden.isEmpty, (1...hidden.count).contains(ordinal) else {
                throw Diagnostic(file: modelPath, hidden.isEmpty ? "has no hidden dense layer whose neurons could be grouped"
                                 : "has \(hidden.count) hidden layer\(hidden.count == 1 ? "" : "s"); layer \(ordinal) is not one of them", failure: .usage)
            }
            let found = NeuronGroups.find(network: network, layer: hidden[ordinal - 1], ordinal: ordinal, data: pool, count: count)
            groups = found
            groupAttribution = found.attribution(of: row, network: network, target: target)
        }
        let counterfactual = network.task == .classification ? Self.counterfactual(network: network, row: row, classIndex: Agreement.argmax(outputs), domain: domain) : nil
        return RowExplanation(network: network, row: row, outputs: outputs, target: target, shapley: shapley,
                              integratedGradients: integrated, saliency: attributions.perFeature(slope), lrp: attributions.perFeature(relevance), surrogate: surrogate, ruleName: ruleName,
                              certification: certification, occlusion: occlusion, image: image,
                              counterfactual: counterfactual, groups: groups, groupAttribution: groupAttribution, backgroundRows: background.rows,
                              backgroundSource: data == nil ? "drawn from the declared domain" : "rows of the data")
    }

    /// The closest point found where the network does not decide `classIndex`: gradient searches in boxes
    /// around the row of growing size (1/64 to all of each continuous feature's range, categorical and
    /// binary values kept), then the point moved back toward the row along the straight line while it
    /// still flips (bisection). Nil when even the whole domain holds none that the search finds.
    static func counterfactual(network: Network, row: [Double], classIndex: Int, domain: RawBox) -> Counterfactual? {
        let search = CounterexampleSearch(network: network)
        let evaluator = NetworkEvaluator(network: network)
        let width = network.schema.count
        for share in [1.0 / 64, 1.0 / 16, 1.0 / 4, 1] {
            var box = domain
            for feature in 0..<width where domain.allowed[feature] == nil {
                let reach = share * (domain.upper[feature] - domain.lower[feature])
                box.lower[feature] = max(domain.lower[feature], min(row[feature], domain.upper[feature]) - reach)
                box.upper[feature] = min(domain.upper[feature], max(row[feature], domain.lower[feature]) + reach)
            }
            guard let found = search.search(in: box, classIndex: classIndex, starts: [row]) else { continue }
            // Back toward the row: the smallest t with row + t (found - row) still flipping.
            var low = 0.0, high = 1.0
            func point(_ t: Double) -> [Double] {
                (0..<width).map { domain.allowed[$0] == nil ? row[$0] + t * (found.inputs[$0] - row[$0]) : found.inputs[$0] }
            }
            for _ in 0..<30 {
                let middle = 0.5 * (low + high)
                let out = evaluator.evaluate(raw: point(middle), rows: 1).values
                if Agreement.argmax(out) != classIndex { high = middle } else { low = middle }
            }
            let inputs = point(high)
            let distance = (0..<width).filter { domain.allowed[$0] == nil }.map { feature -> Double in
                let range = domain.upper[feature] - domain.lower[feature]
                return range > 0 ? abs(inputs[feature] - row[feature]) / range : 0
            }.max() ?? 0
            return Counterfactual(inputs: inputs, outputs: evaluator.evaluate(raw: inputs, rows: 1).values, distance: distance)
        }
        return nil
    }
}
