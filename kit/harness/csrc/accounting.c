/* SPDX-License-Identifier: BSD-3-Clause
 *
 * What the conformance suites need beyond the harness's plain wrappers: a snapshot of memzones and
 * heap usage (leak accounting), and a two-lcore get/put stress on one mempool that detects an object
 * handed to both lcores at once.
 */
#include "dpdk_includes.h"

#include <rte_launch.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "harness.h"
#include "accounting.h"
#include "pool_span.h"

static void
count_memzone(const struct rte_memzone *mz __rte_unused, void *arg)
{
	(*(uint32_t *)arg)++;
}

int
kh_memory_snapshot(struct kh_memory *out)
{
	struct rte_malloc_socket_stats stats;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	rte_memzone_walk(count_memzone, &out->memzones);
	for (i = 0; i < rte_socket_count(); i++) {
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &stats) < 0)
			continue;
		out->heap_used += stats.heap_allocsz_bytes;
		out->allocations += stats.alloc_count;
	}
	return 0;
}

#define STRESS_MAX_BULK 64

struct stress_arg {
	struct rte_mempool *mp;
	unsigned int bulk;
	uint64_t iterations;
	uintptr_t lo, hi;	/* address range of the pool's memory: pointers outside are foreign */
	struct kh_stress_result res;
};

struct span {
	uintptr_t lo, hi;
};

static void
widen_span(struct rte_mempool *mp __rte_unused, void *opaque, struct rte_mempool_memhdr *memhdr,
	   unsigned int idx __rte_unused)
{
	struct span *s = opaque;
	uintptr_t start = (uintptr_t)memhdr->addr;

	if (s->lo == 0 || start < s->lo)
		s->lo = start;
	if (start + memhdr->len > s->hi)
		s->hi = start + memhdr->len;
}

void
kh_pool_span(struct rte_mempool *mp, uintptr_t *lo, uintptr_t *hi)
{
	struct span s = { 0, 0 };

	rte_mempool_mem_iter(mp, widen_span, &s);
	*lo = s.lo;
	*hi = s.hi;
}

/*
 * Each lcore marks an object it was given by swapping its first word from 0 to its own tag; if the
 * swap fails another lcore holds it too. While held, object memory belongs to the holder, so the
 * mark is legitimate; it is cleared again before the object goes back.
 */
static int
stress_lcore(void *opaque)
{
	struct stress_arg *a = opaque;
	uint64_t tag = rte_lcore_id() + 1;
	void *objs[STRESS_MAX_BULK];
	void *back[STRESS_MAX_BULK];
	uint64_t it;
	unsigned int i, nback;

	for (it = 0; it < a->iterations; it++) {
		if (rte_mempool_get_bulk(a->mp, objs, a->bulk) != 0) {
			a->res.failures++;
			continue;
		}
		nback = 0;
		for (i = 0; i < a->bulk; i++) {
			uintptr_t o = (uintptr_t)objs[i];
			uint64_t expected = 0;

			if (o < a->lo || o + sizeof(uint64_t) > a->hi) {
				a->res.foreign++;
				continue;
			}
			if (!__atomic_compare_exchange_n((uint64_t *)o, &expected, tag, 0, __ATOMIC_ACQ_REL,
							 __ATOMIC_ACQUIRE)) {
				a->res.duplicates++;	/* keep it out: putting it back would duplicate it */
				continue;
			}
			back[nback++] = objs[i];
		}
		for (i = 0; i < nback; i++)
			__atomic_store_n((uint64_t *)back[i], 0, __ATOMIC_RELEASE);
		rte_mempool_put_bulk(a->mp, back, nback);
		a->res.rounds++;
	}
	return 0;
}

static void
zero_first_word(struct rte_mempool *mp __rte_unused, void *opaque __rte_unused, void *obj,
		unsigned int idx __rte_unused)
{
	*(uint64_t *)obj = 0;
}

int
kh_mempool_stress_2lcores(struct rte_mempool *mp, unsigned int bulk, uint64_t iterations,
			  struct kh_stress_result *out)
{
	struct stress_arg args[2];
	unsigned int worker;
	int i;

	memset(out, 0, sizeof(*out));
	if (bulk == 0 || bulk > STRESS_MAX_BULK || mp->elt_size < sizeof(uint64_t))
		return -EINVAL;
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE)
		return -ENODEV;	/* the EAL has a single lcore */
	rte_mempool_obj_iter(mp, zero_first_word, NULL);
	for (i = 0; i < 2; i++) {
		memset(&args[i], 0, sizeof(args[i]));
		args[i].mp = mp;
		args[i].bulk = bulk;
		args[i].iterations = iterations;
		kh_pool_span(mp, &args[i].lo, &args[i].hi);
	}
	if (rte_eal_remote_launch(stress_lcore, &args[1], worker) != 0)
		return -EBUSY;
	stress_lcore(&args[0]);
	rte_eal_wait_lcore(worker);
	for (i = 0; i < 2; i++) {
		out->rounds += args[i].res.rounds;
		out->duplicates += args[i].res.duplicates;
		out->failures += args[i].res.failures;
		out->foreign += args[i].res.foreign;
	}
	return 0;
}
