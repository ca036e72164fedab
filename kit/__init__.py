"""dpdk-kit: scaffold, build, test and benchmark out-of-tree DPDK drivers."""

__version__ = "0.1.0"  # the one place the version is written: pyproject.toml reads it (dynamic version)
