/* MinHash minima of the compiled core (_core.pyx), in C for restrict and target_clones:
   the same arithmetic as signatures.MinHasher.permuted (modulo 2**32). */
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
/* One build for every x86-64 machine, the widest vector unit picked at load (ifunc). */
#define DEDUP_CLONES __attribute__((target_clones("avx2", "sse4.1", "default")))
#else
#define DEDUP_CLONES
#endif

static inline uint32_t dedup_fmix32(uint32_t v) {
    v ^= v >> 16;
    v *= 0x85EBCA6BU;
    v ^= v >> 13;
    v *= 0xC2B2AE35U;
    return v ^ (v >> 16);
}

/* out[p] = min(out[p], a[p] * h + b[p]) over the 32-bit mix h of each shingle's low half,
   four shingles at a time (out read and written once per four). */
DEDUP_CLONES
static void dedup_minima(const uint64_t *restrict shingles, ptrdiff_t n,
                         const uint32_t *restrict a, const uint32_t *restrict b,
                         ptrdiff_t perms, uint32_t *restrict out) {
    ptrdiff_t i = 0, p;
    for (; i + 4 <= n; i += 4) {
        uint32_t h0 = dedup_fmix32((uint32_t)shingles[i]);
        uint32_t h1 = dedup_fmix32((uint32_t)shingles[i + 1]);
        uint32_t h2 = dedup_fmix32((uint32_t)shingles[i + 2]);
        uint32_t h3 = dedup_fmix32((uint32_t)shingles[i + 3]);
        for (p = 0; p < perms; p++) {
            uint32_t v0 = a[p] * h0 + b[p], v1 = a[p] * h1 + b[p];
            uint32_t v2 = a[p] * h2 + b[p], v3 = a[p] * h3 + b[p];
            uint32_t m01 = v0 < v1 ? v0 : v1, m23 = v2 < v3 ? v2 : v3;
            uint32_t m = m01 < m23 ? m01 : m23;
            out[p] = m < out[p] ? m : out[p];
        }
    }
    for (; i < n; i++) {
        uint32_t h = dedup_fmix32((uint32_t)shingles[i]);
        for (p = 0; p < perms; p++) {
            uint32_t v = a[p] * h + b[p];
            out[p] = v < out[p] ? v : out[p];
        }
    }
}
