/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * Checks the kit_ring mempool driver through the public mempool API on a
 * real EAL. Usage: test_kit_ring PLUGIN.so
 * Cache size 0 everywhere except where noted, so every get and put reaches
 * the driver.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#define OPS_NAME "kit_ring"

#define POOL_SIZE 4095	/* not a power of two: the ring size rule matters */
#define ELT_SIZE 64
#define SENTINEL ((void *)(uintptr_t)0x5e17e1)
#define STRESS_ITERS 200000
#define STRESS_MAX_BULK 64

static unsigned int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		printf("FAIL %s:%d: %s: ", __func__, __LINE__, #cond); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

/* What the concurrency test keeps in an object while it holds it. */
struct obj {
	uint32_t owned;
};

static void *table[POOL_SIZE + 1];

static struct rte_mempool *
make_pool(const char *name, unsigned int flags, unsigned int cache)
{
	struct rte_mempool *mp;
	int ret;

	mp = rte_mempool_create_empty(name, POOL_SIZE, ELT_SIZE, cache, 0,
		SOCKET_ID_ANY, flags);
	CHECK(mp != NULL, "create_empty: %s", rte_strerror(rte_errno));
	if (mp == NULL)
		return NULL;
	ret = rte_mempool_set_ops_byname(mp, OPS_NAME, NULL);
	CHECK(ret == 0, "set_ops_byname: %d", ret);
	ret = rte_mempool_populate_default(mp);
	CHECK(ret == POOL_SIZE, "populate_default: %d", ret);
	if (ret != POOL_SIZE) {
		rte_mempool_free(mp);
		return NULL;
	}
	return mp;
}

static bool
ops_registered(void)
{
	unsigned int i;

	for (i = 0; i < rte_mempool_ops_table.num_ops; i++)
		if (strcmp(rte_mempool_ops_table.ops[i].name, OPS_NAME) == 0)
			return true;
	return false;
}

static void
fill_sentinel(void **t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		t[i] = SENTINEL;
}

static bool
all_sentinel(void * const *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (t[i] != SENTINEL)
			return false;
	return true;
}

static void
test_populate(struct rte_mempool *mp, unsigned int flags)
{
	bool sp = flags & RTE_MEMPOOL_F_SP_PUT, sc = flags & RTE_MEMPOOL_F_SC_GET;

	CHECK(strcmp(rte_mempool_get_ops(mp->ops_index)->name, OPS_NAME) == 0,
		"pool uses %s", rte_mempool_get_ops(mp->ops_index)->name);
	CHECK(mp->pool_data != NULL, "alloc did not run");
	if (mp->pool_data == NULL)
		return;
	/* This driver's pool_data is a ring in the mode the flags ask for. */
	CHECK(rte_ring_is_prod_single(mp->pool_data) == sp, "producer mode");
	CHECK(rte_ring_is_cons_single(mp->pool_data) == sc, "consumer mode");
	CHECK(rte_ring_get_capacity(mp->pool_data) >= POOL_SIZE, "capacity %u",
		rte_ring_get_capacity(mp->pool_data));
	CHECK(rte_mempool_populate_default(mp) == -EEXIST,
		"second populate must add nothing");
	CHECK(rte_mempool_set_ops_byname(mp, OPS_NAME, NULL) == -EEXIST,
		"set_ops after populate must fail");
}

static void
test_counts(struct rte_mempool *mp)
{
	const unsigned int k = 100;

	CHECK(rte_mempool_avail_count(mp) == POOL_SIZE, "avail %u",
		rte_mempool_avail_count(mp));
	CHECK(rte_mempool_in_use_count(mp) == 0, "in use %u",
		rte_mempool_in_use_count(mp));
	CHECK(rte_mempool_get_bulk(mp, table, k) == 0, "get %u", k);
	CHECK(rte_mempool_avail_count(mp) == POOL_SIZE - k, "avail %u",
		rte_mempool_avail_count(mp));
	CHECK(rte_mempool_in_use_count(mp) == k, "in use %u",
		rte_mempool_in_use_count(mp));
	rte_mempool_put_bulk(mp, table, k);
	CHECK(rte_mempool_full(mp), "not full after put back");
}

static void
test_exhaustion(struct rte_mempool *mp)
{
	const unsigned int keep = 10;
	void **rest;
	int ret;

	/* More than available, with some left: all or nothing. */
	CHECK(rte_mempool_get_bulk(mp, table, POOL_SIZE - keep) == 0,
		"get all but %u", keep);
	rest = table + POOL_SIZE - keep;	/* room for keep + 1 */
	fill_sentinel(rest, keep + 1);
	ret = rte_mempool_get_bulk(mp, rest, keep + 1);
	CHECK(ret < 0, "get %u of %u available returned %d", keep + 1, keep,
		ret);
	CHECK(all_sentinel(rest, keep + 1), "failed get wrote into the table");
	CHECK(rte_mempool_avail_count(mp) == keep, "failed get took objects");
	CHECK(rte_mempool_get_bulk(mp, rest, keep) == 0, "get the last %u",
		keep);

	/* Empty: one more fails and leaves the table alone. */
	CHECK(rte_mempool_avail_count(mp) == 0, "avail %u",
		rte_mempool_avail_count(mp));
	table[POOL_SIZE] = SENTINEL;
	ret = rte_mempool_get(mp, &table[POOL_SIZE]);
	CHECK(ret == -ENOENT || ret == -ENOBUFS, "get from empty pool: %d",
		ret);
	CHECK(table[POOL_SIZE] == SENTINEL, "failed get wrote into the table");

	rte_mempool_put_bulk(mp, table, POOL_SIZE);
	CHECK(rte_mempool_full(mp), "not full after putting all back");
}

static void
test_enqueue_bulks(struct rte_mempool *mp)
{
	static const unsigned int bulks[] = { 1, 7, 32, 512 };
	unsigned int b, i, n;

	for (b = 0; b < RTE_DIM(bulks); b++) {
		CHECK(rte_mempool_get_bulk(mp, table, POOL_SIZE) == 0,
			"get all");
		for (i = 0; i < POOL_SIZE; i += n) {
			n = RTE_MIN(bulks[b], POOL_SIZE - i);
			rte_mempool_put_bulk(mp, table + i, n);
			CHECK(rte_mempool_avail_count(mp) == i + n,
				"bulk %u: avail %u after %u",
				bulks[b], rte_mempool_avail_count(mp), i + n);
		}
	}
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void * const *)a;
	uintptr_t y = (uintptr_t)*(void * const *)b;

	return x < y ? -1 : x > y;
}

