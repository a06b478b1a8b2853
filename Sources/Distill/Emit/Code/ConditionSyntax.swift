/// How a target language writes the surrogate's tests, so the Swift and C emitters share one walk.
struct ConditionSyntax: Sendable {
    /// A double literal that reads back as exactly the value.
    let number: @Sendable (Double) -> String
    /// A category index as compared with a `double` feature value.
    let category: @Sendable (Int) -> String
    let trueLiteral: String
    let falseLiteral: String
    /// `if` with its condition and opening brace.
    let ifOpen: @Sendable (String) -> String
    /// The statement returning an outcome.
    let returning: @Sendable (Int) -> String

    static let swift = ConditionSyntax(number: { NumberText.shortest($0) }, category: { String($0) }, trueLiteral: "true",
                                       falseLiteral: "false", ifOpen: { "if \($0) {" }, returning: { "return \($0)" })
    static let c = ConditionSyntax(number: { CHeaderEmitter.cNumber($0) }, category: { "\($0).0" }, trueLiteral: "1",
                                   falseLiteral: "0", ifOpen: { "if (\($0)) {" }, returning: { "return \($0);" })

    /// A tree split's test: `x[f] <= t`, or the categories going left.
    func split(_ feature: Int, _ test: SplitTest) -> String {
        switch test {
        case let .threshold(threshold): return "x[\(feature)] <= \(number(threshold))"
        case let .categories(left): return oneOf(feature, left, parenthesised: false)
        }
    }

    /// A rule's tests joined by `&&`.
    func rule(_ tests: [RuleTest]) -> String {
        guard !tests.isEmpty else { return trueLiteral }
        return tests.map { test in
            switch test {
            case let .atMost(feature, threshold): return "x[\(feature)] <= \(number(threshold))"
            case let .above(feature, threshold): return "x[\(feature)] > \(number(threshold))"
            case let .inCategories(feature, categories): return oneOf(feature, categories, parenthesised: true)
            }
        }.joined(separator: " && ")
    }

    private func oneOf(_ feature: Int, _ categories: [Bool], parenthesised: Bool) -> String {
        let alternatives = categories.indices.filter { categories[$0] }.map { "x[\(feature)] == \(category($0))" }
        guard !alternatives.isEmpty else { return falseLiteral }
        let text = alternatives.joined(separator: " || ")
        return parenthesised && alternatives.count > 1 ? "(\(text))" : text
    }

    /// The body of the outcome function: nested if/else for a tree (outcomes are leaf ordinals), a chain
    /// of ifs in evaluation order for a rule list (outcomes are rule indices, the default last). A tree
    /// sum is walked tree by tree (`GeneratedSurrogate.trees`), never as a whole.
    func walk(_ surrogate: GeneratedSurrogate, into code: inout CodeWriter) {
        switch surrogate.surrogate {
        case .sum:
            preconditionFailure("a tree sum is walked tree by tree")
        case let .rules(list):
            for index in list.evaluationOrder {
                code.line(ifOpen(rule(list.rules[index].tests)))
                code.indented { $0.line(returning(index)) }
                code.line("}")
            }
            code.line(returning(list.rules.count))
        case let .tree(tree):
            let ordinals = surrogate.leafOrdinals
            func branch(_ index: Int, _ code: inout CodeWriter) {
                let node = tree.nodes[index]
                guard let split = node.split else { code.line(returning(ordinals[index])); return }
                code.line(ifOpen(self.split(split.feature, split.test)))
                code.indented { branch(node.left, &$0) }
                code.line("} else {")
                code.indented { branch(node.right, &$0) }
                code.line("}")
            }
            branch(0, &code)
        }
    }
}
