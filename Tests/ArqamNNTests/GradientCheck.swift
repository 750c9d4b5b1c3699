import Testing
@testable import ArqamNN

/// Central finite differences of a scalar loss, against an analytic gradient.
///
/// The layers run in float32. With inputs and weights of order 1, step h = 1e-2 and a
/// loss L = Σ r·y accumulated in Double over at most a few hundred outputs, float32
/// rounding moves each difference quotient by about 1e-7·|L|/h ≲ 1e-4 and the O(h²)
/// truncation term of these smooth layers is of the same order; so a tolerance of
/// 2e-3 × the largest gradient component (plus 2e-4) is loose enough for rounding yet
/// far below the O(1) relative error of any wrong formula. Inputs are drawn so that no
/// ReLU or max-pool decision sits within h of its kink.
func expectGradient(
    of parameters: [Float], analytic: [Float], name: String, step h: Float = 1e-2,
    sourceLocation: SourceLocation = #_sourceLocation, loss: ([Float]) -> Double
) {
    precondition(parameters.count == analytic.count)
    let scale = analytic.reduce(0) { max($0, abs($1)) }
    var worst: Float = 0
    var probe = parameters
    for index in parameters.indices {
        probe[index] = parameters[index] + h
        let plus = loss(probe)
        probe[index] = parameters[index] - h
        let minus = loss(probe)
        probe[index] = parameters[index]
        let numeric = Float((plus - minus) / Double(2 * h))
        worst = max(worst, abs(numeric - analytic[index]))
    }
    #expect(scale > 0, "\(name): the analytic gradient is all zero, the check would be empty", sourceLocation: sourceLocation)
    #expect(worst <= 2e-3 * scale + 2e-4, "\(name): finite differences differ by \(worst), largest gradient \(scale)",
            sourceLocation: sourceLocation)
}

/// Loss weights r and a Double dot product Σ r·y.
func dot(_ weights: [Float], _ values: [Float]) -> Double {
    zip(weights, values).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

func randomArray(_ count: Int, _ random: inout SeededRandom, range: ClosedRange<Double> = -1 ... 1) -> [Float] {
    (0 ..< count).map { _ in Float(random.uniform(range)) }
}