/* A byte that differs between neighbouring objects. */
static int
obj_byte(const void *o)
{
	return (int)(((uintptr_t)o / ELT_SIZE) & 0xff);
}

/* Every object once, all from this pool, object bytes never written. */
static void
test_identity(struct rte_mempool *mp)
{
	unsigned int i, j, dups = 0, foreign = 0, written = 0;
	struct obj *o;

	CHECK(rte_mempool_get_bulk(mp, table, POOL_SIZE) == 0, "get all");
	for (i = 0; i < POOL_SIZE; i++)
		memset(table[i], obj_byte(table[i]), ELT_SIZE);
	rte_mempool_put_bulk(mp, table, POOL_SIZE);

	CHECK(rte_mempool_get_bulk(mp, table, POOL_SIZE) == 0, "get all");
	for (i = 0; i < POOL_SIZE; i++) {
		o = table[i];
		if (rte_mempool_from_obj(o) != mp)
			foreign++;
		for (j = 0; j < ELT_SIZE; j++)
			if (((uint8_t *)o)[j] != obj_byte(o))
				break;
		if (j != ELT_SIZE)
			written++;
	}
	qsort(table, POOL_SIZE, sizeof(table[0]), cmp_ptr);
	for (i = 1; i < POOL_SIZE; i++)
		if (table[i] == table[i - 1])
			dups++;
	CHECK(foreign == 0, "%u objects not from this pool", foreign);
	CHECK(dups == 0, "%u duplicate objects", dups);
	CHECK(written == 0, "%u objects modified by the driver", written);
	rte_mempool_put_bulk(mp, table, POOL_SIZE);
	CHECK(rte_mempool_full(mp), "not full");
}

static void
test_free_unpopulated(void)
{
	struct rte_mempool *mp;

	mp = rte_mempool_create_empty("t_unpop", POOL_SIZE, ELT_SIZE, 0, 0,
		SOCKET_ID_ANY, 0);
	CHECK(mp != NULL, "create_empty");
	if (mp == NULL)
		return;
	CHECK(rte_mempool_set_ops_byname(mp, OPS_NAME, NULL) == 0,
		"set_ops_byname");
	CHECK(mp->pool_data == NULL, "alloc ran before populate");
	rte_mempool_free(mp);	/* must not crash: alloc never ran */
}

