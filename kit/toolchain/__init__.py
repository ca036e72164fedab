"""The toolchain: the installed DPDK (pkg-config), driver-SDK headers, the one compile-and-cache helper for the
kit's own C programs and plugins, meson builds and PMD info. Imports only kit.errors, kit.paths, kit.runtime."""
