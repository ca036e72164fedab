/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * Register map and DMA layouts of the mqnic NIC, as written down in
 * REGISTERS.md. This header is the single source for the PMD and for the
 * in-process model: neither defines an offset or a layout of its own.
 *
 * The queue machinery is a simplified classic Corundum NIC; the interface
 * block at the start of BAR0 is our own simplification of Corundum's
 * register blocks.
 */

#ifndef MQNIC_HW_H
#define MQNIC_HW_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

/* Size of BAR0 (REGISTERS.md, "BAR0 layout"). */
#define MQNIC_BAR0_SIZE			0x50000

/* Interface block (REGISTERS.md, "Interface block"). */
#define MQNIC_IF_REG_ID			0x0000	/* RO MQNIC_IF_ID */
#define MQNIC_IF_REG_FW_VER		0x0004	/* RO major.minor.patch */
#define MQNIC_IF_REG_TXQ_COUNT		0x0010	/* RO */
#define MQNIC_IF_REG_TXQ_OFFSET		0x0014	/* RO */
#define MQNIC_IF_REG_TXCQ_OFFSET	0x0018	/* RO */
#define MQNIC_IF_REG_RXQ_COUNT		0x0020	/* RO */
#define MQNIC_IF_REG_RXQ_OFFSET		0x0024	/* RO */
#define MQNIC_IF_REG_RXCQ_OFFSET	0x0028	/* RO */
#define MQNIC_IF_REG_QUEUE_STRIDE	0x002C	/* RO */
#define MQNIC_IF_REG_MAX_LOG_SIZE	0x0030	/* RO largest log2 ring size */
#define MQNIC_IF_REG_MAC_LO		0x0040	/* RW MAC bytes 0..3 */
#define MQNIC_IF_REG_MAC_HI		0x0044	/* RW MAC bytes 4..5 */
#define MQNIC_IF_REG_LINK		0x0048	/* RO bit 0: link up */
#define MQNIC_IF_REG_LINK_SPEED		0x004C	/* RO Mbit/s */
#define MQNIC_IF_REG_MTU		0x0050	/* RW */
#define MQNIC_IF_REG_MAX_MTU		0x0054	/* RO */
#define MQNIC_IF_REG_RX_FILTER		0x0058	/* RW MQNIC_RX_FILTER_* */
#define MQNIC_IF_REG_RSS_CTRL		0x005C	/* RW MQNIC_RSS_* hash types */
#define MQNIC_IF_REG_RSS_TBL_SIZE	0x0060	/* RO indirection entries */
#define MQNIC_IF_REG_PHY_CTRL		0x0064	/* RW MQNIC_PHY_CTRL_* */
#define MQNIC_IF_REG_LINK_IRQ		0x0068	/* RW link change interrupt */
#define MQNIC_IF_REG_RSS_KEY		0x0100	/* RW 40 bytes */
#define MQNIC_IF_REG_RSS_TBL		0x0200	/* RW one u32 per entry */
#define MQNIC_IF_REG_CNT		0x0400	/* RO u64 counters */
#define MQNIC_IF_REG_ADDR_TBL		0x1000	/* RW exact-match addresses */

#define MQNIC_IF_ID			0x4d514e43	/* "MQNC" */
#define MQNIC_FW_VER(maj, min, pat)	((maj) << 16 | (min) << 8 | (pat))

#define MQNIC_RX_FILTER_PROMISC		(1u << 0)
#define MQNIC_RX_FILTER_ALLMULTI	(1u << 1)

/*
 * Interrupts (REGISTERS.md, "Interrupts"): MSI-X style vectors. PHY_CTRL's
 * DISABLE turns the port's transmitter off, so its link and its link
 * partner's go down. LINK_IRQ names the vector raised on every change of
 * LINK while its ENABLE bit is set; a completion queue's EVENT_INDEX names
 * the vector raised, once, by the first completion written while ARM is set.
 */