/* Take objects, claim each with an atomic flag, give them back. */
static int
stress_worker(void *arg)
{
	struct rte_mempool *mp = arg;
	void *objs[STRESS_MAX_BULK];
	unsigned int i, j, n, dups = 0;
	uint32_t seed = rte_lcore_id() + 1;
	struct obj *o;

	for (i = 0; i < STRESS_ITERS; i++) {
		seed = seed * 1103515245 + 12345;
		n = 1 + (seed >> 16) % STRESS_MAX_BULK;
		if (rte_mempool_get_bulk(mp, objs, n) != 0)
			continue;
		for (j = 0; j < n; j++) {
			o = objs[j];
			if (__atomic_exchange_n(&o->owned, 1, __ATOMIC_ACQ_REL))
				dups++;
		}
		for (j = 0; j < n; j++) {
			o = objs[j];
			__atomic_store_n(&o->owned, 0, __ATOMIC_RELEASE);
		}
		rte_mempool_put_bulk(mp, objs, n);
	}
	return (int)dups;
}

static void
test_concurrent(struct rte_mempool *mp)
{
	unsigned int worker, i;
	int dups_main, dups_worker;

	CHECK(rte_lcore_count() >= 2, "needs 2 lcores (-l 0-1)");
	if (rte_lcore_count() < 2)
		return;
	CHECK(rte_mempool_get_bulk(mp, table, POOL_SIZE) == 0, "get all");
	for (i = 0; i < POOL_SIZE; i++)
		((struct obj *)table[i])->owned = 0;
	rte_mempool_put_bulk(mp, table, POOL_SIZE);

	worker = rte_get_next_lcore(-1, 1, 0);
	CHECK(rte_eal_remote_launch(stress_worker, mp, worker) == 0, "launch");
	dups_main = stress_worker(mp);
	dups_worker = rte_eal_wait_lcore(worker);
	CHECK(dups_main == 0 && dups_worker == 0,
		"objects handed out twice: %d + %d", dups_main, dups_worker);
	CHECK(rte_mempool_full(mp), "avail %u after stress",
		rte_mempool_avail_count(mp));
}

static void
run_pool_tests(const char *name, unsigned int flags)
{
	struct rte_mempool *mp;

	mp = make_pool(name, flags, 0);
	if (mp == NULL)
		return;
	test_populate(mp, flags);
	test_counts(mp);
	test_exhaustion(mp);
	test_enqueue_bulks(mp);
	test_identity(mp);
	if (!(flags & (RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET)))
		test_concurrent(mp);
	test_identity(mp);
	rte_mempool_free(mp);
}

static int
remove_entry(const char *path, const struct stat *sb __rte_unused,
	int type __rte_unused, struct FTW *ftw __rte_unused)
{
	return remove(path);
}

int
main(int argc, char **argv)
{
	char prefix[64], runtime_dir[PATH_MAX];
	char *eal_argv[16];
	int eal_argc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: %s PLUGIN.so\n", argv[0]);
		return 2;
	}
	snprintf(prefix, sizeof(prefix), "kit_ring_test_%d", (int)getpid());
	eal_argv[eal_argc++] = argv[0];
	eal_argv[eal_argc++] = (char *)"--no-huge";
	eal_argv[eal_argc++] = (char *)"--no-pci";
	eal_argv[eal_argc++] = (char *)"-m";
	eal_argv[eal_argc++] = (char *)"256";
	eal_argv[eal_argc++] = (char *)"-l";
	eal_argv[eal_argc++] = (char *)"0-1";
	eal_argv[eal_argc++] = (char *)"--file-prefix";
	eal_argv[eal_argc++] = prefix;
	eal_argv[eal_argc++] = (char *)"-d";
	eal_argv[eal_argc++] = argv[1];
	eal_argv[eal_argc] = NULL;

	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "FAIL: rte_eal_init: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	snprintf(runtime_dir, sizeof(runtime_dir), "%s",
		rte_eal_get_runtime_dir());

	CHECK(ops_registered(), "ops %s not registered by %s", OPS_NAME,
		argv[1]);
	if (ops_registered()) {
		run_pool_tests("t_mpmc", 0);
		run_pool_tests("t_spsc",
			RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET);
		test_free_unpopulated();
	}

	rte_eal_cleanup();
	/* EAL leaves its runtime directory behind. */
	nftw(runtime_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);

	printf("%s: %u failure(s)\n", failures ? "FAIL" : "OK", failures);
	return failures ? 1 : 0;
}
