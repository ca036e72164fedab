/* SPDX-License-Identifier: BSD-3-Clause
 *
 * A deliberately breakable vdev PMD. Built with no MUT_* macro it is correct (the control that must
 * pass every ethdev check); each MUT_* macro breaks one rule of docs/conformance.md so that a test can prove
 * the conformance check named for that rule catches it.
 *
 * The device loops back: what tx queue q takes goes into ring q, and rx queue q reads ring q, so the
 * datapath checks (payload survives a loop, queues are independent) apply. The rings live from probe
 * to close. MUT_DRV_NAME sets the
 * vdev driver name so every build registers under its own name (vdev names match by prefix: the
 * builds use names that do not prefix one another).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_kvargs.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_version.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_net.h>
#include <rte_ring.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include <rte_interrupts.h>

#ifndef MUT_DRV_NAME
#error "build with -DMUT_DRV_NAME=net_mutX_name"
#endif

#define MUT_MAX_QUEUES 16
#define MUT_MAC_ADDRS 4 /* the default address and three added ones (E22) */
#define MUT_RING_SIZE 1024
#define MUT_QUEUES_ARG "queues"

static const char *const mut_valid_args[] = {MUT_QUEUES_ARG, NULL};

/* The PMD info string dpdk-pmdinfo.py reads (the kit generates it for its own builds; this file is
 * built by the plain compiler, so it carries it by hand). MUT_NO_PMD_INFO leaves it out. */
#define MUT_PARAMS MUT_QUEUES_ARG "=<int>"
#ifndef MUT_NO_PMD_INFO
static const char mut_pmd_info[] __rte_used =
	"PMD_INFO_STRING= {\"name\": \"" RTE_STR(MUT_DRV_NAME) "\", \"params\": \"" MUT_PARAMS "\", \"pci_ids\": []}";
#endif

#define MUT_SENT_MEMORY 32
#define MUT_RSS_KEY_SIZE 40
#define MUT_RSS_HF (RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_NONFRAG_IPV4_UDP | \
		    RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_NONFRAG_IPV6_UDP)
#define MUT_RX_OFFLOADS (RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_RSS_HASH | RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | \
			 RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_VLAN_STRIP | \
			 RTE_ETH_RX_OFFLOAD_TIMESTAMP)
#define MUT_TX_OFFLOADS (RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | \
			 RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM | \
			 RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)

/* The RSS key a port starts with (any 40 bytes do: the suite reads it back) */
static const uint8_t mut_default_rss_key[MUT_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

struct mut_queue {
	struct rte_ring *ring;
	struct rte_mempool *mp; /* rx only */
	struct rte_eth_dev_data *data;
	uint16_t port_id;
	uint16_t qid;
	uint16_t nb_desc;
	uint8_t deferred_start;
	uint64_t offloads;
	/* MUT_CLEANUP_IGNORES_FREE_CNT: tx keeps what it sent here until tx_done_cleanup */
	struct rte_mbuf *held[MUT_RING_SIZE];
	unsigned int nb_held;
	uint64_t pkts;
	uint64_t bytes;
	uint64_t errors; /* rx: frames dropped as longer than the MTU */
	uint64_t bursts; /* rx: bursts that returned frames; tx: bursts */
	/* tx: the last mbufs handed to the wire, which MUT_CLEANUP_FREES_SENT wrongly thinks it still owns */
	struct rte_mbuf *sent[MUT_SENT_MEMORY];
	unsigned int nb_sent;
	/* rx, MUT_LATE_DMA: a buffer posted to the "NIC" at start */
	struct rte_mbuf *posted;
};

#define MUT_MC_ADDRS 8

struct mut_priv {
	struct rte_ether_addr mac[MUT_MAC_ADDRS];
	struct rte_ether_addr mc[MUT_MC_ADDRS]; /* the multicast list (E22) */
	uint32_t nb_mc;
	struct rte_ring *rings[MUT_MAX_QUEUES];
	uint16_t max_queues;
	uint32_t info_calls;
	uint32_t ptype_mask; /* the layers rte_eth_dev_set_ptypes left */
	/* offloads, done in software on the loop (E20) */
	uint8_t rss_key[MUT_RSS_KEY_SIZE];
	uint64_t rss_hf;
	int ts_offset;
	uint64_t ts_flag;
	/* interrupts (E29): the port's intr_handle (process-local) has the link eventfd and one per rx queue */
	uint8_t phy_off;                   /* rte_eth_dev_set_link_down turned the link off */
	uint8_t lsc_registered;            /* the link eventfd's handler is on EAL's interrupt thread */
	uint32_t rx_armed[MUT_MAX_QUEUES]; /* rte_eth_dev_rx_intr_enable armed the queue: the next frame fires */
};

static const struct rte_eth_link mut_link_down = {
	.link_speed = RTE_ETH_SPEED_NUM_10G,
	.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
	.link_status = RTE_ETH_LINK_DOWN,
	.link_autoneg = RTE_ETH_LINK_FIXED,
};

/* -- offloads (E20): what a NIC does on receive, done in software on the loop ----------------- */

/* Where a frame's L3 header starts and what it is; proto and l4 are 0 for fragments and other L4 */
struct mut_parsed {
	uint16_t l3;
	uint16_t ether_type;
	uint16_t l4;
	uint8_t proto;
};

static void
mut_parse(const struct rte_mbuf *m, struct mut_parsed *p)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	uint16_t len = m->data_len;

	memset(p, 0, sizeof(*p));
	if (len < RTE_ETHER_HDR_LEN)
		return;
	p->l3 = RTE_ETHER_HDR_LEN;
	p->ether_type = (uint16_t)(f[12] << 8 | f[13]);
	if (p->ether_type == RTE_ETHER_TYPE_VLAN && len >= p->l3 + 4) {
		p->ether_type = (uint16_t)(f[16] << 8 | f[17]);
		p->l3 += 4;
	}
	if (p->ether_type == RTE_ETHER_TYPE_IPV4 && len >= p->l3 + sizeof(struct rte_ipv4_hdr)) {
		const struct rte_ipv4_hdr *ip = (const void *)(f + p->l3);

		if (rte_ipv4_hdr_len(ip) < sizeof(*ip) || len < p->l3 + rte_ipv4_hdr_len(ip) + 4)
			return;
		if (rte_be_to_cpu_16(ip->fragment_offset) & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
			return;
		p->proto = ip->next_proto_id;
		p->l4 = (uint16_t)(p->l3 + rte_ipv4_hdr_len(ip));
	} else if (p->ether_type == RTE_ETHER_TYPE_IPV6 && len >= p->l3 + sizeof(struct rte_ipv6_hdr) + 4) {
		p->proto = ((const struct rte_ipv6_hdr *)(f + p->l3))->proto;
		p->l4 = (uint16_t)(p->l3 + sizeof(struct rte_ipv6_hdr));
	}
	if (p->proto != IPPROTO_UDP && p->proto != IPPROTO_TCP)
		p->l4 = 0;
}

static uint32_t
mut_toeplitz(const uint8_t *key, const uint8_t *in, unsigned int len)
{
	uint32_t hash = 0, window = rte_be_to_cpu_32(*(const unaligned_uint32_t *)key);
	unsigned int i, bit, next = 32;

	for (i = 0; i < len; i++)
		for (bit = 0; bit < 8; bit++, next++) {
			if (in[i] & (0x80 >> bit))
				hash ^= window;
			window = window << 1 | ((key[next / 8] >> (7 - next % 8)) & 1);
		}
	return hash;
}

/* The frame's Toeplitz hash over the fields its enabled RSS type selects; 0 with *valid false if none applies */
static uint32_t
mut_rss_hash(const struct mut_priv *priv, const struct rte_mbuf *m, const struct mut_parsed *p, int *valid)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	uint64_t l3_type, l4_type = 0;
	uint8_t in[36];
	unsigned int len;

	*valid = 0;
	if (p->ether_type == RTE_ETHER_TYPE_IPV4 && p->l3 != 0 &&
	    m->data_len >= p->l3 + sizeof(struct rte_ipv4_hdr)) {
		l3_type = RTE_ETH_RSS_IPV4;
		if (p->l4 != 0)
			l4_type = p->proto == IPPROTO_TCP ? RTE_ETH_RSS_NONFRAG_IPV4_TCP : RTE_ETH_RSS_NONFRAG_IPV4_UDP;
		len = 8;
		memcpy(in, f + p->l3 + offsetof(struct rte_ipv4_hdr, src_addr), len);
	} else if (p->ether_type == RTE_ETHER_TYPE_IPV6 && p->l3 != 0 &&
		   m->data_len >= p->l3 + sizeof(struct rte_ipv6_hdr)) {
		l3_type = RTE_ETH_RSS_IPV6;
		if (p->l4 != 0)
			l4_type = p->proto == IPPROTO_TCP ? RTE_ETH_RSS_NONFRAG_IPV6_TCP : RTE_ETH_RSS_NONFRAG_IPV6_UDP;
		len = 32;
		memcpy(in, f + p->l3 + offsetof(struct rte_ipv6_hdr, src_addr), len);
	} else {
		return 0;
	}
	if (l4_type & priv->rss_hf) {
		memcpy(in + len, f + p->l4, 4); /* source and destination ports */
		len += 4;
	} else if (!(l3_type & priv->rss_hf)) {
		return 0;
	}
	*valid = 1;
#ifdef MUT_RSS_IGNORES_KEY
	/* hashes with the key it started with, whatever key the application configured */
	return mut_toeplitz(mut_default_rss_key, in, len);
#else
	return mut_toeplitz(priv->rss_key, in, len);
#endif
}

