/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * Sim front end: a vdev that creates a model of the NIC and hands its
 * register space to the same core the PCI front end uses. The burst
 * functions wrap the core's: the model is stepped synchronously, before an
 * RX burst (frames arrive) and after a TX burst (frames leave), so runs are
 * deterministic and need no extra core.
 *
 * Secondary processes: the primary creates the model in shared memory and
 * owns it (only its close destroys it). A secondary attaches the port the
 * primary made and its bursts step the model like the primary's, under the
 * model's shared lock, so a secondary forwarding on its own queues moves
 * frames whatever the primary does; stats and xstats read the same shared
 * queues and BAR0. A port with pcap_out= is the exception: the file is
 * written through the primary's stdio stream, so a secondary attaches it
 * (stats, xstats, dpdk-dumpcap) but its bursts move nothing.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <bus_vdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_interrupts.h>
#include <rte_kvargs.h>

#include "{{ cookiecutter.name }}.h"
#include "model/{{ cookiecutter.name }}_model.h"
#include "model/{{ cookiecutter.name }}_tap.h"

#define SIM_ARG_QUEUES		"queues"
#define SIM_ARG_RXD		"rxd"
#define SIM_ARG_TXD		"txd"
#define SIM_ARG_MAC		"mac"
#define SIM_ARG_WIRE		"wire"
#define SIM_ARG_GEN_SIZE	"gen_size"
#define SIM_ARG_GEN_FLOWS	"gen_flows"
#define SIM_ARG_PCAP_IN		"pcap_in"
#define SIM_ARG_PCAP_OUT	"pcap_out"
#define SIM_ARG_PAIR		"pair"
#define SIM_ARG_LINK		"link"
#define SIM_ARG_FAULT		"fault"
#define SIM_ARG_FAULT_AFTER	"fault_after"
#define SIM_ARG_IFACE		"iface"

static const char * const sim_valid_args[] = {
	SIM_ARG_QUEUES, SIM_ARG_RXD, SIM_ARG_TXD, SIM_ARG_MAC, SIM_ARG_WIRE,
	SIM_ARG_GEN_SIZE, SIM_ARG_GEN_FLOWS, SIM_ARG_PCAP_IN, SIM_ARG_PCAP_OUT,
	SIM_ARG_PAIR, SIM_ARG_LINK, SIM_ARG_FAULT, SIM_ARG_FAULT_AFTER,
	SIM_ARG_IFACE, NULL
};

static const char * const sim_wire_names[] = {
	[{{ cookiecutter.macro }}_WIRE_LOOPBACK] = "loopback",
	[{{ cookiecutter.macro }}_WIRE_GEN] = "gen",
	[{{ cookiecutter.macro }}_WIRE_SINK] = "sink",
	[{{ cookiecutter.macro }}_WIRE_PCAP] = "pcap",
	[{{ cookiecutter.macro }}_WIRE_PAIR] = "pair",
	[{{ cookiecutter.macro }}_WIRE_TAP] = "tap",
};

static const struct {
	const char *name;
	uint32_t bit;
} sim_faults[] = {
	{ "link_down", {{ cookiecutter.macro }}_FAULT_LINK_DOWN },
	{ "bad_cqe_len", {{ cookiecutter.macro }}_FAULT_BAD_CQE_LEN },
	{ "cq_overflow", {{ cookiecutter.macro }}_FAULT_CQ_OVERFLOW },
	{ "bad_dma", {{ cookiecutter.macro }}_FAULT_BAD_DMA },
	{ "slow_dma", {{ cookiecutter.macro }}_FAULT_SLOW_DMA },
};

struct sim_args {
	struct {{ cookiecutter.name }}_model_cfg cfg;
	uint32_t queues;
	uint32_t rxd;
	uint32_t txd;
};

/* Each sim port gets its own locally administered default MAC. */
static uint8_t sim_instances;

