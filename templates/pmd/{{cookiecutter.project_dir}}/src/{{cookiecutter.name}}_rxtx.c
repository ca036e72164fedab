/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * The {{ cookiecutter.name }} datapath: receive and refill, transmit and reaping, descriptor
 * status, in the burst functions {{ cookiecutter.name }}_select_bursts picks at start (one per
 * offload set, so that the default loops carry no offload's cost). The
 * control path is {{ cookiecutter.name }}_ethdev.c; REGISTERS.md is the NIC side of each step.
 */

#include <errno.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_io.h>
#include <rte_mbuf.h>
#include <rte_net.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "{{ cookiecutter.name }}.h"
#include "{{ cookiecutter.name }}_compat.h"
#include "{{ cookiecutter.name }}_rxtx.h"

#define {{ cookiecutter.macro }}_BULK		64

/*
 * A received mbuf's packet_type, pkt_len, data_len, vlan_tci (0) and
 * hash.rss: 16 bytes in this order (rx_descriptor_fields1 since DPDK 17.11),
 * written as two 64-bit stores instead of five.
 */
#define {{ cookiecutter.macro }}_RX_FIELDS_OFF	offsetof(struct rte_mbuf, packet_type)
static_assert(offsetof(struct rte_mbuf, pkt_len) == {{ cookiecutter.macro }}_RX_FIELDS_OFF + 4 &&
	offsetof(struct rte_mbuf, data_len) == {{ cookiecutter.macro }}_RX_FIELDS_OFF + 8 &&
	offsetof(struct rte_mbuf, vlan_tci) == {{ cookiecutter.macro }}_RX_FIELDS_OFF + 10 &&
	offsetof(struct rte_mbuf, hash.rss) == {{ cookiecutter.macro }}_RX_FIELDS_OFF + 12,
	"rte_mbuf's receive fields moved");
/* The completion's RSS bit is the mbuf's flag ({{ cookiecutter.name }}_hw.h). */
static_assert({{ cookiecutter.macro }}_CPL_STATUS_RSS == RTE_MBUF_F_RX_RSS_HASH,
	"RSS status bit is not RTE_MBUF_F_RX_RSS_HASH");

static __rte_always_inline void
{{ cookiecutter.name }}_rx_fields_set(struct rte_mbuf *m, uint32_t ptype, uint16_t len,
	uint32_t rss)
{
	uint64_t *f = RTE_PTR_ADD(m, {{ cookiecutter.macro }}_RX_FIELDS_OFF);

#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	f[0] = ptype | (uint64_t)len << 32;
	f[1] = len | (uint64_t)rss << 32;
#else
	f[0] = (uint64_t)ptype << 32 | len;
	f[1] = (uint64_t)len << 48 | rss;
#endif
}

/*
 * Completion packet info (REGISTERS.md, "Completion") to mbuf ptype: the
 * L2 type counts the VLAN tags, so that L3 is read at the right offset.
 */
#define {{ cookiecutter.macro }}_PT_INFO_MASK	({{ cookiecutter.macro }}_CPL_L2_MASK | {{ cookiecutter.macro }}_CPL_L3_MASK | \
				 {{ cookiecutter.macro }}_CPL_L4_MASK)
#define {{ cookiecutter.macro }}_PT_V4		RTE_PTYPE_L3_IPV4_EXT_UNKNOWN
#define {{ cookiecutter.macro }}_PT_V6		RTE_PTYPE_L3_IPV6_EXT_UNKNOWN
#define {{ cookiecutter.macro }}_PT_L2(info, l2) \
	[info] = l2, \
	[(info) | {{ cookiecutter.macro }}_CPL_L3_IPV4] = (l2) | {{ cookiecutter.macro }}_PT_V4, \
	[(info) | {{ cookiecutter.macro }}_CPL_L3_IPV6] = (l2) | {{ cookiecutter.macro }}_PT_V6, \
	[(info) | {{ cookiecutter.macro }}_CPL_L3_IPV4 | {{ cookiecutter.macro }}_CPL_L4_TCP] = \
		(l2) | {{ cookiecutter.macro }}_PT_V4 | RTE_PTYPE_L4_TCP, \
	[(info) | {{ cookiecutter.macro }}_CPL_L3_IPV4 | {{ cookiecutter.macro }}_CPL_L4_UDP] = \
		(l2) | {{ cookiecutter.macro }}_PT_V4 | RTE_PTYPE_L4_UDP, \
	[(info) | {{ cookiecutter.macro }}_CPL_L3_IPV6 | {{ cookiecutter.macro }}_CPL_L4_TCP] = \
		(l2) | {{ cookiecutter.macro }}_PT_V6 | RTE_PTYPE_L4_TCP, \
	[(info) | {{ cookiecutter.macro }}_CPL_L3_IPV6 | {{ cookiecutter.macro }}_CPL_L4_UDP] = \
		(l2) | {{ cookiecutter.macro }}_PT_V6 | RTE_PTYPE_L4_UDP
static const uint32_t {{ cookiecutter.name }}_ptype[{{ cookiecutter.macro }}_PT_INFO_MASK + 1] = {
	{{ cookiecutter.macro }}_PT_L2(0, RTE_PTYPE_L2_ETHER),
	{{ cookiecutter.macro }}_PT_L2({{ cookiecutter.macro }}_CPL_L2_VLAN, RTE_PTYPE_L2_ETHER_VLAN),
	{{ cookiecutter.macro }}_PT_L2({{ cookiecutter.macro }}_CPL_L2_QINQ, RTE_PTYPE_L2_ETHER_QINQ),
};

