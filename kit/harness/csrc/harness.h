/*
 * The harness's own C API (prefix kh_). This file is both a C header and cffi cdef input, so it holds
 * only plain declarations: no preprocessor lines, no DPDK types by value. harness.c includes it after
 * the DPDK headers; _build.py feeds it to ffibuilder.cdef() after cdef_dpdk.h.
 *
 * Conventions: object addresses travel as uintptr_t; functions return 0 / a count on success and a
 * negative errno on failure; nothing here validates Python-side invariants (port ids and queue ids
 * are checked by the Python layer before these are called).
 */

struct kh_mempool_info {
    char name[32];
    uint32_t size;
    uint32_t cache_size;
    uint32_t elt_size;
    uint32_t header_size;
    uint32_t trailer_size;
    uint32_t private_data_size;
    uint32_t flags;
    int32_t ops_index;
    uint32_t populated_size;
    uint32_t nb_mem_chunks;
    int32_t socket_id;
};

struct kh_mbuf_fields {
    uintptr_t addr;
    uintptr_t buf_addr;
    uint16_t buf_len;
    uint16_t data_off;
    uint16_t data_len;
    uint32_t pkt_len;
    uint16_t nb_segs;
    uintptr_t next;
    uint16_t port;
    uint64_t ol_flags;
    uint32_t packet_type;
    uint16_t refcnt;
    uint32_t rss;
    uintptr_t pool;
    uint16_t priv_size;
};

struct kh_port_conf {
    uint64_t rx_offloads;
    uint64_t tx_offloads;
    uint32_t rx_mq_mode;
    uint32_t tx_mq_mode;
    uint64_t rss_hf;
    const uint8_t *rss_key;
    uint32_t rss_key_len;
    uint32_t mtu;
    uint32_t lsc_intr;
    uint32_t rxq_intr;
};

struct kh_link {
    uint32_t speed;
    uint16_t duplex;
    uint16_t autoneg;
    uint16_t status;
};

struct kh_loop_result {
    uint64_t ops;
    uint64_t dropped;
    uint64_t polls;
    uint64_t cycles;
    int32_t rc;
};

/* runtime and log */
int kh_errno(void);
const char *kh_strerror(int err);
int kh_log_to_file(const char *path);
int kh_eal_init(int argc, char **argv);
int kh_eal_cleanup(void);
unsigned int kh_lcore_id(void);
uint64_t kh_tsc_hz(void);
uint64_t kh_rdtsc(void);

/* mempool ops table */
unsigned int kh_ops_num(void);
unsigned int kh_ops_max(void);
const char *kh_ops_name(unsigned int idx);

/* mempool */
int kh_mempool_info(const struct rte_mempool *mp, struct kh_mempool_info *out);
int kh_mempool_get_bulk(struct rte_mempool *mp, uintptr_t *objs, unsigned int n);
void kh_mempool_put_bulk(struct rte_mempool *mp, const uintptr_t *objs, unsigned int n);
int kh_ops_dequeue_bulk(struct rte_mempool *mp, uintptr_t *objs, unsigned int n);
int kh_ops_enqueue_bulk(struct rte_mempool *mp, const uintptr_t *objs, unsigned int n);
unsigned int kh_ops_get_count(const struct rte_mempool *mp);
int kh_mempool_objects(struct rte_mempool *mp, uintptr_t *out, unsigned int cap);
int kh_mempool_chunks(struct rte_mempool *mp, uintptr_t *starts, uintptr_t *lens, unsigned int cap);
uintptr_t kh_mempool_from_obj(uintptr_t obj);
int kh_mempool_cache_len(struct rte_mempool *mp, unsigned int lcore);
void kh_mempool_cache_flush(struct rte_mempool *mp);
int kh_mempool_audit(struct rte_mempool *mp, char *reason, unsigned int reason_len);

/* mbuf */
uintptr_t kh_pktmbuf_alloc(struct rte_mempool *mp);
int kh_pktmbuf_alloc_bulk(struct rte_mempool *mp, uintptr_t *mbufs, unsigned int n);
void kh_pktmbuf_free(uintptr_t m);
uint16_t kh_mbuf_refcnt_update(uintptr_t m, int16_t value);
void kh_pktmbuf_free_bulk(const uintptr_t *mbufs, unsigned int n);
int kh_pktmbuf_append(uintptr_t m, const uint8_t *data, uint32_t len);
int kh_pktmbuf_read(uintptr_t m, uint32_t off, uint32_t len, uint8_t *buf);
int kh_pktmbuf_chain(uintptr_t head, uintptr_t tail);
int kh_mbuf_fields(uintptr_t m, struct kh_mbuf_fields *out);
int kh_mbuf_check(uintptr_t m, int is_header, char *reason, unsigned int reason_len);
uint32_t kh_pktmbuf_data_room_size(struct rte_mempool *mp);

/* ethdev */
int kh_eth_configure(uint16_t port, uint16_t nb_rx, uint16_t nb_tx, const struct kh_port_conf *conf);
int kh_eth_rx_queue_setup(uint16_t port, uint16_t q, uint16_t nb_desc, int socket, int set_offloads,
                          uint64_t offloads, struct rte_mempool *mp);
int kh_eth_tx_queue_setup(uint16_t port, uint16_t q, uint16_t nb_desc, int socket, int set_offloads,
                          uint64_t offloads);
int kh_eth_link(uint16_t port, int wait, struct kh_link *out);
int kh_rx_burst(uint16_t port, uint16_t q, uintptr_t *mbufs, uint16_t n);
int kh_tx_burst(uint16_t port, uint16_t q, uintptr_t *mbufs, uint16_t n);
int kh_tx_burst_bytes(uint16_t port, uint16_t q, struct rte_mempool *mp, const uint8_t *data,
                      const uint32_t *lens, uint16_t n);

/* C-side loops: all per-object / per-packet work stays here */
int kh_loop_mempool(struct rte_mempool *mp, unsigned int bulk, unsigned int n_keep, uint64_t iterations,
                    struct kh_loop_result *res);
int kh_loop_rx(uint16_t port, uint16_t q, uint16_t burst, uint64_t packets, uint64_t max_polls,
               struct kh_loop_result *res);
int kh_loop_tx(uint16_t port, uint16_t q, struct rte_mempool *mp, uint16_t burst, uint16_t pkt_len,
               uint64_t packets, struct kh_loop_result *res);
int kh_loop_fwd(uint16_t rx_port, uint16_t rx_q, uint16_t tx_port, uint16_t tx_q, uint16_t burst,
                uint64_t packets, uint64_t max_polls, struct kh_loop_result *res);