static int
sim_arg_u32(const char *key __rte_unused, const char *val, void *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno != 0 || end == val || *end != '\0' || v > UINT32_MAX)
		return -EINVAL;
	*(uint32_t *)out = v;
	return 0;
}

static int
sim_arg_u64(const char *key __rte_unused, const char *val, void *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(val, &end, 0);
	if (errno != 0 || end == val || *end != '\0')
		return -EINVAL;
	*(uint64_t *)out = v;
	return 0;
}

static int
sim_arg_str(const char *key __rte_unused, const char *val, void *out)
{
	if (*val == '\0')
		return -EINVAL;
	*(const char **)out = val;
	return 0;
}

static int
sim_arg_mac(const char *key __rte_unused, const char *val, void *out)
{
	struct rte_ether_addr mac;

	if (rte_ether_unformat_addr(val, &mac) != 0 ||
			!rte_is_valid_assigned_ether_addr(&mac))
		return -EINVAL;
	memcpy(out, mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	return 0;
}

static int
sim_arg_wire(const char *key __rte_unused, const char *val, void *out)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(sim_wire_names); i++) {
		if (strcmp(val, sim_wire_names[i]) == 0) {
			*(enum {{ cookiecutter.name }}_wire *)out = i;
			return 0;
		}
	}
	return -EINVAL;
}

static int
sim_arg_link(const char *key __rte_unused, const char *val, void *out)
{
	if (strcmp(val, "up") == 0)
		*(bool *)out = true;
	else if (strcmp(val, "down") == 0)
		*(bool *)out = false;
	else
		return -EINVAL;
	return 0;
}

/* fault= may repeat: the faults add up. */
static int
sim_arg_fault(const char *key __rte_unused, const char *val, void *out)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(sim_faults); i++) {
		if (strcmp(val, sim_faults[i].name) == 0) {
			*(uint32_t *)out |= sim_faults[i].bit;
			return 0;
		}
	}
	return -EINVAL;
}

static bool
sim_ring_size_ok(uint32_t n)
{
	return rte_is_power_of_2(n) && n >= (1u << {{ cookiecutter.macro }}_MIN_LOG_RING_SIZE) &&
		n <= (1u << {{ cookiecutter.macro }}_MAX_LOG_RING_SIZE);
}

