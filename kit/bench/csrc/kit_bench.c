/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * The C side of `kit bench`: timed loops of a mempool driver or a PMD, in one
 * EAL process, for any ops name or vdev the EAL knows (plugins come with -d).
 * This file: the command line, the SPEC counts and the calibration; the
 * benchmarks are kb_mempool.c and kb_pmd.c.
 *
 *   kit_bench EAL_ARGS -- mempool ROUNDS SPEC...
 *     SPEC = IDX:OPS:CACHE:BULK:KEEP:LCORES:ITERS   (ITERS: a count, or
 *     <N>ms: as many iterations as take about N ms, from a calibration run)
 *     Per iteration: get KEEP objects in bulks of BULK, put them back in bulks
 *     of BULK (as DPDK's mempool_perf_autotest). LCORES 1 or 2: with 2, the
 *     main lcore and the first worker run the loop on one shared pool.
 *   kit_bench EAL_ARGS -- pmd ROUNDS SPEC...
 *     SPEC = IDX:MODE:BURST:RXPORT:TXPORT:PACKETS   MODE = rx | tx | fwd
 *     (PACKETS: a count, or <N>ms as for ITERS)
 *     rx: RXPORT's rx_burst + free; tx: alloc + tx_burst on TXPORT;
 *     fwd: rx_burst on RXPORT, tx_burst of what came on TXPORT.
 *     A port with no traffic of its own that returns what it sends (net_ring)
 *     is fed before its rx and drained after its tx; the feeding and draining
 *     are timed apart and taken out of the loop's time.
 *
 * For each SPEC: a warm-up, then ROUNDS timed runs; the fastest is reported
 * (it drops runs another process interrupted):
 *   result IDX units=<per round> total=<all rounds> rate=<units/s> fails=..
 * Under callgrind (--collect-atstart=no --toggle-collect=kb_part_*) the
 * counters are zeroed before and dumped after the timed runs of each SPEC,
 * labelled "kb<IDX>"; only the measured parts are collected (GCC may rename
 * a function, e.g. kb_part_rx.constprop.0, hence the glob).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "kit_bench.h"

int
kb_count_arg(const char *arg, uint64_t *count, unsigned int *ms)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);

	*count = 0;
	*ms = 0;
	if (end == arg || v == 0)
		return -EINVAL;
	if (strcmp(end, "ms") == 0 && v <= 60000)
		*ms = (unsigned int)v;
	else if (*end == '\0')
		*count = v;
	else
		return -EINVAL;
	return 0;
}

uint64_t
kb_units_for(unsigned int ms, uint64_t units, uint64_t cycles)
{
	double per_unit = (double)RTE_MAX(cycles, 1) / (double)units;

	return RTE_MAX((uint64_t)(rte_get_tsc_hz() / 1000.0 * ms / per_unit),
		(uint64_t)1);
}

int
main(int argc, char **argv)
{
	int (*bench)(const char *spec, unsigned int rounds);
	unsigned int rounds;
	int n, i, ret, status = 0;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "error: rte_eal_init: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= n;
	argv += n;
	if (argc < 4 || (strcmp(argv[1], "mempool") != 0 &&
			strcmp(argv[1], "pmd") != 0) ||
			(rounds = (unsigned int)atoi(argv[2])) == 0) {
		fprintf(stderr, "usage: kit_bench EAL_ARGS -- mempool|pmd "
			"ROUNDS SPEC...\n");
		rte_eal_cleanup();
		return 2;
	}
	bench = argv[1][0] == 'm' ? kb_mempool : kb_pmd;
	for (i = 3; i < argc && status == 0; i++) {
		ret = bench(argv[i], rounds);
		if (ret == KB_BAD_SPEC) {
			fprintf(stderr, "error: bad spec %s\n", argv[i]);
			status = 2;
		} else if (ret == KB_UNKNOWN_OPS) {
			status = 3;
		} else if (ret != 0) {
			status = 1;
		}
	}
	fflush(stdout);
	kb_pmd_close();
	rte_eal_cleanup();
	return status;
}
