import Foundation

/// A `WorkEstimate` as `--dry-run` prints it: one indented line per piece of work, then the time.
public enum DryRunText {
    /// The estimate as text, ending in a newline.
    public static func render(_ estimate: WorkEstimate) -> String {
        let leftOut: String
        switch estimate.leftOut {
        case .fitting: leftOut = "fitting the surrogates comes on top"
        case .reporting: leftOut = "sorting and reporting come on top"
        case .laterRounds:
            leftOut = "the setup and first round at the speed of a forward pass; the pruner's own loops run slower, and each further round (a tenth of the neurons left goes while the budget holds), try, fine-tuning and the inputs come on top"
        }
        return (estimate.items.map { "  " + line($0) }
            + ["about \(ProgressUpdate.durationText(estimate.seconds)) of network evaluation on this machine (\(leftOut))"])
            .joined(separator: "\n") + "\n"
    }

    /// One piece of work in words.
    static func line(_ item: WorkEstimate.Item) -> String {
        switch item {
        case let .analysedRows(rows, explained): return "\(rows) rows; the per-row methods explain \(explained) of them"
        case let .gradients(rows): return "gradients: \(rows) gradients"
        case let .integratedGradients(rows, steps): return "integrated gradients: \(rows) rows, \(steps) steps each (more where ReLUs switch)"
        case let .relevance(rows): return "LRP: \(rows) backward passes"
        case let .permutation(features, repeats, rows):
            return "permutation importance: \(features * repeats * rows) forward rows (\(features) features x \(repeats) shuffles x \(rows) rows)"
        case let .sobol(samples, features): return "Sobol' indices: \(samples * (features + 2)) forward rows (N = \(samples), d = \(features))"
        case let .morris(trajectories, features): return "Morris screening: \(trajectories * (features + 1)) forward rows"
        case let .shapley(forwardRows): return "Shapley values: \(forwardRows) forward rows"
        case let .labelledRows(fitting, heldOut): return "\(fitting) fitting rows and \(heldOut) held-out rows labelled by the network"
        case let .kernelScale(scales, rounds, points):
            return "kernel scale: \(scales * rounds * 2 * points) drawn points labelled (\(scales) scales x \(rounds) halvings x 2 halves x \(points))"
        case let .fittingPoints(drawn, total): return "fitting: \(drawn) drawn points labelled (\(total) fitting points in all)"
        case let .oracleTree(points): return "oracle tree: at least \(points) points labelled per node"
        case let .treePruning(points): return "pruning the tree by fidelity: \(points) drawn points labelled"
        case let .selection(points): return "choosing the best kind: \(points) drawn points labelled"
        case let .domainFidelity(points): return "domain fidelity: \(points) drawn points labelled"
        case let .sweep(surrogates, pruned):
            return "\(surrogates) surrogates fitted on the same labelled points; \(pruned) pruned network\(pruned == 1 ? "" : "s")"
        case let .pruningWork(budgets, work): return "pruning: at most \(budgets) x \(String(format: "%.0e", work)) multiply-adds"
        case let .certification(boxes, limit): return "certification: at most \(boxes) boxes bounded, \(String(format: "%g", limit)) s at most"
        case let .pruningSetup(check, fit, work):
            return "pruning: \(check) check points and \(fit) compensation points labelled by the original (\(String(format: "%.1e", work)) multiply-adds)"
        case let .pruningRound(neurons, work):
            return "each round of removals: \(neurons) neurons ranked, the batch measured (\(String(format: "%.1e", work)) multiply-adds)"
        case let .pruningTry(work): return "each one-by-one try when a batch breaks the budget: \(String(format: "%.1e", work)) multiply-adds"
        }
    }
}