static int
sim_parse_args(const char *name, const char *params, struct rte_kvargs *kv,
	struct sim_args *a)
{
	const struct {
		const char *key;
		arg_handler_t fn;
		void *out;
	} h[] = {
		{ SIM_ARG_QUEUES, sim_arg_u32, &a->queues },
		{ SIM_ARG_RXD, sim_arg_u32, &a->rxd },
		{ SIM_ARG_TXD, sim_arg_u32, &a->txd },
		{ SIM_ARG_MAC, sim_arg_mac, a->cfg.mac },
		{ SIM_ARG_WIRE, sim_arg_wire, &a->cfg.wire },
		{ SIM_ARG_GEN_SIZE, sim_arg_u32, &a->cfg.gen_size },
		{ SIM_ARG_GEN_FLOWS, sim_arg_u32, &a->cfg.gen_flows },
		{ SIM_ARG_PCAP_IN, sim_arg_str, &a->cfg.pcap_in },
		{ SIM_ARG_PCAP_OUT, sim_arg_str, &a->cfg.pcap_out },
		{ SIM_ARG_PAIR, sim_arg_str, &a->cfg.peer },
		{ SIM_ARG_IFACE, sim_arg_str, &a->cfg.iface },
		{ SIM_ARG_LINK, sim_arg_link, &a->cfg.link_up },
		{ SIM_ARG_FAULT, sim_arg_fault, &a->cfg.faults },
		{ SIM_ARG_FAULT_AFTER, sim_arg_u64, &a->cfg.fault_after },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(h); i++) {
		if (rte_kvargs_process(kv, h[i].key, h[i].fn, h[i].out) < 0) {
			PMD_LOG(ERR, "%s: bad value for %s in \"%s\"", name,
				h[i].key, params);
			return -EINVAL;
		}
	}
	if (a->queues == 0 || a->queues > {{ cookiecutter.macro }}_MAX_QUEUES ||
			!sim_ring_size_ok(a->rxd) || !sim_ring_size_ok(a->txd)) {
		PMD_LOG(ERR, "%s: queues must be 1..%u, rxd/txd powers of 2 "
			"in %u..%u", name, {{ cookiecutter.macro }}_MAX_QUEUES,
			1u << {{ cookiecutter.macro }}_MIN_LOG_RING_SIZE,
			1u << {{ cookiecutter.macro }}_MAX_LOG_RING_SIZE);
		return -EINVAL;
	}
	if ((a->cfg.wire == {{ cookiecutter.macro }}_WIRE_PAIR) != (a->cfg.peer != NULL) ||
			(a->cfg.wire == {{ cookiecutter.macro }}_WIRE_PCAP && a->cfg.pcap_in == NULL)) {
		PMD_LOG(ERR, "%s: wire=pair needs pair=<port>, wire=pcap "
			"needs pcap_in=<file>", name);
		return -EINVAL;
	}
	if (a->cfg.wire == {{ cookiecutter.macro }}_WIRE_TAP && a->cfg.iface == NULL) {
		PMD_LOG(ERR, "%s: wire=tap needs iface=<interface name>",
			name);
		return -EINVAL;
	}
	/* As gen_size is for wire=gen: accepted, unused on other wires. */
	if (a->cfg.wire != {{ cookiecutter.macro }}_WIRE_TAP && a->cfg.iface != NULL)
		PMD_LOG(WARNING, "%s: iface= is ignored without wire=tap",
			name);
	if (a->cfg.iface != NULL &&
			strlen(a->cfg.iface) >= {{ cookiecutter.macro }}_TAP_NAMESIZE) {
		PMD_LOG(ERR, "%s: iface=%s is longer than an interface name "
			"can be (%u characters)", name, a->cfg.iface,
			{{ cookiecutter.macro }}_TAP_NAMESIZE - 1);
		return -EINVAL;
	}
	if (a->cfg.peer != NULL && strcmp(a->cfg.peer, name) == 0) {
		PMD_LOG(ERR, "%s: cannot pair a port with itself", name);
		return -EINVAL;
	}
	return 0;
}

/*
 * The core's burst functions with the model stepped around them: before a
 * receive (the NIC delivers what arrived), after a transmit (it sends what the
 * doorbell posted). One wrapper per core function dev_start may choose.
 */
#define {{ cookiecutter.macro }}_SIM_RX(sim, core) \
static uint16_t \
sim(void *queue, struct rte_mbuf **pkts, uint16_t n) \
{ \
	struct {{ cookiecutter.name }}_ring *rxq = queue; \
\
	{{ cookiecutter.name }}_model_step_rx(rxq->fe, rxq->qid); \
	return core(queue, pkts, n); \
}
#define {{ cookiecutter.macro }}_SIM_TX(sim, core) \
static uint16_t \
sim(void *queue, struct rte_mbuf **pkts, uint16_t n) \
{ \
	struct {{ cookiecutter.name }}_ring *txq = queue; \
	uint16_t sent = core(queue, pkts, n); \
\
	{{ cookiecutter.name }}_model_step_tx(txq->fe, txq->qid); \
	return sent; \
}

{{ cookiecutter.macro }}_SIM_RX({{ cookiecutter.name }}_sim_rx, {{ cookiecutter.name }}_recv_pkts)
{{ cookiecutter.macro }}_SIM_RX({{ cookiecutter.name }}_sim_rx_csum, {{ cookiecutter.name }}_recv_pkts_csum)
{{ cookiecutter.macro }}_SIM_RX({{ cookiecutter.name }}_sim_rx_scattered, {{ cookiecutter.name }}_recv_scattered_pkts)
{{ cookiecutter.macro }}_SIM_TX({{ cookiecutter.name }}_sim_tx, {{ cookiecutter.name }}_xmit_pkts)
{{ cookiecutter.macro }}_SIM_TX({{ cookiecutter.name }}_sim_tx_offload, {{ cookiecutter.name }}_xmit_pkts_offload)

