import ArqamNN
import Foundation

/// Paper, lighting and the damage of printing, scanning and compression. Every pass works
/// in place on the canvas with at most one scratch buffer, and draws its per-pixel numbers
/// from one `next()` each (no per-pixel `log`/`cos`), so a whole image stays near a millisecond.
extension SynthCanvas {
    /// Smooth blotches (value noise on a coarse grid, bilinearly interpolated) added to the
    /// picture: uneven paper, stains, toner density.
    mutating func addBlotches(cell: Double, amplitude: Float, rng: inout SeededRandom) {
        let columns = Int(Double(width) / cell) + 2, rows = Int(Double(height) / cell) + 2
        let grid = (0..<(columns * rows)).map { _ in (rng.nextFloat() - 0.5) * 2 * amplitude }
        let inverse = 1 / cell
        pixels.withUnsafeMutableBufferPointer { pixels in
            for y in 0..<height {
                let gy = Double(y) * inverse, row = Int(gy), fy = Float(gy - Double(row))
                for x in 0..<width {
                    let gx = Double(x) * inverse, column = Int(gx), fx = Float(gx - Double(column))
                    let top = grid[row * columns + column] * (1 - fx) + grid[row * columns + column + 1] * fx
                    let bottom = grid[(row + 1) * columns + column] * (1 - fx) + grid[(row + 1) * columns + column + 1] * fx
                    pixels[y * width + x] += top * (1 - fy) + bottom * fy
                }
            }
        }
    }

    /// Light falling off across the page (a ramp in a random direction) or towards the
    /// corners (a vignette): multiplies, so ink and paper darken together.
    mutating func illuminate(strength: Float, vignette: Bool, rng: inout SeededRandom) {
        let angle = rng.uniform(0...(2 * Double.pi))
        let ux = Float(cos(angle)) / Float(width), uy = Float(sin(angle)) / Float(height)
        let cx = Float(width) / 2, cy = Float(height) / 2
        let rx = 1 / (cx * cx), ry = 1 / (cy * cy)
        pixels.withUnsafeMutableBufferPointer { pixels in
            for y in 0..<height {
                let dy = Float(y) - cy
                for x in 0..<width {
                    let dx = Float(x) - cx
                    let shade = vignette ? (dx * dx * rx + dy * dy * ry) / 2 : dx * ux + dy * uy + 0.5
                    pixels[y * width + x] *= 1 - strength * max(0, min(1, shade))
                }
            }
        }
    }

