/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * The forward loop of `kit bench` (burst 32, net_mqnic_sim0 -> 1, both
 * wire=gen) with offloads enabled, for tools/bench_mqnic_offloads.py: what
 * each offload costs per packet when an application asks for it. Only
 * fwd_run is counted (callgrind --toggle-collect); it sets the TX checksum
 * request of each frame and calls tx_prepare when TX offloads are on, as
 * an application using them must.
 * Usage: mqnic_offload_loop EAL... -- RX_OFFLOADS TX_OFFLOADS MTU BURSTS
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#define BURST	32

static struct rte_mempool *pool;

static int
port_setup(uint16_t id, uint64_t rx, uint64_t tx, uint16_t mtu)
{
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = rx, .mtu = mtu },
		.txmode = { .offloads = tx },
	};
	int ret;

	ret = rte_eth_dev_configure(id, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(id, 0, 256, 0, NULL, pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(id, 0, 1024, 0, NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(id);
	if (ret == 0)
		ret = rte_eth_promiscuous_enable(id);
	return ret;
}

static uint64_t __rte_noinline
fwd_run(uint16_t a, uint16_t b, uint64_t bursts, int tx_csum)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t moved = 0, i;
	uint16_t n, k, j;

	for (i = 0; i < bursts; i++) {
		n = rte_eth_rx_burst(a, 0, pkts, BURST);
		if (tx_csum) {
			for (j = 0; j < n; j++) {
				pkts[j]->ol_flags |= RTE_MBUF_F_TX_IPV4 |
					RTE_MBUF_F_TX_IP_CKSUM |
					RTE_MBUF_F_TX_UDP_CKSUM;
				pkts[j]->l2_len = 14;
				pkts[j]->l3_len = 20;
			}
			n = rte_eth_tx_prepare(b, 0, pkts, n);
		}
		k = rte_eth_tx_burst(b, 0, pkts, n);
		if (k < n)
			rte_pktmbuf_free_bulk(pkts + k, n - k);
		moved += n;
	}
	return moved;
}

int
main(int argc, char **argv)
{
	uint64_t rx, tx, bursts, moved;
	uint16_t mtu;
	int n, tx_csum;

	n = rte_eal_init(argc, argv);
	if (n < 0)
		return 1;
	argc -= n;
	argv += n;
	if (argc != 5) {
		fprintf(stderr, "usage: ... -- RX_OFFLOADS TX_OFFLOADS MTU BURSTS\n");
		return 2;
	}
	rx = strtoull(argv[1], NULL, 0);
	tx = strtoull(argv[2], NULL, 0);
	mtu = (uint16_t)strtoul(argv[3], NULL, 0);
	bursts = strtoull(argv[4], NULL, 0);
	pool = rte_pktmbuf_pool_create("loop", 8191, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL || port_setup(0, rx, tx, mtu) != 0 ||
			port_setup(1, rx, tx, mtu) != 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	tx_csum = (tx & ~RTE_ETH_TX_OFFLOAD_MULTI_SEGS) != 0;
	/* A warm-up run, then the measured one, as kit bench does. */
	fwd_run(0, 1, bursts, tx_csum);
	moved = fwd_run(0, 1, bursts, tx_csum);
	printf("moved %" PRIu64 "\n", moved);
	rte_eth_dev_stop(0);
	rte_eth_dev_stop(1);
	rte_eal_cleanup();
	return 0;
}
