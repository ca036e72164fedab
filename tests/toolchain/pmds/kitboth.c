/* Two front ends in one object (as a PMD with a PCI and a vdev sim front end has): two PMD info strings. */
#include <rte_common.h>
#include <bus_pci_driver.h>
#include <bus_vdev_driver.h>

static const struct rte_pci_id kitboth_ids[] = {
	{ RTE_PCI_DEVICE(0x1d6a, 0x0001) },
	{ .vendor_id = 0 },
};

static int
pci_probe(struct rte_pci_driver *drv __rte_unused, struct rte_pci_device *dev __rte_unused)
{
	return 0;
}

static int
pci_remove(struct rte_pci_device *dev __rte_unused)
{
	return 0;
}

static int
sim_probe(struct rte_vdev_device *dev __rte_unused)
{
	return 0;
}

static int
sim_remove(struct rte_vdev_device *dev __rte_unused)
{
	return 0;
}

static struct rte_pci_driver kitboth_pci = {
	.id_table = kitboth_ids,
	.probe = pci_probe,
	.remove = pci_remove,
};

static struct rte_vdev_driver kitboth_sim = {
	.probe = sim_probe,
	.remove = sim_remove,
};

RTE_PMD_REGISTER_PCI(net_kitboth, kitboth_pci);
RTE_PMD_REGISTER_PCI_TABLE(net_kitboth, kitboth_ids);
RTE_PMD_REGISTER_KMOD_DEP(net_kitboth, "* vfio-pci");
RTE_PMD_REGISTER_VDEV(net_kitboth_sim, kitboth_sim);
RTE_PMD_REGISTER_PARAM_STRING(net_kitboth_sim, "wire=<loopback|sink>");
