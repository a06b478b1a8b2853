/// Prunes a grown tree back to at most a number of leaves, keeping the subtree that imitates the network
/// best on validation points the fit never saw: reduced-error pruning solved exactly. For every node and
/// every leaf budget k, a dynamic program over the tree finds the best score of the node's subtree with
/// at most k leaves (the node as a leaf, or its children sharing the budget). Classification scores the
/// validation points whose label is the node's predicted class; regression scores minus the squared error
/// against the node's mean, or its linear model when nodes carry models. On ties the smaller subtree
/// wins; for classification, the smallest subtree within one standard error of the best agreement wins
/// (CART's 1-SE rule). Leaves keep the values of the fitting rows; split nodes lose their models.
public enum FidelityPruning {
    /// The best subtree of `tree` with at most `maxLeaves` leaves on `validation` (rows and the network's
    /// answers on them).
    public static func prune(_ tree: DecisionTree, maxLeaves: Int, validation: Dataset, target: TreeTarget) -> DecisionTree {
        let budget = max(1, maxLeaves)
        let score = leafScores(tree, validation: validation, target: target)
        let nodes = tree.nodes
        // best[node][k - 1]: the best score with at most k leaves; split[node][k - 1]: the children's budgets
        // that reach it (nil when the node is a leaf).
        var best = [[Double]](repeating: [], count: nodes.count)
        var split = [[(Int, Int)?]](repeating: [], count: nodes.count)
        for index in postOrder(nodes) {
            let node = nodes[index]
            var scores = [score[index]]
            var choices: [(Int, Int)?] = [nil]
            if !node.isLeaf {
                let left = best[node.left], right = best[node.right]
                let most = min(budget, left.count + right.count)
                for k in stride(from: 2, through: most, by: 1) {
                    var value = scores[k - 2], choice = choices[k - 2]
                    // Children with at most a and k - a leaves; a ranges where both budgets are at least one.
                    for a in max(1, k - right.count)...min(left.count, k - 1) {
                        let candidate = left[a - 1] + right[k - a - 1]
                        if candidate > value + 1e-9 * max(1, abs(value)) {
                            value = candidate
                            choice = (a, k - a)
                        }
                    }
                    scores.append(value)
                    choices.append(choice)
                }
            }
            best[index] = scores
            split[index] = choices
        }
        // Breiman's one-standard-error rule (classification): the fewest leaves whose validation agreement
        // is within one standard error of the best, sqrt(n p (1 - p)) points, so that validation noise
        // does not buy leaves.
        var chosenBudget = min(budget, best[0].count)
        if case .classes = target, validation.rows > 0 {
            let top = best[0][chosenBudget - 1], share = top / Double(validation.rows)
            let error = (Double(validation.rows) * share * (1 - share)).squareRoot()
            chosenBudget = (1...chosenBudget).first { best[0][$0 - 1] >= top - error } ?? chosenBudget
        }
        // Rebuild from the root with the chosen budget.
        var kept = nodes
        func cut(_ index: Int, _ k: Int) {
            let choice = split[index][min(k, split[index].count) - 1]
            guard let (a, b) = choice else {
                kept[index].split = nil
                kept[index].left = -1
                kept[index].right = -1
                return
            }
            kept[index].models = []
            cut(nodes[index].left, a)
            cut(nodes[index].right, b)
        }
        cut(0, chosenBudget)
        var result = tree
        result.nodes = MergeRedundantLeaves.compact(kept)
        return result
    }

    /// Every node's score as a leaf on the validation points that reach it.
    static func leafScores(_ tree: DecisionTree, validation: Dataset, target: TreeTarget) -> [Double] {
        let nodes = tree.nodes, width = validation.schema.count
        var scores = [Double](repeating: 0, count: nodes.count)
        let predicted = nodes.indices.map(tree.predictedClass(leaf:))
        validation.values.withUnsafeBufferPointer { values in
            for row in 0..<validation.rows {
                let point = UnsafeBufferPointer(rebasing: values[(row * width)..<((row + 1) * width)])
                var index = 0
                while true {
                    switch target {
                    case let .classes(classes, _):
                        if classes[row] == predicted[index] { scores[index] += 1 }
                    case let .values(outputs, count):
                        var error = 0.0
                        let predicted = tree.values(of: index, at: point)
                        for output in 0..<count {
                            let difference = outputs[row * count + output] - predicted[output]
                            error += difference * difference
                        }
                        scores[index] -= error
                    }
                    guard let test = nodes[index].split else { break }
                    index = test.test.goesLeft(point[test.feature]) ? nodes[index].left : nodes[index].right
                }
            }
        }
        return scores
    }

    /// Node indices with every child before its parent.
    static func postOrder(_ nodes: [TreeNode]) -> [Int] {
        var order: [Int] = [], stack = [0]
        while let index = stack.popLast() {
            order.append(index)
            if !nodes[index].isLeaf { stack += [nodes[index].left, nodes[index].right] }
        }
        return order.reversed()
    }
}
