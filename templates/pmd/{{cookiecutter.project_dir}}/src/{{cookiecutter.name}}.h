/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * Private interface between the bus-agnostic core ({{ cookiecutter.name }}_ethdev.c) and its
 * front ends ({{ cookiecutter.name }}_pci.c for hardware, {{ cookiecutter.name }}_sim.c for the model).
 */

#ifndef {{ cookiecutter.macro }}_H
#define {{ cookiecutter.macro }}_H

#include <stdbool.h>
#include <stdint.h>

#include <ethdev_driver.h>
#include <rte_io.h>
#include <rte_mbuf.h>

#include "{{ cookiecutter.name }}_hw.h"
#include "{{ cookiecutter.name }}_log.h"

/* RX refills wait for this many free slots, so one doorbell covers a batch. */
#define {{ cookiecutter.macro }}_RX_REFILL_THRESH	32
/*
 * TX reaps completions only when fewer free slots than this remain, and then
 * at most this many: small batches keep the freed mbufs in the mempool's
 * per-lcore cache, where the next refill finds them.
 */
#define {{ cookiecutter.macro }}_TX_FREE_THRESH	64
#define {{ cookiecutter.macro }}_DEFAULT_RING_SIZE	{{ cookiecutter.ring_size }}

/*
 * The registers of a queue pair the core reads and writes, as counted by
 * the accessors below: every access the core makes to a queue's registers
 * goes through them (tests/reference checks the source), so the counts are
 * complete. They cost one add per access, on hardware too, where they say
 * the same thing (REGISTERS.md, "Counting MMIO").
 */
enum {{ cookiecutter.name }}_qreg {
	{{ cookiecutter.macro }}_QREG_HEAD,	/* descriptor queue HEAD_PTR: the doorbell */
	{{ cookiecutter.macro }}_QREG_TAIL,	/* descriptor queue TAIL_PTR */
	{{ cookiecutter.macro }}_QREG_CQ_HEAD,	/* completion queue HEAD_PTR */
	{{ cookiecutter.macro }}_QREG_CQ_TAIL,	/* completion queue TAIL_PTR */
	{{ cookiecutter.macro }}_QREG_CTRL,	/* the others: base, size, index, status */
	{{ cookiecutter.macro }}_QREG_NUM
};

struct {{ cookiecutter.name }}_queue_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;
};

/*
 * One descriptor ring and its completion queue, both of `mask + 1` entries
 * (a power of 2), of which the driver uses `nb_desc` (what the application
 * asked for: any multiple of nb_align) at a time.
 * `prod` counts descriptors posted (low 16 bits: the queue's HEAD_PTR) and
 * `cons` completions consumed (low 16 bits: the CQ's TAIL_PTR); both are
 * free-running, so `prod - cons` is the number of entries the NIC holds.
 * The NIC completes a queue's descriptors in ring order (REGISTERS.md,
 * "Ordering"), so entries cons..prod-1 of sw_ring are exactly the mbufs it
 * holds: the datapath never reads a completion's index.
 */
struct {{ cookiecutter.name }}_ring {
	volatile struct {{ cookiecutter.name }}_desc *desc;
	volatile struct {{ cookiecutter.name }}_cpl *cpl;
	struct rte_mbuf **sw_ring;	/* mbuf per descriptor entry */
	uint8_t *q_regs;		/* queue control block */
	uint8_t *cq_regs;		/* completion queue control block */
	uint32_t prod;
	uint32_t cons;
	uint32_t mask;
	uint16_t qid;
	uint16_t port_id;
	uint16_t buf_len;		/* RX: buffer size posted */
	uint16_t max_len;		/* TX: largest frame the NIC sends */
	uint8_t started;		/* the bursts move frames only if set */
	uint8_t deferred;		/* dev_start leaves the queue stopped */
	uint8_t ts;			/* {{ cookiecutter.macro }}_TS_*: the bursts' timestamp path */
	uint8_t log_block;		/* descriptors (buffers) per entry, log2 */
	uint8_t max_log_block;		/* what the rings were sized for */
	uint8_t csum;			/* RX: checksum flags wanted */
	uint8_t fast_free;		/* TX: MBUF_FAST_FREE, put back unchecked */
	uint16_t nb_desc;		/* entries used, at most mask + 1 */
	struct rte_mempool *mp;		/* RX: refill pool */
	uint64_t mbuf_init;		/* RX: rearm_data of a received mbuf */
	uint64_t ol_base;		/* RX: ol_flags every received mbuf has */
	void *fe;			/* front end's per-port state (model) */
	struct {{ cookiecutter.name }}_queue_stats stats;
	uint64_t mmio_rd[{{ cookiecutter.macro }}_QREG_NUM];	/* register reads by the core */
	uint64_t mmio_wr[{{ cookiecutter.macro }}_QREG_NUM];	/* register writes by the core */
	uint64_t qcnt_base[{{ cookiecutter.macro }}_QCNT_NUM];	/* NIC counters at last reset */
	const struct rte_memzone *desc_mz;
	const struct rte_memzone *cpl_mz;
	/* RX timestamps ({{ cookiecutter.macro }}_TS_FIELD): the mbuf's field, its flag. */
	int ts_off;
	uint64_t ts_flag;
	uint64_t ts_sec;		/* seconds of the last completion seen */
};

