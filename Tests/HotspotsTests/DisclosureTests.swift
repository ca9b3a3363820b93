import Testing
@testable import Hotspots

@Suite struct DisclosureTests {
    @Test func suppressesOneToFourByDefault() {
        let d = Disclosure()
        #expect((0...7).map { d.render($0) } == ["0", "<5", "<5", "<5", "<5", "5", "6", "7"])
        #expect(d.render(4.0) == "<5" && d.render(12.0) == "12" && d.render(0.0) == "0")
    }

    @Test func zeroCanBeSuppressedAndThresholdChanged() {
        let d = Disclosure(threshold: 3, suppressZero: true)
        #expect((0...4).map { d.render($0) } == ["<3", "<3", "<3", "3", "4"])
        #expect(Disclosure(threshold: 1).render(0) == "0")
    }
}
