"""Everything about building against the installed DPDK: pkg-config, SDK headers, C probes."""
