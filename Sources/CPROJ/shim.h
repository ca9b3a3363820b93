// The PROJ C API as RiskTerrain uses it. Only the GeoIO module imports this module.
#pragma once
#include <proj.h>
