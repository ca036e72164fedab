"""Pktmbuf pools and mbufs: alloc/free, bytes, chains, fields."""

from __future__ import annotations

import pytest

from kit.harness import Eal, HarnessUsageError, PktmbufPool


@pytest.fixture(scope="module")
def mpool(eal: Eal) -> PktmbufPool:
    return PktmbufPool.create("mbuf_t", 255, ops_name="ring_mp_mc")


def test_alloc_write_read_fields(mpool: PktmbufPool) -> None:
    m = mpool.alloc()
    m.append(b"abc" * 10)
    f = m.fields()
    assert (f.data_len, f.pkt_len, f.nb_segs, f.next, f.refcnt) == (30, 30, 1, 0, 1)
    assert f.data_off == 128 and f.pool == mpool.address
    assert m.read() == b"abc" * 10 and m.read(3, 3) == b"abc"
    assert m.check() is None
    m.free()
    assert mpool.in_use_count() == 0


def test_chain(mpool: PktmbufPool) -> None:
    head, tail = mpool.alloc_bulk(2)
    head.append(b"A" * 100)
    tail.append(b"B" * 50)
    head.chain(tail)
    segs = head.segments()
    assert [s.data_len for s in segs] == [100, 50]
    assert segs[0].pkt_len == 150 and segs[0].nb_segs == 2 and segs[0].next == tail.addr
    assert head.read() == b"A" * 100 + b"B" * 50
    with pytest.raises(HarnessUsageError, match="chained"):
        tail.read()
    head.free()
    assert mpool.in_use_count() == 0


def test_append_beyond_room_fails(mpool: PktmbufPool) -> None:
    m = mpool.alloc()
    with pytest.raises(Exception, match="ENOSPC"):
        m.append(b"x" * (mpool.max_packet_len + 1))
    m.free()


def test_use_after_free_raises(mpool: PktmbufPool) -> None:
    m = mpool.alloc()
    m.free()
    with pytest.raises(HarnessUsageError, match="freed"):
        m.free()
    with pytest.raises(HarnessUsageError, match="freed"):
        m.fields()


def test_pool_with_stack_ops(eal: Eal) -> None:
    pool = PktmbufPool.create("mbuf_stack", 127, ops_name="stack")
    assert pool.ops_name == "stack" and pool.data_room_size == 2176
    ms = pool.alloc_bulk(127)
    with pytest.raises(Exception, match="ENOBUFS"):
        pool.alloc()
    for m in ms:
        m.free()
    assert pool.avail_count() == 127
    pool.free()
    with pytest.raises(HarnessUsageError):
        ms[0].fields()
