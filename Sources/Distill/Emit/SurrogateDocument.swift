/// A fitted surrogate saved for later code generation (`--save-surrogate`, read by `distill emit`):
/// the tree with its feature schema and outputs, the rule listing, the command, and some held-out rows
/// for the tests of a generated package. Format "distill-surrogate", version 1.
public struct SavedSurrogate: Equatable, Sendable {
    public var modelName: String
    public var tree: DecisionTree
    public var listing: String
    public var command: String
    /// Held-out raw rows (row-major, one value per feature), used as test cases for generated code.
    public var examples: [Double]

    public init(modelName: String, tree: DecisionTree, listing: String, command: String, examples: [Double]) {
        self.modelName = modelName
        self.tree = tree
        self.listing = listing
        self.command = command
        self.examples = examples
    }

    /// Number of example rows.
    public var exampleRows: Int { tree.schema.count == 0 ? 0 : examples.count / tree.schema.count }

    /// The JSON document.
    public func render() -> String {
        let schema = tree.schema
        let inputs: [JSONOutput] = schema.features.map { feature in
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
        let nodes: [JSONOutput] = tree.nodes.map { node in
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
            return .object(members)
        }
        let width = max(schema.count, 1)
        let rows: [JSONOutput] = stride(from: 0, to: examples.count, by: width).map { start in
            .array(examples[start..<(start + width)].map { .number($0) })
        }
        return JSONOutput.object([
            ("format", .string("distill-surrogate")),
            ("version", .int(1)),
            ("distill", .string(DistillVersion.current)),
            ("model", .string(modelName)),
            ("task", .string(tree.task.rawValue)),
            ("inputs", .array(inputs)),
            ("outputs", .array(tree.outputs.map { .string($0) })),
            ("command", .string(command)),
            ("listing", .string(listing)),
            ("tree", .object([("nodes", .array(nodes))])),
            ("examples", .array(rows)),
        ]).render()
    }
}

extension SavedSurrogate {
    /// The input of the code generators for this surrogate.
    public func generated(typeName: String? = nil, layout: TreeLayout = .nested) -> GeneratedSurrogate {
        GeneratedSurrogate(tree: tree, modelName: modelName, listing: listing, command: command, typeName: typeName,
                           layout: layout)
    }
}

extension Extraction {
    /// Held-out rows kept with a saved surrogate as test cases for generated code.
    public static let savedExampleRows = 200

    /// This extraction's surrogate, ready to save or to generate code from.
    public func saved(listing: String, command: String) -> SavedSurrogate {
        let rows = min(data.test.rows, Self.savedExampleRows)
        let examples = Array(data.test.values.prefix(rows * data.test.schema.count))
        return SavedSurrogate(modelName: network.name, tree: tree, listing: listing, command: command, examples: examples)
    }
}
