/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * Bus-agnostic core of the {{ cookiecutter.name }} PMD: probe-time init and the ethdev ops
 * (the datapath is {{ cookiecutter.name }}_rxtx.c), over a BAR0 laid out as in REGISTERS.md.
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

#include "{{ cookiecutter.name }}.h"
#include "{{ cookiecutter.name }}_compat.h"
#include "{{ cookiecutter.name }}_rxtx.h"

/* The log type name comes from the build (-DRTE_LOG_DEFAULT_LOGTYPE). */
RTE_LOG_REGISTER_DEFAULT({{ cookiecutter.name }}_logtype, NOTICE);

/* How long a PTP clock command may take the NIC (it takes ns on hardware). */
#define {{ cookiecutter.macro }}_PTP_CMD_WAIT_US	10000
/* Ethernet header plus one VLAN tag on top of the MTU (REGISTERS.md, MTU). */
#define {{ cookiecutter.macro }}_FRAME_OVERHEAD	(RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN)
#define {{ cookiecutter.macro }}_RING_ALIGN	4096
/* How long a stop waits for the NIC to finish with a queue, polling. */
#define {{ cookiecutter.macro }}_IDLE_WAIT_US	100000
#define {{ cookiecutter.macro }}_IDLE_POLL_US	100


#define {{ cookiecutter.macro }}_RX_CSUM_OFFLOADS (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | \
	RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM)
#define {{ cookiecutter.macro }}_TX_CSUM_OFFLOADS (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | \
	RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM)

#define {{ cookiecutter.macro }}_RSS_OFFLOAD_ALL ( \
	RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_TCP | \
	RTE_ETH_RSS_NONFRAG_IPV4_UDP | RTE_ETH_RSS_IPV6 | \
	RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_NONFRAG_IPV6_UDP)

/* The default key of Microsoft's RSS specification, used by most NICs. */
static const uint8_t {{ cookiecutter.name }}_default_rss_key[{{ cookiecutter.macro }}_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static const struct {
	uint64_t rss_hf;
	uint32_t type;
} {{ cookiecutter.name }}_rss_map[] = {
	{ RTE_ETH_RSS_IPV4, {{ cookiecutter.macro }}_RSS_IPV4 },
	{ RTE_ETH_RSS_NONFRAG_IPV4_TCP, {{ cookiecutter.macro }}_RSS_TCP_IPV4 },
	{ RTE_ETH_RSS_NONFRAG_IPV4_UDP, {{ cookiecutter.macro }}_RSS_UDP_IPV4 },
	{ RTE_ETH_RSS_IPV6, {{ cookiecutter.macro }}_RSS_IPV6 },
	{ RTE_ETH_RSS_NONFRAG_IPV6_TCP, {{ cookiecutter.macro }}_RSS_TCP_IPV6 },
	{ RTE_ETH_RSS_NONFRAG_IPV6_UDP, {{ cookiecutter.macro }}_RSS_UDP_IPV6 },
};


static const char * const {{ cookiecutter.name }}_cnt_names[{{ cookiecutter.macro }}_CNT_NUM] = {
	[{{ cookiecutter.macro }}_CNT_RX_FRAMES] = "rx_hw_frames",
	[{{ cookiecutter.macro }}_CNT_RX_BYTES] = "rx_hw_bytes",
	[{{ cookiecutter.macro }}_CNT_TX_FRAMES] = "tx_hw_frames",
	[{{ cookiecutter.macro }}_CNT_TX_BYTES] = "tx_hw_bytes",
	[{{ cookiecutter.macro }}_CNT_RX_NO_DESC] = "rx_no_desc_drops",
	[{{ cookiecutter.macro }}_CNT_RX_CQ_FULL] = "rx_cq_full_drops",
	[{{ cookiecutter.macro }}_CNT_RX_TOO_LONG] = "rx_too_long_drops",
	[{{ cookiecutter.macro }}_CNT_RX_FILTERED] = "rx_filtered_drops",
	[{{ cookiecutter.macro }}_CNT_DMA_ERRORS] = "dma_errors",
	[{{ cookiecutter.macro }}_CNT_LINK_DOWN_DROPS] = "link_down_drops",
	[{{ cookiecutter.macro }}_CNT_TX_BAD_DESC] = "tx_bad_desc",
	[{{ cookiecutter.macro }}_CNT_LINK_IRQS] = "link_irqs",
};

static uint64_t
{{ cookiecutter.name }}_read_cnt(const struct {{ cookiecutter.name }}_priv *priv, unsigned int i)
{
	return rte_read64(priv->bar0 + {{ cookiecutter.macro }}_IF_REG_CNT + 8 * i);
}

/*
 * PCIe traffic (REGISTERS.md, "Counting MMIO" and "Queue transfer
 * counters"), as xstats: port totals first, under names any driver may
 * export (`kit bench` reports them per packet), then per queue: the core's
 * register accesses by register, and what the NIC moved for the queue.
 */
enum {{ cookiecutter.name }}_pcie_xstat {
	{{ cookiecutter.macro }}_PCIE_MMIO_RD,
	{{ cookiecutter.macro }}_PCIE_MMIO_WR,
	{{ cookiecutter.macro }}_PCIE_DMA_RD,
	{{ cookiecutter.macro }}_PCIE_DMA_RD_BYTES,
	{{ cookiecutter.macro }}_PCIE_DMA_WR,
	{{ cookiecutter.macro }}_PCIE_DMA_WR_BYTES,
	{{ cookiecutter.macro }}_PCIE_IRQS,
	{{ cookiecutter.macro }}_PCIE_DOORBELLS_SEEN,
	{{ cookiecutter.macro }}_PCIE_NUM
};

static const char * const {{ cookiecutter.name }}_pcie_names[{{ cookiecutter.macro }}_PCIE_NUM] = {
	[{{ cookiecutter.macro }}_PCIE_MMIO_RD] = "pcie_mmio_reads",
	[{{ cookiecutter.macro }}_PCIE_MMIO_WR] = "pcie_mmio_writes",
	[{{ cookiecutter.macro }}_PCIE_DMA_RD] = "pcie_dma_reads",
	[{{ cookiecutter.macro }}_PCIE_DMA_RD_BYTES] = "pcie_dma_read_bytes",
	[{{ cookiecutter.macro }}_PCIE_DMA_WR] = "pcie_dma_writes",
	[{{ cookiecutter.macro }}_PCIE_DMA_WR_BYTES] = "pcie_dma_write_bytes",
	[{{ cookiecutter.macro }}_PCIE_IRQS] = "pcie_irqs",
	[{{ cookiecutter.macro }}_PCIE_DOORBELLS_SEEN] = "pcie_doorbells_seen",
};

static const char * const {{ cookiecutter.name }}_qreg_names[{{ cookiecutter.macro }}_QREG_NUM] = {
	[{{ cookiecutter.macro }}_QREG_HEAD] = "head_ptr",
	[{{ cookiecutter.macro }}_QREG_TAIL] = "tail_ptr",
	[{{ cookiecutter.macro }}_QREG_CQ_HEAD] = "cq_head_ptr",
	[{{ cookiecutter.macro }}_QREG_CQ_TAIL] = "cq_tail_ptr",
	[{{ cookiecutter.macro }}_QREG_CTRL] = "ctrl",
};

static const char * const {{ cookiecutter.name }}_qcnt_names[{{ cookiecutter.macro }}_QCNT_NUM] = {
	[{{ cookiecutter.macro }}_QCNT_DESC_RD] = "dma_desc_reads",
	[{{ cookiecutter.macro }}_QCNT_DESC_RD_BYTES] = "dma_desc_read_bytes",
	[{{ cookiecutter.macro }}_QCNT_CPL_WR] = "dma_cpl_writes",
	[{{ cookiecutter.macro }}_QCNT_CPL_WR_BYTES] = "dma_cpl_write_bytes",
	[{{ cookiecutter.macro }}_QCNT_DATA_RD] = "dma_data_reads",
	[{{ cookiecutter.macro }}_QCNT_DATA_RD_BYTES] = "dma_data_read_bytes",
	[{{ cookiecutter.macro }}_QCNT_DATA_WR] = "dma_data_writes",
	[{{ cookiecutter.macro }}_QCNT_DATA_WR_BYTES] = "dma_data_write_bytes",
	[{{ cookiecutter.macro }}_QCNT_DOORBELLS] = "doorbells_seen",
	[{{ cookiecutter.macro }}_QCNT_IRQS] = "irqs",
};

#define {{ cookiecutter.macro }}_QUEUE_XSTATS	(2 * {{ cookiecutter.macro }}_QREG_NUM + {{ cookiecutter.macro }}_QCNT_NUM)

/* A queue's transfer counter, from where it stood at the last reset. */
static uint64_t
{{ cookiecutter.name }}_read_qcnt(const struct {{ cookiecutter.name }}_priv *priv, const struct {{ cookiecutter.name }}_ring *r,
	bool tx, unsigned int c)
{
	return rte_read64(priv->bar0 + {{ cookiecutter.macro }}_QCNT_ADDR(tx, r->qid) + 8 * c) -
		r->qcnt_base[c];
}

static void
{{ cookiecutter.name }}_ring_counters_reset(const struct {{ cookiecutter.name }}_priv *priv, struct {{ cookiecutter.name }}_ring *r,
	bool tx)
{
	unsigned int c;

	memset(r->mmio_rd, 0, sizeof(r->mmio_rd));
	memset(r->mmio_wr, 0, sizeof(r->mmio_wr));
	for (c = 0; c < {{ cookiecutter.macro }}_QCNT_NUM; c++)
		r->qcnt_base[c] = rte_read64(priv->bar0 +
			{{ cookiecutter.macro }}_QCNT_ADDR(tx, r->qid) + 8 * c);
}

static unsigned int
{{ cookiecutter.name }}_xstats_count(const struct rte_eth_dev *dev)
{
	return {{ cookiecutter.macro }}_CNT_NUM + {{ cookiecutter.macro }}_PCIE_NUM + {{ cookiecutter.macro }}_QUEUE_XSTATS *
		(dev->data->nb_rx_queues + dev->data->nb_tx_queues);
}

/* One queue's xstats into v ({{ cookiecutter.macro }}_QUEUE_XSTATS), its totals into pcie. */
static void
{{ cookiecutter.name }}_queue_xstats(const struct {{ cookiecutter.name }}_priv *priv, const struct {{ cookiecutter.name }}_ring *r,
	bool tx, uint64_t *v, uint64_t *pcie)
{
	unsigned int i;

	memset(v, 0, {{ cookiecutter.macro }}_QUEUE_XSTATS * sizeof(*v));
	if (r == NULL)
		return;
	for (i = 0; i < {{ cookiecutter.macro }}_QREG_NUM; i++) {
		v[i] = r->mmio_rd[i];
		v[{{ cookiecutter.macro }}_QREG_NUM + i] = r->mmio_wr[i];
		pcie[{{ cookiecutter.macro }}_PCIE_MMIO_RD] += r->mmio_rd[i];
		pcie[{{ cookiecutter.macro }}_PCIE_MMIO_WR] += r->mmio_wr[i];
	}
	v += 2 * {{ cookiecutter.macro }}_QREG_NUM;
	for (i = 0; i < {{ cookiecutter.macro }}_QCNT_NUM; i++)
		v[i] = {{ cookiecutter.name }}_read_qcnt(priv, r, tx, i);
	pcie[{{ cookiecutter.macro }}_PCIE_DMA_RD] += v[{{ cookiecutter.macro }}_QCNT_DESC_RD] + v[{{ cookiecutter.macro }}_QCNT_DATA_RD];
	pcie[{{ cookiecutter.macro }}_PCIE_DMA_RD_BYTES] += v[{{ cookiecutter.macro }}_QCNT_DESC_RD_BYTES] +
		v[{{ cookiecutter.macro }}_QCNT_DATA_RD_BYTES];
	pcie[{{ cookiecutter.macro }}_PCIE_DMA_WR] += v[{{ cookiecutter.macro }}_QCNT_CPL_WR] + v[{{ cookiecutter.macro }}_QCNT_DATA_WR];
	pcie[{{ cookiecutter.macro }}_PCIE_DMA_WR_BYTES] += v[{{ cookiecutter.macro }}_QCNT_CPL_WR_BYTES] +
		v[{{ cookiecutter.macro }}_QCNT_DATA_WR_BYTES];
	pcie[{{ cookiecutter.macro }}_PCIE_IRQS] += v[{{ cookiecutter.macro }}_QCNT_IRQS];
	pcie[{{ cookiecutter.macro }}_PCIE_DOORBELLS_SEEN] += v[{{ cookiecutter.macro }}_QCNT_DOORBELLS];
}

static uint32_t
{{ cookiecutter.name }}_rss_hf_to_types(uint64_t rss_hf)
{
	uint32_t types = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM({{ cookiecutter.name }}_rss_map); i++)
		if (rss_hf & {{ cookiecutter.name }}_rss_map[i].rss_hf)
			types |= {{ cookiecutter.name }}_rss_map[i].type;
	return types;
}

