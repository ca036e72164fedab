/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
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
 */

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include <rte_atomic.h>
#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_spinlock.h>

#include "../{{ cookiecutter.name }}_hw.h"
#include "../{{ cookiecutter.name }}_log.h"
#include "{{ cookiecutter.name }}_model.h"

#define MODEL_MAX_FRAME		(9000 + 18)	/* MAX_MTU + header + VLAN */
#define MODEL_RX_BURST		32	/* frames a wire source offers per step */
#define MODEL_FW_VER		{{ cookiecutter.macro }}_FW_VER(0, 1, 0)
#define MODEL_LINK_SPEED	100000
#define MODEL_BAD_DMA_BIT	(1ull << 62)	/* never a user address */

#define PCAP_MAGIC_US		0xa1b2c3d4u
#define PCAP_MAGIC_NS		0xa1b23c4du
#define PCAP_LINKTYPE_ETHERNET	1
#define PCAP_SNAPLEN		65535

struct {{ cookiecutter.name }}_model {
	TAILQ_ENTRY({{ cookiecutter.name }}_model) next;
	uint8_t *regs;			/* BAR0 */
	struct {{ cookiecutter.name }}_model_cfg cfg;	/* strings below are our copies */
	char *name;
	char *peer_name;
	struct {{ cookiecutter.name }}_model *peer;
	FILE *pcap_out;
	uint8_t *pcap_in;		/* whole file */
	size_t pcap_in_len;
	size_t pcap_in_off;
	bool pcap_in_swapped;
	bool pcap_in_ns;
	uint64_t handled;		/* frames sent + received */
	uint32_t gen_flow;
	uint32_t gen_seq;
	uint32_t gen_held;		/* length of a frame not yet taken */
	uintptr_t dma_lo;		/* last memory range found valid */
	uintptr_t dma_hi;
	uint8_t frame[MODEL_MAX_FRAME];	/* generator / pcap scratch */
};

static TAILQ_HEAD(, {{ cookiecutter.name }}_model) model_list =
	TAILQ_HEAD_INITIALIZER(model_list);
static rte_spinlock_t model_lock = RTE_SPINLOCK_INITIALIZER;

static inline uint32_t
reg_rd(const struct {{ cookiecutter.name }}_model *m, uint32_t off)
{
	return *(volatile uint32_t *)(m->regs + off);
}

static inline void
reg_wr(struct {{ cookiecutter.name }}_model *m, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(m->regs + off) = v;
}

static inline void
cnt_add(struct {{ cookiecutter.name }}_model *m, enum {{ cookiecutter.name }}_cnt c, uint64_t v)
{
	*(volatile uint64_t *)(m->regs + {{ cookiecutter.macro }}_IF_REG_CNT + 8 * c) += v;
}

static bool
fault(const struct {{ cookiecutter.name }}_model *m, uint32_t f)
{
	return (m->cfg.faults & f) && m->handled >= m->cfg.fault_after;
}

/* The link_down fault takes the link down for good once it starts. */
static bool
link_up(struct {{ cookiecutter.name }}_model *m)
{
	if (fault(m, {{ cookiecutter.macro }}_FAULT_LINK_DOWN) &&
			(reg_rd(m, {{ cookiecutter.macro }}_IF_REG_LINK) & 1)) {
		PMD_LOG(INFO, "%s: fault: link down", m->name);
		reg_wr(m, {{ cookiecutter.macro }}_IF_REG_LINK, 0);
	}
	return reg_rd(m, {{ cookiecutter.macro }}_IF_REG_LINK) & 1;
}

/* Frames sent or received (or dropped) so far: what fault_after counts. */
static void
handled_one(struct {{ cookiecutter.name }}_model *m)
{
	m->handled++;
}

/*
 * Translate and check a DMA address as an IOMMU would: the range must lie
 * inside memory DPDK manages. Anything else is refused and counted.
 */
static void *
dma_map(struct {{ cookiecutter.name }}_model *m, uint64_t iova, size_t len)
{
	const struct rte_memseg_list *msl;
	uintptr_t va;

	if (rte_eal_iova_mode() == RTE_IOVA_VA)
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
	return (void *)va;
refuse:
	cnt_add(m, {{ cookiecutter.macro }}_CNT_DMA_ERRORS, 1);
	return NULL;
}

