/* SPDX-License-Identifier: BSD-3-Clause
 *
 * A get/put stress of one mempool on every lcore of the EAL, and wrappers of the non-default
 * population paths. See mempool_stress.h.
 *
 * Stamps: a holder owns an object's memory, so it marks the first word with its own tag when it
 * takes the object (compare-and-swap from 0: a failed swap means someone else holds it) and checks
 * the tag is still its own when it puts the object back (a different tag means the object was
 * handed to someone else meanwhile). The word is 0 again before the object goes back.
 */
#include "dpdk_includes.h"

#include <rte_launch.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_ring.h>

#include "harness.h"
#include "mempool_stress.h"
#include "pool_span.h"

#define MSTRESS_MAX_BULK 32
#define MSTRESS_KEEP 128	/* objects one lcore holds at most in the symmetric stress */

struct mstress_shared {
	struct rte_mempool *mp;
	const struct kh_mstress_config *cfg;
	uintptr_t lo, hi;
	struct rte_ring *handoff;	/* pipeline: main lcore -> putting worker */
	volatile uint32_t consumer_done;
	uint64_t consumer_tag;
};

struct mstress_lcore {
	struct mstress_shared *sh;
	uint64_t tag;
	uint32_t rnd;
	struct kh_mstress_result res;
};

static inline uint32_t
next_rnd(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static void
clear_stamp(struct rte_mempool *mp __rte_unused, void *opaque __rte_unused, void *obj,
	    unsigned int idx __rte_unused)
{
	*(uint64_t *)obj = 0;
}

/* Stamp the n objects just taken; keep those that may go back, return how many. */
static unsigned int
stamp_taken(struct mstress_lcore *l, void **objs, unsigned int n)
{
	unsigned int i, kept = 0;

	for (i = 0; i < n; i++) {
		uintptr_t o = (uintptr_t)objs[i];
		uint64_t expected = 0;

		if (o < l->sh->lo || o + sizeof(uint64_t) > l->sh->hi) {
			l->res.foreign++;
			continue;
		}
		if (!__atomic_compare_exchange_n((uint64_t *)o, &expected, l->tag, 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE)) {
			l->res.duplicates++;	/* another holder has it: putting it back would double it */
			continue;
		}
		objs[kept++] = objs[i];
	}
	l->res.objects += n;
	return kept;
}

static void
unstamp(struct mstress_lcore *l, void **objs, unsigned int n, uint64_t tag)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t *w = objs[i];

		if (__atomic_exchange_n(w, 0, __ATOMIC_ACQ_REL) != tag)
			l->res.stamp_changed++;
	}
}

static void
flush_own_cache(struct rte_mempool *mp)
{
	struct rte_mempool_cache *cache = rte_mempool_default_cache(mp, rte_lcore_id());

	if (cache != NULL)
		rte_mempool_cache_flush(cache, mp);
}

/* Every lcore: random bulks, get while it holds few, put while it holds many. */
static int
symmetric_lcore(void *opaque)
{
	struct mstress_lcore *l = opaque;
	struct rte_mempool *mp = l->sh->mp;
	void *held[MSTRESS_KEEP];
	unsigned int nheld = 0, n;
	uint64_t op;

	for (op = 0; op < l->sh->cfg->ops; op++) {
		uint32_t r = next_rnd(&l->rnd);

		n = 1 + r % l->sh->cfg->max_bulk;
		if (nheld + n <= MSTRESS_KEEP && (nheld == 0 || (r >> 16) & 1)) {
			if (rte_mempool_get_bulk(mp, &held[nheld], n) != 0) {
				l->res.get_failures++;
				continue;
			}
			nheld += stamp_taken(l, &held[nheld], n);
		} else {
			n = RTE_MIN(n, nheld);
			unstamp(l, &held[nheld - n], n, l->tag);
			rte_mempool_put_bulk(mp, &held[nheld - n], n);
			nheld -= n;
		}
		l->res.ops++;
	}
	unstamp(l, held, nheld, l->tag);
	rte_mempool_put_bulk(mp, held, nheld);
	flush_own_cache(mp);
	return 0;
}

/* Pipeline, main lcore: the only one that gets; hands every object to the putting worker. */
static void
pipeline_consumer(struct mstress_lcore *l)
{
	struct mstress_shared *sh = l->sh;
	void *objs[MSTRESS_MAX_BULK];
	unsigned int n, kept;
	uint64_t tries;

	/* ops successful gets; a pool that stops handing objects back ends it after 50 x ops tries */
	for (tries = 0; l->res.ops < sh->cfg->ops && tries < 50 * sh->cfg->ops; tries++) {
		n = 1 + next_rnd(&l->rnd) % sh->cfg->max_bulk;
		if (rte_mempool_get_bulk(sh->mp, objs, n) != 0) {
			l->res.empty_gets++;	/* the objects are in flight or in the worker's cache */
			rte_pause();
			continue;
		}
		kept = stamp_taken(l, objs, n);
		/* The handoff ring holds more than the pool: it cannot be full. */
		rte_ring_sp_enqueue_bulk(sh->handoff, objs, kept, NULL);
		l->res.ops++;
	}
	/* Its cache is flushed once the worker finished: a flush is a put, and the worker is the only putter. */
	__atomic_store_n(&sh->consumer_done, 1, __ATOMIC_RELEASE);
}