/* The rx checksum flags of a frame: GOOD or BAD for each enabled layer it has */
static uint64_t
mut_rx_cksum(const struct rte_mbuf *m, const struct mut_parsed *p, uint64_t offloads)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	const void *l4 = f + p->l4;
	uint64_t flags = 0;
	int bad;

	if (p->ether_type == RTE_ETHER_TYPE_IPV4 && (offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM) &&
	    m->data_len >= p->l3 + sizeof(struct rte_ipv4_hdr)) {
		const struct rte_ipv4_hdr *ip = (const void *)(f + p->l3);

		bad = rte_raw_cksum(ip, rte_ipv4_hdr_len(ip)) != 0xffff;
		flags |= bad ? RTE_MBUF_F_RX_IP_CKSUM_BAD : RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	}
	if (p->l4 == 0 || !(offloads & (p->proto == IPPROTO_UDP ? RTE_ETH_RX_OFFLOAD_UDP_CKSUM :
					 RTE_ETH_RX_OFFLOAD_TCP_CKSUM)))
		return flags;
	if (p->ether_type == RTE_ETHER_TYPE_IPV4)
		bad = rte_ipv4_udptcp_cksum_verify((const void *)(f + p->l3), l4) != 0;
	else
		bad = rte_ipv6_udptcp_cksum_verify((const void *)(f + p->l3), l4) != 0;
#ifdef MUT_CKSUM_ALWAYS_GOOD
	bad = 0; /* advertises L4 checksum offload but never checks */
#endif
	return flags | (bad ? RTE_MBUF_F_RX_L4_CKSUM_BAD : RTE_MBUF_F_RX_L4_CKSUM_GOOD);
}

/* What the NIC writes into a received mbuf for the enabled rx offloads */
static void
mut_rx_offloads(const struct mut_queue *rxq, struct rte_mbuf *m)
{
	const struct rte_eth_dev_data *data = rxq->data;
	const struct mut_priv *priv = data->dev_private;
	uint64_t offloads = data->dev_conf.rxmode.offloads | rxq->offloads;
	struct mut_parsed p;
	uint8_t *f;
	int valid;

	m->ol_flags = 0;
	m->vlan_tci = 0;
	m->hash.rss = 0;
	if (m->nb_segs != 1)
		return;
	f = rte_pktmbuf_mtod(m, uint8_t *);
	if ((offloads & RTE_ETH_RX_OFFLOAD_VLAN_STRIP) && m->data_len >= RTE_ETHER_HDR_LEN + 4 &&
	    f[12] == 0x81 && f[13] == 0x00) {
		m->vlan_tci = (uint16_t)(f[14] << 8 | f[15]);
		memmove(f + 4, f, 2 * RTE_ETHER_ADDR_LEN);
		rte_pktmbuf_adj(m, 4);
		m->ol_flags |= RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED;
	}
	mut_parse(m, &p);
	m->ol_flags |= mut_rx_cksum(m, &p, offloads);
	if ((offloads & RTE_ETH_RX_OFFLOAD_RSS_HASH) && (data->dev_conf.rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG)) {
		m->hash.rss = mut_rss_hash(priv, m, &p, &valid);
		if (valid)
			m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
	}
	if ((offloads & RTE_ETH_RX_OFFLOAD_TIMESTAMP) && priv->ts_offset >= 0) {
		*RTE_MBUF_DYNFIELD(m, priv->ts_offset, uint64_t *) = rte_get_tsc_cycles();
		m->ol_flags |= priv->ts_flag;
	}
}

/* What the NIC computes on transmit for the checksums an mbuf asks for (ol_flags, l2_len, l3_len) */
static void
mut_tx_offloads(struct rte_mbuf *m)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ipv4_hdr *ip = (void *)(f + m->l2_len);
	void *l4 = f + m->l2_len + m->l3_len;
	uint64_t l4_req = m->ol_flags & RTE_MBUF_F_TX_L4_MASK;

	if (m->nb_segs != 1 || !(m->ol_flags & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK)) ||
	    m->data_len < m->l2_len + m->l3_len + 8)
		return;
	if ((m->ol_flags & RTE_MBUF_F_TX_IPV4) && (m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM)) {
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	if (l4_req == RTE_MBUF_F_TX_UDP_CKSUM) {
		struct rte_udp_hdr *udp = l4;

		udp->dgram_cksum = 0;
		udp->dgram_cksum = (m->ol_flags & RTE_MBUF_F_TX_IPV4) ? rte_ipv4_udptcp_cksum(ip, udp) :
			rte_ipv6_udptcp_cksum((const void *)ip, udp);
	} else if (l4_req == RTE_MBUF_F_TX_TCP_CKSUM && m->data_len >= m->l2_len + m->l3_len + 20) {
		struct rte_tcp_hdr *tcp = l4;

		tcp->cksum = 0;
		tcp->cksum = (m->ol_flags & RTE_MBUF_F_TX_IPV4) ? rte_ipv4_udptcp_cksum(ip, tcp) :
			rte_ipv6_udptcp_cksum((const void *)ip, tcp);
	}
}

/* With RSS over several rx queues, the queue a frame goes to: its hash modulo the queue count (no RETA) */
static uint16_t
mut_rss_queue(const struct mut_queue *txq, const struct rte_mbuf *m)
{
	const struct rte_eth_dev_data *data = txq->data;
	struct mut_parsed p;
	uint32_t hash;
	int valid;

	mut_parse(m, &p);
	hash = mut_rss_hash(data->dev_private, m, &p, &valid);
	return valid ? (uint16_t)(hash % data->nb_rx_queues) : 0;
}

