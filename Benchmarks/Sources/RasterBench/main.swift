import RasterCore
print("RasterBench: not written yet")
