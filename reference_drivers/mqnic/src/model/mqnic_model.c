/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * The NIC side of REGISTERS.md, in software. The driver writes registers
 * and rings exactly as it would on hardware; the model reads them when the
 * sim front end steps it and answers the way the hardware would: it
 * consumes descriptors (TAIL_PTR), "DMAs" frames by IOVA, writes
 * completions and advances the completion queues' HEAD_PTR.
 *
 * All models share one lock: steps are short, and paired ports write into
 * each other's rings, which a per-model lock could deadlock on.
 *
 * Everything a step reads or writes lives in shared memory (a memzone per
 * model holding its BAR0 and this state, and one for the lock and the list
 * of models), so a secondary process that attaches the port can step the
 * model too; the primary alone creates and destroys models. The
 * process-local things are pcap_out's stdio stream and wire=tap's file
 * descriptor: a port with either is stepped by the primary only
 * (mqnic_model_primary_only).
 */

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>
#include <unistd.h>

#include <rte_atomic.h>
#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_dev.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_spinlock.h>
#include <rte_string_fns.h>

#include "../mqnic_hw.h"
#include "../mqnic_log.h"
#include "mqnic_model.h"
#include "mqnic_tap.h"

#define MODEL_MAX_FRAME		(9000 + 18)	/* MAX_MTU + header + VLAN */
#define MODEL_RX_BURST		32	/* frames a wire source offers per step */
#define MODEL_FW_VER		MQNIC_FW_VER(0, 1, 0)
#define MODEL_LINK_SPEED	100000
#define MODEL_BAD_DMA_BIT	(1ull << 62)	/* never a user address */

#define PCAP_MAGIC_US		0xa1b2c3d4u
#define PCAP_MAGIC_NS		0xa1b23c4du
#define PCAP_LINKTYPE_ETHERNET	1
#define PCAP_SNAPLEN		65535

/*
 * What the receive path learns from a frame's headers. The hash is kept
 * with the RSS key and types it was computed for, so a source that sends
 * the same frame again (the generator) computes it once.
 */
struct frame_info {
	uint8_t pkt_info;	/* MQNIC_CPL_L2_*, _L3_*, _L4_* */
	uint8_t addr_len;	/* 8 or 32, 0 if not IP */
	bool has_ports;
	bool hash_valid;	/* hash/hash_type below are for rss_key/types */
	uint16_t csum;		/* ones' complement sum after the L2 header */
	uint8_t csum_status;	/* MQNIC_CPL_STATUS_*_CSUM_*: what was verified */
	uint16_t l3_off;	/* IP header, 0 if none */
	uint16_t l4_off;	/* TCP/UDP header, 0 if none (or a fragment) */
	uint32_t hash;
	uint32_t hash_type;
	uint32_t rss_types;
	uint8_t rss_key[MQNIC_RSS_KEY_SIZE];
	uint8_t rss_in[36];	/* addresses, then ports */
};

/* IOVAs that map 1:1 to valid memory: off = iova - lo, valid if < span. */
struct dma_window {
	uint64_t lo;
	uint64_t span;
};

/*
 * A completion as four words: a step sets the fields that are the same for
 * all its frames once, and writes each completion with four stores, the
 * per-frame fields (index, status, TX length) or-ed into the first word.
 */
union cpl_words {
	struct mqnic_cpl c;
	uint64_t w[4];
};

static_assert(sizeof(union cpl_words) == sizeof(struct mqnic_cpl),
	"completion words");
#if RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN
#error "the model builds completions as little-endian words"
#endif
#define CPL_W0_INDEX_SHIFT	16
#define CPL_W0_LEN_SHIFT	32
#define CPL_W0_STATUS_SHIFT	48

/*
 * The phase bit of the completion at CQ pointer p of a ring of mask + 1
 * entries, in word 0 (REGISTERS.md, "Completion"): set on odd passes.
 */
static inline uint64_t
cpl_w0_phase(uint16_t p, uint32_t mask)
{
	return p & (mask + 1) ? 0 : (uint64_t)MQNIC_CPL_STATUS_PHASE <<
		CPL_W0_STATUS_SHIFT;
}

/*
 * Word 0, with the phase bit, last: a driver that sees the new phase sees
 * the whole completion, and the completions before it (their stores came
 * first; a compiler barrier on x86).
 */
static inline void
cpl_write(struct mqnic_cpl *dst, uint64_t w0, const uint64_t *w)
{
	uint64_t *d = (uint64_t *)dst;

	d[1] = w[1];
	d[2] = w[2];
	d[3] = w[3];
	rte_smp_wmb();
	d[0] = w0;
}

/*
 * DMA transfer sizes the queue transfer counters assume (REGISTERS.md,
 * "Queue transfer counters"): a read request asks for at most MODEL_MRRS
 * bytes, a write carries at most MODEL_MPS.
 */
#define MODEL_MRRS		512
#define MODEL_MPS		256
#define MODEL_TLPS(bytes, max)	(((bytes) + (max) - 1) / (max))
/* Model-private slot of a counter block: HEAD_PTR at the last step. */
#define MODEL_QCNT_HEAD_SEEN	15

struct mqnic_model {
	TAILQ_ENTRY(mqnic_model) next;
	uint8_t *regs;			/* BAR0, first in the memzone */
	rte_spinlock_t *lock;		/* shared->lock */
	struct model_shared *shared;
	const struct rte_memzone *mz;	/* BAR0 and this struct */
	bool listed;			/* in shared->list */
	struct mqnic_model_cfg cfg;	/* strings below are our copies */
	char name[RTE_DEV_NAME_MAX_LEN];
	char peer_name[RTE_DEV_NAME_MAX_LEN];	/* "" if not paired */
	struct mqnic_model *peer;
	FILE *pcap_out;			/* the primary's stream */
	int tap_fd;			/* wire=tap: the primary's descriptor */
	uint32_t tap_held;		/* length of a frame read, in frame[] */
	char iface[MQNIC_TAP_NAMESIZE];
	/*
	 * Interrupts: the eventfd each vector signals, as VFIO binds an
	 * MSI-X vector to an eventfd, and the process they belong to (a step
	 * in another process cannot signal them).
	 */
	int irq_fd[MQNIC_IRQ_VECTORS];
	pid_t irq_pid;
	uint8_t *pcap_in;		/* whole file, in DPDK's heap */
	size_t pcap_in_len;
	size_t pcap_in_off;
	bool pcap_in_swapped;
	bool pcap_in_ns;
	uint64_t handled;		/* frames sent + received */
	bool iova_va;			/* EAL's IOVA mode: addresses are VAs */
	uintptr_t dma_lo;		/* last memory range found valid */
	uintptr_t dma_hi;
	struct dma_window win;		/* the same range as IOVAs, if VA mode */
	/*
	 * The generator's frame for gen_flow, built for the MAC in gen_mac,
	 * with what the receive path learns from its headers (gen_info).
	 */
	uint32_t gen_flow;
	bool gen_built;
	uint8_t gen_mac[6];
	struct frame_info gen_info;
	uint8_t frame[MODEL_MAX_FRAME];
	/* A frame the transmit side gathers or checksums before sending. */
	uint8_t tx_frame[MODEL_MAX_FRAME];
	/*
	 * The PTP clock (REGISTERS.md, "PTP clock"): phc_t0 ns at host
	 * CLOCK_MONOTONIC_RAW phc_host0, running at 1 + phc_sppm / 2^16 ppm.
	 */
	uint64_t phc_host0;
	uint64_t phc_t0;
	int64_t phc_sppm;
};

/*
 * What all models of a primary share, in a memzone of its own so that
 * secondary processes take the same lock: a pair= peer is found by name in
 * the list. Reserved by the first model created, freed with the last.
 */
struct model_shared {
	rte_spinlock_t lock;
	uint32_t refs;			/* models holding it */
	const struct rte_memzone *mz;
	TAILQ_HEAD(, mqnic_model) list;
};

#define MODEL_SHARED_MZ		"mqnic_sim_models"
#define MODEL_MZ_PREFIX		"mqnic_sim_"
/*
 * Whole pages, so what the heap places after a model is page aligned as
 * before; otherwise the alignment padding of queues set up later changes
 * (the suite's leak accounting counts it: 128 bytes in E28, measured).
 */
#define MODEL_MZ_SIZE \
	RTE_ALIGN_CEIL(MQNIC_BAR0_SIZE + sizeof(struct mqnic_model), 4096)

static inline uint32_t
reg_rd(const struct mqnic_model *m, uint32_t off)
{
	return *(volatile uint32_t *)(m->regs + off);
}

static inline void
reg_wr(struct mqnic_model *m, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(m->regs + off) = v;
}

static inline void
cnt_add(struct mqnic_model *m, enum mqnic_cnt c, uint64_t v)
{
	*(volatile uint64_t *)(m->regs + MQNIC_IF_REG_CNT + 8 * c) += v;
}

/* Queue transfer counters (REGISTERS.md), u64 in BAR0. */
static inline volatile uint64_t *
qcnt(struct mqnic_model *m, bool tx, uint32_t q)
{
	return (volatile uint64_t *)(m->regs + MQNIC_QCNT_ADDR(tx, q));
}

/*
 * A step looks at a descriptor queue's HEAD_PTR: a value that moved since
 * the last look counts as a doorbell (writes between two looks count once).
 */
static inline void
qcnt_doorbell(struct mqnic_model *m, bool tx, uint32_t q, uint16_t head)
{
	volatile uint64_t *c = qcnt(m, tx, q);

	if (c[MODEL_QCNT_HEAD_SEEN] != head) {
		c[MODEL_QCNT_HEAD_SEEN] = head;
		c[MQNIC_QCNT_DOORBELLS]++;
	}
}

static inline bool
fault(const struct mqnic_model *m, uint32_t f)
{
	return unlikely(m->cfg.faults & f) && m->handled >= m->cfg.fault_after;
}

/* Whether this process holds the eventfds the model's vectors signal. */
static bool
irq_here(const struct mqnic_model *m)
{
	return m->irq_pid == getpid();
}

/* Raise vector vec (REGISTERS.md, "Interrupts"): false if nothing listens. */
static bool
irq_raise(struct mqnic_model *m, uint32_t vec)
{
	uint64_t one = 1;

	if (vec >= MQNIC_IRQ_VECTORS || m->irq_fd[vec] < 0 || !irq_here(m))
		return false;
	return write(m->irq_fd[vec], &one, sizeof(one)) == sizeof(one);
}

/* LINK changed: the link interrupt, if the driver enabled it. */
static void
link_set(struct mqnic_model *m, bool up)
{
	uint32_t irq;

	if ((reg_rd(m, MQNIC_IF_REG_LINK) & 1) == up)
		return;
	reg_wr(m, MQNIC_IF_REG_LINK, up);
	irq = reg_rd(m, MQNIC_IF_REG_LINK_IRQ);
	if ((irq & MQNIC_LINK_IRQ_ENABLE) &&
			irq_raise(m, irq & MQNIC_IRQ_VECTOR_MASK))
		cnt_add(m, MQNIC_CNT_LINK_IRQS, 1);
}

