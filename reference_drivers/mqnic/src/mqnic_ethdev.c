/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * Bus-agnostic core of the mqnic PMD: probe-time init and the ethdev ops
 * (the datapath is mqnic_rxtx.c), over a BAR0 laid out as in REGISTERS.md.
 * The PCI front end hands it the mapped BAR; the sim front end hands it the
 * register space of the in-process model. Both run this same object code.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ethdev_driver.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_io.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_net.h>

#include "mqnic.h"
#include "mqnic_compat.h"
#include "mqnic_rxtx.h"

/* The log type name comes from the build (-DRTE_LOG_DEFAULT_LOGTYPE). */
RTE_LOG_REGISTER_DEFAULT(mqnic_logtype, NOTICE);

/* How long a PTP clock command may take the NIC (it takes ns on hardware). */
#define MQNIC_PTP_CMD_WAIT_US	10000
/* Ethernet header plus one VLAN tag on top of the MTU (REGISTERS.md, MTU). */
#define MQNIC_FRAME_OVERHEAD	(RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN)
#define MQNIC_RING_ALIGN	4096
/* How long a stop waits for the NIC to finish with a queue, polling. */
#define MQNIC_IDLE_WAIT_US	100000
#define MQNIC_IDLE_POLL_US	100


#define MQNIC_RX_CSUM_OFFLOADS (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | \
	RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM)
#define MQNIC_TX_CSUM_OFFLOADS (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | \
	RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM)

#define MQNIC_RSS_OFFLOAD_ALL ( \
	RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_TCP | \
	RTE_ETH_RSS_NONFRAG_IPV4_UDP | RTE_ETH_RSS_IPV6 | \
	RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_NONFRAG_IPV6_UDP)

/* The default key of Microsoft's RSS specification, used by most NICs. */
static const uint8_t mqnic_default_rss_key[MQNIC_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static const struct {
	uint64_t rss_hf;
	uint32_t type;
} mqnic_rss_map[] = {
	{ RTE_ETH_RSS_IPV4, MQNIC_RSS_IPV4 },
	{ RTE_ETH_RSS_NONFRAG_IPV4_TCP, MQNIC_RSS_TCP_IPV4 },
	{ RTE_ETH_RSS_NONFRAG_IPV4_UDP, MQNIC_RSS_UDP_IPV4 },
	{ RTE_ETH_RSS_IPV6, MQNIC_RSS_IPV6 },
	{ RTE_ETH_RSS_NONFRAG_IPV6_TCP, MQNIC_RSS_TCP_IPV6 },
	{ RTE_ETH_RSS_NONFRAG_IPV6_UDP, MQNIC_RSS_UDP_IPV6 },
};


static const char * const mqnic_cnt_names[MQNIC_CNT_NUM] = {
	[MQNIC_CNT_RX_FRAMES] = "rx_hw_frames",
	[MQNIC_CNT_RX_BYTES] = "rx_hw_bytes",
	[MQNIC_CNT_TX_FRAMES] = "tx_hw_frames",
	[MQNIC_CNT_TX_BYTES] = "tx_hw_bytes",
	[MQNIC_CNT_RX_NO_DESC] = "rx_no_desc_drops",
	[MQNIC_CNT_RX_CQ_FULL] = "rx_cq_full_drops",
	[MQNIC_CNT_RX_TOO_LONG] = "rx_too_long_drops",
	[MQNIC_CNT_RX_FILTERED] = "rx_filtered_drops",
	[MQNIC_CNT_DMA_ERRORS] = "dma_errors",
	[MQNIC_CNT_LINK_DOWN_DROPS] = "link_down_drops",
	[MQNIC_CNT_TX_BAD_DESC] = "tx_bad_desc",
	[MQNIC_CNT_LINK_IRQS] = "link_irqs",
};

static uint64_t
mqnic_read_cnt(const struct mqnic_priv *priv, unsigned int i)
{
	return rte_read64(priv->bar0 + MQNIC_IF_REG_CNT + 8 * i);
}

/*
 * PCIe traffic (REGISTERS.md, "Counting MMIO" and "Queue transfer
 * counters"), as xstats: port totals first, under names any driver may
 * export (`kit bench` reports them per packet), then per queue: the core's
 * register accesses by register, and what the NIC moved for the queue.
 */
enum mqnic_pcie_xstat {
	MQNIC_PCIE_MMIO_RD,
	MQNIC_PCIE_MMIO_WR,
	MQNIC_PCIE_DMA_RD,
	MQNIC_PCIE_DMA_RD_BYTES,
	MQNIC_PCIE_DMA_WR,
	MQNIC_PCIE_DMA_WR_BYTES,
	MQNIC_PCIE_IRQS,
	MQNIC_PCIE_DOORBELLS_SEEN,
	MQNIC_PCIE_NUM
};

static const char * const mqnic_pcie_names[MQNIC_PCIE_NUM] = {
	[MQNIC_PCIE_MMIO_RD] = "pcie_mmio_reads",
	[MQNIC_PCIE_MMIO_WR] = "pcie_mmio_writes",
	[MQNIC_PCIE_DMA_RD] = "pcie_dma_reads",
	[MQNIC_PCIE_DMA_RD_BYTES] = "pcie_dma_read_bytes",
	[MQNIC_PCIE_DMA_WR] = "pcie_dma_writes",
	[MQNIC_PCIE_DMA_WR_BYTES] = "pcie_dma_write_bytes",
	[MQNIC_PCIE_IRQS] = "pcie_irqs",
	[MQNIC_PCIE_DOORBELLS_SEEN] = "pcie_doorbells_seen",
};

static const char * const mqnic_qreg_names[MQNIC_QREG_NUM] = {
	[MQNIC_QREG_HEAD] = "head_ptr",
	[MQNIC_QREG_TAIL] = "tail_ptr",
	[MQNIC_QREG_CQ_HEAD] = "cq_head_ptr",
	[MQNIC_QREG_CQ_TAIL] = "cq_tail_ptr",
	[MQNIC_QREG_CTRL] = "ctrl",
};

static const char * const mqnic_qcnt_names[MQNIC_QCNT_NUM] = {
	[MQNIC_QCNT_DESC_RD] = "dma_desc_reads",
	[MQNIC_QCNT_DESC_RD_BYTES] = "dma_desc_read_bytes",
	[MQNIC_QCNT_CPL_WR] = "dma_cpl_writes",
	[MQNIC_QCNT_CPL_WR_BYTES] = "dma_cpl_write_bytes",
	[MQNIC_QCNT_DATA_RD] = "dma_data_reads",
	[MQNIC_QCNT_DATA_RD_BYTES] = "dma_data_read_bytes",
	[MQNIC_QCNT_DATA_WR] = "dma_data_writes",
	[MQNIC_QCNT_DATA_WR_BYTES] = "dma_data_write_bytes",
	[MQNIC_QCNT_DOORBELLS] = "doorbells_seen",
	[MQNIC_QCNT_IRQS] = "irqs",
};

#define MQNIC_QUEUE_XSTATS	(2 * MQNIC_QREG_NUM + MQNIC_QCNT_NUM)

/* A queue's transfer counter, from where it stood at the last reset. */
static uint64_t
mqnic_read_qcnt(const struct mqnic_priv *priv, const struct mqnic_ring *r,
	bool tx, unsigned int c)
{
	return rte_read64(priv->bar0 + MQNIC_QCNT_ADDR(tx, r->qid) + 8 * c) -
		r->qcnt_base[c];
}

static void
mqnic_ring_counters_reset(const struct mqnic_priv *priv, struct mqnic_ring *r,
	bool tx)
{
	unsigned int c;

	memset(r->mmio_rd, 0, sizeof(r->mmio_rd));
	memset(r->mmio_wr, 0, sizeof(r->mmio_wr));
	for (c = 0; c < MQNIC_QCNT_NUM; c++)
		r->qcnt_base[c] = rte_read64(priv->bar0 +
			MQNIC_QCNT_ADDR(tx, r->qid) + 8 * c);
}

static unsigned int
mqnic_xstats_count(const struct rte_eth_dev *dev)
{
	return MQNIC_CNT_NUM + MQNIC_PCIE_NUM + MQNIC_QUEUE_XSTATS *
		(dev->data->nb_rx_queues + dev->data->nb_tx_queues);
}

/* One queue's xstats into v (MQNIC_QUEUE_XSTATS), its totals into pcie. */
static void
mqnic_queue_xstats(const struct mqnic_priv *priv, const struct mqnic_ring *r,
	bool tx, uint64_t *v, uint64_t *pcie)
{
	unsigned int i;

	memset(v, 0, MQNIC_QUEUE_XSTATS * sizeof(*v));
	if (r == NULL)
		return;
	for (i = 0; i < MQNIC_QREG_NUM; i++) {
		v[i] = r->mmio_rd[i];
		v[MQNIC_QREG_NUM + i] = r->mmio_wr[i];
		pcie[MQNIC_PCIE_MMIO_RD] += r->mmio_rd[i];
		pcie[MQNIC_PCIE_MMIO_WR] += r->mmio_wr[i];
	}
	v += 2 * MQNIC_QREG_NUM;
	for (i = 0; i < MQNIC_QCNT_NUM; i++)
		v[i] = mqnic_read_qcnt(priv, r, tx, i);
	pcie[MQNIC_PCIE_DMA_RD] += v[MQNIC_QCNT_DESC_RD] + v[MQNIC_QCNT_DATA_RD];
	pcie[MQNIC_PCIE_DMA_RD_BYTES] += v[MQNIC_QCNT_DESC_RD_BYTES] +
		v[MQNIC_QCNT_DATA_RD_BYTES];
	pcie[MQNIC_PCIE_DMA_WR] += v[MQNIC_QCNT_CPL_WR] + v[MQNIC_QCNT_DATA_WR];
	pcie[MQNIC_PCIE_DMA_WR_BYTES] += v[MQNIC_QCNT_CPL_WR_BYTES] +
		v[MQNIC_QCNT_DATA_WR_BYTES];
	pcie[MQNIC_PCIE_IRQS] += v[MQNIC_QCNT_IRQS];
	pcie[MQNIC_PCIE_DOORBELLS_SEEN] += v[MQNIC_QCNT_DOORBELLS];
}

static uint32_t
mqnic_rss_hf_to_types(uint64_t rss_hf)
{
	uint32_t types = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(mqnic_rss_map); i++)
		if (rss_hf & mqnic_rss_map[i].rss_hf)
			types |= mqnic_rss_map[i].type;
	return types;
}