#define MQNIC_PHY_CTRL_DISABLE		(1u << 0)
#define MQNIC_LINK_IRQ_ENABLE		(1u << 31)
#define MQNIC_IRQ_VECTOR_MASK		0xffffu
#define MQNIC_IRQ_VECTORS		32

/*
 * Address table (REGISTERS.md, ADDR_TBL): 8 bytes per entry, bytes 0..3 of
 * the address in the first dword, bytes 4..5 in bits 15:0 of the second and
 * its bit 31 set while the entry is in use. A frame whose destination is in
 * the table is accepted like one to MAC_LO/HI.
 */
#define MQNIC_ADDR_TBL_SIZE		32
#define MQNIC_ADDR_TBL_VALID		(1u << 31)

/* RSS hash types: RSS_CTRL enable bits and the completion's hash type. */
#define MQNIC_RSS_IPV4			(1u << 0)
#define MQNIC_RSS_TCP_IPV4		(1u << 1)
#define MQNIC_RSS_UDP_IPV4		(1u << 2)
#define MQNIC_RSS_IPV6			(1u << 3)
#define MQNIC_RSS_TCP_IPV6		(1u << 4)
#define MQNIC_RSS_UDP_IPV6		(1u << 5)

#define MQNIC_RSS_KEY_SIZE		40
#define MQNIC_RSS_TBL_SIZE		128

/* Counters: u64 each, at MQNIC_IF_REG_CNT + 8 * index. */
enum mqnic_cnt {
	MQNIC_CNT_RX_FRAMES,
	MQNIC_CNT_RX_BYTES,
	MQNIC_CNT_TX_FRAMES,
	MQNIC_CNT_TX_BYTES,
	MQNIC_CNT_RX_NO_DESC,
	MQNIC_CNT_RX_CQ_FULL,
	MQNIC_CNT_RX_TOO_LONG,
	MQNIC_CNT_RX_FILTERED,
	MQNIC_CNT_DMA_ERRORS,
	MQNIC_CNT_LINK_DOWN_DROPS,
	MQNIC_CNT_TX_BAD_DESC,
	MQNIC_CNT_LINK_IRQS,		/* link change interrupts raised */
	MQNIC_CNT_NUM
};

/*
 * Per-queue transfer counters (REGISTERS.md, "Queue transfer counters"):
 * what the NIC moved over PCIe for each queue, u64 each, RO, free-running.
 * Block of RX queue q at MQNIC_IF_REG_QCNT + q * MQNIC_QCNT_STRIDE, of TX
 * queue q MQNIC_MAX_QUEUES blocks further.
 */
#define MQNIC_IF_REG_QCNT		0x8000
#define MQNIC_QCNT_STRIDE		0x80

enum mqnic_qcnt {
	MQNIC_QCNT_DESC_RD,		/* descriptor read requests */
	MQNIC_QCNT_DESC_RD_BYTES,
	MQNIC_QCNT_CPL_WR,		/* completion writes */
	MQNIC_QCNT_CPL_WR_BYTES,
	MQNIC_QCNT_DATA_RD,		/* packet data read requests (TX) */
	MQNIC_QCNT_DATA_RD_BYTES,
	MQNIC_QCNT_DATA_WR,		/* packet data writes (RX) */
	MQNIC_QCNT_DATA_WR_BYTES,
	MQNIC_QCNT_DOORBELLS,		/* steps that found HEAD_PTR moved */
	MQNIC_QCNT_IRQS,		/* interrupts raised */
	MQNIC_QCNT_NUM
};

#define MQNIC_QCNT_ADDR(tx, q) (MQNIC_IF_REG_QCNT + \
	((tx) * MQNIC_MAX_QUEUES + (q)) * MQNIC_QCNT_STRIDE)

/* Queue control blocks (REGISTERS.md, "Queue control block"). */
#define MQNIC_TXQ_OFFSET		0x10000
#define MQNIC_TXCQ_OFFSET		0x20000
#define MQNIC_RXQ_OFFSET		0x30000
#define MQNIC_RXCQ_OFFSET		0x40000
#define MQNIC_QUEUE_STRIDE		0x20
#define MQNIC_MAX_QUEUES		16