/*
 * Has the NIC written the completion at CQ pointer `ptr` on its current pass
 * over the ring? Its phase bit is then !(ptr & size) (REGISTERS.md,
 * "Completion"): a load from host memory, no MMIO.
 */
static __rte_always_inline bool
{{ cookiecutter.name }}_cpl_new(const struct {{ cookiecutter.name }}_ring *r, uint32_t ptr)
{
	uint8_t status = r->cpl[ptr & r->mask].status;

	return !(status & {{ cookiecutter.macro }}_CPL_STATUS_PHASE) == !!(ptr & (r->mask + 1));
}

/*
 * The NIC writes completions in ring order (REGISTERS.md, "Ordering"), so
 * the new ones from cons on are a prefix: when the last of the n wanted is
 * not new, a binary search on the phase bits finds where the prefix ends.
 */
static __rte_noinline uint32_t
{{ cookiecutter.name }}_cpl_ready_partial(const struct {{ cookiecutter.name }}_ring *r, uint32_t cons, uint32_t n)
{
	uint32_t lo = 0, hi = n - 1, mid;	/* entry hi is not new */

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ({{ cookiecutter.name }}_cpl_new(r, cons + mid))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#ifndef {{ cookiecutter.macro }}_VARIANT_POLL_HEAD_PTR
/* How many of the n completions from cons on are new: one load when all. */
static __rte_always_inline uint32_t
{{ cookiecutter.name }}_cpl_avail(struct {{ cookiecutter.name }}_ring *r, uint32_t cons, uint32_t n)
{
	if (likely(n == 0 || {{ cookiecutter.name }}_cpl_new(r, cons + n - 1)))
		return n;
	return {{ cookiecutter.name }}_cpl_ready_partial(r, cons, n);
}
#else
/*
 * A deliberately slow variant (-D{{ cookiecutter.macro }}_VARIANT_POLL_HEAD_PTR), built by
 * tests/bench to show what the bench reports for it: completions found by
 * reading the completion queue's HEAD_PTR, one MMIO read per poll, as this
 * driver did before the phase bit.
 */
static inline uint32_t
{{ cookiecutter.name }}_cpl_avail(struct {{ cookiecutter.name }}_ring *r, uint32_t cons, uint32_t n)
{
	uint16_t hw = {{ cookiecutter.name }}_ring_read(r, {{ cookiecutter.macro }}_QREG_CQ_HEAD) & {{ cookiecutter.macro }}_PTR_MASK;

	return RTE_MIN((uint32_t)(uint16_t)(hw - (uint16_t)cons), n);
}
#endif

void
{{ cookiecutter.name }}_rx_refill(struct {{ cookiecutter.name }}_ring *rxq)
{
	volatile struct {{ cookiecutter.name }}_desc *desc = rxq->desc;
	uint32_t size = rxq->mask + 1;
	uint32_t prod = rxq->prod;
	uint32_t room = rxq->nb_desc - (prod - rxq->cons);
	struct {{ cookiecutter.name }}_desc *d;
	struct rte_mbuf **bufs;
	uint32_t idx, i, k;

	/*
	 * Batch refills so one doorbell covers many buffers, as Corundum's
	 * Linux driver does. The buffers come raw from the pool (no reset):
	 * the receive path writes every field a received mbuf needs.
	 */
	if (room < {{ cookiecutter.macro }}_RX_REFILL_THRESH)
		return;
	while (room != 0) {
		idx = prod & rxq->mask;
		/* Bulks a short pool can still serve, up to the ring's end. */
		k = RTE_MIN(RTE_MIN(room, size - idx), (uint32_t){{ cookiecutter.macro }}_BULK);
		bufs = &rxq->sw_ring[idx];
		if (unlikely(rte_mempool_get_bulk(rxq->mp, (void **)bufs,
				k) != 0)) {
			rte_eth_devices[rxq->port_id].data->rx_mbuf_alloc_failed
				+= k;
			break;
		}
		/*
		 * The descriptors' length was written once, at queue start.
		 * Plain stores (the ring is host memory the NIC reads only
		 * after the doorbell, which the barrier below orders).
		 */
		d = (struct {{ cookiecutter.name }}_desc *)(uintptr_t)&desc[idx];
		/* Four at a time: the loop cost as much as the stores. */
		for (i = 0; i + 4 <= k; i += 4) {
			d[i].addr = bufs[i]->buf_iova + RTE_PKTMBUF_HEADROOM;
			d[i + 1].addr = bufs[i + 1]->buf_iova +
				RTE_PKTMBUF_HEADROOM;
			d[i + 2].addr = bufs[i + 2]->buf_iova +
				RTE_PKTMBUF_HEADROOM;
			d[i + 3].addr = bufs[i + 3]->buf_iova +
				RTE_PKTMBUF_HEADROOM;
		}
		for (; i < k; i++)
			d[i].addr = bufs[i]->buf_iova + RTE_PKTMBUF_HEADROOM;
		prod += k;
		room -= k;
	}
	if (prod == rxq->prod)
		return;
	rxq->prod = prod;
	/*
	 * The descriptors (stores to host memory) before the doorbell (a store
	 * to the device): a store-store order. The completions of these slots
	 * were read before: the mbuf stores that depend on them come first too.
	 */
	rte_io_wmb();
	{{ cookiecutter.name }}_ring_write(rxq, {{ cookiecutter.macro }}_QREG_HEAD, prod & {{ cookiecutter.macro }}_PTR_MASK);
}

/*
 * RX checksum status bits of a completion ({{ cookiecutter.macro }}_CPL_STATUS_*_CSUM_*) to
 * mbuf flags; neither bit of a layer: UNKNOWN (0).
 */
#define {{ cookiecutter.macro }}_CSUM_IDX(st)	(((st) & {{ cookiecutter.macro }}_CPL_STATUS_CSUM_MASK) >> \
				 {{ cookiecutter.macro }}_CPL_STATUS_CSUM_SHIFT)
