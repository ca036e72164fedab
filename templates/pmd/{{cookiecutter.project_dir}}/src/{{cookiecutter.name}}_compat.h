/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * The driver API changes between the DPDK LTS releases this driver builds
 * against (22.11, 24.11, 25.11). Each one is a feature macro named after what
 * changed, keyed on RTE_VERSION and on the release that brought it, so the code
 * says what it adapts to rather than which number it compares with.
 * docs/versions.md of dpdk-kit lists them with the places that use them.
 */

#ifndef {{ cookiecutter.macro }}_COMPAT_H
#define {{ cookiecutter.macro }}_COMPAT_H

#include <stdint.h>

#include <rte_version.h>

/*
 * DPDK 24.03 (first LTS: 24.11): dev_supported_ptypes_get gained a
 * 'size_t *no_of_elements' argument and ethdev reads exactly that many
 * entries; before, it read up to an RTE_PTYPE_UNKNOWN terminator.
 */
#if RTE_VERSION >= RTE_VERSION_NUM(24, 3, 0, 0)
#define {{ cookiecutter.macro }}_PTYPES_GET_COUNTS 1
#endif

/*
 * DPDK 25.11: struct rte_eth_stats lost its per-queue arrays (q_ipackets,
 * q_ibytes, q_errors, ...); stats_get takes them in a separate
 * 'struct eth_queue_stats *', NULL when the caller wants none
 * (rte_eth_stats_get). Before, the arrays are part of struct rte_eth_stats.
 */
#if RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0)
#define {{ cookiecutter.macro }}_STATS_GET_QUEUE_ARG 1
typedef struct eth_queue_stats {{ cookiecutter.name }}_queue_stats_t;
#else
typedef struct rte_eth_stats {{ cookiecutter.name }}_queue_stats_t;
#endif

/*
 * DPDK 25.11: the rx_queue_count callback returns int (a negative errno may be
 * given) instead of uint32_t.
 */
#if RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0)
typedef int {{ cookiecutter.name }}_rx_queue_count_t;
#else
typedef uint32_t {{ cookiecutter.name }}_rx_queue_count_t;
#endif

/*
 * DPDK 24.11: ethdev gained timesync_adjust_freq (rte_eth_timesync_adjust_freq,
 * ppm scaled by 2^16). 22.11 has no such op: the PHC's frequency is then
 * adjusted by no API (FREQ stays 0).
 */
#if RTE_VERSION >= RTE_VERSION_NUM(24, 11, 0, 0)
#define {{ cookiecutter.macro }}_TIMESYNC_ADJUST_FREQ 1
#endif

#endif /* {{ cookiecutter.macro }}_COMPAT_H */
