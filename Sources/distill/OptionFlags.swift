import Distill

/// The flag of each library settings field that diagnostics, listings and reports name (`Diagnostic.options`,
/// `Extraction.Options.settings`): text printed by the tool names the flag the user typed, the library's
/// own text the field.
enum OptionFlags {
    static let flags: [String: String] = [
        "domainPoints": "--domain-points",
        "explainRows": "--explain-rows",
        "features": "--features",
        "fineTune": "--fine-tune",
        "kernelScale": "--kernel-scale",
        "maxConditions": "--max-conditions",
        "maxDepth": "--max-depth",
        "maxFidelityLoss": "--max-fidelity-loss",
        "maxLeaves": "--max-leaves",
        "maxRules": "--max-rules",
        "maxTerms": "--max-terms",
        "minImportance": "--min-importance",
        "minOracleSamples": "--min-oracle-samples",
        "minSamplesLeaf": "--min-samples-leaf",
        "noLookahead": "--no-lookahead",
        "occlusionPatch": "--patch",
        "noMerge": "--no-merge",
        "oraclePoints": "--oracle-points",
        "pixels": "distill neurons --pixels",
        "prune": "--prune",
        "refine": "--refine",
        "rulePoints": "--rule-points",
        "sampler": "--oracle-sampler",
        "saveSurrogate": "--save-surrogate",
        "unordered": "--unordered",
        "validationPoints": "--validation-points",
        "baseline": "--baseline",
        "certify": "--certify",
        "className": "--class",
        "dataPath": "--data",
        "integrationSteps": "--steps",
        "kind": "--surrogate",
        "label": "--label",
        "leaves": "--leaf-model",
        "maximumBytes": "--max-input-size",
        "morrisTrajectories": "--morris-trajectories",
        "samples": "--samples",
        "sobolSamples": "--sobol-samples",
        "streaming": "--stream",
        "testFraction": "--test-fraction",
    ]

    /// The flag of `field`, or the field itself when no flag sets it.
    static func flag(_ field: String) -> String { flags[field] ?? field }

    /// Names options by their flags, for the library's listings and reports.
    static let naming = OptionNaming { flag($0) }
}