#define {{ cookiecutter.macro }}_IP_OK		({{ cookiecutter.macro }}_CPL_STATUS_IP_CSUM_OK >> \
				 {{ cookiecutter.macro }}_CPL_STATUS_CSUM_SHIFT)
#define {{ cookiecutter.macro }}_IP_BAD		({{ cookiecutter.macro }}_CPL_STATUS_IP_CSUM_BAD >> \
				 {{ cookiecutter.macro }}_CPL_STATUS_CSUM_SHIFT)
#define {{ cookiecutter.macro }}_L4_OK		({{ cookiecutter.macro }}_CPL_STATUS_L4_CSUM_OK >> \
				 {{ cookiecutter.macro }}_CPL_STATUS_CSUM_SHIFT)
#define {{ cookiecutter.macro }}_L4_BAD		({{ cookiecutter.macro }}_CPL_STATUS_L4_CSUM_BAD >> \
				 {{ cookiecutter.macro }}_CPL_STATUS_CSUM_SHIFT)
#define {{ cookiecutter.macro }}_CSUM_L4(ip, ipf) \
	[ip] = ipf, \
	[(ip) | {{ cookiecutter.macro }}_L4_OK] = (ipf) | RTE_MBUF_F_RX_L4_CKSUM_GOOD, \
	[(ip) | {{ cookiecutter.macro }}_L4_BAD] = (ipf) | RTE_MBUF_F_RX_L4_CKSUM_BAD
static const uint64_t {{ cookiecutter.name }}_csum_flags[{{ cookiecutter.macro }}_CSUM_IDX(0xff) + 1] = {
	{{ cookiecutter.macro }}_CSUM_L4(0, 0),
	{{ cookiecutter.macro }}_CSUM_L4({{ cookiecutter.macro }}_IP_OK, RTE_MBUF_F_RX_IP_CKSUM_GOOD),
	{{ cookiecutter.macro }}_CSUM_L4({{ cookiecutter.macro }}_IP_BAD, RTE_MBUF_F_RX_IP_CKSUM_BAD),
};

/*
 * A received frame's time ({{ cookiecutter.macro }}_TS_FIELD: the dynamic field) and PTP marks
 * ({{ cookiecutter.macro }}_TS_PTP: the frame the NIC marked, its RX latch): the flags to add.
 */
static __rte_always_inline uint64_t
{{ cookiecutter.name }}_rx_time(const struct {{ cookiecutter.name }}_ring *rxq, struct rte_mbuf *m,
	const struct {{ cookiecutter.name }}_cpl *cpl, uint8_t ts_mode, uint64_t sec,
	uint32_t *ptype)
{
	uint64_t flags = 0;

	if (ts_mode & {{ cookiecutter.macro }}_TS_FIELD) {
		*RTE_MBUF_DYNFIELD(m, rxq->ts_off, rte_mbuf_timestamp_t *) =
			sec * NS_PER_S + cpl->ts_ns;
		flags |= rxq->ts_flag;
	}
	if ((ts_mode & {{ cookiecutter.macro }}_TS_PTP) && (cpl->pkt_info & {{ cookiecutter.macro }}_CPL_PTP)) {
		flags |= RTE_MBUF_F_RX_IEEE1588_PTP;
		if (cpl->pkt_info & {{ cookiecutter.macro }}_CPL_PTP_TMST)
			flags |= RTE_MBUF_F_RX_IEEE1588_TMST;
		*ptype = RTE_PTYPE_L2_ETHER_TIMESYNC;
		m->timesync = 0;	/* one RX latch */
	}
	return flags;
}

/*
 * The receive loop, inlined into one burst function per constant `csum` and
 * `ts` (DPDK PMDs' way of keeping offloads out of the default path). With
 * `csum` the checksum status the NIC reports becomes ol_flags. With `ts`
 * ({{ cookiecutter.macro }}_TS_*, entered from the default loop's first check) the
 * completion's time goes into the mbuf's dynamic field and the frames the
 * NIC marked get the PTP flags; the queue's checksum setting is then read
 * at run time. The completion has 16 bits of seconds: they are widened
 * against the previous completion's (the PHC's at start and after each
 * change of time), so a queue keeps them right while it sees a frame at
 * least every 9 hours.
 */