static uint64_t
mqnic_rss_types_to_hf(uint32_t types)
{
	uint64_t rss_hf = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(mqnic_rss_map); i++)
		if (types & mqnic_rss_map[i].type)
			rss_hf |= mqnic_rss_map[i].rss_hf;
	return rss_hf;
}

/* Key, indirection table and hash types: the NIC uses them as written. */
static void
mqnic_write_rss(struct mqnic_priv *priv)
{
	unsigned int i;
	uint32_t w;

	for (i = 0; i < MQNIC_RSS_KEY_SIZE; i += 4) {
		w = (uint32_t)priv->rss_key[i] |
			(uint32_t)priv->rss_key[i + 1] << 8 |
			(uint32_t)priv->rss_key[i + 2] << 16 |
			(uint32_t)priv->rss_key[i + 3] << 24;
		mqnic_write_reg(priv, MQNIC_IF_REG_RSS_KEY + i, w);
	}
	for (i = 0; i < MQNIC_RSS_TBL_SIZE; i++)
		mqnic_write_reg(priv, MQNIC_IF_REG_RSS_TBL + 4 * i,
			priv->reta[i]);
	mqnic_write_reg(priv, MQNIC_IF_REG_RSS_CTRL, priv->rss_types);
}

static void
mqnic_write_mac(struct mqnic_priv *priv, const struct rte_ether_addr *mac)
{
	const uint8_t *b = mac->addr_bytes;

	mqnic_write_reg(priv, MQNIC_IF_REG_MAC_LO, (uint32_t)b[0] |
		(uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		(uint32_t)b[3] << 24);
	mqnic_write_reg(priv, MQNIC_IF_REG_MAC_HI,
		(uint32_t)b[4] | (uint32_t)b[5] << 8);
}

/*
 * The address table's entries: 1..MQNIC_MAC_ADDRS - 1 hold the unicast
 * addresses added after the port's own (entry i is mac_addrs[i], so entry 0
 * is never used), the rest the multicast list.
 */
#define MQNIC_MAC_ADDRS		16
#define MQNIC_MC_FIRST		MQNIC_MAC_ADDRS
#define MQNIC_MC_MAX		(MQNIC_ADDR_TBL_SIZE - MQNIC_MC_FIRST)

/* The entry's valid bit is written last, so the NIC never matches half. */
static void
mqnic_write_addr_entry(struct mqnic_priv *priv, uint32_t entry,
	const struct rte_ether_addr *mac)
{
	uint32_t off = MQNIC_IF_REG_ADDR_TBL + 8 * entry;
	const uint8_t *b;

	mqnic_write_reg(priv, off + 4, 0);
	if (mac == NULL)
		return;
	b = mac->addr_bytes;
	mqnic_write_reg(priv, off, (uint32_t)b[0] | (uint32_t)b[1] << 8 |
		(uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
	mqnic_write_reg(priv, off + 4, MQNIC_ADDR_TBL_VALID |
		(uint32_t)b[4] | (uint32_t)b[5] << 8);
}

static void
mqnic_read_mac(const struct mqnic_priv *priv, struct rte_ether_addr *mac)
{
	uint32_t lo = mqnic_read_reg(priv, MQNIC_IF_REG_MAC_LO);
	uint32_t hi = mqnic_read_reg(priv, MQNIC_IF_REG_MAC_HI);

	mac->addr_bytes[0] = lo & 0xff;
	mac->addr_bytes[1] = (lo >> 8) & 0xff;
	mac->addr_bytes[2] = (lo >> 16) & 0xff;
	mac->addr_bytes[3] = lo >> 24;
	mac->addr_bytes[4] = hi & 0xff;
	mac->addr_bytes[5] = (hi >> 8) & 0xff;
}

/* Queues */

/* The mbufs the NIC held: RX buffers posted, TX frames not yet reaped. */
static void
mqnic_ring_drain(struct mqnic_ring *r)
{
	uint32_t i;

	/* Blocks: every slot still holding an mbuf (others are NULL). */
	if (r->max_log_block != 0) {
		for (i = 0; i < (r->mask + 1) << r->max_log_block; i++) {
			if (r->sw_ring[i] != NULL)
				rte_pktmbuf_free_seg(r->sw_ring[i]);
			r->sw_ring[i] = NULL;
		}
		r->cons = r->prod;
		return;
	}
	for (i = r->cons; i != r->prod; i++)
		rte_pktmbuf_free_seg(r->sw_ring[i & r->mask]);
	r->cons = r->prod;
}

static void
mqnic_ring_free(struct rte_eth_dev *dev, struct mqnic_ring *r, bool tx)
{
	if (r == NULL)
		return;
	mqnic_ring_drain(r);
	rte_eth_dma_zone_free(dev, tx ? "tx_desc" : "rx_desc", r->qid);
	rte_eth_dma_zone_free(dev, tx ? "tx_cpl" : "rx_cpl", r->qid);
	rte_free(r->sw_ring);
	rte_free(r);
}

static struct mqnic_ring *
mqnic_ring_alloc(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket, bool tx, uint8_t max_log_block)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	uint32_t qoff = tx ? priv->txq_offset : priv->rxq_offset;
	uint32_t cqoff = tx ? priv->txcq_offset : priv->rxcq_offset;
	/*
	 * The NIC's rings are powers of 2; any count desc_lim allows gets the
	 * next one up and uses nb_desc entries of it.
	 */
	uint32_t size = rte_align32pow2(nb_desc);
	struct mqnic_ring *r;

	r = rte_zmalloc_socket(NULL, sizeof(*r), RTE_CACHE_LINE_SIZE, socket);
	if (r == NULL)
		return NULL;
	r->qid = qid;
	r->port_id = dev->data->port_id;
	r->mask = size - 1;
	r->nb_desc = nb_desc;
	r->max_log_block = max_log_block;
	r->fe = priv->fe;
	r->q_regs = priv->bar0 + qoff + qid * priv->stride;
	r->cq_regs = priv->bar0 + cqoff + qid * priv->stride;
	r->sw_ring = rte_zmalloc_socket(NULL,
		(size << max_log_block) * sizeof(r->sw_ring[0]),
		RTE_CACHE_LINE_SIZE, socket);
	if (r->sw_ring == NULL)
		goto fail;
	r->desc_mz = rte_eth_dma_zone_reserve(dev, tx ? "tx_desc" : "rx_desc",
		qid, (size << max_log_block) * sizeof(struct mqnic_desc),
		MQNIC_RING_ALIGN,
		socket);
	if (r->desc_mz == NULL)
		goto fail;
	r->cpl_mz = rte_eth_dma_zone_reserve(dev, tx ? "tx_cpl" : "rx_cpl",
		qid, size * sizeof(struct mqnic_cpl), MQNIC_RING_ALIGN,
		socket);
	if (r->cpl_mz == NULL)
		goto fail;
	r->desc = r->desc_mz->addr;
	r->cpl = r->cpl_mz->addr;
	/* The NIC's counters of this queue index run on from earlier rings. */
	mqnic_ring_counters_reset(priv, r, tx);
	return r;
fail:
	PMD_LOG(ERR, "port %u: no memory for queue %u", r->port_id, qid);
	mqnic_ring_free(dev, r, tx);
	return NULL;
}

/*
 * Program a queue and its completion queue (REGISTERS.md, "Programming a
 * queue"): deactivate, set base and pointers, then activate.
 */
static void
mqnic_ring_start(struct mqnic_ring *r)
{
	uint32_t size_reg = MQNIC_QUEUE_ACTIVE | rte_log2_u32(r->mask + 1) |
		(uint32_t)r->log_block << MQNIC_QUEUE_LOG_BLOCK_SHIFT;
	uint32_t i;

	/*
	 * What never changes is written once here: an RX descriptor's buffer
	 * size (0 on TX, set per frame) and the TX checksum command (none).
	 */
	for (i = 0; i < (r->mask + 1) << r->log_block; i++) {
		r->desc[i].tx_ip_csum_cmd = 0;
		r->desc[i].tx_csum_cmd = 0;
		r->desc[i].len = r->buf_len;
		r->desc[i].addr = 0;
	}
	/*
	 * Phase bits clear: the NIC's first pass sets them (REGISTERS.md,
	 * "Completion"), so nothing left from an earlier start looks new. The
	 * rte_write32 below has the write barrier that orders this first.
	 */
	memset((void *)(uintptr_t)r->cpl, 0,
		(r->mask + 1) * sizeof(struct mqnic_cpl));

	mqnic_ring_write_ctrl(r, false, MQNIC_QUEUE_ACTIVE_LOG_SIZE, 0);
	mqnic_ring_write_ctrl(r, true, MQNIC_QUEUE_ACTIVE_LOG_SIZE, 0);
	mqnic_ring_write_ctrl(r, true, MQNIC_QUEUE_BASE_ADDR_LO,
		(uint32_t)r->cpl_mz->iova);
	mqnic_ring_write_ctrl(r, true, MQNIC_QUEUE_BASE_ADDR_HI,
		(uint32_t)(r->cpl_mz->iova >> 32));
	mqnic_ring_write_ctrl(r, true, MQNIC_CQ_EVENT_INDEX, 0);
	mqnic_ring_write_ctrl(r, true, MQNIC_QUEUE_HEAD_PTR, 0);
	mqnic_ring_write_ctrl(r, true, MQNIC_QUEUE_TAIL_PTR, 0);
	mqnic_ring_write_ctrl(r, false, MQNIC_QUEUE_BASE_ADDR_LO,
		(uint32_t)r->desc_mz->iova);
	mqnic_ring_write_ctrl(r, false, MQNIC_QUEUE_BASE_ADDR_HI,
		(uint32_t)(r->desc_mz->iova >> 32));
	mqnic_ring_write_ctrl(r, false, MQNIC_QUEUE_CQ_INDEX, r->qid);
	mqnic_ring_write_ctrl(r, false, MQNIC_QUEUE_HEAD_PTR, 0);
	mqnic_ring_write_ctrl(r, false, MQNIC_QUEUE_TAIL_PTR, 0);
	r->prod = 0;
	r->cons = 0;
	mqnic_ring_write_ctrl(r, true, MQNIC_QUEUE_ACTIVE_LOG_SIZE, size_reg);
	mqnic_ring_write_ctrl(r, false, MQNIC_QUEUE_ACTIVE_LOG_SIZE, size_reg);
	r->started = 1;
}

/*
 * Deactivate a queue and its completion queue and wait (bounded) until the
 * NIC says it is done with them (REGISTERS.md, "Stopping a queue"): a
 * transfer under way when ACTIVE was cleared, e.g. a paired port's frame,
 * still writes into the ring's buffers. -ETIMEDOUT if still busy.
 */
static int
mqnic_queue_deactivate(uint8_t *q_regs, uint8_t *cq_regs)
{
	unsigned int us;

	rte_write32(0, q_regs + MQNIC_QUEUE_ACTIVE_LOG_SIZE);
	rte_write32(0, cq_regs + MQNIC_QUEUE_ACTIVE_LOG_SIZE);
	/* ACTIVE is cleared before BUSY is read. */
	rte_mb();
	for (us = 0; us <= MQNIC_IDLE_WAIT_US; us += MQNIC_IDLE_POLL_US) {
		if (!((rte_read32(q_regs + MQNIC_QUEUE_STATUS) |
				rte_read32(cq_regs + MQNIC_QUEUE_STATUS)) &
				MQNIC_QUEUE_STATUS_BUSY))
			return 0;
		rte_delay_us_sleep(MQNIC_IDLE_POLL_US);
	}
	return -ETIMEDOUT;
}

/* Once inactive and idle, the NIC is done with the ring: its mbufs are ours. */
static void
mqnic_ring_stop(struct mqnic_ring *r, const char *kind)
{
	r->started = 0;
	if (mqnic_queue_deactivate(r->q_regs, r->cq_regs) == 0) {
		mqnic_ring_drain(r);
	} else {
		PMD_LOG(ERR, "port %u: %s queue %u still busy %u ms after "
			"deactivation: its %u mbufs are left to the NIC, not "
			"freed under a DMA", r->port_id, kind, r->qid,
			MQNIC_IDLE_WAIT_US / 1000, r->prod - r->cons);
		r->cons = r->prod;
	}
	r->prod = 0;
	r->cons = 0;
}

/*
 * The rearm_data word (data_off, refcnt, nb_segs, port) of every mbuf this
 * port receives; refill takes buffers raw from the pool and the receive
 * path stores this in one go.
 */
static uint64_t
mqnic_rx_mbuf_init(uint16_t port_id)
{
	struct rte_mbuf mb = { .buf_addr = NULL };

	mb.data_off = RTE_PKTMBUF_HEADROOM;
	mb.nb_segs = 1;
	mb.port = port_id;
	rte_mbuf_refcnt_set(&mb, 1);
	return *(uint64_t *)RTE_PTR_ADD(&mb, MQNIC_REARM_OFF);
}

static int
mqnic_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket, const struct rte_eth_rxconf *conf,
	struct rte_mempool *mp)
{
	uint32_t data_room = rte_pktmbuf_data_room_size(mp);
	uint32_t room = data_room - RTE_MIN(data_room, (uint32_t)RTE_PKTMBUF_HEADROOM);
	uint64_t offloads = dev->data->dev_conf.rxmode.offloads | conf->offloads;
	/* Scatter: rings sized for the largest block, the NIC's limit. */
	uint8_t lb = (offloads & RTE_ETH_RX_OFFLOAD_SCATTER) ?
		MQNIC_MAX_LOG_BLOCK_SIZE : 0;
	struct mqnic_ring *rxq;

	/* A frame of the current MTU must fit the buffers of an entry. */
	room = RTE_MIN(room, (uint32_t)UINT16_MAX);
	if (unlikely((room << lb) < (uint32_t)dev->data->mtu +
			MQNIC_FRAME_OVERHEAD)) {
		PMD_LOG(ERR, "port %u: buffers of %u bytes hold no MTU frame%s",
			dev->data->port_id, room, lb != 0 ? " in 8 segments" :
			" (no scatter)");
		return -EINVAL;
	}
	rxq = mqnic_ring_alloc(dev, qid, nb_desc, socket, false, lb);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->mp = mp;
	rxq->deferred = conf->rx_deferred_start;
	rxq->buf_len = room;
	rxq->csum = (offloads & (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM)) != 0;
	rxq->mbuf_init = mqnic_rx_mbuf_init(dev->data->port_id);
	/* Mbufs of a pinned external-buffer pool keep their EXTERNAL flag. */
	rxq->ol_base = (rte_pktmbuf_priv_flags(mp) &
		RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF) ? RTE_MBUF_F_EXTERNAL : 0;
	dev->data->rx_queues[qid] = rxq;
	return 0;
}

static int
mqnic_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket, const struct rte_eth_txconf *conf)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	uint64_t offloads = dev->data->dev_conf.txmode.offloads | conf->offloads;
	/* MULTI_SEGS: an entry of 8 descriptors, a segment each. */
	uint8_t lb = (offloads & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) ?
		MQNIC_MAX_LOG_BLOCK_SIZE : 0;
	struct mqnic_ring *txq;

	txq = mqnic_ring_alloc(dev, qid, nb_desc, socket, true, lb);
	if (txq == NULL)
		return -ENOMEM;
	txq->log_block = lb;
	/* TX: the largest frame the NIC sends (REGISTERS.md, tx_bad_desc). */
	txq->max_len = priv->max_mtu + MQNIC_FRAME_OVERHEAD;
	txq->deferred = conf->tx_deferred_start;
	/* One segment per entry only: a chain's segments need their fields reset. */
	txq->fast_free = lb == 0 &&
		(offloads & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE) != 0;
	dev->data->tx_queues[qid] = txq;
	return 0;
}