static uint64_t
{{ cookiecutter.name }}_rss_types_to_hf(uint32_t types)
{
	uint64_t rss_hf = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM({{ cookiecutter.name }}_rss_map); i++)
		if (types & {{ cookiecutter.name }}_rss_map[i].type)
			rss_hf |= {{ cookiecutter.name }}_rss_map[i].rss_hf;
	return rss_hf;
}

/* Key, indirection table and hash types: the NIC uses them as written. */
static void
{{ cookiecutter.name }}_write_rss(struct {{ cookiecutter.name }}_priv *priv)
{
	unsigned int i;
	uint32_t w;

	for (i = 0; i < {{ cookiecutter.macro }}_RSS_KEY_SIZE; i += 4) {
		w = (uint32_t)priv->rss_key[i] |
			(uint32_t)priv->rss_key[i + 1] << 8 |
			(uint32_t)priv->rss_key[i + 2] << 16 |
			(uint32_t)priv->rss_key[i + 3] << 24;
		{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_RSS_KEY + i, w);
	}
	for (i = 0; i < {{ cookiecutter.macro }}_RSS_TBL_SIZE; i++)
		{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_RSS_TBL + 4 * i,
			priv->reta[i]);
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_RSS_CTRL, priv->rss_types);
}

static void
{{ cookiecutter.name }}_write_mac(struct {{ cookiecutter.name }}_priv *priv, const struct rte_ether_addr *mac)
{
	const uint8_t *b = mac->addr_bytes;

	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_MAC_LO, (uint32_t)b[0] |
		(uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		(uint32_t)b[3] << 24);
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_MAC_HI,
		(uint32_t)b[4] | (uint32_t)b[5] << 8);
}

/*
 * The address table's entries: 1..{{ cookiecutter.macro }}_MAC_ADDRS - 1 hold the unicast
 * addresses added after the port's own (entry i is mac_addrs[i], so entry 0
 * is never used), the rest the multicast list.
 */
#define {{ cookiecutter.macro }}_MAC_ADDRS		16
#define {{ cookiecutter.macro }}_MC_FIRST		{{ cookiecutter.macro }}_MAC_ADDRS
#define {{ cookiecutter.macro }}_MC_MAX		({{ cookiecutter.macro }}_ADDR_TBL_SIZE - {{ cookiecutter.macro }}_MC_FIRST)

/* The entry's valid bit is written last, so the NIC never matches half. */
static void
{{ cookiecutter.name }}_write_addr_entry(struct {{ cookiecutter.name }}_priv *priv, uint32_t entry,
	const struct rte_ether_addr *mac)
{
	uint32_t off = {{ cookiecutter.macro }}_IF_REG_ADDR_TBL + 8 * entry;
	const uint8_t *b;

	{{ cookiecutter.name }}_write_reg(priv, off + 4, 0);
	if (mac == NULL)
		return;
	b = mac->addr_bytes;
	{{ cookiecutter.name }}_write_reg(priv, off, (uint32_t)b[0] | (uint32_t)b[1] << 8 |
		(uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
	{{ cookiecutter.name }}_write_reg(priv, off + 4, {{ cookiecutter.macro }}_ADDR_TBL_VALID |
		(uint32_t)b[4] | (uint32_t)b[5] << 8);
}

static void
{{ cookiecutter.name }}_read_mac(const struct {{ cookiecutter.name }}_priv *priv, struct rte_ether_addr *mac)
{
	uint32_t lo = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_MAC_LO);
	uint32_t hi = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_MAC_HI);

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
{{ cookiecutter.name }}_ring_drain(struct {{ cookiecutter.name }}_ring *r)
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
{{ cookiecutter.name }}_ring_free(struct rte_eth_dev *dev, struct {{ cookiecutter.name }}_ring *r, bool tx)
{
	if (r == NULL)
		return;
	{{ cookiecutter.name }}_ring_drain(r);
	rte_eth_dma_zone_free(dev, tx ? "tx_desc" : "rx_desc", r->qid);
	rte_eth_dma_zone_free(dev, tx ? "tx_cpl" : "rx_cpl", r->qid);
	rte_free(r->sw_ring);
	rte_free(r);
}

static struct {{ cookiecutter.name }}_ring *
{{ cookiecutter.name }}_ring_alloc(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket, bool tx, uint8_t max_log_block)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	uint32_t qoff = tx ? priv->txq_offset : priv->rxq_offset;
	uint32_t cqoff = tx ? priv->txcq_offset : priv->rxcq_offset;
	/*
	 * The NIC's rings are powers of 2; any count desc_lim allows gets the
	 * next one up and uses nb_desc entries of it.
	 */
	uint32_t size = rte_align32pow2(nb_desc);
	struct {{ cookiecutter.name }}_ring *r;

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
		qid, (size << max_log_block) * sizeof(struct {{ cookiecutter.name }}_desc),
		{{ cookiecutter.macro }}_RING_ALIGN,
		socket);
	if (r->desc_mz == NULL)
		goto fail;
	r->cpl_mz = rte_eth_dma_zone_reserve(dev, tx ? "tx_cpl" : "rx_cpl",
		qid, size * sizeof(struct {{ cookiecutter.name }}_cpl), {{ cookiecutter.macro }}_RING_ALIGN,
		socket);
	if (r->cpl_mz == NULL)
		goto fail;
	r->desc = r->desc_mz->addr;
	r->cpl = r->cpl_mz->addr;
	/* The NIC's counters of this queue index run on from earlier rings. */
	{{ cookiecutter.name }}_ring_counters_reset(priv, r, tx);
	return r;
fail:
	PMD_LOG(ERR, "port %u: no memory for queue %u", r->port_id, qid);
	{{ cookiecutter.name }}_ring_free(dev, r, tx);
	return NULL;
}

/*
 * Program a queue and its completion queue (REGISTERS.md, "Programming a
 * queue"): deactivate, set base and pointers, then activate.
 */