/* The loop: tx queue q feeds rx queue q, or with RSS over several rx queues the queue of the frame's hash */
static int
mut_wire_enqueue(struct mut_queue *txq, struct rte_mbuf *m)
{
	const struct rte_eth_dev_data *data = txq->data;
	const struct mut_priv *priv = data->dev_private;

	if ((data->dev_conf.rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) && data->nb_rx_queues > 1)
		return rte_ring_mp_enqueue(priv->rings[mut_rss_queue(txq, m)], m); /* several tx queues feed a ring */
	return rte_ring_sp_enqueue(txq->ring, m);
}

/* -- datapath ---------------------------------------------------------------------------------- */

/* The receiving side's MAC filter (E22): its own address, multicast with allmulticast, anything when
 * promiscuous. What it refuses never reaches the rx ring. */
static int
mut_accept(const struct rte_eth_dev_data *data, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth;
	unsigned int i;

	if (data->promiscuous || m->data_len < RTE_ETHER_HDR_LEN)
		return 1;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (rte_is_multicast_ether_addr(&eth->dst_addr)) {
		const struct mut_priv *priv = data->dev_private;

		if (data->all_multicast || rte_is_broadcast_ether_addr(&eth->dst_addr))
			return 1;
		for (i = 0; i < priv->nb_mc; i++)
			if (rte_is_same_ether_addr(&eth->dst_addr, &priv->mc[i]))
				return 1;
		return 0;
	}
#ifdef MUT_FOREIGN_UNICAST
	return 1; /* delivers every unicast frame, promiscuous or not */
#endif
	for (i = 0; i < MUT_MAC_ADDRS; i++)
		if (!rte_is_zero_ether_addr(&data->mac_addrs[i]) &&
		    rte_is_same_ether_addr(&eth->dst_addr, &data->mac_addrs[i]))
			return 1;
	return 0;
}

/* -- MTU, packet types, extended stats (E18, E19, E21) ----------------------------------------- */

#define MUT_PTYPES_ALL (RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK)

/* On receive: a frame longer than the MTU allows (the 14-byte header on top of the MTU: frames carry no FCS
 * here) is dropped and counted in ierrors; the others are classified (rte_net_get_ptype) for the layers the
 * application asked for with rte_eth_dev_set_ptypes. Returns how many frames remain in bufs. */
static uint16_t
mut_rx_checks(struct mut_queue *rxq, struct rte_mbuf **bufs, uint16_t n)
{
	const struct mut_priv *priv = rxq->data->dev_private;
	uint32_t max_len = (uint32_t)rxq->data->mtu + RTE_ETHER_HDR_LEN;
	uint16_t i, kept = 0;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = bufs[i];

		if (m->pkt_len > max_len) {
			rte_pktmbuf_free(m);
#ifndef MUT_MTU_DROPS_UNCOUNTED
			rxq->errors++; /* the mutant drops it without a trace */
#endif
			continue;
		}
#ifdef MUT_SCATTER_LIES
		/* advertises SCATTER but, like a NIC of one buffer per frame, drops what one rx buffer cannot hold */
		if (m->pkt_len > (uint32_t)rte_pktmbuf_data_room_size(rxq->mp) - RTE_PKTMBUF_HEADROOM) {
			rte_pktmbuf_free(m);
			rxq->errors++;
			continue;
		}
#endif
		m->packet_type = priv->ptype_mask == 0 ? RTE_PTYPE_UNKNOWN :
			rte_net_get_ptype(m, NULL, priv->ptype_mask);
#ifdef MUT_VLAN_PTYPE_L2
		/* reports a tagged frame as plain Ethernet while classifying its L3 and L4 */
		if ((m->packet_type & RTE_PTYPE_L2_MASK) == RTE_PTYPE_L2_ETHER_VLAN)
			m->packet_type = (m->packet_type & ~RTE_PTYPE_L2_MASK) | RTE_PTYPE_L2_ETHER;
#endif
		bufs[kept++] = m;
	}
	return kept;
}

#ifdef MUT_RX_OOB_WRITE
/* MUT_RX_OOB_WRITE: a table of the burst's frame lengths sized for 4 frames, written for every frame of a burst
 * (only the sanitizers see it: kit test --sanitize address; volatile: the stores are never read back) */
static volatile uint16_t mut_rx_lens[4];
#endif

static uint16_t
mut_rx(void *q, struct rte_mbuf **bufs, uint16_t n)
{
	struct mut_queue *rxq = q;
	unsigned int i, got;

	if (rxq->data->rx_queue_state[rxq->qid] != RTE_ETH_QUEUE_STATE_STARTED)
		return 0; /* a stopped queue moves nothing */
	got = rte_ring_sc_dequeue_burst(rxq->ring, (void **)bufs, n, NULL);
	got = mut_rx_checks(rxq, bufs, (uint16_t)got);
	if (got != 0)
		rxq->bursts++;
	for (i = 0; i < got; i++) {
		bufs[i]->port = rxq->port_id;
		mut_rx_offloads(rxq, bufs[i]);
#ifdef MUT_RX_OOB_WRITE
		mut_rx_lens[i] = bufs[i]->data_len;
#endif
#ifdef MUT_BAD_PKT_LEN
		bufs[i]->pkt_len = bufs[i]->data_len + 4;
#endif
		rxq->bytes += bufs[i]->pkt_len;
	}
	rxq->pkts += got;
	return got;
}

#ifdef MUT_SHARED_TX_SCRATCH
/* MUT_SHARED_TX_SCRATCH: tx bounces each burst's frame heads through one scratch area of the driver, shared by
 * every queue without a lock: queues sending from two lcores at once swap bytes of each other's frames. */
#define MUT_SCRATCH_HEAD 64
static uint8_t mut_scratch[32][MUT_SCRATCH_HEAD];

static void
mut_bounce(struct rte_mbuf **bufs, uint16_t n)
{
	uint16_t i, len;

	for (i = 0; i < n && i < 32; i++) {
		len = RTE_MIN(bufs[i]->data_len, (uint16_t)MUT_SCRATCH_HEAD);
		memcpy(mut_scratch[i], rte_pktmbuf_mtod(bufs[i], uint8_t *), len);
	}
	for (i = 0; i < n && i < 32; i++) {
		len = RTE_MIN(bufs[i]->data_len, (uint16_t)MUT_SCRATCH_HEAD);
		memcpy(rte_pktmbuf_mtod(bufs[i], uint8_t *), mut_scratch[i], len);
	}
}
#endif

/* RX interrupts (E29): after a tx burst put frames on the wire, each armed rx queue that now holds frames
 * fires once and is disarmed, as a NIC raises a completion queue's vector once per arming. */
static void
mut_rx_intr_raise(const struct rte_eth_dev_data *data)
{
	struct mut_priv *priv = data->dev_private;
	const struct rte_eth_dev *dev = &rte_eth_devices[data->port_id];
	uint64_t one = 1;
	uint16_t q;

	if (!data->dev_conf.intr_conf.rxq || dev->intr_handle == NULL)
		return; /* not asked for, or a secondary process (the eventfds are the primary's) */
	rte_smp_mb(); /* the frames are on the ring before the armed flags are read (enable: the reverse) */
	for (q = 0; q < data->nb_rx_queues; q++) {
		if (!__atomic_load_n(&priv->rx_armed[q], __ATOMIC_ACQUIRE) || rte_ring_count(priv->rings[q]) == 0 ||
		    !__atomic_exchange_n(&priv->rx_armed[q], 0, __ATOMIC_ACQ_REL))
			continue;
#ifdef MUT_RXQ_INTR_NEVER_FIRES
		RTE_SET_USED(one); /* disarms the queue and forgets the interrupt */
#else
		if (write(rte_intr_efds_index_get(dev->intr_handle, q), &one, sizeof(one)) != sizeof(one))
			/* USER1: DPDK 24.11 removed RTE_LOGTYPE_PMD */
			RTE_LOG(ERR, USER1, "mutant: cannot raise rx queue %u's interrupt\n", q);
#endif
	}
}

