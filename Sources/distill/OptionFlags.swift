import Distill

/// The flag of each library settings field that diagnostics name (`Diagnostic.options`): a diagnostic
/// printed by the tool names the flag the user typed, the library's own text the field.
enum OptionFlags {
    static let flags: [String: String] = [
        "baseline": "--baseline",
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
}
