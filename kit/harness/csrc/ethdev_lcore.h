/*
 * Datapath work of the ethdev suite beyond the plain wrappers (prefix kh_lc_): every queue of a port polled
 * from its own lcore at once (E24), and the probe that tells whether anything writes into buffers a driver
 * gave back (E25). Like harness.h, a C header and cffi cdef input at once.
 */

struct rte_mbuf;

/* One queue's flow: its frame (the sequence number goes at seq_off, 4 bytes little-endian) and how many to send. */
struct kh_lc_flow {
    uint16_t queue;          /* rx and tx queue polled by this flow's lcore */
    uint16_t len;            /* frame length, at most 256 */
    uint16_t seq_off;        /* where the sequence number goes (and is read back) */
    uint16_t tag_off;        /* a byte identifying the flow: frames with another tag there are foreign */
    uint8_t tag;
    uint32_t count;          /* frames to send */
    uint8_t frame[256];      /* KH_LC_MAX_FRAME */
};

/* What one queue's lcore saw. */
struct kh_lc_result {
    uint32_t lcore;
    uint64_t sent;           /* frames the driver took */
    uint64_t received;       /* frames of this flow received on this queue */
    uint64_t in_order;       /* received with the next expected sequence number */
    uint64_t duplicates;     /* a sequence number seen before */
    uint64_t out_of_order;   /* a sequence number ahead of the next expected one (earlier ones skipped) */
    uint64_t late;           /* a skipped sequence number that arrived after a later one */
    uint64_t foreign;        /* frames of another flow (or not the suite's) received on this queue */
    uint64_t bad_len;        /* frames of this flow whose length is not the one sent */
    uint64_t alloc_failures;
    int32_t first_bad_seq;   /* the first sequence number not in order, -1 if none */
    int32_t first_bad_after; /* the sequence number expected then */
};

/*
 * Each of nb_flows flows (at most 2) is sent and received on its queue from its own lcore:
 * flow 0 on the calling lcore, flow 1 on the first worker lcore. Mbufs come from pool. Every lcore stops once
 * it sent everything and either received it all or nothing came for idle_ms. 0, -ENODEV without a worker lcore,
 * -EBUSY if it is busy, -EINVAL for bad arguments.
 */
int kh_lc_flows(uint16_t port_id, struct rte_mempool *pool, const struct kh_lc_flow *flows, unsigned int nb_flows,
                unsigned int idle_ms, struct kh_lc_result *out);

/*
 * Send frame (len bytes, mbufs from pool) on port/queue from the first worker lcore until kh_lc_sender_stop:
 * a peer that keeps offering traffic while another port stops. 0, -ENODEV, -EBUSY, -EINVAL.
 */
int kh_lc_sender_start(uint16_t port_id, uint16_t queue, struct rte_mempool *pool, const uint8_t *frame,
                       uint16_t len);
/* Stop the sender and wait for it; the frames the driver took. */
uint64_t kh_lc_sender_stop(void);

/*
 * Take every mbuf pool has available (at most max), fill each whole buffer (buf_addr, buf_len) with pattern and
 * keep them in held: what the driver gave back, now owned by the caller. The number taken.
 */
unsigned int kh_lc_take_and_fill(struct rte_mempool *pool, struct rte_mbuf **held, unsigned int max,
                                 uint8_t pattern);
/* How many of the held mbufs no longer carry the pattern; the first such buffer's offset in *first_off. */
unsigned int kh_lc_count_written(struct rte_mbuf **held, unsigned int n, uint8_t pattern, int32_t *first_off);
/* Give the held mbufs back to their pool. */
void kh_lc_give_back(struct rte_mbuf **held, unsigned int n);
