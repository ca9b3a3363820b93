import Foundation
import Testing
@testable import RiskTerrain

/// NaN and ∞ in an output document: null and a reason, never a string.
@Suite struct NonFiniteJSONTests {
    struct Doc: Encodable { let a: Double; let b: [Double]; let inner: Inner; let name: String }
    struct Inner: Encodable { let pai: Double?; let rri: Float }

    @Test func nonFiniteNumbersAreNullWithAReason() throws {
        let doc = Doc(a: .nan, b: [1, .infinity, -.infinity], inner: .init(pai: .nan, rri: 2), name: "NaN")
        let data = try RunOutputs.encodeJSON(doc)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("rtm-non-finite") && text.contains("\"a\" : null") && text.contains("\"name\" : \"NaN\""), "\(text)")
        let j = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(j["a"] is NSNull && (j["b"] as! [Any])[1] is NSNull && (j["inner"] as! [String: Any])["pai"] is NSNull)
        let listed = (j["non_finite"] as! [[String: Any]]).map { "\($0["path"]!)=\($0["value"]!)" }
        #expect(listed == ["a=NaN", "b[1]=Infinity", "b[2]=-Infinity", "inner.pai=NaN"])
        #expect((j["non_finite"] as! [[String: Any]]).allSatisfy { ($0["reason"] as? String)?.isEmpty == false })
    }

    @Test func aFiniteDocumentIsWhatThePlainEncoderWrites() throws {
        let doc = Doc(a: 0.1, b: [1, 2.5e-300], inner: .init(pai: nil, rri: 2), name: "x")
        #expect(try RunOutputs.encodeJSON(doc) == RunOutputs.jsonEncoder().encode(doc))
    }
}
