/*
 * Mempool checks beyond the plain wrappers (prefix kh_mp_): a get/put stress of one pool on every lcore
 * of the EAL with object stamps, and the non-default population paths (anonymous memory, chunks of
 * virtual memory, external memory). Like harness.h, a C header and cffi cdef input at once.
 */

struct kh_mstress_config {
    uint32_t pipeline;   /* 0: every lcore gets and puts; 1: the main lcore only gets, one worker only puts */
    uint32_t max_bulk;   /* bulks of 1..max_bulk objects (at most 32) */
    uint64_t ops;        /* get or put operations per lcore (pipeline: successful gets of the main lcore) */
    uint32_t seed;
};

struct kh_mstress_result {
    uint32_t lcores;
    uint64_t ops;             /* get and put operations done, all lcores */
    uint64_t objects;         /* objects taken, all lcores */
    uint64_t duplicates;      /* objects handed out while stamped by another holder */
    uint64_t stamp_changed;   /* objects whose stamp was not the holder's when put back */
    uint64_t foreign;         /* pointers outside the pool's memory */
    uint64_t get_failures;    /* gets that failed although the pool could not be empty */
    uint64_t empty_gets;      /* pipeline: gets that found the pool empty (objects in flight) */
    uint32_t final_count;     /* driver get_count once every lcore finished and flushed its cache */
    uint32_t final_avail;     /* rte_mempool_avail_count then */
    uint64_t cycles;
    uint64_t tsc_hz;
};

int kh_mp_stress(struct rte_mempool *mp, const struct kh_mstress_config *cfg, struct kh_mstress_result *out);

int kh_mp_populate_anon(struct rte_mempool *mp);
int kh_mp_populate_virt(struct rte_mempool *mp, uintptr_t addr, size_t len, size_t pg_sz);
int kh_mp_populate_iova(struct rte_mempool *mp, uintptr_t addr, size_t len);
uintptr_t kh_mp_zmalloc(size_t len, unsigned int align);
void kh_mp_free(uintptr_t addr);
int kh_mp_extmem_register(uintptr_t addr, size_t len, size_t pg_sz);
int kh_mp_extmem_unregister(uintptr_t addr, size_t len);
