#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
"""Check the model's pcap_out file with a reader of our own.

Steps: run `test_{{ cookiecutter.name }} PLUGIN pcap FILE`, which sends 1000 known frames
through a wire=sink port with pcap_out=FILE, then replays FILE through a
wire=pcap port and compares what comes back. Verify here: FILE is classic
libpcap (magic, version 2.4, Ethernet link type) and holds exactly those 1000
frames, in order, byte for byte. Usage: pcap_check.py TEST_EXE PLUGIN
"""
import os
import struct
import subprocess
import sys
import tempfile

FRAMES = 1000


def expected(i: int) -> bytes:
    """Frame i as test_{{ cookiecutter.name }}.c's pcap_frame() builds it."""
    length = 60 + (i * 37) % (1514 - 60 + 1)
    return bytes((i + j * 7) & 0xFF for j in range(length))


def read_pcap(path: str) -> list:
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("no global header")
    magic = struct.unpack_from("<I", data, 0)[0]
    if magic == 0xA1B2C3D4:
        endian = "<"
    elif magic == 0xD4C3B2A1:
        endian = ">"
    else:
        raise ValueError(f"bad magic 0x{magic:08x}")
    major, minor, _, _, snaplen, linktype = struct.unpack_from(
        endian + "HHiIII", data, 4)
    if (major, minor) != (2, 4) or linktype != 1:
        raise ValueError(f"version {major}.{minor}, link type {linktype}")
    frames, off = [], 24
    while off < len(data):
        if off + 16 > len(data):
            raise ValueError("truncated record header")
        _, usec, incl, orig = struct.unpack_from(endian + "IIII", data, off)
        off += 16
        if incl > snaplen or incl != orig or usec >= 1000000:
            raise ValueError(f"record {len(frames)}: incl {incl} orig {orig}")
        if off + incl > len(data):
            raise ValueError("truncated record")
        frames.append(data[off:off + incl])
        off += incl
    return frames


def main() -> int:
    exe, plugin = sys.argv[1], sys.argv[2]
    # Under the build tree, not /tmp: nothing here needs a shared directory.
    fd, path = tempfile.mkstemp(suffix=".pcap", dir=os.getcwd())
    os.close(fd)
    try:
        proc = subprocess.run([exe, plugin, "pcap", path], capture_output=True,
                              text=True, timeout=100)
        print(proc.stdout)
        if proc.returncode != 0:
            print(proc.stderr[-3000:])
            print("FAIL: test_{{ cookiecutter.name }} pcap exited with", proc.returncode)
            return 1
        try:
            frames = read_pcap(path)
        except ValueError as e:
            print(f"FAIL: {path}: {e}")
            return 1
    finally:
        os.unlink(path)
    bad = [i for i, fr in enumerate(frames[:FRAMES]) if fr != expected(i)]
    if len(frames) != FRAMES or bad:
        print(f"FAIL: {len(frames)} frames, {len(bad)} differ (first {bad[:5]})")
        return 1
    print(f"pcap_check: {len(frames)} frames as sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
