/* SPDX-License-Identifier: BSD-3-Clause
 * Internal to the harness's C files (not part of the cffi interface): the address span of a mempool's memory,
 * which the stress loops use to tell an object of the pool from a foreign pointer. */
#ifndef KH_POOL_SPAN_H
#define KH_POOL_SPAN_H

#include <stdint.h>

struct rte_mempool;

/* Lowest start and highest end of the pool's memory chunks, in *lo and *hi. */
void
kh_pool_span(struct rte_mempool *mp, uintptr_t *lo, uintptr_t *hi);

#endif
