/// How well a surrogate imitates the network on held-out rows, and how both fare against the truth.
public struct SurrogateEvaluation: Equatable, Sendable {
    /// The network's task, which decides how fidelity and accuracy are measured.
    public var task: PredictionTask
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
    /// Fidelity on points drawn from the input distribution (off the data rows), when measured.
    public var domain: DomainFidelity?

    /// Fidelity on drawn points with the network's answers: the share that agree, or R².
    static func fidelity(_ surrogate: Surrogate, on sample: OracleSample) -> Double {
        let points = sample.points
        switch sample.target {
        case let .classes(classes, _):
            return Agreement.share(surrogate.predictClasses(raw: points.values, rows: points.rows), classes)
        case let .values(values, outputs):
            return Agreement.rSquared(predicted: surrogate.predictValues(raw: points.values, rows: points.rows),
                                      reference: values, outputs: outputs)
        }
    }

    /// Fidelity on drawn points, with a 95% Wilson interval for classification; the surrogate predicts
    /// the points piece by piece when they are not held (`DomainSample`).
    static func domainFidelity(_ surrogate: Surrogate, on sample: DomainSample) -> DomainFidelity {
        let count = sample.count, predicted = sample.predictions(of: surrogate)
        switch sample.target {
        case let .classes(classes, _):
            let agreeing = Agreement.matches(predicted.classes, classes)
            return DomainFidelity(points: count, fidelity: Double(agreeing) / Double(max(count, 1)),
                                  agreeing: agreeing, interval: Agreement.wilson(agreeing, count))
        case let .values(values, outputs):
            return DomainFidelity(points: count, fidelity: Agreement.rSquared(predicted: predicted.values, reference: values, outputs: outputs),
                                  agreeing: nil, interval: nil)
        }
    }

    /// Compares `tree` with `network` on `test`.
    public static func measure(tree: DecisionTree, network: Network, on test: Dataset) -> SurrogateEvaluation {
        measure(.tree(tree), network: network, on: test)
    }

    /// Compares `surrogate` with `network` on `test`.
    public static func measure(_ surrogate: Surrogate, network: Network, on test: Dataset) -> SurrogateEvaluation {
        measure(surrogate, network: network, on: test, answers: NetworkEvaluator(network: network).evaluate(raw: test.values, rows: test.rows))
    }

    /// Compares `surrogate` with the network's `answers` on `test`.
    static func measure(_ surrogate: Surrogate, network: Network, on test: Dataset, answers output: NetworkOutput) -> SurrogateEvaluation {
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

/// Fidelity on points drawn from the input distribution: enough of them to tell 97% from 99%, which the
/// few held-out rows cannot.
public struct DomainFidelity: Equatable, Sendable {
    /// Points drawn.
    public var points: Int
    /// Share of points where surrogate and network agree (classification), or R² (regression).
    public var fidelity: Double
    /// Points that agree (classification).
    public var agreeing: Int?
    /// 95% Wilson score interval of the share (classification).
    public var interval: Interval?
}