static void
{{ cookiecutter.name }}_ring_start(struct {{ cookiecutter.name }}_ring *r)
{
	uint32_t size_reg = {{ cookiecutter.macro }}_QUEUE_ACTIVE | rte_log2_u32(r->mask + 1) |
		(uint32_t)r->log_block << {{ cookiecutter.macro }}_QUEUE_LOG_BLOCK_SHIFT;
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
		(r->mask + 1) * sizeof(struct {{ cookiecutter.name }}_cpl));

	{{ cookiecutter.name }}_ring_write_ctrl(r, false, {{ cookiecutter.macro }}_QUEUE_ACTIVE_LOG_SIZE, 0);
	{{ cookiecutter.name }}_ring_write_ctrl(r, true, {{ cookiecutter.macro }}_QUEUE_ACTIVE_LOG_SIZE, 0);
	{{ cookiecutter.name }}_ring_write_ctrl(r, true, {{ cookiecutter.macro }}_QUEUE_BASE_ADDR_LO,
		(uint32_t)r->cpl_mz->iova);
	{{ cookiecutter.name }}_ring_write_ctrl(r, true, {{ cookiecutter.macro }}_QUEUE_BASE_ADDR_HI,
		(uint32_t)(r->cpl_mz->iova >> 32));
	{{ cookiecutter.name }}_ring_write_ctrl(r, true, {{ cookiecutter.macro }}_CQ_EVENT_INDEX, 0);
	{{ cookiecutter.name }}_ring_write_ctrl(r, true, {{ cookiecutter.macro }}_QUEUE_HEAD_PTR, 0);
	{{ cookiecutter.name }}_ring_write_ctrl(r, true, {{ cookiecutter.macro }}_QUEUE_TAIL_PTR, 0);
	{{ cookiecutter.name }}_ring_write_ctrl(r, false, {{ cookiecutter.macro }}_QUEUE_BASE_ADDR_LO,
		(uint32_t)r->desc_mz->iova);
	{{ cookiecutter.name }}_ring_write_ctrl(r, false, {{ cookiecutter.macro }}_QUEUE_BASE_ADDR_HI,
		(uint32_t)(r->desc_mz->iova >> 32));
	{{ cookiecutter.name }}_ring_write_ctrl(r, false, {{ cookiecutter.macro }}_QUEUE_CQ_INDEX, r->qid);
	{{ cookiecutter.name }}_ring_write_ctrl(r, false, {{ cookiecutter.macro }}_QUEUE_HEAD_PTR, 0);
	{{ cookiecutter.name }}_ring_write_ctrl(r, false, {{ cookiecutter.macro }}_QUEUE_TAIL_PTR, 0);
	r->prod = 0;
	r->cons = 0;
	{{ cookiecutter.name }}_ring_write_ctrl(r, true, {{ cookiecutter.macro }}_QUEUE_ACTIVE_LOG_SIZE, size_reg);
	{{ cookiecutter.name }}_ring_write_ctrl(r, false, {{ cookiecutter.macro }}_QUEUE_ACTIVE_LOG_SIZE, size_reg);
	r->started = 1;
}

/*
 * Deactivate a queue and its completion queue and wait (bounded) until the
 * NIC says it is done with them (REGISTERS.md, "Stopping a queue"): a
 * transfer under way when ACTIVE was cleared, e.g. a paired port's frame,
 * still writes into the ring's buffers. -ETIMEDOUT if still busy.
 */
static int
{{ cookiecutter.name }}_queue_deactivate(uint8_t *q_regs, uint8_t *cq_regs)
{
	unsigned int us;

	rte_write32(0, q_regs + {{ cookiecutter.macro }}_QUEUE_ACTIVE_LOG_SIZE);
	rte_write32(0, cq_regs + {{ cookiecutter.macro }}_QUEUE_ACTIVE_LOG_SIZE);
	/* ACTIVE is cleared before BUSY is read. */
	rte_mb();
	for (us = 0; us <= {{ cookiecutter.macro }}_IDLE_WAIT_US; us += {{ cookiecutter.macro }}_IDLE_POLL_US) {
		if (!((rte_read32(q_regs + {{ cookiecutter.macro }}_QUEUE_STATUS) |
				rte_read32(cq_regs + {{ cookiecutter.macro }}_QUEUE_STATUS)) &
				{{ cookiecutter.macro }}_QUEUE_STATUS_BUSY))
			return 0;
		rte_delay_us_sleep({{ cookiecutter.macro }}_IDLE_POLL_US);
	}
	return -ETIMEDOUT;
}

/* Once inactive and idle, the NIC is done with the ring: its mbufs are ours. */
static void
{{ cookiecutter.name }}_ring_stop(struct {{ cookiecutter.name }}_ring *r, const char *kind)
{
	r->started = 0;
	if ({{ cookiecutter.name }}_queue_deactivate(r->q_regs, r->cq_regs) == 0) {
		{{ cookiecutter.name }}_ring_drain(r);
	} else {
		PMD_LOG(ERR, "port %u: %s queue %u still busy %u ms after "
			"deactivation: its %u mbufs are left to the NIC, not "
			"freed under a DMA", r->port_id, kind, r->qid,
			{{ cookiecutter.macro }}_IDLE_WAIT_US / 1000, r->prod - r->cons);
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
{{ cookiecutter.name }}_rx_mbuf_init(uint16_t port_id)
{
	struct rte_mbuf mb = { .buf_addr = NULL };

	mb.data_off = RTE_PKTMBUF_HEADROOM;
	mb.nb_segs = 1;
	mb.port = port_id;
	rte_mbuf_refcnt_set(&mb, 1);
	return *(uint64_t *)RTE_PTR_ADD(&mb, {{ cookiecutter.macro }}_REARM_OFF);
}

static int
{{ cookiecutter.name }}_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket, const struct rte_eth_rxconf *conf,
	struct rte_mempool *mp)
{
	uint32_t data_room = rte_pktmbuf_data_room_size(mp);
	uint32_t room = data_room - RTE_MIN(data_room, (uint32_t)RTE_PKTMBUF_HEADROOM);
	uint64_t offloads = dev->data->dev_conf.rxmode.offloads | conf->offloads;
	/* Scatter: rings sized for the largest block, the NIC's limit. */
	uint8_t lb = (offloads & RTE_ETH_RX_OFFLOAD_SCATTER) ?
		{{ cookiecutter.macro }}_MAX_LOG_BLOCK_SIZE : 0;
	struct {{ cookiecutter.name }}_ring *rxq;

	/* A frame of the current MTU must fit the buffers of an entry. */
	room = RTE_MIN(room, (uint32_t)UINT16_MAX);
	if (unlikely((room << lb) < (uint32_t)dev->data->mtu +
			{{ cookiecutter.macro }}_FRAME_OVERHEAD)) {
		PMD_LOG(ERR, "port %u: buffers of %u bytes hold no MTU frame%s",
			dev->data->port_id, room, lb != 0 ? " in 8 segments" :
			" (no scatter)");
		return -EINVAL;
	}
	rxq = {{ cookiecutter.name }}_ring_alloc(dev, qid, nb_desc, socket, false, lb);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->mp = mp;
	rxq->deferred = conf->rx_deferred_start;
	rxq->buf_len = room;
	rxq->csum = (offloads & (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM)) != 0;
	rxq->mbuf_init = {{ cookiecutter.name }}_rx_mbuf_init(dev->data->port_id);
	/* Mbufs of a pinned external-buffer pool keep their EXTERNAL flag. */
	rxq->ol_base = (rte_pktmbuf_priv_flags(mp) &
		RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF) ? RTE_MBUF_F_EXTERNAL : 0;
	dev->data->rx_queues[qid] = rxq;
	return 0;
}

static int
{{ cookiecutter.name }}_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket, const struct rte_eth_txconf *conf)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	uint64_t offloads = dev->data->dev_conf.txmode.offloads | conf->offloads;
	/* MULTI_SEGS: an entry of 8 descriptors, a segment each. */
	uint8_t lb = (offloads & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) ?
		{{ cookiecutter.macro }}_MAX_LOG_BLOCK_SIZE : 0;
	struct {{ cookiecutter.name }}_ring *txq;

	txq = {{ cookiecutter.name }}_ring_alloc(dev, qid, nb_desc, socket, true, lb);
	if (txq == NULL)
		return -ENOMEM;
	txq->log_block = lb;
	/* TX: the largest frame the NIC sends (REGISTERS.md, tx_bad_desc). */
	txq->max_len = priv->max_mtu + {{ cookiecutter.macro }}_FRAME_OVERHEAD;
	txq->deferred = conf->tx_deferred_start;
	/* One segment per entry only: a chain's segments need their fields reset. */
	txq->fast_free = lb == 0 &&
		(offloads & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE) != 0;
	dev->data->tx_queues[qid] = txq;
	return 0;
}

static void
{{ cookiecutter.name }}_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	{{ cookiecutter.name }}_ring_free(dev, dev->data->rx_queues[qid], false);
	dev->data->rx_queues[qid] = NULL;
}

static void
{{ cookiecutter.name }}_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	{{ cookiecutter.name }}_ring_free(dev, dev->data->tx_queues[qid], true);
	dev->data->tx_queues[qid] = NULL;
}

/*
 * Queue start/stop: ethdev calls start only on a started port and on a
 * stopped queue. Start programs the rings (and fills an RX ring); stop
 * deactivates them and gives every mbuf they hold back.
 */
static int
{{ cookiecutter.name }}_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct {{ cookiecutter.name }}_ring *rxq = dev->data->rx_queues[qid];
	uint32_t frame = (uint32_t)dev->data->mtu + {{ cookiecutter.macro }}_FRAME_OVERHEAD;

	/* Scatter: as few buffers per entry as a frame of the MTU needs. */
	rxq->log_block = 0;
	while (rxq->log_block < rxq->max_log_block &&
			((uint32_t)rxq->buf_len << rxq->log_block) < frame)
		rxq->log_block++;
	{{ cookiecutter.name }}_ring_start(rxq);
	if (rxq->max_log_block != 0)
		{{ cookiecutter.name }}_rx_refill_blocks(rxq);
	else
		{{ cookiecutter.name }}_rx_refill(rxq);
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