static void
mqnic_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	mqnic_ring_free(dev, dev->data->rx_queues[qid], false);
	dev->data->rx_queues[qid] = NULL;
}

static void
mqnic_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	mqnic_ring_free(dev, dev->data->tx_queues[qid], true);
	dev->data->tx_queues[qid] = NULL;
}

/*
 * Queue start/stop: ethdev calls start only on a started port and on a
 * stopped queue. Start programs the rings (and fills an RX ring); stop
 * deactivates them and gives every mbuf they hold back.
 */
static int
mqnic_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mqnic_ring *rxq = dev->data->rx_queues[qid];
	uint32_t frame = (uint32_t)dev->data->mtu + MQNIC_FRAME_OVERHEAD;

	/* Scatter: as few buffers per entry as a frame of the MTU needs. */
	rxq->log_block = 0;
	while (rxq->log_block < rxq->max_log_block &&
			((uint32_t)rxq->buf_len << rxq->log_block) < frame)
		rxq->log_block++;
	mqnic_ring_start(rxq);
	if (rxq->max_log_block != 0)
		mqnic_rx_refill_blocks(rxq);
	else
		mqnic_rx_refill(rxq);
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

static int
mqnic_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mqnic_ring *rxq = dev->data->rx_queues[qid];

	if (rxq != NULL)
		mqnic_ring_stop(rxq, "RX");
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static int
mqnic_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mqnic_ring *txq = dev->data->tx_queues[qid];

	mqnic_ring_start(txq);
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

static int
mqnic_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mqnic_ring *txq = dev->data->tx_queues[qid];

	if (txq != NULL)
		mqnic_ring_stop(txq, "TX");
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static void
mqnic_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_rxq_info *qinfo)
{
	const struct mqnic_ring *rxq = dev->data->rx_queues[qid];

	qinfo->mp = rxq->mp;
	qinfo->scattered_rx = rxq->max_log_block != 0;
	qinfo->nb_desc = rxq->nb_desc;
	qinfo->rx_buf_size = rxq->buf_len;
	qinfo->conf.rx_free_thresh = MQNIC_RX_REFILL_THRESH;
	qinfo->conf.rx_deferred_start = rxq->deferred;
	qinfo->conf.offloads = dev->data->dev_conf.rxmode.offloads;
}

