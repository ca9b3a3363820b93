import RiskModel
print("ModelBench: not written yet")
