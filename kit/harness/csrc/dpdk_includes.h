/* The DPDK headers every translation unit of the harness extension needs, and its limits. */
#ifndef KIT_HARNESS_DPDK_INCLUDES_H
#define KIT_HARNESS_DPDK_INCLUDES_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

/* The largest burst of kh_tx_burst_bytes and the loops (MAX_BURST in ethdev.py). */
#define KH_MAX_BURST 512

#endif