/*
 * A completion queue that got completions: its interrupt if armed, once
 * (the NIC clears ARM). A step in a process that cannot signal the vector
 * leaves it armed, for the next step in the one that can.
 */
static __rte_noinline void
cq_irq(struct mqnic_model *m, uint8_t *cq_regs, bool tx, uint32_t q,
	uint32_t ev)
{
	if (!irq_here(m))
		return;
	*(volatile uint32_t *)(cq_regs + MQNIC_CQ_EVENT_INDEX) =
		ev & ~MQNIC_CQ_ARM;
	rte_smp_wmb();	/* completions and HEAD_PTR before the interrupt */
	if (irq_raise(m, ev & MQNIC_IRQ_VECTOR_MASK))
		qcnt(m, tx, q)[MQNIC_QCNT_IRQS]++;
}

/* Unarmed, the common case: one register read. */
static inline void
cq_event(struct mqnic_model *m, uint8_t *cq_regs, bool tx, uint32_t q)
{
	uint32_t ev = *(volatile uint32_t *)(cq_regs + MQNIC_CQ_EVENT_INDEX);

	if (unlikely(ev & MQNIC_CQ_ARM))
		cq_irq(m, cq_regs, tx, q, ev);
}

/* The link_down fault takes the link down for good once it starts. */
static bool
link_up(struct mqnic_model *m)
{
	if (fault(m, MQNIC_FAULT_LINK_DOWN) &&
			(reg_rd(m, MQNIC_IF_REG_LINK) & 1)) {
		PMD_LOG(INFO, "%s: fault: link down", m->name);
		link_set(m, false);
	}
	return reg_rd(m, MQNIC_IF_REG_LINK) & 1;
}

/* Frames sent or received (or dropped) so far: what fault_after counts. */
static inline void
handled_one(struct mqnic_model *m)
{
	m->handled++;
}

static uint64_t
host_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/*
 * The PTP clock now, in ns. It starts at the host's CLOCK_REALTIME and runs
 * on the host's raw monotonic clock, scaled by the frequency adjustment.
 */
static uint64_t
phc_now(struct mqnic_model *m)
{
	uint64_t host = host_ns(CLOCK_MONOTONIC_RAW), d;

	if (unlikely(m->phc_host0 == 0)) {
		m->phc_t0 = host_ns(CLOCK_REALTIME);
		m->phc_host0 = host;
	}
	d = host - m->phc_host0;
	return m->phc_t0 + d + (int64_t)((__int128)d * m->phc_sppm /
		((__int128)1000000 << 16));
}

/* Rebase: what phc_now says stays true from here, at a new rate or time. */
static void
phc_set(struct mqnic_model *m, uint64_t t)
{
	m->phc_host0 = host_ns(CLOCK_MONOTONIC_RAW);
	m->phc_t0 = t;
}

static void
phc_regs_put(struct mqnic_model *m, uint32_t off, uint64_t t)
{
	uint64_t sec = t / 1000000000u;

	reg_wr(m, off, t % 1000000000u);
	reg_wr(m, off + 4, (uint32_t)sec);
	reg_wr(m, off + 8, (uint32_t)(sec >> 32) & 0xffff);
}

/*
 * A latch (RX_TS or TX_TS) takes a time only while VALID is clear: the
 * driver reads it, then clears VALID (REGISTERS.md, "PTP clock").
 */
static bool
phc_latch(struct mqnic_model *m, uint32_t latch, uint64_t t)
{
	if (reg_rd(m, latch + MQNIC_PTP_TS_VALID) & 1)
		return false;
	phc_regs_put(m, latch, t);
	rte_smp_wmb();
	reg_wr(m, latch + MQNIC_PTP_TS_VALID, 1);
	return true;
}

/* An IEEE 1588 frame (ethertype 0x88F7), and an event message (types 0..3). */
static inline bool
ptp_frame(const uint8_t *f, uint32_t len)
{
	return len >= RTE_ETHER_HDR_LEN + 2 && f[12] == 0x88 && f[13] == 0xf7;
}

static inline bool
ptp_event(const uint8_t *f)
{
	return (f[RTE_ETHER_HDR_LEN] & 0x0f) <= 3;
}

/* A frame sent with MQNIC_DESC_TX_TS: its time if a PTP event message. */
static void
tx_ptp_latch(struct mqnic_model *m, const uint8_t *f, uint32_t len)
{
	if ((reg_rd(m, MQNIC_IF_REG_PTP_CTRL) & MQNIC_PTP_CTRL_TX_EN) &&
			ptp_frame(f, len) && ptp_event(f))
		phc_latch(m, MQNIC_IF_REG_PTP_TX_TS, phc_now(m));
}

/*
 * Translate and check a DMA address as an IOMMU would: the range must lie
 * inside memory DPDK manages. NULL: refused.
 */
static void *
dma_translate_slow(struct mqnic_model *m, uint64_t iova, size_t len)
{
	const struct rte_memseg_list *msl;
	uintptr_t va;

	if (m->iova_va)
		va = (uintptr_t)iova;
	else
		va = (uintptr_t)rte_mem_iova2virt(iova);
	if (va == 0 || va + len < va)
		goto refuse;
	if (va >= m->dma_lo && va + len <= m->dma_hi)
		return (void *)va;
	msl = rte_mem_virt2memseg_list((void *)va);
	if (msl == NULL || va + len > (uintptr_t)msl->base_va + msl->len)
		goto refuse;
	m->dma_lo = (uintptr_t)msl->base_va;
	m->dma_hi = m->dma_lo + msl->len;
	if (m->iova_va) {
		m->win.lo = m->dma_lo;
		m->win.span = msl->len;
	}
	return (void *)va;
refuse:
	return NULL;
}

static void *
dma_translate(struct mqnic_model *m, uint64_t iova, size_t len)
{
	uint64_t off = iova - m->win.lo;

	if (likely(off < m->win.span && len <= m->win.span - off))
		return (void *)(uintptr_t)iova;
	return dma_translate_slow(m, iova, len);
}

/* A DMA the NIC makes now: a refusal counts as a DMA error. */
static void *
dma_map(struct mqnic_model *m, uint64_t iova, size_t len)
{
	void *va = dma_translate(m, iova, len);

	if (va == NULL)
		cnt_add(m, MQNIC_CNT_DMA_ERRORS, 1);
	return va;
}

/*
 * A packet buffer. `w` is the caller's copy of the model's window (kept in
 * registers across a step's loop); the bad_dma fault corrupts the address
 * first.
 */
static inline void *
dma_map_buf(struct mqnic_model *m, struct dma_window *w, bool faults,
	uint64_t iova, size_t len)
{
	uint64_t off = iova - w->lo;
	void *va;

	if (likely(!faults && off < w->span && len <= w->span - off))
		return (void *)(uintptr_t)iova;
	if (fault(m, MQNIC_FAULT_BAD_DMA))
		iova |= MODEL_BAD_DMA_BIT;
	va = dma_map(m, iova, len);
	*w = m->win;
	return va;
}

struct model_queue {
	uint8_t *regs;
	uint32_t mask;
	uint32_t log_block;	/* descriptors per entry: 1 << log_block */
	uint64_t base;
};

/* The queue is idle again: what it wrote is visible first. */
static inline void
queue_put(struct model_queue *q)
{
	rte_smp_wmb();
	*(volatile uint32_t *)(q->regs + MQNIC_QUEUE_STATUS) = 0;
}

/*
 * Read an active queue's registers; false if the queue is not usable.
 * Usable, it is BUSY until queue_put (REGISTERS.md, STATUS): BUSY is set
 * before ACTIVE is read, so a driver that clears ACTIVE and then reads
 * BUSY 0 knows the NIC will not touch the queue again.
 */
static bool
queue_get(struct mqnic_model *m, uint32_t offset, uint32_t idx,
	struct model_queue *q)
{
	uint32_t ctrl, log_size;

	if (idx >= MQNIC_MAX_QUEUES)
		return false;
	q->regs = m->regs + offset + idx * MQNIC_QUEUE_STRIDE;
	*(volatile uint32_t *)(q->regs + MQNIC_QUEUE_STATUS) =
		MQNIC_QUEUE_STATUS_BUSY;
	rte_smp_mb();
	ctrl = *(volatile uint32_t *)(q->regs + MQNIC_QUEUE_ACTIVE_LOG_SIZE);
	log_size = ctrl & MQNIC_QUEUE_LOG_SIZE_MASK;
	/* Blocks of up to 2^MQNIC_MAX_LOG_BLOCK_SIZE descriptors per entry. */
	q->log_block = (ctrl >> MQNIC_QUEUE_LOG_BLOCK_SHIFT) & 0xff;
	if (!(ctrl & MQNIC_QUEUE_ACTIVE) ||
			q->log_block > MQNIC_MAX_LOG_BLOCK_SIZE ||
			log_size < MQNIC_MIN_LOG_RING_SIZE ||
			log_size > MQNIC_MAX_LOG_RING_SIZE) {
		queue_put(q);
		return false;
	}
	q->mask = (1u << log_size) - 1;
	q->base = *(volatile uint32_t *)(q->regs + MQNIC_QUEUE_BASE_ADDR_LO) |
		(uint64_t)*(volatile uint32_t *)(q->regs +
			MQNIC_QUEUE_BASE_ADDR_HI) << 32;
	return true;
}

static inline uint16_t
q_ptr(const struct model_queue *q, uint32_t off)
{
	return *(volatile uint32_t *)(q->regs + off) & MQNIC_PTR_MASK;
}

static inline void
q_set_ptr(struct model_queue *q, uint32_t off, uint16_t v)
{
	*(volatile uint32_t *)(q->regs + off) = v;
}

/* RSS (REGISTERS.md, "RSS hash types") */

static uint32_t
toeplitz(const uint8_t *key, const uint8_t *in, unsigned int len)
{
	uint32_t v = rte_be_to_cpu_32(*(const unaligned_uint32_t *)key);
	uint32_t hash = 0;
	unsigned int i, b, kbit = 32;

	for (i = 0; i < len; i++) {
		for (b = 0; b < 8; b++, kbit++) {
			if (in[i] & (0x80 >> b))
				hash ^= v;
			v = v << 1 | ((key[kbit / 8] >> (7 - kbit % 8)) & 1);
		}
	}
	return hash;
}

