import Foundation
import Hotspots
import RasterCore

/// Renders the relative risk surface as an RGBA image with a legend, a scale bar and a north
/// arrow: `risk.png`, and the map in `report.html`.
///
/// Colour is the ColorBrewer YlOrRd ramp over log RRS between the surface's minimum and maximum
/// (risk multiplies, so equal colour steps are equal ratios); the legend marks five RRS values.
/// Grids wider than `maxMapWidth` are shown at one pixel per block of cells, each block showing
/// its highest RRS, so small hotspots stay visible.
public enum QuickLookMap {
    public static let maxMapWidth = 900
    static let ramp: [(Double, Double, Double)] = [
        (255, 255, 204), (255, 237, 160), (254, 217, 118), (254, 178, 76), (253, 141, 60),
        (252, 78, 42), (227, 26, 28), (189, 0, 38), (128, 0, 38),
    ]

    public struct Image: Sendable { public let width: Int; public let height: Int; public let rgba: [UInt8] }

    static func colour(_ t: Double) -> (UInt8, UInt8, UInt8) {
        let x = min(max(t, 0), 1) * Double(ramp.count - 1)
        let i = min(Int(x), ramp.count - 2), f = x - Double(i)
        let a = ramp[i], b = ramp[i + 1]
        return (UInt8(a.0 + (b.0 - a.0) * f), UInt8(a.1 + (b.1 - a.1) * f), UInt8(a.2 + (b.2 - a.2) * f))
    }

    typealias RGB = (UInt8, UInt8, UInt8)

    /// Pixels, and where the map sits in them.
    struct Canvas {
        let width: Int, height: Int
        var px: [UInt8]
        mutating func set(_ x: Int, _ y: Int, _ c: RGB) {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = (y * width + x) * 4
            px[i] = c.0; px[i + 1] = c.1; px[i + 2] = c.2; px[i + 3] = 255
        }
        mutating func text(_ s: String, x: Int, y: Int, _ c: RGB = ink) {
            for p in BitmapFont.pixels(s, x: x, y: y, scale: 2) { set(p.x, p.y, c) }
        }
    }

    static let ink: RGB = (40, 40, 40)

    /// - Parameter hotspots: outlined in dark grey and numbered by rank (the first nine).
    /// - Parameter context: lines and polygon rings (roads, boundaries, water) in the grid's CRS,
    ///   drawn over the cells in grey and under the hotspots, for orientation.
    public static func render(_ surface: RiskSurface, hotspots: [RiskClusters.Cluster] = [], context: [[Point2]] = []) -> Image {
        let lo = log(max(surface.min, 1e-12)), hi = log(max(surface.max, 1e-12))
        let span = hi - lo > 1e-12 ? hi - lo : 1
        // Each pixel shows the highest RRS of its block of cells.
        return draw(surface.rrs.geometry, hotspots: hotspots, context: context, colour: { rows, cols in
            var best: Float = RiskSurface.noData
            for r in rows { for c in cols { best = max(best, surface.rrs[r, c]) } }
            return best == RiskSurface.noData ? (235, 235, 235) : colour((log(Double(best)) - lo) / span)
        }, legend: { canvas, lx, ly in
            // A vertical ramp with five RRS labels, "RRS" above.
            let lh = 180
            canvas.text("RRS", x: lx, y: ly - 22)
            for y in 0..<lh {
                let c = colour(1 - Double(y) / Double(lh - 1))
                for x in 0..<18 { canvas.set(lx + x, ly + y, c) }
            }
            for k in 0...4 {
                let t = Double(k) / 4
                let value = exp(lo + t * span)
                let y = ly + Int((1 - t) * Double(lh - 1))
                for x in 18..<22 { canvas.set(lx + x, y, ink) }
                let label = value >= 100 ? String(format: "%.0f", value) : value >= 10 ? String(format: "%.1f", value) : String(format: "%.2f", value)
                canvas.text(label, x: lx + 30, y: y - 6)
            }
        })
    }

    /// Getis–Ord Gi* classes (+1 hot, −1 cold, 0 not significant; `outside` beyond the study
    /// area) with the RTM hotspots outlined on top: the report's second-method map. A block of
    /// cells shows hot if any cell in it is hot, else cold if any is cold.
    public static func render(giStar classes: Raster<Int8>, inside: BitMatrix, hotspots: [RiskClusters.Cluster] = [],
                              context: [[Point2]] = []) -> Image {
        let hot: RGB = (215, 48, 39), cold: RGB = (69, 117, 180), none: RGB = (250, 250, 245), outside: RGB = (235, 235, 235)
        let g = classes.geometry
        return draw(g, hotspots: hotspots, context: context, colour: { rows, cols in
            var any = false, anyCold = false
            for r in rows {
                for c in cols {
                    let v = classes[r, c]
                    if v > 0 { return hot }
                    if v < 0 { anyCold = true }
                    any = any || inside[r, c]
                }
            }
            return anyCold ? cold : any ? none : outside
        }, legend: { canvas, lx, ly in
            canvas.text("Gi*", x: lx, y: ly - 22)
            for (k, (label, c)) in [("hot", hot), ("cold", cold), ("n.s.", none)].enumerated() {
                let y = ly + k * 26
                for dy in 0..<16 { for dx in 0..<18 { canvas.set(lx + dx, y + dy, dx == 0 || dy == 0 || dx == 17 || dy == 15 ? ink : c) } }
                canvas.text(label, x: lx + 26, y: y + 1)
            }
        })
    }

