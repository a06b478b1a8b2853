/// The machine-readable result of an extraction (`--json`): fidelity, accuracy, size, held-out rows, seed.
public enum ExtractionJSON {
    public static func render(_ extraction: Extraction) -> String {
        let rules = TreeRules.rules(of: extraction.tree)
        let evaluation = extraction.evaluation
        var members: [(String, JSONOutput)] = [
            ("model", .string(extraction.network.name)),
            ("task", .string(extraction.network.task.rawValue)),
            ("surrogate", .string("tree")),
            ("fidelity", .number(evaluation.fidelity)),
        ]
        if let agreeing = evaluation.agreeingRows { members.append(("agreeing_rows", .int(agreeing))) }
        if let network = evaluation.networkAccuracy, let surrogate = evaluation.surrogateAccuracy {
            members.append(("accuracy", .object([("network", .number(network)), ("surrogate", .number(surrogate))])))
        }
        members.append(("size", .object([
            ("leaves", .int(extraction.tree.leafCount)),
            ("rules", .int(rules.count)),
            ("conditions", .int(rules.reduce(0) { $0 + $1.conditions.count })),
            ("depth", .int(extraction.tree.depth)),
        ])))
        members.append(("heldout_rows", .int(evaluation.heldoutRows)))
        members.append(("train_rows", .int(extraction.data.train.rows)))
        members.append(("seed", .literal(String(extraction.options.data.seed))))
        let tree = extraction.options.tree
        members.append(("settings", .object([
            ("max_depth", tree.maxDepth.map { .int($0) } ?? .null),
            ("max_leaves", tree.maxLeaves.map { .int($0) } ?? .null),
            ("min_samples_leaf", .int(tree.minSamplesLeaf)),
            ("test_fraction", extraction.options.data.testPath == nil ? .number(extraction.options.data.testFraction) : .null),
        ])))
        return JSONOutput.object(members).render()
    }
}
