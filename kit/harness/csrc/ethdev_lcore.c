/*
 * Datapath work of the ethdev suite on several lcores (ethdev_lcore.h): one flow per queue, each queue polled
 * from its own lcore, and a peer sender on a worker lcore; plus the pattern probe of buffers a driver gave back.
 */
#include "dpdk_includes.h"

#include <stdlib.h>

#include <rte_launch.h>

#include "ethdev_lcore.h"

#define KH_LC_MAX_QUEUES 2
#define KH_LC_BURST 32

struct lc_job {
	uint16_t port_id;
	struct rte_mempool *pool;
	const struct kh_lc_flow *flow;
	uint64_t idle_cycles;
	struct kh_lc_result *res;
	/* rx state: sequence numbers seen (a bitmap over count) and the next expected one */
	uint8_t *seen;
	uint32_t next;
};

static uint32_t
lc_read_seq(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
lc_note_bad(struct kh_lc_result *res, uint32_t seq, uint32_t next)
{
	if (res->first_bad_seq < 0) {
		res->first_bad_seq = (int32_t)seq;
		res->first_bad_after = (int32_t)next;
	}
}

static void
lc_receive(struct lc_job *j, struct rte_mbuf **pkts, uint16_t n)
{
	const struct kh_lc_flow *f = j->flow;
	struct kh_lc_result *res = j->res;
	uint16_t i;

	for (i = 0; i < n; i++) {
		const uint8_t *d = rte_pktmbuf_mtod(pkts[i], const uint8_t *);
		uint32_t len = rte_pktmbuf_data_len(pkts[i]);
		uint32_t seq;

		if (len <= f->seq_off + 3u || len <= f->tag_off || d[f->tag_off] != f->tag ||
		    memcmp(d, f->frame, 14) != 0) {
			res->foreign++;
			continue;
		}
		seq = lc_read_seq(d + f->seq_off);
		res->received++;
		if (rte_pktmbuf_pkt_len(pkts[i]) != f->len)
			res->bad_len++;
		if (seq >= f->count) {
			res->foreign++;
			continue;
		}
		if (j->seen[seq]) {
			res->duplicates++;
			lc_note_bad(res, seq, j->next);
			continue;
		}
		j->seen[seq] = 1;
		if (seq == j->next) {
			res->in_order++;
			j->next++;
		} else if (seq > j->next) {
			res->out_of_order++;
			lc_note_bad(res, seq, j->next);
			j->next = seq + 1;
		} else {
			res->late++;
			lc_note_bad(res, seq, j->next);
		}
	}
	rte_pktmbuf_free_bulk(pkts, n);
}

static int
lc_run(void *arg)
{
	struct lc_job *j = arg;
	const struct kh_lc_flow *f = j->flow;
	struct kh_lc_result *res = j->res;
	struct rte_mbuf *tx[KH_LC_BURST], *rx[KH_LC_BURST];
	uint32_t next_seq = 0;
	uint16_t pending = 0, k, n, i;
	uint64_t last = rte_get_timer_cycles();

	res->lcore = rte_lcore_id();
	for (;;) {
		/* a burst of the next sequence numbers, kept until the driver takes them */
		while (pending < KH_LC_BURST && next_seq < f->count) {
			struct rte_mbuf *m = rte_pktmbuf_alloc(j->pool);
			uint8_t *d;

			if (m == NULL) {
				res->alloc_failures++;
				break;
			}
			d = (uint8_t *)rte_pktmbuf_append(m, f->len);
			if (d == NULL) {
				rte_pktmbuf_free(m);
				res->alloc_failures++;
				break;
			}
			memcpy(d, f->frame, f->len);
			d[f->seq_off] = next_seq & 0xff;
			d[f->seq_off + 1] = (next_seq >> 8) & 0xff;
			d[f->seq_off + 2] = (next_seq >> 16) & 0xff;
			d[f->seq_off + 3] = (next_seq >> 24) & 0xff;
			tx[pending++] = m;
			next_seq++;
		}
		if (pending != 0) {
			k = rte_eth_tx_burst(j->port_id, f->queue, tx, pending);
			if (k > pending)
				k = pending; /* a driver claiming more than offered: count what was offered */
			res->sent += k;
			for (i = k; i < pending; i++)
				tx[i - k] = tx[i];
			pending -= k;
		}
		n = rte_eth_rx_burst(j->port_id, f->queue, rx, KH_LC_BURST);
		if (n != 0) {
			lc_receive(j, rx, n);
			last = rte_get_timer_cycles();
		}
		if (pending == 0 && next_seq == f->count && res->received >= res->sent)
			break;
		if (n == 0 && rte_get_timer_cycles() - last > j->idle_cycles)
			break; /* nothing came for idle_ms: give up (what is missing is reported) */
	}
	rte_pktmbuf_free_bulk(tx, pending);
	/* late frames (duplicates after everything arrived) */
	for (i = 0; i < 16; i++) {
		n = rte_eth_rx_burst(j->port_id, f->queue, rx, KH_LC_BURST);
		if (n == 0)
			break;
		lc_receive(j, rx, n);
	}
	return 0;
}

int
kh_lc_flows(uint16_t port_id, struct rte_mempool *pool, const struct kh_lc_flow *flows, unsigned int nb_flows,
	    unsigned int idle_ms, struct kh_lc_result *out)
{
	struct lc_job jobs[KH_LC_MAX_QUEUES];
	unsigned int i, worker;
	int rc = 0;

	if (nb_flows == 0 || nb_flows > KH_LC_MAX_QUEUES || pool == NULL)
		return -EINVAL;
	for (i = 0; i < nb_flows; i++)
		if (flows[i].len < 14 || flows[i].len > sizeof(flows[i].frame) || flows[i].seq_off + 4u > flows[i].len ||
		    flows[i].tag_off >= flows[i].len)
			return -EINVAL;
	worker = rte_get_next_lcore(-1, 1, 0);
	if (nb_flows > 1 && worker >= RTE_MAX_LCORE)
		return -ENODEV;
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < nb_flows; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].first_bad_seq = -1;
		out[i].first_bad_after = -1;
		jobs[i].port_id = port_id;
		jobs[i].pool = pool;
		jobs[i].flow = &flows[i];
		jobs[i].idle_cycles = rte_get_timer_hz() / 1000 * idle_ms;
		jobs[i].res = &out[i];
		jobs[i].seen = calloc(flows[i].count ? flows[i].count : 1, 1);
		if (jobs[i].seen == NULL)
			rc = -ENOMEM;
	}
	if (rc == 0 && nb_flows > 1 && rte_eal_remote_launch(lc_run, &jobs[1], worker) != 0)
		rc = -EBUSY;
	if (rc == 0) {
		lc_run(&jobs[0]);
		if (nb_flows > 1)
			rte_eal_wait_lcore(worker);
	}
	for (i = 0; i < nb_flows; i++)
		free(jobs[i].seen);
	return rc;
}

