import Testing
import Patrols
import RiskModel

@Suite struct RoadNetworkTests {
    @Test func dijkstraMatchesFloydWarshallOnRandomNetworks() {
        var rng = SplitMix64(seed: 21)
        for _ in 0..<20 {
            let n = rng.int(3...12)
            let pts = (0..<n).map { _ in (x: rng.uniform(0, 500).rounded(), y: rng.uniform(0, 500).rounded()) }
            let lines = (0..<rng.int(2...18)).map { _ in [pts[rng.int(0...(n - 1))], pts[rng.int(0...(n - 1))]] }
            let net = RoadNetwork(lines: lines)
            // all-pairs by Floyd–Warshall over the same nodes
            let m = net.nodes.count
            var d = [[Double]](repeating: [Double](repeating: .infinity, count: m), count: m)
            for i in 0..<m { d[i][i] = 0 }
            for l in lines {
                guard let a = net.nearestNode(to: l[0])?.node, let b = net.nearestNode(to: l[1])?.node, a != b else { continue }
                let w = ((l[0].x - l[1].x) * (l[0].x - l[1].x) + (l[0].y - l[1].y) * (l[0].y - l[1].y)).squareRoot()
                d[a][b] = min(d[a][b], w); d[b][a] = d[a][b]
            }
            for k in 0..<m { for i in 0..<m { for j in 0..<m where d[i][k] + d[k][j] < d[i][j] { d[i][j] = d[i][k] + d[k][j] } } }
            for s in 0..<m {
                let dj = net.distances(from: s)
                for t in 0..<m { #expect(dj[t] == d[s][t] || abs(dj[t] - d[s][t]) < 1e-9) }
            }
        }
    }

    @Test func walksGoRoundTheBlockAndUnconnectedPairsFallBack() {
        // an L of streets: (0,0)–(400,0)–(400,300); the two ends are 500 m apart as the crow flies, 700 m on foot
        let net = RoadNetwork(lines: [[(0, 0), (400, 0)], [(400, 0), (400, 300)], [(1000, 1000), (1100, 1000)]])
        let (t, unconnected) = net.travelTimes([(0, 10), (400, 310), (1100, 1000)], metresPerMinute: 80)
        #expect(abs(t[0, 1] - (10 + 700 + 10) / 80.0) < 1e-12 && abs(t[1, 0] - t[0, 1]) < 1e-12)
        // the third point is on a street of its own: straight line × 1.3
        #expect(unconnected == 4)
        let crow = ((1100.0 * 1100) + 990 * 990).squareRoot()
        #expect(abs(t[0, 2] - crow * 1.3 / 80) < 1e-9)
    }
}