static __rte_always_inline uint16_t
{{ cookiecutter.name }}_recv(void *queue, struct rte_mbuf **pkts, uint16_t n, const bool csum,
	const bool ts)
{
	struct {{ cookiecutter.name }}_ring *rxq = queue;
	const struct {{ cookiecutter.name }}_cpl *cpl, *end;
	struct rte_mbuf **sw, **out = pkts;
	uint64_t mbuf_init = rxq->mbuf_init;
	uint64_t ol_base = rxq->ol_base;
	/* Frame lengths accepted, less the header: [0, span]. */
	uint32_t span = rxq->buf_len - RTE_ETHER_HDR_LEN;
	uint32_t mask = rxq->mask;
	uint32_t cons = rxq->cons;
	uint32_t avail, done, idx, k, errors = 0;
	const uint8_t ts_mode = ts ? rxq->ts : 0;
	const bool cksum = csum || (ts && rxq->csum);
	uint64_t sec = ts ? rxq->ts_sec : 0;
	uint64_t bytes = 0;
	struct rte_mbuf *m;
	uint32_t ptype;
	uint16_t len;
	uint8_t status;

	/* A stopped (or deferred) queue moves nothing, refills nothing. */
	if (unlikely(!rxq->started))
		return 0;
	/* Timestamps or PTP asked for: the loop with `ts` ({{ cookiecutter.name }}.h). */
	if (!ts && unlikely(rxq->ts != 0))
		return {{ cookiecutter.name }}_recv_pkts_ts(queue, pkts, n);
	/*
	 * Never more than the buffers posted: a buffer is only ours to hand
	 * over once. No MMIO: the phase bits in host memory say what is new.
	 */
	avail = {{ cookiecutter.name }}_cpl_avail(rxq, cons, RTE_MIN((uint32_t)n,
		rxq->prod - cons));
	if (avail != 0) {
		/*
		 * The phase bit load before the loads of the other fields of
		 * the completions it covers (a load-load order; the NIC wrote
		 * the phase last). From here they are plain memory: the NIC
		 * does not write a slot again before it is refilled.
		 */
		rte_io_rmb();
		/* In ring order, a run up to the ring's end at a time. */
		for (done = 0; done < avail; done += k) {
			idx = (cons + done) & mask;
			k = RTE_MIN(avail - done, mask + 1 - idx);
			cpl = (const struct {{ cookiecutter.name }}_cpl *)(uintptr_t)&rxq->cpl[idx];
			sw = &rxq->sw_ring[idx];
			/* Completion cons + i is for descriptor cons + i. */
			for (end = cpl + k; cpl != end; cpl++, sw++) {
				m = *sw;
				len = cpl->len;
				/*
				 * Both length bounds in one compare: below the
				 * header, len - 14 wraps past any span.
				 */
				status = cpl->status;
				if (unlikely((status &
						{{ cookiecutter.macro }}_CPL_STATUS_DMA_ERR) ||
						(uint32_t)(len - RTE_ETHER_HDR_LEN) >
						span)) {
					errors++;
					rte_mbuf_raw_free(m);
					continue;
				}
				/* data_off, refcnt, nb_segs, port: one store. */
				*(uint64_t *)RTE_PTR_ADD(m, {{ cookiecutter.macro }}_REARM_OFF) =
					mbuf_init;
				m->ol_flags = ol_base |
					(status & {{ cookiecutter.macro }}_CPL_STATUS_RSS);
				if (cksum)
					m->ol_flags |= {{ cookiecutter.name }}_csum_flags[
						{{ cookiecutter.macro }}_CSUM_IDX(status)];
				ptype = {{ cookiecutter.name }}_ptype[cpl->pkt_info &
					{{ cookiecutter.macro }}_PT_INFO_MASK];
				if (ts) {
					sec += (int16_t)(cpl->ts_s -
						(uint16_t)sec);
					m->ol_flags |= {{ cookiecutter.name }}_rx_time(rxq, m,
						cpl, ts_mode, sec, &ptype);
				}
				{{ cookiecutter.name }}_rx_fields_set(m, ptype, len,
					cpl->rx_hash);
				bytes += len;
				*out++ = m;
			}
		}
		if (ts)
			rxq->ts_sec = sec;
		rxq->cons = cons + avail;
		rxq->stats.packets += out - pkts;
		rxq->stats.bytes += bytes;
		rxq->stats.errors += errors;
	}
	{{ cookiecutter.name }}_rx_refill(rxq);
	return out - pkts;
}

uint16_t
{{ cookiecutter.name }}_recv_pkts(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	return {{ cookiecutter.name }}_recv(queue, pkts, n, false, false);
}

/* RX with IPV4/UDP/TCP_CKSUM enabled (no scatter). */
uint16_t
{{ cookiecutter.name }}_recv_pkts_csum(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	return {{ cookiecutter.name }}_recv(queue, pkts, n, true, false);
}

/*
 * Scattered RX (RTE_ETH_RX_OFFLOAD_SCATTER): a ring entry is a block of
 * 1 << log_block buffers (REGISTERS.md, "Descriptor"), the NIC fills them
 * in order, so a frame is a chain of its entry's first buffers. Only the
 * buffers taken are replaced; a slot keeps its mbuf until a frame uses it
 * (sw_ring slots of taken buffers are NULL until the refill).
 */
void
{{ cookiecutter.name }}_rx_refill_blocks(struct {{ cookiecutter.name }}_ring *rxq)
{
	uint32_t lb = rxq->log_block, nb = 1u << lb;
	uint32_t prod = rxq->prod;
	uint32_t room = rxq->nb_desc - (prod - rxq->cons);
	struct rte_mbuf *bufs[{{ cookiecutter.macro }}_BULK];
	struct rte_mbuf **sw;
	uint32_t e, j, k, need, got;

	if (room < {{ cookiecutter.macro }}_RX_REFILL_THRESH)
		return;
	while (room != 0) {
		/* Entries whose empty slots one bulk get fills. */
		for (k = 0, need = 0; k < room; k++) {
			sw = &rxq->sw_ring[((prod + k) & rxq->mask) << lb];
			for (j = 0, got = 0; j < nb; j++)
				got += sw[j] == NULL;
			if (need + got > {{ cookiecutter.macro }}_BULK)
				break;
			need += got;
		}
		if (need != 0 && unlikely(rte_mempool_get_bulk(rxq->mp,
				(void **)bufs, need) != 0)) {
			rte_eth_devices[rxq->port_id].data->
				rx_mbuf_alloc_failed += need;
			break;
		}
		for (got = 0; k != 0; k--, prod++, room--) {
			e = (prod & rxq->mask) << lb;
			sw = &rxq->sw_ring[e];
			for (j = 0; j < nb; j++) {
				if (sw[j] != NULL)
					continue;
				sw[j] = bufs[got++];
				rxq->desc[e + j].addr = sw[j]->buf_iova +
					RTE_PKTMBUF_HEADROOM;
			}
		}
	}
	if (prod == rxq->prod)
		return;
	rxq->prod = prod;
	rte_io_wmb();	/* descriptors before the doorbell */
	{{ cookiecutter.name }}_ring_write(rxq, {{ cookiecutter.macro }}_QREG_HEAD, prod & {{ cookiecutter.macro }}_PTR_MASK);
}

