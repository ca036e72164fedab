"""PMD conformance: checks E1-E17, E22, E23, E26 and E28 of docs/conformance.md against one ethdev driver given by
vdev devargs.

Run by `kit test --pmd DEVARGS [--plugin PATH]`. The session EAL has the device (two lcores, the driver's plugin
loaded) and the checks share its port (conftest.py, dut.py). Between checks the port is put back in one canonical
state (stopped, one rx and one tx queue, rx from the session pool) and leak accounting requires the session pool
back at its count, every pool a check created full, and memzones and heap usage back at their baseline. Close
(E11), hotplug (E12) and devargs (E13, with sample values from devargs.py) destroy or create ports: they run in a
child EAL (child_ops.py). E14 runs DPDK's own programs. The queue checks (E15-E17, E26, E28) share queues.py;
an optional op a driver lacks (-ENOTSUP every time) makes its aspect n/a with the measured answer. E22-E23
(receive filter, settings across stop/start) need a port that loops: one that does not is n/a, measured. E29
(interrupts) runs its LSC callback and the lcore asleep on an RX interrupt in C (kit.harness.ethdev_intr).
"""