/*
 * What a queue's bursts do with time (struct {{ cookiecutter.name }}_ring's ts), set by
 * dev_start (the TIMESTAMP offload) and timesync_enable/disable, read once
 * per burst: any bit sends the burst to {{ cookiecutter.name }}_recv_pkts_ts or
 * {{ cookiecutter.name }}_xmit_pkts_ts, so the default loops carry no timestamp work.
 */
#define {{ cookiecutter.macro }}_TS_FIELD		(1u << 0)	/* RX: the mbuf timestamp */
#define {{ cookiecutter.macro }}_TS_PTP		(1u << 1)	/* RX flags, TX latch request */

/* Called by the core's close, after every queue is released. */
typedef void (*{{ cookiecutter.name }}_fe_close_t)(struct rte_eth_dev *dev);
/*
 * Called by the core's dev_start after it chose the burst functions for
 * the offloads in use (dev->rx_pkt_burst, tx_pkt_burst): a front end that
 * wraps them (the model's, which steps the NIC) puts its wrappers there.
 */
typedef void (*{{ cookiecutter.name }}_fe_bursts_t)(struct rte_eth_dev *dev);
/*
 * Called after the core writes a register the NIC acts on at once
 * (PHY_CTRL, a completion queue's EVENT_INDEX): hardware needs no call, the
 * model (BAR0 in plain memory) does.
 */
typedef void (*{{ cookiecutter.name }}_fe_reg_written_t)(struct rte_eth_dev *dev, uint32_t off);

struct {{ cookiecutter.name }}_priv {
	uint8_t *bar0;
	uint16_t max_txq;
	uint16_t max_rxq;
	uint32_t txq_offset;
	uint32_t txcq_offset;
	uint32_t rxq_offset;
	uint32_t rxcq_offset;
	uint32_t stride;
	uint32_t max_log_size;
	uint32_t max_mtu;
	uint32_t fw_ver;
	uint16_t default_rxd;
	uint16_t default_txd;
	uint32_t rss_types;		/* {{ cookiecutter.macro }}_RSS_* in use */
	uint8_t rss_key[{{ cookiecutter.macro }}_RSS_KEY_SIZE];
	uint16_t reta[{{ cookiecutter.macro }}_RSS_TBL_SIZE];
	uint64_t cnt_base[{{ cookiecutter.macro }}_CNT_NUM];	/* counters at the last reset */
	void *fe;			/* front end state, copied into queues */
	{{ cookiecutter.name }}_fe_close_t fe_close;
	{{ cookiecutter.name }}_fe_bursts_t fe_bursts;	/* NULL on hardware */
	{{ cookiecutter.name }}_fe_reg_written_t fe_reg_written;	/* NULL on hardware */
	bool lsc_registered;		/* link interrupt callback registered */
	bool timesync;			/* timesync_enable'd */
	int ts_off;			/* RX timestamp field (TIMESTAMP) */
	uint64_t ts_flag;
};

static inline uint32_t
{{ cookiecutter.name }}_read_reg(const struct {{ cookiecutter.name }}_priv *priv, uint32_t off)
{
	return rte_read32(priv->bar0 + off);
}