static void
mqnic_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_txq_info *qinfo)
{
	const struct mqnic_ring *txq = dev->data->tx_queues[qid];

	qinfo->nb_desc = txq->nb_desc;
	qinfo->conf.tx_free_thresh = MQNIC_TX_FREE_THRESH;
	qinfo->conf.tx_deferred_start = txq->deferred;
	qinfo->conf.offloads = dev->data->dev_conf.txmode.offloads;
}

/* Scalar burst functions, chosen at dev_start (mqnic_select_bursts). */
static int
mqnic_burst_mode_get(struct rte_eth_dev *dev,
	uint16_t qid __rte_unused, struct rte_eth_burst_mode *mode)
{
	const char *info = "Scalar, one descriptor per frame";

	mode->flags = 0;
	if (dev->rx_pkt_burst == mqnic_recv_scattered_pkts ||
			dev->tx_pkt_burst == mqnic_xmit_pkts_offload)
		info = "Scalar, descriptor blocks (scatter-gather, checksums)";
	else if (dev->rx_pkt_burst == mqnic_recv_pkts_csum)
		info = "Scalar, one descriptor per frame, checksums";
	snprintf(mode->info, sizeof(mode->info), "%s", info);
	return 0;
}

/*
 * The burst functions for the offloads configured: the default ones carry
 * none of the offloads' work (not even a test), as DPDK's PMDs choose
 * theirs at start. dev_start then lets a front end wrap them (fe_bursts).
 */
void
mqnic_select_bursts(struct rte_eth_dev *dev)
{
	uint64_t rx = dev->data->dev_conf.rxmode.offloads;
	uint64_t tx = dev->data->dev_conf.txmode.offloads;

	if (rx & RTE_ETH_RX_OFFLOAD_SCATTER)
		dev->rx_pkt_burst = mqnic_recv_scattered_pkts;
	else if (rx & MQNIC_RX_CSUM_OFFLOADS)
		dev->rx_pkt_burst = mqnic_recv_pkts_csum;
	else
		dev->rx_pkt_burst = mqnic_recv_pkts;
	if (tx & (MQNIC_TX_CSUM_OFFLOADS | RTE_ETH_TX_OFFLOAD_MULTI_SEGS)) {
		dev->tx_pkt_burst = mqnic_xmit_pkts_offload;
		dev->tx_pkt_prepare = mqnic_prep_pkts_offload;
	} else {
		dev->tx_pkt_burst = mqnic_xmit_pkts;
		dev->tx_pkt_prepare = mqnic_prep_pkts;
	}
}

/* Device ops */

static int
mqnic_dev_configure(struct rte_eth_dev *dev)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	struct rte_eth_conf *conf = &dev->data->dev_conf;
	struct rte_eth_rss_conf *rss = &conf->rx_adv_conf.rss_conf;
	uint16_t nb_rxq = dev->data->nb_rx_queues;
	unsigned int i;

	/* RX interrupts need an eventfd per queue from the front end. */
	if (conf->intr_conf.rxq && (dev->intr_handle == NULL ||
			rte_intr_nb_efd_get(dev->intr_handle) < nb_rxq)) {
		PMD_LOG(ERR, "port %u: no RX queue interrupts on this device "
			"(intr_conf.rxq)", dev->data->port_id);
		return -ENOTSUP;
	}
	priv->rss_types = 0;
	if (conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) {
		if (rss->rss_key != NULL) {
			if (rss->rss_key_len != MQNIC_RSS_KEY_SIZE) {
				PMD_LOG(ERR, "port %u: RSS key must be %u bytes",
					dev->data->port_id, MQNIC_RSS_KEY_SIZE);
				return -EINVAL;
			}
			memcpy(priv->rss_key, rss->rss_key, MQNIC_RSS_KEY_SIZE);
		}
		priv->rss_types = mqnic_rss_hf_to_types(rss->rss_hf);
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH;
	}
	for (i = 0; i < MQNIC_RSS_TBL_SIZE; i++)
		priv->reta[i] = nb_rxq != 0 ? i % nb_rxq : 0;
	mqnic_write_rss(priv);
	/* The mbuf field and flag only for an application that asks. */
	if ((conf->rxmode.offloads & RTE_ETH_RX_OFFLOAD_TIMESTAMP) &&
			rte_mbuf_dyn_rx_timestamp_register(&priv->ts_off,
				&priv->ts_flag) != 0) {
		PMD_LOG(ERR, "port %u: cannot register the mbuf timestamp "
			"field: %s", dev->data->port_id,
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

static int
mqnic_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	uint16_t max_desc = 1u << priv->max_log_size;
	uint16_t min_desc = 1u << MQNIC_MIN_LOG_RING_SIZE;

	info->max_rx_queues = priv->max_rxq;
	info->max_tx_queues = priv->max_txq;
	info->max_mac_addrs = MQNIC_MAC_ADDRS;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = priv->max_mtu;
	info->max_rx_pktlen = priv->max_mtu + MQNIC_FRAME_OVERHEAD;
	info->min_rx_bufsize = RTE_ETHER_MTU + MQNIC_FRAME_OVERHEAD;
	info->rx_desc_lim.nb_max = max_desc;
	info->rx_desc_lim.nb_min = min_desc;
	info->rx_desc_lim.nb_align = min_desc;
	/*
	 * With SCATTER / MULTI_SEGS a frame takes an entry of up to 8
	 * descriptors, a segment each (REGISTERS.md, "Descriptor").
	 */
	info->rx_desc_lim.nb_seg_max = 1u << MQNIC_MAX_LOG_BLOCK_SIZE;
	info->rx_desc_lim.nb_mtu_seg_max = 1u << MQNIC_MAX_LOG_BLOCK_SIZE;
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxportconf.ring_size = priv->default_rxd;
	info->default_txportconf.ring_size = priv->default_txd;
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	info->rx_offload_capa = RTE_ETH_RX_OFFLOAD_TIMESTAMP |
		RTE_ETH_RX_OFFLOAD_RSS_HASH |
		MQNIC_RX_CSUM_OFFLOADS | RTE_ETH_RX_OFFLOAD_SCATTER;
	info->tx_offload_capa = MQNIC_TX_CSUM_OFFLOADS |
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	info->flow_type_rss_offloads = MQNIC_RSS_OFFLOAD_ALL;
	info->hash_key_size = MQNIC_RSS_KEY_SIZE;
	info->reta_size = MQNIC_RSS_TBL_SIZE;
	info->speed_capa = RTE_ETH_LINK_SPEED_100G;
	return 0;
}

/* The list ends with RTE_PTYPE_UNKNOWN for DPDK before 24.03, which reads up to it. */
static const uint32_t *
#ifdef MQNIC_PTYPES_GET_COUNTS
mqnic_dev_supported_ptypes_get(struct rte_eth_dev *dev __rte_unused,
			       size_t *no_of_elements)
#else
mqnic_dev_supported_ptypes_get(struct rte_eth_dev *dev __rte_unused)
#endif
{
	static const uint32_t ptypes[] = {
		RTE_PTYPE_L2_ETHER,
		RTE_PTYPE_L2_ETHER_VLAN,
		RTE_PTYPE_L2_ETHER_QINQ,
		RTE_PTYPE_L3_IPV4_EXT_UNKNOWN,
		RTE_PTYPE_L3_IPV6_EXT_UNKNOWN,
		RTE_PTYPE_L4_TCP,
		RTE_PTYPE_L4_UDP,
		RTE_PTYPE_UNKNOWN,
	};

#ifdef MQNIC_PTYPES_GET_COUNTS
	*no_of_elements = RTE_DIM(ptypes) - 1;
#endif
	return ptypes;
}

static uint32_t
mqnic_rx_filter(const struct rte_eth_dev *dev)
{
	return (dev->data->promiscuous ? MQNIC_RX_FILTER_PROMISC : 0) |
		(dev->data->all_multicast ? MQNIC_RX_FILTER_ALLMULTI : 0);
}

static int
mqnic_link_update(struct rte_eth_dev *dev, int wait __rte_unused)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	struct rte_eth_link link = {
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
	};

	/* A stopped port reports its link down, like DPDK's virtual ports. */
	if (dev->data->dev_started &&
			(mqnic_read_reg(priv, MQNIC_IF_REG_LINK) & 1)) {
		link.link_status = RTE_ETH_LINK_UP;
		link.link_speed = mqnic_read_reg(priv, MQNIC_IF_REG_LINK_SPEED);
	}
	return rte_eth_linkstatus_set(dev, &link);
}

/* Interrupts (REGISTERS.md, "Interrupts") */

static void
mqnic_reg_written(struct rte_eth_dev *dev, uint32_t off)
{
	struct mqnic_priv *priv = dev->data->dev_private;

	if (priv->fe_reg_written != NULL)
		priv->fe_reg_written(dev, off);
}

/*
 * Vector 0, on EAL's interrupt thread: the link changed. The vector is an
 * eventfd (VFIO's or the model's): read it, or the thread wakes again at
 * once. The event goes out only if the status the port reports changed.
 */