static int
{{ cookiecutter.name }}_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct {{ cookiecutter.name }}_ring *rxq = dev->data->rx_queues[qid];

	if (rxq != NULL)
		{{ cookiecutter.name }}_ring_stop(rxq, "RX");
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static int
{{ cookiecutter.name }}_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct {{ cookiecutter.name }}_ring *txq = dev->data->tx_queues[qid];

	{{ cookiecutter.name }}_ring_start(txq);
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

static int
{{ cookiecutter.name }}_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct {{ cookiecutter.name }}_ring *txq = dev->data->tx_queues[qid];

	if (txq != NULL)
		{{ cookiecutter.name }}_ring_stop(txq, "TX");
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static void
{{ cookiecutter.name }}_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_rxq_info *qinfo)
{
	const struct {{ cookiecutter.name }}_ring *rxq = dev->data->rx_queues[qid];

	qinfo->mp = rxq->mp;
	qinfo->scattered_rx = rxq->max_log_block != 0;
	qinfo->nb_desc = rxq->nb_desc;
	qinfo->rx_buf_size = rxq->buf_len;
	qinfo->conf.rx_free_thresh = {{ cookiecutter.macro }}_RX_REFILL_THRESH;
	qinfo->conf.rx_deferred_start = rxq->deferred;
	qinfo->conf.offloads = dev->data->dev_conf.rxmode.offloads;
}

static void
{{ cookiecutter.name }}_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_txq_info *qinfo)
{
	const struct {{ cookiecutter.name }}_ring *txq = dev->data->tx_queues[qid];

	qinfo->nb_desc = txq->nb_desc;
	qinfo->conf.tx_free_thresh = {{ cookiecutter.macro }}_TX_FREE_THRESH;
	qinfo->conf.tx_deferred_start = txq->deferred;
	qinfo->conf.offloads = dev->data->dev_conf.txmode.offloads;
}

/* Scalar burst functions, chosen at dev_start ({{ cookiecutter.name }}_select_bursts). */
static int
{{ cookiecutter.name }}_burst_mode_get(struct rte_eth_dev *dev,
	uint16_t qid __rte_unused, struct rte_eth_burst_mode *mode)
{
	const char *info = "Scalar, one descriptor per frame";

	mode->flags = 0;
	if (dev->rx_pkt_burst == {{ cookiecutter.name }}_recv_scattered_pkts ||
			dev->tx_pkt_burst == {{ cookiecutter.name }}_xmit_pkts_offload)
		info = "Scalar, descriptor blocks (scatter-gather, checksums)";
	else if (dev->rx_pkt_burst == {{ cookiecutter.name }}_recv_pkts_csum)
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
{{ cookiecutter.name }}_select_bursts(struct rte_eth_dev *dev)
{
	uint64_t rx = dev->data->dev_conf.rxmode.offloads;
	uint64_t tx = dev->data->dev_conf.txmode.offloads;

	if (rx & RTE_ETH_RX_OFFLOAD_SCATTER)
		dev->rx_pkt_burst = {{ cookiecutter.name }}_recv_scattered_pkts;
	else if (rx & {{ cookiecutter.macro }}_RX_CSUM_OFFLOADS)
		dev->rx_pkt_burst = {{ cookiecutter.name }}_recv_pkts_csum;
	else
		dev->rx_pkt_burst = {{ cookiecutter.name }}_recv_pkts;
	if (tx & ({{ cookiecutter.macro }}_TX_CSUM_OFFLOADS | RTE_ETH_TX_OFFLOAD_MULTI_SEGS)) {
		dev->tx_pkt_burst = {{ cookiecutter.name }}_xmit_pkts_offload;
		dev->tx_pkt_prepare = {{ cookiecutter.name }}_prep_pkts_offload;
	} else {
		dev->tx_pkt_burst = {{ cookiecutter.name }}_xmit_pkts;
		dev->tx_pkt_prepare = {{ cookiecutter.name }}_prep_pkts;
	}
}

/* Device ops */

static int
{{ cookiecutter.name }}_dev_configure(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
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
			if (rss->rss_key_len != {{ cookiecutter.macro }}_RSS_KEY_SIZE) {
				PMD_LOG(ERR, "port %u: RSS key must be %u bytes",
					dev->data->port_id, {{ cookiecutter.macro }}_RSS_KEY_SIZE);
				return -EINVAL;
			}
			memcpy(priv->rss_key, rss->rss_key, {{ cookiecutter.macro }}_RSS_KEY_SIZE);
		}
		priv->rss_types = {{ cookiecutter.name }}_rss_hf_to_types(rss->rss_hf);
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH;
	}
	for (i = 0; i < {{ cookiecutter.macro }}_RSS_TBL_SIZE; i++)
		priv->reta[i] = nb_rxq != 0 ? i % nb_rxq : 0;
	{{ cookiecutter.name }}_write_rss(priv);
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
{{ cookiecutter.name }}_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	uint16_t max_desc = 1u << priv->max_log_size;
	uint16_t min_desc = 1u << {{ cookiecutter.macro }}_MIN_LOG_RING_SIZE;

	info->max_rx_queues = priv->max_rxq;
	info->max_tx_queues = priv->max_txq;
	info->max_mac_addrs = {{ cookiecutter.macro }}_MAC_ADDRS;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = priv->max_mtu;
	info->max_rx_pktlen = priv->max_mtu + {{ cookiecutter.macro }}_FRAME_OVERHEAD;
	info->min_rx_bufsize = RTE_ETHER_MTU + {{ cookiecutter.macro }}_FRAME_OVERHEAD;
	info->rx_desc_lim.nb_max = max_desc;
	info->rx_desc_lim.nb_min = min_desc;
	info->rx_desc_lim.nb_align = min_desc;
	/*
	 * With SCATTER / MULTI_SEGS a frame takes an entry of up to 8
	 * descriptors, a segment each (REGISTERS.md, "Descriptor").
	 */
	info->rx_desc_lim.nb_seg_max = 1u << {{ cookiecutter.macro }}_MAX_LOG_BLOCK_SIZE;
	info->rx_desc_lim.nb_mtu_seg_max = 1u << {{ cookiecutter.macro }}_MAX_LOG_BLOCK_SIZE;
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxportconf.ring_size = priv->default_rxd;
	info->default_txportconf.ring_size = priv->default_txd;
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	info->rx_offload_capa = RTE_ETH_RX_OFFLOAD_TIMESTAMP |
		RTE_ETH_RX_OFFLOAD_RSS_HASH |
		{{ cookiecutter.macro }}_RX_CSUM_OFFLOADS | RTE_ETH_RX_OFFLOAD_SCATTER;
	info->tx_offload_capa = {{ cookiecutter.macro }}_TX_CSUM_OFFLOADS |
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	info->flow_type_rss_offloads = {{ cookiecutter.macro }}_RSS_OFFLOAD_ALL;
	info->hash_key_size = {{ cookiecutter.macro }}_RSS_KEY_SIZE;
	info->reta_size = {{ cookiecutter.macro }}_RSS_TBL_SIZE;
	info->speed_capa = RTE_ETH_LINK_SPEED_100G;
	return 0;
}

/* The list ends with RTE_PTYPE_UNKNOWN for DPDK before 24.03, which reads up to it. */
static const uint32_t *
#ifdef {{ cookiecutter.macro }}_PTYPES_GET_COUNTS
{{ cookiecutter.name }}_dev_supported_ptypes_get(struct rte_eth_dev *dev __rte_unused,
			       size_t *no_of_elements)
#else
{{ cookiecutter.name }}_dev_supported_ptypes_get(struct rte_eth_dev *dev __rte_unused)
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

#ifdef {{ cookiecutter.macro }}_PTYPES_GET_COUNTS
	*no_of_elements = RTE_DIM(ptypes) - 1;
#endif
	return ptypes;
}

static uint32_t
{{ cookiecutter.name }}_rx_filter(const struct rte_eth_dev *dev)
{
	return (dev->data->promiscuous ? {{ cookiecutter.macro }}_RX_FILTER_PROMISC : 0) |
		(dev->data->all_multicast ? {{ cookiecutter.macro }}_RX_FILTER_ALLMULTI : 0);
}

static int
{{ cookiecutter.name }}_link_update(struct rte_eth_dev *dev, int wait __rte_unused)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	struct rte_eth_link link = {
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
	};

	/* A stopped port reports its link down, like DPDK's virtual ports. */
	if (dev->data->dev_started &&
			({{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_LINK) & 1)) {
		link.link_status = RTE_ETH_LINK_UP;
		link.link_speed = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_LINK_SPEED);
	}
	return rte_eth_linkstatus_set(dev, &link);
}

/* Interrupts (REGISTERS.md, "Interrupts") */

static void
{{ cookiecutter.name }}_reg_written(struct rte_eth_dev *dev, uint32_t off)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;

	if (priv->fe_reg_written != NULL)
		priv->fe_reg_written(dev, off);
}

/*
 * Vector 0, on EAL's interrupt thread: the link changed. The vector is an
 * eventfd (VFIO's or the model's): read it, or the thread wakes again at
 * once. The event goes out only if the status the port reports changed.
 */
