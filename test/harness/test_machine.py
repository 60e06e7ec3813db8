# SPDX-License-Identifier: AGPL-3.0-or-later
# test_machine.py: the harness's machine options: command lines, the RAM file's layout around the PCI hole, board facts.

import os
import sys
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from aether_harness import machine  # noqa: E402

GIB = 1 << 30


def command(**options):
        qemu = machine.Machine("/w", "/w/esp.img", "/w/vars.fd", "/w/log", options=machine.MachineOptions(**options))
        return qemu, " ".join(qemu.command())


class MachineTest(unittest.TestCase):
        def test_ram_below_and_above_the_pci_hole(self):
                self.assertEqual(machine.ram_ranges("q35", 256 << 20), [(0, 0, 256 << 20)])
                self.assertEqual(machine.ram_ranges("q35", 4 * GIB), [(0, 0, 2 * GIB), (4 * GIB, 2 * GIB, 2 * GIB)])
                self.assertEqual(machine.ram_ranges("pc", 4 * GIB), [(0, 0, 3 * GIB), (4 * GIB, 3 * GIB, 1 * GIB)])
                self.assertEqual(machine.ram_ranges("pc", 3 * GIB), [(0, 0, 3 * GIB)])

        def test_ram_offset(self):
                qemu, _ = command(machine_type="q35", memory="4G")
                self.assertEqual(qemu.ram_offset(0x1dd00000, 0x1000), 0x1dd00000)
                self.assertEqual(qemu.ram_offset(4 * GIB + 0x1000, 0x1000), 2 * GIB + 0x1000)
                with self.assertRaisesRegex(ValueError, "not in the guest's RAM"):
                        qemu.ram_offset(3 * GIB, 0x1000)  # the PCI hole
                with self.assertRaisesRegex(ValueError, "not in the guest's RAM"):
                        qemu.ram_offset(2 * GIB - 0x800, 0x1000)  # across the end of low RAM

        def test_memory_sizes(self):
                self.assertEqual(machine.memory_bytes("256M"), 256 << 20)
                self.assertEqual(machine.memory_bytes("4G"), 4 * GIB)
                self.assertEqual(machine.memory_bytes("512"), 512 << 20)
                for bad in ("", "0", "4X", "-1G", "1.5G"):
                        with self.assertRaises(ValueError):
                                machine.memory_bytes(bad)

        def test_default_machine_is_the_stock_one(self):
                _, line = command()
                for part in ("-machine q35,memory-backend=ram", "-m 512M", "-smp 1", "isa-debug-exit",
                             "-debugcon file:/w/log", "-device ivshmem-plain,memdev=uplink "):
                        self.assertIn(part, line)
                self.assertNotIn("hpet=off", line)

        def test_options_shape_the_command(self):
                _, line = command(machine_type="pc", smp=4, memory="4G", uplink="bridge", hpet=False,
                                  exit_device=False, log_uart=0x3e8)
                for part in ("-machine pc,memory-backend=ram,hpet=off", "-m 4G", "-smp 4", "size=4G,",
                             "pci-bridge,id=uplinkbridge", "ivshmem-plain,memdev=uplink,bus=uplinkbridge",
                             "-chardev file,id=aetherlog,path=/w/log",
                             "isa-serial,chardev=aetherlog,iobase=0x3e8,irq=5"):
                        self.assertIn(part, line)
                for part in ("isa-debug-exit", "-debugcon"):
                        self.assertNotIn(part, line)
                _, line = command(uplink="bridge")
                self.assertIn("pcie-root-port,id=uplinkport,bus=pcie.0", line)
                self.assertIn("ivshmem-plain,memdev=uplink,bus=uplinkport", line)
                _, line = command(uplink="none")
                self.assertNotIn("ivshmem", line)

        def test_secure_boot(self):
                _, line = command()
                self.assertIn("file=" + machine.OVMF_CODE + " ", line)
                for part in ("smm=on", "secboot", "property=secure"):
                        self.assertNotIn(part, line)
                qemu, line = command(secure_boot=True)
                for part in ("-machine q35,memory-backend=ram,smm=on ",
                             "readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd ",
                             "-global driver=cfi.pflash01,property=secure,value=on"):
                        self.assertIn(part, line)
                self.assertEqual(qemu.options.firmware()[1], "/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd")
                self.assertIn("Secure Boot", qemu.options.describe())

        def test_firmware_refusal_stops_the_machine(self):
                qemu, _ = command(secure_boot=True)
                console = qemu.lines[machine.FIRMWARE_CONSOLE_VECTOR]
                refused = (b'\x1b[2J\x1b[01;01HBdsDxe: loading Boot0001 "UEFI QEMU HARDDISK QM00001 " from '
                           b'PciRoot(0x0)/Pci(0x1F,0x2)/Sata(0x0,0xFFFF,0x0)\r\nBdsDxe: failed to load Boot0001 '
                           b'"UEFI QEMU HARDDISK QM00001 " from PciRoot(0x0)/Pci(0x1F,0x2)/Sata(0x0,0xFFFF,0x0): '
                           b'Access Denied\r\n')
                console.watch(refused[:120])  # the line so far names no refusal
                self.assertIsNone(qemu.refusal)
                console.watch(refused)
                self.assertEqual(qemu.refusal, 'BdsDxe: failed to load Boot0001 "UEFI QEMU HARDDISK QM00001 " from '
                                               'PciRoot(0x0)/Pci(0x1F,0x2)/Sata(0x0,0xFFFF,0x0): Access Denied')
                self.assertIsNone(qemu.lines[0x21].watch)  # the other line carries no firmware console

        def test_bad_options(self):
                with self.assertRaisesRegex(ValueError, "Secure Boot needs q35"):
                        machine.MachineOptions(machine_type="pc", secure_boot=True)
                for options in ({"machine_type": "isapc"}, {"uplink": "usb"}, {"smp": 0}, {"memory": "lots"}):
                        with self.assertRaises(ValueError):
                                machine.MachineOptions(**options)

        def test_board_facts(self):
                stock = machine.board_facts(os.path.join(ROOT, "enclave", "boards", "qemu-q35.board"))
                self.assertEqual(stock, {"exit": True, "fw_cfg": True, "log": ("debugcon", 0x402),
                                         "key_source": "development"})
                plain = machine.board_facts(os.path.join(ROOT, "test", "boot", "boards", "qemu-plain.board"))
                self.assertEqual(plain, {"exit": False, "fw_cfg": False, "log": ("uart", 0x3e8),
                                         "key_source": "development"})  # no key-source line: the default
                line = machine.board_facts(os.path.join(ROOT, "enclave", "boards", "example-line.board"))
                self.assertEqual(line["key_source"], "tpm")


if __name__ == "__main__":
        unittest.main()