static void
mqnic_link_intr_handler(void *arg)
{
	struct rte_eth_dev *dev = arg;
	uint64_t n;

	if (read(rte_intr_fd_get(dev->intr_handle), &n, sizeof(n)) < 0 &&
			errno != EAGAIN)
		PMD_LOG(ERR, "port %u: cannot read the link interrupt: %s",
			dev->data->port_id, strerror(errno));
	if (mqnic_link_update(dev, 0) == 0)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

/*
 * Arm RX completion queue qid: its vector fires on the next completion, or
 * at once if completions are unread. TAIL_PTR, which the datapath does not
 * write, tells the NIC which are; then ARM, which the NIC clears when it
 * fires, so the application re-enables after each wake-up.
 */
static int
mqnic_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	struct mqnic_ring *rxq = dev->data->rx_queues[qid];

	mqnic_ring_write(rxq, MQNIC_QREG_CQ_TAIL, rxq->cons & MQNIC_PTR_MASK);
	rte_io_wmb();
	mqnic_ring_write_ctrl(rxq, true, MQNIC_CQ_EVENT_INDEX,
		MQNIC_CQ_ARM | (RTE_INTR_VEC_RXTX_OFFSET + qid));
	mqnic_reg_written(dev, (uint32_t)(rxq->cq_regs - priv->bar0) +
		MQNIC_CQ_EVENT_INDEX);
	return 0;
}

static int
mqnic_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mqnic_ring *rxq = dev->data->rx_queues[qid];

	mqnic_ring_write_ctrl(rxq, true, MQNIC_CQ_EVENT_INDEX,
		RTE_INTR_VEC_RXTX_OFFSET + qid);
	return 0;
}

/*
 * The transmitter off or on (PHY_CTRL): the link goes down or up, on this
 * port and on its link partner. With intr_conf.lsc the status the port
 * reports follows by the link interrupt, as any other change.
 */
static int
mqnic_phy_set(struct rte_eth_dev *dev, bool on)
{
	struct mqnic_priv *priv = dev->data->dev_private;

	mqnic_write_reg(priv, MQNIC_IF_REG_PHY_CTRL,
		on ? 0 : MQNIC_PHY_CTRL_DISABLE);
	mqnic_reg_written(dev, MQNIC_IF_REG_PHY_CTRL);
	if (!dev->data->dev_conf.intr_conf.lsc)
		mqnic_link_update(dev, 0);
	return 0;
}

static int
mqnic_dev_set_link_up(struct rte_eth_dev *dev)
{
	return mqnic_phy_set(dev, true);
}

static int
mqnic_dev_set_link_down(struct rte_eth_dev *dev)
{
	return mqnic_phy_set(dev, false);
}

/*
 * At start, what intr_conf asks for: the link vector and its callback,
 * and ethdev's queue-to-vector list for rte_eth_dev_rx_intr_ctl_q. Nothing
 * when it asks for nothing: no vector is enabled or armed.
 */
static int
mqnic_intr_start(struct rte_eth_dev *dev)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	struct rte_intr_handle *h = dev->intr_handle;
	uint16_t i, n = dev->data->nb_rx_queues;
	int ret;

	if (dev->data->dev_conf.intr_conf.lsc) {
		if (!priv->lsc_registered) {
			ret = rte_intr_callback_register(h,
				mqnic_link_intr_handler, dev);
			if (ret != 0)
				return ret;
			priv->lsc_registered = true;
		}
		mqnic_write_reg(priv, MQNIC_IF_REG_LINK_IRQ,
			MQNIC_LINK_IRQ_ENABLE);
	}
	if (dev->data->dev_conf.intr_conf.rxq) {
		if (rte_intr_vec_list_alloc(h, "mqnic_intr_vec", n) != 0)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			rte_intr_vec_list_index_set(h, i,
				RTE_INTR_VEC_RXTX_OFFSET + i);
	}
	return 0;
}

static void
mqnic_intr_stop(struct rte_eth_dev *dev)
{
	struct mqnic_priv *priv = dev->data->dev_private;

	mqnic_write_reg(priv, MQNIC_IF_REG_LINK_IRQ, 0);
	if (dev->data->dev_conf.intr_conf.rxq && dev->intr_handle != NULL)
		rte_intr_vec_list_free(dev->intr_handle);
}

/* PTP clock and timesync (REGISTERS.md, "PTP clock") */

/*
 * A clock command: written, the NIC told (the model acts when told), then
 * done once the NIC has cleared PTP_CMD. The primary's alone: the front
 * end's hook is a function of its process.
 */
static int
mqnic_ptp_cmd(struct rte_eth_dev *dev, uint32_t cmd)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	unsigned int us;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -E_RTE_SECONDARY;
	mqnic_write_reg(priv, MQNIC_IF_REG_PTP_CMD, cmd);
	mqnic_reg_written(dev, MQNIC_IF_REG_PTP_CMD);
	for (us = 0; us < MQNIC_PTP_CMD_WAIT_US; us++) {
		if (mqnic_read_reg(priv, MQNIC_IF_REG_PTP_CMD) == 0)
			return 0;
		rte_delay_us(1);
	}
	PMD_LOG(ERR, "port %u: PTP clock command %u not done after %u us",
		dev->data->port_id, cmd, MQNIC_PTP_CMD_WAIT_US);
	return -ETIMEDOUT;
}

/* Three registers from off: ns, seconds bits 31:0 and 47:32. */
static void
mqnic_ptp_get(const struct mqnic_priv *priv, uint32_t off, struct timespec *ts)
{
	ts->tv_nsec = mqnic_read_reg(priv, off);
	ts->tv_sec = (time_t)((uint64_t)(mqnic_read_reg(priv, off + 8) &
		0xffff) << 32 | mqnic_read_reg(priv, off + 4));
}

static int
mqnic_timesync_read_time(struct rte_eth_dev *dev, struct timespec *ts)
{
	int ret = mqnic_ptp_cmd(dev, MQNIC_PTP_CMD_READ);

	if (ret == 0)
		mqnic_ptp_get(dev->data->dev_private,
			MQNIC_IF_REG_PTP_TIME_NS, ts);
	return ret;
}

/* The device clock in ns: the PHC, the clock of the RX timestamps. */
static int
mqnic_read_clock(struct rte_eth_dev *dev, uint64_t *clock)
{
	struct timespec ts;
	int ret = mqnic_timesync_read_time(dev, &ts);

	if (ret == 0)
		*clock = (uint64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
	return ret;
}

/*
 * Where the RX queues widen the completions' 16-bit seconds from: the
 * PHC's, now. Called when the queues start and when the time jumps.
 */
static void
mqnic_ts_resync(struct rte_eth_dev *dev)
{
	struct mqnic_ring *r;
	struct timespec now;
	uint16_t i;

	if (mqnic_timesync_read_time(dev, &now) != 0)
		return;
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		r = dev->data->rx_queues[i];
		if (r != NULL && r->ts != 0)
			r->ts_sec = now.tv_sec;
	}
}

/*
 * The queues' timestamp paths (mqnic.h, MQNIC_TS_*): the field when the
 * TIMESTAMP offload is on, PTP while timesync is enabled. Nothing (and
 * the default loops) otherwise.
 */
static void
mqnic_ts_set(struct rte_eth_dev *dev)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	bool field = dev->data->dev_conf.rxmode.offloads &
		RTE_ETH_RX_OFFLOAD_TIMESTAMP;
	struct mqnic_ring *r;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		r = dev->data->rx_queues[i];
		if (r == NULL)
			continue;
		r->ts_off = priv->ts_off;
		r->ts_flag = priv->ts_flag;
		r->ts = (field ? MQNIC_TS_FIELD : 0) |
			(priv->timesync ? MQNIC_TS_PTP : 0);
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		r = dev->data->tx_queues[i];
		if (r != NULL)
			r->ts = priv->timesync ? MQNIC_TS_PTP : 0;
	}
	if (field || priv->timesync)
		mqnic_ts_resync(dev);
}

static int
mqnic_timesync_write_time(struct rte_eth_dev *dev, const struct timespec *ts)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	uint64_t sec = ts->tv_sec;
	int ret;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
			(uint64_t)ts->tv_nsec >= NS_PER_S || sec >> 48)
		return -EINVAL;
	mqnic_write_reg(priv, MQNIC_IF_REG_PTP_TIME_NS, ts->tv_nsec);
	mqnic_write_reg(priv, MQNIC_IF_REG_PTP_TIME_SEC_LO, (uint32_t)sec);
	mqnic_write_reg(priv, MQNIC_IF_REG_PTP_TIME_SEC_HI, sec >> 32);
	ret = mqnic_ptp_cmd(dev, MQNIC_PTP_CMD_WRITE);
	if (ret == 0)
		mqnic_ts_resync(dev);
	return ret;
}

static int
mqnic_timesync_adjust_time(struct rte_eth_dev *dev, int64_t delta)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	int ret;

	mqnic_write_reg(priv, MQNIC_IF_REG_PTP_ADJ_LO, (uint32_t)delta);
	mqnic_write_reg(priv, MQNIC_IF_REG_PTP_ADJ_HI,
		(uint32_t)((uint64_t)delta >> 32));
	ret = mqnic_ptp_cmd(dev, MQNIC_PTP_CMD_ADJUST);
	if (ret == 0)
		mqnic_ts_resync(dev);
	return ret;
}

