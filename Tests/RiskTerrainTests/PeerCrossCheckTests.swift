import Foundation
import Testing
@testable import RiskTerrain

/// The same spec through the independent Python/R peer pipeline and through RiskTerrain gives the
/// same model (tolerances and provenance in Golden/README.md).
@Suite struct PeerCrossCheckTests {
    struct PeerModel: Decodable {
        struct Term: Decodable { let name: String; let coefficient: Double; let std_error: Double }
        let family: String
        let bic: Double
        let loglik: Double
        let theta: Double?
        let intercept: Double
        let n_cells: Int
        let n_events: Int
        let terms: [Term]
    }

    func golden(_ name: String) throws -> (spec: ModelSpec, peer: PeerModel) {
        // read in place: the specs' paths are relative to this folder in the source tree
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
        let spec = try SpecParser.load(dir.appendingPathComponent("\(name).yaml").path)
        let peer = try JSONDecoder().decode(PeerModel.self, from: Data(contentsOf: dir.appendingPathComponent("\(name).model.json")))
        return (spec, peer)
    }

    func compare(_ name: String) throws {
        let (spec, peer) = try golden(name)
        let f = try Pipeline.fit(spec)
        let m = f.model.selection.model
        #expect(f.model.family == peer.family)
        #expect(f.design.cells.count == peer.n_cells)
        #expect(f.design.events == peer.n_events)
        #expect(abs(m.bic - peer.bic) <= 1e-6 * abs(peer.bic), "BIC \(m.bic) vs peer \(peer.bic)")
        #expect(abs(m.logLikelihood - peer.loglik) <= 1e-6 * abs(peer.loglik))
        if let t = peer.theta { #expect(abs(m.theta! - t) <= 1e-4 * t, "θ \(m.theta!) vs peer \(t)") }
        #expect(abs(m.intercept.coefficient - peer.intercept) <= 1e-5)
        let ours = Dictionary(uniqueKeysWithValues: f.model.terms.map { ($0.name, $0) })
        #expect(Set(ours.keys) == Set(peer.terms.map(\.name)))
        for p in peer.terms {
            guard let o = ours[p.name] else { continue }
            #expect(abs(o.coefficient - p.coefficient) <= 1e-5, "\(p.name): \(o.coefficient) vs peer \(p.coefficient)")
            #expect(abs(o.stdError - p.std_error) <= 1e-4 * p.std_error, "\(p.name) SE: \(o.stdError) vs peer \(p.std_error)")
        }
    }

    @Test func rtmSelectionMatchesThePeer() throws { try compare("peer_rtm") }

    /// Every influence kind (proximity, density, distance, density_value, inside, value) and NB.
    @Test func fixedModelOverEveryInfluenceMatchesThePeer() throws { try compare("peer_fixed") }
}

/// Replication mode (`selection: none`): an unpenalised Poisson fit with continuous `distance`,
/// `inside` and a raster `value` reproduces R's `glm` on the same cells (Golden/make_r_golden.sh)
/// to 1e-6 — coefficients absolute, standard errors and log-likelihood relative.
@Suite struct ReplicationTests {
    @Test func fixedPoissonModelMatchesRGlm() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
        let lines = try String(contentsOf: dir.appendingPathComponent("replicate_glm.txt"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: " ").map(String.init) }
        let loglik = try #require(Double(lines[0][1]))
        var golden: [String: (beta: Double, se: Double)] = [:]
        for l in lines.dropFirst() { golden[l[0]] = (Double(l[1])!, Double(l[2])!) }

        let f = try Pipeline.fit(SpecParser.load(dir.appendingPathComponent("replicate.yaml").path))
        let m = f.model.selection.model
        #expect(f.model.family == "poisson")
        #expect(abs(m.logLikelihood - loglik) <= 1e-6 * abs(loglik), "loglik \(m.logLikelihood) vs R \(loglik)")
        let r = try #require(golden["(Intercept)"])
        #expect(abs(m.intercept.coefficient - r.beta) <= 1e-6 && abs(m.intercept.standardError - r.se) <= 1e-6 * r.se)
        #expect(Set(f.model.terms.map(\.name)) == Set(golden.keys).subtracting(["(Intercept)"]))
        for t in f.model.terms {
            let g = try #require(golden[t.name])
            #expect(abs(t.coefficient - g.beta) <= 1e-6 * max(1, abs(g.beta)), "\(t.name): \(t.coefficient) vs R \(g.beta)")
            #expect(abs(t.stdError - g.se) <= 1e-6 * g.se, "\(t.name) SE: \(t.stdError) vs R \(g.se)")
        }
    }
}
