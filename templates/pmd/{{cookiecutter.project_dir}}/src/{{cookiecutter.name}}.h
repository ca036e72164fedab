/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * Private interface between the bus-agnostic core ({{ cookiecutter.name }}_ethdev.c) and its
 * front ends ({{ cookiecutter.name }}_pci.c for hardware, {{ cookiecutter.name }}_sim.c for the model).
 */

#ifndef {{ cookiecutter.macro }}_H
#define {{ cookiecutter.macro }}_H

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
	uint16_t nb_desc;		/* entries used, at most mask + 1 */
	struct rte_mempool *mp;		/* RX: refill pool */
	uint64_t mbuf_init;		/* RX: rearm_data of a received mbuf */
	uint64_t ol_base;		/* RX: ol_flags every received mbuf has */
	void *fe;			/* front end's per-port state (model) */
	struct {{ cookiecutter.name }}_queue_stats stats;
	const struct rte_memzone *desc_mz;
	const struct rte_memzone *cpl_mz;
};

/* Called by the core's close, after every queue is released. */
typedef void (*{{ cookiecutter.name }}_fe_close_t)(struct rte_eth_dev *dev);

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

int {{ cookiecutter.name }}_dev_init(struct rte_eth_dev *dev, void *bar0);
int {{ cookiecutter.name }}_dev_uninit(struct rte_eth_dev *dev);
uint16_t {{ cookiecutter.name }}_recv_pkts(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t {{ cookiecutter.name }}_xmit_pkts(void *txq, struct rte_mbuf **pkts, uint16_t n);
uint16_t {{ cookiecutter.name }}_prep_pkts(void *txq, struct rte_mbuf **pkts, uint16_t n);

#endif /* {{ cookiecutter.macro }}_H */