static inline void
{{ cookiecutter.name }}_write_reg(struct {{ cookiecutter.name }}_priv *priv, uint32_t off, uint32_t val)
{
	rte_write32(val, priv->bar0 + off);
}

static __rte_always_inline uint8_t *
{{ cookiecutter.name }}_qreg_addr(const struct {{ cookiecutter.name }}_ring *r, enum {{ cookiecutter.name }}_qreg reg)
{
	switch (reg) {
	case {{ cookiecutter.macro }}_QREG_HEAD:
		return r->q_regs + {{ cookiecutter.macro }}_QUEUE_HEAD_PTR;
	case {{ cookiecutter.macro }}_QREG_TAIL:
		return r->q_regs + {{ cookiecutter.macro }}_QUEUE_TAIL_PTR;
	case {{ cookiecutter.macro }}_QREG_CQ_HEAD:
		return r->cq_regs + {{ cookiecutter.macro }}_QUEUE_HEAD_PTR;
	default:
		return r->cq_regs + {{ cookiecutter.macro }}_QUEUE_TAIL_PTR;
	}
}

/* A pointer register of the queue pair, read without a barrier. */
static __rte_always_inline uint32_t
{{ cookiecutter.name }}_ring_read(struct {{ cookiecutter.name }}_ring *r, enum {{ cookiecutter.name }}_qreg reg)
{
	r->mmio_rd[reg]++;
	return rte_read32_relaxed({{ cookiecutter.name }}_qreg_addr(r, reg));
}

/* A pointer register write without a barrier: the caller orders it. */
static __rte_always_inline void
{{ cookiecutter.name }}_ring_write(struct {{ cookiecutter.name }}_ring *r, enum {{ cookiecutter.name }}_qreg reg, uint32_t val)
{
	r->mmio_wr[reg]++;
	rte_write32_relaxed(val, {{ cookiecutter.name }}_qreg_addr(r, reg));
}

/* Any register of the queue (cq: of its completion queue), control path. */
static inline uint32_t
{{ cookiecutter.name }}_ring_read_ctrl(struct {{ cookiecutter.name }}_ring *r, bool cq, uint32_t off)
{
	r->mmio_rd[{{ cookiecutter.macro }}_QREG_CTRL]++;
	return rte_read32((cq ? r->cq_regs : r->q_regs) + off);
}

static inline void
{{ cookiecutter.name }}_ring_write_ctrl(struct {{ cookiecutter.name }}_ring *r, bool cq, uint32_t off,
	uint32_t val)
{
	r->mmio_wr[{{ cookiecutter.macro }}_QREG_CTRL]++;
	rte_write32(val, (cq ? r->cq_regs : r->q_regs) + off);
}

int {{ cookiecutter.name }}_dev_init(struct rte_eth_dev *dev, void *bar0);
int {{ cookiecutter.name }}_dev_uninit(struct rte_eth_dev *dev);
uint16_t {{ cookiecutter.name }}_recv_pkts(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t {{ cookiecutter.name }}_xmit_pkts(void *txq, struct rte_mbuf **pkts, uint16_t n);
uint16_t {{ cookiecutter.name }}_prep_pkts(void *txq, struct rte_mbuf **pkts, uint16_t n);
uint16_t {{ cookiecutter.name }}_recv_pkts_ts(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t {{ cookiecutter.name }}_xmit_pkts_ts(void *txq, struct rte_mbuf **pkts, uint16_t n);
/* The offload paths, chosen at dev_start ({{ cookiecutter.name }}_select_bursts). */
uint16_t {{ cookiecutter.name }}_recv_pkts_csum(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t {{ cookiecutter.name }}_recv_scattered_pkts(void *rxq, struct rte_mbuf **pkts,
	uint16_t n);
uint16_t {{ cookiecutter.name }}_xmit_pkts_offload(void *txq, struct rte_mbuf **pkts,
	uint16_t n);
uint16_t {{ cookiecutter.name }}_prep_pkts_offload(void *txq, struct rte_mbuf **pkts,
	uint16_t n);
void {{ cookiecutter.name }}_select_bursts(struct rte_eth_dev *dev);

#endif /* {{ cookiecutter.macro }}_H */
