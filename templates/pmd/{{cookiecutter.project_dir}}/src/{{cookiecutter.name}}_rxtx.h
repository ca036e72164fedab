/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

#ifndef {{ cookiecutter.macro }}_RXTX_H
#define {{ cookiecutter.macro }}_RXTX_H

/*
 * What the control path ({{ cookiecutter.name }}_ethdev.c) calls in the datapath
 * ({{ cookiecutter.name }}_rxtx.c) besides the burst functions {{ cookiecutter.name }}.h declares.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "{{ cookiecutter.name }}.h"
#include "{{ cookiecutter.name }}_compat.h"

/* The mbuf's rearm_data word, addressed by offset (it is a zero-size marker). */
#define {{ cookiecutter.macro }}_REARM_OFF		offsetof(struct rte_mbuf, rearm_data)

/* Post buffers to an RX ring's free slots (queue start, after a receive). */
void {{ cookiecutter.name }}_rx_refill(struct {{ cookiecutter.name }}_ring *rxq);
void {{ cookiecutter.name }}_rx_refill_blocks(struct {{ cookiecutter.name }}_ring *rxq);

/* eth_dev_ops and the queue status callbacks of rte_eth_dev. */
int {{ cookiecutter.name }}_tx_done_cleanup(void *txq, uint32_t free_cnt);
{{ cookiecutter.name }}_rx_queue_count_t {{ cookiecutter.name }}_rx_queue_count(void *rxq);
int {{ cookiecutter.name }}_rx_descriptor_status(void *rxq, uint16_t offset);
int {{ cookiecutter.name }}_tx_descriptor_status(void *txq, uint16_t offset);

#endif /* {{ cookiecutter.macro }}_RXTX_H */
