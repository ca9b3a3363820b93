@testable import RasterCore

/// Even-odd point in polygon (ray casting): the brute-force reference the rasterisation and
/// distance tests compare against, independent of the scanline code.
func inside(_ x: Double, _ y: Double, _ p: Polygon) -> Bool {
    var odd = false
    for ring in p.rings {
        for i in ring.indices {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            if (a.y > y) != (b.y > y), x < a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y) { odd.toggle() }
        }
    }
    return odd
}