/* A packet buffer: the bad_dma fault corrupts its address first. */
static void *
dma_map_buf(struct {{ cookiecutter.name }}_model *m, uint64_t iova, size_t len)
{
	if (fault(m, {{ cookiecutter.macro }}_FAULT_BAD_DMA))
		iova |= MODEL_BAD_DMA_BIT;
	return dma_map(m, iova, len);
}

struct model_queue {
	uint8_t *regs;
	uint32_t mask;
	uint64_t base;
};

/* Read an active queue's registers; false if the queue is not usable. */
static bool
queue_get(struct {{ cookiecutter.name }}_model *m, uint32_t offset, uint32_t idx,
	struct model_queue *q)
{
	uint32_t ctrl, log_size;

	if (idx >= {{ cookiecutter.macro }}_MAX_QUEUES)
		return false;
	q->regs = m->regs + offset + idx * {{ cookiecutter.macro }}_QUEUE_STRIDE;
	ctrl = *(volatile uint32_t *)(q->regs + {{ cookiecutter.macro }}_QUEUE_ACTIVE_LOG_SIZE);
	log_size = ctrl & {{ cookiecutter.macro }}_QUEUE_LOG_SIZE_MASK;
	/* Only one descriptor per entry (log2 block size 0) is modelled. */
	if (!(ctrl & {{ cookiecutter.macro }}_QUEUE_ACTIVE) ||
			(ctrl >> {{ cookiecutter.macro }}_QUEUE_LOG_BLOCK_SHIFT) & 0xff ||
			log_size < {{ cookiecutter.macro }}_MIN_LOG_RING_SIZE ||
			log_size > {{ cookiecutter.macro }}_MAX_LOG_RING_SIZE)
		return false;
	q->mask = (1u << log_size) - 1;
	q->base = *(volatile uint32_t *)(q->regs + {{ cookiecutter.macro }}_QUEUE_BASE_ADDR_LO) |
		(uint64_t)*(volatile uint32_t *)(q->regs +
			{{ cookiecutter.macro }}_QUEUE_BASE_ADDR_HI) << 32;
	return true;
}

