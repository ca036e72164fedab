/* A vdev PMD that only registers: name, alias-free, devargs documented for dpdk-pmdinfo.py. */
#include <rte_common.h>
#include <bus_vdev_driver.h>

static int
kitvdev_probe(struct rte_vdev_device *dev __rte_unused)
{
	return 0;
}

static int
kitvdev_remove(struct rte_vdev_device *dev __rte_unused)
{
	return 0;
}

static struct rte_vdev_driver kitvdev_drv = {
	.probe = kitvdev_probe,
	.remove = kitvdev_remove,
};

RTE_PMD_REGISTER_VDEV(net_kitvdev, kitvdev_drv);
RTE_PMD_REGISTER_PARAM_STRING(net_kitvdev, "size=<int> mode=<loop|sink> \"quoted\"=<a\\b>");
