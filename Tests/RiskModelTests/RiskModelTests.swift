import Testing
@testable import RiskModel
