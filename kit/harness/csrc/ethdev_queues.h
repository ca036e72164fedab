/*
 * The harness's per-queue ethdev calls (prefix kh_), for the conformance suite's queue checks: queue info,
 * deferred-start queue setup, queue start/stop, the inline queue-state calls (rx_queue_count, descriptor
 * status, tx_prepare) and rte_eth_dev_adjust_nb_rx_tx_desc. Like harness.h, a C header and cffi cdef input:
 * plain declarations only. Functions return 0 / a count on success and a negative errno on failure.
 */

struct kh_rxq_info {
    uintptr_t mp;
    uint64_t offloads;
    uint16_t nb_desc;
    uint16_t rx_buf_size;
    uint8_t deferred_start;
    uint8_t scattered_rx;
    uint8_t queue_state;
};

struct kh_txq_info {
    uint64_t offloads;
    uint16_t nb_desc;
    uint8_t deferred_start;
    uint8_t queue_state;
};

int kh_eth_rxq_info(uint16_t port, uint16_t q, struct kh_rxq_info *out);
int kh_eth_txq_info(uint16_t port, uint16_t q, struct kh_txq_info *out);
int kh_eth_rx_queue_setup_deferred(uint16_t port, uint16_t q, uint16_t nb_desc, int socket,
                                   struct rte_mempool *mp);
int kh_eth_tx_queue_setup_deferred(uint16_t port, uint16_t q, uint16_t nb_desc, int socket);
int kh_eth_queue_state_set(uint16_t port, uint16_t q, int is_tx, int start);
int kh_eth_rx_queue_count(uint16_t port, uint16_t q);
int kh_eth_rx_descriptor_status(uint16_t port, uint16_t q, uint16_t offset);
int kh_eth_tx_descriptor_status(uint16_t port, uint16_t q, uint16_t offset);
int kh_eth_tx_prepare(uint16_t port, uint16_t q, uintptr_t *mbufs, uint16_t n);
int kh_eth_adjust_nb_desc(uint16_t port, uint16_t *nb_rx, uint16_t *nb_tx);