/* A sent mbuf the wire dropped goes back to its pool: by reference count, unless MBUF_FAST_FREE vouches for one. */
static void
mut_tx_drop(const struct mut_queue *txq, struct rte_mbuf *m)
{
	uint64_t offloads = txq->offloads | txq->data->dev_conf.txmode.offloads;

#ifdef MUT_FAST_FREE_ALWAYS
	/* takes the fast path whether or not the application enabled it: an mbuf still referenced goes back */
	offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
#endif
	if ((offloads & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE) && m->nb_segs == 1)
		rte_mempool_put(m->pool, m);
	else
		rte_pktmbuf_free(m);
}

static uint16_t
mut_tx(void *q, struct rte_mbuf **bufs, uint16_t n)
{
	struct mut_queue *txq = q;
	unsigned int i, sent;

	if (txq->data->tx_queue_state[txq->qid] != RTE_ETH_QUEUE_STATE_STARTED)
		return 0; /* a stopped queue takes nothing */
	txq->bursts++;
	if (txq->qid < txq->data->nb_rx_queues &&
	    txq->data->rx_queue_state[txq->qid] != RTE_ETH_QUEUE_STATE_STARTED) {
		/* the wire drops what arrives at a stopped rx queue */
		rte_pktmbuf_free_bulk(bufs, n);
		txq->pkts += n;
		return n;
	}
#ifdef MUT_CLEANUP_IGNORES_FREE_CNT
	/* a NIC that keeps sent mbufs until their completion is cleaned up (nothing reaches the ring) */
	sent = RTE_MIN(n, (unsigned int)(MUT_RING_SIZE - txq->nb_held));
	for (i = 0; i < sent; i++) {
		txq->held[txq->nb_held++] = bufs[i];
		txq->bytes += bufs[i]->pkt_len;
	}
	txq->pkts += sent;
	return sent;
#endif
#ifdef MUT_SEG_MAX_LIES
	/* advertises ethdev's default nb_seg_max (65535) but drops every chained mbuf it takes */
	for (i = 0; i < n; i++) {
		if (bufs[i]->nb_segs > 1) {
			rte_pktmbuf_free(bufs[i]);
			continue;
		}
		if (rte_ring_sp_enqueue(txq->ring, bufs[i]) != 0)
			break;
		txq->bytes += bufs[i]->pkt_len;
	}
	txq->pkts += i;
	return i;
#endif
#ifdef MUT_TX_LEAKS
	/* claims every other packet as sent but never queues nor frees it */
	unsigned int keep = 0;
	for (i = 0; i < n; i++) {
		if (i % 2 == 1)
			continue;
		bufs[keep++] = bufs[i];
	}
	sent = rte_ring_sp_enqueue_burst(txq->ring, (void **)bufs, keep, NULL);
	for (i = 0; i < sent; i++)
		txq->bytes += bufs[i]->pkt_len;
	txq->pkts += sent;
	return sent == keep ? n : sent;
#else
#ifdef MUT_SHARED_TX_SCRATCH
	mut_bounce(bufs, n);
#endif
	for (i = 0, sent = 0; i < n; i++) {
		if (!mut_accept(txq->data, bufs[i])) {
			txq->bytes += bufs[i]->pkt_len; /* on the wire, dropped by the filter */
			mut_tx_drop(txq, bufs[i]);
			continue;
		}
		mut_tx_offloads(bufs[i]);
		if (mut_wire_enqueue(txq, bufs[i]) != 0)
			break;
		sent++;
		txq->sent[txq->nb_sent++ % MUT_SENT_MEMORY] = bufs[i];
#ifdef MUT_CORRUPTS_PAYLOAD
		if (bufs[i]->data_len > 20)
			rte_pktmbuf_mtod(bufs[i], uint8_t *)[20] ^= 0xff;
#endif
		txq->bytes += bufs[i]->pkt_len;
	}
	txq->pkts += i; /* what went on the wire: queued for rx or dropped by its filter */
	if (sent != 0)
		mut_rx_intr_raise(txq->data);
	return i;
#endif
}

static void
mut_free_held(struct mut_queue *txq, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		rte_pktmbuf_free(txq->held[i]);
	memmove(txq->held, txq->held + count, (txq->nb_held - count) * sizeof(txq->held[0]));
	txq->nb_held -= count;
}

/* The wire (a ring the rx side reads) owns what tx sent: nothing is left to free. */
static int
mut_tx_done_cleanup(void *q, uint32_t free_cnt)
{
	struct mut_queue *txq = q;
	unsigned int i, n = 0;

#ifdef MUT_CLEANUP_IGNORES_FREE_CNT
	/* frees everything it holds, whatever free_cnt says */
	n = txq->nb_held;
	mut_free_held(txq, n);
	RTE_SET_USED(free_cnt);
#else
	/* at most free_cnt (0: all) of what it holds: nothing but MUT_CLEANUP_IGNORES_FREE_CNT holds anything */
	n = free_cnt == 0 ? txq->nb_held : RTE_MIN(free_cnt, txq->nb_held);
	mut_free_held(txq, n);
#endif
#ifdef MUT_CLEANUP_FREES_SENT
	/* frees mbufs long handed over (and freed by whoever received them): a double free */
	for (i = 0; i < RTE_MIN(txq->nb_sent, (unsigned int)MUT_SENT_MEMORY); i++, n++)
		rte_pktmbuf_free(txq->sent[i]);
#else
	RTE_SET_USED(i);
#endif
	txq->nb_sent = 0;
	return (int)n;
}

/* -- control path ------------------------------------------------------------------------------ */

static int
mut_configure(struct rte_eth_dev *dev)
{
	struct mut_priv *mp = dev->data->dev_private;
	const struct rte_eth_conf *conf = &dev->data->dev_conf;

	if (conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) {
		if (conf->rx_adv_conf.rss_conf.rss_key != NULL) {
			if (conf->rx_adv_conf.rss_conf.rss_key_len != MUT_RSS_KEY_SIZE)
				return -EINVAL;
			memcpy(mp->rss_key, conf->rx_adv_conf.rss_conf.rss_key, MUT_RSS_KEY_SIZE);
		}
		mp->rss_hf = conf->rx_adv_conf.rss_conf.rss_hf;
	}
	if ((conf->rxmode.offloads & RTE_ETH_RX_OFFLOAD_TIMESTAMP) && mp->ts_offset < 0 &&
	    rte_mbuf_dyn_rx_timestamp_register(&mp->ts_offset, &mp->ts_flag) != 0)
		return -rte_errno;
#ifdef MUT_CONFIGURE_LIMIT
	/* advertises max_rx_queues but refuses more than half of it */
	struct mut_priv *priv = dev->data->dev_private;
	if (dev->data->nb_rx_queues > priv->max_queues / 2)
		return -EINVAL;
#else
	RTE_SET_USED(dev);
#endif
	return 0;
}

static int
mut_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct mut_priv *priv = dev->data->dev_private;

	priv->info_calls++;
	info->max_mac_addrs = MUT_MAC_ADDRS;
	info->max_rx_pktlen = 9618;
#ifdef MUT_BAD_DEV_INFO
	info->max_rx_pktlen = 1024; /* below the 1518 bytes the default MTU needs */
#endif
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = 9600;
	info->max_rx_queues = priv->max_queues;
	info->max_tx_queues = priv->max_queues;
#ifdef MUT_INFO_SIDE_EFFECT
	/* what it reports depends on how often it was asked */
	info->max_rx_queues = (uint16_t)(priv->max_queues - priv->info_calls % 2);
