# SPDX-License-Identifier: AGPL-3.0-or-later
# test_ovmf_vars.py: the OVMF VARS writer and reader, and aether-provision, against Debian's own VARS files.
import os
import stat
import sys
import tempfile
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))

from aether_harness import ground, machine, ovmf_vars, provision, record  # noqa: E402

TEMPLATES = (machine.OVMF_VARS_TEMPLATE, machine.OVMF_VARS_SECURE_BOOT_TEMPLATE)
KEY = bytes.fromhex("00112233445566778899aabbccddeeff")
OTHER_GUID = uuid.UUID("11111111-2222-3333-4444-555555555555")


class VarsFileTest(unittest.TestCase):
        def load(self, template):
                with open(template, "rb") as handle:
                        return ovmf_vars.VarsFile(handle.read(), template)

        def test_add_read_back_both_templates(self):
                for template in TEMPLATES:
                        with self.subTest(template=template):
                                vars_file = self.load(template)
                                before = len(vars_file.records)
                                self.assertIsNone(vars_file.get(ovmf_vars.DEVICE_KEY_NAME))
                                vars_file.set(ovmf_vars.DEVICE_KEY_NAME, KEY, ovmf_vars.DEVICE_KEY_ATTRIBUTES)
                                again = ovmf_vars.VarsFile(vars_file.bytes())
                                self.assertEqual(again.get(ovmf_vars.DEVICE_KEY_NAME), (0x3, KEY))
                                self.assertEqual(len(again.records), before + 1)
                                added = again.records[-1]
                                self.assertEqual(added.offset % 4, 0)
                                self.assertEqual(again.data[added.offset:added.offset + 4], b"\xaa\x55\x3f\x00")
                                # Only the store's free space changed; the firmware's own records stay.
                                original = self.load(template)
                                self.assertEqual(again.data[:original.free_at], original.data[:original.free_at])
                                self.assertEqual(len(again.data), len(original.data))

        def test_replace_deletes_the_old_record(self):
                vars_file = self.load(machine.OVMF_VARS_TEMPLATE)
                vars_file.set(ovmf_vars.DEVICE_KEY_NAME, KEY, ovmf_vars.DEVICE_KEY_ATTRIBUTES)
                vars_file.set(ovmf_vars.DEVICE_KEY_NAME, KEY[::-1], ovmf_vars.DEVICE_KEY_ATTRIBUTES)
                vars_file.set(ovmf_vars.DEVICE_KEY_NAME, KEY, ovmf_vars.DEVICE_KEY_ATTRIBUTES, OTHER_GUID)
                again = ovmf_vars.VarsFile(vars_file.bytes())
                self.assertEqual(again.get(ovmf_vars.DEVICE_KEY_NAME), (0x3, KEY[::-1]))
                self.assertEqual(again.get(ovmf_vars.DEVICE_KEY_NAME, OTHER_GUID), (0x3, KEY))
                states = [rec.state for rec in again.records if rec.name == ovmf_vars.DEVICE_KEY_NAME]
                self.assertEqual(states, [ovmf_vars.VAR_ADDED & ovmf_vars.VAR_DELETED, ovmf_vars.VAR_ADDED,
                                          ovmf_vars.VAR_ADDED])

        def test_full_store(self):
                vars_file = self.load(machine.OVMF_VARS_TEMPLATE)
                big = bytes(32 * 1024)
                # 0x3ffb8 bytes of store: 7 records of 60 + 16 + 32768 bytes fit after its 28-byte header.
                with self.assertRaisesRegex(ovmf_vars.VarsError, "the variable store is full: Filler7 needs 32844 "
                                                                 "bytes, 32136 are free"):
                        for i in range(100):
                                vars_file.set("Filler%d" % i, big, ovmf_vars.NON_VOLATILE | ovmf_vars.BOOTSERVICE_ACCESS)
                # The refused variable left the store as it was: still readable, the last one that fitted there.
                again = ovmf_vars.VarsFile(vars_file.bytes())
                self.assertEqual(again.get("Filler6")[1], big)
                self.assertIsNone(again.get("Filler7"))

        def test_refusals(self):
                vars_file = self.load(machine.OVMF_VARS_TEMPLATE)
                with self.assertRaisesRegex(ovmf_vars.VarsError, "authenticated variables"):
                        vars_file.set("PK", KEY, 0x27)
                with self.assertRaisesRegex(ovmf_vars.VarsError, "needs data"):
                        vars_file.set("Empty", b"", 0x3)
                with self.assertRaisesRegex(ovmf_vars.VarsError, "not a firmware volume"):
                        ovmf_vars.VarsFile(bytes(4096), "zeros.fd")
                damaged = bytearray(vars_file.bytes())
                damaged[0x48] ^= 1  # the store's signature GUID
                with self.assertRaisesRegex(ovmf_vars.VarsError, "not gEfiAuthenticatedVariableGuid"):
                        ovmf_vars.VarsFile(damaged, "damaged.fd")

        def test_boot_epoch(self):
                with tempfile.TemporaryDirectory() as work:
                        path = os.path.join(work, "VARS.fd")
                        machine.prepare_vars(path)
                        self.assertIsNone(ovmf_vars.read_boot_epoch(path))
                        ovmf_vars.write_variable(path, ovmf_vars.BOOT_EPOCH_NAME, (7).to_bytes(8, "little"), 0x7)
                        self.assertEqual(ovmf_vars.read_boot_epoch(path), 7)


class ProvisionTest(unittest.TestCase):
        def provision(self, *argv):
                return provision.provision(provision.parse_args(list(argv)))

        def test_device(self):
                with tempfile.TemporaryDirectory() as work:
                        folder, device, created = self.provision("--device", os.path.join(work, "dev"))
                        key = record.load_key(os.path.join(folder, provision.DEVICE_KEY))
                        self.assertEqual(device, record.device_id(key).hex())
                        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(folder, provision.DEVICE_KEY)).st_mode), 0o600)
                        self.assertEqual(ovmf_vars.read_variable(os.path.join(folder, provision.DEVICE_VARS),
                                                                 ovmf_vars.DEVICE_KEY_NAME), (0x3, key))
                        with open(os.path.join(folder, provision.DEVICE_KEYRING), "rb") as handle:
                                keyring = ground.parse_keyring(handle.read())
                        self.assertEqual(keyring, {bytes.fromhex(device): key})
                        self.assertEqual(provision.load_device(folder),
                                         {"device_id": device, "key_source": "uefi-variable", "secure_boot": False})
                        _, second, _ = self.provision("--device", os.path.join(work, "dev2"), "--secure-boot")
                        self.assertNotEqual(device, second)  # a random key each time

        def test_refusals(self):
                root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
                with tempfile.TemporaryDirectory() as work:
                        with self.assertRaisesRegex(provision.ProvisionError, r"malformed.key: line 2: 31 hex digits"):
                                self.provision("--device", os.path.join(work, "bad"), "--key",
                                               os.path.join(root, "test", "keys", "malformed.key"))
                        with self.assertRaisesRegex(provision.ProvisionError, "development key is public"):
                                self.provision("--device", os.path.join(work, "dev"), "--key",
                                               os.path.join(root, "enclave", "keys", "development.key"))
                        with self.assertRaisesRegex(provision.ProvisionError, "exists: a device is provisioned once"):
                                self.provision("--device", work)
                        self.assertEqual(os.listdir(work), [])


if __name__ == "__main__":
        unittest.main()