static void
frame_parse(const uint8_t *f, uint32_t len, struct frame_info *fi)
{
	uint32_t l3 = RTE_ETHER_HDR_LEN, l4 = 0;
	uint8_t l2 = 0, proto = 0;
	uint16_t type;

	fi->pkt_info = 0;
	fi->addr_len = 0;
	fi->has_ports = false;
	fi->hash_valid = false;
	fi->l3_off = 0;
	fi->l4_off = 0;
	if (len < l3)
		return;
	type = (uint16_t)f[12] << 8 | f[13];
	/*
	 * VLAN tags (REGISTERS.md, packet info): 0x8100 is one tag, unless
	 * another 0x8100 follows; 0x88a8 (802.1ad) is an outer tag.
	 */
	if ((type == RTE_ETHER_TYPE_VLAN || type == RTE_ETHER_TYPE_QINQ) &&
			len >= l3 + 4) {
		l2 = MQNIC_CPL_L2_VLAN;
		type = (uint16_t)f[l3 + 2] << 8 | f[l3 + 3];
		l3 += 4;
		if (type == RTE_ETHER_TYPE_VLAN && len >= l3 + 4) {
			l2 = MQNIC_CPL_L2_QINQ;
			type = (uint16_t)f[l3 + 2] << 8 | f[l3 + 3];
			l3 += 4;
		}
	}
	fi->pkt_info = l2;
	if (type == RTE_ETHER_TYPE_IPV4 && len >= l3 + 20 &&
			(f[l3] >> 4) == 4) {
		fi->pkt_info |= MQNIC_CPL_L3_IPV4;
		fi->l3_off = l3;
		fi->addr_len = 8;
		memcpy(fi->rss_in, f + l3 + 12, 8);
		proto = f[l3 + 9];
		/* Fragments hash as L3 only: later ones carry no ports. */
		if (((f[l3 + 6] & 0x3f) | f[l3 + 7]) == 0)
			l4 = l3 + (f[l3] & 0xf) * 4;
	} else if (type == RTE_ETHER_TYPE_IPV6 && len >= l3 + 40) {
		fi->pkt_info |= MQNIC_CPL_L3_IPV6;
		fi->l3_off = l3;
		fi->addr_len = 32;
		memcpy(fi->rss_in, f + l3 + 8, 32);
		proto = f[l3 + 6];
		l4 = l3 + 40;
	}
	if (l4 == 0 || len < l4 + 4)
		return;
	if (proto == IPPROTO_TCP)
		fi->pkt_info |= MQNIC_CPL_L4_TCP;
	else if (proto == IPPROTO_UDP)
		fi->pkt_info |= MQNIC_CPL_L4_UDP;
	else
		return;
	memcpy(fi->rss_in + fi->addr_len, f + l4, 4);
	fi->has_ports = true;
	fi->l4_off = l4;
}

/* Pick the RSS type of a frame among those enabled; 0 if none applies. */
static uint32_t
rss_type(const struct frame_info *fi, uint32_t enabled)
{
	uint32_t l3, l4 = 0;

	if (fi->pkt_info == 0)
		return 0;
	if (fi->pkt_info & MQNIC_CPL_L3_IPV4) {
		l3 = MQNIC_RSS_IPV4;
		if (fi->pkt_info & MQNIC_CPL_L4_TCP)
			l4 = MQNIC_RSS_TCP_IPV4;
		else if (fi->pkt_info & MQNIC_CPL_L4_UDP)
			l4 = MQNIC_RSS_UDP_IPV4;
	} else if (fi->pkt_info & MQNIC_CPL_L3_IPV6) {
		l3 = MQNIC_RSS_IPV6;
		if (fi->pkt_info & MQNIC_CPL_L4_TCP)
			l4 = MQNIC_RSS_TCP_IPV6;
		else if (fi->pkt_info & MQNIC_CPL_L4_UDP)
			l4 = MQNIC_RSS_UDP_IPV6;
	} else {
		return 0;
	}
	if (l4 & enabled)
		return l4;
	return l3 & enabled;
}

static void
rss_key_read(const struct mqnic_model *m, uint8_t *key)
{
	unsigned int i;
	uint32_t w;

	for (i = 0; i < MQNIC_RSS_KEY_SIZE; i += 4) {
		w = reg_rd(m, MQNIC_IF_REG_RSS_KEY + i);
		key[i] = w & 0xff;
		key[i + 1] = (w >> 8) & 0xff;
		key[i + 2] = (w >> 16) & 0xff;
		key[i + 3] = w >> 24;
	}
}

