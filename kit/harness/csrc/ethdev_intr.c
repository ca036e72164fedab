/*
 * Interrupts of an ethdev port for the ethdev suite (ethdev_intr.h): the LSC callback runs on EAL's interrupt
 * thread, the RX wait on a worker lcore, so both live here in C and report times measured where things happen.
 */
#include "dpdk_includes.h"

#include <rte_epoll.h>
#include <rte_interrupts.h>
#include <rte_launch.h>

#include "ethdev_intr.h"

#define KH_INTR_NO_PORT UINT16_MAX

static uint64_t
intr_us(uint64_t from, uint64_t to)
{
	return (to - from) * 1000000 / rte_get_timer_hz();
}

int
kh_intr_dev_lsc(uint16_t port)
{
	struct rte_eth_dev_info info;
	int rc = rte_eth_dev_info_get(port, &info);

	if (rc != 0)
		return rc;
	return info.dev_flags != NULL && (*info.dev_flags & RTE_ETH_DEV_INTR_LSC) ? 1 : 0;
}

/* -- link state change --------------------------------------------------------------------------------- */

/* Written by the callback on EAL's interrupt thread, read by the main lcore. */
static struct {
	uint16_t port;
	uint32_t events;
	uint64_t last_at;
	uint8_t last_status;
} intr_lsc = { .port = KH_INTR_NO_PORT };

static int
intr_lsc_cb(uint16_t port, enum rte_eth_event_type type, void *arg __rte_unused, void *ret_param __rte_unused)
{
	struct rte_eth_link link;

	if (type != RTE_ETH_EVENT_INTR_LSC || port != intr_lsc.port)
		return 0;
	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(port, &link) != 0)
		link.link_status = 0xff;
	intr_lsc.last_status = link.link_status;
	intr_lsc.last_at = rte_get_timer_cycles();
	/* the status and time above are visible to whoever sees the new count */
	__atomic_fetch_add(&intr_lsc.events, 1, __ATOMIC_RELEASE);
	return 0;
}

int
kh_intr_lsc_register(uint16_t port)
{
	int rc;

	if (intr_lsc.port != KH_INTR_NO_PORT)
		return -EBUSY;
	__atomic_store_n(&intr_lsc.events, 0, __ATOMIC_RELEASE);
	intr_lsc.port = port;
	rc = rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC, intr_lsc_cb, NULL);
	if (rc != 0)
		intr_lsc.port = KH_INTR_NO_PORT;
	return rc;
}

int
kh_intr_lsc_unregister(uint16_t port)
{
	int rc;

	if (intr_lsc.port != port)
		return -EINVAL;
	/* -EAGAIN while the callback runs: it ends soon */
	while ((rc = rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC, intr_lsc_cb, NULL)) == -EAGAIN)
		rte_delay_us_sleep(1000);
	intr_lsc.port = KH_INTR_NO_PORT;
	return rc;
}

uint32_t
kh_intr_lsc_events(void)
{
	return __atomic_load_n(&intr_lsc.events, __ATOMIC_ACQUIRE);
}

int
kh_intr_lsc_flip(uint16_t port, int up, unsigned int wait_ms, struct kh_intr_lsc_result *out)
{
	uint32_t before = kh_intr_lsc_events();
	uint64_t t0, end;
	struct rte_eth_link link;

	if (intr_lsc.port != port)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->latency_us = -1;
	out->after_status = 0xff;
	t0 = rte_get_timer_cycles();
	out->rc = up ? rte_eth_dev_set_link_up(port) : rte_eth_dev_set_link_down(port);
	if (out->rc != 0) {
		out->events = kh_intr_lsc_events();
		return 0;
	}
	/* asleep between looks: on two cores a spinning main lcore would delay the interrupt thread */
	end = t0 + rte_get_timer_hz() / 1000 * wait_ms;
	while (kh_intr_lsc_events() == before && rte_get_timer_cycles() < end)
		rte_delay_us_sleep(100);
	out->events = kh_intr_lsc_events();
	if (out->events == before)
		return 0;
	out->latency_us = (int64_t)intr_us(t0, intr_lsc.last_at);
	out->cb_status = intr_lsc.last_status;
	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(port, &link) == 0)
		out->after_status = link.link_status;
	return 0;
}

/* -- RX queue interrupts --------------------------------------------------------------------------------- */

int
kh_intr_rx_enable(uint16_t port, uint16_t q)
{
	return rte_eth_dev_rx_intr_enable(port, q);
}