static void
{{ cookiecutter.name }}_link_intr_handler(void *arg)
{
	struct rte_eth_dev *dev = arg;
	uint64_t n;

	if (read(rte_intr_fd_get(dev->intr_handle), &n, sizeof(n)) < 0 &&
			errno != EAGAIN)
		PMD_LOG(ERR, "port %u: cannot read the link interrupt: %s",
			dev->data->port_id, strerror(errno));
	if ({{ cookiecutter.name }}_link_update(dev, 0) == 0)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

/*
 * Arm RX completion queue qid: its vector fires on the next completion, or
 * at once if completions are unread. TAIL_PTR, which the datapath does not
 * write, tells the NIC which are; then ARM, which the NIC clears when it
 * fires, so the application re-enables after each wake-up.
 */
static int
{{ cookiecutter.name }}_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	struct {{ cookiecutter.name }}_ring *rxq = dev->data->rx_queues[qid];

	{{ cookiecutter.name }}_ring_write(rxq, {{ cookiecutter.macro }}_QREG_CQ_TAIL, rxq->cons & {{ cookiecutter.macro }}_PTR_MASK);
	rte_io_wmb();
	{{ cookiecutter.name }}_ring_write_ctrl(rxq, true, {{ cookiecutter.macro }}_CQ_EVENT_INDEX,
		{{ cookiecutter.macro }}_CQ_ARM | (RTE_INTR_VEC_RXTX_OFFSET + qid));
	{{ cookiecutter.name }}_reg_written(dev, (uint32_t)(rxq->cq_regs - priv->bar0) +
		{{ cookiecutter.macro }}_CQ_EVENT_INDEX);
	return 0;
}

static int
{{ cookiecutter.name }}_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct {{ cookiecutter.name }}_ring *rxq = dev->data->rx_queues[qid];

	{{ cookiecutter.name }}_ring_write_ctrl(rxq, true, {{ cookiecutter.macro }}_CQ_EVENT_INDEX,
		RTE_INTR_VEC_RXTX_OFFSET + qid);
	return 0;
}

/*
 * The transmitter off or on (PHY_CTRL): the link goes down or up, on this
 * port and on its link partner. With intr_conf.lsc the status the port
 * reports follows by the link interrupt, as any other change.
 */
static int
{{ cookiecutter.name }}_phy_set(struct rte_eth_dev *dev, bool on)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;

	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PHY_CTRL,
		on ? 0 : {{ cookiecutter.macro }}_PHY_CTRL_DISABLE);
	{{ cookiecutter.name }}_reg_written(dev, {{ cookiecutter.macro }}_IF_REG_PHY_CTRL);
	if (!dev->data->dev_conf.intr_conf.lsc)
		{{ cookiecutter.name }}_link_update(dev, 0);
	return 0;
}

static int
{{ cookiecutter.name }}_dev_set_link_up(struct rte_eth_dev *dev)
{
	return {{ cookiecutter.name }}_phy_set(dev, true);
}

static int
{{ cookiecutter.name }}_dev_set_link_down(struct rte_eth_dev *dev)
{
	return {{ cookiecutter.name }}_phy_set(dev, false);
}

/*
 * At start, what intr_conf asks for: the link vector and its callback,
 * and ethdev's queue-to-vector list for rte_eth_dev_rx_intr_ctl_q. Nothing
 * when it asks for nothing: no vector is enabled or armed.
 */
static int
{{ cookiecutter.name }}_intr_start(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	struct rte_intr_handle *h = dev->intr_handle;
	uint16_t i, n = dev->data->nb_rx_queues;
	int ret;

	if (dev->data->dev_conf.intr_conf.lsc) {
		if (!priv->lsc_registered) {
			ret = rte_intr_callback_register(h,
				{{ cookiecutter.name }}_link_intr_handler, dev);
			if (ret != 0)
				return ret;
			priv->lsc_registered = true;
		}
		{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_LINK_IRQ,
			{{ cookiecutter.macro }}_LINK_IRQ_ENABLE);
	}
	if (dev->data->dev_conf.intr_conf.rxq) {
		if (rte_intr_vec_list_alloc(h, "{{ cookiecutter.name }}_intr_vec", n) != 0)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			rte_intr_vec_list_index_set(h, i,
				RTE_INTR_VEC_RXTX_OFFSET + i);
	}
	return 0;
}

static void
{{ cookiecutter.name }}_intr_stop(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;

	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_LINK_IRQ, 0);
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
{{ cookiecutter.name }}_ptp_cmd(struct rte_eth_dev *dev, uint32_t cmd)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	unsigned int us;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -E_RTE_SECONDARY;
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_CMD, cmd);
	{{ cookiecutter.name }}_reg_written(dev, {{ cookiecutter.macro }}_IF_REG_PTP_CMD);
	for (us = 0; us < {{ cookiecutter.macro }}_PTP_CMD_WAIT_US; us++) {
		if ({{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_CMD) == 0)
			return 0;
		rte_delay_us(1);
	}
	PMD_LOG(ERR, "port %u: PTP clock command %u not done after %u us",
		dev->data->port_id, cmd, {{ cookiecutter.macro }}_PTP_CMD_WAIT_US);
	return -ETIMEDOUT;
}

/* Three registers from off: ns, seconds bits 31:0 and 47:32. */
static void
{{ cookiecutter.name }}_ptp_get(const struct {{ cookiecutter.name }}_priv *priv, uint32_t off, struct timespec *ts)
{
	ts->tv_nsec = {{ cookiecutter.name }}_read_reg(priv, off);
	ts->tv_sec = (time_t)((uint64_t)({{ cookiecutter.name }}_read_reg(priv, off + 8) &
		0xffff) << 32 | {{ cookiecutter.name }}_read_reg(priv, off + 4));
}

static int
{{ cookiecutter.name }}_timesync_read_time(struct rte_eth_dev *dev, struct timespec *ts)
{
	int ret = {{ cookiecutter.name }}_ptp_cmd(dev, {{ cookiecutter.macro }}_PTP_CMD_READ);

	if (ret == 0)
		{{ cookiecutter.name }}_ptp_get(dev->data->dev_private,
			{{ cookiecutter.macro }}_IF_REG_PTP_TIME_NS, ts);
	return ret;
}

/* The device clock in ns: the PHC, the clock of the RX timestamps. */
static int
{{ cookiecutter.name }}_read_clock(struct rte_eth_dev *dev, uint64_t *clock)
{
	struct timespec ts;
	int ret = {{ cookiecutter.name }}_timesync_read_time(dev, &ts);

	if (ret == 0)
		*clock = (uint64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
	return ret;
}

/*
 * Where the RX queues widen the completions' 16-bit seconds from: the
 * PHC's, now. Called when the queues start and when the time jumps.
 */
static void
{{ cookiecutter.name }}_ts_resync(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_ring *r;
	struct timespec now;
	uint16_t i;

	if ({{ cookiecutter.name }}_timesync_read_time(dev, &now) != 0)
		return;
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		r = dev->data->rx_queues[i];
		if (r != NULL && r->ts != 0)
			r->ts_sec = now.tv_sec;
	}
}

/*
 * The queues' timestamp paths ({{ cookiecutter.name }}.h, {{ cookiecutter.macro }}_TS_*): the field when the
 * TIMESTAMP offload is on, PTP while timesync is enabled. Nothing (and
 * the default loops) otherwise.
 */
static void
{{ cookiecutter.name }}_ts_set(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	bool field = dev->data->dev_conf.rxmode.offloads &
		RTE_ETH_RX_OFFLOAD_TIMESTAMP;
	struct {{ cookiecutter.name }}_ring *r;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		r = dev->data->rx_queues[i];
		if (r == NULL)
			continue;
		r->ts_off = priv->ts_off;
		r->ts_flag = priv->ts_flag;
		r->ts = (field ? {{ cookiecutter.macro }}_TS_FIELD : 0) |
			(priv->timesync ? {{ cookiecutter.macro }}_TS_PTP : 0);
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		r = dev->data->tx_queues[i];
		if (r != NULL)
			r->ts = priv->timesync ? {{ cookiecutter.macro }}_TS_PTP : 0;
	}
	if (field || priv->timesync)
		{{ cookiecutter.name }}_ts_resync(dev);
}

static int
{{ cookiecutter.name }}_timesync_write_time(struct rte_eth_dev *dev, const struct timespec *ts)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	uint64_t sec = ts->tv_sec;
	int ret;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
			(uint64_t)ts->tv_nsec >= NS_PER_S || sec >> 48)
		return -EINVAL;
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_TIME_NS, ts->tv_nsec);
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_TIME_SEC_LO, (uint32_t)sec);
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_TIME_SEC_HI, sec >> 32);
	ret = {{ cookiecutter.name }}_ptp_cmd(dev, {{ cookiecutter.macro }}_PTP_CMD_WRITE);
	if (ret == 0)
		{{ cookiecutter.name }}_ts_resync(dev);
	return ret;
}

static int
{{ cookiecutter.name }}_timesync_adjust_time(struct rte_eth_dev *dev, int64_t delta)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	int ret;

	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_ADJ_LO, (uint32_t)delta);
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_ADJ_HI,
		(uint32_t)((uint64_t)delta >> 32));
	ret = {{ cookiecutter.name }}_ptp_cmd(dev, {{ cookiecutter.macro }}_PTP_CMD_ADJUST);
	if (ret == 0)
		{{ cookiecutter.name }}_ts_resync(dev);
	return ret;
}

#ifdef {{ cookiecutter.macro }}_TIMESYNC_ADJUST_FREQ
/* ppm scaled by 2^16, as Linux's adjfine: FREQ holds it as an int32. */
static int
{{ cookiecutter.name }}_timesync_adjust_freq(struct rte_eth_dev *dev, int64_t ppm)
{
	if (ppm > INT32_MAX || ppm < INT32_MIN)
		return -ERANGE;
	{{ cookiecutter.name }}_write_reg(dev->data->dev_private, {{ cookiecutter.macro }}_IF_REG_PTP_FREQ,
		(uint32_t)(int32_t)ppm);
	return {{ cookiecutter.name }}_ptp_cmd(dev, {{ cookiecutter.macro }}_PTP_CMD_FREQ);
}
#endif

/*
 * Timesync on: the NIC marks PTP frames and latches event messages' times
 * (RX always, TX when the descriptor asks); the queues take their
 * timestamp paths from their next burst, so this works on a started port.
 */
