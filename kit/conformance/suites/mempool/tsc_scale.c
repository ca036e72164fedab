/* SPDX-License-Identifier: BSD-3-Clause
 *
 * LD_PRELOAD shim for M14: rte_get_tsc_hz() answers the real TSC frequency divided by
 * KIT_TSC_DIVISOR (default 100), so a program that runs a loop for "TIME_S seconds" (dpdk-test's
 * mempool_perf_autotest: 5 s per configuration) runs it 1/KIT_TSC_DIVISOR as long. Every code path
 * still runs; only the timed loops are shorter and the rates it prints are inflated by the divisor.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>

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
