/*
 * C side of the kit harness: thin wrappers over DPDK's inline functions and struct fields (the benchmark /
 * soak loops, whose per-object work must not pass through Python, are in loops.c).
 *
 * Every function here trusts its arguments as far as the Python layer (the kit/harness modules) guarantees
 * them: valid mempool pointers, valid and configured port / queue ids, n within the caller's array.
 * What only C can check cheaply (room in an mbuf, a mempool cache length) is checked here.
 */
#include "dpdk_includes.h"
#include "harness.h"

/* ---- runtime and log ------------------------------------------------------------------------- */

int kh_errno(void) { return rte_errno; }

const char *kh_strerror(int err) { return rte_strerror(err); }

int kh_log_to_file(const char *path)
{
	FILE *f = fopen(path, "a");

	if (f == NULL)
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);    /* one write per line: Python reads the file while we run */
	return rte_openlog_stream(f);
}

int kh_eal_init(int argc, char **argv) { return rte_eal_init(argc, argv); }

int kh_eal_cleanup(void) { return rte_eal_cleanup(); }

unsigned int kh_lcore_id(void) { return rte_lcore_id(); }

uint64_t kh_tsc_hz(void) { return rte_get_tsc_hz(); }

uint64_t kh_rdtsc(void) { return rte_rdtsc(); }

/* ---- mempool ops table ----------------------------------------------------------------------- */

unsigned int kh_ops_num(void) { return rte_mempool_ops_table.num_ops; }

unsigned int kh_ops_max(void) { return RTE_MEMPOOL_MAX_OPS_IDX; }

const char *kh_ops_name(unsigned int idx)
{
	if (idx >= rte_mempool_ops_table.num_ops)
		return NULL;
	return rte_mempool_ops_table.ops[idx].name;
}

/* ---- mempool --------------------------------------------------------------------------------- */

int kh_mempool_info(const struct rte_mempool *mp, struct kh_mempool_info *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", mp->name);
	out->size = mp->size;
	out->cache_size = mp->cache_size;
	out->elt_size = mp->elt_size;
	out->header_size = mp->header_size;
	out->trailer_size = mp->trailer_size;
	out->private_data_size = mp->private_data_size;
	out->flags = mp->flags;
	out->ops_index = mp->ops_index;
	out->populated_size = mp->populated_size;
	out->nb_mem_chunks = mp->nb_mem_chunks;
	out->socket_id = mp->socket_id;
	return 0;
}

int kh_mempool_get_bulk(struct rte_mempool *mp, uintptr_t *objs, unsigned int n)
{
	return rte_mempool_get_bulk(mp, (void **)objs, n);
}

void kh_mempool_put_bulk(struct rte_mempool *mp, const uintptr_t *objs, unsigned int n)
{
	rte_mempool_put_bulk(mp, (void * const *)objs, n);
}

int kh_ops_dequeue_bulk(struct rte_mempool *mp, uintptr_t *objs, unsigned int n)
{
	return rte_mempool_ops_dequeue_bulk(mp, (void **)objs, n);
}

int kh_ops_enqueue_bulk(struct rte_mempool *mp, const uintptr_t *objs, unsigned int n)
{
	return rte_mempool_ops_enqueue_bulk(mp, (void * const *)objs, n);
}

/* rte_mempool_ops_get_count() is not exported by the shared library: call the driver's op directly. */
unsigned int kh_ops_get_count(const struct rte_mempool *mp)
{
	return rte_mempool_get_ops(mp->ops_index)->get_count(mp);
}

struct kh_collect {
	uintptr_t *a;
	uintptr_t *b;
	unsigned int cap;
	unsigned int n;
};

static void kh_collect_obj(struct rte_mempool *mp __rte_unused, void *arg, void *obj,
			   unsigned int idx __rte_unused)
{
	struct kh_collect *c = arg;

	if (c->n < c->cap)
		c->a[c->n] = (uintptr_t)obj;
	c->n++;
}

int kh_mempool_objects(struct rte_mempool *mp, uintptr_t *out, unsigned int cap)
{
	struct kh_collect c = { .a = out, .cap = cap };

	rte_mempool_obj_iter(mp, kh_collect_obj, &c);
	return (int)c.n;
}

static void kh_collect_chunk(struct rte_mempool *mp __rte_unused, void *arg,
			     struct rte_mempool_memhdr *memhdr, unsigned int idx __rte_unused)
{
	struct kh_collect *c = arg;

	if (c->n < c->cap) {
		c->a[c->n] = (uintptr_t)memhdr->addr;
		c->b[c->n] = (uintptr_t)memhdr->len;
	}
	c->n++;
}

int kh_mempool_chunks(struct rte_mempool *mp, uintptr_t *starts, uintptr_t *lens, unsigned int cap)
{
	struct kh_collect c = { .a = starts, .b = lens, .cap = cap };

	rte_mempool_mem_iter(mp, kh_collect_chunk, &c);
	return (int)c.n;
}

