import Foundation

/// Walking distances along a road (or footpath) network given as polylines.
///
/// Vertices closer than `snap` metres (on a snap-sized grid) become one node, so lines that meet
/// at a shared vertex connect; each segment is an edge of its Euclidean length. Distances from a
/// node are Dijkstra's (1959) with a binary heap, O((V + E) log V). A point joins the network at
/// its nearest node, the walk to it counted in a straight line. O(V) per nearest-node query.
public struct RoadNetwork: Sendable {
    public let nodes: [(x: Double, y: Double)]
    /// adjacency[i]: (neighbour, metres).
    let adjacency: [[(to: Int, metres: Double)]]

    public init(lines: [[(x: Double, y: Double)]], snap: Double = 1) {
        precondition(snap > 0)
        var index: [SIMD2<Int64>: Int] = [:], nodes: [(x: Double, y: Double)] = [], adjacency: [[(to: Int, metres: Double)]] = []
        func node(_ p: (x: Double, y: Double)) -> Int {
            let key = SIMD2(Int64((p.x / snap).rounded()), Int64((p.y / snap).rounded()))
            if let i = index[key] { return i }
            index[key] = nodes.count
            nodes.append(p)
            adjacency.append([])
            return nodes.count - 1
        }
        for line in lines {
            for (a, b) in zip(line, line.dropFirst()) {
                let i = node(a), j = node(b)
                guard i != j else { continue }
                let d = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
                adjacency[i].append((j, d))
                adjacency[j].append((i, d))
            }
        }
        self.nodes = nodes
        self.adjacency = adjacency
    }

    public var isEmpty: Bool { nodes.isEmpty }

    /// The node nearest to `p` and its straight-line distance.
    public func nearestNode(to p: (x: Double, y: Double)) -> (node: Int, metres: Double)? {
        var best: (Int, Double)?
        for (i, q) in nodes.enumerated() {
            let d = ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
            if best == nil || d < best!.1 { best = (i, d) }
        }
        return best
    }

    /// Shortest network distance from `source` to every node (∞ where unreachable).
    public func distances(from source: Int) -> [Double] {
        var dist = [Double](repeating: .infinity, count: nodes.count)
        var heap: [(Double, Int)] = [(0, source)]          // binary min-heap on distance
        dist[source] = 0
        func up(_ i: Int) { var i = i; while i > 0, heap[(i - 1) / 2].0 > heap[i].0 { heap.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 } }
        func down(_ i: Int) {
            var i = i
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, heap[l].0 < heap[m].0 { m = l }
                if r < heap.count, heap[r].0 < heap[m].0 { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        while let top = heap.first {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
            if !heap.isEmpty { down(0) }
            let (d, u) = top
            if d > dist[u] { continue }
            for (v, w) in adjacency[u] where d + w < dist[v] {
                dist[v] = d + w
                heap.append((d + w, v))
                up(heap.count - 1)
            }
        }
        return dist
    }

    /// Walking minutes between points: to the nearest node in a straight line, along the network,
    /// and on to the destination. Pairs the network does not connect fall back to the straight
    /// line × `fallbackCircuity`; `unconnected` counts them.
    public func travelTimes(_ points: [(x: Double, y: Double)], metresPerMinute: Double,
                            fallbackCircuity: Double = 1.3) -> (times: TravelTimes, unconnected: Int) {
        precondition(metresPerMinute > 0)
        let straight = TravelTimes.walking(points, metresPerMinute: metresPerMinute, circuity: fallbackCircuity)
        guard !isEmpty else { return (straight, points.count * (points.count - 1)) }
        let access = points.map { nearestNode(to: $0)! }
        let trees = access.map { distances(from: $0.node) }
        var unconnected = 0
        let minutes = points.indices.map { i in
            points.indices.map { j -> Double in
                if i == j { return 0 }
                let along = trees[i][access[j].node]
                guard along.isFinite else { unconnected += 1; return straight[i, j] }
                return (access[i].metres + along + access[j].metres) / metresPerMinute
            }
        }
        return (TravelTimes(minutes: minutes), unconnected)
    }
}
