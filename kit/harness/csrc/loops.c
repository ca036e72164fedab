/*
 * The harness's C-side loops (kh_loop_*, declared in harness.h): all per-object and per-packet work of the
 * benchmark and soak loops stays here, timed with the TSC; results in struct kh_loop_result.
 */
#include "dpdk_includes.h"
#include "harness.h"

/* The start of a packet loop: res cleared and the burst checked; 0 or -EINVAL (also in res->rc). */
static int
loop_start(uint16_t burst, struct kh_loop_result *res)
{
	memset(res, 0, sizeof(*res));
	if (burst == 0 || burst > KH_MAX_BURST)
		return res->rc = -EINVAL;
	return 0;
}

/* The next burst of a loop that has `done` of its `packets`: `burst`, or what is left when that is less. */
static inline uint16_t
loop_want(uint64_t packets, uint64_t done, uint16_t burst)
{
	return packets - done < burst ? (uint16_t)(packets - done) : burst;
}

int kh_loop_mempool(struct rte_mempool *mp, unsigned int bulk, unsigned int n_keep, uint64_t iterations,
		    struct kh_loop_result *res)
{
	void *objs[RTE_MEMPOOL_CACHE_MAX_SIZE * 4];
	uint64_t it, start;
	unsigned int i, j;

	memset(res, 0, sizeof(*res));
	if (bulk == 0 || n_keep == 0 || n_keep % bulk != 0 || n_keep > RTE_DIM(objs))
		return res->rc = -EINVAL;
	start = rte_rdtsc();
	for (it = 0; it < iterations; it++) {
		for (i = 0; i < n_keep; i += bulk) {
			if (unlikely(rte_mempool_get_bulk(mp, &objs[i], bulk) != 0)) {
				for (j = 0; j < i; j += bulk)
					rte_mempool_put_bulk(mp, &objs[j], bulk);
				res->rc = -ENOBUFS;
				goto out;
			}
		}
		for (i = 0; i < n_keep; i += bulk)
			rte_mempool_put_bulk(mp, &objs[i], bulk);
		res->ops += n_keep;
	}
out:
	res->cycles = rte_rdtsc() - start;
	return res->rc;
}

int kh_loop_rx(uint16_t port, uint16_t q, uint16_t burst, uint64_t packets, uint64_t max_polls,
	       struct kh_loop_result *res)
{
	struct rte_mbuf *pkts[KH_MAX_BURST];
	uint64_t start;
	uint16_t n;

	if (loop_start(burst, res) != 0)
		return res->rc;
	start = rte_rdtsc();
	while (res->ops < packets && res->polls < max_polls) {
		n = rte_eth_rx_burst(port, q, pkts, loop_want(packets, res->ops, burst));
		res->polls++;
		if (n != 0) {
			rte_pktmbuf_free_bulk(pkts, n);
			res->ops += n;
		}
	}
	res->cycles = rte_rdtsc() - start;
	return 0;
}

int kh_loop_tx(uint16_t port, uint16_t q, struct rte_mempool *mp, uint16_t burst, uint16_t pkt_len,
	       uint64_t packets, struct kh_loop_result *res)
{
	struct rte_mbuf *pkts[KH_MAX_BURST];
	uint64_t start, offered = 0;
	uint16_t want, sent, i;

	if (loop_start(burst, res) != 0)
		return res->rc;
	start = rte_rdtsc();
	while (offered < packets) {
		want = loop_want(packets, offered, burst);
		if (unlikely(rte_pktmbuf_alloc_bulk(mp, pkts, want) != 0)) {
			res->rc = -ENOBUFS;
			break;
		}
		for (i = 0; i < want; i++) {
			pkts[i]->data_len = pkt_len;
			pkts[i]->pkt_len = pkt_len;
		}
		sent = rte_eth_tx_burst(port, q, pkts, want);
		if (sent < want)
			rte_pktmbuf_free_bulk(&pkts[sent], want - sent);
		res->ops += sent;
		res->dropped += want - sent;
		res->polls++;
		offered += want;
	}
	res->cycles = rte_rdtsc() - start;
	return res->rc;
}

int kh_loop_fwd(uint16_t rx_port, uint16_t rx_q, uint16_t tx_port, uint16_t tx_q, uint16_t burst,
		uint64_t packets, uint64_t max_polls, struct kh_loop_result *res)
{
	struct rte_mbuf *pkts[KH_MAX_BURST];
	uint64_t start, received = 0;
	uint16_t n, sent;

	if (loop_start(burst, res) != 0)
		return res->rc;
	start = rte_rdtsc();
	while (received < packets && res->polls < max_polls) {
		n = rte_eth_rx_burst(rx_port, rx_q, pkts, loop_want(packets, received, burst));
		res->polls++;
		if (n == 0)
			continue;
		received += n;
		sent = rte_eth_tx_burst(tx_port, tx_q, pkts, n);
		if (sent < n)
			rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
		res->ops += sent;
		res->dropped += n - sent;
	}
	res->cycles = rte_rdtsc() - start;
	return 0;
}
