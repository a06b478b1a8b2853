extension DecisionTree {
    /// This tree with a CART subtree grown under each leaf on the rows of `data` that reach it (`settings`;
    /// a depth limit counts from this tree's root). The top's nodes keep their counts, which must be over
    /// the same rows.
    func grafted(below settings: TreeSettings, data: Dataset, target: TreeTarget) -> DecisionTree {
        var rowsByLeaf = [[Int]](repeating: [], count: nodes.count)
        for (row, leaf) in leaves(raw: data.values, rows: data.rows).enumerated() { rowsByLeaf[leaf].append(row) }
        var result = self
        for leaf in nodes.indices where nodes[leaf].isLeaf && rowsByLeaf[leaf].count > 1 {
            var local = settings
            if let maxDepth = settings.maxDepth {
                guard maxDepth > nodes[leaf].depth else { continue }
                local.maxDepth = maxDepth - nodes[leaf].depth
            }
            let rows = rowsByLeaf[leaf]
            let subtree = TreeBuilder(settings: local).fit(data.subset(rows), target: target.subset(rows), outputs: outputs)
            guard let split = subtree.nodes[0].split else { continue }
            // The subtree's root becomes the leaf; its other nodes go at the end.
            let offset = result.nodes.count - 1
            let moved = { (index: Int) in index == 0 ? leaf : offset + index }
            result.nodes[leaf].split = split
            result.nodes[leaf].left = moved(subtree.nodes[0].left)
            result.nodes[leaf].right = moved(subtree.nodes[0].right)
            for var node in subtree.nodes.dropFirst() {
                node.depth += nodes[leaf].depth
                if !node.isLeaf {
                    node.left = moved(node.left)
                    node.right = moved(node.right)
                }
                result.nodes.append(node)
            }
        }
        return result
    }
}

extension TreeTarget {
    /// The targets of `rows`, in that order.
    func subset(_ rows: [Int]) -> TreeTarget {
        switch self {
        case let .classes(labels, classCount): return .classes(rows.map { labels[$0] }, classCount: classCount)
        case let .values(values, outputs):
            return .values(rows.flatMap { values[($0 * outputs)..<(($0 + 1) * outputs)] }, outputs: outputs)
        }
    }
}
