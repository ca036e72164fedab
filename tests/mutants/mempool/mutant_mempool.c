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
	r = rte_ring_create(name, rte_align32pow2(mp->size + 1), mp->socket_id, 0);
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