#define MQNIC_QUEUE_BASE_ADDR_LO	0x00
#define MQNIC_QUEUE_BASE_ADDR_HI	0x04
#define MQNIC_QUEUE_ACTIVE_LOG_SIZE	0x08
#define MQNIC_QUEUE_CQ_INDEX		0x0C	/* descriptor queues */
#define MQNIC_CQ_EVENT_INDEX		0x0C	/* completion queues */
#define MQNIC_QUEUE_HEAD_PTR		0x10
#define MQNIC_QUEUE_STATUS		0x14	/* RO MQNIC_QUEUE_STATUS_* */
#define MQNIC_QUEUE_TAIL_PTR		0x18

#define MQNIC_QUEUE_ACTIVE		(1u << 31)
#define MQNIC_QUEUE_LOG_BLOCK_SHIFT	8
#define MQNIC_QUEUE_LOG_SIZE_MASK	0xffu
#define MQNIC_CQ_ARM			(1u << 31)
#define MQNIC_QUEUE_STATUS_BUSY		(1u << 0)
#define MQNIC_PTR_MASK			0xffffu
/* 16-bit pointers tell full from empty only below 2^16 entries. */
#define MQNIC_MAX_LOG_RING_SIZE		15
#define MQNIC_MIN_LOG_RING_SIZE		6

/*
 * Descriptor: one buffer, 16 bytes (REGISTERS.md, "Descriptor"). A ring
 * entry is a block of 2^log_block_size of them (ACTIVE_LOG_SIZE bits 15:8):
 * one frame per entry, scattered over (RX) or gathered from (TX) the
 * block's buffers in order; the checksum commands are read from the first.
 */
struct mqnic_desc {
	uint16_t tx_ip_csum_cmd;	/* MQNIC_TX_IP_CSUM_* (our addition) */
	uint16_t tx_csum_cmd;		/* MQNIC_TX_CSUM_*, as Corundum's */
	uint32_t len;
	uint64_t addr;
};

/*
 * TX checksum command (Corundum's): the NIC sums the frame from byte START
 * to its end (the checksum field holding the pseudo-header sum, as the
 * host left it) and stores the complement at START + OFFSET.
 */
#define MQNIC_TX_CSUM_ENABLE		(1u << 15)
#define MQNIC_TX_CSUM_OFFSET_SHIFT	8	/* bits 14:8, at most 127 */
#define MQNIC_TX_CSUM_START_MASK	0xffu	/* bits 7:0, at most 255 */
#define MQNIC_TX_CSUM_OFFSET_MAX	127u
/*
 * TX IPv4 header checksum command (our addition; bit 14 of the same word is
 * MQNIC_DESC_TX_TS): the header starts at byte bits 7:0.
 */
#define MQNIC_TX_IP_CSUM_ENABLE		(1u << 15)
#define MQNIC_TX_IP_CSUM_START_MASK	0xffu
/* Largest block: descriptors per ring entry (log2 3), so segments per frame. */
#define MQNIC_MAX_LOG_BLOCK_SIZE	3

/* Completion: 32 bytes (REGISTERS.md, "Completion"). */
struct mqnic_cpl {
	uint16_t queue;
	uint16_t index;
	uint16_t len;
	uint8_t status;		/* MQNIC_CPL_STATUS_* */
	uint8_t pkt_info;	/* MQNIC_CPL_L3_* | MQNIC_CPL_L4_* */
	uint32_t ts_ns;
	uint16_t ts_s;
	uint16_t rx_csum;
	uint32_t rx_hash;
	uint8_t rx_hash_type;	/* one MQNIC_RSS_* bit, 0: no hash */
	uint8_t port;
	uint8_t rsvd[10];
};

