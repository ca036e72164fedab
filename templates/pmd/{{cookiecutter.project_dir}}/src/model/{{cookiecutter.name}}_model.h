/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * In-process model of the {{ cookiecutter.name }} NIC: a BAR0 in memory, laid out as in
 * REGISTERS.md, and a step function that does what the hardware would do
 * with it. The model knows nothing of ethdev; the sim front end owns it.
 * Steps may run in any process of the primary's group (the lock and the
 * state are in shared memory), on any lcore.
 */

#ifndef {{ cookiecutter.macro }}_MODEL_H
#define {{ cookiecutter.macro }}_MODEL_H

#include <stdbool.h>
#include <stdint.h>

enum {{ cookiecutter.name }}_wire {
	{{ cookiecutter.macro }}_WIRE_LOOPBACK,	/* what is sent comes back */
	{{ cookiecutter.macro }}_WIRE_GEN,		/* endless UDP frames in, sent frames dropped */
	{{ cookiecutter.macro }}_WIRE_SINK,	/* nothing in, sent frames dropped */
	{{ cookiecutter.macro }}_WIRE_PCAP,	/* frames of a pcap file in, once */
	{{ cookiecutter.macro }}_WIRE_PAIR,	/* cabled to another model */
	{{ cookiecutter.macro }}_WIRE_TAP,		/* a Linux TAP interface (primary only) */
};

#define {{ cookiecutter.macro }}_FAULT_LINK_DOWN	(1u << 0)	/* link drops */
#define {{ cookiecutter.macro }}_FAULT_BAD_CQE_LEN	(1u << 1)	/* RX completions too long */
#define {{ cookiecutter.macro }}_FAULT_CQ_OVERFLOW	(1u << 2)	/* RX completion queues full */
#define {{ cookiecutter.macro }}_FAULT_BAD_DMA	(1u << 3)	/* buffer addresses corrupted */
#define {{ cookiecutter.macro }}_FAULT_SLOW_DMA	(1u << 4)	/* RX DMA lands late */

struct {{ cookiecutter.name }}_model_cfg {
	const char *name;	/* unique; what a peer's pair= names */
	uint16_t nb_queues;
	uint8_t mac[6];
	enum {{ cookiecutter.name }}_wire wire;
	uint32_t gen_size;	/* frame length without FCS */
	uint32_t gen_flows;
	const char *pcap_in;
	const char *pcap_out;	/* every sent frame, any wire */
	const char *peer;
	const char *iface;	/* wire=tap's interface */
	bool link_up;
	uint32_t faults;	/* {{ cookiecutter.macro }}_FAULT_* */
	uint64_t fault_after;	/* frames handled before faults start */
};

struct {{ cookiecutter.name }}_model;

/*
 * Created and destroyed by the primary process only, in shared memory (a
 * memzone named after the port), so that secondaries can attach it.
 */
struct {{ cookiecutter.name }}_model *{{ cookiecutter.name }}_model_create(const struct {{ cookiecutter.name }}_model_cfg *cfg);
void {{ cookiecutter.name }}_model_destroy(struct {{ cookiecutter.name }}_model *m);
/* In a secondary: the model the primary created for port `name`, or NULL. */
struct {{ cookiecutter.name }}_model *{{ cookiecutter.name }}_model_attach(const char *name);
/*
 * Why m can be stepped in the primary process only (a resource that is the
 * primary's alone), or NULL if any process attached to it may step it.
 */
const char *{{ cookiecutter.name }}_model_primary_only(const struct {{ cookiecutter.name }}_model *m);
void *{{ cookiecutter.name }}_model_bar0(struct {{ cookiecutter.name }}_model *m);
/* Move frames arriving from the wire into RX queues. */
void {{ cookiecutter.name }}_model_step_rx(struct {{ cookiecutter.name }}_model *m, uint16_t qid);
/* Send what TX queue qid holds and complete its descriptors. */
void {{ cookiecutter.name }}_model_step_tx(struct {{ cookiecutter.name }}_model *m, uint16_t qid);
/*
 * The driver wrote the BAR0 register at `off`: what the NIC does at once
 * on such a write, which the model, whose BAR0 is plain memory, sees only
 * when told (PHY_CTRL: the link of the port and its peer; a completion
 * queue's EVENT_INDEX: an interrupt if armed with completions unread).
 */
void {{ cookiecutter.name }}_model_reg_written(struct {{ cookiecutter.name }}_model *m, uint32_t off);
/*
 * Bind interrupt vector vec to eventfd fd (-1: none), as VFIO binds an
 * MSI-X vector; only steps in the calling process signal it.
 */
int {{ cookiecutter.name }}_model_irq_set(struct {{ cookiecutter.name }}_model *m, uint32_t vec, int fd);

#endif /* {{ cookiecutter.macro }}_MODEL_H */
