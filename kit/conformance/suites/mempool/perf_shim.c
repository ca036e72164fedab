/* SPDX-License-Identifier: BSD-3-Clause
 *
 * LD_PRELOAD shim for M14, which runs dpdk-test's mempool_perf_autotest on the driver under test.
 *
 * rte_get_tsc_hz() answers the real TSC frequency divided by KIT_TSC_DIVISOR (default 100), so a
 * loop the test runs for "TIME_S seconds" per configuration runs 1/KIT_TSC_DIVISOR as long. Every
 * code path still runs (each configuration makes at least one full pass of its loop); only the
 * timed loops are shorter, and the rates printed are inflated by the divisor.
 *
 * rte_mempool_create() makes its pool with the ops named by KIT_MEMPOOL_OPS (when set, and unless
 * the caller asked for a single-producer or single-consumer pool). The test makes its own pools with
 * rte_mempool_create(), which picks ring_mp_mc by flags, and puts only its "default pool" on the
 * default ops: with the shim every section (no cache, per-lcore cache, user-owned cache) runs on
 * the driver, and from DPDK 24.11 on the test skips its default-pool sections as repeats (the same
 * ops), which keeps a run of its ~2000 configurations within minutes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>

#include <rte_mempool.h>

uint64_t rte_get_tsc_hz(void);

uint64_t
rte_get_tsc_hz(void)
{
	static uint64_t (*real)(void);
	static uint64_t divisor;

	if (real == NULL)
		real = (uint64_t (*)(void))dlsym(RTLD_NEXT, "rte_get_tsc_hz");
	if (divisor == 0) {
		const char *env = getenv("KIT_TSC_DIVISOR");

		divisor = env != NULL && atoi(env) > 0 ? (uint64_t)atoi(env) : 100;
	}
	return real == NULL ? 0 : real() / divisor;
}

typedef struct rte_mempool *(*mempool_create_t)(const char *, unsigned int, unsigned int, unsigned int,
		unsigned int, rte_mempool_ctor_t *, void *, rte_mempool_obj_cb_t *, void *, int,
		unsigned int);

struct rte_mempool *
rte_mempool_create(const char *name, unsigned int n, unsigned int elt_size, unsigned int cache_size,
		unsigned int private_data_size, rte_mempool_ctor_t *mp_init, void *mp_init_arg,
		rte_mempool_obj_cb_t *obj_init, void *obj_init_arg, int socket_id, unsigned int flags)
{
	const char *ops = getenv("KIT_MEMPOOL_OPS");
	struct rte_mempool *mp;

	/* A single-producer or single-consumer pool keeps the ring the caller's flags choose. */
	if (ops == NULL || *ops == '\0' || (flags & (RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET)) != 0) {
		mempool_create_t real = (mempool_create_t)dlsym(RTLD_NEXT, "rte_mempool_create");

		return real == NULL ? NULL : real(name, n, elt_size, cache_size, private_data_size,
				mp_init, mp_init_arg, obj_init, obj_init_arg, socket_id, flags);
	}

	/* What rte_mempool_create() does, with the ops named instead of chosen by flags. */
	mp = rte_mempool_create_empty(name, n, elt_size, cache_size, private_data_size, socket_id,
			flags);
	if (mp == NULL)
		return NULL;
	if (rte_mempool_set_ops_byname(mp, ops, NULL) != 0)
		goto fail;
	if (mp_init != NULL)
		mp_init(mp, mp_init_arg);
	if (rte_mempool_populate_default(mp) < 0)
		goto fail;
	if (obj_init != NULL)
		rte_mempool_obj_iter(mp, obj_init, obj_init_arg);
	return mp;

fail:
	rte_mempool_free(mp);
	return NULL;
}
