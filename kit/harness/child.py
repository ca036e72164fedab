"""run_in_child: run a function in a fresh process with its own EAL, return its result.

The EAL can be initialized once per process, so a test that needs another EAL configuration (other
vdevs, plugins, --mbuf-pool-ops-name) runs there. The child is a fresh interpreter (subprocess of
sys.executable, never a fork: safe even when this process already runs an EAL with threads), so `fn`
and its arguments must be picklable (a module-level function; functions of a script's __main__ work
too). The child gets the parent's sys.path, runs fn under its own EAL, cleans that EAL up, and sends
back a pickled result or exception through a file. Unlike multiprocessing's spawn context, this leaves
no helper process (resource tracker) behind.
"""

from __future__ import annotations

import os
import pickle
import runpy
import subprocess
import sys
import tempfile
import traceback
import types
from collections.abc import Callable
from dataclasses import replace
from typing import IO, Any, TypeVar

from kit.harness.eal import PREFIX_TAG, Eal, EalConfig, log_path_for
from kit.harness.errors import ChildFailedError
from kit.runtime import check_plugin_path, remove_runtime_dir, unique_file_prefix

T = TypeVar("T")

_BOOT = (
    "import pickle, sys; _in = sys.stdin.buffer; sys.path[:] = pickle.load(_in); "
    "from kit.harness.child import _child_entry; _child_entry(_in, sys.argv[1])"
)


def _main_path() -> str | None:
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return str(path) if path and str(path).endswith(".py") else None


def _child_entry(stream: IO[bytes], result_path: str) -> None:
    """In the child: load the job, run it under a fresh EAL, write ("ok"|"err", payload, traceback)."""
    result: tuple[str, Any, str]
    try:
        main_path = pickle.load(stream)
        if main_path:  # make functions of the parent's __main__ script resolvable, as multiprocessing does
            module = types.ModuleType("__mp_main__")
            module.__dict__.update(runpy.run_path(main_path, run_name="__mp_main__"))
            sys.modules["__main__"] = sys.modules["__mp_main__"] = module
        fn, args, kwargs, config = pickle.load(stream)
        eal = Eal(config)
        try:
            result = ("ok", fn(*args, **kwargs), "")
        finally:
            eal.close()
    except BaseException as exc:  # everything goes back to the parent, which re-raises it
        result = ("err", exc, traceback.format_exc())
    try:
        data = pickle.dumps(result)
    except Exception as exc:  # unpicklable result or exception
        kind = "result" if result[0] == "ok" else f"exception {type(result[1]).__name__}: {result[1]}"
        data = pickle.dumps(("unpicklable", f"{kind} could not be pickled ({exc})", result[2]))
    with open(result_path, "wb") as f:
        f.write(data)


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
    for plugin in config.plugins:  # refuse a bad plugin here, with the fix, before any process starts
        check_plugin_path(plugin)
    job = pickle.dumps(list(sys.path)) + pickle.dumps(_main_path()) + pickle.dumps((fn, args, kwargs, config))
    fd, result_path = tempfile.mkstemp(prefix=f"kit-child-{prefix}-", suffix=".pickle")
    os.close(fd)
    try:
        proc = subprocess.Popen([sys.executable, "-c", _BOOT, result_path], stdin=subprocess.PIPE)
        try:
            proc.communicate(job, timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise ChildFailedError(
                f"child {prefix} did not finish within {timeout:.0f} s", "look for a hang in fn", exitcode=None
            ) from None
        with open(result_path, "rb") as f:
            data = f.read()
        if not data:
            try:
                log = log_path_for(prefix).read_text(errors="replace").strip().splitlines()
            except OSError:
                log = []
            tail = f"; last DPDK log line: {log[-1].strip()}" if log else ""
            raise ChildFailedError(
                f"child {prefix} died without a result (exit code {proc.returncode}){tail}",
                "a crash in DPDK or the driver: its output is above; rerun fn in a plain process to debug",
                exitcode=proc.returncode,
                details="\n".join(log[-20:]),
            )
        status, payload, tb = pickle.loads(data)
    finally:
        os.unlink(result_path)
        log_path_for(prefix).unlink(missing_ok=True)
        remove_runtime_dir(prefix)
    if status == "ok":
        return payload  # type: ignore[no-any-return]
    if status == "err" and isinstance(payload, BaseException):
        payload.add_note(f"in run_in_child ({prefix}):\n{tb}")
        raise payload
    raise ChildFailedError(f"child {prefix}: {payload}", details=tb)
