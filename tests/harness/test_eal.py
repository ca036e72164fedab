"""EAL lifecycle: arguments, one init per process, plugin path checks, log capture, run_in_child, cleanup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kit.errors import KitError
from kit.harness import (
    ChildFailedError,
    DpdkError,
    Eal,
    EalConfig,
    HarnessUsageError,
    Mempool,
    PktmbufPool,
    Port,
    check_plugin_path,
    ops_table,
    require_ops,
    run_in_child,
)
from kit.harness.eal import PREFIX_TAG
from kit.runtime import runtime_dir


def test_eal_args_from_config() -> None:
    cfg = EalConfig(vdevs=["net_null0"], plugins=[Path("/x/a.so")], mbuf_pool_ops_name="stack", log_level="debug")
    args = cfg.eal_args("p1")
    assert args[:2] == ["--no-huge", "--no-pci"]
    for pair in (["--file-prefix", "p1"], ["--vdev", "net_null0"], ["-d", "/x/a.so"], ["--mbuf-pool-ops-name", "stack"],
                 ["-m", "256"], ["-l", "0"]):
        i = args.index(pair[0])
        assert args[i : i + 2] == pair
    assert "--log-level=debug" in args
    assert cfg.vdevs == ("net_null0",) and cfg.plugins == ("/x/a.so",)


def test_session_eal_runs(eal: Eal) -> None:
    assert Eal.current() is eal and eal.alive
    assert runtime_dir(eal.prefix).is_dir()
    assert eal.prefix.startswith(f"{PREFIX_TAG}-{os.getpid()}-")


def test_second_init_raises(eal: Eal) -> None:
    with pytest.raises(HarnessUsageError, match="initialized only once") as info:
        Eal(EalConfig())
    assert "run_in_child" in info.value.fix


def test_dpdk_log_is_captured(eal: Eal) -> None:
    mark = eal.log_mark()
    with pytest.raises(DpdkError) as info:
        Mempool.create("bad_cache", 16, cache_size=100000)
    assert info.value.errno_name == "EINVAL" and info.value.errno == 22
    assert info.value.call == "rte_mempool_create_empty"
    assert eal.log_since(mark) or info.value.log_line == ""


def test_plugin_under_tmp_is_refused(tmp_path: Path) -> None:
    plugin = tmp_path / "librte_mempool_x.so"
    plugin.write_bytes(b"\x7fELF")
    with pytest.raises(KitError, match="world-writable") as info:
        check_plugin_path(plugin)
    assert "not world-writable" in info.value.fix
    with pytest.raises(KitError, match="does not exist"):
        check_plugin_path(tmp_path / "missing.so")


def test_plugin_refused_before_eal_starts(tmp_path: Path) -> None:
    plugin = tmp_path / "p.so"
    plugin.write_bytes(b"")
    # the config is checked before anything else, so this is safe even with the session EAL running
    with pytest.raises(KitError, match="world-writable"):
        run_in_child(_return, 1, eal=EalConfig(plugins=(str(plugin),)))


def test_installed_plugin_path_accepted() -> None:
    from kit.toolchain.dpdk import find_dpdk

    plugin_dir = find_dpdk().plugin_dir
    assert plugin_dir is not None
    so = next(plugin_dir.glob("librte_mempool_ring.so*"))
    assert check_plugin_path(so).is_file()


def _return(x: object) -> object:
    return x


def _use_after_close() -> None:
    Port(0).close()  # started? no: close of a not-configured port works; then use after close
    Port(0).info()


def _child_ports_and_ops() -> tuple[list[str], str | None, str | None]:
    pool = PktmbufPool.create("child_pkt", 511)
    names = [p.name for p in Port.all()]
    return names, pool.ops_name, Eal.current().config.mbuf_pool_ops_name


def _child_crash() -> None:
    os.abort()


def _child_second_init() -> None:
    Eal(EalConfig())


def test_run_in_child_returns_result(eal: Eal) -> None:
    assert run_in_child(_return, {"a": 1}, eal=EalConfig()) == {"a": 1}


def test_run_in_child_other_config() -> None:
    names, ops, cfg_ops = run_in_child(
        _child_ports_and_ops, eal=EalConfig(vdevs=("net_ring7",), mbuf_pool_ops_name="stack")
    )
    assert names == ["net_ring7"]
    assert ops == "stack" and cfg_ops == "stack"


def test_run_in_child_reraises() -> None:
    with pytest.raises(HarnessUsageError, match=r"was closed|no port"):
        run_in_child(_use_after_close, eal=EalConfig(vdevs=("net_null0",)))
    with pytest.raises(HarnessUsageError, match="only once"):
        run_in_child(_child_second_init)


def test_run_in_child_crash_is_reported() -> None:
    with pytest.raises(ChildFailedError) as info:
        run_in_child(_child_crash)
    assert info.value.exitcode is not None and info.value.exitcode < 0


def test_unknown_mbuf_ops_name_is_explained() -> None:
    with pytest.raises(HarnessUsageError, match="not registered") as info:
        run_in_child(_return, 1, eal=EalConfig(mbuf_pool_ops_name="no_such_ops"))
    assert "plugins" in info.value.fix


def test_ops_table_and_require_ops(eal: Eal) -> None:
    table = ops_table()
    assert table.max_slots == 16
    for name in ("ring_mp_mc", "ring_sp_sc", "stack"):
        assert require_ops(name) == table.index(name)
    assert table.free_slots == 16 - len(table.names)
    with pytest.raises(HarnessUsageError, match="31 or more"):
        require_ops("x" * 40)
    with pytest.raises(HarnessUsageError, match="not in the ops table"):
        require_ops("nope")