    /// Ink spreading into the paper (`spread` > 0: each pixel moves towards the darkest of
    /// its 4-neighbourhood) or toner flaking off (`spread` < 0: towards the lightest).
    mutating func bleed(_ spread: Float) {
        let source = pixels
        let darken = spread > 0, amount = abs(spread)
        source.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { pixels in
                for y in 0..<height {
                    for x in 0..<width {
                        let index = y * width + x
                        let left = source[x > 0 ? index - 1 : index], right = source[x < width - 1 ? index + 1 : index]
                        let up = source[y > 0 ? index - width : index], down = source[y < height - 1 ? index + width : index]
                        let extreme = darken ? min(source[index], left, right, up, down)
                            : max(source[index], left, right, up, down)
                        pixels[index] += (extreme - source[index]) * amount
                    }
                }
            }
        }
    }

    /// Separable Gaussian blur, edges clamped.
    mutating func blur(sigma: Double) {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        var scratch = pixels
        let width = self.width, height = self.height
        kernel.withUnsafeBufferPointer { kernel in
            pixels.withUnsafeMutableBufferPointer { pixels in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    for y in 0..<height {
                        let row = y * width
                        for x in 0..<width {
                            var sum: Float = 0
                            if x >= radius, x < width - radius {
                                for k in -radius...radius { sum += kernel[k + radius] * pixels[row + x + k] }
                            } else {
                                for k in -radius...radius {
                                    sum += kernel[k + radius] * pixels[row + min(width - 1, max(0, x + k))]
                                }
                            }
                            scratch[row + x] = sum
                        }
                    }
                    // Rows outer, kernel taps middle, columns inner: the inner loop runs along memory.
                    for y in 0..<height {
                        let row = y * width
                        for x in 0..<width { pixels[row + x] = 0 }
                        for k in -radius...radius {
                            let weight = kernel[k + radius], source = min(height - 1, max(0, y + k)) * width
                            for x in 0..<width { pixels[row + x] += weight * scratch[source + x] }
                        }
                    }
                }
            }
        }
    }

    /// Down to `factor` of the size and back up, bilinearly: the softness and stair-steps of a
    /// low-resolution scan or a phone photo scaled for a form.
    mutating func resample(factor: Double) {
        let smallWidth = max(8, Int((Double(width) * factor).rounded()))
        let smallHeight = max(8, Int((Double(height) * factor).rounded()))
        let small = SynthCanvas.resized(pixels, width: width, height: height, to: smallWidth, smallHeight)
        pixels = SynthCanvas.resized(small, width: smallWidth, height: smallHeight, to: width, height)
    }

    /// Bilinear resize with half-pixel centres.
    static func resized(_ source: [Float], width: Int, height: Int, to newWidth: Int, _ newHeight: Int) -> [Float] {
        var result = [Float](repeating: 0, count: newWidth * newHeight)
        let sx = Double(width) / Double(newWidth), sy = Double(height) / Double(newHeight)
        source.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { result in
                for y in 0..<newHeight {
                    let fy = max(0, (Double(y) + 0.5) * sy - 0.5)
                    let y0 = min(height - 1, Int(fy)), y1 = min(height - 1, y0 + 1), wy = Float(fy - Double(y0))
                    for x in 0..<newWidth {
                        let fx = max(0, (Double(x) + 0.5) * sx - 0.5)
                        let x0 = min(width - 1, Int(fx)), x1 = min(width - 1, x0 + 1), wx = Float(fx - Double(x0))
                        let top = source[y0 * width + x0] * (1 - wx) + source[y0 * width + x1] * wx
                        let bottom = source[y1 * width + x0] * (1 - wx) + source[y1 * width + x1] * wx
                        result[y * newWidth + x] = top * (1 - wy) + bottom * wy
                    }
                }
            }
        }
        return result
    }

    /// Sensor and scanner noise: roughly Gaussian (the sum of four uniforms from one draw),
    /// plus rare single-pixel specks — never blobs, which could pass for the dot-like ٠.
    mutating func addNoise(sigma: Float, speckDensity: Double, rng: inout SeededRandom) {
        // Four 16-bit uniforms summed have variance 4/12; this makes it sigma².
        let scale = sigma * (3.0 as Float).squareRoot() / 65536
        pixels.withUnsafeMutableBufferPointer { pixels in
            for index in pixels.indices {
                let bits = rng.next()
                let sum = Float(bits & 0xFFFF) + Float((bits >> 16) & 0xFFFF) + Float((bits >> 32) & 0xFFFF) + Float(bits >> 48)
                pixels[index] += (sum - 131_070) * scale
            }
        }
        guard speckDensity > 0 else { return }
        let specks = Int(Double(width * height) * speckDensity)
        for _ in 0..<specks {
            let index = rng.below(width * height)
            pixels[index] = rng.chance(0.7) ? pixels[index] * 0.4 : min(255, pixels[index] + 80)
        }
    }

    /// JPEG's loss without the file: 8 × 8 DCT, the standard luminance table scaled to
    /// `quality` (IJG formula), rounding, inverse DCT. Gives the ringing and blockiness of
    /// photos passed through messaging apps.
    mutating func compressLikeJPEG(quality: Int) {
        let scale = quality < 50 ? 5000 / Double(quality) : 200 - 2 * Double(quality)
        let step = SynthCanvas.luminanceTable.map { Float(max(1, min(255, (Double($0) * scale + 50) / 100))) }
        var block = [Float](repeating: 0, count: 64), temp = [Float](repeating: 0, count: 64)
        let width = self.width, height = self.height
        SynthCanvas.dctBasis.withUnsafeBufferPointer { basis in
            SynthCanvas.dctBasisTransposed.withUnsafeBufferPointer { basisT in
                block.withUnsafeMutableBufferPointer { block in
                    temp.withUnsafeMutableBufferPointer { temp in
                        pixels.withUnsafeMutableBufferPointer { pixels in
                            for by in stride(from: 0, to: height, by: 8) {
                                for bx in stride(from: 0, to: width, by: 8) {
                                    for v in 0..<8 {
                                        let y = min(height - 1, by + v)
                                        for u in 0..<8 { block[v * 8 + u] = pixels[y * width + min(width - 1, bx + u)] - 128 }
                                    }
                                    // Forward B·X·Bᵀ, quantise, inverse Bᵀ·F·B.
                                    SynthCanvas.multiply(basis, UnsafeBufferPointer(block), into: temp)
                                    SynthCanvas.multiply(UnsafeBufferPointer(temp), basisT, into: block)
                                    for k in 0..<64 { block[k] = (block[k] / step[k]).rounded() * step[k] }
                                    SynthCanvas.multiply(basisT, UnsafeBufferPointer(block), into: temp)
                                    SynthCanvas.multiply(UnsafeBufferPointer(temp), basis, into: block)
                                    for v in 0..<min(8, height - by) {
                                        for u in 0..<min(8, width - bx) { pixels[(by + v) * width + bx + u] = block[v * 8 + u] + 128 }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// c = a · b for 8 × 8 row-major blocks; the inner loop runs along rows of b and c.
    private static func multiply(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
                                 into c: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<8 {
            for j in 0..<8 { c[i * 8 + j] = 0 }
            for k in 0..<8 {
                let factor = a[i * 8 + k]
                for j in 0..<8 { c[i * 8 + j] += factor * b[k * 8 + j] }
            }
        }
    }

    private static let dctBasisTransposed: [Float] = (0..<64).map { dctBasis[($0 % 8) * 8 + $0 / 8] }

    /// Orthonormal DCT-II basis, row k = frequency k.
    private static let dctBasis: [Float] = (0..<64).map { index in
        let k = index / 8, n = index % 8
        let norm = k == 0 ? (1.0 / 8).squareRoot() : (2.0 / 8).squareRoot()
        return Float(norm * cos(Double.pi * (Double(n) + 0.5) * Double(k) / 8))
    }

    /// ITU-T T.81 Annex K, table K.1.
    private static let luminanceTable: [Int] = [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ]
}

extension SynthCanvas {
    /// A bilevel (fax-like) scan: every pixel becomes paper or ink at a threshold, with the
    /// jagged edges and broken thin strokes that brings.
    mutating func binarize(threshold: Float, paper: Float, ink: Float) {
        pixels.withUnsafeMutableBufferPointer { pixels in
            for index in pixels.indices { pixels[index] = pixels[index] < threshold ? ink : paper }
        }
    }
}
