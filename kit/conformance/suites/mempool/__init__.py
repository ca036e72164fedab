"""Mempool driver conformance: checks M1-M14 of docs/conformance.md against one `rte_mempool_ops` driver.

Run by `kit test --mempool NAME [--plugin PATH]`. Every check runs on the real EAL of this pytest process
(two lcores, the driver's plugin loaded); checks that may crash the process (M10's free of a
never-populated pool) run in a child EAL, and M11 runs DPDK's own programs. Around every check, leak
accounting requires every object back in its pool and memzones and heap usage back at their baseline.
"""