#ifdef MQNIC_TIMESYNC_ADJUST_FREQ
/* ppm scaled by 2^16, as Linux's adjfine: FREQ holds it as an int32. */
static int
mqnic_timesync_adjust_freq(struct rte_eth_dev *dev, int64_t ppm)
{
	if (ppm > INT32_MAX || ppm < INT32_MIN)
		return -ERANGE;
	mqnic_write_reg(dev->data->dev_private, MQNIC_IF_REG_PTP_FREQ,
		(uint32_t)(int32_t)ppm);
	return mqnic_ptp_cmd(dev, MQNIC_PTP_CMD_FREQ);
}
#endif

/*
 * Timesync on: the NIC marks PTP frames and latches event messages' times
 * (RX always, TX when the descriptor asks); the queues take their
 * timestamp paths from their next burst, so this works on a started port.
 */
static int
mqnic_timesync_enable(struct rte_eth_dev *dev)
{
	struct mqnic_priv *priv = dev->data->dev_private;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -E_RTE_SECONDARY;
	mqnic_write_reg(priv, MQNIC_IF_REG_PTP_RX_TS + MQNIC_PTP_TS_VALID, 0);
	mqnic_write_reg(priv, MQNIC_IF_REG_PTP_TX_TS + MQNIC_PTP_TS_VALID, 0);
	mqnic_write_reg(priv, MQNIC_IF_REG_PTP_CTRL, MQNIC_PTP_CTRL_RX_EN |
		MQNIC_PTP_CTRL_TX_EN);
	priv->timesync = true;
	mqnic_ts_set(dev);
	return 0;
}

static int
mqnic_timesync_disable(struct rte_eth_dev *dev)
{
	struct mqnic_priv *priv = dev->data->dev_private;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -E_RTE_SECONDARY;
	mqnic_write_reg(priv, MQNIC_IF_REG_PTP_CTRL, 0);
	priv->timesync = false;
	mqnic_ts_set(dev);
	return 0;
}

/* A latch's time, then VALID cleared so the NIC latches the next one. */
static int
mqnic_ptp_latch_read(struct rte_eth_dev *dev, uint32_t latch,
	struct timespec *ts)
{
	struct mqnic_priv *priv = dev->data->dev_private;

	if (!priv->timesync ||
			!(mqnic_read_reg(priv, latch + MQNIC_PTP_TS_VALID) & 1))
		return -EINVAL;
	rte_io_rmb();	/* VALID before the time it covers */
	mqnic_ptp_get(priv, latch, ts);
	mqnic_write_reg(priv, latch + MQNIC_PTP_TS_VALID, 0);
	return 0;
}

static int
mqnic_timesync_read_rx_timestamp(struct rte_eth_dev *dev,
	struct timespec *ts, uint32_t flags __rte_unused)
{
	return mqnic_ptp_latch_read(dev, MQNIC_IF_REG_PTP_RX_TS, ts);
}

static int
mqnic_timesync_read_tx_timestamp(struct rte_eth_dev *dev,
	struct timespec *ts)
{
	return mqnic_ptp_latch_read(dev, MQNIC_IF_REG_PTP_TX_TS, ts);
}

/*
 * One buffer per frame: every RX queue's buffers must hold a frame of the
 * MTU. Checked at setup, at mtu_set, and again at start, since configure
 * may have raised the MTU after the queues were set up.
 */
static int
mqnic_check_rx_bufs(struct rte_eth_dev *dev, uint16_t mtu)
{
	const struct mqnic_ring *r;
	uint16_t i;

	uint32_t lb;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		r = dev->data->rx_queues[i];
		if (r == NULL)
			continue;
		/* Scatter: the entry's block, fixed while the queue runs. */
		lb = r->started ? r->log_block : r->max_log_block;
		if (((uint32_t)r->buf_len << lb) <
				(uint32_t)mtu + MQNIC_FRAME_OVERHEAD) {
			PMD_LOG(ERR, "port %u: RX queue %u has buffers of %u "
				"bytes, a frame of MTU %u needs %u: %s",
				dev->data->port_id, i, r->buf_len, mtu,
				mtu + MQNIC_FRAME_OVERHEAD,
				r->max_log_block == 0 ?
				"one buffer per frame (no scatter)" :
				r->started ? "more buffers per entry than the "
				"queue started with (stop the port first)" :
				"more than 8 buffers per frame");
			return -EINVAL;
		}
	}
	return 0;
}

static int
mqnic_dev_start(struct rte_eth_dev *dev)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	struct mqnic_ring *r;
	uint16_t i;
	int ret;

	ret = mqnic_check_rx_bufs(dev, dev->data->mtu);
	if (ret != 0)
		return ret;
	mqnic_select_bursts(dev);
	if (priv->fe_bursts != NULL)
		priv->fe_bursts(dev);

	mqnic_write_mac(priv, &dev->data->mac_addrs[0]);
	mqnic_write_reg(priv, MQNIC_IF_REG_MTU, dev->data->mtu);
	mqnic_write_reg(priv, MQNIC_IF_REG_RX_FILTER, mqnic_rx_filter(dev));
	mqnic_write_rss(priv);
	/* A port starts with its transmitter on, whatever set_link_down did. */
	if (mqnic_read_reg(priv, MQNIC_IF_REG_PHY_CTRL) &
			MQNIC_PHY_CTRL_DISABLE) {
		mqnic_write_reg(priv, MQNIC_IF_REG_PHY_CTRL, 0);
		mqnic_reg_written(dev, MQNIC_IF_REG_PHY_CTRL);
	}
	ret = mqnic_intr_start(dev);
	if (ret != 0)
		return ret;
	mqnic_ts_set(dev);
	/* Deferred queues stay stopped until rte_eth_dev_*_queue_start. */
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		r = dev->data->tx_queues[i];
		if (r != NULL && !r->deferred)
			mqnic_tx_queue_start(dev, i);
	}
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		r = dev->data->rx_queues[i];
		if (r != NULL && !r->deferred)
			mqnic_rx_queue_start(dev, i);
	}
	dev->data->dev_started = 1;
	mqnic_link_update(dev, 0);
	return 0;
}

static int
mqnic_dev_stop(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		mqnic_rx_queue_stop(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		mqnic_tx_queue_stop(dev, i);
	mqnic_intr_stop(dev);
	dev->data->dev_started = 0;
	mqnic_link_update(dev, 0);
	return 0;
}

/*
 * The core does not release queues on close: do it here, with their mbufs
 * and DMA zones. mac_addrs was allocated with rte_zmalloc in dev_init and is
 * freed by rte_eth_dev_release_port, so it is left alone.
 */
static int
mqnic_dev_close(struct rte_eth_dev *dev)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	uint16_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	if (dev->data->dev_started)
		mqnic_dev_stop(dev);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		mqnic_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		mqnic_tx_queue_release(dev, i);
	dev->data->nb_rx_queues = 0;
	dev->data->nb_tx_queues = 0;
	/* Before the front end frees the handle; -EAGAIN while it runs. */
	while (priv->lsc_registered && rte_intr_callback_unregister(
			dev->intr_handle, mqnic_link_intr_handler, dev) == -EAGAIN)
		rte_delay_us_sleep(1000);
	priv->lsc_registered = false;
	if (priv->fe_close != NULL)
		priv->fe_close(dev);
	priv->fe_close = NULL;
	return 0;
}

/* The per-queue counters go to qs when the caller wants them (qs != NULL). */
static int
mqnic_stats_fill(struct rte_eth_dev *dev, struct rte_eth_stats *st,
		 mqnic_queue_stats_t *qs)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	const struct mqnic_ring *r;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		r = dev->data->rx_queues[i];
		if (r == NULL)
			continue;
		st->ipackets += r->stats.packets;
		st->ibytes += r->stats.bytes;
		st->ierrors += r->stats.errors;
		if (qs != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_ipackets[i] = r->stats.packets;
			qs->q_ibytes[i] = r->stats.bytes;
			qs->q_errors[i] = r->stats.errors;
		}
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		r = dev->data->tx_queues[i];
		if (r == NULL)
			continue;
		st->opackets += r->stats.packets;
		st->obytes += r->stats.bytes;
		st->oerrors += r->stats.errors;
		if (qs != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_opackets[i] = r->stats.packets;
			qs->q_obytes[i] = r->stats.bytes;
		}
	}
	/* Frames the NIC dropped as longer than the MTU allows. */
	st->ierrors += mqnic_read_cnt(priv, MQNIC_CNT_RX_TOO_LONG) -
		priv->cnt_base[MQNIC_CNT_RX_TOO_LONG];
	/* Frames the NIC dropped for want of a buffer or completion slot. */
	st->imissed = mqnic_read_cnt(priv, MQNIC_CNT_RX_NO_DESC) -
		priv->cnt_base[MQNIC_CNT_RX_NO_DESC] +
		mqnic_read_cnt(priv, MQNIC_CNT_RX_CQ_FULL) -
		priv->cnt_base[MQNIC_CNT_RX_CQ_FULL];
	st->rx_nombuf = dev->data->rx_mbuf_alloc_failed;
	return 0;
}

#ifdef MQNIC_STATS_GET_QUEUE_ARG
static int
mqnic_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st,
		struct eth_queue_stats *qs)
{
	return mqnic_stats_fill(dev, st, qs);
}
#else
/* Before DPDK 25.11 the per-queue counters are part of struct rte_eth_stats. */
static int
mqnic_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st)
{
	return mqnic_stats_fill(dev, st, st);
}
#endif

