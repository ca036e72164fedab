/*
 * DPDK declarations for cffi's cdef (API mode): only what the harness calls directly. Structs end in
 * "...;" so cffi takes their real layout from the compiler; "..." constants come from the headers.
 * Inline DPDK functions are never declared here: harness.c wraps them.
 */

#define RTE_MEMPOOL_F_NO_SPREAD ...
#define RTE_MEMPOOL_F_NO_CACHE_ALIGN ...
#define RTE_MEMPOOL_F_SP_PUT ...
#define RTE_MEMPOOL_F_SC_GET ...
#define RTE_MEMPOOL_F_NO_IOVA_CONTIG ...
#define RTE_MEMPOOL_F_POOL_CREATED ...
#define RTE_MEMPOOL_CACHE_MAX_SIZE ...
#define RTE_MEMPOOL_NAMESIZE ...
#define RTE_MEMPOOL_OPS_NAMESIZE ...
#define RTE_MBUF_DEFAULT_BUF_SIZE ...
#define RTE_PKTMBUF_HEADROOM ...
#define RTE_MAX_ETHPORTS ...
#define RTE_MAX_LCORE ...
#define RTE_ETH_NAME_MAX_LEN ...
#define RTE_ETHDEV_QUEUE_STAT_CNTRS ... /* until 25.11 */
#define RTE_ETH_XSTATS_NAME_SIZE ...
#define RTE_ETH_RETA_GROUP_SIZE ...
#define RTE_ETH_MQ_RX_NONE ...
#define RTE_ETH_MQ_RX_RSS ...
#define RTE_ETH_MQ_TX_NONE ...

struct rte_mempool;

struct rte_eth_desc_lim {
    uint16_t nb_max;
    uint16_t nb_min;
    uint16_t nb_align;
    uint16_t nb_seg_max;
    uint16_t nb_mtu_seg_max;
    ...;
};

struct rte_eth_dev_info {
    const char *driver_name;
    unsigned int if_index;
    uint16_t min_mtu;
    uint16_t max_mtu;
    uint32_t min_rx_bufsize;
    uint32_t max_rx_pktlen;
    uint32_t max_lro_pkt_size;
    uint16_t max_rx_queues;
    uint16_t max_tx_queues;
    uint32_t max_mac_addrs;
    uint32_t max_hash_mac_addrs;
    uint16_t max_vfs;
    uint16_t max_vmdq_pools;
    uint64_t rx_offload_capa;
    uint64_t tx_offload_capa;
    uint64_t rx_queue_offload_capa;
    uint64_t tx_queue_offload_capa;
    uint16_t reta_size;
    uint8_t hash_key_size;
    uint64_t flow_type_rss_offloads;
    struct rte_eth_desc_lim rx_desc_lim;
    struct rte_eth_desc_lim tx_desc_lim;
    uint32_t speed_capa;
    uint16_t nb_rx_queues;
    uint16_t nb_tx_queues;
    uint64_t dev_capa;
    ...;
};

struct rte_eth_stats {
    uint64_t ipackets;
    uint64_t opackets;
    uint64_t ibytes;
    uint64_t obytes;
    uint64_t imissed;
    uint64_t ierrors;
    uint64_t oerrors;
    uint64_t rx_nombuf;
    /* DPDK 25.11 moved these (and RTE_ETHDEV_QUEUE_STAT_CNTRS) to ethdev_driver.h: _build.py drops the lines
     * marked "until 25.11" there */
    uint64_t q_ipackets[...]; /* until 25.11 */
    uint64_t q_opackets[...]; /* until 25.11 */
    uint64_t q_ibytes[...]; /* until 25.11 */
    uint64_t q_obytes[...]; /* until 25.11 */
    uint64_t q_errors[...]; /* until 25.11 */
    ...;
};

struct rte_eth_xstat {
    uint64_t id;
    uint64_t value;
    ...;
};

struct rte_eth_xstat_name {
    char name[...];
    ...;
};

struct rte_ether_addr {
    uint8_t addr_bytes[...];
    ...;
};

struct rte_eth_rss_conf {
    uint8_t *rss_key;
    uint8_t rss_key_len;
    uint64_t rss_hf;
    ...;
};

struct rte_eth_rss_reta_entry64 {
    uint64_t mask;
    uint16_t reta[...];
    ...;
};

/* mempool (non-inline) */
/* EAL hotplug: what --vdev does at init, at any time (rte_dev.h). */
int rte_dev_probe(const char *devargs);
int rte_eal_hotplug_remove(const char *busname, const char *devname);
/* How EAL reads a device argument, without probing (rte_devargs.h). */
struct rte_devargs { ...; };
int rte_devargs_parse(struct rte_devargs *da, const char *dev);
void rte_devargs_reset(struct rte_devargs *da);

