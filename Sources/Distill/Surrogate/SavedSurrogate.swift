/// A fitted surrogate saved for later code generation (`--save-surrogate`, read by `distill emit`):
/// the tree or rule list with its feature schema and outputs, the rule listing, the command, and some
/// held-out rows for the tests of a generated package. Format "distill-surrogate", version 1.
public struct SavedSurrogate: Equatable, Sendable {
    /// The name of the model the surrogate imitates.
    public var modelName: String
    /// The tree or rule list.
    public var surrogate: Surrogate
    /// The rule listing as text.
    public var listing: String
    /// The command line that produced the surrogate.
    public var command: String
    /// Held-out raw rows (row-major, one value per feature), used as test cases for generated code.
    public var examples: [Double]

    /// Creates a saved surrogate from its parts, stored as given.
    public init(modelName: String, surrogate: Surrogate, listing: String, command: String, examples: [Double]) {
        self.modelName = modelName
        self.surrogate = surrogate
        self.listing = listing
        self.command = command
        self.examples = examples
    }
}