uint16_t
{{ cookiecutter.name }}_recv_scattered_pkts(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	struct {{ cookiecutter.name }}_ring *rxq = queue;
	const struct {{ cookiecutter.name }}_cpl *cpl;
	struct rte_mbuf **sw, **out = pkts;
	struct rte_mbuf *head, *seg, *prev;
	uint64_t mbuf_init = rxq->mbuf_init;
	uint64_t ol_base = rxq->ol_base;
	uint32_t buf_len = rxq->buf_len;
	uint32_t lb = rxq->log_block;
	uint32_t mask = rxq->mask;
	uint32_t cons = rxq->cons;
	uint32_t avail, i, j, left, idx, errors = 0;
	uint64_t bytes = 0;
	uint16_t len;

	if (unlikely(!rxq->started))
		return 0;
	avail = {{ cookiecutter.name }}_cpl_avail(rxq, cons, RTE_MIN((uint32_t)n,
		rxq->prod - cons));
	if (avail != 0) {
		rte_io_rmb();	/* phase bits before the other fields */
		for (i = 0; i < avail; i++) {
			idx = (cons + i) & mask;
			cpl = (const struct {{ cookiecutter.name }}_cpl *)(uintptr_t)
				&rxq->cpl[idx];
			sw = &rxq->sw_ring[idx << lb];
			len = cpl->len;
			/* The entry's buffers stay posted for the next frame. */
			if (unlikely((cpl->status & {{ cookiecutter.macro }}_CPL_STATUS_DMA_ERR) ||
					len > buf_len << lb ||
					len < RTE_ETHER_HDR_LEN)) {
				errors++;
				continue;
			}
			head = sw[0];
			prev = NULL;
			for (j = 0, left = len; left != 0; j++) {
				seg = sw[j];
				sw[j] = NULL;
				*(uint64_t *)RTE_PTR_ADD(seg, {{ cookiecutter.macro }}_REARM_OFF) =
					mbuf_init;
				seg->ol_flags = ol_base;
				seg->data_len = RTE_MIN(left, buf_len);
				left -= seg->data_len;
				if (prev != NULL)
					prev->next = seg;
				prev = seg;
			}
			prev->next = NULL;
			head->nb_segs = j;
			head->pkt_len = len;
			head->ol_flags |= cpl->status & {{ cookiecutter.macro }}_CPL_STATUS_RSS;
			if (rxq->csum)
				head->ol_flags |= {{ cookiecutter.name }}_csum_flags[
					{{ cookiecutter.macro }}_CSUM_IDX(cpl->status)];
			head->packet_type = {{ cookiecutter.name }}_ptype[cpl->pkt_info &
				{{ cookiecutter.macro }}_PT_INFO_MASK];
			head->vlan_tci = 0;
			head->hash.rss = cpl->rx_hash;
			bytes += len;
			*out++ = head;
		}
		rxq->cons = cons + avail;
		rxq->stats.packets += out - pkts;
		rxq->stats.bytes += bytes;
		rxq->stats.errors += errors;
	}
	{{ cookiecutter.name }}_rx_refill_blocks(rxq);
	return out - pkts;
}

/* Hand mbufs back to their pools, a bulk put per run of the same pool. */
static void
{{ cookiecutter.name }}_tx_free(struct rte_mbuf **sent, uint32_t n)
{
	struct rte_mbuf *bufs[{{ cookiecutter.macro }}_BULK];
	struct rte_mbuf *m;
	unsigned int k = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		/* NULL: another reference still holds the mbuf. */
		m = rte_pktmbuf_prefree_seg(sent[i]);
		if (unlikely(m == NULL))
			continue;
		if (unlikely(k == {{ cookiecutter.macro }}_BULK ||
				(k != 0 && m->pool != bufs[0]->pool))) {
			rte_mempool_put_bulk(bufs[0]->pool, (void **)bufs, k);
			k = 0;
		}
		bufs[k++] = m;
	}
	if (k != 0)
		rte_mempool_put_bulk(bufs[0]->pool, (void **)bufs, k);
}

/*
 * TX completions with a status bit set: the NIC could not read the frame.
 * One OR per completion finds whether any did; only then are they counted.
 */
static inline void
{{ cookiecutter.name }}_tx_count_errors(struct {{ cookiecutter.name }}_ring *txq, uint32_t idx, uint32_t n)
{
	const struct {{ cookiecutter.name }}_cpl *cpls = (const struct {{ cookiecutter.name }}_cpl *)
		(uintptr_t)&txq->cpl[idx];
	uint32_t i, errors = 0;
	uint8_t any = 0;

	for (i = 0; i < n; i++)
		any |= cpls[i].status;
	if (likely(!(any & {{ cookiecutter.macro }}_CPL_STATUS_DMA_ERR)))
		return;
	for (i = 0; i < n; i++)
		errors += (cpls[i].status & {{ cookiecutter.macro }}_CPL_STATUS_DMA_ERR) != 0;
	txq->stats.errors += errors;
}