int
kh_intr_rx_disable(uint16_t port, uint16_t q)
{
	return rte_eth_dev_rx_intr_disable(port, q);
}

int
kh_intr_rx_ctl(uint16_t port, uint16_t q, int add)
{
	return rte_eth_dev_rx_intr_ctl_q(port, q, RTE_EPOLL_PER_THREAD,
					 add ? RTE_INTR_EVENT_ADD : RTE_INTR_EVENT_DEL, NULL);
}

struct intr_waiter {
	uint16_t port;
	uint16_t q;
	unsigned int timeout_ms;
	uint32_t armed;         /* set once the queue is armed, just before the wait */
	uint32_t done;
	uint64_t armed_at;
	uint64_t woke_at;
	struct kh_intr_rx_result *out;
};

/* The worker lcore, as an l3fwd-power loop's sleep: arm, wait, disarm. */
static int
intr_rx_wait(void *arg)
{
	struct intr_waiter *w = arg;
	struct rte_epoll_event ev;
	int rc, n;

	rc = rte_eth_dev_rx_intr_ctl_q(w->port, w->q, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD, w);
	if (rc != 0) {
		w->out->stage = 1;
		w->out->rc = rc;
		goto out;
	}
	rc = rte_eth_dev_rx_intr_enable(w->port, w->q);
	if (rc != 0) {
		w->out->stage = 2;
		w->out->rc = rc;
		goto del;
	}
	w->armed_at = rte_get_timer_cycles();
	__atomic_store_n(&w->armed, 1, __ATOMIC_RELEASE);
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, (int)w->timeout_ms);
	w->woke_at = rte_get_timer_cycles();
	rte_eth_dev_rx_intr_disable(w->port, w->q);
	if (n < 0) {
		w->out->stage = 3;
		w->out->rc = n;
	} else {
		w->out->woke = n;
	}
del:
	rte_eth_dev_rx_intr_ctl_q(w->port, w->q, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, w);
out:
	__atomic_store_n(&w->armed, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return 0;
}

int
kh_intr_rx_round(uint16_t port, uint16_t q, struct rte_mempool *pool, const uint8_t *frame, uint16_t len,
		 unsigned int settle_ms, unsigned int timeout_ms, struct kh_intr_rx_result *out)
{
	static struct intr_waiter w;
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	struct rte_mbuf *m = NULL;
	uint64_t t0 = 0, end;
	uint8_t *d;

	if ((frame != NULL && (pool == NULL || len < 14)) || timeout_ms == 0 || timeout_ms > 60000)
		return -EINVAL;
	if (worker >= RTE_MAX_LCORE)
		return -ENODEV;
	if (frame != NULL) {
		/* made before the worker sleeps: the main lcore does nothing but send once it does */
		m = rte_pktmbuf_alloc(pool);
		if (m == NULL)
			return -ENOMEM;
		d = (uint8_t *)rte_pktmbuf_append(m, len);
		if (d == NULL) {
			rte_pktmbuf_free(m);
			return -EINVAL;
		}
		memcpy(d, frame, len);
	}
	memset(out, 0, sizeof(*out));
	out->wake_us = -1;
	memset(&w, 0, sizeof(w));
	w.port = port;
	w.q = q;
	w.timeout_ms = timeout_ms;
	w.out = out;
	if (rte_eal_remote_launch(intr_rx_wait, &w, worker) != 0) {
		rte_pktmbuf_free(m);
		return -EBUSY;
	}
	end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	while (!__atomic_load_n(&w.armed, __ATOMIC_ACQUIRE) && rte_get_timer_cycles() < end)
		rte_delay_us_sleep(100);
	if (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE)) {
		rte_delay_us_sleep(settle_ms * 1000);
		t0 = rte_get_timer_cycles();
		if (m != NULL) {
			out->sent = rte_eth_tx_burst(port, q, &m, 1);
			if (out->sent == 1)
				m = NULL;
		} else {
			t0 = w.armed_at;
		}
	}
	rte_pktmbuf_free(m);
	/* asleep while the worker runs: a spinning main lcore would take the core it needs */
	while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE))
		rte_delay_us_sleep(100);
	rte_eal_wait_lcore(worker);
	/* -2: it woke before the frame was sent, with nothing to wake it for */
	if (out->rc == 0 && out->woke > 0)
		out->wake_us = w.woke_at >= t0 ? (int64_t)intr_us(t0, w.woke_at) : -2;
	return 0;
}