#define MQNIC_CPL_STATUS_DMA_ERR	(1u << 0)
/*
 * RX: the completion carries an RSS hash (its hash type is not 0). Bit 1, as
 * RTE_MBUF_F_RX_RSS_HASH is, so the driver or-s it into ol_flags unshifted.
 */
#define MQNIC_CPL_STATUS_RSS		(1u << 1)
/*
 * RX checksums the NIC verified (REGISTERS.md, "Completion"): neither bit of
 * a pair set means not checked (not IPv4, not TCP/UDP, a fragment, short).
 */
#define MQNIC_CPL_STATUS_IP_CSUM_OK	(1u << 2)
#define MQNIC_CPL_STATUS_IP_CSUM_BAD	(1u << 3)
#define MQNIC_CPL_STATUS_L4_CSUM_OK	(1u << 4)
#define MQNIC_CPL_STATUS_L4_CSUM_BAD	(1u << 5)
#define MQNIC_CPL_STATUS_CSUM_SHIFT	2
#define MQNIC_CPL_STATUS_CSUM_MASK	0x3cu
/*
 * Ownership marker (REGISTERS.md, "Completion"): set in the completions the
 * NIC writes on its 1st, 3rd, ... pass over the ring, clear on the others,
 * so a driver finds new completions in host memory, without reading
 * HEAD_PTR. The completion at CQ pointer p of a ring of `size` entries is
 * new when this bit equals !(p & size).
 */
#define MQNIC_CPL_STATUS_PHASE		(1u << 7)

#define MQNIC_CPL_L3_MASK		0x03u
#define MQNIC_CPL_L3_IPV4		0x01u
#define MQNIC_CPL_L3_IPV6		0x02u
#define MQNIC_CPL_L4_MASK		0x0cu
#define MQNIC_CPL_L4_TCP		0x04u
#define MQNIC_CPL_L4_UDP		0x08u
#define MQNIC_CPL_L2_MASK		0x30u
#define MQNIC_CPL_L2_VLAN		0x10u	/* one VLAN tag */
#define MQNIC_CPL_L2_QINQ		0x20u	/* two VLAN tags */

/*
 * PTP frames (REGISTERS.md, "PTP clock"), in packet info bits 7:6: the NIC
 * marks an IEEE 1588 frame (ethertype 0x88F7) while PTP_CTRL's RX_EN is set,
 * and TMST when it latched the frame's receive time in RX_TS_*.
 */
#define MQNIC_CPL_PTP			0x40u
#define MQNIC_CPL_PTP_TMST		0x80u

/*
 * PTP hardware clock and timestamp latches (REGISTERS.md, "PTP clock"). A
 * command written to PTP_CMD is done when the NIC has cleared it to 0.
 */
#define MQNIC_IF_REG_PTP_CTRL		0x0800	/* RW MQNIC_PTP_CTRL_* */
#define MQNIC_IF_REG_PTP_CMD		0x0804	/* RW MQNIC_PTP_CMD_* */
#define MQNIC_IF_REG_PTP_FREQ		0x0808	/* RW scaled ppm, signed */
#define MQNIC_IF_REG_PTP_TIME_NS	0x0810	/* RW time: ns */
#define MQNIC_IF_REG_PTP_TIME_SEC_LO	0x0814	/* RW s, bits 31:0 */
#define MQNIC_IF_REG_PTP_TIME_SEC_HI	0x0818	/* RW s, bits 47:32 */
#define MQNIC_IF_REG_PTP_ADJ_LO		0x0820	/* RW ns, signed 64-bit */
#define MQNIC_IF_REG_PTP_ADJ_HI		0x0824
#define MQNIC_IF_REG_PTP_RX_TS		0x0830	/* RX latch, MQNIC_PTP_TS_* */
#define MQNIC_IF_REG_PTP_TX_TS		0x0840	/* TX latch, MQNIC_PTP_TS_* */