static uint16_t
csum_after_l2(const uint8_t *f, uint32_t len)
{
	uint32_t sum = 0, i;

	for (i = RTE_ETHER_HDR_LEN; i + 1 < len; i += 2)
		sum += (uint32_t)f[i] << 8 | f[i + 1];
	if (i < len)
		sum += (uint32_t)f[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* Big-endian 16-bit words of p added to sum; an odd last byte padded. */
static uint32_t
sum16(const uint8_t *p, uint32_t n, uint32_t sum)
{
	uint32_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < n)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

static uint16_t
fold16(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/*
 * RX checksum verification (REGISTERS.md, completion status): the IPv4
 * header checksum, and the TCP/UDP checksum over the pseudo-header and the
 * L4 length the IP header gives. A layer not checked sets neither bit.
 */
static uint8_t
csum_verify(const uint8_t *f, uint32_t len, const struct frame_info *fi)
{
	uint32_t l3 = fi->l3_off, l4 = fi->l4_off, hl, l4_len, sum;
	uint8_t st = 0;

	if (fi->pkt_info & MQNIC_CPL_L3_IPV4) {
		hl = (f[l3] & 0xf) * 4;
		if (hl < 20 || l3 + hl > len)
			return 0;
		st = fold16(sum16(f + l3, hl, 0)) == 0xffff ?
			MQNIC_CPL_STATUS_IP_CSUM_OK : MQNIC_CPL_STATUS_IP_CSUM_BAD;
		if (l4 == 0)
			return st;
		l4_len = ((uint32_t)f[l3 + 2] << 8 | f[l3 + 3]);
		if (l4_len < hl || l3 + l4_len > len)
			return st;
		l4_len -= hl;
		/* UDP over IPv4 may carry no checksum (RFC 768): 0. */
		if ((fi->pkt_info & MQNIC_CPL_L4_UDP) && l4_len >= 8 &&
				(f[l4 + 6] | f[l4 + 7]) == 0)
			return st | MQNIC_CPL_STATUS_L4_CSUM_OK;
		sum = sum16(f + l3 + 12, 8, 0);
	} else if (fi->pkt_info & MQNIC_CPL_L3_IPV6) {
		if (l4 == 0)
			return 0;
		l4_len = (uint32_t)f[l3 + 4] << 8 | f[l3 + 5];
		if (l4 + l4_len > len)
			return 0;
		sum = sum16(f + l3 + 8, 32, 0);
	} else {
		return 0;
	}
	if (l4_len < ((fi->pkt_info & MQNIC_CPL_L4_TCP) ? 20u : 8u))
		return st;
	sum += l4_len + ((fi->pkt_info & MQNIC_CPL_L4_TCP) ? IPPROTO_TCP :
		IPPROTO_UDP);
	sum = sum16(f + l4, l4_len, sum);
	return st | (fold16(sum) == 0xffff ? MQNIC_CPL_STATUS_L4_CSUM_OK :
		MQNIC_CPL_STATUS_L4_CSUM_BAD);
}

/*
 * TX checksum commands (REGISTERS.md, "Descriptor"), applied to the frame
 * on its way to the wire: the IPv4 header's checksum, then Corundum's L4
 * command (sum from START to the end, complement stored at START + OFFSET).
 */
static void
tx_csum(uint8_t *f, uint32_t len, uint16_t ip_cmd, uint16_t cmd)
{
	uint32_t start, off, hl;
	uint16_t v;

	if (ip_cmd & MQNIC_TX_IP_CSUM_ENABLE) {
		start = ip_cmd & MQNIC_TX_IP_CSUM_START_MASK;
		hl = start < len ? (f[start] & 0xf) * 4u : 0;
		if (hl >= 20 && start + hl <= len) {
			f[start + 10] = 0;
			f[start + 11] = 0;
			v = ~fold16(sum16(f + start, hl, 0));
			f[start + 10] = v >> 8;
			f[start + 11] = v & 0xff;
		}
	}
	if (cmd & MQNIC_TX_CSUM_ENABLE) {
		start = cmd & MQNIC_TX_CSUM_START_MASK;
		off = start + ((cmd >> MQNIC_TX_CSUM_OFFSET_SHIFT) &
			MQNIC_TX_CSUM_OFFSET_MAX);
		if (off + 2 <= len) {
			v = ~fold16(sum16(f + start, len - start, 0));
			f[off] = v >> 8;
			f[off + 1] = v & 0xff;
		}
	}
}

/*
 * One step of the receive side: what it reads once (registers, the queues
 * frames go to) and what it publishes once at its end (pointers, counters),
 * as hardware coalesces its pointer and counter updates.
 */
struct rx_ring {
	struct model_queue rq;
	struct model_queue cq;
	volatile struct mqnic_desc *descs;
	struct mqnic_cpl *cpls;
	uint16_t head;		/* descriptors posted, as last read */
	uint16_t tail;		/* next descriptor to fill */
	uint16_t cq_head;	/* next completion to write */
	uint16_t cq_tail;	/* completions returned, as last read */
	uint16_t tail0;		/* tail when the step began */
	uint32_t desc_rd;	/* DMA this step: descriptor read requests */
	uint32_t data_wr;	/* frame data writes */
	uint64_t data_wr_bytes;
	int8_t drop_cnt;	/* unusable: the counter a frame bumps, or -1 */
	bool busy;		/* rq and cq got: put them at the step's end */
};

struct rx_step {
	struct mqnic_model *m;
	bool link;
	bool have_ts;
	bool ptp;		/* PTP_CTRL RX_EN: mark and latch PTP frames */
	uint64_t ts;		/* the step's time on the PTP clock, ns */
	uint8_t mac[6];
	uint32_t max_len;
	uint32_t filter;
	uint32_t rss_types;
	uint32_t nb_rxq;
	uint32_t ts_ns;
	uint16_t ts_s;
	uint32_t loaded;	/* bit per entry of q[] read in this step */
	uint64_t cnt[MQNIC_CNT_NUM];
	uint8_t rss_key[MQNIC_RSS_KEY_SIZE];
	struct rx_ring q[MQNIC_MAX_QUEUES];
};

static void
rx_step_begin(struct rx_step *s, struct mqnic_model *m)
{
	uint32_t lo = reg_rd(m, MQNIC_IF_REG_MAC_LO);
	uint32_t hi = reg_rd(m, MQNIC_IF_REG_MAC_HI);

	s->m = m;
	s->link = link_up(m);
	s->have_ts = false;
	s->ptp = reg_rd(m, MQNIC_IF_REG_PTP_CTRL) & MQNIC_PTP_CTRL_RX_EN;
	s->mac[0] = lo & 0xff;
	s->mac[1] = (lo >> 8) & 0xff;
	s->mac[2] = (lo >> 16) & 0xff;
	s->mac[3] = lo >> 24;
	s->mac[4] = hi & 0xff;
	s->mac[5] = (hi >> 8) & 0xff;
	s->max_len = RTE_MIN(reg_rd(m, MQNIC_IF_REG_MTU) + 18,
		(uint32_t)MODEL_MAX_FRAME);
	s->filter = reg_rd(m, MQNIC_IF_REG_RX_FILTER);
	s->rss_types = reg_rd(m, MQNIC_IF_REG_RSS_CTRL);
	if (s->rss_types != 0) {
		s->nb_rxq = reg_rd(m, MQNIC_IF_REG_RXQ_COUNT);
		rss_key_read(m, s->rss_key);
	}
	s->loaded = 0;
	memset(s->cnt, 0, sizeof(s->cnt));
}

/* The queue pair a frame goes to, read on the step's first frame for it. */
static struct rx_ring *
rx_ring_get(struct rx_step *s, uint32_t qid)
{
	struct mqnic_model *m = s->m;
	struct rx_ring *r = &s->q[qid];

	if (s->loaded & (1u << qid))
		return r;
	s->loaded |= 1u << qid;
	r->drop_cnt = MQNIC_CNT_RX_NO_DESC;
	r->busy = false;
	if (!queue_get(m, MQNIC_RXQ_OFFSET, qid, &r->rq))
		return r;
	if (!queue_get(m, MQNIC_RXCQ_OFFSET, *(volatile uint32_t *)
			(r->rq.regs + MQNIC_QUEUE_CQ_INDEX), &r->cq)) {
		queue_put(&r->rq);
		return r;
	}
	r->busy = true;
	/* Rings that cannot be reached: each frame for them counts one error. */
	r->drop_cnt = MQNIC_CNT_DMA_ERRORS;
	r->descs = dma_translate(m, r->rq.base,
		((r->rq.mask + 1) << r->rq.log_block) * sizeof(*r->descs));
	r->cpls = dma_translate(m, r->cq.base,
		(r->cq.mask + 1) * sizeof(*r->cpls));
	if (r->descs == NULL || r->cpls == NULL)
		return r;
	r->drop_cnt = -1;
	r->head = q_ptr(&r->rq, MQNIC_QUEUE_HEAD_PTR);
	r->tail = q_ptr(&r->rq, MQNIC_QUEUE_TAIL_PTR);
	r->cq_head = q_ptr(&r->cq, MQNIC_QUEUE_HEAD_PTR);
	r->cq_tail = q_ptr(&r->cq, MQNIC_QUEUE_TAIL_PTR);
	r->tail0 = r->tail;
	r->desc_rd = 0;
	r->data_wr = 0;
	r->data_wr_bytes = 0;
	qcnt_doorbell(m, false, qid, r->head);
	rte_smp_rmb();	/* descriptors after the doorbell that posted them */
	return r;
}

/* Publish what the step wrote: completions first, then the pointers. */
static void
rx_step_end(struct rx_step *s)
{
	struct mqnic_model *m = s->m;
	uint32_t loaded = s->loaded;
	volatile uint64_t *c;
	struct rx_ring *r;
	unsigned int i;
	uint16_t taken;

	if (loaded != 0)
		rte_smp_wmb();
	while (loaded != 0) {
		i = rte_bsf32(loaded);
		loaded &= loaded - 1;
		r = &s->q[i];
		if (r->drop_cnt < 0 && r->tail != r->tail0) {
			q_set_ptr(&r->rq, MQNIC_QUEUE_TAIL_PTR, r->tail);
			q_set_ptr(&r->cq, MQNIC_QUEUE_HEAD_PTR, r->cq_head);
			/* One completion per descriptor taken. */
			taken = r->tail - r->tail0;
			c = qcnt(m, false, i);
			c[MQNIC_QCNT_DESC_RD] += r->desc_rd;
			c[MQNIC_QCNT_DESC_RD_BYTES] += (taken <<
				r->rq.log_block) * sizeof(struct mqnic_desc);
			c[MQNIC_QCNT_CPL_WR] += taken;
			c[MQNIC_QCNT_CPL_WR_BYTES] += taken *
				sizeof(struct mqnic_cpl);
			c[MQNIC_QCNT_DATA_WR] += r->data_wr;
			c[MQNIC_QCNT_DATA_WR_BYTES] += r->data_wr_bytes;
			cq_event(m, r->cq.regs, false, i);
		}
		if (r->busy) {
			queue_put(&r->cq);
			queue_put(&r->rq);
		}
	}
	for (i = 0; i < MQNIC_CNT_NUM; i++)
		if (s->cnt[i] != 0)
			cnt_add(m, i, s->cnt[i]);
}

/*
 * fault=slow_dma: the frame's DMA is still in flight when the driver
 * deactivates the queue (the model waits up to 1 s for that), and lands
 * 20 ms later. The queue stays BUSY until then.
 */
static void
rx_slow_dma(struct rx_ring *r)
{
	unsigned int ms;

	for (ms = 0; ms < 1000; ms++) {
		if (!(*(volatile uint32_t *)(r->rq.regs +
				MQNIC_QUEUE_ACTIVE_LOG_SIZE) & MQNIC_QUEUE_ACTIVE))
			break;
		rte_delay_us_sleep(1000);
	}
	rte_delay_us_sleep(20 * 1000);
}

/*
 * The address table (REGISTERS.md, ADDR_TBL), read only for a frame the port
 * address and the modes refused: the common case costs nothing.
 */
static bool
rx_addr_listed(const struct mqnic_model *m, const uint8_t *dst)
{
	uint32_t lo = (uint32_t)dst[0] | (uint32_t)dst[1] << 8 |
		(uint32_t)dst[2] << 16 | (uint32_t)dst[3] << 24;
	uint32_t hi = MQNIC_ADDR_TBL_VALID | dst[4] | (uint32_t)dst[5] << 8;
	uint32_t off;
	unsigned int i;

	for (i = 0; i < MQNIC_ADDR_TBL_SIZE; i++) {
		off = MQNIC_IF_REG_ADDR_TBL + 8 * i;
		if (reg_rd(m, off + 4) == hi && reg_rd(m, off) == lo)
			return true;
	}
	return false;
}

/* MAC filter (REGISTERS.md, RX_FILTER and ADDR_TBL). */
static bool
rx_accept(const struct rx_step *s, const uint8_t *dst)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (s->filter & MQNIC_RX_FILTER_PROMISC)
		return true;
	if (dst[0] & 1) {
		if (memcmp(dst, bcast, 6) == 0 ||
				(s->filter & MQNIC_RX_FILTER_ALLMULTI))
			return true;
	} else if (memcmp(dst, s->mac, 6) == 0) {
		return true;
	}
	return rx_addr_listed(s->m, dst);
}

/* The frame's RSS hash and type for the step's key and types. */
static void
rx_hash(const struct rx_step *s, struct frame_info *fi)
{
	uint32_t htype = rss_type(fi, s->rss_types);

	if (fi->hash_valid && fi->rss_types == s->rss_types &&
			memcmp(fi->rss_key, s->rss_key, sizeof(s->rss_key)) == 0)
		return;
	fi->hash_type = htype;
	fi->hash = htype == 0 ? 0 : toeplitz(s->rss_key, fi->rss_in,
		fi->addr_len + ((htype & (MQNIC_RSS_IPV4 | MQNIC_RSS_IPV6)) ?
			0 : 4));
	fi->rss_types = s->rss_types;
	memcpy(fi->rss_key, s->rss_key, sizeof(s->rss_key));
	fi->hash_valid = true;
}

/*
 * rx_deliver for a queue with descriptor blocks (REGISTERS.md,
 * "Descriptor"): each copy takes one ring entry, scattered over its
 * buffers in order (a buffer of length 0 is skipped), one completion.
 */
static unsigned int
rx_deliver_blocks(struct rx_step *s, struct rx_ring *r, const uint8_t *f,
	uint32_t len, bool hold, unsigned int n, const uint64_t *w)
{
	struct mqnic_model *m = s->m;
	uint32_t nb = 1u << r->rq.log_block;
	uint32_t mask = r->rq.mask, cq_mask = r->cq.mask;
	bool faults = m->cfg.faults != 0;
	struct dma_window win = m->win;
	volatile struct mqnic_desc *d;
	uint32_t j, off, seg, room, writes;
	unsigned int i;
	uint64_t w0;
	void *buf;

	for (i = 0; i < n; i++) {
		if ((uint16_t)(r->head - r->tail) == 0) {
			r->head = q_ptr(&r->rq, MQNIC_QUEUE_HEAD_PTR);
			rte_smp_rmb();
			if ((uint16_t)(r->head - r->tail) == 0) {
				if (hold)
					return i;
				s->cnt[MQNIC_CNT_RX_NO_DESC] += n - i;
				return n;
			}
		}
		if (cq_mask < mask &&
				(uint16_t)(r->cq_head - r->cq_tail) > cq_mask) {
			r->cq_tail = q_ptr(&r->cq, MQNIC_QUEUE_TAIL_PTR);
			if ((uint16_t)(r->cq_head - r->cq_tail) > cq_mask) {
				if (hold)
					return i;
				s->cnt[MQNIC_CNT_RX_CQ_FULL] += n - i;
				return n;
			}
		}
		d = &r->descs[(r->tail & mask) << r->rq.log_block];
		r->desc_rd += MODEL_TLPS(nb * sizeof(*d), MODEL_MRRS);
		for (j = 0, room = 0; j < nb; j++)
			room += d[j].len;
		if (len > room) {
			/* Not consumed: the copies left would meet it too. */
			s->cnt[MQNIC_CNT_RX_TOO_LONG] += n - i;
			return n;
		}
		w0 = w[0] | (uint64_t)(r->tail & mask) << CPL_W0_INDEX_SHIFT |
			cpl_w0_phase(r->cq_head, cq_mask);
		writes = 0;
		for (j = 0, off = 0; off < len; j++) {
			seg = RTE_MIN(len - off, d[j].len);
			if (seg == 0)
				continue;
			buf = dma_map_buf(m, &win, faults, d[j].addr, seg);
			if (buf == NULL)
				break;
			memcpy(buf, f + off, seg);
			writes += MODEL_TLPS(seg, MODEL_MPS);
			off += seg;
		}
		if (off < len) {
			w0 |= (uint64_t)MQNIC_CPL_STATUS_DMA_ERR <<
				CPL_W0_STATUS_SHIFT;
		} else {
			s->cnt[MQNIC_CNT_RX_FRAMES]++;
			s->cnt[MQNIC_CNT_RX_BYTES] += len;
			r->data_wr += writes;
			r->data_wr_bytes += len;
		}
		cpl_write(&r->cpls[r->cq_head & cq_mask], w0, w);
		r->tail++;
		r->cq_head++;
	}
	return n;
}

/*
 * `n` copies of a frame arrive from the wire: filter, steer, DMA, complete.
 * What depends on the frame alone (filter, parse, hash, queue) is done
 * once; then each copy takes a descriptor. `fi` is what the frame's headers
 * say when the source knows it (the generator), or NULL. With `hold` (paced
 * sources: gen, pcap) copies that find no descriptor or completion slot
 * are not dropped but left to the source to offer again later. Returns the
 * copies taken (delivered or dropped); fewer than `n` only with `hold`.
 */
static unsigned int
rx_deliver(struct rx_step *s, const uint8_t *f, uint32_t len,
	struct frame_info *fi, bool hold, unsigned int n)
{
	struct mqnic_model *m = s->m;
	bool faults = m->cfg.faults != 0;
	struct frame_info parsed;
	volatile struct mqnic_desc *descs, *d;
	union cpl_words c = { .w = { 0 } };
	struct mqnic_cpl *cpl;
	struct dma_window win = m->win;
	uint64_t w0, w[4];
	uint16_t tail, head, cq_head, cq_tail;
	uint32_t qid = 0, mask, cq_mask, avail, room;
	struct rx_ring *r;
	uint64_t now;
	unsigned int i, j, k, drop = MQNIC_CNT_NUM;
	uint64_t delivered = 0;
	void *buf;

	if (unlikely(faults))
		s->link = link_up(m);
	if (unlikely(!s->link))
		drop = MQNIC_CNT_LINK_DOWN_DROPS;
	else if (unlikely(len > s->max_len))
		drop = MQNIC_CNT_RX_TOO_LONG;
	else if (unlikely(len < RTE_ETHER_HDR_LEN || !rx_accept(s, f)))
		drop = MQNIC_CNT_RX_FILTERED;
	if (drop != MQNIC_CNT_NUM) {
		s->cnt[drop] += n;
		return n;
	}
	if (fi == NULL) {
		frame_parse(f, len, &parsed);
		parsed.csum = csum_after_l2(f, len);
		parsed.csum_status = csum_verify(f, len, &parsed);
		fi = &parsed;
	}
	if (s->rss_types != 0) {
		rx_hash(s, fi);
		c.c.rx_hash = fi->hash;
		c.c.rx_hash_type = fi->hash_type;
		if (fi->hash_type != 0) {
			qid = reg_rd(m, MQNIC_IF_REG_RSS_TBL +
				4 * (fi->hash & (MQNIC_RSS_TBL_SIZE - 1)));
			if (qid >= s->nb_rxq || qid >= MQNIC_MAX_QUEUES)
				qid = 0;
		}
	}
	r = rx_ring_get(s, qid);
	if (unlikely(r->drop_cnt >= 0)) {
		s->cnt[r->drop_cnt] += n;
		return n;
	}
	if (unlikely(faults) && fault(m, MQNIC_FAULT_SLOW_DMA))
		rx_slow_dma(r);
	/*
	 * One timestamp per step: the frames of a burst arrive together. A
	 * PTP frame while PTP is on takes the time it arrives, after the time
	 * its sender latched (pair, loopback).
	 */
	if (!s->have_ts || (unlikely(s->ptp) && ptp_frame(f, len))) {
		now = phc_now(m);
		s->ts = now;
		s->ts_ns = now % 1000000000u;
		s->ts_s = (now / 1000000000u) & 0xffff;
		s->have_ts = true;
	}
	c.c.queue = qid;
	c.c.pkt_info = fi->pkt_info;
	/* PTP sources offer one frame at a time: the latch is for that one. */
	if (unlikely(s->ptp) && ptp_frame(f, len)) {
		c.c.pkt_info |= MQNIC_CPL_PTP;
		if (n == 1 && ptp_event(f) &&
				phc_latch(m, MQNIC_IF_REG_PTP_RX_TS, s->ts))
			c.c.pkt_info |= MQNIC_CPL_PTP_TMST;
	}
	c.c.ts_ns = s->ts_ns;
	c.c.ts_s = s->ts_s;
	c.c.rx_csum = fi->csum;
	c.c.status = fi->csum_status |
		(c.c.rx_hash_type != 0 ? MQNIC_CPL_STATUS_RSS : 0);
	c.c.len = len;
	if (unlikely(faults) && fault(m, MQNIC_FAULT_BAD_CQE_LEN))
		c.c.len = UINT16_MAX;
	/* The loop keeps its state in locals: memcpy may alias. */
	w[0] = c.w[0];
	w[1] = c.w[1];
	w[2] = c.w[2];
	w[3] = c.w[3];
	if (unlikely(r->rq.log_block != 0))
		return rx_deliver_blocks(s, r, f, len, hold, n, w);
	descs = r->descs;
	tail = r->tail;
	head = r->head;
	cq_head = r->cq_head;
	cq_tail = r->cq_tail;
	mask = r->rq.mask;
	cq_mask = r->cq.mask;
	for (i = 0; i < n; i += k) {
		avail = (uint16_t)(head - tail);
		if (unlikely(avail == 0)) {
			/* The driver may have posted more since the step began. */
			head = q_ptr(&r->rq, MQNIC_QUEUE_HEAD_PTR);
			rte_smp_rmb();
			avail = (uint16_t)(head - tail);
			if (avail == 0) {
				if (hold)
					break;
				s->cnt[MQNIC_CNT_RX_NO_DESC] += n - i;
				i = n;
				break;
			}
		}
		if (unlikely(faults) && fault(m, MQNIC_FAULT_CQ_OVERFLOW)) {
			s->cnt[MQNIC_CNT_RX_CQ_FULL] += n - i;
			i = n;
			break;
		}
		/*
		 * A completion queue as large as its ring cannot overflow
		 * (REGISTERS.md, "Flow control"): TAIL_PTR matters only for a
		 * smaller one.
		 */
		room = cq_mask >= mask ? avail :
			cq_mask + 1 - (uint16_t)(cq_head - cq_tail);
		if (unlikely(room == 0)) {
			cq_tail = q_ptr(&r->cq, MQNIC_QUEUE_TAIL_PTR);
			room = cq_mask + 1 - (uint16_t)(cq_head - cq_tail);
			if (room == 0) {
				if (hold)
					break;
				s->cnt[MQNIC_CNT_RX_CQ_FULL] += n - i;
				i = n;
				break;
			}
		}
		/* A run that wraps neither ring: plain pointer steps. */
		k = RTE_MIN(n - i, RTE_MIN(avail, room));
		k = RTE_MIN(k, mask + 1 - (tail & mask));
		k = RTE_MIN(k, cq_mask + 1 - (cq_head & cq_mask));
		d = &descs[tail & mask];
		cpl = &r->cpls[cq_head & cq_mask];
		w0 = w[0] | (uint64_t)(tail & mask) << CPL_W0_INDEX_SHIFT |
			cpl_w0_phase(cq_head, cq_mask);
		/* The run's descriptors, fetched together. */
		r->desc_rd += MODEL_TLPS(k * sizeof(*d), MODEL_MRRS);
		for (j = 0; j < k; j++, d++, cpl++) {
			if (unlikely(len > d->len)) {
				/*
				 * Not consumed: the copies left would meet the
				 * same buffer.
				 */
				s->cnt[MQNIC_CNT_RX_TOO_LONG] += n - i - j;
				k = j;
				i = n;
				break;
			}
			buf = dma_map_buf(m, &win, faults, d->addr, len);
			if (likely(buf != NULL)) {
				memcpy(buf, f, len);
				delivered++;
				cpl_write(cpl, w0 + ((uint64_t)j <<
					CPL_W0_INDEX_SHIFT), w);
			} else {
				cpl_write(cpl, (w0 + ((uint64_t)j <<
					CPL_W0_INDEX_SHIFT)) |
					(uint64_t)MQNIC_CPL_STATUS_DMA_ERR <<
					CPL_W0_STATUS_SHIFT, w);
			}
		}
		tail += k;
		cq_head += k;
		if (i == n)
			break;
	}
	r->tail = tail;
	r->head = head;
	r->cq_head = cq_head;
	r->cq_tail = cq_tail;
	r->data_wr += delivered * MODEL_TLPS(len, MODEL_MPS);
	r->data_wr_bytes += delivered * len;
	s->cnt[MQNIC_CNT_RX_FRAMES] += delivered;
	s->cnt[MQNIC_CNT_RX_BYTES] += delivered * len;
	return i;
}

/*
 * Frames arriving, as rx_deliver; they count towards fault_after. Sources
 * offer one frame at a time while faults are configured, so a fault starts
 * at exactly the frame fault_after names.
 */
static unsigned int
model_rx_frames(struct rx_step *s, const uint8_t *f, uint32_t len,
	struct frame_info *fi, bool hold, unsigned int n)
{
	unsigned int taken = rx_deliver(s, f, len, fi, hold, n);

	s->m->handled += taken;
	return taken;
}

/* pcap (classic libpcap format, microsecond timestamps) */

struct pcap_rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_frac;
	uint32_t incl_len;
	uint32_t orig_len;
};

static void
pcap_write(struct mqnic_model *m, const uint8_t *f, uint32_t len)
{
	struct pcap_rec_hdr h;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	h.ts_sec = ts.tv_sec;
	h.ts_frac = ts.tv_nsec / 1000;
	h.incl_len = RTE_MIN(len, (uint32_t)PCAP_SNAPLEN);
	h.orig_len = len;
	if (fwrite(&h, sizeof(h), 1, m->pcap_out) != 1 ||
			fwrite(f, h.incl_len, 1, m->pcap_out) != 1)
		PMD_LOG(ERR, "%s: cannot write pcap_out", m->name);
}

static int
pcap_open_out(struct mqnic_model *m, const char *path)
{
	const struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t thiszone;
		uint32_t sigfigs, snaplen, linktype;
	} gh = { PCAP_MAGIC_US, 2, 4, 0, 0, PCAP_SNAPLEN,
		PCAP_LINKTYPE_ETHERNET };

	m->pcap_out = fopen(path, "wb");
	if (m->pcap_out == NULL)
		return -errno;
	if (fwrite(&gh, sizeof(gh), 1, m->pcap_out) != 1)
		return -EIO;
	return 0;
}

