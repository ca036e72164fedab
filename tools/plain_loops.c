/*
 * A plain DPDK program doing what the harness's C loops do, for bench_overhead.py to compare with.
 * It is what a driver author would write by hand: no Python, no cffi, one EAL, one loop, one number.
 *
 * usage: plain_loops <EAL args> -- mempool <ops> <pool size> <cache> <bulk> <n_keep> <iterations>
 *        plain_loops <EAL args> -- rx  <burst> <packets>         (port 0: net_null0)
 *        plain_loops <EAL args> -- tx  <burst> <packets> <len>   (port 0)
 *        plain_loops <EAL args> -- fwd <burst> <packets>         (port 0 -> port 1)
 * prints: "<ops> <cycles>" of one timed run, after one untimed warm-up run of the same size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define MAX_BURST 512
#define MAX_KEEP 2048

static void die(const char *what)
{
	fprintf(stderr, "plain_loops: %s: %s\n", what, rte_strerror(rte_errno));
	rte_eal_cleanup();
	exit(1);
}

static uint64_t mempool_run(struct rte_mempool *mp, unsigned int bulk, unsigned int n_keep, uint64_t iters)
{
	static void *objs[MAX_KEEP];
	uint64_t it, done = 0;
	unsigned int i;

	for (it = 0; it < iters; it++) {
		for (i = 0; i < n_keep; i += bulk)
			if (rte_mempool_get_bulk(mp, &objs[i], bulk) != 0)
				die("rte_mempool_get_bulk");
		for (i = 0; i < n_keep; i += bulk)
			rte_mempool_put_bulk(mp, &objs[i], bulk);
		done += n_keep;
	}
	return done;
}

static uint64_t rx_run(uint16_t burst, uint64_t packets)
{
	struct rte_mbuf *pkts[MAX_BURST];
	uint64_t got = 0;
	uint16_t n;

	while (got < packets) {
		n = rte_eth_rx_burst(0, 0, pkts, packets - got < burst ? packets - got : burst);
		rte_pktmbuf_free_bulk(pkts, n);
		got += n;
	}
	return got;
}

static uint64_t tx_run(struct rte_mempool *mp, uint16_t burst, uint64_t packets, uint16_t len)
{
	struct rte_mbuf *pkts[MAX_BURST];
	uint64_t offered = 0, sent_total = 0;
	uint16_t want, sent, i;

	while (offered < packets) {
		want = packets - offered < burst ? packets - offered : burst;
		if (rte_pktmbuf_alloc_bulk(mp, pkts, want) != 0)
			die("rte_pktmbuf_alloc_bulk");
		for (i = 0; i < want; i++) {
			pkts[i]->data_len = len;
			pkts[i]->pkt_len = len;
		}
		sent = rte_eth_tx_burst(0, 0, pkts, want);
		if (sent < want)
			rte_pktmbuf_free_bulk(&pkts[sent], want - sent);
		sent_total += sent;
		offered += want;
	}
	return sent_total;
}

static uint64_t fwd_run(uint16_t burst, uint64_t packets)
{
	struct rte_mbuf *pkts[MAX_BURST];
	uint64_t got = 0, fwd = 0;
	uint16_t n, sent;

	while (got < packets) {
		n = rte_eth_rx_burst(0, 0, pkts, packets - got < burst ? packets - got : burst);
		got += n;
		sent = rte_eth_tx_burst(1, 0, pkts, n);
		if (sent < n)
			rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
		fwd += sent;
	}
	return fwd;
}

static void port_up(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(port, 0, 0, rte_eth_dev_socket_id(port), NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup(port, 0, 0, rte_eth_dev_socket_id(port), NULL) != 0 ||
	    rte_eth_dev_start(port) != 0)
		die("port setup");
}

int main(int argc, char **argv)
{
	struct rte_mempool *mp;
	uint64_t start, cycles, ops = 0;
	const char *mode;
	int n = rte_eal_init(argc, argv);

	if (n < 0)
		die("rte_eal_init");
	argc -= n;
	argv += n;
	if (argc < 2) {
		fprintf(stderr, "plain_loops: missing mode\n");
		return 2;
	}
	mode = argv[1];
	if (strcmp(mode, "mempool") == 0 && argc == 8) {
		unsigned int bulk = atoi(argv[5]), keep = atoi(argv[6]);
		uint64_t iters = strtoull(argv[7], NULL, 0);

		if (bulk == 0 || keep > MAX_KEEP || keep % bulk)
			die("bad bulk / n_keep");
		mp = rte_mempool_create_empty("plain", atoi(argv[3]), 64, atoi(argv[4]), 0, SOCKET_ID_ANY, 0);
		if (mp == NULL || rte_mempool_set_ops_byname(mp, argv[2], NULL) != 0 ||
		    rte_mempool_populate_default(mp) < 0)
			die("mempool create");
		mempool_run(mp, bulk, keep, iters);
		start = rte_rdtsc();
		ops = mempool_run(mp, bulk, keep, iters);
		cycles = rte_rdtsc() - start;
		rte_mempool_free(mp);
	} else if (argc >= 4) {
		uint16_t burst = atoi(argv[2]);
		uint64_t packets = strtoull(argv[3], NULL, 0);

		if (burst == 0 || burst > MAX_BURST)
			die("bad burst");
		mp = rte_pktmbuf_pool_create("plain_pkt", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
		if (mp == NULL)
			die("rte_pktmbuf_pool_create");
		port_up(0, mp);
		if (strcmp(mode, "rx") == 0) {
			rx_run(burst, packets);
			start = rte_rdtsc();
			ops = rx_run(burst, packets);
		} else if (strcmp(mode, "tx") == 0 && argc == 5) {
			tx_run(mp, burst, packets, atoi(argv[4]));
			start = rte_rdtsc();
			ops = tx_run(mp, burst, packets, atoi(argv[4]));
		} else if (strcmp(mode, "fwd") == 0) {
			port_up(1, mp);
			fwd_run(burst, packets);
			start = rte_rdtsc();
			ops = fwd_run(burst, packets);
		} else {
			fprintf(stderr, "plain_loops: bad mode %s\n", mode);
			return 2;
		}
		cycles = rte_rdtsc() - start;
	} else {
		fprintf(stderr, "plain_loops: bad arguments\n");
		return 2;
	}
	printf("%llu %llu\n", (unsigned long long)ops, (unsigned long long)cycles);
	rte_eal_cleanup();
	return 0;
}
