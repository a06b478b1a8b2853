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

    /// Nodes in [0, 1] and weights summing to 1 for `steps` points, as a function of the positions where
    /// the integrand jumps (used as extra panel edges by Gauss–Legendre only); the fixed part of the rule
    /// is computed once, here.
    func quadrature(steps: Int) -> (_ kinks: [Double]) -> [(node: Double, weight: Double)] {
        let n = max(1, steps), step = 1 / Double(n)
        let fixed: [(node: Double, weight: Double)]
        switch self {
        case .gaussLegendre:
            let rule = Attributions.gaussLegendre(min(8, n))
            return { kinks in
                let edges = Self.panelEdges(steps: n, kinks: kinks)
                return zip(edges, edges.dropFirst()).flatMap { low, high in
                    rule.map { (node: low + (high - low) * $0.node, weight: (high - low) * $0.weight) }
                }
            }
        case .riemannLeft: fixed = (0..<n).map { (Double($0) * step, step) }
        case .riemannRight: fixed = (1...n).map { (Double($0) * step, step) }
        case .riemannMiddle: fixed = (0..<n).map { ((Double($0) + 0.5) * step, step) }
        case .riemannTrapezoid:
            let interval = 1 / Double(max(n - 1, 1))
            fixed = n < 2 ? [(0.5, 1)] : (0..<n).map { (Double($0) * interval, $0 == 0 || $0 == n - 1 ? interval / 2 : interval) }
        }
        return { _ in fixed }
    }

    /// Gauss–Legendre's panel edges for `steps` points: `steps / 8` even panels (points 8 a panel) cut
    /// again at every one of `kinks`; sorted, from 0 to 1.
    static func panelEdges(steps: Int, kinks: [Double]) -> [Double] {
        let n = max(1, steps), panels = max(1, n / min(8, n))
        return Set((0...panels).map { Double($0) / Double(panels) } + kinks).sorted()
    }
}
