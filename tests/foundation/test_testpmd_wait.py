"""kit.testpmd's wait for non-interactive testpmd's prompt, against a real chatty writer (a Python child standing in
for testpmd's ieee1588 engine, which prints a line per timestamp from before its prompt until Enter).

The log file's offset is shared with the child (the same open file): the wait used to seek it back to 0 on every
poll, so the child's next lines overwrote the start of its own log (tests/reference/test_mqnic_ptp.py saw PTP
timestamps 0.1 s later on top of EAL's first lines, 7 runs in 15 under load), and it re-read the whole log each
time."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

from kit import testpmd

# Numbered lines, flushed one by one (testpmd runs under stdbuf -oL), the prompt after 0.5 s of them (the wait polls
# every 50 ms meanwhile), then more until Enter.
CHATTY = f"""
import select, sys, time
n = 0
def line():
    global n
    sys.stdout.write(f"line {{n}} of the chatty engine, as long as a timestamp line\\n")
    sys.stdout.flush()
    n += 1
end = time.monotonic() + 0.5
while time.monotonic() < end:
    line()
print({testpmd.PROMPT!r}, flush=True)
while not select.select([sys.stdin], [], [], 0)[0]:
    line()
sys.stdin.readline()
print("Bye...", flush=True)
"""


def test_waiting_for_the_prompt_leaves_the_log_whole() -> None:
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen([sys.executable, "-c", CHATTY], stdin=subprocess.PIPE, stdout=log,
                                stderr=subprocess.STDOUT, text=True)
        started = time.monotonic()
        try:
            testpmd.enter_after_forwarding(proc, log, 0.5, 60)
            assert proc.wait(timeout=60) == 0
        finally:
            proc.kill()
            proc.wait()
            assert proc.stdin is not None
            proc.stdin.close()
        took = time.monotonic() - started
        lines = testpmd.log_text(log).splitlines()
    assert lines[-1] == "Bye...", lines[-3:]
    assert testpmd.PROMPT in lines
    numbered = [line for line in lines if line.startswith("line ")]
    assert len(numbered) > 1000
    out_of_order = [(i, line) for i, line in enumerate(numbered) if not line.startswith(f"line {i} ")]
    assert not out_of_order, f"the log was overwritten while waiting: {out_of_order[:3]}"
    assert took < 30, f"the prompt, Enter and exit took {took:.1f} s"