/* -- a peer sender on a worker lcore ---------------------------------------------------------------------- */

static struct {
	uint16_t port_id;
	uint16_t queue;
	uint16_t len;
	struct rte_mempool *pool;
	uint8_t frame[256];
	volatile int stop;
	uint64_t sent;
	unsigned int lcore;
} lc_sender = { .lcore = RTE_MAX_LCORE };

static int
lc_send_loop(void *arg __rte_unused)
{
	struct rte_mbuf *tx[KH_LC_BURST];
	uint16_t i, k;

	while (!lc_sender.stop) {
		for (i = 0; i < KH_LC_BURST; i++) {
			tx[i] = rte_pktmbuf_alloc(lc_sender.pool);
			if (tx[i] == NULL)
				break;
			memcpy(rte_pktmbuf_append(tx[i], lc_sender.len), lc_sender.frame, lc_sender.len);
		}
		k = rte_eth_tx_burst(lc_sender.port_id, lc_sender.queue, tx, i);
		lc_sender.sent += k;
		if (k < i)
			rte_pktmbuf_free_bulk(tx + k, i - k);
		rte_delay_us_sleep(50);
	}
	return 0;
}

int
kh_lc_sender_start(uint16_t port_id, uint16_t queue, struct rte_mempool *pool, const uint8_t *frame,
		   uint16_t len)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);

	if (len < 14 || len > sizeof(lc_sender.frame) || pool == NULL || lc_sender.lcore != RTE_MAX_LCORE)
		return -EINVAL;
	if (worker >= RTE_MAX_LCORE)
		return -ENODEV;
	lc_sender.port_id = port_id;
	lc_sender.queue = queue;
	lc_sender.pool = pool;
	lc_sender.len = len;
	memcpy(lc_sender.frame, frame, len);
	lc_sender.stop = 0;
	lc_sender.sent = 0;
	if (rte_eal_remote_launch(lc_send_loop, NULL, worker) != 0)
		return -EBUSY;
	lc_sender.lcore = worker;
	return 0;
}

uint64_t
kh_lc_sender_stop(void)
{
	if (lc_sender.lcore == RTE_MAX_LCORE)
		return 0;
	lc_sender.stop = 1;
	rte_eal_wait_lcore(lc_sender.lcore);
	lc_sender.lcore = RTE_MAX_LCORE;
	return lc_sender.sent;
}

/* -- buffers given back ------------------------------------------------------------------------------------ */

unsigned int
kh_lc_take_and_fill(struct rte_mempool *pool, struct rte_mbuf **held, unsigned int max, uint8_t pattern)
{
	unsigned int n = 0;

	while (n < max && (held[n] = rte_pktmbuf_alloc(pool)) != NULL)
		n++;
	for (unsigned int i = 0; i < n; i++)
		memset(held[i]->buf_addr, pattern, held[i]->buf_len);
	return n;
}

unsigned int
kh_lc_count_written(struct rte_mbuf **held, unsigned int n, uint8_t pattern, int32_t *first_off)
{
	unsigned int i, written = 0;
	uint32_t j;

	*first_off = -1;
	for (i = 0; i < n; i++) {
		const uint8_t *b = held[i]->buf_addr;

		for (j = 0; j < held[i]->buf_len; j++)
			if (b[j] != pattern)
				break;
		if (j == held[i]->buf_len)
			continue;
		if (written++ == 0)
			*first_off = (int32_t)j;
	}
	return written;
}

void
kh_lc_give_back(struct rte_mbuf **held, unsigned int n)
{
	rte_pktmbuf_free_bulk(held, n);
}
