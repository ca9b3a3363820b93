// CPrefetch is its header's inline function; SwiftPM wants one source file in a C target.
#include "CPrefetch.h"
