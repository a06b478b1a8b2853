/// The version of distill, printed by `--version` and recorded in generated files.
public enum DistillVersion {
    /// This build's version string.
    public static let current = "0.1.0"
}
