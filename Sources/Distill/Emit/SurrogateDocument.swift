/// Writes a `SavedSurrogate` in the saved-surrogate format ("distill-surrogate", version 1, read back by
/// `SurrogateDecoder`), and makes one from an extraction.
extension SavedSurrogate {
    /// The JSON document.
    public func render() -> String {
        let schema = surrogate.schema
        let width = max(schema.count, 1)
        let rows: [JSONOutput] = stride(from: 0, to: examples.count, by: width).map { start in
            .array(examples[start..<(start + width)].map { .number($0) })
        }
        var members: [(String, JSONOutput)] = [
            ("format", .string("distill-surrogate")),
            ("version", .int(1)),
            ("distill", .string(DistillVersion.current)),
            ("model", .string(modelName)),
            ("task", .string(surrogate.task.rawValue)),
            ("inputs", .array(schema.features.map(Self.input))),
            ("outputs", .array(surrogate.outputs.map { .string($0) })),
            ("command", .string(command)),
            ("listing", .string(listing)),
        ]
        switch surrogate {
        case let .tree(tree): members.append(("tree", .object([("nodes", .array(tree.nodes.map { Self.node($0, schema) }))])))
        case let .rules(list): members.append(("rule_list", Self.ruleList(list)))
        case let .sum(sum):
            members.append(("tree_sum", .object([
                ("base", .array(sum.base.map { .number($0) })),
            ] + (sum.hasLinearStart ? [("terms", .array(sum.terms.map(Self.terms)))] : []) + [
                ("trees", .array(sum.trees.map { tree in .object([("nodes", .array(tree.nodes.map { Self.node($0, schema) }))]) })),
            ])))
        }
        members.append(("examples", .array(rows)))
        return JSONOutput.object(members).render()
    }

    static func input(_ feature: Feature) -> JSONOutput {
        var members: [(String, JSONOutput)] = [("name", .string(feature.name))]
        switch feature.kind {
        case let .continuous(low, high):
            members.append(("type", .string("continuous")))
            if let low { members.append(("min", .number(low))) }
            if let high { members.append(("max", .number(high))) }
        case .binary:
            members.append(("type", .string("binary")))
        case let .categorical(values):
            members.append(("type", .string("categorical")))
            members.append(("values", .array(values.map { .string($0) })))
        }
        if let unit = feature.unit { members.append(("unit", .string(unit))) }
        return .object(members)
    }

    static func node(_ node: TreeNode, _ schema: FeatureSchema) -> JSONOutput {
        var members: [(String, JSONOutput)] = []
        if let split = node.split {
            members.append(("feature", .int(split.feature)))
            switch split.test {
            case let .threshold(threshold):
                members.append(("threshold", .number(threshold)))
            case let .categories(left):
                let names = schema.features[split.feature].categories ?? []
                members.append(("left_categories", .array(left.indices.filter { left[$0] }.map { .string(names[$0]) })))
            }
            members.append(("left", .int(node.left)))
            members.append(("right", .int(node.right)))
        }
        members.append(("samples", .int(node.samples)))
        members.append(("depth", .int(node.depth)))
        members.append(("value", .array(node.value.map { .number($0) })))
        if !node.spread.isEmpty { members.append(("spread", .array(node.spread.map { .number($0) }))) }
        if !node.models.isEmpty {
            members.append(("models", .array(node.models.map { model in
                .object([("intercept", .number(model.intercept)),
                         ("terms", Self.terms(model.terms))])
            })))
        }
        return .object(members)
    }

    /// Linear terms: `[{"feature": 2, "coefficient": 4.2}, ...]`.
    static func terms(_ terms: [LinearTerm]) -> JSONOutput {
        .array(terms.map { .object([("feature", .int($0.feature)), ("coefficient", .number($0.coefficient))]) })
    }

    static func ruleList(_ list: RuleList) -> JSONOutput {
        let rules: [JSONOutput] = list.rules.map { rule in
            let tests: [JSONOutput] = rule.tests.map { test in
                switch test {
                case let .atMost(feature, threshold):
                    return .object([("feature", .int(feature)), ("op", .string("<=")), ("threshold", .number(threshold))])
                case let .above(feature, threshold):
                    return .object([("feature", .int(feature)), ("op", .string(">")), ("threshold", .number(threshold))])
                case let .inCategories(feature, categories):
                    let names = list.schema.features[feature].categories ?? []
                    return .object([("feature", .int(feature)), ("op", .string("in")),
                                    ("categories", .array(categories.indices.filter { categories[$0] }.map { .string(names[$0]) }))])
                }
            }
            return .object([("tests", .array(tests)), ("prediction", .string(list.outputs[rule.prediction])),
                            ("counts", .array(rule.counts.map { .number($0) }))])
        }
        return .object([
            ("ordered", .bool(list.ordered)),
            ("rules", .array(rules)),
            ("default", .string(list.outputs[list.defaultClass])),
            ("default_counts", .array(list.defaultCounts.map { .number($0) })),
        ])
    }
}

extension SavedSurrogate {
    /// The input of the code generators for this surrogate.
    public func generated(typeName: String? = nil, layout: TreeLayout = .nested) -> GeneratedSurrogate {
        GeneratedSurrogate(surrogate: surrogate, modelName: modelName, listing: listing, command: command,
                           typeName: typeName, layout: layout)
    }
}

extension Extraction {
    /// Held-out rows kept with a saved surrogate as test cases for generated code.
    public static let savedExampleRows = 200

    /// This extraction's surrogate, ready to save or to generate code from.
    public func saved(listing: String, command: String) -> SavedSurrogate {
        let rows = min(data.test.rows, Self.savedExampleRows)
        let examples = Array(data.test.values.prefix(rows * data.test.schema.count))
        return SavedSurrogate(modelName: network.name, surrogate: surrogate, listing: listing, command: command,
                              examples: examples)
    }
}