static int
{{ cookiecutter.name }}_timesync_enable(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -E_RTE_SECONDARY;
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_RX_TS + {{ cookiecutter.macro }}_PTP_TS_VALID, 0);
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_TX_TS + {{ cookiecutter.macro }}_PTP_TS_VALID, 0);
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_CTRL, {{ cookiecutter.macro }}_PTP_CTRL_RX_EN |
		{{ cookiecutter.macro }}_PTP_CTRL_TX_EN);
	priv->timesync = true;
	{{ cookiecutter.name }}_ts_set(dev);
	return 0;
}

static int
{{ cookiecutter.name }}_timesync_disable(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -E_RTE_SECONDARY;
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PTP_CTRL, 0);
	priv->timesync = false;
	{{ cookiecutter.name }}_ts_set(dev);
	return 0;
}

/* A latch's time, then VALID cleared so the NIC latches the next one. */
static int
{{ cookiecutter.name }}_ptp_latch_read(struct rte_eth_dev *dev, uint32_t latch,
	struct timespec *ts)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;

	if (!priv->timesync ||
			!({{ cookiecutter.name }}_read_reg(priv, latch + {{ cookiecutter.macro }}_PTP_TS_VALID) & 1))
		return -EINVAL;
	rte_io_rmb();	/* VALID before the time it covers */
	{{ cookiecutter.name }}_ptp_get(priv, latch, ts);
	{{ cookiecutter.name }}_write_reg(priv, latch + {{ cookiecutter.macro }}_PTP_TS_VALID, 0);
	return 0;
}

static int
{{ cookiecutter.name }}_timesync_read_rx_timestamp(struct rte_eth_dev *dev,
	struct timespec *ts, uint32_t flags __rte_unused)
{
	return {{ cookiecutter.name }}_ptp_latch_read(dev, {{ cookiecutter.macro }}_IF_REG_PTP_RX_TS, ts);
}

static int
{{ cookiecutter.name }}_timesync_read_tx_timestamp(struct rte_eth_dev *dev,
	struct timespec *ts)
{
	return {{ cookiecutter.name }}_ptp_latch_read(dev, {{ cookiecutter.macro }}_IF_REG_PTP_TX_TS, ts);
}

/*
 * One buffer per frame: every RX queue's buffers must hold a frame of the
 * MTU. Checked at setup, at mtu_set, and again at start, since configure
 * may have raised the MTU after the queues were set up.
 */
static int
{{ cookiecutter.name }}_check_rx_bufs(struct rte_eth_dev *dev, uint16_t mtu)
{
	const struct {{ cookiecutter.name }}_ring *r;
	uint16_t i;

	uint32_t lb;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		r = dev->data->rx_queues[i];
		if (r == NULL)
			continue;
		/* Scatter: the entry's block, fixed while the queue runs. */
		lb = r->started ? r->log_block : r->max_log_block;
		if (((uint32_t)r->buf_len << lb) <
				(uint32_t)mtu + {{ cookiecutter.macro }}_FRAME_OVERHEAD) {
			PMD_LOG(ERR, "port %u: RX queue %u has buffers of %u "
				"bytes, a frame of MTU %u needs %u: %s",
				dev->data->port_id, i, r->buf_len, mtu,
				mtu + {{ cookiecutter.macro }}_FRAME_OVERHEAD,
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
{{ cookiecutter.name }}_dev_start(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	struct {{ cookiecutter.name }}_ring *r;
	uint16_t i;
	int ret;

	ret = {{ cookiecutter.name }}_check_rx_bufs(dev, dev->data->mtu);
	if (ret != 0)
		return ret;
	{{ cookiecutter.name }}_select_bursts(dev);
	if (priv->fe_bursts != NULL)
		priv->fe_bursts(dev);

	{{ cookiecutter.name }}_write_mac(priv, &dev->data->mac_addrs[0]);
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_MTU, dev->data->mtu);
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_RX_FILTER, {{ cookiecutter.name }}_rx_filter(dev));
	{{ cookiecutter.name }}_write_rss(priv);
	/* A port starts with its transmitter on, whatever set_link_down did. */
	if ({{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_PHY_CTRL) &
			{{ cookiecutter.macro }}_PHY_CTRL_DISABLE) {
		{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_PHY_CTRL, 0);
		{{ cookiecutter.name }}_reg_written(dev, {{ cookiecutter.macro }}_IF_REG_PHY_CTRL);
	}
	ret = {{ cookiecutter.name }}_intr_start(dev);
	if (ret != 0)
		return ret;
	{{ cookiecutter.name }}_ts_set(dev);
	/* Deferred queues stay stopped until rte_eth_dev_*_queue_start. */
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		r = dev->data->tx_queues[i];
		if (r != NULL && !r->deferred)
			{{ cookiecutter.name }}_tx_queue_start(dev, i);
	}
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		r = dev->data->rx_queues[i];
		if (r != NULL && !r->deferred)
			{{ cookiecutter.name }}_rx_queue_start(dev, i);
	}
	dev->data->dev_started = 1;
	{{ cookiecutter.name }}_link_update(dev, 0);
	return 0;
}

static int
{{ cookiecutter.name }}_dev_stop(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		{{ cookiecutter.name }}_rx_queue_stop(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		{{ cookiecutter.name }}_tx_queue_stop(dev, i);
	{{ cookiecutter.name }}_intr_stop(dev);
	dev->data->dev_started = 0;
	{{ cookiecutter.name }}_link_update(dev, 0);
	return 0;
}

/*
 * The core does not release queues on close: do it here, with their mbufs
 * and DMA zones. mac_addrs was allocated with rte_zmalloc in dev_init and is
 * freed by rte_eth_dev_release_port, so it is left alone.
 */
static int
{{ cookiecutter.name }}_dev_close(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	uint16_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	if (dev->data->dev_started)
		{{ cookiecutter.name }}_dev_stop(dev);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		{{ cookiecutter.name }}_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		{{ cookiecutter.name }}_tx_queue_release(dev, i);
	dev->data->nb_rx_queues = 0;
	dev->data->nb_tx_queues = 0;
	/* Before the front end frees the handle; -EAGAIN while it runs. */
	while (priv->lsc_registered && rte_intr_callback_unregister(
			dev->intr_handle, {{ cookiecutter.name }}_link_intr_handler, dev) == -EAGAIN)
		rte_delay_us_sleep(1000);
	priv->lsc_registered = false;
	if (priv->fe_close != NULL)
		priv->fe_close(dev);
	priv->fe_close = NULL;
	return 0;
}

/* The per-queue counters go to qs when the caller wants them (qs != NULL). */
static int
{{ cookiecutter.name }}_stats_fill(struct rte_eth_dev *dev, struct rte_eth_stats *st,
		 {{ cookiecutter.name }}_queue_stats_t *qs)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	const struct {{ cookiecutter.name }}_ring *r;
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
	st->ierrors += {{ cookiecutter.name }}_read_cnt(priv, {{ cookiecutter.macro }}_CNT_RX_TOO_LONG) -
		priv->cnt_base[{{ cookiecutter.macro }}_CNT_RX_TOO_LONG];
	/* Frames the NIC dropped for want of a buffer or completion slot. */
	st->imissed = {{ cookiecutter.name }}_read_cnt(priv, {{ cookiecutter.macro }}_CNT_RX_NO_DESC) -
		priv->cnt_base[{{ cookiecutter.macro }}_CNT_RX_NO_DESC] +
		{{ cookiecutter.name }}_read_cnt(priv, {{ cookiecutter.macro }}_CNT_RX_CQ_FULL) -
		priv->cnt_base[{{ cookiecutter.macro }}_CNT_RX_CQ_FULL];
	st->rx_nombuf = dev->data->rx_mbuf_alloc_failed;
	return 0;
}

#ifdef {{ cookiecutter.macro }}_STATS_GET_QUEUE_ARG
static int
{{ cookiecutter.name }}_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st,
		struct eth_queue_stats *qs)
{
	return {{ cookiecutter.name }}_stats_fill(dev, st, qs);
}
#else
/* Before DPDK 25.11 the per-queue counters are part of struct rte_eth_stats. */
static int
{{ cookiecutter.name }}_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st)
{
	return {{ cookiecutter.name }}_stats_fill(dev, st, st);
}
#endif

/* The counters never clear (REGISTERS.md): remember where they stood. */
static int
{{ cookiecutter.name }}_stats_reset(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	struct {{ cookiecutter.name }}_ring *r;
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
	for (i = 0; i < {{ cookiecutter.macro }}_CNT_NUM; i++)
		priv->cnt_base[i] = {{ cookiecutter.name }}_read_cnt(priv, i);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		if (dev->data->rx_queues[i] != NULL)
			{{ cookiecutter.name }}_ring_counters_reset(priv, dev->data->rx_queues[i],
				false);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		if (dev->data->tx_queues[i] != NULL)
			{{ cookiecutter.name }}_ring_counters_reset(priv, dev->data->tx_queues[i],
				true);
	return 0;
}