static uint32_t
pcap_u32(const struct mqnic_model *m, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return m->pcap_in_swapped ? rte_bswap32(v) : v;
}

static int
pcap_open_in(struct mqnic_model *m, const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint32_t magic;
	long size;
	int ret = -EINVAL;

	if (fp == NULL)
		return -errno;
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 24 ||
			fseek(fp, 0, SEEK_SET) != 0)
		goto out;
	m->pcap_in = rte_malloc("mqnic_pcap_in", size, 0);
	if (m->pcap_in == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	if (fread(m->pcap_in, size, 1, fp) != 1)
		goto out;
	m->pcap_in_len = size;
	memcpy(&magic, m->pcap_in, 4);
	if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS) {
		m->pcap_in_ns = magic == PCAP_MAGIC_NS;
	} else if (rte_bswap32(magic) == PCAP_MAGIC_US ||
			rte_bswap32(magic) == PCAP_MAGIC_NS) {
		m->pcap_in_swapped = true;
		m->pcap_in_ns = rte_bswap32(magic) == PCAP_MAGIC_NS;
	} else {
		goto out;
	}
	if (pcap_u32(m, m->pcap_in + 20) != PCAP_LINKTYPE_ETHERNET)
		goto out;
	m->pcap_in_off = 24;
	ret = 0;
out:
	fclose(fp);
	return ret;
}

/* Next frame of pcap_in, or 0 at its end (or at a truncated record). */
static uint32_t
pcap_next(struct mqnic_model *m, const uint8_t **f)
{
	uint32_t incl;

	if (m->pcap_in == NULL || m->pcap_in_off + 16 > m->pcap_in_len)
		return 0;
	incl = pcap_u32(m, m->pcap_in + m->pcap_in_off + 8);
	if (m->pcap_in_off + 16 + incl > m->pcap_in_len)
		return 0;
	*f = m->pcap_in + m->pcap_in_off + 16;
	m->pcap_in_off += 16 + incl;
	return incl;
}

/*
 * Generator: UDP/IPv4 frames to the port's MAC, one flow after another.
 * A flow's frames are all alike, so the frame and what the receive path
 * learns from it are built once per flow (and again if the MAC changes):
 * with one flow the generator costs nothing per frame.
 */
