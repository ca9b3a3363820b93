// FFTW 3 (single precision, with its pthreads planner) as RasterCore's FFT convolution uses it.
// Only RasterCore imports this module.
#pragma once
#include <fftw3.h>
