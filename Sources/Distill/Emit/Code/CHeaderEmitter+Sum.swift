/// The C code of a tree sum: one walk per tree, `<prefix>_scores` adding a linear start's terms and each
/// tree's value for the leaf x reaches to the base (in distill's order, so the sums are bit for bit the
/// same), and `<prefix>_predict` (and `_probabilities`) reading the scores as `TreeSum` does (the clipping
/// written as Swift's `min(max(s, 0), 1)` compares, so that -0 clips to +0 there too).
extension CHeaderEmitter {
    static func treeSum(_ sum: TreeSum, _ surrogate: GeneratedSurrogate, prefix: String, into code: inout CodeWriter) {
        let scoreCount = sum.scoreCount
        for (number, tree) in surrogate.trees.enumerated() {
            code.line()
            code.line("/* Tree \(number + 1): the leaf (in depth-first order) that x reaches. */")
            code.block("static inline int \(prefix)_tree\(number + 1)(const double *x) {") { walkBody(tree, into: &$0) }
        }
        code.line()
        code.line("/* Writes the scores to s[0 .. \(scoreCount - 1)]: the base\(sum.hasLinearStart ? " plus the linear start's terms" : "") plus each tree's value for the leaf x reaches. */")
        code.block("static inline void \(prefix)_scores(const double *x, double *s) {") { code in
            for (number, tree) in surrogate.trees.enumerated() {
                guard case let .tree(decision) = tree.surrogate else { continue }
                let leaves = tree.leafNodes
                code.line("static const double tree\(number + 1)[\(leaves.count)][\(scoreCount)] = {")
                code.indented { code in
                    for node in leaves { code.line("{\(decision.nodes[node].value.map(cNumber).joined(separator: ", "))},") }
                }
                code.line("};")
            }
            if !sum.trees.isEmpty { code.line("int k, leaf;") } else if !sum.hasLinearStart { code.line("(void)x;") }
            if sum.hasLinearStart { code.line("double term;") }
            for (k, value) in sum.base.enumerated() { code.line("s[\(k)] = \(cNumber(value));") }
            for (k, terms) in sum.terms.enumerated() {
                for term in terms {
                    code.line("term = \(cNumber(term.coefficient)) * x[\(term.feature)];")
                    code.line("s[\(k)] += term;")
                }
            }
            for number in sum.trees.indices {
                code.line("leaf = \(prefix)_tree\(number + 1)(x);")
                code.line("for (k = 0; k < \(scoreCount); k++) s[k] += tree\(number + 1)[leaf][k];")
            }
        }
        code.line()
        guard sum.task == .classification else {
            code.line("/* Writes the predicted outputs to out[0 .. OUTPUT_COUNT-1]. */")
            code.block("static inline void \(prefix)_predict(const double *x, double *out) {") { $0.line("\(prefix)_scores(x, out);") }
            return
        }
        let classCount = sum.outputs.count
        code.line(scoreCount == 1 ? "/* The predicted class (enum \(prefix)_class): the second when its score is above 0.5. */"
            : "/* The predicted class (enum \(prefix)_class): the highest score, the first on ties. */")
        code.block("static inline int \(prefix)_predict(const double *x) {") { code in
            code.line("double s[\(scoreCount)];")
            if scoreCount == 1 {
                code.line("\(prefix)_scores(x, s);")
                code.line("return s[0] > 0.5 ? 1 : 0;")
            } else {
                code.line("int k, best = 0;")
                code.line("\(prefix)_scores(x, s);")
                code.line("for (k = 1; k < \(scoreCount); k++) if (s[k] > s[best]) best = k;")
                code.line("return best;")
            }
        }
        code.line()
        code.line("/* Writes the class shares to out[0 .. CLASS_COUNT-1]: the scores clipped to [0, 1] and scaled to sum to 1. */")
        code.block("static inline void \(prefix)_probabilities(const double *x, double *out) {") { code in
            code.line("double s[\(scoreCount)];")
            if scoreCount == 1 {
                code.line("double p;")
                code.line("\(prefix)_scores(x, s);")
                code.line("p = 0.0 >= s[0] ? 0.0 : s[0];")
                code.line("p = 1.0 < p ? 1.0 : p;")
                code.line("out[0] = 1.0 - p;")
                code.line("out[1] = p;")
            } else {
                code.line("double total = 0.0;")
                code.line("int k;")
                code.line("\(prefix)_scores(x, s);")
                code.line("for (k = 0; k < \(classCount); k++) { out[k] = 0.0 >= s[k] ? 0.0 : s[k]; out[k] = 1.0 < out[k] ? 1.0 : out[k]; total += out[k]; }")
                code.line("for (k = 0; k < \(classCount); k++) out[k] = total > 0.0 ? out[k] / total : 1.0 / \(classCount).0;")
            }
        }
    }
}