static inline uint16_t
q_ptr(const struct model_queue *q, uint32_t off)
{
	return *(volatile uint32_t *)(q->regs + off) & {{ cookiecutter.macro }}_PTR_MASK;
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

struct frame_info {
	uint8_t pkt_info;	/* {{ cookiecutter.macro }}_CPL_L3_* | {{ cookiecutter.macro }}_CPL_L4_* */
	uint8_t rss_in[36];	/* addresses, then ports */
	uint8_t addr_len;	/* 8 or 32, 0 if not IP */
	bool has_ports;
};

static void
frame_parse(const uint8_t *f, uint32_t len, struct frame_info *fi)
{
	uint32_t l3 = RTE_ETHER_HDR_LEN, l4 = 0;
	uint16_t type;
	uint8_t proto = 0;

	memset(fi, 0, sizeof(*fi));
	if (len < l3)
		return;
	type = (uint16_t)f[12] << 8 | f[13];
	if (type == RTE_ETHER_TYPE_VLAN && len >= l3 + 4) {
		type = (uint16_t)f[16] << 8 | f[17];
		l3 += 4;
	}
	if (type == RTE_ETHER_TYPE_IPV4 && len >= l3 + 20 &&
			(f[l3] >> 4) == 4) {
		fi->pkt_info = {{ cookiecutter.macro }}_CPL_L3_IPV4;
		fi->addr_len = 8;
		memcpy(fi->rss_in, f + l3 + 12, 8);
		proto = f[l3 + 9];
		/* Fragments hash as L3 only: later ones carry no ports. */
		if (((f[l3 + 6] & 0x3f) | f[l3 + 7]) == 0)
			l4 = l3 + (f[l3] & 0xf) * 4;
	} else if (type == RTE_ETHER_TYPE_IPV6 && len >= l3 + 40) {
		fi->pkt_info = {{ cookiecutter.macro }}_CPL_L3_IPV6;
		fi->addr_len = 32;
		memcpy(fi->rss_in, f + l3 + 8, 32);
		proto = f[l3 + 6];
		l4 = l3 + 40;
	}
	if (l4 == 0 || len < l4 + 4)
		return;
	if (proto == IPPROTO_TCP)
		fi->pkt_info |= {{ cookiecutter.macro }}_CPL_L4_TCP;
	else if (proto == IPPROTO_UDP)
		fi->pkt_info |= {{ cookiecutter.macro }}_CPL_L4_UDP;
	else
		return;
	memcpy(fi->rss_in + fi->addr_len, f + l4, 4);
	fi->has_ports = true;
}

/* Pick the RSS type of a frame among those enabled; 0 if none applies. */
static uint32_t
rss_type(const struct frame_info *fi, uint32_t enabled)
{
	uint32_t l3, l4 = 0;

	if (fi->pkt_info & {{ cookiecutter.macro }}_CPL_L3_IPV4) {
		l3 = {{ cookiecutter.macro }}_RSS_IPV4;
		if (fi->pkt_info & {{ cookiecutter.macro }}_CPL_L4_TCP)
			l4 = {{ cookiecutter.macro }}_RSS_TCP_IPV4;
		else if (fi->pkt_info & {{ cookiecutter.macro }}_CPL_L4_UDP)
			l4 = {{ cookiecutter.macro }}_RSS_UDP_IPV4;
	} else if (fi->pkt_info & {{ cookiecutter.macro }}_CPL_L3_IPV6) {
		l3 = {{ cookiecutter.macro }}_RSS_IPV6;
		if (fi->pkt_info & {{ cookiecutter.macro }}_CPL_L4_TCP)
			l4 = {{ cookiecutter.macro }}_RSS_TCP_IPV6;
		else if (fi->pkt_info & {{ cookiecutter.macro }}_CPL_L4_UDP)
			l4 = {{ cookiecutter.macro }}_RSS_UDP_IPV6;
	} else {
		return 0;
	}
	if (l4 & enabled)
		return l4;
	return l3 & enabled;
}

static void
rss_key_read(const struct {{ cookiecutter.name }}_model *m, uint8_t *key)
{
	unsigned int i;
	uint32_t w;

	for (i = 0; i < {{ cookiecutter.macro }}_RSS_KEY_SIZE; i += 4) {
		w = reg_rd(m, {{ cookiecutter.macro }}_IF_REG_RSS_KEY + i);
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

/* MAC filter (REGISTERS.md, RX_FILTER). */
static bool
rx_accept(const struct {{ cookiecutter.name }}_model *m, const uint8_t *dst)
{
	uint32_t filter = reg_rd(m, {{ cookiecutter.macro }}_IF_REG_RX_FILTER);
	uint32_t lo = reg_rd(m, {{ cookiecutter.macro }}_IF_REG_MAC_LO);
	uint32_t hi = reg_rd(m, {{ cookiecutter.macro }}_IF_REG_MAC_HI);
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const uint8_t mac[6] = { lo & 0xff, (lo >> 8) & 0xff,
		(lo >> 16) & 0xff, lo >> 24, hi & 0xff, (hi >> 8) & 0xff };

	if (filter & {{ cookiecutter.macro }}_RX_FILTER_PROMISC)
		return true;
	if (dst[0] & 1)
		return memcmp(dst, bcast, 6) == 0 ||
			(filter & {{ cookiecutter.macro }}_RX_FILTER_ALLMULTI);
	return memcmp(dst, mac, 6) == 0;
}

/*
 * A frame arrives from the wire: filter, steer, DMA, complete. With `hold`
 * (paced sources: gen, pcap) a frame that finds no descriptor or completion
 * slot is not dropped: -EAGAIN tells the source to offer it again later.
 */
static int
rx_deliver(struct {{ cookiecutter.name }}_model *m, const uint8_t *f, uint32_t len, bool hold)
{
	struct model_queue rq, cq;
	struct frame_info fi;
	uint8_t key[{{ cookiecutter.macro }}_RSS_KEY_SIZE];
	volatile struct {{ cookiecutter.name }}_desc *descs, *d;
	volatile struct {{ cookiecutter.name }}_cpl *cpls, *c;
	uint32_t qid = 0, hash = 0, htype = 0, enabled;
	uint16_t head, tail, cq_head, cq_tail;
	struct timespec ts;
	void *buf;

	if (!link_up(m)) {
		cnt_add(m, {{ cookiecutter.macro }}_CNT_LINK_DOWN_DROPS, 1);
		return 0;
	}
	if (len > reg_rd(m, {{ cookiecutter.macro }}_IF_REG_MTU) + 18 || len > MODEL_MAX_FRAME) {
		cnt_add(m, {{ cookiecutter.macro }}_CNT_RX_TOO_LONG, 1);
		return 0;
	}
	if (len < RTE_ETHER_HDR_LEN || !rx_accept(m, f)) {
		cnt_add(m, {{ cookiecutter.macro }}_CNT_RX_FILTERED, 1);
		return 0;
	}
	frame_parse(f, len, &fi);
	enabled = reg_rd(m, {{ cookiecutter.macro }}_IF_REG_RSS_CTRL);
	if (enabled != 0) {
		htype = rss_type(&fi, enabled);
		if (htype != 0) {
			rss_key_read(m, key);
			hash = toeplitz(key, fi.rss_in, fi.addr_len +
				((htype & ({{ cookiecutter.macro }}_RSS_IPV4 | {{ cookiecutter.macro }}_RSS_IPV6)) ?
					0 : 4));
			qid = reg_rd(m, {{ cookiecutter.macro }}_IF_REG_RSS_TBL +
				4 * (hash & ({{ cookiecutter.macro }}_RSS_TBL_SIZE - 1)));
			if (qid >= reg_rd(m, {{ cookiecutter.macro }}_IF_REG_RXQ_COUNT))
				qid = 0;
		}
	}
	if (!queue_get(m, {{ cookiecutter.macro }}_RXQ_OFFSET, qid, &rq) ||
			!queue_get(m, {{ cookiecutter.macro }}_RXCQ_OFFSET,
				*(volatile uint32_t *)(rq.regs +
					{{ cookiecutter.macro }}_QUEUE_CQ_INDEX), &cq)) {
		cnt_add(m, {{ cookiecutter.macro }}_CNT_RX_NO_DESC, 1);
		return 0;
	}
	head = q_ptr(&rq, {{ cookiecutter.macro }}_QUEUE_HEAD_PTR);
	tail = q_ptr(&rq, {{ cookiecutter.macro }}_QUEUE_TAIL_PTR);
	if (head == tail) {
		if (hold)
			return -EAGAIN;
		cnt_add(m, {{ cookiecutter.macro }}_CNT_RX_NO_DESC, 1);
		return 0;
	}
	cq_head = q_ptr(&cq, {{ cookiecutter.macro }}_QUEUE_HEAD_PTR);
	cq_tail = q_ptr(&cq, {{ cookiecutter.macro }}_QUEUE_TAIL_PTR);
	if (fault(m, {{ cookiecutter.macro }}_FAULT_CQ_OVERFLOW)) {
		cnt_add(m, {{ cookiecutter.macro }}_CNT_RX_CQ_FULL, 1);
		return 0;
	}
	if ((uint16_t)(cq_head - cq_tail) > cq.mask) {
		if (hold)
			return -EAGAIN;
		cnt_add(m, {{ cookiecutter.macro }}_CNT_RX_CQ_FULL, 1);
		return 0;
	}
	descs = dma_map(m, rq.base, (rq.mask + 1) * sizeof(*descs));
	cpls = dma_map(m, cq.base, (cq.mask + 1) * sizeof(*cpls));
	if (descs == NULL || cpls == NULL)
		return 0;
	rte_smp_rmb();	/* descriptors after the doorbell that posted them */
	d = &descs[tail & rq.mask];
	if (len > d->len) {
		cnt_add(m, {{ cookiecutter.macro }}_CNT_RX_TOO_LONG, 1);
		return 0;
	}
	c = &cpls[cq_head & cq.mask];
	memset((void *)(uintptr_t)c, 0, sizeof(*c));
	buf = dma_map_buf(m, d->addr, len);
	if (buf != NULL) {
		memcpy(buf, f, len);
		cnt_add(m, {{ cookiecutter.macro }}_CNT_RX_FRAMES, 1);
		cnt_add(m, {{ cookiecutter.macro }}_CNT_RX_BYTES, len);
	} else {
		c->status = {{ cookiecutter.macro }}_CPL_STATUS_DMA_ERR;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	c->queue = qid;
	c->index = tail & rq.mask;
	c->len = fault(m, {{ cookiecutter.macro }}_FAULT_BAD_CQE_LEN) ? UINT16_MAX : len;
	c->pkt_info = fi.pkt_info;
	c->ts_ns = ts.tv_nsec;
	c->ts_s = ts.tv_sec & 0xffff;
	c->rx_csum = csum_after_l2(f, len);
	c->rx_hash = hash;
	c->rx_hash_type = htype;
	/* The completion is written before the pointer that publishes it. */
	rte_smp_wmb();
	q_set_ptr(&rq, {{ cookiecutter.macro }}_QUEUE_TAIL_PTR, tail + 1);
	q_set_ptr(&cq, {{ cookiecutter.macro }}_QUEUE_HEAD_PTR, cq_head + 1);
	return 0;
}

static int
model_rx_frame(struct {{ cookiecutter.name }}_model *m, const uint8_t *f, uint32_t len,
	bool hold)
{
	int ret = rx_deliver(m, f, len, hold);

	if (ret == 0)
		handled_one(m);
	return ret;
}

/* pcap (classic libpcap format, microsecond timestamps) */

struct pcap_rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_frac;
	uint32_t incl_len;
	uint32_t orig_len;
};

static void
pcap_write(struct {{ cookiecutter.name }}_model *m, const uint8_t *f, uint32_t len)
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
pcap_open_out(struct {{ cookiecutter.name }}_model *m, const char *path)
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
pcap_u32(const struct {{ cookiecutter.name }}_model *m, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return m->pcap_in_swapped ? rte_bswap32(v) : v;
}

static int
pcap_open_in(struct {{ cookiecutter.name }}_model *m, const char *path)
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
	m->pcap_in = malloc(size);
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
pcap_next(struct {{ cookiecutter.name }}_model *m, const uint8_t **f)
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

/* Generator: UDP/IPv4 frames to the port's MAC, one flow after another. */
static uint32_t
gen_next(struct {{ cookiecutter.name }}_model *m)
{
	uint8_t *f = m->frame;
	uint32_t len = m->cfg.gen_size;
	uint32_t flow = m->gen_flow;
	uint32_t sum = 0, i, lo, hi;
	uint16_t ip_len = len - RTE_ETHER_HDR_LEN;
	uint16_t udp_len = ip_len - 20;

	lo = reg_rd(m, {{ cookiecutter.macro }}_IF_REG_MAC_LO);
	hi = reg_rd(m, {{ cookiecutter.macro }}_IF_REG_MAC_HI);
	memset(f, 0, len);
	f[0] = lo & 0xff; f[1] = (lo >> 8) & 0xff; f[2] = (lo >> 16) & 0xff;
	f[3] = lo >> 24; f[4] = hi & 0xff; f[5] = (hi >> 8) & 0xff;
	f[6] = 0x02; f[11] = 0x01;		/* 02:00:00:00:00:01 */
	f[12] = 0x08; f[13] = 0x00;		/* IPv4 */
	f[14] = 0x45;
	f[16] = ip_len >> 8; f[17] = ip_len & 0xff;
	f[18] = m->gen_seq >> 8; f[19] = m->gen_seq & 0xff;
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
	memcpy(f + 42, &m->gen_seq, RTE_MIN(len - 42, 4u));
	m->gen_seq++;
	if (++m->gen_flow == m->cfg.gen_flows)
		m->gen_flow = 0;
	return len;
}

static struct {{ cookiecutter.name }}_model *
peer_get(struct {{ cookiecutter.name }}_model *m)
{
	struct {{ cookiecutter.name }}_model *p;

	if (m->peer != NULL || m->peer_name == NULL)
		return m->peer;
	TAILQ_FOREACH(p, &model_list, next)
		if (p != m && strcmp(p->name, m->peer_name) == 0)
			m->peer = p;
	return m->peer;
}

/* A frame leaves the port. */
static void
wire_tx(struct {{ cookiecutter.name }}_model *m, const uint8_t *f, uint32_t len)
{
	struct {{ cookiecutter.name }}_model *peer;

	if (!link_up(m)) {
		cnt_add(m, {{ cookiecutter.macro }}_CNT_LINK_DOWN_DROPS, 1);
		handled_one(m);
		return;
	}
	cnt_add(m, {{ cookiecutter.macro }}_CNT_TX_FRAMES, 1);
	cnt_add(m, {{ cookiecutter.macro }}_CNT_TX_BYTES, len);
	if (m->pcap_out != NULL)
		pcap_write(m, f, len);
	switch (m->cfg.wire) {
	case {{ cookiecutter.macro }}_WIRE_LOOPBACK:
		model_rx_frame(m, f, len, false);
		break;
	case {{ cookiecutter.macro }}_WIRE_PAIR:
		peer = peer_get(m);
		if (peer != NULL)
			model_rx_frame(peer, f, len, false);
		break;
	default:
		break;
	}
	handled_one(m);
}

void
{{ cookiecutter.name }}_model_step_tx(struct {{ cookiecutter.name }}_model *m, uint16_t qid)
{
	struct model_queue tq, cq;
	volatile struct {{ cookiecutter.name }}_desc *descs, *d;
	volatile struct {{ cookiecutter.name }}_cpl *cpls, *c;
	uint16_t head, tail, cq_head, cq_tail;
	uint32_t len, max = MODEL_MAX_FRAME;
	uint8_t status;
	void *buf;

	rte_spinlock_lock(&model_lock);
	if (!queue_get(m, {{ cookiecutter.macro }}_TXQ_OFFSET, qid, &tq) ||
			!queue_get(m, {{ cookiecutter.macro }}_TXCQ_OFFSET,
				*(volatile uint32_t *)(tq.regs +
					{{ cookiecutter.macro }}_QUEUE_CQ_INDEX), &cq))
		goto out;
	head = q_ptr(&tq, {{ cookiecutter.macro }}_QUEUE_HEAD_PTR);
	tail = q_ptr(&tq, {{ cookiecutter.macro }}_QUEUE_TAIL_PTR);
	cq_head = q_ptr(&cq, {{ cookiecutter.macro }}_QUEUE_HEAD_PTR);
	cq_tail = q_ptr(&cq, {{ cookiecutter.macro }}_QUEUE_TAIL_PTR);
	if (head == tail)
		goto out;
	descs = dma_map(m, tq.base, (tq.mask + 1) * sizeof(*descs));
	cpls = dma_map(m, cq.base, (cq.mask + 1) * sizeof(*cpls));
	if (descs == NULL || cpls == NULL)
		goto out;
	rte_smp_rmb();	/* descriptors after the doorbell that posted them */
	/* A full completion queue stalls the queue, as on hardware. */
	while (tail != head && (uint16_t)(cq_head - cq_tail) <= cq.mask) {
		d = &descs[tail & tq.mask];
		len = d->len;
		status = {{ cookiecutter.macro }}_CPL_STATUS_DMA_ERR;
		if (unlikely(len == 0 || len > max)) {
			cnt_add(m, {{ cookiecutter.macro }}_CNT_TX_BAD_DESC, 1);
		} else {
			buf = dma_map_buf(m, d->addr, len);
			if (buf != NULL) {
				wire_tx(m, buf, len);
				status = 0;
			}
		}
		c = &cpls[cq_head & cq.mask];
		memset((void *)(uintptr_t)c, 0, sizeof(*c));
		c->queue = qid;
		c->index = tail & tq.mask;
		c->len = len;
		c->status = status;
		tail++;
		cq_head++;
		if ((uint16_t)(cq_head - cq_tail) > cq.mask)
			cq_tail = q_ptr(&cq, {{ cookiecutter.macro }}_QUEUE_TAIL_PTR);
	}
	rte_smp_wmb();
	q_set_ptr(&tq, {{ cookiecutter.macro }}_QUEUE_TAIL_PTR, tail);
	q_set_ptr(&cq, {{ cookiecutter.macro }}_QUEUE_HEAD_PTR, cq_head);
	/* One flush per burst: the file is whole even if the port never closes. */
	if (m->pcap_out != NULL)
		fflush(m->pcap_out);
out:
	rte_spinlock_unlock(&model_lock);
}

void
{{ cookiecutter.name }}_model_step_rx(struct {{ cookiecutter.name }}_model *m, uint16_t qid __rte_unused)
{
	const uint8_t *f;
	size_t off;
	uint32_t len;
	unsigned int i;

	rte_spinlock_lock(&model_lock);
	for (i = 0; i < MODEL_RX_BURST; i++) {
		if (m->cfg.wire == {{ cookiecutter.macro }}_WIRE_GEN) {
			if (m->gen_held == 0)
				m->gen_held = gen_next(m);
			if (model_rx_frame(m, m->frame, m->gen_held, true) != 0)
				break;
			m->gen_held = 0;
		} else if (m->cfg.wire == {{ cookiecutter.macro }}_WIRE_PCAP) {
			off = m->pcap_in_off;
			len = pcap_next(m, &f);
			if (len == 0)
				break;
			if (len > MODEL_MAX_FRAME)
				continue;
			if (model_rx_frame(m, f, len, true) != 0) {
				m->pcap_in_off = off;
				break;
			}
		} else {
			break;
		}
	}
	rte_spinlock_unlock(&model_lock);
}

void *
{{ cookiecutter.name }}_model_bar0(struct {{ cookiecutter.name }}_model *m)
{
	return m->regs;
}

void
{{ cookiecutter.name }}_model_destroy(struct {{ cookiecutter.name }}_model *m)
{
	struct {{ cookiecutter.name }}_model *p;

	if (m == NULL)
		return;
	rte_spinlock_lock(&model_lock);
	if (m->name != NULL) {
		TAILQ_FOREACH(p, &model_list, next)
			if (p->peer == m)
				p->peer = NULL;
		if (m->regs != NULL)
			TAILQ_REMOVE(&model_list, m, next);
	}
	rte_spinlock_unlock(&model_lock);
	if (m->pcap_out != NULL && fclose(m->pcap_out) != 0)
		PMD_LOG(ERR, "%s: cannot write pcap_out", m->name);
	free(m->pcap_in);
	free(m->name);
	free(m->peer_name);
	rte_free(m->regs);
	rte_free(m);
}

struct {{ cookiecutter.name }}_model *
{{ cookiecutter.name }}_model_create(const struct {{ cookiecutter.name }}_model_cfg *cfg)
{
	struct {{ cookiecutter.name }}_model *m;
	unsigned int i;
	int ret;

	if (cfg->nb_queues == 0 || cfg->nb_queues > {{ cookiecutter.macro }}_MAX_QUEUES ||
			cfg->gen_size < 42 || cfg->gen_size > MODEL_MAX_FRAME ||
			cfg->gen_flows == 0 || cfg->gen_flows > (1u << 17)) {
		PMD_LOG(ERR, "%s: bad model configuration", cfg->name);
		return NULL;
	}
	m = rte_zmalloc(NULL, sizeof(*m), RTE_CACHE_LINE_SIZE);
	if (m == NULL)
		return NULL;
	m->cfg = *cfg;
	m->name = strdup(cfg->name);
	m->peer_name = cfg->peer != NULL ? strdup(cfg->peer) : NULL;
	if (m->name == NULL || (cfg->peer != NULL && m->peer_name == NULL))
		goto fail;
	m->cfg.name = m->name;
	m->cfg.peer = m->peer_name;
	m->cfg.pcap_in = NULL;
	m->cfg.pcap_out = NULL;
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
	m->regs = rte_zmalloc(NULL, {{ cookiecutter.macro }}_BAR0_SIZE, 4096);
	if (m->regs == NULL)
		goto fail;
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_ID, {{ cookiecutter.macro }}_IF_ID);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_FW_VER, MODEL_FW_VER);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_TXQ_COUNT, cfg->nb_queues);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_RXQ_COUNT, cfg->nb_queues);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_TXQ_OFFSET, {{ cookiecutter.macro }}_TXQ_OFFSET);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_TXCQ_OFFSET, {{ cookiecutter.macro }}_TXCQ_OFFSET);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_RXQ_OFFSET, {{ cookiecutter.macro }}_RXQ_OFFSET);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_RXCQ_OFFSET, {{ cookiecutter.macro }}_RXCQ_OFFSET);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_QUEUE_STRIDE, {{ cookiecutter.macro }}_QUEUE_STRIDE);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_MAX_LOG_SIZE, {{ cookiecutter.macro }}_MAX_LOG_RING_SIZE);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_MAC_LO, cfg->mac[0] | cfg->mac[1] << 8 |
		cfg->mac[2] << 16 | (uint32_t)cfg->mac[3] << 24);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_MAC_HI, cfg->mac[4] | cfg->mac[5] << 8);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_LINK, cfg->link_up ? 1 : 0);
	link_up(m);	/* fault=link_down without fault_after: down at once */
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_LINK_SPEED, MODEL_LINK_SPEED);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_MTU, 1500);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_MAX_MTU, 9000);
	reg_wr(m, {{ cookiecutter.macro }}_IF_REG_RSS_TBL_SIZE, {{ cookiecutter.macro }}_RSS_TBL_SIZE);
	for (i = 0; i < {{ cookiecutter.macro }}_RSS_TBL_SIZE; i++)
		reg_wr(m, {{ cookiecutter.macro }}_IF_REG_RSS_TBL + 4 * i, 0);
	rte_spinlock_lock(&model_lock);
	TAILQ_INSERT_TAIL(&model_list, m, next);
	rte_spinlock_unlock(&model_lock);
	return m;
fail:
	{{ cookiecutter.name }}_model_destroy(m);
	return NULL;
}
