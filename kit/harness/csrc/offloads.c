/* The harness's offload calls: see offloads.h. */
#include "dpdk_includes.h"
#include "offloads.h"

#include <rte_mbuf_dyn.h>

int
kh_mbuf_offload_fields(uintptr_t m, int timestamp_offset, struct kh_offload_fields *out)
{
    const struct rte_mbuf *mb = (const struct rte_mbuf *)m;

    out->ol_flags = mb->ol_flags;
    out->rss = mb->hash.rss;
    out->vlan_tci = mb->vlan_tci;
    out->vlan_tci_outer = mb->vlan_tci_outer;
    out->timestamp = timestamp_offset < 0 ? 0 : *RTE_MBUF_DYNFIELD(mb, timestamp_offset, const uint64_t *);
    return 0;
}

int
kh_mbuf_set_tx_offload(uintptr_t m, uint64_t ol_flags, uint16_t l2_len, uint16_t l3_len, uint16_t l4_len,
                       uint16_t vlan_tci)
{
    struct rte_mbuf *mb = (struct rte_mbuf *)m;

    mb->ol_flags |= ol_flags;
    mb->l2_len = l2_len;
    mb->l3_len = l3_len;
    mb->l4_len = l4_len;
    mb->vlan_tci = vlan_tci;
    return 0;
}

/* The rx timestamp field and flag a driver registered (rte_mbuf_dyn_rx_timestamp_register); -ENOENT if none. */
int
kh_rx_timestamp_dynfield(int *offset, uint64_t *flag)
{
    int off = rte_mbuf_dynfield_lookup(RTE_MBUF_DYNFIELD_TIMESTAMP_NAME, NULL);
    int bit = rte_mbuf_dynflag_lookup(RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, NULL);

    if (off < 0 || bit < 0)
        return -ENOENT;
    *offset = off;
    *flag = RTE_BIT64(bit);
    return 0;
}

/* Register the rx timestamp field and flag as a driver does (a second registration returns the same ones). */
int
kh_rx_timestamp_register(int *offset, uint64_t *flag)
{
    return rte_mbuf_dyn_rx_timestamp_register(offset, flag) == 0 ? 0 : -rte_errno;
}
