/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * What the parts of kit_bench share: the SPEC count argument, the
 * calibration, and one entry point per benchmark kind (kb_mempool.c,
 * kb_pmd.c), called by main (kit_bench.c) once per SPEC.
 */

#ifndef KIT_BENCH_H
#define KIT_BENCH_H

#include <stdint.h>

/* Returned by a benchmark for a SPEC it cannot read. */
#define KB_BAD_SPEC (-3)
/* Returned by the mempool benchmark for an ops name the EAL does not know. */
#define KB_UNKNOWN_OPS (-2)

/* A count, or "<N>ms" (then *count = 0 and *ms = N). */
int
kb_count_arg(const char *arg, uint64_t *count, unsigned int *ms);

/* Work units that take about ms milliseconds, at `cycles` per `units`. */
uint64_t
kb_units_for(unsigned int ms, uint64_t units, uint64_t cycles);

/*
 * One SPEC of a kind, ROUNDS timed runs: 0, KB_BAD_SPEC, KB_UNKNOWN_OPS or
 * another negative value for a failure.
 */
int
kb_mempool(const char *spec, unsigned int rounds);

int
kb_pmd(const char *spec, unsigned int rounds);

/* Stop and close the ports kb_pmd set up. */
void
kb_pmd_close(void);

#endif /* KIT_BENCH_H */