/* The counters never clear (REGISTERS.md): remember where they stood. */
static int
mqnic_stats_reset(struct rte_eth_dev *dev)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	struct mqnic_ring *r;
	unsigned int i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		r = dev->data->rx_queues[i];
		if (r != NULL)
			memset(&r->stats, 0, sizeof(r->stats));
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		r = dev->data->tx_queues[i];
		if (r != NULL)
			memset(&r->stats, 0, sizeof(r->stats));
	}
	for (i = 0; i < MQNIC_CNT_NUM; i++)
		priv->cnt_base[i] = mqnic_read_cnt(priv, i);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		if (dev->data->rx_queues[i] != NULL)
			mqnic_ring_counters_reset(priv, dev->data->rx_queues[i],
				false);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		if (dev->data->tx_queues[i] != NULL)
			mqnic_ring_counters_reset(priv, dev->data->tx_queues[i],
				true);
	return 0;
}

static int
mqnic_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
	unsigned int n)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	unsigned int total = mqnic_xstats_count(dev);
	uint64_t pcie[MQNIC_PCIE_NUM] = { 0 };
	uint64_t v[MQNIC_QUEUE_XSTATS];
	unsigned int i, j, k = MQNIC_CNT_NUM + MQNIC_PCIE_NUM;

	if (xstats == NULL || n < total)
		return total;
	for (i = 0; i < MQNIC_CNT_NUM; i++)
		xstats[i].value = mqnic_read_cnt(priv, i) - priv->cnt_base[i];
	/* The queues' interrupts are added to the link's. */
	pcie[MQNIC_PCIE_IRQS] = xstats[MQNIC_CNT_LINK_IRQS].value;
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		mqnic_queue_xstats(priv, dev->data->rx_queues[i], false, v, pcie);
		for (j = 0; j < MQNIC_QUEUE_XSTATS; j++)
			xstats[k++].value = v[j];
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		mqnic_queue_xstats(priv, dev->data->tx_queues[i], true, v, pcie);
		for (j = 0; j < MQNIC_QUEUE_XSTATS; j++)
			xstats[k++].value = v[j];
	}
	for (i = 0; i < MQNIC_PCIE_NUM; i++)
		xstats[MQNIC_CNT_NUM + i].value = pcie[i];
	for (i = 0; i < total; i++)
		xstats[i].id = i;
	return total;
}

static int
mqnic_xstats_get_names(struct rte_eth_dev *dev,
	struct rte_eth_xstat_name *names, unsigned int n)
{
	unsigned int total = mqnic_xstats_count(dev);
	unsigned int i, q, j, k = MQNIC_CNT_NUM + MQNIC_PCIE_NUM;
	uint16_t nb_q[2] = { dev->data->nb_rx_queues, dev->data->nb_tx_queues };
	const char *dir;

	if (names == NULL || n < total)
		return total;
	for (i = 0; i < MQNIC_CNT_NUM; i++)
		strlcpy(names[i].name, mqnic_cnt_names[i],
			sizeof(names[i].name));
	for (i = 0; i < MQNIC_PCIE_NUM; i++)
		strlcpy(names[MQNIC_CNT_NUM + i].name, mqnic_pcie_names[i],
			sizeof(names[0].name));
	for (i = 0; i < 2; i++) {
		dir = i == 0 ? "rx" : "tx";
		for (q = 0; q < nb_q[i]; q++) {
			for (j = 0; j < MQNIC_QREG_NUM; j++)
				snprintf(names[k++].name, sizeof(names[0].name),
					"%s_q%u_mmio_reads_%s", dir, q,
					mqnic_qreg_names[j]);
			for (j = 0; j < MQNIC_QREG_NUM; j++)
				snprintf(names[k++].name, sizeof(names[0].name),
					"%s_q%u_mmio_writes_%s", dir, q,
					mqnic_qreg_names[j]);
			for (j = 0; j < MQNIC_QCNT_NUM; j++)
				snprintf(names[k++].name, sizeof(names[0].name),
					"%s_q%u_%s", dir, q, mqnic_qcnt_names[j]);
		}
	}
	return total;
}

static int
mqnic_set_rx_filter(struct rte_eth_dev *dev, uint32_t set, uint32_t clear)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	uint32_t v = mqnic_read_reg(priv, MQNIC_IF_REG_RX_FILTER);

	mqnic_write_reg(priv, MQNIC_IF_REG_RX_FILTER, (v | set) & ~clear);
	return 0;
}

static int
mqnic_promiscuous_enable(struct rte_eth_dev *dev)
{
	return mqnic_set_rx_filter(dev, MQNIC_RX_FILTER_PROMISC, 0);
}

static int
mqnic_promiscuous_disable(struct rte_eth_dev *dev)
{
	return mqnic_set_rx_filter(dev, 0, MQNIC_RX_FILTER_PROMISC);
}

static int
mqnic_allmulticast_enable(struct rte_eth_dev *dev)
{
	return mqnic_set_rx_filter(dev, MQNIC_RX_FILTER_ALLMULTI, 0);
}

static int
mqnic_allmulticast_disable(struct rte_eth_dev *dev)
{
	return mqnic_set_rx_filter(dev, 0, MQNIC_RX_FILTER_ALLMULTI);
}

static int
mqnic_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *addr)
{
	mqnic_write_mac(dev->data->dev_private, addr);
	return 0;
}

/* ethdev keeps mac_addrs[] and replays it after dev_start; the table keeps
 * its entries across stop/start anyway. */
static int
mqnic_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *addr,
	uint32_t index, uint32_t vmdq __rte_unused)
{
	if (index == 0)
		return mqnic_mac_addr_set(dev, addr);
	if (index >= MQNIC_MAC_ADDRS)
		return -ENOSPC;
	mqnic_write_addr_entry(dev->data->dev_private, index, addr);
	return 0;
}

static void
mqnic_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	if (index != 0 && index < MQNIC_MAC_ADDRS)
		mqnic_write_addr_entry(dev->data->dev_private, index, NULL);
}

/* Replaces the whole multicast list; an empty one (or NULL) flushes it. */
static int
mqnic_set_mc_addr_list(struct rte_eth_dev *dev,
	struct rte_ether_addr *mc_addr_set, uint32_t nb_mc_addr)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	uint32_t i;

	if (nb_mc_addr > MQNIC_MC_MAX)
		return -ENOSPC;
	for (i = 0; i < nb_mc_addr; i++)
		if (!rte_is_multicast_ether_addr(&mc_addr_set[i]))
			return -EINVAL;
	for (i = 0; i < MQNIC_MC_MAX; i++)
		mqnic_write_addr_entry(priv, MQNIC_MC_FIRST + i,
			i < nb_mc_addr ? &mc_addr_set[i] : NULL);
	return 0;
}

static int
mqnic_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	int ret;

	ret = mqnic_check_rx_bufs(dev, mtu);
	if (ret != 0)
		return ret;
	mqnic_write_reg(priv, MQNIC_IF_REG_MTU, mtu);
	return 0;
}

static int
mqnic_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *conf)
{
	struct mqnic_priv *priv = dev->data->dev_private;

	if (conf->rss_key != NULL) {
		if (conf->rss_key_len != MQNIC_RSS_KEY_SIZE)
			return -EINVAL;
		memcpy(priv->rss_key, conf->rss_key, MQNIC_RSS_KEY_SIZE);
	}
	priv->rss_types = mqnic_rss_hf_to_types(conf->rss_hf);
	mqnic_write_rss(priv);
	return 0;
}

static int
mqnic_rss_hash_conf_get(struct rte_eth_dev *dev, struct rte_eth_rss_conf *conf)
{
	struct mqnic_priv *priv = dev->data->dev_private;

	if (conf->rss_key != NULL) {
		if (conf->rss_key_len < MQNIC_RSS_KEY_SIZE)
			return -EINVAL;
		memcpy(conf->rss_key, priv->rss_key, MQNIC_RSS_KEY_SIZE);
	}
	conf->rss_key_len = MQNIC_RSS_KEY_SIZE;
	conf->rss_hf = mqnic_rss_types_to_hf(priv->rss_types);
	return 0;
}

static int
mqnic_reta_update(struct rte_eth_dev *dev,
	struct rte_eth_rss_reta_entry64 *conf, uint16_t size)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	unsigned int i, g, b;

	if (size != MQNIC_RSS_TBL_SIZE)
		return -EINVAL;
	for (i = 0; i < size; i++) {
		g = i / RTE_ETH_RETA_GROUP_SIZE;
		b = i % RTE_ETH_RETA_GROUP_SIZE;
		if (conf[g].mask & RTE_BIT64(b))
			priv->reta[i] = conf[g].reta[b];
	}
	mqnic_write_rss(priv);
	return 0;
}

static int
mqnic_reta_query(struct rte_eth_dev *dev,
	struct rte_eth_rss_reta_entry64 *conf, uint16_t size)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	unsigned int i, g, b;

	if (size != MQNIC_RSS_TBL_SIZE)
		return -EINVAL;
	for (i = 0; i < size; i++) {
		g = i / RTE_ETH_RETA_GROUP_SIZE;
		b = i % RTE_ETH_RETA_GROUP_SIZE;
		if (conf[g].mask & RTE_BIT64(b))
			conf[g].reta[b] = priv->reta[i];
	}
	return 0;
}

static int
mqnic_fw_version_get(struct rte_eth_dev *dev, char *fw, size_t len)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	int ret;

	ret = snprintf(fw, len, "%u.%u.%u", (priv->fw_ver >> 16) & 0xff,
		(priv->fw_ver >> 8) & 0xff, priv->fw_ver & 0xff);
	if (ret < 0)
		return -EINVAL;
	ret += 1;	/* with the terminating NUL */
	return (size_t)ret > len ? ret : 0;
}