/* Pipeline, worker: the only one that puts. */
static int
pipeline_producer(void *opaque)
{
	struct mstress_lcore *l = opaque;
	struct mstress_shared *sh = l->sh;
	void *objs[MSTRESS_MAX_BULK];
	unsigned int n;

	for (;;) {
		n = rte_ring_sc_dequeue_burst(sh->handoff, objs, 1 + next_rnd(&l->rnd) % sh->cfg->max_bulk,
					      NULL);
		if (n == 0) {
			if (__atomic_load_n(&sh->consumer_done, __ATOMIC_ACQUIRE) &&
			    rte_ring_empty(sh->handoff))
				break;
			rte_pause();
			continue;
		}
		unstamp(l, objs, n, sh->consumer_tag);
		rte_mempool_put_bulk(sh->mp, objs, n);
		l->res.ops++;
	}
	flush_own_cache(sh->mp);
	return 0;
}

static void
add_result(struct kh_mstress_result *out, const struct kh_mstress_result *r)
{
	out->ops += r->ops;
	out->objects += r->objects;
	out->duplicates += r->duplicates;
	out->stamp_changed += r->stamp_changed;
	out->foreign += r->foreign;
	out->get_failures += r->get_failures;
	out->empty_gets += r->empty_gets;
}

int
kh_mp_stress(struct rte_mempool *mp, const struct kh_mstress_config *cfg, struct kh_mstress_result *out)
{
	static struct mstress_lcore lcores[RTE_MAX_LCORE];
	struct mstress_shared sh;
	char name[RTE_RING_NAMESIZE];
	unsigned int lc, main_lc = rte_lcore_id(), worker = RTE_MAX_LCORE;
	uint64_t start;

	memset(out, 0, sizeof(*out));
	if (cfg->max_bulk == 0 || cfg->max_bulk > MSTRESS_MAX_BULK || mp->elt_size < sizeof(uint64_t))
		return -EINVAL;
	if (rte_lcore_count() < 2)
		return -ENODEV;
	memset(&sh, 0, sizeof(sh));
	memset(lcores, 0, sizeof(lcores));
	sh.mp = mp;
	sh.cfg = cfg;
	kh_pool_span(mp, &sh.lo, &sh.hi);
	rte_mempool_obj_iter(mp, clear_stamp, NULL);
	RTE_LCORE_FOREACH(lc) {
		lcores[lc].sh = &sh;
		lcores[lc].tag = lc + 1;
		lcores[lc].rnd = cfg->seed * 2654435761u + lc + 1;
		out->lcores++;
	}
	if (cfg->pipeline) {
		snprintf(name, sizeof(name), "kh_mst_%u", mp->size);
		sh.handoff = rte_ring_create(name, rte_align32pow2(mp->size + 1), SOCKET_ID_ANY,
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (sh.handoff == NULL)
			return -rte_errno;
		sh.consumer_tag = lcores[main_lc].tag;
		out->lcores = 2;
	}
	start = rte_get_timer_cycles();
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (cfg->pipeline && worker != RTE_MAX_LCORE)
			break;
		if (rte_eal_remote_launch(cfg->pipeline ? pipeline_producer : symmetric_lcore, &lcores[lc],
					  lc) != 0) {
			rte_eal_mp_wait_lcore();
			rte_ring_free(sh.handoff);
			return -EBUSY;
		}
		worker = lc;
	}
	if (cfg->pipeline)
		pipeline_consumer(&lcores[main_lc]);
	else
		symmetric_lcore(&lcores[main_lc]);
	rte_eal_mp_wait_lcore();
	if (cfg->pipeline)
		flush_own_cache(mp);
	out->cycles = rte_get_timer_cycles() - start;
	out->tsc_hz = rte_get_timer_hz();
	rte_ring_free(sh.handoff);
	RTE_LCORE_FOREACH(lc)
		add_result(out, &lcores[lc].res);
	out->final_count = kh_ops_get_count(mp);
	out->final_avail = rte_mempool_avail_count(mp);
	return 0;
}

int
kh_mp_populate_anon(struct rte_mempool *mp)
{
	return rte_mempool_populate_anon(mp);
}

int
kh_mp_populate_virt(struct rte_mempool *mp, uintptr_t addr, size_t len, size_t pg_sz)
{
	return rte_mempool_populate_virt(mp, (char *)addr, len, pg_sz, NULL, NULL);
}

int
kh_mp_populate_iova(struct rte_mempool *mp, uintptr_t addr, size_t len)
{
	return rte_mempool_populate_iova(mp, (char *)addr, RTE_BAD_IOVA, len, NULL, NULL);
}

uintptr_t
kh_mp_zmalloc(size_t len, unsigned int align)
{
	return (uintptr_t)rte_zmalloc("kh_mp_chunk", len, align);
}

void
kh_mp_free(uintptr_t addr)
{
	rte_free((void *)addr);
}

int
kh_mp_extmem_register(uintptr_t addr, size_t len, size_t pg_sz)
{
	return rte_extmem_register((void *)addr, len, NULL, 0, pg_sz) == 0 ? 0 : -rte_errno;
}

int
kh_mp_extmem_unregister(uintptr_t addr, size_t len)
{
	return rte_extmem_unregister((void *)addr, len) == 0 ? 0 : -rte_errno;
}