/*
 * The segments of n entries of a ring with descriptor blocks: unused slots
 * are NULL; freed ones become NULL, so a drain never sees them again.
 */
static void
{{ cookiecutter.name }}_tx_free_blocks(struct rte_mbuf **sw, uint32_t n)
{
	struct rte_mbuf *segs[{{ cookiecutter.macro }}_BULK];
	uint32_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (sw[i] == NULL)
			continue;
		segs[k++] = sw[i];
		sw[i] = NULL;
		if (k == {{ cookiecutter.macro }}_BULK) {
			{{ cookiecutter.name }}_tx_free(segs, k);
			k = 0;
		}
	}
	if (k != 0)
		{{ cookiecutter.name }}_tx_free(segs, k);
}

/*
 * Free what the NIC has sent, as its completions say: at most `max`
 * entries, oldest first. Called lazily, as Corundum's Linux driver does.
 * Inlined per constant `blocks`: the default ring has one mbuf per entry.
 */
static __rte_always_inline uint32_t
{{ cookiecutter.name }}_tx_reap_t(struct {{ cookiecutter.name }}_ring *txq, uint32_t max, const bool blocks)
{
	uint32_t cons = txq->cons;
	uint32_t done, i, idx, k;

	/* Never more than in flight; found by phase bits, no MMIO. */
	done = {{ cookiecutter.name }}_cpl_avail(txq, cons, RTE_MIN(max, txq->prod - cons));
	if (done == 0)
		return 0;
	/* The phase bit load before the status loads of what it covers. */
	rte_io_rmb();
	for (i = 0; i < done; i += k) {
		idx = (cons + i) & txq->mask;
		k = RTE_MIN(done - i, txq->mask + 1 - idx);
		{{ cookiecutter.name }}_tx_count_errors(txq, idx, k);
		if (blocks)
			{{ cookiecutter.name }}_tx_free_blocks(&txq->sw_ring[idx <<
				txq->log_block], k << txq->log_block);
		else if (txq->fast_free)
			/*
			 * MBUF_FAST_FREE: the application vouches that every
			 * mbuf of the queue is direct, has one reference and
			 * one segment and comes from one pool, so the ring's
			 * pointers go back as they are, in one put.
			 */
			rte_mempool_put_bulk(txq->sw_ring[idx]->pool,
				(void **)&txq->sw_ring[idx], k);
		else
			{{ cookiecutter.name }}_tx_free(&txq->sw_ring[idx], k);
	}
	/*
	 * No TAIL_PTR write: a completion queue as large as its descriptor
	 * queue cannot overflow (REGISTERS.md, "Flow control"), and the NIC
	 * reuses these slots only after the next doorbell.
	 */
	txq->cons = cons + done;
	return done;
}

static uint32_t
{{ cookiecutter.name }}_tx_reap(struct {{ cookiecutter.name }}_ring *txq, uint32_t max)
{
	return {{ cookiecutter.name }}_tx_reap_t(txq, max, false);
}

static uint32_t
{{ cookiecutter.name }}_tx_reap_blocks(struct {{ cookiecutter.name }}_ring *txq, uint32_t max)
{
	return {{ cookiecutter.name }}_tx_reap_t(txq, max, true);
}

/*
 * What the NIC has completed, oldest first: at most free_cnt mbufs (0: all
 * of them). Returns the number freed (one mbuf per entry: no chains).
 */
int
{{ cookiecutter.name }}_tx_done_cleanup(void *queue, uint32_t free_cnt)
{
	struct {{ cookiecutter.name }}_ring *txq = queue;
	uint32_t max = free_cnt == 0 ? UINT32_MAX : free_cnt;

	if (txq->max_log_block != 0)
		return {{ cookiecutter.name }}_tx_reap_blocks(txq, max);
	return {{ cookiecutter.name }}_tx_reap(txq, max);
}

/* The TX timestamp request bit shares the word at offset 0 ({{ cookiecutter.name }}_hw.h). */
static __rte_always_inline void
{{ cookiecutter.name }}_tx_ts_request(struct {{ cookiecutter.name }}_desc *d, const struct rte_mbuf *m)
{
	uint16_t *cmd = (uint16_t *)d;

	*cmd = (*cmd & ~{{ cookiecutter.macro }}_DESC_TX_TS) |
		((m->ol_flags & RTE_MBUF_F_TX_IEEE1588_TMST) ?
		{{ cookiecutter.macro }}_DESC_TX_TS : 0);
}

/*
 * The transmit loop, inlined per constant `ts`: with it (timesync on), each
 * frame's descriptor also gets the TX timestamp request bit (REGISTERS.md,
 * "PTP clock"), set for RTE_MBUF_F_TX_IEEE1588_TMST and cleared otherwise
 * (the bit stays from the slot's last frame).
 */