static const struct {
	eth_rx_burst_t core, sim;
} {{ cookiecutter.name }}_sim_rx_wrappers[] = {
	{ {{ cookiecutter.name }}_recv_pkts, {{ cookiecutter.name }}_sim_rx },
	{ {{ cookiecutter.name }}_recv_pkts_csum, {{ cookiecutter.name }}_sim_rx_csum },
	{ {{ cookiecutter.name }}_recv_scattered_pkts, {{ cookiecutter.name }}_sim_rx_scattered },
};

static const struct {
	eth_tx_burst_t core, sim;
} {{ cookiecutter.name }}_sim_tx_wrappers[] = {
	{ {{ cookiecutter.name }}_xmit_pkts, {{ cookiecutter.name }}_sim_tx },
	{ {{ cookiecutter.name }}_xmit_pkts_offload, {{ cookiecutter.name }}_sim_tx_offload },
};

/* The core chose its burst functions (dev_start): wrap them. */
static void
{{ cookiecutter.name }}_sim_bursts(struct rte_eth_dev *dev)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM({{ cookiecutter.name }}_sim_rx_wrappers); i++)
		if (dev->rx_pkt_burst == {{ cookiecutter.name }}_sim_rx_wrappers[i].core)
			dev->rx_pkt_burst = {{ cookiecutter.name }}_sim_rx_wrappers[i].sim;
	for (i = 0; i < RTE_DIM({{ cookiecutter.name }}_sim_tx_wrappers); i++)
		if (dev->tx_pkt_burst == {{ cookiecutter.name }}_sim_tx_wrappers[i].core)
			dev->tx_pkt_burst = {{ cookiecutter.name }}_sim_tx_wrappers[i].sim;
}

/* A secondary's bursts on a port only the primary may step. */
static uint16_t
{{ cookiecutter.name }}_sim_no_burst(void *queue __rte_unused,
	struct rte_mbuf **pkts __rte_unused, uint16_t n __rte_unused)
{
	return 0;
}

/* The model acts on the register writes hardware acts on at once. */
static void
{{ cookiecutter.name }}_sim_reg_written(struct rte_eth_dev *dev, uint32_t off)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;

	{{ cookiecutter.name }}_model_reg_written(priv->fe, off);
}

static void
{{ cookiecutter.name }}_sim_irq_free(struct rte_eth_dev *dev)
{
	struct rte_intr_handle *h = dev->intr_handle;
	int i, fd;

	if (h == NULL)
		return;
	fd = rte_intr_fd_get(h);
	if (fd >= 0)
		close(fd);
	for (i = 0; i < rte_intr_nb_efd_get(h); i++) {
		fd = rte_intr_efds_index_get(h, i);
		if (fd >= 0)
			close(fd);
	}
	rte_intr_instance_free(h);
	dev->intr_handle = NULL;
}

/*
 * Interrupts as VFIO gives a PCI device's: an eventfd per vector, bound to
 * the model's vector (vector 0: link changes; 1 + q: RX completion queue q,
 * RTE_INTR_VEC_RXTX_OFFSET + q as ethdev numbers them). The handle's fd is
 * vector 0's, for EAL's interrupt thread; its efds are the RX queues', for
 * rte_eth_dev_rx_intr_ctl_q. VDEV type with an 8-byte counter: EAL reads
 * the RX eventfds itself when they wake an rte_epoll_wait.
 */
