/// Reads a saved surrogate ("distill-surrogate" version 1, written by `SavedSurrogate.render`), checking
/// that it is well formed: a tree's child indices in range and every node reached once, a rule list's
/// tests fitting their features; features, categories and classes known; count widths matching the outputs.
public enum SurrogateDecoder {
    /// Reads the saved surrogate at `path`.
    ///
    /// - Parameter path: a file written by `SavedSurrogate.render()` (`distill --save-surrogate`).
    /// - Returns: the surrogate with its listing, command and example rows.
    /// - Throws: a `Diagnostic` naming the JSON path of the first problem.
    public static func load(path: String) throws -> SavedSurrogate {
        try decode(try FileInput.readBytes(path: path), file: path)
    }

    /// Reads a saved surrogate from the bytes of its JSON document.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - file: The file's name, used in diagnostics.
    /// - Returns: The surrogate with its listing, command and example rows.
    /// - Throws: `Diagnostic` naming the JSON path of the first problem.
    public static func decode(_ bytes: [UInt8], file: String) throws -> SavedSurrogate {
        let root = JSONReader(try JSONDocument.parse(bytes, file: file), file: file)
        let format = try root.member("format")
        guard try format.string() == "distill-surrogate" else {
            throw format.error("expected \"distill-surrogate\" (a file written by {saveSurrogate}), found \"\(try format.string())\"")
        }
        try root.checkKeys(["format", "version", "distill", "model", "task", "inputs", "outputs", "command", "listing",
                            "tree", "rule_list", "tree_sum", "examples"])
        let version = try root.member("version")
        guard try version.integer() == 1 else { throw version.error("unsupported version \(try version.integer())") }
        let taskReader = try root.member("task")
        guard let task = PredictionTask(rawValue: try taskReader.string()) else {
            throw taskReader.error("expected \"classification\" or \"regression\"")
        }
        let schema = FeatureSchema(features: try ModelDecoder.decodeInputs(try root.member("inputs")))
        let outputsReader = try root.member("outputs")
        let outputs = try outputsReader.strings()
        try ModelDecoder.checkNames(outputs, reader: outputsReader, what: "output")
        let surrogate: Surrogate
        let held = try ["tree", "rule_list", "tree_sum"].filter { try root.optionalMember($0) != nil }
        if held.count > 1 {
            throw root.error("a saved surrogate holds one of \"tree\", \"rule_list\" and \"tree_sum\", not \(held.map { "\"\($0)\"" }.joined(separator: " and "))")
        }
        if let sumReader = try root.optionalMember("tree_sum") {
            try sumReader.checkKeys(["base", "terms", "trees"])
            guard outputs.count >= (task == .classification ? 2 : 1) else {
                throw outputsReader.error(task == .classification ? "a classifier needs at least 2 classes" : "a regression needs at least 1 output")
            }
            let names = TreeSum.scoreNames(task: task, outputs: outputs)
            let base = try sumReader.member("base").vector(count: names.count)
            var terms: [[LinearTerm]] = []
            if let termsReader = try sumReader.optionalMember("terms") {
                guard task == .regression else { throw termsReader.error("only a regression sum has a linear start") }
                let lists = try termsReader.elements()
                guard lists.count == names.count else { throw termsReader.error("expected one list of terms per output (\(names.count)), found \(lists.count)") }
                terms = try lists.map { try decodeTerms($0, schema: schema) }
            }
            let trees = try sumReader.member("trees").elements().map { treeReader in
                try treeReader.checkKeys(["nodes"])
                let nodes = try decodeNodes(try treeReader.member("nodes"), schema: schema, task: .regression, outputs: names.count)
                guard nodes.allSatisfy(\.models.isEmpty) else { throw treeReader.error("a tree of a sum has no linear models") }
                return DecisionTree(task: .regression, schema: schema, outputs: names, nodes: nodes)
            }
            surrogate = .sum(TreeSum(task: task, schema: schema, outputs: outputs, base: base, terms: terms, trees: trees))
        } else if let listReader = try root.optionalMember("rule_list") {
            guard task == .classification else { throw listReader.error("a rule list needs the classification task") }
            surrogate = .rules(try decodeRuleList(listReader, schema: schema, outputs: outputs))
        } else {
            let nodes = try decodeNodes(try root.member("tree").member("nodes"), schema: schema, task: task, outputs: outputs.count)
            surrogate = .tree(DecisionTree(task: task, schema: schema, outputs: outputs, nodes: nodes))
        }
        let examplesReader = try root.member("examples")
        var examples: [Double] = []
        for row in try examplesReader.elements() { examples += try row.vector(count: schema.count) }
        return SavedSurrogate(modelName: try root.member("model").string(), surrogate: surrogate,
                              listing: try root.member("listing").string(), command: try root.member("command").string(),
                              examples: examples)
    }

    private static func decodeRuleList(_ reader: JSONReader, schema: FeatureSchema, outputs: [String]) throws -> RuleList {
        try reader.checkKeys(["ordered", "rules", "default", "default_counts"])
        func classIndex(_ reader: JSONReader) throws -> Int {
            let name = try reader.string()
            guard let index = outputs.firstIndex(of: name) else { throw reader.error("unknown class \"\(name)\"") }
            return index
        }
        guard case let .bool(ordered) = try reader.member("ordered").value else {
            throw try reader.member("ordered").error("expected true or false")
        }
        let rules = try reader.member("rules").elements().map { item -> ListRule in
            try item.checkKeys(["tests", "prediction", "counts"])
            let tests = try item.member("tests").elements().map { testReader -> RuleTest in
                try testReader.checkKeys(["feature", "op", "threshold", "categories"])
                let featureReader = try testReader.member("feature")
                let feature = try featureReader.integer()
                guard feature >= 0, feature < schema.count else {
                    throw featureReader.error("expected a feature index 0..<\(schema.count), found \(feature)")
                }
                let opReader = try testReader.member("op")
                let op = try opReader.string()
                if op == "<=" || op == ">" {
                    try testReader.checkKeys(["feature", "op", "threshold"])
                    if schema.features[feature].isCategorical {
                        throw opReader.error("\"\(op)\" needs a continuous or binary feature; '\(schema.features[feature].name)' is categorical")
                    }
                } else if op == "in" {
                    try testReader.checkKeys(["feature", "op", "categories"])
                } else {
                    throw opReader.error("unknown test \"\(op)\"; expected \"<=\", \">\" or \"in\"")
                }
                switch op {
                case "<=": return .atMost(feature: feature, threshold: try testReader.member("threshold").number())
                case ">": return .above(feature: feature, threshold: try testReader.member("threshold").number())
                case "in":
                    guard let categories = schema.features[feature].categories else {
                        throw opReader.error("\"in\" needs a categorical feature")
                    }
                    var mask = [Bool](repeating: false, count: categories.count)
                    for nameReader in try testReader.member("categories").elements() {
                        guard let index = categories.firstIndex(of: try nameReader.string()) else {
                            throw nameReader.error("unknown category of '\(schema.features[feature].name)'")
                        }
                        mask[index] = true
                    }
                    return .inCategories(feature: feature, categories: mask)
                default:
                    preconditionFailure("op checked above")
                }
            }
            return ListRule(tests: tests, prediction: try classIndex(try item.member("prediction")),
                            counts: try item.member("counts").vector(count: outputs.count))
        }
        return RuleList(schema: schema, outputs: outputs, rules: rules, defaultClass: try classIndex(try reader.member("default")),
                        defaultCounts: try reader.member("default_counts").vector(count: outputs.count), ordered: ordered)
    }

    /// Linear terms: `[{"feature": 2, "coefficient": 4.2}, ...]`, each reading a continuous or binary feature.
    private static func decodeTerms(_ reader: JSONReader, schema: FeatureSchema) throws -> [LinearTerm] {
        try reader.elements().map { term in
            try term.checkKeys(["feature", "coefficient"])
            let featureReader = try term.member("feature")
            let feature = try featureReader.integer()
            guard feature >= 0, feature < schema.count, schema.features[feature].categories == nil else {
                throw featureReader.error("expected the index of a continuous or binary feature 0..<\(schema.count), found \(feature)")
            }
            return LinearTerm(feature: feature, coefficient: try term.member("coefficient").number())
        }
    }

    private static func decodeNodes(_ reader: JSONReader, schema: FeatureSchema, task: PredictionTask, outputs: Int) throws -> [TreeNode] {
        let items = try reader.elements()
        guard !items.isEmpty else { throw reader.error("expected at least one node") }
        var nodes: [TreeNode] = []
        for item in items {
            try item.checkKeys(["feature", "threshold", "left_categories", "left", "right", "samples", "depth", "value", "spread", "models"])
            let value = try item.member("value").vector(count: task == .classification ? outputs : outputs)
            var node = TreeNode(split: nil, left: -1, right: -1, samples: try item.member("samples").integer(), value: value,
                                spread: try item.optionalMember("spread")?.vector(count: outputs) ?? [],
                                depth: try item.member("depth").integer())
            if let modelsReader = try item.optionalMember("models") {
                guard task == .regression else { throw modelsReader.error("only regression leaves have linear models") }
                let models = try modelsReader.elements()
                guard models.count == outputs else { throw modelsReader.error("expected \(outputs) models (one per output), found \(models.count)") }
                node.models = try models.map { model in
                    try model.checkKeys(["intercept", "terms"])
                    return LeafModel(intercept: try model.member("intercept").number(), terms: try decodeTerms(try model.member("terms"), schema: schema))
                }
            }
            if let featureReader = try item.optionalMember("feature") {
                let feature = try featureReader.integer()
                guard feature >= 0, feature < schema.count else {
                    throw featureReader.error("expected a feature index 0..<\(schema.count), found \(feature)")
                }
                if let categories = schema.features[feature].categories {
                    let namesReader = try item.member("left_categories")
                    var left = [Bool](repeating: false, count: categories.count)
                    for nameReader in try namesReader.elements() {
                        let name = try nameReader.string()
                        guard let index = categories.firstIndex(of: name) else {
                            throw nameReader.error("unknown category \"\(name)\" of '\(schema.features[feature].name)'")
                        }
                        left[index] = true
                    }
                    node.split = TreeNode.Split(feature: feature, test: .categories(left: left))
                } else {
                    node.split = TreeNode.Split(feature: feature, test: .threshold(try item.member("threshold").number()))
                }
                node.left = try item.member("left").integer()
                node.right = try item.member("right").integer()
            }
            nodes.append(node)
        }
        // Every node but the root is the child of exactly one node, and children come after parents.
        var reached = [Bool](repeating: false, count: nodes.count)
        reached[0] = true
        for (index, node) in nodes.enumerated() where !node.isLeaf {
            for (side, child) in [("left", node.left), ("right", node.right)] {
                let place = JSONReader(.null, path: "\(items[index].path).\(side)", file: items[index].file)
                guard child > index, child < nodes.count else {
                    throw place.error("child index \(child); expected a later node, \(index + 1)..<\(nodes.count) (children come after their parent)")
                }
                guard !reached[child] else { throw place.error("node \(child) is already the child of another node") }
                reached[child] = true
            }
        }
        if let orphan = reached.firstIndex(of: false) {
            throw items[orphan].error("node \(orphan) is not reached from the root")
        }
        return nodes
    }
}