static void
gen_build(struct mqnic_model *m, const uint8_t *mac)
{
	uint8_t *f = m->frame;
	uint32_t len = m->cfg.gen_size;
	uint32_t flow = m->gen_flow;
	uint32_t sum = 0, i;
	uint16_t ip_len = len - RTE_ETHER_HDR_LEN;
	uint16_t udp_len = ip_len - 20;

	memset(f, 0, len);
	memcpy(f, mac, 6);
	f[6] = 0x02; f[11] = 0x01;		/* 02:00:00:00:00:01 */
	f[12] = 0x08; f[13] = 0x00;		/* IPv4 */
	f[14] = 0x45;
	f[16] = ip_len >> 8; f[17] = ip_len & 0xff;
	f[22] = 64; f[23] = IPPROTO_UDP;
	/* 198.18.0.0/15 is reserved for benchmarks (RFC 2544). */
	f[26] = 198; f[27] = 18 + (flow >> 16 & 1);
	f[28] = flow >> 8 & 0xff; f[29] = flow & 0xff;
	f[30] = 198; f[31] = 19; f[32] = 255; f[33] = 1;
	for (i = 14; i < 34; i += 2)
		sum += (uint32_t)f[i] << 8 | f[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	f[24] = ~sum >> 8 & 0xff; f[25] = ~sum & 0xff;
	f[34] = (1024 + (flow & 0x7fff)) >> 8;
	f[35] = (1024 + (flow & 0x7fff)) & 0xff;
	f[36] = 0x23; f[37] = 0x29;		/* port 9001 */
	f[38] = udp_len >> 8; f[39] = udp_len & 0xff;
	/* The receive path's own parser and checksum: no second copy. */
	frame_parse(f, len, &m->gen_info);
	m->gen_info.csum = csum_after_l2(f, len);
	m->gen_info.csum_status = csum_verify(f, len, &m->gen_info);
	memcpy(m->gen_mac, mac, 6);
	m->gen_built = true;
}

static struct mqnic_model *
peer_get(struct mqnic_model *m)
{
	struct mqnic_model *p;

	if (m->peer != NULL || m->peer_name[0] == '\0')
		return m->peer;
	TAILQ_FOREACH(p, &m->shared->list, next)
		if (p != m && strcmp(p->name, m->peer_name) == 0)
			m->peer = p;
	return m->peer;
}

/*
 * One step of the transmit side. Frames that come back into a model
 * (loopback, pair) go through a receive step of that model, begun on the
 * first such frame and ended with the transmit step.
 */
struct tx_step {
	struct mqnic_model *m;
	bool link;
	uint64_t frames;
	uint64_t bytes;
	uint64_t link_drops;
	uint64_t bad_desc;
	uint64_t desc_rd;		/* DMA: descriptor read requests */
	uint64_t data_rd;		/* frame data read requests */
	uint64_t data_rd_bytes;
	struct mqnic_model *to;		/* model receiving what is sent */
	bool ptp_tx;			/* PTP_CTRL TX_EN: latch asked TX times */
	bool rx_begun;
	struct rx_step rx;
};

/* A frame leaves the port. */
static void
wire_tx(struct tx_step *t, const uint8_t *f, uint32_t len)
{
	struct mqnic_model *m = t->m;

	if (unlikely(m->cfg.faults != 0))
		t->link = link_up(m);
	if (unlikely(!t->link)) {
		t->link_drops++;
		handled_one(m);
		return;
	}
	/* The interface is down: as if the link partner were. */
	if (m->cfg.wire == MQNIC_WIRE_TAP &&
			!mqnic_tap_send(m->tap_fd, f, len)) {
		t->link_drops++;
		handled_one(m);
		return;
	}
	t->frames++;
	t->bytes += len;
	if (m->pcap_out != NULL)
		pcap_write(m, f, len);
	if (t->to != NULL) {
		if (!t->rx_begun) {
			rx_step_begin(&t->rx, t->to);
			t->rx_begun = true;
		}
		model_rx_frames(&t->rx, f, len, NULL, false, 1);
	}
	handled_one(m);
}

/*
 * Send the k descriptors from d on, completing each into cpl on. Inlined
 * twice so that `plain` is a constant: plain (link up, frames only leave:
 * gen and sink wires, no pcap, no faults) means sending is counting, in
 * registers.
 */
static __rte_always_inline void
tx_run(struct tx_step *t, volatile struct mqnic_desc *d,
	struct mqnic_cpl *cpl, uint32_t k, uint64_t w0, const uint64_t *w,
	bool faults, const bool plain)
{
	struct mqnic_model *m = t->m;
	struct dma_window win = m->win;
	uint64_t frames = 0, bytes = 0, reads = 0, wj;
	uint64_t addr;
	uint32_t j, len;
	void *buf;

	for (j = 0; j < k; j++, d++, cpl++) {
		len = d->len;
		addr = d->addr;
		wj = (w0 + ((uint64_t)j << CPL_W0_INDEX_SHIFT)) |
			(uint64_t)(len & 0xffff) << CPL_W0_LEN_SHIFT;
		if (unlikely(len == 0 || len > MODEL_MAX_FRAME)) {
			t->bad_desc++;
			buf = NULL;
		} else {
			buf = dma_map_buf(m, &win, faults, addr, len);
		}
		/*
		 * The driver asked for the time this frame leaves: taken
		 * before it does (and before a peer's receive timestamp).
		 */
		if (unlikely(t->ptp_tx) && buf != NULL &&
				(((volatile const uint16_t *)d)[0] &
				MQNIC_DESC_TX_TS))
			tx_ptp_latch(m, buf, len);
		if (likely(buf != NULL)) {
			reads += MODEL_TLPS(len, MODEL_MRRS);
			if (plain) {
				frames++;
				bytes += len;
			} else if (unlikely(d->tx_csum_cmd |
					d->tx_ip_csum_cmd)) {
				/* Checksummed on the way: host memory stays. */
				memcpy(m->tx_frame, buf, len);
				tx_csum(m->tx_frame, len, d->tx_ip_csum_cmd,
					d->tx_csum_cmd);
				t->data_rd_bytes += len;
				wire_tx(t, m->tx_frame, len);
			} else {
				t->data_rd_bytes += len;
				wire_tx(t, buf, len);
			}
		} else {
			wj |= (uint64_t)MQNIC_CPL_STATUS_DMA_ERR <<
				CPL_W0_STATUS_SHIFT;
		}
		cpl_write(cpl, wj, w);
	}
	t->data_rd += reads;
	if (plain) {
		t->frames += frames;
		t->bytes += bytes;
		t->data_rd_bytes += bytes;
		m->handled += frames;
	}
}

/*
 * tx_run for a queue with descriptor blocks of nb (REGISTERS.md,
 * "Descriptor"): an entry's buffers gathered in order into one frame
 * (length 0: unused), checksummed as its first descriptor says.
 */
static void
tx_run_blocks(struct tx_step *t, volatile struct mqnic_desc *d,
	struct mqnic_cpl *cpl, uint32_t k, uint64_t w0, const uint64_t *w,
	bool faults, bool plain, uint32_t nb)
{
	struct mqnic_model *m = t->m;
	struct dma_window win = m->win;
	uint32_t j, b, len, seg;
	uint64_t wj;
	bool ok;
	void *buf;

	for (j = 0; j < k; j++, d += nb, cpl++) {
		ok = true;
		for (b = 0, len = 0; b < nb && ok; b++) {
			seg = d[b].len;
			if (seg == 0)
				continue;
			if (len + seg > MODEL_MAX_FRAME) {
				t->bad_desc++;
				ok = false;
				break;
			}
			buf = dma_map_buf(m, &win, faults, d[b].addr, seg);
			if (buf == NULL) {
				ok = false;
				break;
			}
			if (!plain)
				memcpy(m->tx_frame + len, buf, seg);
			t->data_rd += MODEL_TLPS(seg, MODEL_MRRS);
			len += seg;
		}
		if (ok && len == 0) {
			t->bad_desc++;
			ok = false;
		}
		wj = (w0 + ((uint64_t)j << CPL_W0_INDEX_SHIFT)) |
			(uint64_t)(len & 0xffff) << CPL_W0_LEN_SHIFT;
		if (!ok) {
			wj |= (uint64_t)MQNIC_CPL_STATUS_DMA_ERR <<
				CPL_W0_STATUS_SHIFT;
		} else {
			t->data_rd_bytes += len;
			if (plain) {
				t->frames++;
				t->bytes += len;
				m->handled++;
			} else {
				tx_csum(m->tx_frame, len, d->tx_ip_csum_cmd,
					d->tx_csum_cmd);
				wire_tx(t, m->tx_frame, len);
			}
		}
		cpl_write(cpl, wj, w);
	}
}

/* What a transmit step moved over PCIe: one completion per entry. */
static void
tx_count(struct mqnic_model *m, uint16_t qid, const struct tx_step *t,
	uint16_t taken, uint32_t log_block)
{
	volatile uint64_t *c = qcnt(m, true, qid);

	c[MQNIC_QCNT_DESC_RD] += t->desc_rd;
	c[MQNIC_QCNT_DESC_RD_BYTES] += ((uint32_t)taken << log_block) *
		sizeof(struct mqnic_desc);
	c[MQNIC_QCNT_CPL_WR] += taken;
	c[MQNIC_QCNT_CPL_WR_BYTES] += taken * sizeof(struct mqnic_cpl);
	c[MQNIC_QCNT_DATA_RD] += t->data_rd;
	c[MQNIC_QCNT_DATA_RD_BYTES] += t->data_rd_bytes;
}

void
mqnic_model_step_tx(struct mqnic_model *m, uint16_t qid)
{
	struct model_queue tq, cq;
	volatile struct mqnic_desc *descs, *d;
	struct mqnic_cpl *cpls, *cpl;
	union cpl_words c = { .w = { 0 } };
	uint16_t head, tail, tail0, cq_head, cq_tail;
	uint64_t w0, w[4];
	bool faults = m->cfg.faults != 0;
	uint32_t avail, room, k;
	bool plain;
	struct tx_step t;

	rte_spinlock_lock(m->lock);
	if (!queue_get(m, MQNIC_TXQ_OFFSET, qid, &tq))
		goto out;
	if (!queue_get(m, MQNIC_TXCQ_OFFSET,
			*(volatile uint32_t *)(tq.regs + MQNIC_QUEUE_CQ_INDEX),
			&cq))
		goto put_tq;
	head = q_ptr(&tq, MQNIC_QUEUE_HEAD_PTR);
	tail = q_ptr(&tq, MQNIC_QUEUE_TAIL_PTR);
	cq_head = q_ptr(&cq, MQNIC_QUEUE_HEAD_PTR);
	cq_tail = q_ptr(&cq, MQNIC_QUEUE_TAIL_PTR);
	tail0 = tail;
	qcnt_doorbell(m, true, qid, head);
	if (head == tail)
		goto put;
	descs = dma_map(m, tq.base,
		((tq.mask + 1) << tq.log_block) * sizeof(*descs));
	cpls = dma_map(m, cq.base, (cq.mask + 1) * sizeof(*cpls));
	if (descs == NULL || cpls == NULL)
		goto put;
	t.m = m;
	t.link = link_up(m);
	t.frames = t.bytes = t.link_drops = t.bad_desc = 0;
	t.desc_rd = t.data_rd = t.data_rd_bytes = 0;
	t.rx_begun = false;
	t.ptp_tx = reg_rd(m, MQNIC_IF_REG_PTP_CTRL) & MQNIC_PTP_CTRL_TX_EN;
	t.to = m->cfg.wire == MQNIC_WIRE_LOOPBACK ? m :
		m->cfg.wire == MQNIC_WIRE_PAIR ? peer_get(m) : NULL;
	/*
	 * Plain: link up, frames only leave (gen, sink wires), no pcap, no
	 * faults. Then sending is counting, in registers.
	 */
	plain = t.to == NULL && m->pcap_out == NULL && !faults && t.link &&
		m->cfg.wire != MQNIC_WIRE_TAP;
	c.c.queue = qid;
	w[0] = c.w[0];
	w[1] = c.w[1];
	w[2] = c.w[2];
	w[3] = c.w[3];
	rte_smp_rmb();	/* descriptors after the doorbell that posted them */
	/* A full completion queue stalls the queue, as on hardware. */
	avail = (uint16_t)(head - tail);
	while (avail != 0) {
		/* TAIL_PTR matters only for a CQ smaller than its ring. */
		room = cq.mask >= tq.mask ? avail :
			cq.mask + 1 - (uint16_t)(cq_head - cq_tail);
		if (room == 0) {
			cq_tail = q_ptr(&cq, MQNIC_QUEUE_TAIL_PTR);
			room = cq.mask + 1 - (uint16_t)(cq_head - cq_tail);
			if (room == 0)
				break;
		}
		/* A run that wraps neither ring: plain pointer steps. */
		k = RTE_MIN(avail, room);
		k = RTE_MIN(k, tq.mask + 1 - (tail & tq.mask));
		k = RTE_MIN(k, cq.mask + 1 - (cq_head & cq.mask));
		w0 = w[0] | (uint64_t)(tail & tq.mask) << CPL_W0_INDEX_SHIFT |
			cpl_w0_phase(cq_head, cq.mask);
		d = &descs[(tail & tq.mask) << tq.log_block];
		cpl = &cpls[cq_head & cq.mask];
		/* The run's descriptors, fetched together. */
		t.desc_rd += MODEL_TLPS((k << tq.log_block) * sizeof(*d),
			MODEL_MRRS);
		if (unlikely(tq.log_block != 0))
			tx_run_blocks(&t, d, cpl, k, w0, w, faults, plain,
				1u << tq.log_block);
		else if (plain)
			tx_run(&t, d, cpl, k, w0, w, faults, true);
		else
			tx_run(&t, d, cpl, k, w0, w, faults, false);
		tail += k;
		cq_head += k;
		avail -= k;
	}
	rte_smp_wmb();
	q_set_ptr(&tq, MQNIC_QUEUE_TAIL_PTR, tail);
	q_set_ptr(&cq, MQNIC_QUEUE_HEAD_PTR, cq_head);
	if (tail != tail0)
		cq_event(m, cq.regs, true, qid);
	tx_count(m, qid, &t, (uint16_t)(tail - tail0), tq.log_block);
	if (t.rx_begun)
		rx_step_end(&t.rx);
	if (t.frames != 0) {
		cnt_add(m, MQNIC_CNT_TX_FRAMES, t.frames);
		cnt_add(m, MQNIC_CNT_TX_BYTES, t.bytes);
	}
	if (t.link_drops != 0)
		cnt_add(m, MQNIC_CNT_LINK_DOWN_DROPS, t.link_drops);
	if (t.bad_desc != 0)
		cnt_add(m, MQNIC_CNT_TX_BAD_DESC, t.bad_desc);
	/* One flush per burst: the file is whole even if the port never closes. */
	if (m->pcap_out != NULL)
		fflush(m->pcap_out);
put:
	queue_put(&cq);
put_tq:
	queue_put(&tq);
out:
	rte_spinlock_unlock(m->lock);
}

/*
 * The TAP wire's receive side: frames the kernel sent, read without
 * blocking. The kernel's queue for the interface is the wire's buffer: a
 * frame that finds no descriptor is held in frame[] for the next step, as
 * the paced sources hold theirs, and the kernel queues (or drops) the rest.
 */
static void
tap_rx(struct mqnic_model *m, struct rx_step *s)
{
	unsigned int i;
	uint32_t len;

	for (i = 0; i < MODEL_RX_BURST; i++) {
		len = m->tap_held;
		if (len == 0)
			len = mqnic_tap_recv(m->tap_fd, m->frame,
				sizeof(m->frame));
		m->tap_held = 0;
		if (len == 0)
			break;
		if (len > sizeof(m->frame)) {
			/* Longer than any MTU the port can have. */
			s->cnt[MQNIC_CNT_RX_TOO_LONG]++;
			handled_one(m);
			continue;
		}
		if (model_rx_frames(s, m->frame, len, NULL, true, 1) == 0) {
			m->tap_held = len;
			break;
		}
	}
}

void
mqnic_model_step_rx(struct mqnic_model *m, uint16_t qid __rte_unused)
{
	struct rx_step s;
	const uint8_t *f;
	unsigned int i, k, n;
	size_t off;
	uint32_t len;

	/* wire=pair may take a pcap_in too: its frames arrive once. */
	if (m->cfg.wire != MQNIC_WIRE_GEN && m->cfg.wire != MQNIC_WIRE_PCAP &&
			m->cfg.wire != MQNIC_WIRE_TAP && m->pcap_in == NULL)
		return;
	rte_spinlock_lock(m->lock);
	rx_step_begin(&s, m);
	if (m->cfg.wire == MQNIC_WIRE_GEN) {
		if (memcmp(m->gen_mac, s.mac, 6) != 0)
			m->gen_built = false;
		/* Copies of one frame go together, unless faults are counted. */
		n = m->cfg.gen_flows == 1 && m->cfg.faults == 0 ?
			MODEL_RX_BURST : 1;
		for (i = 0; i < MODEL_RX_BURST; i += k) {
			if (!m->gen_built)
				gen_build(m, s.mac);
			k = model_rx_frames(&s, m->frame, m->cfg.gen_size,
				&m->gen_info, true,
				RTE_MIN(n, MODEL_RX_BURST - i));
			if (k == 0)
				break;
			if (m->cfg.gen_flows > 1) {
				if (++m->gen_flow == m->cfg.gen_flows)
					m->gen_flow = 0;
				m->gen_built = false;
			}
		}
	} else if (m->cfg.wire == MQNIC_WIRE_TAP) {
		tap_rx(m, &s);
	} else {
		for (i = 0; i < MODEL_RX_BURST; i++) {
			off = m->pcap_in_off;
			len = pcap_next(m, &f);
			if (len == 0)
				break;
			if (len > MODEL_MAX_FRAME)
				continue;
			if (model_rx_frames(&s, f, len, NULL, true, 1) == 0) {
				m->pcap_in_off = off;
				break;
			}
		}
	}
	rx_step_end(&s);
	rte_spinlock_unlock(m->lock);
}

/*
 * The PTP clock's command register (REGISTERS.md, "PTP clock"): done as
 * soon as written on hardware; the model does it when told of the write
 * (mqnic_model_reg_written), and clears PTP_CMD as the NIC would.
 */
static void
ptp_cmd(struct mqnic_model *m)
{
	uint32_t cmd;
	uint64_t t;

	cmd = reg_rd(m, MQNIC_IF_REG_PTP_CMD);
	t = phc_now(m);
	switch (cmd) {
	case MQNIC_PTP_CMD_READ:
		phc_regs_put(m, MQNIC_IF_REG_PTP_TIME_NS, t);
		break;
	case MQNIC_PTP_CMD_WRITE:
		phc_set(m, ((uint64_t)(reg_rd(m,
			MQNIC_IF_REG_PTP_TIME_SEC_HI) & 0xffff) << 32 |
			reg_rd(m, MQNIC_IF_REG_PTP_TIME_SEC_LO)) * 1000000000u +
			reg_rd(m, MQNIC_IF_REG_PTP_TIME_NS) % 1000000000u);
		break;
	case MQNIC_PTP_CMD_ADJUST:
		phc_set(m, t + (int64_t)((uint64_t)reg_rd(m,
			MQNIC_IF_REG_PTP_ADJ_HI) << 32 |
			reg_rd(m, MQNIC_IF_REG_PTP_ADJ_LO)));
		break;
	case MQNIC_PTP_CMD_FREQ:
		phc_set(m, t);
		m->phc_sppm = (int32_t)reg_rd(m, MQNIC_IF_REG_PTP_FREQ);
		break;
	default:
		break;
	}
	rte_smp_wmb();
	reg_wr(m, MQNIC_IF_REG_PTP_CMD, 0);
}

void *
mqnic_model_bar0(struct mqnic_model *m)
{
	return m->regs;
}

/*
 * The link as the port's own settings and its partner's transmitter make
 * it: down with link=down, after the link_down fault, or while PHY_CTRL
 * disables this port's or (wire=pair) the peer's transmitter.
 */
static void
link_eval(struct mqnic_model *m)
{
	struct mqnic_model *p = m->cfg.wire == MQNIC_WIRE_PAIR ?
		peer_get(m) : NULL;
	bool up = m->cfg.link_up && !fault(m, MQNIC_FAULT_LINK_DOWN) &&
		!(reg_rd(m, MQNIC_IF_REG_PHY_CTRL) & MQNIC_PHY_CTRL_DISABLE) &&
		(p == NULL ||
		 !(reg_rd(p, MQNIC_IF_REG_PHY_CTRL) & MQNIC_PHY_CTRL_DISABLE));

	link_set(m, up);
}

/* Arming a completion queue that holds unread completions fires at once. */
static void
cq_armed(struct mqnic_model *m, uint32_t offset, bool tx, uint32_t q)
{
	uint8_t *regs = m->regs + offset + q * MQNIC_QUEUE_STRIDE;
	uint32_t ev = *(volatile uint32_t *)(regs + MQNIC_CQ_EVENT_INDEX);

	if ((ev & MQNIC_CQ_ARM) &&
			(*(volatile uint32_t *)(regs + MQNIC_QUEUE_HEAD_PTR) &
			 MQNIC_PTR_MASK) !=
			(*(volatile uint32_t *)(regs + MQNIC_QUEUE_TAIL_PTR) &
			 MQNIC_PTR_MASK))
		cq_irq(m, regs, tx, q, ev);
}

void
mqnic_model_reg_written(struct mqnic_model *m, uint32_t off)
{
	struct mqnic_model *p;
	uint32_t q;

	rte_spinlock_lock(m->lock);
	if (off == MQNIC_IF_REG_PTP_CMD) {
		ptp_cmd(m);
	} else if (off == MQNIC_IF_REG_PHY_CTRL) {
		link_eval(m);
		p = m->cfg.wire == MQNIC_WIRE_PAIR ? peer_get(m) : NULL;
		if (p != NULL)
			link_eval(p);
	} else if (off % MQNIC_QUEUE_STRIDE == MQNIC_CQ_EVENT_INDEX &&
			(off >= MQNIC_RXCQ_OFFSET || (off >= MQNIC_TXCQ_OFFSET &&
			 off < MQNIC_RXQ_OFFSET))) {
		q = (off & 0xffff) / MQNIC_QUEUE_STRIDE;
		if (q < MQNIC_MAX_QUEUES)
			cq_armed(m, off >= MQNIC_RXCQ_OFFSET ?
				MQNIC_RXCQ_OFFSET : MQNIC_TXCQ_OFFSET,
				off < MQNIC_RXCQ_OFFSET, q);
	}
	rte_spinlock_unlock(m->lock);
}

int
mqnic_model_irq_set(struct mqnic_model *m, uint32_t vec, int fd)
{
	if (vec >= MQNIC_IRQ_VECTORS)
		return -EINVAL;
	rte_spinlock_lock(m->lock);
	m->irq_fd[vec] = fd;
	m->irq_pid = getpid();
	rte_spinlock_unlock(m->lock);
	return 0;
}

/*
 * A model's memzone name: the prefix and the port's name, or where that is
 * too long for a memzone, the prefix and a hash of the name (the name
 * itself is in the model, compared on attach).
 */
static void
model_mz_name(char *buf, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */
	const char *c;

	if (snprintf(buf, RTE_MEMZONE_NAMESIZE, MODEL_MZ_PREFIX "%s", name) <
			RTE_MEMZONE_NAMESIZE)
		return;
	for (c = name; *c != '\0'; c++)
		h = (h ^ (uint8_t)*c) * 0x100000001b3ull;
	snprintf(buf, RTE_MEMZONE_NAMESIZE, MODEL_MZ_PREFIX "#%016" PRIx64, h);
}

/* The primary's shared state, reserved by its first model. */
static struct model_shared *
model_shared_get(void)
{
	const struct rte_memzone *mz = rte_memzone_lookup(MODEL_SHARED_MZ);
	struct model_shared *sh;

	if (mz == NULL) {
		mz = rte_memzone_reserve(MODEL_SHARED_MZ, sizeof(*sh),
			SOCKET_ID_ANY, 0);
		if (mz == NULL)
			return NULL;
		sh = mz->addr;
		memset(sh, 0, sizeof(*sh));
		rte_spinlock_init(&sh->lock);
		TAILQ_INIT(&sh->list);
		sh->mz = mz;
	}
	sh = mz->addr;
	rte_spinlock_lock(&sh->lock);
	sh->refs++;
	rte_spinlock_unlock(&sh->lock);
	return sh;
}

static void
model_shared_put(struct model_shared *sh)
{
	bool last;

	rte_spinlock_lock(&sh->lock);
	last = --sh->refs == 0;
	rte_spinlock_unlock(&sh->lock);
	if (last)
		rte_memzone_free(sh->mz);
}

void
mqnic_model_destroy(struct mqnic_model *m)
{
	struct model_shared *sh;
	struct mqnic_model *p;

	if (m == NULL)
		return;
	/* The primary owns the model: a secondary only stops using it. */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		PMD_LOG(ERR, "%s: a secondary process cannot destroy the "
			"primary's model", m->name);
		return;
	}
	sh = m->shared;
	rte_spinlock_lock(m->lock);
	if (m->listed) {
		TAILQ_FOREACH(p, &sh->list, next)
			if (p->peer == m)
				p->peer = NULL;
		TAILQ_REMOVE(&sh->list, m, next);
		m->listed = false;
	}
	rte_spinlock_unlock(m->lock);
	if (m->pcap_out != NULL && fclose(m->pcap_out) != 0)
		PMD_LOG(ERR, "%s: cannot write pcap_out", m->name);
	rte_free(m->pcap_in);
	if (m->cfg.wire == MQNIC_WIRE_TAP)
		mqnic_tap_close(m->tap_fd);
	rte_memzone_free(m->mz);
	model_shared_put(sh);
}