static __rte_always_inline uint16_t
{{ cookiecutter.name }}_xmit(void *queue, struct rte_mbuf **pkts, uint16_t n, const bool ts)
{
	struct {{ cookiecutter.name }}_ring *txq = queue;
	struct rte_mbuf **sw;
	uint32_t size = txq->mask + 1;
	struct {{ cookiecutter.name }}_desc *d, *first;
	uint32_t prod = txq->prod;
	uint32_t room, slot;
	uint64_t bytes = 0;
	struct rte_mbuf *m;
	uint16_t i, end;

	/* A stopped (or deferred) queue takes nothing. */
	if (unlikely(!txq->started))
		return 0;
	if (!ts && unlikely(txq->ts != 0))
		return {{ cookiecutter.name }}_xmit_pkts_ts(queue, pkts, n);
	/* Reap lazily: only when the ring runs short of room. */
	room = txq->nb_desc - (prod - txq->cons);
	if (room < n || room < {{ cookiecutter.macro }}_TX_FREE_THRESH) {
		{{ cookiecutter.name }}_tx_reap(txq, RTE_MAX((uint32_t)n,
			(uint32_t){{ cookiecutter.macro }}_TX_FREE_THRESH));
		room = txq->nb_desc - (prod - txq->cons);
	}
	if (n > room)
		n = room;
	/*
	 * A run of slots up to the ring's end at a time. The descriptors are
	 * host memory the NIC reads after the doorbell: plain stores.
	 */
	for (i = 0; i < n; prod += d - first) {
		slot = prod & (size - 1);
		first = d = (struct {{ cookiecutter.name }}_desc *)(uintptr_t)&txq->desc[slot];
		sw = &txq->sw_ring[slot];
		for (end = i + RTE_MIN((uint32_t)(n - i), size - slot);
				i < end; i++) {
			m = pkts[i];
			/* One descriptor per frame: the ring has no chaining. */
			if (unlikely(m->nb_segs != 1)) {
				txq->stats.errors++;
				rte_pktmbuf_free(m);
				continue;
			}
			/* The checksum command was written at queue start. */
			if (ts)
				{{ cookiecutter.name }}_tx_ts_request(d, m);
			d->len = m->data_len;
			d->addr = rte_mbuf_data_iova(m);
			d++;
			*sw++ = m;
			bytes += m->data_len;
		}
	}
	if (prod != txq->prod) {
		txq->stats.packets += prod - txq->prod;
		txq->stats.bytes += bytes;
		txq->prod = prod;
		/*
		 * One doorbell per burst, none for an empty one. The descriptor
		 * stores before the doorbell store (store-store order).
		 */
		rte_io_wmb();
		{{ cookiecutter.name }}_ring_write(txq, {{ cookiecutter.macro }}_QREG_HEAD, prod & {{ cookiecutter.macro }}_PTR_MASK);
	}
	return n;
}

uint16_t
{{ cookiecutter.name }}_xmit_pkts(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	return {{ cookiecutter.name }}_xmit(queue, pkts, n, false);
}

/* Transmit with timesync on: the loop above with `ts`. */
uint16_t
{{ cookiecutter.name }}_xmit_pkts_ts(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	return {{ cookiecutter.name }}_xmit(queue, pkts, n, true);
}

/*
 * TX with checksum offloads or MULTI_SEGS: each frame takes one entry of
 * 1 << log_block descriptors (REGISTERS.md, "Descriptor"), a segment per
 * descriptor, unused ones of length 0; the first carries the checksum
 * commands, from the mbuf's l2_len/l3_len (tx_prepare left the pseudo-header
 * sum in the L4 checksum field, as the NIC wants).
 */
