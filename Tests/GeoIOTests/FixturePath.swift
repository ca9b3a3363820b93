import Foundation

/// The path of a committed fixture in `Tests/GeoIOTests/Fixtures`.
func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path
}
