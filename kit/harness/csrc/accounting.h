/*
 * Leak accounting and concurrency stress for the conformance suites (prefix kh_). Like harness.h,
 * this file is both a C header and cffi cdef input: plain declarations only.
 */

struct kh_memory {
    uint32_t memzones;
    uint32_t allocations;   /* heap elements in use (rte_malloc_socket_stats.alloc_count) */
    uint64_t heap_used;
};

struct kh_stress_result {
    uint64_t rounds;
    uint64_t duplicates;
    uint64_t failures;
    uint64_t foreign;
};

int kh_memory_snapshot(struct kh_memory *out);
int kh_mempool_stress_2lcores(struct rte_mempool *mp, unsigned int bulk, uint64_t iterations,
                              struct kh_stress_result *out);
