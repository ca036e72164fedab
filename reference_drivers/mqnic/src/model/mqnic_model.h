/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * In-process model of the mqnic NIC: a BAR0 in memory, laid out as in
 * REGISTERS.md, and a step function that does what the hardware would do
 * with it. The model knows nothing of ethdev; the sim front end owns it.
 * Steps may run in any process of the primary's group (the lock and the
 * state are in shared memory), on any lcore.
 */

#ifndef MQNIC_MODEL_H
#define MQNIC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

enum mqnic_wire {
	MQNIC_WIRE_LOOPBACK,	/* what is sent comes back */
	MQNIC_WIRE_GEN,		/* endless UDP frames in, sent frames dropped */
	MQNIC_WIRE_SINK,	/* nothing in, sent frames dropped */
	MQNIC_WIRE_PCAP,	/* frames of a pcap file in, once */
	MQNIC_WIRE_PAIR,	/* cabled to another model */
	MQNIC_WIRE_TAP,		/* a Linux TAP interface (primary only) */
};

#define MQNIC_FAULT_LINK_DOWN	(1u << 0)	/* link drops */
#define MQNIC_FAULT_BAD_CQE_LEN	(1u << 1)	/* RX completions too long */
#define MQNIC_FAULT_CQ_OVERFLOW	(1u << 2)	/* RX completion queues full */
#define MQNIC_FAULT_BAD_DMA	(1u << 3)	/* buffer addresses corrupted */
#define MQNIC_FAULT_SLOW_DMA	(1u << 4)	/* RX DMA lands late */

struct mqnic_model_cfg {
	const char *name;	/* unique; what a peer's pair= names */
	uint16_t nb_queues;
	uint8_t mac[6];
	enum mqnic_wire wire;
	uint32_t gen_size;	/* frame length without FCS */
	uint32_t gen_flows;
	const char *pcap_in;
	const char *pcap_out;	/* every sent frame, any wire */
	const char *peer;
	const char *iface;	/* wire=tap's interface */
	bool link_up;
	uint32_t faults;	/* MQNIC_FAULT_* */
	uint64_t fault_after;	/* frames handled before faults start */
};

struct mqnic_model;

/*
 * Created and destroyed by the primary process only, in shared memory (a
 * memzone named after the port), so that secondaries can attach it.
 */
struct mqnic_model *mqnic_model_create(const struct mqnic_model_cfg *cfg);
void mqnic_model_destroy(struct mqnic_model *m);
/* In a secondary: the model the primary created for port `name`, or NULL. */
struct mqnic_model *mqnic_model_attach(const char *name);
/*
 * Why m can be stepped in the primary process only (a resource that is the
 * primary's alone), or NULL if any process attached to it may step it.
 */
const char *mqnic_model_primary_only(const struct mqnic_model *m);
void *mqnic_model_bar0(struct mqnic_model *m);
/* Move frames arriving from the wire into RX queues. */
void mqnic_model_step_rx(struct mqnic_model *m, uint16_t qid);
/* Send what TX queue qid holds and complete its descriptors. */
void mqnic_model_step_tx(struct mqnic_model *m, uint16_t qid);
/*
 * The driver wrote the BAR0 register at `off`: what the NIC does at once
 * on such a write, which the model, whose BAR0 is plain memory, sees only
 * when told (PHY_CTRL: the link of the port and its peer; a completion
 * queue's EVENT_INDEX: an interrupt if armed with completions unread).
 */
void mqnic_model_reg_written(struct mqnic_model *m, uint32_t off);
/*
 * Bind interrupt vector vec to eventfd fd (-1: none), as VFIO binds an
 * MSI-X vector; only steps in the calling process signal it.
 */
int mqnic_model_irq_set(struct mqnic_model *m, uint32_t vec, int fd);

#endif /* MQNIC_MODEL_H */