static int
{{ cookiecutter.name }}_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
	unsigned int n)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	unsigned int total = {{ cookiecutter.name }}_xstats_count(dev);
	uint64_t pcie[{{ cookiecutter.macro }}_PCIE_NUM] = { 0 };
	uint64_t v[{{ cookiecutter.macro }}_QUEUE_XSTATS];
	unsigned int i, j, k = {{ cookiecutter.macro }}_CNT_NUM + {{ cookiecutter.macro }}_PCIE_NUM;

	if (xstats == NULL || n < total)
		return total;
	for (i = 0; i < {{ cookiecutter.macro }}_CNT_NUM; i++)
		xstats[i].value = {{ cookiecutter.name }}_read_cnt(priv, i) - priv->cnt_base[i];
	/* The queues' interrupts are added to the link's. */
	pcie[{{ cookiecutter.macro }}_PCIE_IRQS] = xstats[{{ cookiecutter.macro }}_CNT_LINK_IRQS].value;
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		{{ cookiecutter.name }}_queue_xstats(priv, dev->data->rx_queues[i], false, v, pcie);
		for (j = 0; j < {{ cookiecutter.macro }}_QUEUE_XSTATS; j++)
			xstats[k++].value = v[j];
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		{{ cookiecutter.name }}_queue_xstats(priv, dev->data->tx_queues[i], true, v, pcie);
		for (j = 0; j < {{ cookiecutter.macro }}_QUEUE_XSTATS; j++)
			xstats[k++].value = v[j];
	}
	for (i = 0; i < {{ cookiecutter.macro }}_PCIE_NUM; i++)
		xstats[{{ cookiecutter.macro }}_CNT_NUM + i].value = pcie[i];
	for (i = 0; i < total; i++)
		xstats[i].id = i;
	return total;
}

static int
{{ cookiecutter.name }}_xstats_get_names(struct rte_eth_dev *dev,
	struct rte_eth_xstat_name *names, unsigned int n)
{
	unsigned int total = {{ cookiecutter.name }}_xstats_count(dev);
	unsigned int i, q, j, k = {{ cookiecutter.macro }}_CNT_NUM + {{ cookiecutter.macro }}_PCIE_NUM;
	uint16_t nb_q[2] = { dev->data->nb_rx_queues, dev->data->nb_tx_queues };
	const char *dir;

	if (names == NULL || n < total)
		return total;
	for (i = 0; i < {{ cookiecutter.macro }}_CNT_NUM; i++)
		strlcpy(names[i].name, {{ cookiecutter.name }}_cnt_names[i],
			sizeof(names[i].name));
	for (i = 0; i < {{ cookiecutter.macro }}_PCIE_NUM; i++)
		strlcpy(names[{{ cookiecutter.macro }}_CNT_NUM + i].name, {{ cookiecutter.name }}_pcie_names[i],
			sizeof(names[0].name));
	for (i = 0; i < 2; i++) {
		dir = i == 0 ? "rx" : "tx";
		for (q = 0; q < nb_q[i]; q++) {
			for (j = 0; j < {{ cookiecutter.macro }}_QREG_NUM; j++)
				snprintf(names[k++].name, sizeof(names[0].name),
					"%s_q%u_mmio_reads_%s", dir, q,
					{{ cookiecutter.name }}_qreg_names[j]);
			for (j = 0; j < {{ cookiecutter.macro }}_QREG_NUM; j++)
				snprintf(names[k++].name, sizeof(names[0].name),
					"%s_q%u_mmio_writes_%s", dir, q,
					{{ cookiecutter.name }}_qreg_names[j]);
			for (j = 0; j < {{ cookiecutter.macro }}_QCNT_NUM; j++)
				snprintf(names[k++].name, sizeof(names[0].name),
					"%s_q%u_%s", dir, q, {{ cookiecutter.name }}_qcnt_names[j]);
		}
	}
	return total;
}

static int
{{ cookiecutter.name }}_set_rx_filter(struct rte_eth_dev *dev, uint32_t set, uint32_t clear)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	uint32_t v = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_RX_FILTER);

	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_RX_FILTER, (v | set) & ~clear);
	return 0;
}

static int
{{ cookiecutter.name }}_promiscuous_enable(struct rte_eth_dev *dev)
{
	return {{ cookiecutter.name }}_set_rx_filter(dev, {{ cookiecutter.macro }}_RX_FILTER_PROMISC, 0);
}

static int
{{ cookiecutter.name }}_promiscuous_disable(struct rte_eth_dev *dev)
{
	return {{ cookiecutter.name }}_set_rx_filter(dev, 0, {{ cookiecutter.macro }}_RX_FILTER_PROMISC);
}

static int
{{ cookiecutter.name }}_allmulticast_enable(struct rte_eth_dev *dev)
{
	return {{ cookiecutter.name }}_set_rx_filter(dev, {{ cookiecutter.macro }}_RX_FILTER_ALLMULTI, 0);
}

static int
{{ cookiecutter.name }}_allmulticast_disable(struct rte_eth_dev *dev)
{
	return {{ cookiecutter.name }}_set_rx_filter(dev, 0, {{ cookiecutter.macro }}_RX_FILTER_ALLMULTI);
}

static int
{{ cookiecutter.name }}_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *addr)
{
	{{ cookiecutter.name }}_write_mac(dev->data->dev_private, addr);
	return 0;
}

/* ethdev keeps mac_addrs[] and replays it after dev_start; the table keeps
 * its entries across stop/start anyway. */
static int
{{ cookiecutter.name }}_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *addr,
	uint32_t index, uint32_t vmdq __rte_unused)
{
	if (index == 0)
		return {{ cookiecutter.name }}_mac_addr_set(dev, addr);
	if (index >= {{ cookiecutter.macro }}_MAC_ADDRS)
		return -ENOSPC;
	{{ cookiecutter.name }}_write_addr_entry(dev->data->dev_private, index, addr);
	return 0;
}

static void
{{ cookiecutter.name }}_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	if (index != 0 && index < {{ cookiecutter.macro }}_MAC_ADDRS)
		{{ cookiecutter.name }}_write_addr_entry(dev->data->dev_private, index, NULL);
}

/* Replaces the whole multicast list; an empty one (or NULL) flushes it. */
static int
{{ cookiecutter.name }}_set_mc_addr_list(struct rte_eth_dev *dev,
	struct rte_ether_addr *mc_addr_set, uint32_t nb_mc_addr)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	uint32_t i;

	if (nb_mc_addr > {{ cookiecutter.macro }}_MC_MAX)
		return -ENOSPC;
	for (i = 0; i < nb_mc_addr; i++)
		if (!rte_is_multicast_ether_addr(&mc_addr_set[i]))
			return -EINVAL;
	for (i = 0; i < {{ cookiecutter.macro }}_MC_MAX; i++)
		{{ cookiecutter.name }}_write_addr_entry(priv, {{ cookiecutter.macro }}_MC_FIRST + i,
			i < nb_mc_addr ? &mc_addr_set[i] : NULL);
	return 0;
}

static int
{{ cookiecutter.name }}_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	int ret;

	ret = {{ cookiecutter.name }}_check_rx_bufs(dev, mtu);
	if (ret != 0)
		return ret;
	{{ cookiecutter.name }}_write_reg(priv, {{ cookiecutter.macro }}_IF_REG_MTU, mtu);
	return 0;
}

static int
{{ cookiecutter.name }}_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *conf)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;

	if (conf->rss_key != NULL) {
		if (conf->rss_key_len != {{ cookiecutter.macro }}_RSS_KEY_SIZE)
			return -EINVAL;
		memcpy(priv->rss_key, conf->rss_key, {{ cookiecutter.macro }}_RSS_KEY_SIZE);
	}
	priv->rss_types = {{ cookiecutter.name }}_rss_hf_to_types(conf->rss_hf);
	{{ cookiecutter.name }}_write_rss(priv);
	return 0;
}

static int
{{ cookiecutter.name }}_rss_hash_conf_get(struct rte_eth_dev *dev, struct rte_eth_rss_conf *conf)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;

	if (conf->rss_key != NULL) {
		if (conf->rss_key_len < {{ cookiecutter.macro }}_RSS_KEY_SIZE)
			return -EINVAL;
		memcpy(conf->rss_key, priv->rss_key, {{ cookiecutter.macro }}_RSS_KEY_SIZE);
	}
	conf->rss_key_len = {{ cookiecutter.macro }}_RSS_KEY_SIZE;
	conf->rss_hf = {{ cookiecutter.name }}_rss_types_to_hf(priv->rss_types);
	return 0;
}

static int
{{ cookiecutter.name }}_reta_update(struct rte_eth_dev *dev,
	struct rte_eth_rss_reta_entry64 *conf, uint16_t size)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	unsigned int i, g, b;

	if (size != {{ cookiecutter.macro }}_RSS_TBL_SIZE)
		return -EINVAL;
	for (i = 0; i < size; i++) {
		g = i / RTE_ETH_RETA_GROUP_SIZE;
		b = i % RTE_ETH_RETA_GROUP_SIZE;
		if (conf[g].mask & RTE_BIT64(b))
			priv->reta[i] = conf[g].reta[b];
	}
	{{ cookiecutter.name }}_write_rss(priv);
	return 0;
}

static int
{{ cookiecutter.name }}_reta_query(struct rte_eth_dev *dev,
	struct rte_eth_rss_reta_entry64 *conf, uint16_t size)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	unsigned int i, g, b;

	if (size != {{ cookiecutter.macro }}_RSS_TBL_SIZE)
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
{{ cookiecutter.name }}_fw_version_get(struct rte_eth_dev *dev, char *fw, size_t len)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	int ret;

	ret = snprintf(fw, len, "%u.%u.%u", (priv->fw_ver >> 16) & 0xff,
		(priv->fw_ver >> 8) & 0xff, priv->fw_ver & 0xff);
	if (ret < 0)
		return -EINVAL;
	ret += 1;	/* with the terminating NUL */
	return (size_t)ret > len ? ret : 0;
}

