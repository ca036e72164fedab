/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

#ifndef MQNIC_RXTX_H
#define MQNIC_RXTX_H

/*
 * What the control path (mqnic_ethdev.c) calls in the datapath
 * (mqnic_rxtx.c) besides the burst functions mqnic.h declares.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "mqnic.h"
#include "mqnic_compat.h"

/* The mbuf's rearm_data word, addressed by offset (it is a zero-size marker). */
#define MQNIC_REARM_OFF		offsetof(struct rte_mbuf, rearm_data)

/* Post buffers to an RX ring's free slots (queue start, after a receive). */
void mqnic_rx_refill(struct mqnic_ring *rxq);
void mqnic_rx_refill_blocks(struct mqnic_ring *rxq);

/* eth_dev_ops and the queue status callbacks of rte_eth_dev. */
int mqnic_tx_done_cleanup(void *txq, uint32_t free_cnt);
mqnic_rx_queue_count_t mqnic_rx_queue_count(void *rxq);
int mqnic_rx_descriptor_status(void *rxq, uint16_t offset);
int mqnic_tx_descriptor_status(void *txq, uint16_t offset);

#endif /* MQNIC_RXTX_H */