#endif
	info->min_rx_bufsize = 256;
	info->rx_desc_lim.nb_max = MUT_RING_SIZE;
	info->rx_desc_lim.nb_min = 32;
	info->rx_desc_lim.nb_align = 32;
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxportconf.ring_size = 256;
	info->default_txportconf.ring_size = 256;
	info->rx_offload_capa = MUT_RX_OFFLOADS;
	info->tx_offload_capa = MUT_TX_OFFLOADS;
	info->flow_type_rss_offloads = MUT_RSS_HF;
	info->hash_key_size = MUT_RSS_KEY_SIZE;
	return 0;
}

static struct mut_queue *
mut_queue_new(struct rte_eth_dev *dev, uint16_t qid, int socket_id)
{
	struct mut_queue *q = rte_zmalloc_socket("mut_queue", sizeof(*q), RTE_CACHE_LINE_SIZE, socket_id);

	if (q == NULL)
		return NULL;
	q->ring = ((struct mut_priv *)dev->data->dev_private)->rings[qid];
	q->data = dev->data;
	q->port_id = dev->data->port_id;
	q->qid = qid;
	return q;
}

static int
mut_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc, unsigned int socket_id,
		   const struct rte_eth_rxconf *conf, struct rte_mempool *mp)
{
	struct mut_queue *q;

	if (rte_pktmbuf_data_room_size(mp) < RTE_PKTMBUF_HEADROOM + 256)
		return -EINVAL;
#ifdef MUT_ALIGN_LIES
	/* advertises nb_align 32 but its ring only takes powers of 2 */
	if (!rte_is_power_of_2(nb_desc))
		return -EINVAL;
#endif
	q = mut_queue_new(dev, qid, (int)socket_id);
	if (q == NULL)
		return -ENOMEM;
	q->mp = mp;
	q->nb_desc = nb_desc;
	q->deferred_start = conf->rx_deferred_start;
	q->offloads = conf->offloads;
	dev->data->rx_queues[qid] = q;
	return 0;
}

static int
mut_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc, unsigned int socket_id,
		   const struct rte_eth_txconf *conf)
{
	struct mut_queue *q;

	q = mut_queue_new(dev, qid, (int)socket_id);
	if (q == NULL)
		return -ENOMEM;
	q->nb_desc = nb_desc;
	q->deferred_start = conf->tx_deferred_start;
	q->offloads = conf->offloads;
	dev->data->tx_queues[qid] = q;
	return 0;
}

static void
mut_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
#ifndef MUT_QUEUE_RESETUP_LEAKS
	rte_free(dev->data->rx_queues[qid]);
#endif
	dev->data->rx_queues[qid] = NULL;
}

static void
mut_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mut_queue *txq = dev->data->tx_queues[qid];

	if (txq != NULL)
		mut_free_held(txq, txq->nb_held);
	rte_free(txq);
	dev->data->tx_queues[qid] = NULL;
}

#ifdef MUT_LATE_DMA
/* MUT_LATE_DMA: each rx queue posts one buffer at start; stop frees it at once although the "NIC" still has a
 * write to it in flight, which lands 20 ms later (an alarm): a late DMA into a buffer the pool gave to others. */
#include <rte_alarm.h>

static void
mut_late_dma(void *arg)
{
	struct rte_mbuf *m = arg;

	memset((uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM, 0x5a, 64);
}

static void
mut_post_buffers(struct rte_eth_dev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct mut_queue *rxq = dev->data->rx_queues[q];

		if (rxq != NULL && rxq->posted == NULL)
			rxq->posted = rte_pktmbuf_alloc(rxq->mp);
	}
}

static void
mut_free_posted_early(struct rte_eth_dev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct mut_queue *rxq = dev->data->rx_queues[q];

		if (rxq == NULL || rxq->posted == NULL)
			continue;
		rte_pktmbuf_free(rxq->posted);
		rte_eal_alarm_set(20 * 1000, mut_late_dma, rxq->posted);
		rxq->posted = NULL;
	}
}
#endif

/* -- interrupts (E29) ------------------------------------------------------------------------- */

/* The handle a NIC's MSI-X vectors would give: its fd is the link vector, its efds the rx queues' vectors
 * (VDEV type, 8-byte eventfd counters that EAL reads when one wakes rte_epoll_wait). Process-local: the
 * primary's. */
static void
mut_intr_free(struct rte_eth_dev *dev)
{
	struct rte_intr_handle *h = dev->intr_handle;
	int i;

	if (h == NULL)
		return;
	if (rte_intr_fd_get(h) >= 0)
		close(rte_intr_fd_get(h));
	for (i = 0; i < rte_intr_nb_efd_get(h); i++)
		close(rte_intr_efds_index_get(h, i));
	rte_intr_instance_free(h);
	dev->intr_handle = NULL;
}

static int
mut_intr_init(struct rte_eth_dev *dev, uint16_t nb_queues)
{
	struct rte_intr_handle *h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	uint16_t q;
	int fd;

	if (h == NULL)
		return -ENOMEM;
	dev->intr_handle = h;
	/* a new handle's fd is 0, not "none": mut_intr_free must not close stdin */
	if (rte_intr_fd_set(h, -1) != 0 || rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
	    rte_intr_efd_counter_size_set(h, sizeof(uint64_t)) != 0)
		goto fail;
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0 || rte_intr_fd_set(h, fd) != 0)
		goto fail_fd;
	for (q = 0; q < nb_queues; q++) {
		fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fd < 0 || rte_intr_efds_index_set(h, q, fd) != 0 || rte_intr_nb_efd_set(h, q + 1) != 0)
			goto fail_fd;
	}
	if (rte_intr_max_intr_set(h, nb_queues + 1) != 0)
		goto fail;
	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC;
	return 0;
fail_fd:
	if (fd >= 0)
		close(fd); /* not counted in the handle yet */
fail:
	mut_intr_free(dev);
	return -ENOMEM;
}

/* The link vector fired (EAL's interrupt thread): take the event, set the link and tell the application. */
static void
mut_lsc_handler(void *arg)
{
	struct rte_eth_dev *dev = arg;
	const struct mut_priv *priv = dev->data->dev_private;
	struct rte_eth_link link = mut_link_down;
	uint64_t n;

	if (read(rte_intr_fd_get(dev->intr_handle), &n, sizeof(n)) < 0)
		return; /* nothing pending */
	link.link_status = dev->data->dev_started && !priv->phy_off ? RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN;
#ifdef MUT_LSC_EVENT_BEFORE_LINK
	/* tells the application before it stores the new status: the callback reads the old one */
	if (dev->data->dev_link.link_status != link.link_status)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
	rte_eth_linkstatus_set(dev, &link);
	return;
#endif
	if (rte_eth_linkstatus_set(dev, &link) == 0) /* 0: the status changed */
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

/* rte_eth_dev_set_link_down/up: the link goes off or on; with intr_conf.lsc, through the link vector */
static int
mut_set_link(struct rte_eth_dev *dev, int on)
{
	struct mut_priv *priv = dev->data->dev_private;
	uint64_t one = 1;

	priv->phy_off = !on;
#ifndef MUT_LSC_NO_EVENT
	if (dev->data->dev_conf.intr_conf.lsc && dev->intr_handle != NULL)
		return write(rte_intr_fd_get(dev->intr_handle), &one, sizeof(one)) == sizeof(one) ? 0 : -errno;
#else
	RTE_SET_USED(one); /* advertises LSC and changes the link, but never raises the link vector */
#endif
	dev->data->dev_link.link_status = on && dev->data->dev_started ? RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN;
	return 0;
}

static int
mut_set_link_up(struct rte_eth_dev *dev)
{
	return mut_set_link(dev, 1);
}

static int
mut_set_link_down(struct rte_eth_dev *dev)
{
	return mut_set_link(dev, 0);
}

/* Arm: the next frame on the queue fires, or at once if frames wait (the caller would sleep over them). */
static int
mut_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mut_priv *priv = dev->data->dev_private;

	__atomic_store_n(&priv->rx_armed[qid], 1, __ATOMIC_SEQ_CST);
	rte_smp_mb(); /* armed before the ring is looked at (tx: the reverse) */
	if (rte_ring_count(priv->rings[qid]) != 0)
		mut_rx_intr_raise(dev->data);
	return 0;
}

