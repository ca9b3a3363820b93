#ifndef RTM_CPREFETCH_H
#define RTM_CPREFETCH_H

/// A hint to bring the cache line holding `p` into the caches for reading (GCC/Clang's
/// __builtin_prefetch: no fault on any address, no effect on results). For the hot loops that
/// gather one value per row by a row's group (RiskModel's KKT pass), which the hardware's
/// prefetchers cannot predict.
static inline void rtm_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
