/// How integrated gradients integrates the gradient along the straight path from the baseline, with the
/// names Captum gives its methods (`gausslegendre`, `riemann_left`, ...).
public enum IntegrationRule: String, CaseIterable, Sendable {
    /// Composite Gauss–Legendre: panels of up to 8 points between evenly spaced edges and every point where
    /// a ReLU on the path switches (the integrand jumps there), so ReLU networks integrate to rounding.
    case gaussLegendre = "gauss-legendre"
    /// Riemann sums over `steps` equal steps, gradient at each step's left end, right end or middle.
    case riemannLeft = "riemann-left"
    case riemannRight = "riemann-right"
    case riemannMiddle = "riemann-middle"
    /// The trapezoid rule on `steps` evenly spaced points including both ends.
    case riemannTrapezoid = "riemann-trapezoid"

    /// Nodes in [0, 1] and weights summing to 1 for `steps` points (`kinks`: positions where the integrand
    /// jumps, used as extra panel edges by Gauss–Legendre only).
    public func quadrature(steps: Int, kinks: [Double] = []) -> [(node: Double, weight: Double)] {
        let n = max(1, steps), step = 1 / Double(n)
        switch self {
        case .gaussLegendre:
            let perPanel = min(8, n), panels = max(1, n / perPanel)
            let rule = Attributions.gaussLegendre(perPanel)
            let edges = Set((0...panels).map { Double($0) / Double(panels) } + kinks).sorted()
            return zip(edges, edges.dropFirst()).flatMap { low, high in
                rule.map { (node: low + (high - low) * $0.node, weight: (high - low) * $0.weight) }
            }
        case .riemannLeft: return (0..<n).map { (Double($0) * step, step) }
        case .riemannRight: return (1...n).map { (Double($0) * step, step) }
        case .riemannMiddle: return (0..<n).map { ((Double($0) + 0.5) * step, step) }
        case .riemannTrapezoid:
            guard n >= 2 else { return [(0.5, 1)] }
            let interval = 1 / Double(n - 1)
            return (0..<n).map { (Double($0) * interval, $0 == 0 || $0 == n - 1 ? interval / 2 : interval) }
        }
    }
}