static int
mut_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mut_priv *priv = dev->data->dev_private;

	__atomic_store_n(&priv->rx_armed[qid], 0, __ATOMIC_RELEASE);
	return 0;
}

/* At start, what intr_conf asks for: the link vector's handler, the queue-to-vector list of
 * rte_eth_dev_rx_intr_ctl_q. */
static int
mut_intr_start(struct rte_eth_dev *dev)
{
	struct mut_priv *priv = dev->data->dev_private;
	struct rte_intr_handle *h = dev->intr_handle;
	uint16_t q;

	if (h == NULL)
		return 0;
	if (dev->data->dev_conf.intr_conf.lsc && !priv->lsc_registered) {
		if (rte_intr_callback_register(h, mut_lsc_handler, dev) != 0)
			return -EIO;
		priv->lsc_registered = 1;
	}
	if (dev->data->dev_conf.intr_conf.rxq) {
		if (dev->data->nb_rx_queues > rte_intr_nb_efd_get(h) ||
		    rte_intr_vec_list_alloc(h, "mut_intr_vec", dev->data->nb_rx_queues) != 0)
			return -EINVAL;
		for (q = 0; q < dev->data->nb_rx_queues; q++)
			rte_intr_vec_list_index_set(h, q, RTE_INTR_VEC_RXTX_OFFSET + q);
	}
	return 0;
}

static void
mut_intr_stop(struct rte_eth_dev *dev)
{
	struct mut_priv *priv = dev->data->dev_private;
	uint16_t q;

	for (q = 0; q < MUT_MAX_QUEUES; q++)
		__atomic_store_n(&priv->rx_armed[q], 0, __ATOMIC_RELEASE);
	if (dev->intr_handle != NULL)
		rte_intr_vec_list_free(dev->intr_handle);
}

static int
mut_start(struct rte_eth_dev *dev)
{
	uint16_t q;
	int ret;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct mut_queue *rxq = dev->data->rx_queues[q];
		dev->data->rx_queue_state[q] = rxq != NULL && rxq->deferred_start ?
			RTE_ETH_QUEUE_STATE_STOPPED : RTE_ETH_QUEUE_STATE_STARTED;
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct mut_queue *txq = dev->data->tx_queues[q];
		dev->data->tx_queue_state[q] = txq != NULL && txq->deferred_start ?
			RTE_ETH_QUEUE_STATE_STOPPED : RTE_ETH_QUEUE_STATE_STARTED;
	}
#ifdef MUT_IGNORES_DEFERRED_START
	/* starts every queue, deferred or not */
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
#endif
#ifdef MUT_RESETS_AT_START
	/* puts the port back to its probe-time settings at every start */
	dev->data->promiscuous = 0;
	dev->data->mtu = RTE_ETHER_MTU;
#endif
#ifdef MUT_LATE_DMA
	mut_post_buffers(dev);
#endif
	((struct mut_priv *)dev->data->dev_private)->phy_off = 0; /* a port starts with its link on, whatever set_link_down did */
	ret = mut_intr_start(dev);
	if (ret != 0)
		return ret;
	dev->data->dev_link.link_status = RTE_ETH_LINK_UP;
	return 0;
}

static int
mut_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

/* A stopped rx queue gives back what waits for it (the frames on its ring). */
static int
mut_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mut_queue *rxq = dev->data->rx_queues[qid];
	struct rte_mbuf *m;

	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	while (rte_ring_sc_dequeue(rxq->ring, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	return 0;
}

static int
mut_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

static int
mut_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mut_queue *txq = dev->data->tx_queues[qid];

	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	mut_free_held(txq, txq->nb_held);
	return 0;
}

static void
mut_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_rxq_info *qinfo)
{
	const struct mut_queue *rxq = dev->data->rx_queues[qid];

	qinfo->mp = rxq->mp;
	qinfo->nb_desc = rxq->nb_desc;
#ifdef MUT_WRONG_QINFO_NB_DESC
	qinfo->nb_desc = MUT_RING_SIZE; /* the ring's size, not what was configured */
#endif
	qinfo->conf.rx_deferred_start = rxq->deferred_start;
	qinfo->conf.offloads = rxq->offloads;
	qinfo->rx_buf_size = (uint16_t)(rte_pktmbuf_data_room_size(rxq->mp) - RTE_PKTMBUF_HEADROOM);
}

static void
mut_txq_info_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_txq_info *qinfo)
{
	const struct mut_queue *txq = dev->data->tx_queues[qid];

	qinfo->nb_desc = txq->nb_desc;
	qinfo->conf.tx_deferred_start = txq->deferred_start;
	qinfo->conf.offloads = txq->offloads;
}

/* rx: the frames waiting on the ring fill the first descriptors */
/* DPDK 25.11: the callback returns int instead of uint32_t */
#if RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0)
static int
#else
static uint32_t
#endif
mut_rx_queue_count(void *q)
{
	const struct mut_queue *rxq = q;

#ifdef MUT_RX_COUNT_ZERO
	RTE_SET_USED(rxq);
	return 0;
#else
	return RTE_MIN(rte_ring_count(rxq->ring), (unsigned int)rxq->nb_desc);
#endif
}

static int
mut_rx_descriptor_status(void *q, uint16_t offset)
{
	const struct mut_queue *rxq = q;

	if (offset >= rxq->nb_desc)
		return -EINVAL;
	return offset < rte_ring_count(rxq->ring) ? RTE_ETH_RX_DESC_DONE : RTE_ETH_RX_DESC_AVAIL;
}

/* tx: the wire takes every frame at once, so every descriptor is done */
static int
mut_tx_descriptor_status(void *q, uint16_t offset)
{
	const struct mut_queue *txq = q;

	return offset >= txq->nb_desc ? -EINVAL : RTE_ETH_TX_DESC_DONE;
}

static int
mut_stop(struct rte_eth_dev *dev)
{
	uint16_t q;

#ifdef MUT_LATE_DMA
	mut_free_posted_early(dev);
#endif
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	mut_intr_stop(dev);
#ifndef MUT_LINK_STAYS_UP
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
#endif
	return 0;
}

