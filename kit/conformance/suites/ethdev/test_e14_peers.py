"""The ethdev suite (docs/conformance.md), E14: DPDK's own programs (dpdk-testpmd, dpdk-pmdinfo.py) with the driver."""

from __future__ import annotations

import pytest

from kit.conformance.plugin import KitTarget
from kit.conformance.suites.ethdev.devargs import pmd_info
from kit.conformance.suites.ethdev.dut import (
    Dut,
)
from kit.testpmd import FORWARD_SCRIPT, run_script, tx_packets

# -- E14 peers --------------------------------------------------------------------------------------------


@pytest.mark.check("E14")
def test_e14_testpmd_forwards_and_exits_cleanly(dut: Dut, kit_target: KitTarget) -> None:
    peer = "net_null9" if dut.devargs.split(",")[0] != "net_null9" else "net_null8"
    run = run_script(kit_target.plugins, [dut.devargs, peer], ["-i", "--total-num-mbufs=4096"], FORWARD_SCRIPT,
                     timeout=90, log_level="lib.*:error", memory_mb=512)
    out = run.output
    if run.timed_out:
        pytest.fail("testpmd did not finish within 90 s:\n" + out[-1500:])
    forwarded = tx_packets(out)
    assert forwarded and max(forwarded) > 0, "testpmd forwarded nothing through the driver:\n" + out[-1500:]
    assert "Bye" in out, "testpmd did not exit cleanly ('Bye...' missing):\n" + out[-1500:]


@pytest.mark.check("E14")
def test_e14_pmdinfo_lists_name_and_devargs(dut: Dut, kit_target: KitTarget) -> None:
    infos, files = pmd_info(kit_target)
    entry = next((e for e in infos if e.get("name") == kit_target.driver), None)
    assert entry is not None, (
        f"the PMD info string is missing: dpdk-pmdinfo.py finds no PMD_INFO_STRING naming {kit_target.driver} in "
        f"{[str(f) for f in files]} (it found {[e.get('name') for e in infos]}); 'kit build' generates it")
    assert entry.get("params"), (f"PMD info of {kit_target.driver} has no devargs string: register it with "
                                 "RTE_PMD_REGISTER_PARAM_STRING")
