"""What the ethdev suite runs in a child EAL (run_in_child pickles functions by module path, so they
live here).

The child functions start from an EAL that has the driver's plugin loaded but no device: they probe
the device themselves with rte_dev_probe (the call EAL init makes for --vdev) and unplug it with
rte_eal_hotplug_remove, so that memory can be measured before the port ever existed. They return
plain facts (dicts); the suite turns them into verdicts and messages.
"""

from __future__ import annotations

from kit.harness import DpdkError, Eal, PktmbufPool, Port, memory_snapshot

INVALID_MEMORY = "Invalid memory"  # what rte_free logs for a pointer it did not hand out


def port_id_of(device: str) -> int | None:
    try:
        return Port.by_name(device).port_id
    except DpdkError:
        return None


ETH_SRC = bytes.fromhex("020000000002")
ETH_TYPE = bytes.fromhex("88b5")  # local experimental ethertype


def frames(n: int, tag: int = 0, *, dst: bytes = bytes.fromhex("020000000001"), base_len: int = 60) -> list[bytes]:
    """n distinct Ethernet frames to `dst`: tag and sequence number after the header, then a pattern."""
    out = []
    for i in range(n):
        body = bytes([tag & 0xFF, i & 0xFF, (i >> 8) & 0xFF]) + bytes((i * 7 + j) & 0xFF
                                                                         for j in range(base_len + i % 40))
        out.append(dst + ETH_SRC + ETH_TYPE + body)
    return out


# -- E11 close ------------------------------------------------------------------------------------------


def close_releases_everything(devargs: str, nb_queues: int) -> dict[str, object]:
    """Steps: probe and unplug once (what stays for good is then in the baseline), take the baseline,
    probe, set up nb_queues queue pairs, start, send and receive, leave frames queued, try to close
    while started, stop, close. Returns what happened at each step."""
    device = devargs.split(",")[0]
    eal = Eal.current()
    facts: dict[str, object] = {}
    pool = PktmbufPool.create("kitc_e11", 4096)
    if (rc := Eal.current().hotplug_probe(devargs)) != 0:
        return {"probe_rc": rc}
    facts["probe_rc"] = 0
    Eal.current().hotplug_remove(device)
    before = memory_snapshot()
    mark = eal.log_mark()
    facts["reprobe_rc"] = Eal.current().hotplug_probe(devargs)
    if facts["reprobe_rc"] != 0:
        facts["reprobe_log"] = eal.last_log_line(mark)
        return facts
    port = Port.by_name(device)
    facts["port_id"] = port.port_id
    port.setup(pool, nb_queues, nb_queues)
    for q in range(nb_queues):
        port.tx_burst(frames(16, q), q)
        port.rx_burst(q, 32)
        port.tx_burst(frames(8, q), q)  # left in the driver (rings, descriptors) for close to free
    try:
        port.close()
        facts["close_while_started"] = "accepted"
    except DpdkError as exc:
        facts["close_while_started"] = exc.errno_name
    if facts["close_while_started"] == "accepted":
        return facts
    port.stop()
    port.close()
    facts["valid_after_close"] = bool(eal.lib.rte_eth_dev_is_valid_port(facts["port_id"]))
    facts["found_after_close"] = port_id_of(device) is not None
    facts["pool_size"] = pool.size
    facts["pool_avail"] = pool.avail_count()
    after = memory_snapshot()
    facts["before"] = (before.memzones, before.heap_used, before.allocations)
    facts["after_close"] = (after.memzones, after.heap_used, after.allocations)
    Eal.current().hotplug_remove(device)
    log = eal.log_since(mark)
    facts["invalid_memory"] = [line for line in log.splitlines() if INVALID_MEMORY in line][:3]
    pool.free()
    return facts


# -- E12 hotplug ----------------------------------------------------------------------------------------


def hotplug_cycles(devargs: str, cycles: int) -> dict[str, object]:
    """Steps: `cycles` + 2 x (rte_dev_probe, info, configure 1/1, rte_dev_remove). The first two cycles warm
    up: what stays for good (ethdev's shared data; state a driver keeps for a later attach, like net_ring's
    rings, whose second probe attaches instead of creating) is then in the baseline, and any per-cycle
    growth shows over the rest. Returns the rcs, the port ids and memory after the warm-up and at the end."""
    device = devargs.split(",")[0]
    eal = Eal.current()
    probe_rcs: list[int] = []
    remove_rcs: list[int] = []
    port_ids: list[int | None] = []
    left: list[int] = []
    before = memory_snapshot()
    for i in range(cycles + 2):
        if i == 2:
            before = memory_snapshot()
        rc = Eal.current().hotplug_probe(devargs)
        probe_rcs.append(rc)
        if rc != 0:
            break
        pid = port_id_of(device)
        port_ids.append(pid)
        if pid is not None:
            port = Port(pid)
            port.info()
            port.configure(1, 1)
        remove_rcs.append(Eal.current().hotplug_remove(device))
        if pid is not None and eal.lib.rte_eth_dev_is_valid_port(pid):
            left.append(pid)
    after = memory_snapshot()
    return {"probe_rcs": probe_rcs, "remove_rcs": remove_rcs, "port_ids": port_ids, "ports_left": left,
            "before": (before.memzones, before.heap_used, before.allocations),
            "after": (after.memzones, after.heap_used, after.allocations)}


# -- E13 devargs ----------------------------------------------------------------------------------------


def probe_each(devargs_list: list[str]) -> list[tuple[str, int, bool]]:
    """For each devargs: rte_dev_probe, whether the port appeared, then unplug. [(devargs, rc, port)]."""
    out = []
    for devargs in devargs_list:
        device = devargs.split(",")[0]
        rc = Eal.current().hotplug_probe(devargs)
        found = port_id_of(device) is not None
        if rc == 0 or found:
            Eal.current().hotplug_remove(device)
        out.append((devargs, rc, found))
    return out
