/// The version of distill, printed by `--version` and recorded in generated files.
public enum DistillVersion {
    public static let current = "0.1.0"
}