struct rte_mempool *rte_mempool_create_empty(const char *name, unsigned int n, unsigned int elt_size,
                                             unsigned int cache_size, unsigned int private_data_size,
                                             int socket_id, unsigned int flags);
int rte_mempool_set_ops_byname(struct rte_mempool *mp, const char *name, void *pool_config);
int rte_mempool_populate_default(struct rte_mempool *mp);
void rte_mempool_free(struct rte_mempool *mp);
unsigned int rte_mempool_avail_count(const struct rte_mempool *mp);
unsigned int rte_mempool_in_use_count(const struct rte_mempool *mp);
struct rte_mempool *rte_mempool_lookup(const char *name);

/* mbuf (non-inline) */
struct rte_mempool *rte_pktmbuf_pool_create_by_ops(const char *name, unsigned int n, unsigned int cache_size,
                                                   uint16_t priv_size, uint16_t data_room_size,
                                                   int socket_id, const char *ops_name);

/* ethdev (non-inline) */
uint16_t rte_eth_dev_count_avail(void);
uint64_t rte_eth_find_next(uint64_t port_id);
int rte_eth_dev_is_valid_port(uint16_t port_id);
int rte_eth_dev_socket_id(uint16_t port_id);
int rte_eth_dev_get_name_by_port(uint16_t port_id, char *name);
int rte_eth_dev_get_port_by_name(const char *name, uint16_t *port_id);
int rte_eth_dev_info_get(uint16_t port_id, struct rte_eth_dev_info *dev_info);
int rte_eth_dev_start(uint16_t port_id);
int rte_eth_dev_stop(uint16_t port_id);
int rte_eth_dev_close(uint16_t port_id);
int rte_eth_stats_get(uint16_t port_id, struct rte_eth_stats *stats);
int rte_eth_stats_reset(uint16_t port_id);
int rte_eth_tx_done_cleanup(uint16_t port_id, uint16_t queue_id, uint32_t free_cnt);
int rte_eth_xstats_get_names(uint16_t port_id, struct rte_eth_xstat_name *xstats_names, unsigned int size);
int rte_eth_xstats_get(uint16_t port_id, struct rte_eth_xstat *xstats, unsigned int n);
int rte_eth_xstats_reset(uint16_t port_id);
int rte_eth_promiscuous_enable(uint16_t port_id);
int rte_eth_promiscuous_disable(uint16_t port_id);
int rte_eth_promiscuous_get(uint16_t port_id);
int rte_eth_allmulticast_enable(uint16_t port_id);
int rte_eth_allmulticast_disable(uint16_t port_id);
int rte_eth_allmulticast_get(uint16_t port_id);
int rte_eth_macaddr_get(uint16_t port_id, struct rte_ether_addr *mac_addr);
int rte_eth_dev_default_mac_addr_set(uint16_t port_id, struct rte_ether_addr *mac_addr);
int rte_eth_dev_mac_addr_add(uint16_t port_id, struct rte_ether_addr *mac_addr, uint32_t pool);
int rte_eth_dev_mac_addr_remove(uint16_t port_id, struct rte_ether_addr *mac_addr);
int rte_eth_dev_set_mc_addr_list(uint16_t port_id, struct rte_ether_addr *mc_addr_set, uint32_t nb_mc_addr);
int rte_eth_dev_get_mtu(uint16_t port_id, uint16_t *mtu);
int rte_eth_dev_set_mtu(uint16_t port_id, uint16_t mtu);
int rte_eth_dev_rss_hash_update(uint16_t port_id, struct rte_eth_rss_conf *rss_conf);
int rte_eth_dev_rss_hash_conf_get(uint16_t port_id, struct rte_eth_rss_conf *rss_conf);
int rte_eth_dev_rss_reta_update(uint16_t port_id, struct rte_eth_rss_reta_entry64 *reta_conf,
                                uint16_t reta_size);
int rte_eth_dev_rss_reta_query(uint16_t port_id, struct rte_eth_rss_reta_entry64 *reta_conf,
                               uint16_t reta_size);
int rte_eth_xstats_get_by_id(uint16_t port_id, const uint64_t *ids, uint64_t *values, unsigned int size);
int rte_eth_xstats_get_names_by_id(uint16_t port_id, struct rte_eth_xstat_name *xstats_names, unsigned int size,
                                   uint64_t *ids);
int rte_eth_xstats_get_id_by_name(uint16_t port_id, const char *xstat_name, uint64_t *id);
int rte_eth_dev_get_supported_ptypes(uint16_t port_id, uint32_t ptype_mask, uint32_t *ptypes, int num);
int rte_eth_dev_set_ptypes(uint16_t port_id, uint32_t ptype_mask, uint32_t *set_ptypes, unsigned int num);
