/* SPDX-License-Identifier: BSD-3-Clause
 * The harness's per-queue ethdev calls: see ethdev_queues.h. */
#include "dpdk_includes.h"
#include "ethdev_queues.h"

int kh_eth_rxq_info(uint16_t port, uint16_t q, struct kh_rxq_info *out)
{
	struct rte_eth_rxq_info qi;
	int rc;

	memset(&qi, 0, sizeof(qi));
	rc = rte_eth_rx_queue_info_get(port, q, &qi);
	if (rc != 0)
		return rc;
	out->mp = (uintptr_t)qi.mp;
	out->offloads = qi.conf.offloads;
	out->nb_desc = qi.nb_desc;
	out->rx_buf_size = qi.rx_buf_size;
	out->deferred_start = qi.conf.rx_deferred_start;
	out->scattered_rx = qi.scattered_rx;
	out->queue_state = qi.queue_state;
	return 0;
}

int kh_eth_txq_info(uint16_t port, uint16_t q, struct kh_txq_info *out)
{
	struct rte_eth_txq_info qi;
	int rc;

	memset(&qi, 0, sizeof(qi));
	rc = rte_eth_tx_queue_info_get(port, q, &qi);
	if (rc != 0)
		return rc;
	out->offloads = qi.conf.offloads;
	out->nb_desc = qi.nb_desc;
	out->deferred_start = qi.conf.tx_deferred_start;
	out->queue_state = qi.queue_state;
	return 0;
}

int kh_eth_rx_queue_setup_deferred(uint16_t port, uint16_t q, uint16_t nb_desc, int socket,
				   struct rte_mempool *mp)
{
	struct rte_eth_dev_info info;
	struct rte_eth_rxconf rxc;
	int rc = rte_eth_dev_info_get(port, &info);

	if (rc != 0)
		return rc;
	rxc = info.default_rxconf;
	rxc.rx_deferred_start = 1;
	return rte_eth_rx_queue_setup(port, q, nb_desc, socket, &rxc, mp);
}

int kh_eth_tx_queue_setup_deferred(uint16_t port, uint16_t q, uint16_t nb_desc, int socket)
{
	struct rte_eth_dev_info info;
	struct rte_eth_txconf txc;
	int rc = rte_eth_dev_info_get(port, &info);

	if (rc != 0)
		return rc;
	txc = info.default_txconf;
	txc.tx_deferred_start = 1;
	return rte_eth_tx_queue_setup(port, q, nb_desc, socket, &txc);
}

int kh_eth_queue_state_set(uint16_t port, uint16_t q, int is_tx, int start)
{
	if (is_tx)
		return start ? rte_eth_dev_tx_queue_start(port, q) : rte_eth_dev_tx_queue_stop(port, q);
	return start ? rte_eth_dev_rx_queue_start(port, q) : rte_eth_dev_rx_queue_stop(port, q);
}

int kh_eth_rx_queue_count(uint16_t port, uint16_t q)
{
	return rte_eth_rx_queue_count(port, q);
}

int kh_eth_rx_descriptor_status(uint16_t port, uint16_t q, uint16_t offset)
{
	return rte_eth_rx_descriptor_status(port, q, offset);
}

int kh_eth_tx_descriptor_status(uint16_t port, uint16_t q, uint16_t offset)
{
	return rte_eth_tx_descriptor_status(port, q, offset);
}

/* How many of the n mbufs tx_prepare accepts; the first refused one's rte_errno as -errno when none is. */
int kh_eth_tx_prepare(uint16_t port, uint16_t q, uintptr_t *mbufs, uint16_t n)
{
	uint16_t ok;

	rte_errno = 0;
	ok = rte_eth_tx_prepare(port, q, (struct rte_mbuf **)mbufs, n);
	if (ok == 0 && n > 0)
		return rte_errno > 0 ? -rte_errno : -EINVAL;
	return ok;
}

int kh_eth_adjust_nb_desc(uint16_t port, uint16_t *nb_rx, uint16_t *nb_tx)
{
	return rte_eth_dev_adjust_nb_rx_tx_desc(port, nb_rx, nb_tx);
}
