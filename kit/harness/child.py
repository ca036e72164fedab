"""run_in_child: run a function in a fresh process with its own EAL, return its result.

The EAL can be initialized once per process, so a test that needs another EAL configuration (other
vdevs, plugins, --mbuf-pool-ops-name) runs there. The child is started with multiprocessing's
"spawn" context (a fresh interpreter: safe even when this process already runs an EAL with threads),
so `fn` and its arguments must be picklable (a module-level function). The child's EAL is cleaned up
and its runtime dir removed before the child exits; the parent removes it again in case the child died.
"""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from kit.harness.eal import PREFIX_TAG, Eal, EalConfig
from kit.harness.errors import ChildFailedError
from kit.runtime import remove_runtime_dir, unique_file_prefix

T = TypeVar("T")


def _child_main(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                config: EalConfig) -> None:
    try:
        eal = Eal(config)
        try:
            result: tuple[str, Any, str] = ("ok", fn(*args, **kwargs), "")
        finally:
            eal.close()
    except BaseException as exc:  # everything goes back to the parent, which re-raises it
        result = ("err", exc, traceback.format_exc())
    try:
        conn.send(result)
    except Exception as exc:  # unpicklable result or exception
        kind = "result" if result[0] == "ok" else f"exception {type(result[1]).__name__}: {result[1]}"
        conn.send(("unpicklable", f"{kind} could not be pickled ({exc})", result[2]))
    finally:
        conn.close()


def run_in_child(fn: Callable[..., T], *args: Any, eal: EalConfig | None = None, timeout: float = 120.0,
                 **kwargs: Any) -> T:
    """Run fn(*args, **kwargs) in a child process with its own EAL (config `eal`); return its result or
    re-raise its exception (the child's traceback is attached as a note). A child that crashes or
    exceeds `timeout` seconds raises ChildFailedError with its exit code."""
    config = eal or EalConfig()
    if config.file_prefix is None:
        config = replace(config, file_prefix=unique_file_prefix(PREFIX_TAG))
    prefix = config.file_prefix
    assert prefix is not None
    ctx = multiprocessing.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(send, fn, args, kwargs, config), name=f"kit-harness-{prefix}")
    try:
        proc.start()
        send.close()
        if not recv.poll(timeout):
            raise ChildFailedError(f"child {prefix} did not finish within {timeout:.0f} s", "look for a hang in fn")
        try:
            msg = recv.recv()
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            proc.join(10)
            raise ChildFailedError(
                f"child {prefix} died without a result (exit code {proc.exitcode})",
                "a crash in DPDK or the driver: rerun fn in a plain process to see its output",
                exitcode=proc.exitcode,
                details=str(exc),
            ) from None
    finally:
        recv.close()
        if proc.is_alive():
            proc.join(10)
        if proc.is_alive():
            proc.kill()
            proc.join()
        if proc.pid is not None:
            proc.close()
        remove_runtime_dir(prefix)
    status, payload, tb = msg
    if status == "ok":
        return payload  # type: ignore[no-any-return]
    if status == "err" and isinstance(payload, BaseException):
        payload.add_note(f"in run_in_child ({prefix}):\n{tb}")
        raise payload
    raise ChildFailedError(f"child {prefix}: {payload}", details=tb)
