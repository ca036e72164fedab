/* SPDX-License-Identifier: BSD-3-Clause
 *
 * A deliberately breakable mempool driver. Built with no MUT_* macro it is correct (the control
 * that must pass every check); each MUT_* macro breaks exactly one rule of docs/conformance.md so that a
 * test can prove the conformance check named for that rule catches it. MUT_OPS_NAME sets the ops
 * name so every build registers under its own name.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#ifndef MUT_OPS_NAME
#error "build with -DMUT_OPS_NAME=\"name\""
#endif

/* MUT_RACY: an unsynchronised array stack used for every pool, whatever its flags. */
struct racy_stack {
	unsigned int top;
	void *objs[];
};

#ifdef MUT_ONE_CHUNK
/* Assumes a pool is one contiguous chunk starting at the first object it is given: objects beyond
 * size * object span from there are refused. */
static struct {
	const struct rte_mempool *mp;
	uintptr_t lo, hi;
} one_chunk[64];

static int
one_chunk_refuses(const struct rte_mempool *mp, void * const *objs, unsigned int n)
{
	size_t span = mp->header_size + mp->elt_size + mp->trailer_size;
	unsigned int i, slot = 0, j;

	for (j = 0; j < RTE_DIM(one_chunk); j++) {
		if (one_chunk[j].mp == mp)
			break;
		if (one_chunk[j].mp == NULL && slot == 0)
			slot = j + 1;
	}
	if (j == RTE_DIM(one_chunk)) {
		if (slot == 0 || n == 0)
			return 0;
		j = slot - 1;
		one_chunk[j].mp = mp;
		one_chunk[j].lo = (uintptr_t)objs[0];
		one_chunk[j].hi = one_chunk[j].lo + span * mp->size;
	}
	for (i = 0; i < n; i++)
		if ((uintptr_t)objs[i] < one_chunk[j].lo || (uintptr_t)objs[i] >= one_chunk[j].hi)
			return 1;
	return 0;
}
#endif

#ifdef MUT_COUNT_DRIFT
/* Keeps its own count with plain read-modify-write: exact on one lcore, drifts when two update it. */
static struct {
	const struct rte_mempool *mp;
	volatile unsigned int count;
} drift[64];

static volatile unsigned int *
drift_count(const struct rte_mempool *mp)
{
	unsigned int j;

	for (j = 0; j < RTE_DIM(drift); j++)
		if (drift[j].mp == mp)
			return &drift[j].count;
	for (j = 0; j < RTE_DIM(drift); j++)
		if (__sync_bool_compare_and_swap(&drift[j].mp, NULL, mp)) {
			drift[j].count = 0;
			return &drift[j].count;
		}
	return &drift[0].count;
}

static void
drift_add(const struct rte_mempool *mp, int n)
{
	volatile unsigned int *c = drift_count(mp);
	unsigned int v = *c;

	rte_pause();
	*c = v + n;
}
#endif

static int
mut_alloc(struct rte_mempool *mp)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

#ifdef MUT_ALLOC_FAILS
	return -ENOMEM;
#endif
#ifdef MUT_RACY
	struct racy_stack *s = rte_zmalloc("mut_racy", sizeof(*s) + sizeof(void *) * (mp->size + 1), 0);
	if (s == NULL)
		return -ENOMEM;
	mp->pool_data = s;
	return 0;
#endif
	if (snprintf(name, sizeof(name), "MUT_%s", mp->name) >= (int)sizeof(name))
		return -ENAMETOOLONG;
#ifdef MUT_RACY_HEAD
	/* Single-producer/single-consumer ring for every pool: head updates are plain stores, not CAS. */
	r = rte_ring_create(name, rte_align32pow2(mp->size + 1), mp->socket_id, RING_F_SP_ENQ | RING_F_SC_DEQ);
#else
	r = rte_ring_create(name, rte_align32pow2(mp->size + 1), mp->socket_id, 0);
#endif
	if (r == NULL)
		return -rte_errno;
	mp->pool_data = r;
	return 0;
}

