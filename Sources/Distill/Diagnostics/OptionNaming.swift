import Foundation

/// How text the library writes names an option. The library refers to an option by its settings field
/// (`testFraction`, `maxDepth`); a front end that sets options another way names them its own way (the
/// command-line tool shows its flags, `--test-fraction`). Diagnostics and listings both take a naming.
public struct OptionNaming: Sendable {
    private let name: @Sendable (String) -> String

    /// A naming that shows field `f` as `name(f)`.
    public init(_ name: @escaping @Sendable (String) -> String) {
        self.name = name
    }

    /// Shows every option by its settings field, as Swift code sets it.
    public static let fields = OptionNaming { $0 }

    /// The name of the option whose settings field is `field`.
    public func callAsFunction(_ field: String) -> String { name(field) }

    /// `text` with each `{field}` of `Diagnostic.optionFields` replaced by the field's name. Braces around
    /// anything else stay as they are.
    public func substitute(_ text: String) -> String {
        guard text.contains("{") else { return text }
        var result = text
        for field in Diagnostic.optionFields where result.contains("{\(field)}") {
            result = result.replacingOccurrences(of: "{\(field)}", with: name(field))
        }
        return result
    }
}