uintptr_t kh_mempool_from_obj(uintptr_t obj)
{
	return (uintptr_t)rte_mempool_from_obj((void *)obj);
}

int kh_mempool_cache_len(struct rte_mempool *mp, unsigned int lcore)
{
	if (mp->cache_size == 0 || lcore >= RTE_MAX_LCORE)
		return 0;
	return (int)mp->local_cache[lcore].len;
}

void kh_mempool_cache_flush(struct rte_mempool *mp)
{
	struct rte_mempool_cache *cache = rte_mempool_default_cache(mp, rte_lcore_id());

	if (cache != NULL)
		rte_mempool_cache_flush(cache, mp);
}

/*
 * rte_mempool_audit() panics (aborts the process) on an inconsistent cache. Check what it checks
 * first and report it as an error; only a pool that passes is handed to the real audit.
 */
int kh_mempool_audit(struct rte_mempool *mp, char *reason, unsigned int reason_len)
{
	unsigned int lcore;

	if (mp->cache_size != 0) {
		for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++) {
			const struct rte_mempool_cache *cache = &mp->local_cache[lcore];

			if (cache->len > RTE_DIM(cache->objs)) {
				snprintf(reason, reason_len, "cache of lcore %u holds %u objects, more than its %u slots",
					 lcore, cache->len, (unsigned int)RTE_DIM(cache->objs));
				return -1;
			}
		}
	}
	if (mp->populated_size > mp->size) {
		snprintf(reason, reason_len, "populated_size %u exceeds size %u", mp->populated_size, mp->size);
		return -1;
	}
	rte_mempool_audit(mp);
	return 0;
}

/* ---- mbuf ------------------------------------------------------------------------------------ */

uintptr_t kh_pktmbuf_alloc(struct rte_mempool *mp) { return (uintptr_t)rte_pktmbuf_alloc(mp); }

int kh_pktmbuf_alloc_bulk(struct rte_mempool *mp, uintptr_t *mbufs, unsigned int n)
{
	return rte_pktmbuf_alloc_bulk(mp, (struct rte_mbuf **)mbufs, n);
}

void kh_pktmbuf_free(uintptr_t m) { rte_pktmbuf_free((struct rte_mbuf *)m); }

uint16_t kh_mbuf_refcnt_update(uintptr_t m, int16_t value)
{
	return rte_mbuf_refcnt_update((struct rte_mbuf *)m, value);
}

void kh_pktmbuf_free_bulk(const uintptr_t *mbufs, unsigned int n)
{
	rte_pktmbuf_free_bulk((struct rte_mbuf **)(uintptr_t)mbufs, n);
}

int kh_pktmbuf_append(uintptr_t m, const uint8_t *data, uint32_t len)
{
	struct rte_mbuf *mb = (struct rte_mbuf *)m;
	char *dst;

	if (len > UINT16_MAX)
		return -EMSGSIZE;
	dst = rte_pktmbuf_append(mb, (uint16_t)len);
	if (dst == NULL)
		return -ENOSPC;
	memcpy(dst, data, len);
	return 0;
}

int kh_pktmbuf_read(uintptr_t m, uint32_t off, uint32_t len, uint8_t *buf)
{
	const void *p = rte_pktmbuf_read((const struct rte_mbuf *)m, off, len, buf);

	if (p == NULL)
		return -EINVAL;
	if (p != buf)
		memcpy(buf, p, len);
	return 0;
}

int kh_pktmbuf_chain(uintptr_t head, uintptr_t tail)
{
	return rte_pktmbuf_chain((struct rte_mbuf *)head, (struct rte_mbuf *)tail);
}

int kh_mbuf_fields(uintptr_t m, struct kh_mbuf_fields *out)
{
	const struct rte_mbuf *mb = (const struct rte_mbuf *)m;

	out->addr = m;
	out->buf_addr = (uintptr_t)mb->buf_addr;
	out->buf_len = mb->buf_len;
	out->data_off = mb->data_off;
	out->data_len = mb->data_len;
	out->pkt_len = mb->pkt_len;
	out->nb_segs = mb->nb_segs;
	out->next = (uintptr_t)mb->next;
	out->port = mb->port;
	out->ol_flags = mb->ol_flags;
	out->packet_type = mb->packet_type;
	out->refcnt = rte_mbuf_refcnt_read(mb);
	out->rss = mb->hash.rss;
	out->pool = (uintptr_t)mb->pool;
	out->priv_size = mb->priv_size;
	return 0;
}

int kh_mbuf_check(uintptr_t m, int is_header, char *reason, unsigned int reason_len)
{
	const char *why = NULL;

	if (rte_mbuf_check((const struct rte_mbuf *)m, is_header, &why) == 0)
		return 0;
	snprintf(reason, reason_len, "%s", why ? why : "unknown");
	return -1;
}