static int
{{ cookiecutter.name }}_sim_irq_init(struct rte_eth_dev *dev, struct {{ cookiecutter.name }}_model *model,
	uint16_t nb_queues)
{
	struct rte_intr_handle *h;
	uint16_t q;
	int fd;

	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL)
		return -ENOMEM;
	dev->intr_handle = h;
	if (rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
			rte_intr_efd_counter_size_set(h, sizeof(uint64_t)) != 0)
		goto fail;
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0 || rte_intr_fd_set(h, fd) != 0)
		goto fail;
	{{ cookiecutter.name }}_model_irq_set(model, 0, fd);
	for (q = 0; q < nb_queues; q++) {
		fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fd < 0 || rte_intr_efds_index_set(h, q, fd) != 0 ||
				rte_intr_nb_efd_set(h, q + 1) != 0) {
			if (fd >= 0)
				close(fd);
			goto fail;
		}
		{{ cookiecutter.name }}_model_irq_set(model, RTE_INTR_VEC_RXTX_OFFSET + q, fd);
	}
	if (rte_intr_max_intr_set(h, nb_queues + 1) != 0)
		goto fail;
	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC;
	return 0;
fail:
	{{ cookiecutter.name }}_sim_irq_free(dev);
	return -ENOMEM;
}

/* Called by the core's close once the queues are gone (primary only). */
static void
{{ cookiecutter.name }}_sim_close(struct rte_eth_dev *dev)
{
	struct {{ cookiecutter.name }}_priv *priv = dev->data->dev_private;

	{{ cookiecutter.name }}_model_destroy(priv->fe);
	priv->fe = NULL;
	{{ cookiecutter.name }}_sim_irq_free(dev);
}

/*
 * Secondary process: the port and its model are the primary's, in shared
 * memory; only the burst functions and ops are this process's own.
 */
static int
{{ cookiecutter.name }}_sim_attach(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct {{ cookiecutter.name }}_model *model;
	struct rte_eth_dev *dev;
	struct {{ cookiecutter.name }}_priv *priv;
	const char *why;

	dev = rte_eth_dev_attach_secondary(name);
	if (dev == NULL) {
		PMD_LOG(ERR, "%s: the primary process has no such port", name);
		return -ENODEV;
	}
	priv = dev->data->dev_private;
	model = {{ cookiecutter.name }}_model_attach(name);
	if (model == NULL || model != priv->fe) {
		PMD_LOG(ERR, "%s: the primary process has no model for it",
			name);
		rte_eth_dev_release_port(dev);
		return -ENODEV;
	}
	dev->device = &vdev->device;
	{{ cookiecutter.name }}_dev_init(dev, NULL);	/* ops and datapath functions only */
	why = {{ cookiecutter.name }}_model_primary_only(model);
	if (why != NULL) {
		PMD_LOG(WARNING, "%s: bursts move nothing in a secondary "
			"process: %s", name, why);
		dev->rx_pkt_burst = {{ cookiecutter.name }}_sim_no_burst;
		dev->tx_pkt_burst = {{ cookiecutter.name }}_sim_no_burst;
	} else {
		/* The paths the primary's configuration asks for. */
		{{ cookiecutter.name }}_select_bursts(dev);
		{{ cookiecutter.name }}_sim_bursts(dev);
	}
	rte_eth_dev_probing_finish(dev);
	return 0;
}

