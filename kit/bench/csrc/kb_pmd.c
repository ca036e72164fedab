/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * The PMD benchmark of kit_bench (SPEC = IDX:MODE:BURST:RXPORT:TXPORT:PACKETS,
 * see kit_bench.c): rx, tx or fwd bursts on ports set up on first use, each
 * probed for traffic of its own (source), a loopback, or neither (sink).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "kit_bench.h"

#define MAX_BURST 64
#define MAX_PORTS 16
#define PKT_POOL_SIZE 16383
#define PKT_LEN 64
#define PROBE_POLLS 16

enum port_kind { PORT_SOURCE, PORT_LOOPBACK, PORT_SINK };

struct port {
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t id;
	enum port_kind kind;
};

static struct port ports[MAX_PORTS];
static unsigned int nb_ports;
static struct rte_mempool *pkt_pool;
static uint64_t support_cycles;	/* feeding and draining, taken out */
static uint64_t bursts;		/* calls of a measured part */

struct pmd_spec {
	unsigned int idx;
	char mode[8];
	unsigned int burst;
	char rx[RTE_ETH_NAME_MAX_LEN], tx[RTE_ETH_NAME_MAX_LEN];
	uint64_t packets;
	unsigned int ms;
};

static uint16_t
alloc_pkts(struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	if (rte_pktmbuf_alloc_bulk(pkt_pool, pkts, n) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		pkts[i]->data_len = PKT_LEN;
		pkts[i]->pkt_len = PKT_LEN;
	}
	return n;
}

/* The measured parts: not inlined, callgrind collects inside them only. */
static __rte_noinline uint16_t
kb_part_rx(uint16_t port, uint16_t burst)
{
	struct rte_mbuf *pkts[MAX_BURST];
	uint16_t n = rte_eth_rx_burst(port, 0, pkts, burst);

	rte_pktmbuf_free_bulk(pkts, n);
	return n;
}

static __rte_noinline uint16_t
kb_part_tx(uint16_t port, uint16_t burst, uint64_t *dropped)
{
	struct rte_mbuf *pkts[MAX_BURST];
	uint16_t n = alloc_pkts(pkts, burst), sent;

	sent = rte_eth_tx_burst(port, 0, pkts, n);
	if (unlikely(sent < n)) {
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
		*dropped += n - sent;
	}
	return sent;
}

static __rte_noinline uint16_t
kb_part_fwd(uint16_t rx, uint16_t tx, uint16_t burst, uint64_t *dropped)
{
	struct rte_mbuf *pkts[MAX_BURST];
	uint16_t n = rte_eth_rx_burst(rx, 0, pkts, burst), sent;

	sent = rte_eth_tx_burst(tx, 0, pkts, n);
	if (unlikely(sent < n)) {
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
		*dropped += n - sent;
	}
	return n;
}

/* Support for loopback ports (not collected, timed apart). */
static __rte_noinline void
support_feed(uint16_t port, uint16_t burst)
{
	struct rte_mbuf *pkts[MAX_BURST];
	uint64_t start = rte_rdtsc();
	uint16_t n = alloc_pkts(pkts, burst), sent;

	sent = rte_eth_tx_burst(port, 0, pkts, n);
	rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
	support_cycles += rte_rdtsc() - start;
}

static __rte_noinline void
support_drain(uint16_t port, uint16_t burst)
{
	struct rte_mbuf *pkts[MAX_BURST];
	uint64_t start = rte_rdtsc();
	uint16_t n = rte_eth_rx_burst(port, 0, pkts, burst);

	rte_pktmbuf_free_bulk(pkts, n);
	support_cycles += rte_rdtsc() - start;
}

static uint16_t
drain_all(uint16_t port)
{
	struct rte_mbuf *pkts[MAX_BURST];
	uint16_t n, total = 0;

	do {
		n = rte_eth_rx_burst(port, 0, pkts, MAX_BURST);
		rte_pktmbuf_free_bulk(pkts, n);
		total += n;
	} while (n > 0 && total < 8 * MAX_BURST);
	return total;
}

static enum port_kind
probe_kind(uint16_t port)
{
	struct rte_mbuf *pkts[MAX_BURST];
	unsigned int i;
	uint16_t n = 0, sent;

	for (i = 0; i < PROBE_POLLS && n == 0; i++)
		n = drain_all(port);
	if (n > 0)
		return PORT_SOURCE;
	if (alloc_pkts(pkts, 1) == 0)
		return PORT_SINK;
	sent = rte_eth_tx_burst(port, 0, pkts, 1);
	if (sent == 0)
		rte_pktmbuf_free(pkts[0]);
	for (i = 0; i < PROBE_POLLS && n == 0; i++)
		n = drain_all(port);
	return n > 0 ? PORT_LOOPBACK : PORT_SINK;
}

