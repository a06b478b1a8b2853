/// Collapses splits whose two children are leaves predicting the same class, bottom-up, so that every
/// rule of the listing leads to a distinct decision. Predictions are unchanged; the merged leaf's class
/// counts are those of its training rows. Regression trees are returned as they are.
public enum MergeRedundantLeaves {
    /// Merges redundant sibling leaves of a classification tree.
    /// - Parameter tree: The tree to simplify.
    /// - Returns: The tree with the merges made and its nodes renumbered in depth-first pre-order (a merged
    ///   leaf keeps its node's `samples`); a regression tree unchanged.
    /// - Complexity: O(nodes).
    public static func apply(to tree: DecisionTree) -> DecisionTree {
        guard tree.task == .classification else { return tree }
        var nodes = tree.nodes
        func collapse(_ index: Int) {
            guard !nodes[index].isLeaf else { return }
            let left = nodes[index].left, right = nodes[index].right
            collapse(left)
            collapse(right)
            if nodes[left].isLeaf, nodes[right].isLeaf,
               Agreement.argmax(nodes[left].value) == Agreement.argmax(nodes[right].value) {
                nodes[index].split = nil
                nodes[index].left = -1
                nodes[index].right = -1
                // The merged leaf holds its children's counts (for CART these equal the node's own; an oracle
                // tree draws each node's points anew, and the children's counts keep the shared class).
                nodes[index].value = zip(nodes[left].value, nodes[right].value).map { $0 + $1 }
            }
        }
        collapse(0)
        var result = tree
        result.nodes = compact(nodes)
        return result
    }

    /// Keeps the nodes reachable from the root, renumbered in depth-first pre-order.
    static func compact(_ nodes: [TreeNode]) -> [TreeNode] {
        var kept: [TreeNode] = []
        func visit(_ index: Int) -> Int {
            let newIndex = kept.count
            kept.append(nodes[index])
            if !nodes[index].isLeaf {
                let left = visit(nodes[index].left)
                let right = visit(nodes[index].right)
                kept[newIndex].left = left
                kept[newIndex].right = right
            }
            return newIndex
        }
        _ = visit(0)
        return kept
    }
}
