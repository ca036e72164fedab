"""Harness exceptions. All are KitErrors, so `kit` prints them as one line with the fix."""

from __future__ import annotations

import errno as errno_mod

from kit.errors import KitError

# DPDK's own errno values (rte_errno.h): E_RTE_SECONDARY, E_RTE_NO_CONFIG.
_RTE_ERRNO_NAMES = {1001: "E_RTE_SECONDARY", 1002: "E_RTE_NO_CONFIG"}


def errno_name(err: int) -> str:
    err = abs(err)
    return errno_mod.errorcode.get(err) or _RTE_ERRNO_NAMES.get(err) or f"errno {err}"


class DpdkError(KitError):
    """A DPDK call failed. `errno` is positive (e.g. 22), `errno_name` e.g. "EINVAL", `call` the DPDK
    function, `log_line` the last line DPDK logged during the call ("" if none)."""

    def __init__(self, problem: str, fix: str = "", *, errno: int = 0, call: str = "", log_line: str = "") -> None:
        super().__init__(problem, fix)
        self.errno = abs(errno)
        self.errno_name = errno_name(errno) if errno else ""
        self.call = call
        self.log_line = log_line


class HarnessUsageError(KitError, ValueError):
    """The harness refused a call before it reached DPDK: bad argument, closed or freed object, second EAL."""


class MempoolAuditError(KitError):
    """A mempool failed the audit (cache length, populated size or driver count inconsistent)."""


class ChildFailedError(KitError):
    """run_in_child's child died without returning (a crash, a timeout, or an unpicklable exception)."""

    def __init__(self, problem: str, fix: str = "", *, exitcode: int | None = None, details: str = "") -> None:
        super().__init__(problem, fix)
        self.exitcode = exitcode
        self.details = details