static const struct eth_dev_ops mqnic_ops = {
	.dev_configure = mqnic_dev_configure,
	.dev_infos_get = mqnic_dev_infos_get,
	.dev_supported_ptypes_get = mqnic_dev_supported_ptypes_get,
	.dev_start = mqnic_dev_start,
	.dev_stop = mqnic_dev_stop,
	.dev_close = mqnic_dev_close,
	.rx_queue_setup = mqnic_rx_queue_setup,
	.tx_queue_setup = mqnic_tx_queue_setup,
	.rx_queue_release = mqnic_rx_queue_release,
	.tx_queue_release = mqnic_tx_queue_release,
	.rx_queue_start = mqnic_rx_queue_start,
	.rx_queue_stop = mqnic_rx_queue_stop,
	.tx_queue_start = mqnic_tx_queue_start,
	.tx_queue_stop = mqnic_tx_queue_stop,
	.rxq_info_get = mqnic_rxq_info_get,
	.txq_info_get = mqnic_txq_info_get,
	.rx_burst_mode_get = mqnic_burst_mode_get,
	.tx_burst_mode_get = mqnic_burst_mode_get,
	.tx_done_cleanup = mqnic_tx_done_cleanup,
	.link_update = mqnic_link_update,
	.dev_set_link_up = mqnic_dev_set_link_up,
	.dev_set_link_down = mqnic_dev_set_link_down,
	.rx_queue_intr_enable = mqnic_rx_queue_intr_enable,
	.rx_queue_intr_disable = mqnic_rx_queue_intr_disable,
	.stats_get = mqnic_stats_get,
	.stats_reset = mqnic_stats_reset,
	.xstats_get = mqnic_xstats_get,
	.xstats_get_names = mqnic_xstats_get_names,
	.xstats_reset = mqnic_stats_reset,
	.promiscuous_enable = mqnic_promiscuous_enable,
	.promiscuous_disable = mqnic_promiscuous_disable,
	.allmulticast_enable = mqnic_allmulticast_enable,
	.allmulticast_disable = mqnic_allmulticast_disable,
	.mac_addr_set = mqnic_mac_addr_set,
	.mac_addr_add = mqnic_mac_addr_add,
	.mac_addr_remove = mqnic_mac_addr_remove,
	.set_mc_addr_list = mqnic_set_mc_addr_list,
	.mtu_set = mqnic_mtu_set,
	.rss_hash_update = mqnic_rss_hash_update,
	.rss_hash_conf_get = mqnic_rss_hash_conf_get,
	.reta_update = mqnic_reta_update,
	.reta_query = mqnic_reta_query,
	.fw_version_get = mqnic_fw_version_get,
	.timesync_enable = mqnic_timesync_enable,
	.timesync_disable = mqnic_timesync_disable,
	.timesync_read_rx_timestamp = mqnic_timesync_read_rx_timestamp,
	.timesync_read_tx_timestamp = mqnic_timesync_read_tx_timestamp,
	.timesync_adjust_time = mqnic_timesync_adjust_time,
#ifdef MQNIC_TIMESYNC_ADJUST_FREQ
	.timesync_adjust_freq = mqnic_timesync_adjust_freq,
#endif
	.timesync_read_time = mqnic_timesync_read_time,
	.timesync_write_time = mqnic_timesync_write_time,
	.read_clock = mqnic_read_clock,
};

/* The BAR must describe queue blocks that lie inside it. */
static int
mqnic_check_layout(const struct mqnic_priv *priv)
{
	const uint32_t offs[] = { priv->txq_offset, priv->txcq_offset,
		priv->rxq_offset, priv->rxcq_offset };
	uint32_t n = RTE_MAX(priv->max_txq, priv->max_rxq);
	unsigned int i;

	if (priv->max_txq == 0 || priv->max_txq > MQNIC_MAX_QUEUES ||
			priv->max_rxq == 0 || priv->max_rxq > MQNIC_MAX_QUEUES ||
			priv->stride < MQNIC_QUEUE_STRIDE ||
			priv->max_log_size < MQNIC_MIN_LOG_RING_SIZE ||
			priv->max_log_size > MQNIC_MAX_LOG_RING_SIZE)
		return -EINVAL;
	for (i = 0; i < RTE_DIM(offs); i++)
		if ((uint64_t)offs[i] + (uint64_t)n * priv->stride >
				MQNIC_BAR0_SIZE)
			return -EINVAL;
	return 0;
}

int
mqnic_dev_init(struct rte_eth_dev *dev, void *bar0)
{
	struct mqnic_priv *priv = dev->data->dev_private;
	struct rte_ether_addr mac;
	unsigned int i;
	uint32_t id;

	dev->dev_ops = &mqnic_ops;
	dev->rx_pkt_burst = mqnic_recv_pkts;
	dev->tx_pkt_burst = mqnic_xmit_pkts;
	dev->tx_pkt_prepare = mqnic_prep_pkts;
	dev->rx_queue_count = mqnic_rx_queue_count;
	dev->rx_descriptor_status = mqnic_rx_descriptor_status;
	dev->tx_descriptor_status = mqnic_tx_descriptor_status;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;

	priv->bar0 = bar0;
	id = mqnic_read_reg(priv, MQNIC_IF_REG_ID);
	if (unlikely(id != MQNIC_IF_ID)) {
		PMD_LOG(ERR, "%s: ID register reads 0x%08x, not an mqnic",
			dev->data->name, id);
		return -ENODEV;
	}
	priv->fw_ver = mqnic_read_reg(priv, MQNIC_IF_REG_FW_VER);
	priv->max_txq = mqnic_read_reg(priv, MQNIC_IF_REG_TXQ_COUNT);
	priv->max_rxq = mqnic_read_reg(priv, MQNIC_IF_REG_RXQ_COUNT);
	priv->txq_offset = mqnic_read_reg(priv, MQNIC_IF_REG_TXQ_OFFSET);
	priv->txcq_offset = mqnic_read_reg(priv, MQNIC_IF_REG_TXCQ_OFFSET);
	priv->rxq_offset = mqnic_read_reg(priv, MQNIC_IF_REG_RXQ_OFFSET);
	priv->rxcq_offset = mqnic_read_reg(priv, MQNIC_IF_REG_RXCQ_OFFSET);
	priv->stride = mqnic_read_reg(priv, MQNIC_IF_REG_QUEUE_STRIDE);
	priv->max_log_size = mqnic_read_reg(priv, MQNIC_IF_REG_MAX_LOG_SIZE);
	priv->max_mtu = mqnic_read_reg(priv, MQNIC_IF_REG_MAX_MTU);
	if (unlikely(mqnic_check_layout(priv) != 0)) {
		PMD_LOG(ERR, "%s: inconsistent queue layout in BAR0",
			dev->data->name);
		return -ENODEV;
	}
	/*
	 * A process that ended without stopping its ports (a crash) leaves
	 * queues active, DMAing into memory that is no longer its rings: stop
	 * them all before anything else.
	 */
	for (i = 0; i < priv->max_txq; i++)
		if (mqnic_queue_deactivate(
				priv->bar0 + priv->txq_offset + i * priv->stride,
				priv->bar0 + priv->txcq_offset + i * priv->stride))
			PMD_LOG(ERR, "%s: TX queue %u stays busy after "
				"deactivation", dev->data->name, i);
	for (i = 0; i < priv->max_rxq; i++)
		if (mqnic_queue_deactivate(
				priv->bar0 + priv->rxq_offset + i * priv->stride,
				priv->bar0 + priv->rxcq_offset + i * priv->stride))
			PMD_LOG(ERR, "%s: RX queue %u stays busy after "
				"deactivation", dev->data->name, i);
	if (priv->max_mtu < RTE_ETHER_MTU)
		priv->max_mtu = RTE_ETHER_MTU;
	if (priv->default_rxd == 0)
		priv->default_rxd = MQNIC_DEFAULT_RING_SIZE;
	if (priv->default_txd == 0)
		priv->default_txd = MQNIC_DEFAULT_RING_SIZE;
	memcpy(priv->rss_key, mqnic_default_rss_key, MQNIC_RSS_KEY_SIZE);
	for (i = 0; i < MQNIC_CNT_NUM; i++)
		priv->cnt_base[i] = mqnic_read_cnt(priv, i);

	/* Addresses an earlier process added are not this one's. */
	for (i = 0; i < MQNIC_ADDR_TBL_SIZE; i++)
		mqnic_write_addr_entry(priv, i, NULL);

	/* Freed by rte_eth_dev_release_port, also when probing fails. */
	dev->data->mac_addrs = rte_zmalloc(NULL,
		MQNIC_MAC_ADDRS * RTE_ETHER_ADDR_LEN, 0);
	if (dev->data->mac_addrs == NULL)
		return -ENOMEM;
	mqnic_read_mac(priv, &mac);
	if (!rte_is_valid_assigned_ether_addr(&mac)) {
		rte_eth_random_addr(mac.addr_bytes);
		PMD_LOG(NOTICE, "%s: no valid MAC address, using a random one",
			dev->data->name);
		mqnic_write_mac(priv, &mac);
	}
	rte_ether_addr_copy(&mac, &dev->data->mac_addrs[0]);
	dev->data->dev_flags |= RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	return 0;
}

int
mqnic_dev_uninit(struct rte_eth_dev *dev)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	return mqnic_dev_close(dev);
}
