/// The Swift code of a tree sum: `scores` adds, to the base, a linear start's terms and each tree's value
/// for the leaf a row reaches (tree by tree, in the order distill adds them, so the sums are bit for bit
/// the same), and `predict` and `probabilities` read the scores as `TreeSum` does.
extension SwiftSourceEmitter {
    static func treeSum(_ sum: TreeSum, _ surrogate: GeneratedSurrogate, _ names: GeneratedNames, into code: inout CodeWriter) {
        let scoreCount = sum.scoreCount
        if sum.task == .classification {
            classEnum(surrogate, names, into: &code)
            code.line()
            code.line("/// The class the surrogate predicts for `input`.")
            code.block("public static func predict(_ input: Input) -> Class {") { $0.line("predict(features: input.features)") }
            code.line()
            code.line(scoreCount == 1
                ? "/// The class for raw feature values in the model's input order (a categorical feature as the 0-based index of its value): the second class when its score is above 0.5."
                : "/// The class for raw feature values in the model's input order (a categorical feature as the 0-based index of its value): the highest score, the first on ties.")
            code.block("public static func predict(features: [Double]) -> Class {") { code in
                code.line("let s = scores(features)")
                if scoreCount == 1 {
                    code.line("return Class.allCases[s[0] > 0.5 ? 1 : 0]")
                } else {
                    code.line("var best = 0")
                    code.line("for k in s.indices where s[k] > s[best] { best = k }")
                    code.line("return Class.allCases[best]")
                }
            }
            code.line()
            code.line("/// The class shares for `input`: the scores clipped to [0, 1] and scaled to sum to 1.")
            code.block("public static func probabilities(_ input: Input) -> [Class: Double] {") {
                $0.line("probabilities(features: input.features)")
            }
            code.line()
            code.line("/// The class shares for raw feature values in the model's input order.")
            code.block("public static func probabilities(features: [Double]) -> [Class: Double] {") { code in
                code.line("let s = scores(features)")
                if scoreCount == 1 {
                    code.line("let p = min(max(s[0], 0), 1)")
                    code.line("return [Class.allCases[0]: 1 - p, Class.allCases[1]: p]")
                } else {
                    code.line("let clipped = s.map { min(max($0, 0), 1) }")
                    code.line("let total = clipped.reduce(0, +)")
                    code.line("let shares = total > 0 ? clipped.map { $0 / total } : clipped.map { _ in 1 / Double(clipped.count) }")
                    code.line("return Dictionary(uniqueKeysWithValues: zip(Class.allCases, shares))")
                }
            }
        } else {
            regressionPredict(surrogate, into: &code) { single, code in code.line(single ? "scores(features)[0]" : "scores(features)") }
        }
        code.line()
        code.line(sum.hasLinearStart ? "/// The base scores plus the linear start's terms plus each tree's value for the leaf the raw feature values reach."
            : "/// The base scores plus each tree's value for the leaf the raw feature values reach.")
        code.block("static func scores(_ x: [Double]) -> [Double] {") { code in
            let count = sum.schema.count
            code.line("precondition(x.count == \(count), \"expected \(count) feature values\")")
            let base = "[\(sum.base.map(NumberText.shortest).joined(separator: ", "))]"
            guard !sum.trees.isEmpty || sum.hasLinearStart else { code.line("return \(base)"); return }
            code.line("var s: [Double] = \(base)")
            for (k, terms) in sum.terms.enumerated() {
                for term in terms { code.line("s[\(k)] += \(NumberText.shortest(term.coefficient)) * x[\(term.feature)]") }
            }
            for number in sum.trees.indices {
                code.line("for (k, value) in tree\(number + 1)Values[tree\(number + 1)(x)].enumerated() { s[k] += value }")
            }
            code.line("return s")
        }
        for (number, tree) in surrogate.trees.enumerated() {
            code.line()
            code.line("/// Tree \(number + 1): the leaf (in depth-first order) that raw feature values reach.")
            code.block("static func tree\(number + 1)(_ x: [Double]) -> Int {") { walkBody(tree, tree: number + 1, into: &$0) }
            tableArrays(tree, tree: number + 1, into: &code)
            code.line()
            code.line("/// What each leaf of tree \(number + 1) adds to the scores.")
            code.line("private static let tree\(number + 1)Values: [[Double]] = [")
            code.indented { code in
                guard case let .tree(decision) = tree.surrogate else { return }
                for node in tree.leafNodes { code.line("[\(decision.nodes[node].value.map(NumberText.shortest).joined(separator: ", "))],") }
            }
            code.line("]")
        }
    }
}