static int
mut_close(struct rte_eth_dev *dev)
{
	struct mut_priv *priv = dev->data->dev_private;
	struct rte_mbuf *m;
	uint16_t q;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
#ifndef MUT_CLOSE_KEEPS_QUEUES
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		mut_rx_queue_release(dev, q);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		mut_tx_queue_release(dev, q);
	for (q = 0; q < MUT_MAX_QUEUES; q++) {
		if (priv->rings[q] == NULL)
			continue;
		while (rte_ring_sc_dequeue(priv->rings[q], (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(priv->rings[q]);
		priv->rings[q] = NULL;
	}
#else
	RTE_SET_USED(priv);
	RTE_SET_USED(m);
	RTE_SET_USED(q);
#endif
	/* -EAGAIN while the handler runs */
	while (priv->lsc_registered && dev->intr_handle != NULL &&
	       rte_intr_callback_unregister(dev->intr_handle, mut_lsc_handler, dev) == -EAGAIN)
		rte_delay_us_sleep(1000);
	priv->lsc_registered = 0;
	mut_intr_free(dev);
#ifndef MUT_MAC_IN_PRIVATE
	dev->data->mac_addrs = NULL; /* it points into dev_private, which the core frees */
#endif
	return 0;
}

static int
mut_link_update(struct rte_eth_dev *dev, int wait)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(wait);
	return 0;
}

/* DPDK 25.11 moved the per-queue counters out of rte_eth_stats into a separate argument (NULL: not wanted). */
#if RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0)
typedef struct eth_queue_stats mut_queue_stats_t;
#else
typedef struct rte_eth_stats mut_queue_stats_t;
#endif

static int
mut_stats_fill(struct rte_eth_dev *dev, struct rte_eth_stats *stats, mut_queue_stats_t *qs)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct mut_queue *rxq = dev->data->rx_queues[q];
		if (rxq == NULL)
			continue;
		stats->ipackets += rxq->pkts;
		stats->ibytes += rxq->bytes;
		stats->ierrors += rxq->errors;
		if (qs != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_ipackets[q] = rxq->pkts;
			qs->q_ibytes[q] = rxq->bytes;
#ifdef MUT_QBYTES_WITH_CRC
			qs->q_ibytes[q] += RTE_ETHER_CRC_LEN * rxq->pkts; /* ibytes has no CRC, q_ibytes has */
#endif
			qs->q_errors[q] = rxq->errors;
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct mut_queue *txq = dev->data->tx_queues[q];
		if (txq == NULL)
			continue;
		stats->opackets += txq->pkts;
		stats->obytes += txq->bytes;
		if (qs != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_opackets[q] = txq->pkts;
			qs->q_obytes[q] = txq->bytes;
		}
	}
	return 0;
}

#if RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0)
static int
mut_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats, struct eth_queue_stats *qs)
{
	return mut_stats_fill(dev, stats, qs);
}
#else
static int
mut_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	return mut_stats_fill(dev, stats, stats);
}
#endif

static int
mut_stats_reset(struct rte_eth_dev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct mut_queue *rxq = dev->data->rx_queues[q];
		if (rxq != NULL)
			rxq->pkts = rxq->bytes = rxq->errors = rxq->bursts = 0;
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct mut_queue *txq = dev->data->tx_queues[q];
		if (txq == NULL)
			continue;
		txq->pkts = 0;
#ifndef MUT_XSTATS_RESET_KEEPS
		txq->bursts = 0; /* the mutant's xstat tx_bursts survives a reset */
#endif
#ifndef MUT_STATS_WRONG
		txq->bytes = 0; /* the mutant forgets the tx byte counter */
#endif
	}
	return 0;
}

static int
mut_promiscuous(struct rte_eth_dev *dev)
{
	RTE_SET_USED(dev);
	return 0;
}

static int
mut_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	RTE_SET_USED(dev);
#ifdef MUT_MTU_RANGE
	if (mtu > RTE_ETHER_MTU)
		return -EINVAL; /* advertises max_mtu 9600 but refuses jumbo MTUs */
#else
	RTE_SET_USED(mtu);
#endif
	return 0;
}

static int
mut_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *conf)
{
	struct mut_priv *priv = dev->data->dev_private;

	if (conf->rss_key != NULL) {
		if (conf->rss_key_len != MUT_RSS_KEY_SIZE)
			return -EINVAL;
		memcpy(priv->rss_key, conf->rss_key, MUT_RSS_KEY_SIZE);
	}
	priv->rss_hf = conf->rss_hf;
	return 0;
}

static int
mut_rss_hash_conf_get(struct rte_eth_dev *dev, struct rte_eth_rss_conf *conf)
{
	const struct mut_priv *priv = dev->data->dev_private;

	if (conf->rss_key != NULL) {
		if (conf->rss_key_len < MUT_RSS_KEY_SIZE)
			return -EINVAL;
		memcpy(conf->rss_key, priv->rss_key, MUT_RSS_KEY_SIZE);
	}
	conf->rss_key_len = MUT_RSS_KEY_SIZE;
	conf->rss_hf = priv->rss_hf;
	return 0;
}

/* What rte_net_get_ptype tells apart (not ICMP: DPDK 22.11 leaves its L4 unknown), classified on receive */
/* DPDK 24.03 added the length argument; before, ethdev read up to the RTE_PTYPE_UNKNOWN terminator */
static const uint32_t *
#if RTE_VERSION >= RTE_VERSION_NUM(24, 3, 0, 0)
mut_supported_ptypes(struct rte_eth_dev *dev, size_t *no_of_elements)
#else
mut_supported_ptypes(struct rte_eth_dev *dev)
#endif
{
	static const uint32_t ptypes[] = {
		RTE_PTYPE_L2_ETHER, RTE_PTYPE_L2_ETHER_VLAN, RTE_PTYPE_L2_ETHER_QINQ,
		RTE_PTYPE_L3_IPV4, RTE_PTYPE_L3_IPV4_EXT, RTE_PTYPE_L3_IPV6, RTE_PTYPE_L3_IPV6_EXT,
		RTE_PTYPE_L4_TCP, RTE_PTYPE_L4_UDP, RTE_PTYPE_L4_SCTP, RTE_PTYPE_L4_FRAG,
		RTE_PTYPE_UNKNOWN,
	};

	RTE_SET_USED(dev);
#if RTE_VERSION >= RTE_VERSION_NUM(24, 3, 0, 0)
	*no_of_elements = RTE_DIM(ptypes) - 1;
#endif
	return ptypes;
}

/* rte_net_get_ptype stops at the first layer not asked for */
static int
mut_ptypes_set(struct rte_eth_dev *dev, uint32_t mask)
{
	struct mut_priv *priv = dev->data->dev_private;

	priv->ptype_mask = mask & MUT_PTYPES_ALL;
	return 0;
}

#define MUT_NB_XSTATS 3
static const char *const mut_xstat_names[MUT_NB_XSTATS] = {
	"rx_oversize_errors",
	"rx_nonempty_bursts",
#ifdef MUT_DUP_XSTAT_NAME
	"rx_nonempty_bursts", /* two counters under one name */
#else
	"tx_bursts",
#endif
};

static int
mut_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats, unsigned int n)
{
	uint64_t v[MUT_NB_XSTATS] = {0};
	unsigned int i;
	uint16_t q;

	if (xstats == NULL || n < MUT_NB_XSTATS)
		return MUT_NB_XSTATS;
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct mut_queue *rxq = dev->data->rx_queues[q];
		if (rxq != NULL) {
			v[0] += rxq->errors;
			v[1] += rxq->bursts;
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct mut_queue *txq = dev->data->tx_queues[q];
		if (txq != NULL)
			v[2] += txq->bursts;
	}
	for (i = 0; i < MUT_NB_XSTATS; i++) {
		xstats[i].id = i;
		xstats[i].value = v[i];
	}
	return MUT_NB_XSTATS;
}

static int
mut_xstats_get_names(struct rte_eth_dev *dev, struct rte_eth_xstat_name *names, unsigned int n)
{
	unsigned int i;

	RTE_SET_USED(dev);
	if (names == NULL || n < MUT_NB_XSTATS)
		return MUT_NB_XSTATS;
	for (i = 0; i < MUT_NB_XSTATS; i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s", mut_xstat_names[i]);
	return MUT_NB_XSTATS;
}

/* The filter reads dev->data->mac_addrs, where ethdev keeps what was added and clears what was removed. */
static int
mut_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *addr, uint32_t index, uint32_t pool)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(addr);
	RTE_SET_USED(pool);
	return index < MUT_MAC_ADDRS ? 0 : -EINVAL;
}

static void
mut_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(index);
}

static int
mut_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list, uint32_t n)
{
	struct mut_priv *priv = dev->data->dev_private;

	if (n > MUT_MC_ADDRS)
		return -ENOSPC;
#ifdef MUT_MC_LIST_IGNORED
	return 0; /* accepts the list and filters as if it were empty */
#endif
	if (n != 0)
		memcpy(priv->mc, list, n * sizeof(*list));
	priv->nb_mc = n;
	return 0;
}