uint16_t
{{ cookiecutter.name }}_xmit_pkts_offload(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	struct {{ cookiecutter.name }}_ring *txq = queue;
	uint32_t nb = 1u << txq->log_block;
	uint32_t prod = txq->prod;
	volatile struct {{ cookiecutter.name }}_desc *d;
	struct rte_mbuf *m, *seg;
	struct rte_mbuf **sw;
	uint32_t room, e, j, start;
	uint16_t cmd, ip_cmd;
	uint64_t bytes = 0, l4;
	uint16_t i;

	if (unlikely(!txq->started))
		return 0;
	room = txq->nb_desc - (prod - txq->cons);
	if (room < n || room < {{ cookiecutter.macro }}_TX_FREE_THRESH) {
		{{ cookiecutter.name }}_tx_reap_blocks(txq, RTE_MAX((uint32_t)n,
			(uint32_t){{ cookiecutter.macro }}_TX_FREE_THRESH));
		room = txq->nb_desc - (prod - txq->cons);
	}
	if (n > room)
		n = room;
	for (i = 0; i < n; i++) {
		m = pkts[i];
		if (unlikely(m->nb_segs > nb)) {
			txq->stats.errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		e = (prod & txq->mask) << txq->log_block;
		d = &txq->desc[e];
		sw = &txq->sw_ring[e];
		ip_cmd = 0;
		cmd = 0;
		if (m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM)
			ip_cmd = {{ cookiecutter.macro }}_TX_IP_CSUM_ENABLE | m->l2_len;
		l4 = m->ol_flags & RTE_MBUF_F_TX_L4_MASK;
		if (l4 != 0) {
			start = m->l2_len + m->l3_len;
			cmd = {{ cookiecutter.macro }}_TX_CSUM_ENABLE | start |
				(l4 == RTE_MBUF_F_TX_UDP_CKSUM ?
				offsetof(struct rte_udp_hdr, dgram_cksum) :
				offsetof(struct rte_tcp_hdr, cksum)) <<
				{{ cookiecutter.macro }}_TX_CSUM_OFFSET_SHIFT;
		}
		/* Timesync on: the TX timestamp request ({{ cookiecutter.name }}_hw.h). */
		if (unlikely(txq->ts != 0) &&
				(m->ol_flags & RTE_MBUF_F_TX_IEEE1588_TMST))
			ip_cmd |= {{ cookiecutter.macro }}_DESC_TX_TS;
		d->tx_ip_csum_cmd = ip_cmd;
		d->tx_csum_cmd = cmd;
		for (j = 0, seg = m; j < nb; j++) {
			if (seg != NULL) {
				d[j].len = seg->data_len;
				d[j].addr = rte_mbuf_data_iova(seg);
				sw[j] = seg;
				seg = seg->next;
			} else {
				d[j].len = 0;
				sw[j] = NULL;
			}
		}
		bytes += m->pkt_len;
		prod++;
	}
	if (prod != txq->prod) {
		txq->stats.packets += prod - txq->prod;
		txq->stats.bytes += bytes;
		txq->prod = prod;
		rte_io_wmb();	/* descriptors before the doorbell */
		{{ cookiecutter.name }}_ring_write(txq, {{ cookiecutter.macro }}_QREG_HEAD, prod & {{ cookiecutter.macro }}_PTR_MASK);
	}
	return n;
}

/*
 * tx_prepare of the offload path: chains up to the queue's block, the
 * checksum offloads the NIC has (IPv4 header, TCP/UDP over IPv4/IPv6)
 * with headers where its command fields reach, and the pseudo-header sum
 * in the L4 checksum field (rte_net_intel_cksum_prepare).
 */
uint16_t
{{ cookiecutter.name }}_prep_pkts_offload(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	const uint64_t ok = RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK |
		RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6 |
		RTE_MBUF_F_TX_IEEE1588_TMST;
	const struct {{ cookiecutter.name }}_ring *txq = queue;
	struct rte_mbuf *m;
	uint64_t l4;
	uint16_t i;
	int ret;

	for (i = 0; i < n; i++) {
		m = pkts[i];
		if (m->nb_segs > (1u << txq->log_block) || m->pkt_len == 0 ||
				m->pkt_len > txq->max_len) {
			rte_errno = EINVAL;
			return i;
		}
		l4 = m->ol_flags & RTE_MBUF_F_TX_L4_MASK;
		if ((m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK & ~ok) ||
				l4 == RTE_MBUF_F_TX_SCTP_CKSUM) {
			rte_errno = ENOTSUP;
			return i;
		}
		if ((l4 != 0 && (uint32_t)m->l2_len + m->l3_len >
				{{ cookiecutter.macro }}_TX_CSUM_START_MASK) ||
				((m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM) &&
				m->l2_len > {{ cookiecutter.macro }}_TX_IP_CSUM_START_MASK)) {
			rte_errno = EINVAL;
			return i;
		}
		ret = rte_net_intel_cksum_prepare(m);
		if (ret != 0) {
			rte_errno = -ret;
			return i;
		}
	}
	return n;
}

/*
 * What the NIC cannot send, refused before tx_burst as DPDK's
 * tx_pkt_prepare rules ask: a chain (one descriptor per frame, no
 * scatter-gather), a frame of no bytes or above the largest the NIC sends,
 * or a request for a TX offload (the NIC has none).
 */
uint16_t
{{ cookiecutter.name }}_prep_pkts(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	const struct {{ cookiecutter.name }}_ring *txq = queue;
	const struct rte_mbuf *m;
	uint16_t i;

	for (i = 0; i < n; i++) {
		m = pkts[i];
		if (m->nb_segs != 1 || m->data_len == 0 ||
				m->data_len > txq->max_len) {
			rte_errno = EINVAL;
			return i;
		}
		/* A TX timestamp request is harmless without timesync. */
		if (m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK &
				~RTE_MBUF_F_TX_IEEE1588_TMST) {
			rte_errno = ENOTSUP;
			return i;
		}
	}
	return n;
}

/* Receive with time ({{ cookiecutter.macro }}_TS_*): the loop above with `ts`. */
uint16_t
{{ cookiecutter.name }}_recv_pkts_ts(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	return {{ cookiecutter.name }}_recv(queue, pkts, n, false, true);
}

/*
 * Descriptor status, in ring order from the next descriptor the driver
 * reads (RX) or writes (TX). Entries cons..prod-1 are the NIC's; of them,
 * the first `done` are completed.
 */
static inline uint32_t
{{ cookiecutter.name }}_ring_done(struct {{ cookiecutter.name }}_ring *r)
{
	return {{ cookiecutter.name }}_cpl_avail(r, r->cons, r->prod - r->cons);
}

{{ cookiecutter.name }}_rx_queue_count_t
{{ cookiecutter.name }}_rx_queue_count(void *queue)
{
	struct {{ cookiecutter.name }}_ring *rxq = queue;

	return rxq->started ? {{ cookiecutter.name }}_ring_done(rxq) : 0;
}

int
{{ cookiecutter.name }}_rx_descriptor_status(void *queue, uint16_t offset)
{
	struct {{ cookiecutter.name }}_ring *rxq = queue;

	if (unlikely(offset >= rxq->nb_desc))
		return -EINVAL;
	if (!rxq->started)
		return RTE_ETH_RX_DESC_UNAVAIL;
	if (offset < {{ cookiecutter.name }}_ring_done(rxq))
		return RTE_ETH_RX_DESC_DONE;
	if (offset < rxq->prod - rxq->cons)
		return RTE_ETH_RX_DESC_AVAIL;
	return RTE_ETH_RX_DESC_UNAVAIL;	/* not refilled yet */
}

/*
 * TX: offset 0 is where the next frame goes. The free slots come first
 * (done: free to use), then the frames in flight, oldest first: done once
 * the NIC completed them, even if not reaped yet.
 */
int
{{ cookiecutter.name }}_tx_descriptor_status(void *queue, uint16_t offset)
{
	struct {{ cookiecutter.name }}_ring *txq = queue;
	uint32_t room;

	if (unlikely(offset >= txq->nb_desc))
		return -EINVAL;
	if (!txq->started)
		return RTE_ETH_TX_DESC_UNAVAIL;
	room = txq->nb_desc - (txq->prod - txq->cons);
	if (offset < room || offset - room < {{ cookiecutter.name }}_ring_done(txq))
		return RTE_ETH_TX_DESC_DONE;
	return RTE_ETH_TX_DESC_FULL;
}