static int
{{ cookiecutter.name }}_sim_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const char *params = rte_vdev_device_args(vdev);
	struct sim_args a = {
		.cfg = {
			.name = name,
			.mac = { 0x{{ cookiecutter.mac.lower().split(':')[:5] | join(', 0x') }},
				{% if cookiecutter.mac.lower()[15:] == '00' %}sim_instances{% else %}(uint8_t)(0x{{ cookiecutter.mac.lower()[15:] }} + sim_instances){% endif %} },
			.wire = {{ cookiecutter.macro }}_WIRE_LOOPBACK,
			.gen_size = 64,
			.gen_flows = 1,
			.link_up = true,
		},
		.queues = 4,
		.rxd = {{ cookiecutter.macro }}_DEFAULT_RING_SIZE,
		.txd = {{ cookiecutter.macro }}_DEFAULT_RING_SIZE,
	};
	struct rte_kvargs *kv = NULL;
	struct {{ cookiecutter.name }}_model *model;
	struct rte_eth_dev *dev;
	struct {{ cookiecutter.name }}_priv *priv;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return {{ cookiecutter.name }}_sim_attach(vdev);
	if (params != NULL && params[0] != '\0') {
		kv = rte_kvargs_parse(params, sim_valid_args);
		if (kv == NULL) {
			PMD_LOG(ERR, "%s: unknown or malformed devargs \"%s\"",
				name, params);
			return -EINVAL;
		}
		ret = sim_parse_args(name, params, kv, &a);
		if (ret != 0)
			goto out;
	}
	/* Set here, not in sim_parse_args: a port may have no devargs. */
	a.cfg.nb_queues = a.queues;
	model = {{ cookiecutter.name }}_model_create(&a.cfg);
	if (model == NULL) {
		ret = -EINVAL;
		goto out;
	}
	dev = rte_eth_vdev_allocate(vdev, sizeof(struct {{ cookiecutter.name }}_priv));
	if (dev == NULL) {
		{{ cookiecutter.name }}_model_destroy(model);
		ret = -ENOMEM;
		goto out;
	}
	priv = dev->data->dev_private;
	priv->fe = model;
	priv->fe_close = {{ cookiecutter.name }}_sim_close;
	priv->fe_bursts = {{ cookiecutter.name }}_sim_bursts;
	priv->fe_reg_written = {{ cookiecutter.name }}_sim_reg_written;
	priv->default_rxd = a.rxd;
	priv->default_txd = a.txd;
	ret = {{ cookiecutter.name }}_dev_init(dev, {{ cookiecutter.name }}_model_bar0(model));
	if (ret == 0)
		ret = {{ cookiecutter.name }}_sim_irq_init(dev, model, a.queues);
	if (ret != 0) {
		{{ cookiecutter.name }}_sim_irq_free(dev);
		rte_eth_dev_release_port(dev);
		{{ cookiecutter.name }}_model_destroy(model);
		goto out;
	}
	dev->rx_pkt_burst = {{ cookiecutter.name }}_sim_rx;
	dev->tx_pkt_burst = {{ cookiecutter.name }}_sim_tx;
	sim_instances++;
	rte_eth_dev_probing_finish(dev);
out:
	rte_kvargs_free(kv);
	return ret;
}

static int
{{ cookiecutter.name }}_sim_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0;	/* already closed by the application */
	/* A secondary lets go of the port; the primary's stays as it is. */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return rte_eth_dev_release_port(dev);
	if (dev->data->dev_started)
		rte_eth_dev_stop(dev->data->port_id);
	return rte_eth_dev_close(dev->data->port_id);
}

static struct rte_vdev_driver {{ cookiecutter.name }}_sim_driver = {
	.probe = {{ cookiecutter.name }}_sim_probe,
	.remove = {{ cookiecutter.name }}_sim_remove,
};

RTE_PMD_REGISTER_VDEV(net_{{ cookiecutter.name }}_sim, {{ cookiecutter.name }}_sim_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_{{ cookiecutter.name }}_sim,
	SIM_ARG_QUEUES "=<1-{{ cookiecutter.max_queues }}> "
	SIM_ARG_RXD "=<64-32768> "
	SIM_ARG_TXD "=<64-32768> "
	SIM_ARG_MAC "=<xx:xx:xx:xx:xx:xx> "
	SIM_ARG_WIRE "=loopback|gen|sink|pcap|pair|tap "
	SIM_ARG_GEN_SIZE "=<42-9018> "
	SIM_ARG_GEN_FLOWS "=<int> "
	SIM_ARG_PCAP_IN "=<file> "
	SIM_ARG_PCAP_OUT "=<file> "
	SIM_ARG_PAIR "=<port_name> "
	SIM_ARG_IFACE "=<interface> "
	SIM_ARG_LINK "=up|down "
	SIM_ARG_FAULT "=link_down|bad_cqe_len|cq_overflow|bad_dma|slow_dma "
	SIM_ARG_FAULT_AFTER "=<int>");
