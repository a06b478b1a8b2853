/// The `--layout table` walk of a tree, in Swift and C: its nodes as flat arrays (kind, feature, threshold,
/// the categories going left, children, leaf ordinal) and a loop from the root. It tests with the same `<=`
/// and exact category compares as the nested walk (NaN, fractional and unknown categories go right), so
/// both layouts answer alike. A tree sum's trees each get their own arrays.
enum TreeTableLayout {
    /// A Swift array's name: `kinds` for a single tree, `tree2Kinds` for a sum's second tree.
    static func swiftName(_ base: String, tree number: Int?) -> String {
        guard let number else { return base }
        return "tree\(number)" + base.prefix(1).uppercased() + base.dropFirst()
    }

    /// Swift: the loop that walks the arrays of `tree` (the body of a function of `x: [Double]` returning the
    /// leaf ordinal).
    static func swiftWalk(tree number: Int?, into code: inout CodeWriter) {
        func name(_ base: String) -> String { swiftName(base, tree: number) }
        code.line("var node = 0")
        code.block("while true {") { code in
            code.block("switch \(name("kinds"))[node] {", closing: "}") { code in
                code.line("case 0: return \(name("leafOrdinals"))[node]")
                code.line("case 1: node = x[\(name("features"))[node]] <= \(name("thresholds"))[node] ? \(name("lefts"))[node] : \(name("rights"))[node]")
                code.line("default: node = \(name("leftCategories"))[node].contains(x[\(name("features"))[node]]) ? \(name("lefts"))[node] : \(name("rights"))[node]")
            }
        }
    }

    /// Swift: the arrays of `tree` as `private static let`s.
    static func swiftArrays(_ tree: DecisionTree, ordinals: [Int], tree number: Int?, into code: inout CodeWriter) {
        func array(_ base: String, _ type: String, _ values: [String]) {
            code.line()
            code.line("private static let \(swiftName(base, tree: number)): [\(type)] = [")
            code.indented { code in
                stride(from: 0, to: values.count, by: 8).forEach { start in
                    code.line(values[start..<min(start + 8, values.count)].joined(separator: ", ") + ",")
                }
            }
            code.line("]")
        }
        let nodes = tree.nodes
        array("kinds", "UInt8", nodes.map(kind))
        array("features", "Int", nodes.map { String($0.split?.feature ?? 0) })
        array("thresholds", "Double", nodes.map { NumberText.shortest(threshold($0)) })
        array("leftCategories", "[Double]", nodes.map { "[\(leftCategories($0).map(String.init).joined(separator: ", "))]" })
        array("lefts", "Int", nodes.map { String(max($0.left, 0)) })
        array("rights", "Int", nodes.map { String(max($0.right, 0)) })
        array("leafOrdinals", "Int", ordinals.map { String(max($0, 0)) })
    }

    /// C: the body of a function of `const double *x` returning the leaf ordinal: the arrays as `static
    /// const` locals (the categories going left as one list, each node's from `category_starts`, only when a
    /// node splits on categories), then the loop.
    static func cWalk(_ tree: DecisionTree, ordinals: [Int], into code: inout CodeWriter) {
        let nodes = tree.nodes
        func array(_ type: String, _ name: String, _ values: [String]) {
            code.line("static const \(type) \(name)[\(values.count)] = {")
            code.indented { code in
                stride(from: 0, to: values.count, by: 8).forEach { start in
                    let last = start + 8 >= values.count
                    code.line(values[start..<min(start + 8, values.count)].joined(separator: ", ") + (last ? "" : ","))
                }
            }
            code.line("};")
        }
        let categories = nodes.map(leftCategories)
        let categorical = nodes.contains { if case .categories? = $0.split?.test { return true } else { return false } }
        array("unsigned char", "kinds", nodes.map(kind))
        array("int", "features", nodes.map { String($0.split?.feature ?? 0) })
        array("double", "thresholds", nodes.map { CHeaderEmitter.cNumber(threshold($0)) })
        array("int", "lefts", nodes.map { String(max($0.left, 0)) })
        array("int", "rights", nodes.map { String(max($0.right, 0)) })
        array("int", "leaf_ordinals", ordinals.map { String(max($0, 0)) })
        if categorical {
            var starts = [0]
            for list in categories { starts.append(starts.last! + list.count) }
            array("int", "category_starts", starts.map(String.init))
            // C has no empty arrays: splits that send no category left (a saved surrogate may hold one)
            // leave one unread entry.
            let listed = categories.flatMap { $0 }.map { CHeaderEmitter.cNumber(Double($0)) }
            array("double", "left_categories", listed.isEmpty ? ["0.0"] : listed)
        }
        code.line("int node = 0;")
        code.block("for (;;) {") { code in
            code.line("if (kinds[node] == 0) return leaf_ordinals[node];")
            guard categorical else {
                code.line("node = x[features[node]] <= thresholds[node] ? lefts[node] : rights[node];")
                return
            }
            code.block("if (kinds[node] == 1) {") { code in
                code.line("node = x[features[node]] <= thresholds[node] ? lefts[node] : rights[node];")
            }
            code.block("else {") { code in
                code.line("int i, left = 0;")
                code.line("for (i = category_starts[node]; i < category_starts[node + 1]; i++) if (x[features[node]] == left_categories[i]) left = 1;")
                code.line("node = left ? lefts[node] : rights[node];")
            }
        }
    }

    /// 0 for a leaf, 1 for a threshold split, 2 for a categorical one.
    private static func kind(_ node: TreeNode) -> String {
        guard let split = node.split else { return "0" }
        if case .threshold = split.test { return "1" }
        return "2"
    }

    private static func threshold(_ node: TreeNode) -> Double {
        if case let .threshold(threshold)? = node.split?.test { return threshold }
        return 0
    }

    /// The category indices a categorical split sends left (none for other nodes).
    private static func leftCategories(_ node: TreeNode) -> [Int] {
        guard case let .categories(left)? = node.split?.test else { return [] }
        return left.indices.filter { left[$0] }
    }
}
