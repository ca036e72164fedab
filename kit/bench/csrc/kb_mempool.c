/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * The mempool benchmark of kit_bench (SPEC = IDX:OPS:CACHE:BULK:KEEP:LCORES:
 * ITERS, see kit_bench.c): KEEP objects got and put back in bulks of BULK
 * per iteration, on one pool shared by LCORES lcores.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include "kit_bench.h"

#define POOL_SIZE 8191
#define ELT_SIZE 64
#define MAX_KEEP 512
#define MAX_LCORES 2

struct mp_spec {
	unsigned int idx;
	char ops[RTE_MEMPOOL_OPS_NAMESIZE];
	unsigned int cache, bulk, keep, lcores;
	uint64_t iters;
	unsigned int ms;	/* iters from a calibration: about ms per run */
};

struct mp_lcore {
	void *objs[MAX_KEEP];
	uint64_t cycles;
	uint64_t fails;
} __rte_cache_aligned;

static struct mp_run {
	struct rte_mempool *mp;
	const struct mp_spec *s;
	uint64_t iters;
	unsigned int rounds;
	volatile unsigned int arrived;	/* barrier before each round */
	struct mp_lcore lc[MAX_LCORES];
	uint64_t best_rate_x1000;	/* objects per second * 1000, summed */
} run;

/* Not inlined: callgrind collects inside kb_part_* only. */
static __rte_noinline uint64_t
kb_part_mempool(struct rte_mempool *mp, void **objs, unsigned int bulk,
	unsigned int keep, uint64_t iters)
{
	uint64_t it, fails = 0;
	unsigned int i, j;

	for (it = 0; it < iters; it++) {
		for (i = 0; i < keep; i += bulk)
			if (unlikely(rte_mempool_get_bulk(mp, &objs[i], bulk) != 0))
				break;
		if (unlikely(i < keep))
			fails++;
		for (j = 0; j < i; j += bulk)	/* put back what was taken */
			rte_mempool_put_bulk(mp, &objs[j], bulk);
	}
	return fails;
}

static void
barrier(unsigned int n, unsigned int generation)
{
	__atomic_add_fetch(&run.arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&run.arrived, __ATOMIC_ACQUIRE) < n * generation)
		rte_pause();
}

static int
mp_worker(void *arg __rte_unused)
{
	int rank = rte_lcore_index(rte_lcore_id());
	struct mp_lcore *lc;
	unsigned int r, n = run.s->lcores;
	uint64_t start, rate;

	if (rank < 0 || (unsigned int)rank >= n)
		return 0;
	lc = &run.lc[rank];
	lc->fails += kb_part_mempool(run.mp, lc->objs, run.s->bulk,
		run.s->keep, run.iters / 2 + 1);	/* warm up */
	if (n == 1)
		CALLGRIND_ZERO_STATS;	/* count the timed rounds only */
	for (r = 0; r < run.rounds; r++) {
		barrier(n, 2 * r + 1);
		start = rte_rdtsc_precise();
		lc->fails += kb_part_mempool(run.mp, lc->objs, run.s->bulk,
			run.s->keep, run.iters);
		lc->cycles = rte_rdtsc_precise() - start;
		barrier(n, 2 * r + 2);
		if (rank == 0) {
			unsigned int i;

			rate = 0;
			for (i = 0; i < n; i++)
				rate += (uint64_t)((double)run.iters *
					run.s->keep * rte_get_tsc_hz() * 1000.0
					/ (double)RTE_MAX(run.lc[i].cycles, 1));
			run.best_rate_x1000 = RTE_MAX(run.best_rate_x1000,
				rate);
		}
	}
	return 0;
}

static int
parse_mp_spec(const char *arg, struct mp_spec *s)
{
	char ops[64], count[32];

	if (sscanf(arg, "%u:%63[^:]:%u:%u:%u:%u:%31s", &s->idx, ops,
			&s->cache, &s->bulk, &s->keep, &s->lcores,
			count) != 7 ||
			kb_count_arg(count, &s->iters, &s->ms) != 0 ||
			strlen(ops) >= sizeof(s->ops) || s->bulk == 0 ||
			s->keep == 0 || s->keep > MAX_KEEP ||
			s->keep % s->bulk != 0 ||
			s->lcores == 0 || s->lcores > MAX_LCORES)
		return -EINVAL;
	strcpy(s->ops, ops);
	return 0;
}

int
kb_mempool(const char *arg, unsigned int rounds)
{
	struct mp_spec spec, *s = &spec;
	char name[RTE_MEMPOOL_NAMESIZE], label[32];
	uint64_t fails = 0;
	unsigned int i;
	int ret;

	if (parse_mp_spec(arg, s) != 0)
		return KB_BAD_SPEC;
	if (s->lcores > rte_lcore_count()) {
		fprintf(stderr, "spec %u wants %u lcores, the EAL has %u\n",
			s->idx, s->lcores, rte_lcore_count());
		return -1;
	}
	memset(&run, 0, sizeof(run));
	run.s = s;
	run.iters = s->iters;
	run.rounds = rounds;
	snprintf(name, sizeof(name), "kb_mp_%u", s->idx);
	run.mp = rte_mempool_create_empty(name, POOL_SIZE, ELT_SIZE, s->cache,
		0, SOCKET_ID_ANY, 0);
	if (run.mp == NULL) {
		fprintf(stderr, "error: rte_mempool_create_empty: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	ret = rte_mempool_set_ops_byname(run.mp, s->ops, NULL);
	if (ret != 0) {
		fprintf(stderr, "error: mempool ops %s: %s\n", s->ops,
			strerror(-ret));
		rte_mempool_free(run.mp);
		return KB_UNKNOWN_OPS;
	}
	ret = rte_mempool_populate_default(run.mp);
	if (ret < 0) {
		fprintf(stderr, "error: %s populate_default: %s\n", s->ops,
			strerror(-ret));
		rte_mempool_free(run.mp);
		return -1;
	}
	if (s->ms != 0) {
		uint64_t calib = RTE_MAX(8192u / s->keep, 1u), start;

		start = rte_rdtsc_precise();
		run.lc[0].fails += kb_part_mempool(run.mp, run.lc[0].objs,
			s->bulk, s->keep, calib);
		run.iters = kb_units_for(s->ms, calib,
			rte_rdtsc_precise() - start);
	}
	snprintf(label, sizeof(label), "kb%u", s->idx);
	if (s->lcores == 1) {
		mp_worker(NULL);
	} else {
		rte_eal_mp_remote_launch(mp_worker, NULL, CALL_MAIN);
		rte_eal_mp_wait_lcore();
	}
	CALLGRIND_DUMP_STATS_AT(label);
	for (i = 0; i < s->lcores; i++)
		fails += run.lc[i].fails;
	printf("result %u units=%" PRIu64 " total=%" PRIu64
		" rate=%.3f fails=%" PRIu64 "\n", s->idx,
		run.iters * s->keep * s->lcores,
		run.iters * s->keep * s->lcores * rounds,
		run.best_rate_x1000 / 1000.0, fails);
	rte_mempool_free(run.mp);
	return fails == 0 ? 0 : -1;
}
