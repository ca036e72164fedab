"""Port settings through the harness: promiscuous and allmulticast modes, MAC addresses, MTU, RSS hash and RETA.
A part of kit.harness.ethdev's Port (its base class), kept apart for size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kit.harness.eal import Eal
from kit.harness.errors import HarnessUsageError
from kit.harness.ethdev_types import DevInfo, RssConf, mac_bytes, mac_str


class PortSettings:
    """The settings calls of a Port: every one goes through Port._call (checks, errno, DPDK log line)."""

    port_id: int
    name: str
    _eal: Eal

    def _call(self, name: str, fn: Any, *args: Any) -> int:
        raise NotImplementedError

    def _check(self) -> tuple[Eal, Any]:
        raise NotImplementedError

    def info(self) -> DevInfo:
        raise NotImplementedError

    # -- modes, MAC, MTU ------------------------------------------------------------------------

    def promiscuous_enable(self) -> None:
        self._call("rte_eth_promiscuous_enable", self._eal.lib.rte_eth_promiscuous_enable)

    def promiscuous_disable(self) -> None:
        self._call("rte_eth_promiscuous_disable", self._eal.lib.rte_eth_promiscuous_disable)

    def promiscuous(self) -> bool:
        return self._call("rte_eth_promiscuous_get", self._eal.lib.rte_eth_promiscuous_get) == 1

    def allmulticast_enable(self) -> None:
        self._call("rte_eth_allmulticast_enable", self._eal.lib.rte_eth_allmulticast_enable)

    def allmulticast_disable(self) -> None:
        self._call("rte_eth_allmulticast_disable", self._eal.lib.rte_eth_allmulticast_disable)

    def allmulticast(self) -> bool:
        return self._call("rte_eth_allmulticast_get", self._eal.lib.rte_eth_allmulticast_get) == 1

    def _ether(self, mac: str) -> Any:
        addr = self._eal.ffi.new("struct rte_ether_addr *")
        addr.addr_bytes[0:6] = list(mac_bytes(mac))
        return addr

    def mac_addr(self) -> str:
        """rte_eth_macaddr_get, as "aa:bb:cc:dd:ee:ff"."""
        addr = self._eal.ffi.new("struct rte_ether_addr *")
        self._call("rte_eth_macaddr_get", self._eal.lib.rte_eth_macaddr_get, addr)
        return mac_str(bytes(addr.addr_bytes[0:6]))

    def set_mac_addr(self, mac: str) -> None:
        self._call("rte_eth_dev_default_mac_addr_set", self._eal.lib.rte_eth_dev_default_mac_addr_set,
                   self._ether(mac))

    def add_mac_addr(self, mac: str, pool: int = 0) -> None:
        self._call("rte_eth_dev_mac_addr_add", self._eal.lib.rte_eth_dev_mac_addr_add, self._ether(mac), pool)

    def remove_mac_addr(self, mac: str) -> None:
        self._call("rte_eth_dev_mac_addr_remove", self._eal.lib.rte_eth_dev_mac_addr_remove, self._ether(mac))

    def set_mc_addr_list(self, macs: list[str]) -> None:
        """rte_eth_dev_set_mc_addr_list: the whole multicast list; an empty list flushes it."""
        addrs = self._eal.ffi.new("struct rte_ether_addr[]", max(len(macs), 1))
        for i, mac in enumerate(macs):
            addrs[i].addr_bytes[0:6] = list(mac_bytes(mac))
        self._call("rte_eth_dev_set_mc_addr_list", self._eal.lib.rte_eth_dev_set_mc_addr_list,
                   addrs if macs else self._eal.ffi.NULL, len(macs))

    def mtu(self) -> int:
        out = self._eal.ffi.new("uint16_t *")
        self._call("rte_eth_dev_get_mtu", self._eal.lib.rte_eth_dev_get_mtu, out)
        return int(out[0])

    def set_mtu(self, mtu: int) -> None:
        if not 0 <= mtu <= 0xFFFF:
            raise HarnessUsageError(f"MTU {mtu} does not fit in 16 bits")
        self._call("rte_eth_dev_set_mtu", self._eal.lib.rte_eth_dev_set_mtu, mtu)

    # -- RSS ------------------------------------------------------------------------------------

    def rss_hash_conf(self) -> RssConf:
        """rte_eth_dev_rss_hash_conf_get: hash functions and key (key length from dev_info)."""
        eal, _ = self._check()
        key_len = self.info().hash_key_size
        conf = eal.ffi.new("struct rte_eth_rss_conf *")
        key = eal.ffi.new("uint8_t[]", max(key_len, 1))
        conf.rss_key = key if key_len else eal.ffi.NULL
        conf.rss_key_len = key_len
        self._call("rte_eth_dev_rss_hash_conf_get", eal.lib.rte_eth_dev_rss_hash_conf_get, conf)
        return RssConf(int(conf.rss_hf), bytes(eal.ffi.buffer(key, key_len)))

    def rss_hash_update(self, rss_hf: int, key: bytes | None = None) -> None:
        eal, _ = self._check()
        if key is not None and len(key) > 255:
            raise HarnessUsageError(f"RSS key of {len(key)} bytes: at most 255")
        conf = eal.ffi.new("struct rte_eth_rss_conf *")
        keybuf = eal.ffi.new("uint8_t[]", key) if key else eal.ffi.NULL
        conf.rss_key = keybuf
        conf.rss_key_len = len(key) if key else 0
        conf.rss_hf = rss_hf
        self._call("rte_eth_dev_rss_hash_update", eal.lib.rte_eth_dev_rss_hash_update, conf)

    def _reta(self, size: int) -> tuple[Any, int]:
        eal, _ = self._check()
        group = int(eal.lib.RTE_ETH_RETA_GROUP_SIZE)
        groups = max((size + group - 1) // group, 1)
        return eal.ffi.new("struct rte_eth_rss_reta_entry64[]", groups), group

    def reta_query(self) -> list[int]:
        """rte_eth_dev_rss_reta_query of the whole table (reta_size from dev_info)."""
        size = self.info().reta_size
        reta, group = self._reta(size)
        for i in range(len(reta)):
            reta[i].mask = (1 << 64) - 1
        self._call("rte_eth_dev_rss_reta_query", self._eal.lib.rte_eth_dev_rss_reta_query, reta, size)
        return [reta[i // group].reta[i % group] for i in range(size)]

    def reta_update(self, table: Sequence[int]) -> None:
        """rte_eth_dev_rss_reta_update of the whole table; len(table) must equal reta_size."""
        size = self.info().reta_size
        if len(table) != size:
            raise HarnessUsageError(f"RETA of {len(table)} entries for a port whose reta_size is {size}")
        reta, group = self._reta(size)
        for i, q in enumerate(table):
            reta[i // group].mask |= 1 << (i % group)
            reta[i // group].reta[i % group] = q
        self._call("rte_eth_dev_rss_reta_update", self._eal.lib.rte_eth_dev_rss_reta_update, reta, size)
