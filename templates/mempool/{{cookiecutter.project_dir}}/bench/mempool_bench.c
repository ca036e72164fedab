/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * Mempool get/put throughput on one lcore, for any registered ops.
 *
 *   mempool_bench EAL_ARGS -- -o OBJECTS SPEC...
 *   SPEC = OPS:MODE:CACHE:BULK[:OBJECTS], MODE = mpmc | spsc (pool flags)
 *
 * For each SPEC: a pool of POOL_SIZE objects, a warm-up, then ROUNDS timed
 * loops of get_bulk + put_bulk moving OBJECTS objects in total. The fastest
 * round is reported, which drops rounds another process interrupted:
 *   result ops=.. mode=.. cache=.. bulk=.. objs=<per round> cycles=.. hz=..
 * Under callgrind (--collect-atstart=no --toggle-collect=bench_loop*: GCC
 * may rename the function, e.g. bench_loop.constprop.0) the
 * counters are zeroed before and dumped after each timed loop, labelled
 * with the SPEC, so instructions can be read per configuration.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <valgrind/callgrind.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mempool.h>

#define POOL_SIZE 8191
#define ELT_SIZE 64
#define MAX_BULK 512
#define ROUNDS 5

struct spec {
	char ops[RTE_MEMPOOL_OPS_NAMESIZE];
	char mode[8];
	unsigned int cache;
	unsigned int bulk;
	uint64_t objects;	/* 0: the -o value */
};

/* Not inlined: callgrind toggles collection on entry and exit. */
static __rte_noinline uint64_t
bench_loop(struct rte_mempool *mp, void **objs, unsigned int bulk,
	uint64_t iters)
{
	uint64_t i, fails = 0;

	for (i = 0; i < iters; i++) {
		if (unlikely(rte_mempool_get_bulk(mp, objs, bulk) != 0)) {
			fails++;
			continue;
		}
		rte_mempool_put_bulk(mp, objs, bulk);
	}
	return fails;
}

static int
parse_spec(const char *arg, struct spec *s)
{
	char ops[64], mode[16];
	int n;

	s->objects = 0;
	n = sscanf(arg, "%63[^:]:%15[^:]:%u:%u:%" SCNu64, ops, mode,
		&s->cache, &s->bulk, &s->objects);
	if (n < 4 ||
			strlen(ops) >= sizeof(s->ops) ||
			(strcmp(mode, "mpmc") != 0 && strcmp(mode, "spsc") != 0) ||
			s->bulk == 0 || s->bulk > MAX_BULK)
		return -EINVAL;
	strcpy(s->ops, ops);
	strcpy(s->mode, mode);
	return 0;
}

static int
run_spec(const struct spec *s, uint64_t objects, unsigned int idx)
{
	static void *objs[MAX_BULK];
	unsigned int flags = 0;
	struct rte_mempool *mp;
	char name[RTE_MEMPOOL_NAMESIZE], label[128];
	uint64_t iters, start, cycles, best = UINT64_MAX, fails;
	unsigned int round;
	int ret;

	if (strcmp(s->mode, "spsc") == 0)
		flags = RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET;
	snprintf(name, sizeof(name), "bench_%u", idx);
	mp = rte_mempool_create_empty(name, POOL_SIZE, ELT_SIZE, s->cache, 0,
		SOCKET_ID_ANY, flags);
	if (mp == NULL) {
		fprintf(stderr, "create_empty: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	ret = rte_mempool_set_ops_byname(mp, s->ops, NULL);
	if (ret == 0)
		ret = rte_mempool_populate_default(mp);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", s->ops, strerror(-ret));
		rte_mempool_free(mp);
		return -1;
	}

	if (s->objects != 0)
		objects = s->objects;
	iters = objects / s->bulk / ROUNDS + 1;
	fails = bench_loop(mp, objs, s->bulk, iters / 2 + 1);	/* warm up */

	/* The label carries the iterations of all rounds together. */
	snprintf(label, sizeof(label), "%s:%s:%u:%u:%" PRIu64, s->ops,
		s->mode, s->cache, s->bulk, iters * ROUNDS);
	CALLGRIND_ZERO_STATS;
	for (round = 0; round < ROUNDS; round++) {
		start = rte_rdtsc_precise();
		fails += bench_loop(mp, objs, s->bulk, iters);
		cycles = rte_rdtsc_precise() - start;
		best = RTE_MIN(best, cycles);
	}
	CALLGRIND_DUMP_STATS_AT(label);

	printf("result ops=%s mode=%s cache=%u bulk=%u objs=%" PRIu64
		" cycles=%" PRIu64 " hz=%" PRIu64 " fails=%" PRIu64 "\n",
		s->ops, s->mode, s->cache, s->bulk, iters * s->bulk, best,
		rte_get_tsc_hz(), fails);
	rte_mempool_free(mp);
	return fails == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	uint64_t objects = 0;
	struct spec s;
	int n, i, status = 0;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= n;
	argv += n;
	if (argc >= 3 && strcmp(argv[1], "-o") == 0)
		objects = strtoull(argv[2], NULL, 0);
	if (objects == 0 || argc < 4) {
		fprintf(stderr, "usage: mempool_bench EAL_ARGS -- -o OBJECTS "
			"OPS:MODE:CACHE:BULK...\n");
		rte_eal_cleanup();
		return 2;
	}

	for (i = 3; i < argc; i++) {
		if (parse_spec(argv[i], &s) != 0) {
			fprintf(stderr, "bad spec %s\n", argv[i]);
			status = 2;
			break;
		}
		if (run_spec(&s, objects, (unsigned int)i) != 0)
			status = 1;
	}
	rte_eal_cleanup();
	return status;
}