    /// The frame every map shares: cells drawn by `colour(rows, columns)` per pixel block, the
    /// hotspots outlined and numbered, a legend column, a scale bar and a north arrow.
    static func draw(_ g: GridGeometry, hotspots: [RiskClusters.Cluster], context: [[Point2]] = [],
                     colour: (Range<Int>, Range<Int>) -> RGB, legend: (inout Canvas, Int, Int) -> Void) -> Image {
        let step = max(1, Int((Double(g.width) / Double(maxMapWidth)).rounded(.up)))
        let scale = step == 1 ? max(1, min(4, maxMapWidth / max(g.width, 1), 700 / max(g.height, 1))) : 1
        let mapW = (g.width + step - 1) / step * scale, mapH = (g.height + step - 1) / step * scale
        let margin = 12, legendW = 120
        let width = margin + mapW + margin + legendW, height = max(mapH + 2 * margin + 30, 260)
        var canvas = Canvas(width: width, height: height, px: [UInt8](repeating: 255, count: width * height * 4))
        for by in 0..<(g.height + step - 1) / step {
            for bx in 0..<(g.width + step - 1) / step {
                let col = colour(by * step..<min(g.height, (by + 1) * step), bx * step..<min(g.width, (bx + 1) * step))
                for dy in 0..<scale { for dx in 0..<scale { canvas.set(margin + bx * scale + dx, margin + by * scale + dy, col) } }
            }
        }
        // Context lines, clipped to the map: a segment at a time, Bresenham's algorithm.
        let toPixel = { (p: Point2) -> (Int, Int) in
            (margin + Int(((p.x - g.originX) / g.cellSize / Double(step) * Double(scale)).rounded(.down)),
             margin + Int(((g.originY - p.y) / g.cellSize / Double(step) * Double(scale)).rounded(.down)))
        }
        let grey: RGB = (120, 120, 120)
        for line in context {
            for (a, b) in zip(line, line.dropFirst()) {
                var (x0, y0) = toPixel(a)
                let (x1, y1) = toPixel(b)
                // both ends far outside on one side: nothing to draw
                if max(x0, x1) < margin || min(x0, x1) >= margin + mapW || max(y0, y1) < margin || min(y0, y1) >= margin + mapH { continue }
                let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
                var err = dx + dy
                while true {
                    if x0 >= margin, y0 >= margin, x0 < margin + mapW, y0 < margin + mapH { canvas.set(x0, y0, grey) }
                    if x0 == x1 && y0 == y1 { break }
                    let e2 = 2 * err
                    if e2 >= dy { err += dy; x0 += sx }
                    if e2 <= dx { err += dx; y0 += sy }
                }
            }
        }
        // Hotspots: outline the cells on a cluster's edge, and number the top nine at their centroid.
        if step == 1 {
            for c in hotspots {
                let members = Set(c.cells)
                for cell in c.cells {
                    let r = cell / g.width, col = cell % g.width
                    let edge = [(-1, 0), (1, 0), (0, -1), (0, 1)].contains { dr, dc in
                        let rr = r + dr, cc = col + dc
                        return rr < 0 || cc < 0 || rr >= g.height || cc >= g.width || !members.contains(rr * g.width + cc)
                    }
                    guard edge else { continue }
                    for dy in 0..<scale { for dx in 0..<scale { canvas.set(margin + col * scale + dx, margin + r * scale + dy, (60, 60, 60)) } }
                }
            }
        }
        for c in hotspots where c.rank <= 9 {
            let x = margin + Int((c.centroid.x - g.originX) / g.cellSize / Double(step) * Double(scale)) - 5
            let y = margin + Int((g.originY - c.centroid.y) / g.cellSize / Double(step) * Double(scale)) - 7
            for dy in -2..<16 { for dx in -2..<12 { canvas.set(x + dx, y + dy, (255, 255, 255)) } }
            canvas.text("\(c.rank)", x: x, y: y)
        }
        legend(&canvas, margin + mapW + margin, margin + 22)
        // Scale bar: a round length near a fifth of the map's width.
        let metresPerPixel = g.cellSize * Double(step) / Double(scale)
        let target = Double(mapW) * metresPerPixel / 5
        let nice = [100.0, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000].last { $0 <= target } ?? 100
        let barPx = Int(nice / metresPerPixel)
        let by0 = margin + mapH + 14
        for x in 0..<barPx { for y in 0..<4 { canvas.set(margin + x, by0 + y, ink) } }
        canvas.text(nice >= 1000 ? "\(InspectText.number(nice / 1000)) km" : "\(Int(nice)) m", x: margin + barPx + 8, y: by0 - 5)
        // North arrow at the map's top-right corner.
        let ax = margin + mapW - 16, ay = margin + 4
        for y in 0..<14 { for x in -(y / 2)...(y / 2) { canvas.set(ax + x, ay + y, ink) } }
        canvas.text("N", x: ax - 5, y: ay + 17)
        return Image(width: width, height: height, rgba: canvas.px)
    }
}
