import GeoIO

/// The engine's identity, as written into manifests and printed by `rtm --version`.
public enum RiskTerrainVersion {
    public static let rtm = "0.1.0"
    public static var summary: String { "rtm \(rtm) (GDAL \(GeoLibraries.gdal), PROJ \(GeoLibraries.proj))" }
}