static void
mut_free(struct rte_mempool *mp)
{
#ifdef MUT_FREE_NULL_CRASH
	/* Dereferences pool_data although free runs even when alloc never did. */
	printf("ring %u\n", rte_ring_get_capacity(mp->pool_data));
#endif
#ifdef MUT_ONE_CHUNK
	for (unsigned int j = 0; j < RTE_DIM(one_chunk); j++)
		if (one_chunk[j].mp == mp)
			one_chunk[j].mp = NULL;
#endif
#ifdef MUT_COUNT_DRIFT
	for (unsigned int j = 0; j < RTE_DIM(drift); j++)
		if (drift[j].mp == mp)
			drift[j].mp = NULL;
#endif
	if (mp->pool_data == NULL)
		return;
#ifdef MUT_RACY
	rte_free(mp->pool_data);
#else
	rte_ring_free(mp->pool_data);
#endif
}

static int
mut_enqueue(struct rte_mempool *mp, void * const *obj_table, unsigned int n)
{
#ifdef MUT_RACY
	struct racy_stack *s = mp->pool_data;
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned int t = s->top;
		rte_pause();
		s->objs[t] = obj_table[i];
		s->top = t + 1;
	}
	return 0;
#endif
#ifdef MUT_LOSSY_ENQUEUE
	/* Drops the last object of every bulk larger than 5. */
	if (n > 5)
		n--;
#endif
#ifdef MUT_WRITES_OBJECTS
	for (unsigned int i = 0; i < n; i++)
		memset(obj_table[i], 0xa5, 8);
#endif
#ifdef MUT_ONE_CHUNK
	if (one_chunk_refuses(mp, obj_table, n))
		return -ENOBUFS;
#endif
#ifdef MUT_COUNT_DRIFT
	if (rte_ring_enqueue_bulk(mp->pool_data, obj_table, n, NULL) != n)
		return -ENOBUFS;
	drift_add(mp, (int)n);
	return 0;
#endif
	return rte_ring_enqueue_bulk(mp->pool_data, obj_table, n, NULL) == n ? 0 : -ENOBUFS;
}

static int __rte_unused
mut_dequeue(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
#ifdef MUT_RACY
	struct racy_stack *s = mp->pool_data;
	unsigned int i;

	if (s->top < n)
		return -ENOBUFS;
	for (i = 0; i < n; i++) {
		unsigned int t = s->top;
		rte_pause();
		obj_table[i] = s->objs[t - 1];
		s->top = t - 1;
	}
	return 0;
#endif
#ifdef MUT_PARTIAL_DEQUEUE
	/* Hands out what it has, and claims success. */
	unsigned int got = rte_ring_dequeue_burst(mp->pool_data, obj_table, n, NULL);
	return got > 0 ? 0 : -ENOBUFS;
#endif
#ifdef MUT_SCRIBBLE_ON_FAIL
	if (rte_ring_count(mp->pool_data) < n) {
		memset(obj_table, 0, sizeof(void *) * n);
		return -ENOBUFS;
	}
#endif
#ifdef MUT_BULK_LIMIT
	/* Cannot serve large bulks even when it holds enough objects. */
	if (n > 64)
		return -ENOBUFS;
#endif
#ifdef MUT_DUPLICATE
	/* Hands out one object twice: the second slot repeats the first and one object is lost. */
	if (rte_ring_dequeue_bulk(mp->pool_data, obj_table, n, NULL) != n)
		return -ENOBUFS;
	if (n > 1)
		obj_table[1] = obj_table[0];
	return 0;
#endif
#ifdef MUT_COUNT_DRIFT
	if (rte_ring_dequeue_bulk(mp->pool_data, obj_table, n, NULL) != n)
		return -ENOBUFS;
	drift_add(mp, -(int)n);
	return 0;
#endif
	return rte_ring_dequeue_bulk(mp->pool_data, obj_table, n, NULL) == n ? 0 : -ENOBUFS;
}

static unsigned int
mut_get_count(const struct rte_mempool *mp)
{
#ifdef MUT_RACY
	return ((const struct racy_stack *)mp->pool_data)->top;
#endif
#ifdef MUT_COUNT_OFF_BY_ONE
	return rte_ring_count(mp->pool_data) + 1;
#endif
#ifdef MUT_COUNT_DRIFT
	return *drift_count(mp);
#endif
	return rte_ring_count(mp->pool_data);
}

static const struct rte_mempool_ops mut_ops = {
	.name = MUT_OPS_NAME,
	.alloc = mut_alloc,
	.free = mut_free,
	.enqueue = mut_enqueue,
#ifndef MUT_MISSING_DEQUEUE
	.dequeue = mut_dequeue,
#endif
	.get_count = mut_get_count,
};

RTE_MEMPOOL_REGISTER_OPS(mut_ops);
