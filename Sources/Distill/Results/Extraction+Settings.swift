extension Extraction.Options {
    /// One setting of a run as a listing records it: the settings field (or, for a switch that turns
    /// something off, a name of that state: `noLookahead`, `noMerge`, `unordered`) and its value
    /// (nil for a switch). An `OptionNaming` shows the field the way the reader sets it.
    public struct Setting: Equatable, Sendable {
        /// The settings field (`maxDepth`), or the name of a switch's state (`noLookahead`).
        public var field: String
        /// The value as text; nil for a switch.
        public var value: String?

        /// Creates a setting; without a value it is a switch.
        public init(_ field: String, _ value: String? = nil) {
            self.field = field
            self.value = value
        }
    }

    /// The settings that shape the surrogate, in a fixed order: the surrogate kind and size, and every
    /// budget that differs from its default. Enough to fit the same surrogate again from the same rows
    /// and seed.
    public var settings: [Setting] {
        var parts: [Setting] = []
        if kind != .tree { parts.append(Setting("kind", kind.rawValue)) }
        if let prune {
            parts.append(Setting("prune"))
            parts.append(Setting("maxFidelityLoss", NumberText.trimmed(prune.maxFidelityLoss * 100, decimals: 3)))
            if prune.fineTune { parts.append(Setting("fineTune")) }
            // The tool prunes with the run's seed and the default budgets; a library caller may not.
            let usual = PruningSettings(seed: data.seed)
            if prune.seed != usual.seed { parts.append(Setting("pruneSeed", "\(prune.seed)")) }
            if prune.checkSamples != usual.checkSamples { parts.append(Setting("checkSamples", "\(prune.checkSamples)")) }
            if prune.constantTolerance != usual.constantTolerance {
                parts.append(Setting("constantTolerance", NumberText.shortest(prune.constantTolerance)))
            }
            if let work = prune.maxWork { parts.append(Setting("maxWork", NumberText.shortest(work))) }
        }
        switch features {
        case .all: break
        case let .top(count): parts.append(Setting("features", "top:\(count)"))
        case let .minImportance(threshold): parts.append(Setting("minImportance", NumberText.shortest(threshold)))
        }
        if kind == .oracleTree {
            parts.append(Setting("minOracleSamples", "\(minOracleSamples)"))
            if !lookahead { parts.append(Setting("noLookahead")) }
            if sampler != .rows { parts.append(Setting("sampler", sampler.rawValue)) }
        }
        if let kernelScale { parts.append(Setting("kernelScale", NumberText.shortest(kernelScale))) }
        let defaults = Extraction.Options()
        // A count kept as set on wide inputs (`scalesOraclePoints` false) is listed even at its default.
        if oraclePoints != defaults.oraclePoints || !scalesOraclePoints { parts.append(Setting("oraclePoints", "\(oraclePoints)")) }
        if [.rules, .ripper, .ruleSearch, .best].contains(kind), rulePoints != defaults.rulePoints || !scalesRulePoints {
            parts.append(Setting("rulePoints", "\(rulePoints)"))
        }
        if kind != .ripper, validationPoints != defaults.validationPoints { parts.append(Setting("validationPoints", "\(validationPoints)")) }
        if case let .linear(terms) = leaves { parts += [Setting("leaves", "linear"), Setting("maxTerms", "\(terms)")] }
        if domainPoints != defaults.domainPoints { parts.append(Setting("domainPoints", "\(domainPoints)")) }
        let isList = [.rules, .ripper, .ruleSearch].contains(kind)
        if !rules.ordered, isList { parts.append(Setting("unordered")) }
        if let maxRules = rules.maxRules, isList { parts.append(Setting("maxRules", "\(maxRules)")) }
        if let maxConditions = rules.maxConditions, isList { parts.append(Setting("maxConditions", "\(maxConditions)")) }
        guard kind != .ripper else { return parts }
        if let depth = tree.maxDepth { parts.append(Setting("maxDepth", "\(depth)")) }
        if let leaves = tree.maxLeaves { parts.append(Setting("maxLeaves", "\(leaves)")) }
        parts.append(Setting("minSamplesLeaf", "\(tree.minSamplesLeaf)"))
        if !mergeRedundantLeaves { parts.append(Setting("noMerge")) }
        return parts
    }
}