static const char *
kind_name(enum port_kind kind)
{
	return kind == PORT_SOURCE ? "source" :
		kind == PORT_LOOPBACK ? "loopback" : "sink";
}

static struct port *
port_get(const char *name)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct port *p;
	unsigned int i;
	uint16_t id;
	int ret;

	for (i = 0; i < nb_ports; i++)
		if (strcmp(ports[i].name, name) == 0)
			return &ports[i];
	if (nb_ports == MAX_PORTS)
		return NULL;
	if (rte_eth_dev_get_port_by_name(name, &id) != 0) {
		fprintf(stderr, "error: no port named %s (did the vdev probe? "
			"is its plugin loaded?)\n", name);
		return NULL;
	}
	if (pkt_pool == NULL) {
		pkt_pool = rte_pktmbuf_pool_create("kb_pkt", PKT_POOL_SIZE,
			256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
		if (pkt_pool == NULL) {
			fprintf(stderr, "error: rte_pktmbuf_pool_create: %s\n",
				rte_strerror(rte_errno));
			return NULL;
		}
	}
	memset(&conf, 0, sizeof(conf));
	/*
	 * MBUF_FAST_FREE where the port offers it, as testpmd and l3fwd ask for
	 * it: every mbuf here is of one pool, one segment, one reference.
	 */
	if (rte_eth_dev_info_get(id, &info) == 0 &&
			(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE))
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	ret = rte_eth_dev_configure(id, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(id, 0, 0,
			rte_eth_dev_socket_id(id), NULL, pkt_pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(id, 0, 0,
			rte_eth_dev_socket_id(id), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(id);
	if (ret != 0) {
		fprintf(stderr, "error: port %s setup: %s\n", name,
			strerror(-ret));
		return NULL;
	}
	rte_eth_promiscuous_enable(id);
	p = &ports[nb_ports++];
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->id = id;
	p->kind = probe_kind(id);
	printf("port %s id=%u kind=%s\n", name, id, kind_name(p->kind));
	return p;
}

static int
parse_pmd_spec(const char *arg, struct pmd_spec *s)
{
	char mode[16], rx[64], tx[64], count[32];

	if (sscanf(arg, "%u:%15[^:]:%u:%63[^:]:%63[^:]:%31s", &s->idx,
			mode, &s->burst, rx, tx, count) != 6 ||
			kb_count_arg(count, &s->packets, &s->ms) != 0 ||
			s->burst == 0 || s->burst > MAX_BURST ||
			strlen(rx) >= sizeof(s->rx) ||
			strlen(tx) >= sizeof(s->tx) ||
			(strcmp(mode, "rx") != 0 && strcmp(mode, "tx") != 0 &&
			 strcmp(mode, "fwd") != 0))
		return -EINVAL;
	strcpy(s->mode, mode);
	strcpy(s->rx, rx);
	strcpy(s->tx, tx);
	return 0;
}

/* One run of `packets` packets; returns packets moved (0: a stall). */
static uint64_t
pmd_once(const struct pmd_spec *s, const struct port *rx,
	const struct port *tx, uint64_t packets, uint64_t *dropped)
{
	uint16_t burst = s->burst, got;
	uint64_t done = 0, idle = 0;
	char m = s->mode[0];

	while (done < packets) {
		if (m == 'r') {
			if (rx->kind == PORT_LOOPBACK)
				support_feed(rx->id, burst);
			got = kb_part_rx(rx->id, burst);
		} else if (m == 't') {
			got = kb_part_tx(tx->id, burst, dropped);
			if (tx->kind == PORT_LOOPBACK)
				support_drain(tx->id, burst);
		} else {
			if (rx->kind == PORT_LOOPBACK)
				support_feed(rx->id, burst);
			got = kb_part_fwd(rx->id, tx->id, burst, dropped);
			if (tx->kind == PORT_LOOPBACK)
				support_drain(tx->id, burst);
		}
		done += got;
		bursts++;
		idle = got ? 0 : idle + 1;
		if (unlikely(idle > 1000000))
			return 0;
	}
	return done;
}

/*
 * A port's PCIe counters: the xstats named pcie_* (a driver with a NIC model
 * exports them; see docs/benchmarks.md), one line each, for Python to
 * subtract: "pcie IDX WHEN PORT NAME VALUE".
 */
static void
print_pcie(unsigned int idx, const char *when, const struct port *p)
{
	struct rte_eth_xstat_name *names = NULL;
	struct rte_eth_xstat *xs = NULL;
	int n, i;

	n = rte_eth_xstats_get_names(p->id, NULL, 0);
	if (n <= 0)
		return;
	names = calloc(n, sizeof(*names));
	xs = calloc(n, sizeof(*xs));
	if (names != NULL && xs != NULL &&
			rte_eth_xstats_get_names(p->id, names, n) == n &&
			rte_eth_xstats_get(p->id, xs, n) == n) {
		for (i = 0; i < n; i++)
			if (strncmp(names[xs[i].id].name, "pcie_", 5) == 0)
				printf("pcie %u %s %s %s %" PRIu64 "\n", idx,
					when, p->name, names[xs[i].id].name,
					xs[i].value);
	}
	free(names);
	free(xs);
}

static void
print_pcie_ports(unsigned int idx, const char *when, const struct port *rx,
	const struct port *tx)
{
	if (rx != NULL)
		print_pcie(idx, when, rx);
	if (tx != NULL && tx != rx)
		print_pcie(idx, when, tx);
}

int
kb_pmd(const char *arg, unsigned int rounds)
{
	struct pmd_spec spec, *s = &spec;
	struct port *rx = NULL, *tx = NULL;
	uint64_t start, cycles, done, packets, total = 0, dropped = 0;
	double rate, best = 0;
	unsigned int r;
	char label[32];

	if (parse_pmd_spec(arg, s) != 0)
		return KB_BAD_SPEC;
	if (s->mode[0] != 't') {
		rx = port_get(s->rx);
		if (rx == NULL)
			return -1;
		if (rx->kind == PORT_SINK) {
			fprintf(stderr, "error: port %s gives no packets: it has "
				"no traffic of its own and does not loop back "
				"what it sends (a generator devarg?)\n", s->rx);
			return -1;
		}
	}
	if (s->mode[0] != 'r') {
		tx = port_get(s->tx);
		if (tx == NULL)
			return -1;
	}
	packets = s->packets;
	if (s->ms != 0) {
		support_cycles = 0;
		start = rte_rdtsc_precise();
		done = pmd_once(s, rx, tx, 4096, &dropped);
		cycles = rte_rdtsc_precise() - start - support_cycles;
		packets = done == 0 ? 0 : kb_units_for(s->ms, done, cycles);
	}
	if (packets == 0 || pmd_once(s, rx, tx, packets / 2 + 1, &dropped) == 0) {
		fprintf(stderr, "error: spec %u stalled in warm-up\n", s->idx);
		return -1;
	}
	snprintf(label, sizeof(label), "kb%u", s->idx);
	print_pcie_ports(s->idx, "before", rx, tx);
	bursts = 0;
	CALLGRIND_ZERO_STATS;
	for (r = 0; r < rounds; r++) {
		support_cycles = 0;
		start = rte_rdtsc_precise();
		done = pmd_once(s, rx, tx, packets, &dropped);
		cycles = rte_rdtsc_precise() - start - support_cycles;
		if (done == 0) {
			fprintf(stderr, "error: spec %u stalled\n", s->idx);
			return -1;
		}
		total += done;
		rate = (double)done * rte_get_tsc_hz() /
			(double)RTE_MAX(cycles, 1);
		best = RTE_MAX(best, rate);
	}
	CALLGRIND_DUMP_STATS_AT(label);
	print_pcie_ports(s->idx, "after", rx, tx);
	printf("bursts %u %" PRIu64 "\n", s->idx, bursts);
	if (rx != NULL && rx->kind == PORT_LOOPBACK)
		drain_all(rx->id);
	if (tx != NULL && tx->kind == PORT_LOOPBACK)
		drain_all(tx->id);
	printf("result %u units=%" PRIu64 " total=%" PRIu64
		" rate=%.3f fails=%" PRIu64 "\n", s->idx, total / rounds, total,
		best, dropped);
	return 0;
}

void
kb_pmd_close(void)
{
	unsigned int i;

	for (i = 0; i < nb_ports; i++) {
		rte_eth_dev_stop(ports[i].id);
		rte_eth_dev_close(ports[i].id);
	}
}