static const struct eth_dev_ops {{ cookiecutter.name }}_ops = {
	.dev_configure = {{ cookiecutter.name }}_dev_configure,
	.dev_infos_get = {{ cookiecutter.name }}_dev_infos_get,
	.dev_supported_ptypes_get = {{ cookiecutter.name }}_dev_supported_ptypes_get,
	.dev_start = {{ cookiecutter.name }}_dev_start,
	.dev_stop = {{ cookiecutter.name }}_dev_stop,
	.dev_close = {{ cookiecutter.name }}_dev_close,
	.rx_queue_setup = {{ cookiecutter.name }}_rx_queue_setup,
	.tx_queue_setup = {{ cookiecutter.name }}_tx_queue_setup,
	.rx_queue_release = {{ cookiecutter.name }}_rx_queue_release,
	.tx_queue_release = {{ cookiecutter.name }}_tx_queue_release,
	.rx_queue_start = {{ cookiecutter.name }}_rx_queue_start,
	.rx_queue_stop = {{ cookiecutter.name }}_rx_queue_stop,
	.tx_queue_start = {{ cookiecutter.name }}_tx_queue_start,
	.tx_queue_stop = {{ cookiecutter.name }}_tx_queue_stop,
	.rxq_info_get = {{ cookiecutter.name }}_rxq_info_get,
	.txq_info_get = {{ cookiecutter.name }}_txq_info_get,
	.rx_burst_mode_get = {{ cookiecutter.name }}_burst_mode_get,
	.tx_burst_mode_get = {{ cookiecutter.name }}_burst_mode_get,
	.tx_done_cleanup = {{ cookiecutter.name }}_tx_done_cleanup,
	.link_update = {{ cookiecutter.name }}_link_update,
	.dev_set_link_up = {{ cookiecutter.name }}_dev_set_link_up,
	.dev_set_link_down = {{ cookiecutter.name }}_dev_set_link_down,
	.rx_queue_intr_enable = {{ cookiecutter.name }}_rx_queue_intr_enable,
	.rx_queue_intr_disable = {{ cookiecutter.name }}_rx_queue_intr_disable,
	.stats_get = {{ cookiecutter.name }}_stats_get,
	.stats_reset = {{ cookiecutter.name }}_stats_reset,
	.xstats_get = {{ cookiecutter.name }}_xstats_get,
	.xstats_get_names = {{ cookiecutter.name }}_xstats_get_names,
	.xstats_reset = {{ cookiecutter.name }}_stats_reset,
	.promiscuous_enable = {{ cookiecutter.name }}_promiscuous_enable,
	.promiscuous_disable = {{ cookiecutter.name }}_promiscuous_disable,
	.allmulticast_enable = {{ cookiecutter.name }}_allmulticast_enable,
	.allmulticast_disable = {{ cookiecutter.name }}_allmulticast_disable,
	.mac_addr_set = {{ cookiecutter.name }}_mac_addr_set,
	.mac_addr_add = {{ cookiecutter.name }}_mac_addr_add,
	.mac_addr_remove = {{ cookiecutter.name }}_mac_addr_remove,
	.set_mc_addr_list = {{ cookiecutter.name }}_set_mc_addr_list,
	.mtu_set = {{ cookiecutter.name }}_mtu_set,
	.rss_hash_update = {{ cookiecutter.name }}_rss_hash_update,
	.rss_hash_conf_get = {{ cookiecutter.name }}_rss_hash_conf_get,
	.reta_update = {{ cookiecutter.name }}_reta_update,
	.reta_query = {{ cookiecutter.name }}_reta_query,
	.fw_version_get = {{ cookiecutter.name }}_fw_version_get,
	.timesync_enable = {{ cookiecutter.name }}_timesync_enable,
	.timesync_disable = {{ cookiecutter.name }}_timesync_disable,
	.timesync_read_rx_timestamp = {{ cookiecutter.name }}_timesync_read_rx_timestamp,
	.timesync_read_tx_timestamp = {{ cookiecutter.name }}_timesync_read_tx_timestamp,
	.timesync_adjust_time = {{ cookiecutter.name }}_timesync_adjust_time,
#ifdef {{ cookiecutter.macro }}_TIMESYNC_ADJUST_FREQ
	.timesync_adjust_freq = {{ cookiecutter.name }}_timesync_adjust_freq,
#endif
	.timesync_read_time = {{ cookiecutter.name }}_timesync_read_time,
	.timesync_write_time = {{ cookiecutter.name }}_timesync_write_time,
	.read_clock = {{ cookiecutter.name }}_read_clock,
};

/* The BAR must describe queue blocks that lie inside it. */
static int
{{ cookiecutter.name }}_check_layout(const struct {{ cookiecutter.name }}_priv *priv)
{
	const uint32_t offs[] = { priv->txq_offset, priv->txcq_offset,
		priv->rxq_offset, priv->rxcq_offset };
	uint32_t n = RTE_MAX(priv->max_txq, priv->max_rxq);
	unsigned int i;

	if (priv->max_txq == 0 || priv->max_txq > {{ cookiecutter.macro }}_MAX_QUEUES ||
			priv->max_rxq == 0 || priv->max_rxq > {{ cookiecutter.macro }}_MAX_QUEUES ||
			priv->stride < {{ cookiecutter.macro }}_QUEUE_STRIDE ||
			priv->max_log_size < {{ cookiecutter.macro }}_MIN_LOG_RING_SIZE ||
			priv->max_log_size > {{ cookiecutter.macro }}_MAX_LOG_RING_SIZE)
		return -EINVAL;
	for (i = 0; i < RTE_DIM(offs); i++)
		if ((uint64_t)offs[i] + (uint64_t)n * priv->stride >
				{{ cookiecutter.macro }}_BAR0_SIZE)
			return -EINVAL;
	return 0;
}

int
{{ cookiecutter.name }}_dev_init(struct rte_eth_dev *dev, void *bar0)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;
	struct rte_ether_addr mac;
	unsigned int i;
	uint32_t id;

	dev->dev_ops = &{{ cookiecutter.name }}_ops;
	dev->rx_pkt_burst = {{ cookiecutter.name }}_recv_pkts;
	dev->tx_pkt_burst = {{ cookiecutter.name }}_xmit_pkts;
	dev->tx_pkt_prepare = {{ cookiecutter.name }}_prep_pkts;
	dev->rx_queue_count = {{ cookiecutter.name }}_rx_queue_count;
	dev->rx_descriptor_status = {{ cookiecutter.name }}_rx_descriptor_status;
	dev->tx_descriptor_status = {{ cookiecutter.name }}_tx_descriptor_status;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;

	priv->bar0 = bar0;
	id = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_ID);
	if (unlikely(id != {{ cookiecutter.macro }}_IF_ID)) {
		PMD_LOG(ERR, "%s: ID register reads 0x%08x, not an {{ cookiecutter.name }}",
			dev->data->name, id);
		return -ENODEV;
	}
	priv->fw_ver = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_FW_VER);
	priv->max_txq = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_TXQ_COUNT);
	priv->max_rxq = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_RXQ_COUNT);
	priv->txq_offset = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_TXQ_OFFSET);
	priv->txcq_offset = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_TXCQ_OFFSET);
	priv->rxq_offset = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_RXQ_OFFSET);
	priv->rxcq_offset = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_RXCQ_OFFSET);
	priv->stride = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_QUEUE_STRIDE);
	priv->max_log_size = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_MAX_LOG_SIZE);
	priv->max_mtu = {{ cookiecutter.name }}_read_reg(priv, {{ cookiecutter.macro }}_IF_REG_MAX_MTU);
	if (unlikely({{ cookiecutter.name }}_check_layout(priv) != 0)) {
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
		if ({{ cookiecutter.name }}_queue_deactivate(
				priv->bar0 + priv->txq_offset + i * priv->stride,
				priv->bar0 + priv->txcq_offset + i * priv->stride))
			PMD_LOG(ERR, "%s: TX queue %u stays busy after "
				"deactivation", dev->data->name, i);
	for (i = 0; i < priv->max_rxq; i++)
		if ({{ cookiecutter.name }}_queue_deactivate(
				priv->bar0 + priv->rxq_offset + i * priv->stride,
				priv->bar0 + priv->rxcq_offset + i * priv->stride))
			PMD_LOG(ERR, "%s: RX queue %u stays busy after "
				"deactivation", dev->data->name, i);
	if (priv->max_mtu < RTE_ETHER_MTU)
		priv->max_mtu = RTE_ETHER_MTU;
	if (priv->default_rxd == 0)
		priv->default_rxd = {{ cookiecutter.macro }}_DEFAULT_RING_SIZE;
	if (priv->default_txd == 0)
		priv->default_txd = {{ cookiecutter.macro }}_DEFAULT_RING_SIZE;
	memcpy(priv->rss_key, {{ cookiecutter.name }}_default_rss_key, {{ cookiecutter.macro }}_RSS_KEY_SIZE);
	for (i = 0; i < {{ cookiecutter.macro }}_CNT_NUM; i++)
		priv->cnt_base[i] = {{ cookiecutter.name }}_read_cnt(priv, i);

	/* Addresses an earlier process added are not this one's. */
	for (i = 0; i < {{ cookiecutter.macro }}_ADDR_TBL_SIZE; i++)
		{{ cookiecutter.name }}_write_addr_entry(priv, i, NULL);

	/* Freed by rte_eth_dev_release_port, also when probing fails. */
	dev->data->mac_addrs = rte_zmalloc(NULL,
		{{ cookiecutter.macro }}_MAC_ADDRS * RTE_ETHER_ADDR_LEN, 0);
	if (dev->data->mac_addrs == NULL)
		return -ENOMEM;
	{{ cookiecutter.name }}_read_mac(priv, &mac);
	if (!rte_is_valid_assigned_ether_addr(&mac)) {
		rte_eth_random_addr(mac.addr_bytes);
		PMD_LOG(NOTICE, "%s: no valid MAC address, using a random one",
			dev->data->name);
		{{ cookiecutter.name }}_write_mac(priv, &mac);
	}
	rte_ether_addr_copy(&mac, &dev->data->mac_addrs[0]);
	dev->data->dev_flags |= RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	return 0;
}

int
{{ cookiecutter.name }}_dev_uninit(struct rte_eth_dev *dev)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	return {{ cookiecutter.name }}_dev_close(dev);
}