#define MQNIC_PTP_CTRL_RX_EN		(1u << 0)	/* mark, latch RX */
#define MQNIC_PTP_CTRL_TX_EN		(1u << 1)	/* latch TX */
#define MQNIC_PTP_CMD_READ		1u	/* TIME_* = the clock */
#define MQNIC_PTP_CMD_WRITE		2u	/* the clock = TIME_* */
#define MQNIC_PTP_CMD_ADJUST		3u	/* the clock += ADJ */
#define MQNIC_PTP_CMD_FREQ		4u	/* the rate = 1 + FREQ */
/* A latch: ns, s bits 31:0, s bits 47:32, VALID (bit 0). */
#define MQNIC_PTP_TS_NS			0x0
#define MQNIC_PTP_TS_SEC_LO		0x4
#define MQNIC_PTP_TS_SEC_HI		0x8
#define MQNIC_PTP_TS_VALID		0xC
/*
 * TX descriptor (first of an entry), bit 14 of the word at offset 0: latch
 * this frame's transmit time in PTP_TX_TS if it is a PTP event message.
 */
#define MQNIC_DESC_TX_TS		(1u << 14)

static_assert(sizeof(struct mqnic_desc) == 16, "descriptor is 16 bytes");
static_assert(offsetof(struct mqnic_desc, tx_csum_cmd) == 2, "desc csum");
static_assert(offsetof(struct mqnic_desc, tx_ip_csum_cmd) == 0, "desc ip csum");
static_assert(offsetof(struct mqnic_desc, len) == 4, "desc len");
static_assert(offsetof(struct mqnic_desc, addr) == 8, "desc addr");
static_assert(sizeof(struct mqnic_cpl) == 32, "completion is 32 bytes");
static_assert(offsetof(struct mqnic_cpl, index) == 2, "cpl index");
static_assert(offsetof(struct mqnic_cpl, len) == 4, "cpl len");
static_assert(offsetof(struct mqnic_cpl, status) == 6, "cpl status");
static_assert(offsetof(struct mqnic_cpl, ts_ns) == 8, "cpl ts_ns");
static_assert(offsetof(struct mqnic_cpl, rx_csum) == 14, "cpl rx_csum");
static_assert(offsetof(struct mqnic_cpl, rx_hash) == 16, "cpl rx_hash");
static_assert(offsetof(struct mqnic_cpl, rx_hash_type) == 20, "cpl hash type");
static_assert(offsetof(struct mqnic_cpl, port) == 21, "cpl port");
static_assert(MQNIC_IF_REG_RSS_KEY + MQNIC_RSS_KEY_SIZE <= MQNIC_IF_REG_RSS_TBL,
	"RSS key overlaps the indirection table");
static_assert(MQNIC_IF_REG_RSS_TBL + 4 * MQNIC_RSS_TBL_SIZE <= MQNIC_IF_REG_CNT,
	"indirection table overlaps the counters");
static_assert(MQNIC_IF_REG_CNT + 8 * MQNIC_CNT_NUM <= MQNIC_TXQ_OFFSET,
	"counters overlap the queue blocks");
static_assert(MQNIC_IF_REG_CNT + 8 * MQNIC_CNT_NUM <= MQNIC_IF_REG_QCNT &&
	MQNIC_QCNT_ADDR(1, MQNIC_MAX_QUEUES) <= MQNIC_TXQ_OFFSET &&
	8 * MQNIC_QCNT_NUM <= MQNIC_QCNT_STRIDE,
	"queue transfer counters overlap");
static_assert(MQNIC_MAX_QUEUES * MQNIC_QUEUE_STRIDE <=
	MQNIC_TXCQ_OFFSET - MQNIC_TXQ_OFFSET, "queue blocks overlap");
static_assert(MQNIC_RXCQ_OFFSET + MQNIC_MAX_QUEUES * MQNIC_QUEUE_STRIDE <=
	MQNIC_BAR0_SIZE, "queue blocks beyond BAR0");

#endif /* MQNIC_HW_H */
