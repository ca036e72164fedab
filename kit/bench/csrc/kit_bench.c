/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * The C side of `kit bench`: timed loops of a mempool driver or a PMD, in one
 * EAL process, for any ops name or vdev the EAL knows (plugins come with -d).
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
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define POOL_SIZE 8191
#define ELT_SIZE 64
#define MAX_KEEP 512
#define MAX_LCORES 2
#define MAX_BURST 64
#define MAX_PORTS 16
#define PKT_POOL_SIZE 16383
#define PKT_LEN 64
#define PROBE_POLLS 16

/* A count, or "<N>ms" (then *count = 0 and *ms = N). */
static int
parse_count(const char *arg, uint64_t *count, unsigned int *ms)
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

/* Work units that take about ms milliseconds, at `cycles` per `units`. */
static uint64_t
units_for(unsigned int ms, uint64_t units, uint64_t cycles)
{
	double per_unit = (double)RTE_MAX(cycles, 1) / (double)units;

	return RTE_MAX((uint64_t)(rte_get_tsc_hz() / 1000.0 * ms / per_unit),
		(uint64_t)1);
}

/* ------------------------------------------------------------------ mempool */

struct mp_spec {
	unsigned int idx;
	char ops[RTE_MEMPOOL_OPS_NAMESIZE];
	unsigned int cache, bulk, keep, lcores;
	uint64_t iters;
	unsigned int ms;	/* iters from a calibration: about ms per run */
};

struct mp_lcore {
	void *objs[MAX_KEEP];
	uint64_t cycles;
	uint64_t fails;
} __rte_cache_aligned;

static struct mp_run {
	struct rte_mempool *mp;
	const struct mp_spec *s;
	uint64_t iters;
	unsigned int rounds;
	volatile unsigned int arrived;	/* barrier before each round */
	struct mp_lcore lc[MAX_LCORES];
	uint64_t best_rate_x1000;	/* objects per second * 1000, summed */
} run;

/* Not inlined: callgrind collects inside kb_part_* only. */
static __rte_noinline uint64_t
kb_part_mempool(struct rte_mempool *mp, void **objs, unsigned int bulk,
	unsigned int keep, uint64_t iters)
{
	uint64_t it, fails = 0;
	unsigned int i, j;

	for (it = 0; it < iters; it++) {
		for (i = 0; i < keep; i += bulk)
			if (unlikely(rte_mempool_get_bulk(mp, &objs[i], bulk) != 0))
				break;
		if (unlikely(i < keep))
			fails++;
		for (j = 0; j < i; j += bulk)	/* put back what was taken */
			rte_mempool_put_bulk(mp, &objs[j], bulk);
	}
	return fails;
}

static void
barrier(unsigned int n, unsigned int generation)
{
	__atomic_add_fetch(&run.arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&run.arrived, __ATOMIC_ACQUIRE) < n * generation)
		rte_pause();
}

static int
mp_worker(void *arg __rte_unused)
{
	int rank = rte_lcore_index(rte_lcore_id());
	struct mp_lcore *lc;
	unsigned int r, n = run.s->lcores;
	uint64_t start, rate;

	if (rank < 0 || (unsigned int)rank >= n)
		return 0;
	lc = &run.lc[rank];
	lc->fails += kb_part_mempool(run.mp, lc->objs, run.s->bulk,
		run.s->keep, run.iters / 2 + 1);	/* warm up */
	if (n == 1)
		CALLGRIND_ZERO_STATS;	/* count the timed rounds only */
	for (r = 0; r < run.rounds; r++) {
		barrier(n, 2 * r + 1);
		start = rte_rdtsc_precise();
		lc->fails += kb_part_mempool(run.mp, lc->objs, run.s->bulk,
			run.s->keep, run.iters);
		lc->cycles = rte_rdtsc_precise() - start;
		barrier(n, 2 * r + 2);
		if (rank == 0) {
			unsigned int i;

			rate = 0;
			for (i = 0; i < n; i++)
				rate += (uint64_t)((double)run.iters *
					run.s->keep * rte_get_tsc_hz() * 1000.0
					/ (double)RTE_MAX(run.lc[i].cycles, 1));
			run.best_rate_x1000 = RTE_MAX(run.best_rate_x1000,
				rate);
		}
	}
	return 0;
}

static int
parse_mp_spec(const char *arg, struct mp_spec *s)
{
	char ops[64], count[32];

	if (sscanf(arg, "%u:%63[^:]:%u:%u:%u:%u:%31s", &s->idx, ops,
			&s->cache, &s->bulk, &s->keep, &s->lcores,
			count) != 7 ||
			parse_count(count, &s->iters, &s->ms) != 0 ||
			strlen(ops) >= sizeof(s->ops) || s->bulk == 0 ||
			s->keep == 0 || s->keep > MAX_KEEP ||
			s->keep % s->bulk != 0 ||
			s->lcores == 0 || s->lcores > MAX_LCORES)
		return -EINVAL;
	strcpy(s->ops, ops);
	return 0;
}

