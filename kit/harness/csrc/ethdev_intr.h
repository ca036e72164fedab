/*
 * Interrupts of an ethdev port for the ethdev suite (prefix kh_intr_): a link-state-change callback that
 * records what it saw, a link flip timed until that callback runs, and an RX queue interrupt waited for by a
 * worker lcore asleep in rte_epoll_wait (E29). Like harness.h, a C header and cffi cdef input: plain
 * declarations only. Functions return 0 on success and a negative errno on failure.
 */

/* 1 if the port's dev_flags have RTE_ETH_DEV_INTR_LSC, 0 if not, negative errno. */
int kh_intr_dev_lsc(uint16_t port);

/* Register (or drop) the LSC callback of port (rte_eth_dev_callback_register, RTE_ETH_EVENT_INTR_LSC). One
 * port at a time; registering resets what it counted. */
int kh_intr_lsc_register(uint16_t port);
int kh_intr_lsc_unregister(uint16_t port);
/* LSC events the callback saw since it was registered. */
uint32_t kh_intr_lsc_events(void);

struct kh_intr_lsc_result {
    int32_t rc;              /* rte_eth_dev_set_link_up/down's answer */
    uint32_t events;         /* events counted once the wait ended */
    int64_t latency_us;      /* from the call to the first new event; -1 if none came within wait_ms */
    uint8_t cb_status;       /* the link status rte_eth_link_get_nowait gave inside that callback */
    uint8_t after_status;    /* and right after it returned, on the calling lcore (0xff: not read) */
};

/* rte_eth_dev_set_link_up (up != 0) or _down, then wait up to wait_ms for an LSC event. */
int kh_intr_lsc_flip(uint16_t port, int up, unsigned int wait_ms, struct kh_intr_lsc_result *out);

/* rte_eth_dev_rx_intr_enable / _disable, rte_eth_dev_rx_intr_ctl_q (add: 1, del: 0) on the calling thread. */
int kh_intr_rx_enable(uint16_t port, uint16_t q);
int kh_intr_rx_disable(uint16_t port, uint16_t q);
int kh_intr_rx_ctl(uint16_t port, uint16_t q, int add);

struct kh_intr_rx_result {
    int32_t rc;              /* 0, or the negative errno of the call named by stage */
    int32_t stage;           /* 1 rte_eth_dev_rx_intr_ctl_q add, 2 rx_intr_enable, 3 rte_epoll_wait, 4 launch */
    int32_t woke;            /* rte_epoll_wait's answer: 1 woken, 0 timed out */
    int64_t wake_us;         /* from the main lcore's tx burst (or the arming) to the wake-up; -1 none, -2 before the burst */
    uint32_t sent;           /* frames the main lcore's tx burst took */
};

/*
 * One round of an RX interrupt: the first worker lcore adds queue q's event fd to its per-thread epoll set,
 * arms the queue (rte_eth_dev_rx_intr_enable) and sleeps in rte_epoll_wait for up to timeout_ms; then disarms
 * and removes the fd. The calling lcore waits until the worker is armed, settle_ms more (it is asleep by
 * then), and sends frame (len bytes, an mbuf from pool) on tx queue q: the wake-up is timed from that burst.
 * frame NULL: nothing is sent, and the worker must sleep the whole timeout.
 * -ENODEV without a worker lcore, -EBUSY if it is busy, -EINVAL for bad arguments; else 0 and out filled.
 */
int kh_intr_rx_round(uint16_t port, uint16_t q, struct rte_mempool *pool, const uint8_t *frame, uint16_t len,
                     unsigned int settle_ms, unsigned int timeout_ms, struct kh_intr_rx_result *out);