static const struct eth_dev_ops mut_ops = {
	.dev_configure = mut_configure,
	.dev_infos_get = mut_infos_get,
	.dev_start = mut_start,
	.dev_stop = mut_stop,
	.dev_close = mut_close,
	.rx_queue_setup = mut_rx_queue_setup,
	.tx_queue_setup = mut_tx_queue_setup,
	.rx_queue_release = mut_rx_queue_release,
	.tx_queue_release = mut_tx_queue_release,
	.tx_done_cleanup = mut_tx_done_cleanup,
	.rx_queue_start = mut_rx_queue_start,
	.rx_queue_stop = mut_rx_queue_stop,
	.tx_queue_start = mut_tx_queue_start,
	.tx_queue_stop = mut_tx_queue_stop,
	.rxq_info_get = mut_rxq_info_get,
	.txq_info_get = mut_txq_info_get,
#ifndef MUT_MISSING_LINK_UPDATE
	.link_update = mut_link_update,
#endif
	.stats_get = mut_stats_get,
	.stats_reset = mut_stats_reset,
	.promiscuous_enable = mut_promiscuous,
	.promiscuous_disable = mut_promiscuous,
	.allmulticast_enable = mut_promiscuous,
	.allmulticast_disable = mut_promiscuous,
	.mtu_set = mut_mtu_set,
	.mac_addr_add = mut_mac_addr_add,
	.mac_addr_remove = mut_mac_addr_remove,
	.set_mc_addr_list = mut_set_mc_addr_list,
	.xstats_get = mut_xstats_get,
	.xstats_get_names = mut_xstats_get_names,
	.xstats_reset = mut_stats_reset,
	.dev_supported_ptypes_get = mut_supported_ptypes,
	.dev_ptypes_set = mut_ptypes_set,
	.rss_hash_update = mut_rss_hash_update,
	.rss_hash_conf_get = mut_rss_hash_conf_get,
	.dev_set_link_up = mut_set_link_up,
	.dev_set_link_down = mut_set_link_down,
	.rx_queue_intr_enable = mut_rx_queue_intr_enable,
	.rx_queue_intr_disable = mut_rx_queue_intr_disable,
};

/* -- probe / remove ---------------------------------------------------------------------------- */

static int
mut_queues_arg(const char *key, const char *value, void *opaque)
{
	char *end;
	unsigned long n = strtoul(value, &end, 0);

	RTE_SET_USED(key);
	if (*value == '\0' || *end != '\0' || n < 1 || n > MUT_MAX_QUEUES)
		return -EINVAL;
	*(uint16_t *)opaque = (uint16_t)n;
	return 0;
}

/* A secondary process (E27) attaches to the port the primary created: the port data, its private data, queues
 * and rings are all in shared memory; only the process-local ops and burst functions are set here. */
static int
mut_attach_secondary(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev = rte_eth_dev_attach_secondary(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return -ENODEV;
	dev->dev_ops = &mut_ops;
	dev->device = &vdev->device;
#ifndef MUT_SECONDARY_NO_BURST
	dev->rx_pkt_burst = mut_rx;
	dev->tx_pkt_burst = mut_tx;
#endif
	dev->rx_queue_count = mut_rx_queue_count;
	dev->rx_descriptor_status = mut_rx_descriptor_status;
	dev->tx_descriptor_status = mut_tx_descriptor_status;
	rte_eth_dev_probing_finish(dev);
	return 0;
}

static int
mut_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const char *params = rte_vdev_device_args(vdev);
	uint16_t max_queues = 8;
	char ring_name[RTE_RING_NAMESIZE];
	struct rte_eth_dev *dev;
	struct mut_priv *priv;
	uint16_t q;

	if (rte_eal_process_type() == RTE_PROC_SECONDARY)
		return mut_attach_secondary(vdev);
	if (params != NULL && params[0] != '\0') {
#ifdef MUT_ACCEPTS_UNKNOWN_DEVARG
		struct rte_kvargs *kv = rte_kvargs_parse(params, NULL);
#else
		struct rte_kvargs *kv = rte_kvargs_parse(params, mut_valid_args);
#endif
		if (kv == NULL)
			return -EINVAL;
		if (rte_kvargs_process(kv, MUT_QUEUES_ARG, mut_queues_arg, &max_queues) < 0) {
			rte_kvargs_free(kv);
			return -EINVAL;
		}
		rte_kvargs_free(kv);
	}
#ifdef MUT_WRONG_PORT_NAME
	char wrong[RTE_ETH_NAME_MAX_LEN];
	snprintf(wrong, sizeof(wrong), "%s_port", name);
	name = wrong;
#endif
	dev = rte_eth_vdev_allocate(vdev, sizeof(*priv));
	if (dev == NULL)
		return -ENOMEM;
#ifdef MUT_WRONG_PORT_NAME
	snprintf(dev->data->name, sizeof(dev->data->name), "%s", name);
#endif
	priv = dev->data->dev_private;
	priv->max_queues = max_queues;
	priv->ptype_mask = MUT_PTYPES_ALL;
	memcpy(priv->rss_key, mut_default_rss_key, MUT_RSS_KEY_SIZE);
	priv->ts_offset = -1;
	rte_eth_random_addr(priv->mac[0].addr_bytes);
#ifdef MUT_MULTICAST_MAC
	priv->mac[0].addr_bytes[0] |= 0x01; /* the group bit: not a unicast address */
#endif
	if (mut_intr_init(dev, max_queues) != 0) {
		rte_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	for (q = 0; q < max_queues; q++) {
		snprintf(ring_name, sizeof(ring_name), "mutr%u_%u", dev->data->port_id, q);
		priv->rings[q] = rte_ring_create(ring_name, MUT_RING_SIZE, (int)rte_socket_id(),
						 RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (priv->rings[q] == NULL) {
			while (q-- > 0)
				rte_ring_free(priv->rings[q]);
			mut_intr_free(dev);
			rte_eth_dev_release_port(dev);
			return -ENOMEM;
		}
	}
	dev->data->mac_addrs = priv->mac;
	dev->data->dev_link = mut_link_down;
	/* its q_* counters as rx_qN_* / tx_qN_* xstats: from DPDK 25.11 on the only way applications see them */
	dev->data->dev_flags |= RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	dev->dev_ops = &mut_ops;
	dev->rx_pkt_burst = mut_rx;
	dev->tx_pkt_burst = mut_tx;
	dev->rx_queue_count = mut_rx_queue_count;
	dev->rx_descriptor_status = mut_rx_descriptor_status;
	dev->tx_descriptor_status = mut_tx_descriptor_status;
	rte_eth_dev_probing_finish(dev);
	return 0;
}

static int
mut_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return 0; /* already closed and released */
#ifdef MUT_REMOVE_KEEPS_PORT
	return 0; /* neither closes nor releases the port */
#endif
	if (dev->data->dev_started)
		rte_eth_dev_stop(dev->data->port_id);
	return rte_eth_dev_close(dev->data->port_id);
}

static struct rte_vdev_driver mut_drv = {
	.probe = mut_probe,
	.remove = mut_remove,
};

/* The registration macros paste their argument: expand MUT_DRV_NAME first. */
#define MUT_REGISTER(nm, drv) RTE_PMD_REGISTER_VDEV(nm, drv)
#define MUT_PARAM_STRING(nm, str) RTE_PMD_REGISTER_PARAM_STRING(nm, str)
MUT_REGISTER(MUT_DRV_NAME, mut_drv);
MUT_PARAM_STRING(MUT_DRV_NAME, MUT_PARAMS);
