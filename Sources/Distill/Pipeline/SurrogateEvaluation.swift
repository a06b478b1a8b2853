/// How well a surrogate imitates the network on held-out rows, and how both fare against the truth.
public struct SurrogateEvaluation: Equatable, Sendable {
    public var task: Task
    /// Held-out rows compared.
    public var heldoutRows: Int
    /// Classification: share of held-out rows where surrogate and network agree. Regression: R² of the
    /// surrogate's outputs against the network's.
    public var fidelity: Double
    /// Classification: rows where surrogate and network agree.
    public var agreeingRows: Int?
    /// Accuracy (classification) or R² (regression) of the network against the labels, when known.
    public var networkAccuracy: Double?
    /// Accuracy (classification) or R² (regression) of the surrogate against the labels, when known.
    public var surrogateAccuracy: Double?

    /// The network's predicted class of every held-out row (classification).
    public var networkClasses: [Int]?
    /// Fidelity on a fresh sample from the input distribution, and its size (oracle trees).
    public var freshFidelity: Double?
    public var freshRows: Int?

    /// Compares `tree` with `network` on `test`.
    public static func measure(tree: DecisionTree, network: Network, on test: Dataset) -> SurrogateEvaluation {
        measure(.tree(tree), network: network, on: test)
    }

    /// Compares `surrogate` with `network` on `test`.
    public static func measure(_ surrogate: Surrogate, network: Network, on test: Dataset) -> SurrogateEvaluation {
        let output = NetworkEvaluator(network: network).evaluate(raw: test.values, rows: test.rows)
        switch network.task {
        case .classification:
            let networkClasses = output.predictedClasses
            let surrogateClasses = surrogate.predictClasses(raw: test.values, rows: test.rows)
            var result = SurrogateEvaluation(task: .classification, heldoutRows: test.rows,
                                             fidelity: Agreement.share(surrogateClasses, networkClasses),
                                             agreeingRows: Agreement.matches(surrogateClasses, networkClasses))
            result.networkClasses = networkClasses
            if case let .classes(truth) = test.labels {
                result.networkAccuracy = Agreement.share(networkClasses, truth)
                result.surrogateAccuracy = Agreement.share(surrogateClasses, truth)
            }
            return result
        case .regression:
            let predicted = surrogate.predictValues(raw: test.values, rows: test.rows)
            var result = SurrogateEvaluation(task: .regression, heldoutRows: test.rows,
                                             fidelity: Agreement.rSquared(predicted: predicted, reference: output.values,
                                                                          outputs: output.width))
            if case let .values(truth) = test.labels {
                let first = stride(from: 0, to: output.values.count, by: output.width)
                result.networkAccuracy = Agreement.rSquared(predicted: first.map { output.values[$0] }, reference: truth, outputs: 1)
                result.surrogateAccuracy = Agreement.rSquared(predicted: first.map { predicted[$0] }, reference: truth, outputs: 1)
            }
            return result
        }
    }
}
