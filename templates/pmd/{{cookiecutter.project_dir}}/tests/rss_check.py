#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
"""Check the RSS hashes the NIC model computed against an independent Toeplitz.

Steps: run `test_{{ cookiecutter.name }} PLUGIN rss`, which loops known flows through a 4-queue
RSS port and prints one "RSS <kind> <src> <dst> <sport> <dport> hash 0x.. queue
N" line per flow. Verify: each hash equals Toeplitz (default 40-byte key) over
the fields the kind selects; the IPv4 ones also equal the values published
with Microsoft's RSS verification suite; the queue is the default indirection
table's entry (hash & 127) % 4. Usage: rss_check.py TEST_EXE PLUGIN
"""
import ipaddress
import subprocess
import sys

KEY = bytes.fromhex(
    "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b4"
    "77cb2da38030f20c6a42b73bbeac01fa")

# Microsoft's published results for these inputs: (ipv4 only, with tcp).
PUBLISHED = {
    ("66.9.149.187", "161.142.100.80", 2794, 1766): (0x323e8fc2, 0x51ccc178),
    ("199.92.111.2", "65.69.140.83", 14230, 4739): (0xd718262a, 0xc626b0ea),
    ("24.19.198.95", "12.22.207.184", 12898, 38024): (0xd2d0a5de, 0x5c2b394a),
    ("38.27.205.30", "209.142.163.6", 48228, 2217): (0x82989176, 0xafc7327f),
    ("153.39.163.191", "202.188.127.2", 44251, 1303): (0x5d1809c5, 0x10e828a2),
}


def toeplitz(key: bytes, data: bytes) -> int:
    """Toeplitz hash: XOR the 32-bit key window at every set input bit."""
    k = int.from_bytes(key, "big")
    klen = len(key) * 8
    result = 0
    for i in range(len(data) * 8):
        if data[i // 8] & (0x80 >> (i % 8)):
            result ^= (k >> (klen - 32 - i)) & 0xFFFFFFFF
    return result


def addr(text: str) -> bytes:
    if "." in text:
        return ipaddress.IPv4Address(text).packed
    return bytes.fromhex(text)


def main() -> int:
    exe, plugin = sys.argv[1], sys.argv[2]
    proc = subprocess.run([exe, plugin, "rss"], capture_output=True,
                          text=True, timeout=100)
    print(proc.stdout)
    if proc.returncode != 0:
        print(proc.stderr[-3000:])
        print("FAIL: test_{{ cookiecutter.name }} rss exited with", proc.returncode)
        return 1
    failures = checked = 0
    for line in proc.stdout.splitlines():
        if not line.startswith("RSS "):
            continue
        _, kind, src, dst, sport, dport, _, got, _, queue = line.split()
        sport_i, dport_i, got_i = int(sport), int(dport), int(got, 16)
        data = addr(src) + addr(dst)
        if kind != "ip4":
            data += sport_i.to_bytes(2, "big") + dport_i.to_bytes(2, "big")
        want = toeplitz(KEY, data)
        published = PUBLISHED.get((src, dst, sport_i, dport_i))
        if published is not None:
            want_pub = published[0] if kind == "ip4" else published[1]
            if want != want_pub:
                print(f"FAIL: this script's Toeplitz is wrong: {line}")
                failures += 1
        if got_i != want:
            print(f"FAIL: {line}: expected hash 0x{want:08x}")
            failures += 1
        if int(queue) != (want & 127) % 4:
            print(f"FAIL: {line}: expected queue {(want & 127) % 4}")
            failures += 1
        checked += 1
    if checked != 2 * len(PUBLISHED) + 1:
        print(f"FAIL: {checked} RSS lines, expected {2 * len(PUBLISHED) + 1}")
        failures += 1
    print(f"rss_check: {checked} hashes checked, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