uint32_t kh_pktmbuf_data_room_size(struct rte_mempool *mp) { return rte_pktmbuf_data_room_size(mp); }


/* ---- ethdev ---------------------------------------------------------------------------------- */

int kh_eth_configure(uint16_t port, uint16_t nb_rx, uint16_t nb_tx, const struct kh_port_conf *conf)
{
	struct rte_eth_conf c;

	memset(&c, 0, sizeof(c));
	c.rxmode.mq_mode = (enum rte_eth_rx_mq_mode)conf->rx_mq_mode;
	c.rxmode.mtu = conf->mtu;
	c.rxmode.offloads = conf->rx_offloads;
	c.txmode.mq_mode = (enum rte_eth_tx_mq_mode)conf->tx_mq_mode;
	c.txmode.offloads = conf->tx_offloads;
	c.rx_adv_conf.rss_conf.rss_key = (uint8_t *)(uintptr_t)conf->rss_key;
	c.rx_adv_conf.rss_conf.rss_key_len = (uint8_t)conf->rss_key_len;
	c.rx_adv_conf.rss_conf.rss_hf = conf->rss_hf;
	c.intr_conf.lsc = conf->lsc_intr ? 1 : 0;
	c.intr_conf.rxq = conf->rxq_intr ? 1 : 0;
	return rte_eth_dev_configure(port, nb_rx, nb_tx, &c);
}

int kh_eth_rx_queue_setup(uint16_t port, uint16_t q, uint16_t nb_desc, int socket, int set_offloads,
			  uint64_t offloads, struct rte_mempool *mp)
{
	struct rte_eth_dev_info info;
	struct rte_eth_rxconf rxc;
	int rc;

	if (!set_offloads)
		return rte_eth_rx_queue_setup(port, q, nb_desc, socket, NULL, mp);
	rc = rte_eth_dev_info_get(port, &info);
	if (rc != 0)
		return rc;
	rxc = info.default_rxconf;
	rxc.offloads = offloads;
	return rte_eth_rx_queue_setup(port, q, nb_desc, socket, &rxc, mp);
}

int kh_eth_tx_queue_setup(uint16_t port, uint16_t q, uint16_t nb_desc, int socket, int set_offloads,
			  uint64_t offloads)
{
	struct rte_eth_dev_info info;
	struct rte_eth_txconf txc;
	int rc;

	if (!set_offloads)
		return rte_eth_tx_queue_setup(port, q, nb_desc, socket, NULL);
	rc = rte_eth_dev_info_get(port, &info);
	if (rc != 0)
		return rc;
	txc = info.default_txconf;
	txc.offloads = offloads;
	return rte_eth_tx_queue_setup(port, q, nb_desc, socket, &txc);
}

int kh_eth_link(uint16_t port, int wait, struct kh_link *out)
{
	struct rte_eth_link link;
	int rc;

	memset(&link, 0, sizeof(link));
	rc = wait ? rte_eth_link_get(port, &link) : rte_eth_link_get_nowait(port, &link);
	if (rc != 0)
		return rc;
	out->speed = link.link_speed;
	out->duplex = link.link_duplex;
	out->autoneg = link.link_autoneg;
	out->status = link.link_status;
	return 0;
}

int kh_rx_burst(uint16_t port, uint16_t q, uintptr_t *mbufs, uint16_t n)
{
	return rte_eth_rx_burst(port, q, (struct rte_mbuf **)mbufs, n);
}

int kh_tx_burst(uint16_t port, uint16_t q, uintptr_t *mbufs, uint16_t n)
{
	return rte_eth_tx_burst(port, q, (struct rte_mbuf **)mbufs, n);
}

/* Packets are concatenated in data, lens[i] bytes each. Untaken mbufs are freed here. */
int kh_tx_burst_bytes(uint16_t port, uint16_t q, struct rte_mempool *mp, const uint8_t *data,
		      const uint32_t *lens, uint16_t n)
{
	struct rte_mbuf *pkts[KH_MAX_BURST];
	size_t off = 0;
	uint16_t i, sent;

	if (n > KH_MAX_BURST)
		return -EINVAL;
	if (n == 0)
		return 0;
	if (rte_pktmbuf_alloc_bulk(mp, pkts, n) != 0)
		return -ENOBUFS;
	for (i = 0; i < n; i++) {
		if (kh_pktmbuf_append((uintptr_t)pkts[i], data + off, lens[i]) != 0) {
			rte_pktmbuf_free_bulk(pkts, n);
			return -EMSGSIZE;
		}
		off += lens[i];
	}
	sent = rte_eth_tx_burst(port, q, pkts, n);
	if (sent < n)
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
	return sent;
}