struct mqnic_model *
mqnic_model_attach(const char *name)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct mqnic_model *m;

	model_mz_name(mz_name, name);
	mz = rte_memzone_lookup(mz_name);
	if (mz == NULL || mz->len < MODEL_MZ_SIZE)
		return NULL;
	m = RTE_PTR_ADD(mz->addr, MQNIC_BAR0_SIZE);
	if (strcmp(m->name, name) != 0 || !m->listed)
		return NULL;
	return m;
}

const char *
mqnic_model_primary_only(const struct mqnic_model *m)
{
	if (m->pcap_out != NULL)
		return "pcap_out= is written through the primary's stdio stream";
	if (m->cfg.wire == MQNIC_WIRE_TAP)
		return "wire=tap's file descriptor is the primary's";
	return NULL;
}

struct mqnic_model *
mqnic_model_create(const struct mqnic_model_cfg *cfg)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct model_shared *sh;
	struct mqnic_model *m;
	unsigned int i;
	int ret;

	if (cfg->nb_queues == 0 || cfg->nb_queues > MQNIC_MAX_QUEUES ||
			cfg->gen_size < 42 || cfg->gen_size > MODEL_MAX_FRAME ||
			cfg->gen_flows == 0 || cfg->gen_flows > (1u << 17) ||
			strlen(cfg->name) >= RTE_DEV_NAME_MAX_LEN ||
			(cfg->peer != NULL &&
			 strlen(cfg->peer) >= RTE_DEV_NAME_MAX_LEN)) {
		PMD_LOG(ERR, "%s: bad model configuration", cfg->name);
		return NULL;
	}
	sh = model_shared_get();
	if (sh == NULL) {
		PMD_LOG(ERR, "%s: cannot reserve memzone %s: %s", cfg->name,
			MODEL_SHARED_MZ, rte_strerror(rte_errno));
		return NULL;
	}
	/* BAR0 first: 4 KiB aligned, as a BAR is page aligned. */
	model_mz_name(mz_name, cfg->name);
	mz = rte_memzone_reserve_aligned(mz_name, MODEL_MZ_SIZE, SOCKET_ID_ANY,
		0, 4096);
	if (mz == NULL) {
		PMD_LOG(ERR, "%s: cannot reserve memzone %s: %s", cfg->name,
			mz_name, rte_strerror(rte_errno));
		model_shared_put(sh);
		return NULL;
	}
	memset(mz->addr, 0, MODEL_MZ_SIZE);
	m = RTE_PTR_ADD(mz->addr, MQNIC_BAR0_SIZE);
	m->regs = mz->addr;
	m->mz = mz;
	m->shared = sh;
	m->lock = &sh->lock;
	m->cfg = *cfg;
	strlcpy(m->name, cfg->name, sizeof(m->name));
	if (cfg->peer != NULL)
		strlcpy(m->peer_name, cfg->peer, sizeof(m->peer_name));
	m->cfg.name = m->name;
	m->cfg.peer = cfg->peer != NULL ? m->peer_name : NULL;
	m->cfg.pcap_in = NULL;
	m->cfg.pcap_out = NULL;
	m->cfg.iface = NULL;
	m->tap_fd = -1;		/* before any failure: destroy closes it */
	for (i = 0; i < MQNIC_IRQ_VECTORS; i++)
		m->irq_fd[i] = -1;
	m->iova_va = rte_eal_iova_mode() == RTE_IOVA_VA;
	if (cfg->pcap_out != NULL) {
		ret = pcap_open_out(m, cfg->pcap_out);
		if (ret != 0) {
			PMD_LOG(ERR, "%s: cannot create %s: %s", cfg->name,
				cfg->pcap_out, strerror(-ret));
			goto fail;
		}
	}
	if (cfg->pcap_in != NULL) {
		ret = pcap_open_in(m, cfg->pcap_in);
		if (ret != 0) {
			PMD_LOG(ERR, "%s: cannot read %s as a pcap file",
				cfg->name, cfg->pcap_in);
			goto fail;
		}
	}
	if (cfg->wire == MQNIC_WIRE_TAP) {
		if (cfg->iface == NULL ||
				strlen(cfg->iface) >= sizeof(m->iface)) {
			PMD_LOG(ERR, "%s: wire=tap needs iface=<name> of at "
				"most %zu characters", cfg->name,
				sizeof(m->iface) - 1);
			goto fail;
		}
		strlcpy(m->iface, cfg->iface, sizeof(m->iface));
		m->tap_fd = mqnic_tap_open(m->name, m->iface);
		if (m->tap_fd < 0)
			goto fail;
		m->cfg.iface = m->iface;
	}
	reg_wr(m, MQNIC_IF_REG_ID, MQNIC_IF_ID);
	reg_wr(m, MQNIC_IF_REG_FW_VER, MODEL_FW_VER);
	reg_wr(m, MQNIC_IF_REG_TXQ_COUNT, cfg->nb_queues);
	reg_wr(m, MQNIC_IF_REG_RXQ_COUNT, cfg->nb_queues);
	reg_wr(m, MQNIC_IF_REG_TXQ_OFFSET, MQNIC_TXQ_OFFSET);
	reg_wr(m, MQNIC_IF_REG_TXCQ_OFFSET, MQNIC_TXCQ_OFFSET);
	reg_wr(m, MQNIC_IF_REG_RXQ_OFFSET, MQNIC_RXQ_OFFSET);
	reg_wr(m, MQNIC_IF_REG_RXCQ_OFFSET, MQNIC_RXCQ_OFFSET);
	reg_wr(m, MQNIC_IF_REG_QUEUE_STRIDE, MQNIC_QUEUE_STRIDE);
	reg_wr(m, MQNIC_IF_REG_MAX_LOG_SIZE, MQNIC_MAX_LOG_RING_SIZE);
	reg_wr(m, MQNIC_IF_REG_MAC_LO, cfg->mac[0] | cfg->mac[1] << 8 |
		cfg->mac[2] << 16 | (uint32_t)cfg->mac[3] << 24);
	reg_wr(m, MQNIC_IF_REG_MAC_HI, cfg->mac[4] | cfg->mac[5] << 8);
	reg_wr(m, MQNIC_IF_REG_LINK, cfg->link_up ? 1 : 0);
	link_up(m);	/* fault=link_down without fault_after: down at once */
	reg_wr(m, MQNIC_IF_REG_LINK_SPEED, MODEL_LINK_SPEED);
	reg_wr(m, MQNIC_IF_REG_MTU, 1500);
	reg_wr(m, MQNIC_IF_REG_MAX_MTU, 9000);
	reg_wr(m, MQNIC_IF_REG_RSS_TBL_SIZE, MQNIC_RSS_TBL_SIZE);
	for (i = 0; i < MQNIC_RSS_TBL_SIZE; i++)
		reg_wr(m, MQNIC_IF_REG_RSS_TBL + 4 * i, 0);
	rte_spinlock_lock(m->lock);
	TAILQ_INSERT_TAIL(&m->shared->list, m, next);
	m->listed = true;
	rte_spinlock_unlock(m->lock);
	return m;
fail:
	mqnic_model_destroy(m);
	return NULL;
}
