/*
 * The harness's offload calls (prefix kh_), for the conformance suite's offload check: the mbuf fields rx offloads
 * fill (vlan_tci, ol_flags, hash.rss, the rx timestamp dynamic field), the tx offload request of an mbuf, the
 * timestamp dynamic field's offset and flag, and the ol_flags / offload bit values (cdef_offloads.h). Like
 * harness.h, a C header and cffi cdef input: plain declarations only.
 */

struct kh_offload_fields {
    uint64_t ol_flags;
    uint32_t rss;
    uint16_t vlan_tci;
    uint16_t vlan_tci_outer;
    uint64_t timestamp; /* the rx timestamp dynamic field, 0 when none is registered */
};

int kh_mbuf_offload_fields(uintptr_t m, int timestamp_offset, struct kh_offload_fields *out);
int kh_mbuf_set_tx_offload(uintptr_t m, uint64_t ol_flags, uint16_t l2_len, uint16_t l3_len, uint16_t l4_len,
                           uint16_t vlan_tci);
int kh_rx_timestamp_dynfield(int *offset, uint64_t *flag);
int kh_rx_timestamp_register(int *offset, uint64_t *flag);