static int
run_mempool(const struct mp_spec *s, unsigned int rounds)
{
	char name[RTE_MEMPOOL_NAMESIZE], label[32];
	uint64_t fails = 0;
	unsigned int i;
	int ret;

	if (s->lcores > rte_lcore_count()) {
		fprintf(stderr, "spec %u wants %u lcores, the EAL has %u\n",
			s->idx, s->lcores, rte_lcore_count());
		return -1;
	}
	memset(&run, 0, sizeof(run));
	run.s = s;
	run.iters = s->iters;
	run.rounds = rounds;
	snprintf(name, sizeof(name), "kb_mp_%u", s->idx);
	run.mp = rte_mempool_create_empty(name, POOL_SIZE, ELT_SIZE, s->cache,
		0, SOCKET_ID_ANY, 0);
	if (run.mp == NULL) {
		fprintf(stderr, "error: rte_mempool_create_empty: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	ret = rte_mempool_set_ops_byname(run.mp, s->ops, NULL);
	if (ret != 0) {
		fprintf(stderr, "error: mempool ops %s: %s\n", s->ops,
			strerror(-ret));
		rte_mempool_free(run.mp);
		return -2;
	}
	ret = rte_mempool_populate_default(run.mp);
	if (ret < 0) {
		fprintf(stderr, "error: %s populate_default: %s\n", s->ops,
			strerror(-ret));
		rte_mempool_free(run.mp);
		return -1;
	}
	if (s->ms != 0) {
		uint64_t calib = RTE_MAX(8192u / s->keep, 1u), start;

		start = rte_rdtsc_precise();
		run.lc[0].fails += kb_part_mempool(run.mp, run.lc[0].objs,
			s->bulk, s->keep, calib);
		run.iters = units_for(s->ms, calib,
			rte_rdtsc_precise() - start);
	}
	snprintf(label, sizeof(label), "kb%u", s->idx);
	if (s->lcores == 1) {
		mp_worker(NULL);
	} else {
		rte_eal_mp_remote_launch(mp_worker, NULL, CALL_MAIN);
		rte_eal_mp_wait_lcore();
	}
	CALLGRIND_DUMP_STATS_AT(label);
	for (i = 0; i < s->lcores; i++)
		fails += run.lc[i].fails;
	printf("result %u units=%" PRIu64 " total=%" PRIu64
		" rate=%.3f fails=%" PRIu64 "\n", s->idx,
		run.iters * s->keep * s->lcores,
		run.iters * s->keep * s->lcores * rounds,
		run.best_rate_x1000 / 1000.0, fails);
	rte_mempool_free(run.mp);
	return fails == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------------- pmd */

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
			parse_count(count, &s->packets, &s->ms) != 0 ||
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
		idle = got ? 0 : idle + 1;
		if (unlikely(idle > 1000000))
			return 0;
	}
	return done;
}

static int
run_pmd(const struct pmd_spec *s, unsigned int rounds)
{
	struct port *rx = NULL, *tx = NULL;
	uint64_t start, cycles, done, packets, total = 0, dropped = 0;
	double rate, best = 0;
	unsigned int r;
	char label[32];

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
		packets = done == 0 ? 0 : units_for(s->ms, done, cycles);
	}
	if (packets == 0 || pmd_once(s, rx, tx, packets / 2 + 1, &dropped) == 0) {
		fprintf(stderr, "error: spec %u stalled in warm-up\n", s->idx);
		return -1;
	}
	snprintf(label, sizeof(label), "kb%u", s->idx);
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
	if (rx != NULL && rx->kind == PORT_LOOPBACK)
		drain_all(rx->id);
	if (tx != NULL && tx->kind == PORT_LOOPBACK)
		drain_all(tx->id);
	printf("result %u units=%" PRIu64 " total=%" PRIu64
		" rate=%.3f fails=%" PRIu64 "\n", s->idx, total / rounds, total,
		best, dropped);
	return 0;
}

int
main(int argc, char **argv)
{
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
	for (i = 3; i < argc && status == 0; i++) {
		if (argv[1][0] == 'm') {
			struct mp_spec s;

			if (parse_mp_spec(argv[i], &s) != 0) {
				fprintf(stderr, "error: bad spec %s\n", argv[i]);
				status = 2;
				break;
			}
			ret = run_mempool(&s, rounds);
		} else {
			struct pmd_spec s;

			if (parse_pmd_spec(argv[i], &s) != 0) {
				fprintf(stderr, "error: bad spec %s\n", argv[i]);
				status = 2;
				break;
			}
			ret = run_pmd(&s, rounds);
		}
		if (ret == -2)
			status = 3;	/* unknown ops name */
		else if (ret != 0)
			status = 1;
	}
	fflush(stdout);
	for (i = 0; i < (int)nb_ports; i++) {
		rte_eth_dev_stop(ports[i].id);
		rte_eth_dev_close(ports[i].id);
	}
	rte_eal_cleanup();
	return status;
}
