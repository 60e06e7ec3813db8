# SPDX-License-Identifier: AGPL-3.0-or-later
"""aether-provision: creates a device: its VARS, key file and keyring line (ARCHITECTURE.md, "Provisioning").

A device is a folder (--device DIR, which must not exist yet) that scripts/aether-run --device DIR boots:

    device.json    what was provisioned: key source, Secure Boot, device ID (never the key)
    device.key     the key file (section 7.3), mode 0600: the ground station's secret
    keyring        the ground station's keyring line for aether-verify --keyring (section 7.6.10)
    OVMF_VARS.fd   the device's variable store: a copy of OVMF_VARS_4M.fd (or, with --secure-boot, of the
                   snakeoil VARS, Secure Boot enrolled), plus what the key source keeps there

Each key source is one function of KEY_SOURCES that adds its part to the folder.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile

from . import machine, ovmf_vars, record, tpm

DEVICE_MANIFEST = "device.json"
DEVICE_KEY = "device.key"
DEVICE_KEYRING = "keyring"
DEVICE_VARS = "OVMF_VARS.fd"


class ProvisionError(Exception):
        """The device cannot be made as asked."""


def provision_uefi_variable(folder, key, manifest, args):
        """key-source uefi-variable: the key in AetherDeviceKey, non-volatile and boot-services only."""
        vars_path = os.path.join(folder, DEVICE_VARS)
        ovmf_vars.write_variable(vars_path, ovmf_vars.DEVICE_KEY_NAME, key, ovmf_vars.DEVICE_KEY_ATTRIBUTES)
        return ["%s: variable AetherDeviceKey (%s, non-volatile, boot services only, 16 bytes)"
                % (DEVICE_VARS, ovmf_vars.AETHER_VENDOR_GUID)]


def provision_tpm(folder, key, manifest, args):
        """key-source tpm: the swtpm state, the key sealed to PCR 7 (one boot of --image reads it)."""
        if args.image is None:
                raise ProvisionError("--key-source tpm boots the image once to read PCR 7: give --image, an image "
                                     "whose board says key-source tpm")
        try:
                return tpm.provision_device(folder, key, os.path.abspath(args.image), args.secure_boot)
        except tpm.TpmError as error:
                raise ProvisionError(str(error)) from None


# The key sources a device can be provisioned for (the board's `key-source`); development needs none.
KEY_SOURCES = {"uefi-variable": provision_uefi_variable, "tpm": provision_tpm}


def parse_args(argv):
        parser = argparse.ArgumentParser(
                prog="aether-provision",
                description="Create a device: its OVMF variable store with the device key where the board's "
                            "key source finds it, the key file and the ground station's keyring line.")
        parser.add_argument("--device", required=True, metavar="DIR", help="the device's folder (must not exist)")
        parser.add_argument("--key-source", choices=sorted(KEY_SOURCES), default="uefi-variable",
                            help="where the image finds the key at boot (the board's key-source; default "
                                 "uefi-variable)")
        parser.add_argument("--key", metavar="KEYFILE",
                            help="the device key file (section 7.3); default: a new random key")
        parser.add_argument("--image", metavar="BOOTX64.EFI",
                            help="--key-source tpm: the image booted once to read PCR 7 (its board says "
                                 "key-source tpm; signed, for --secure-boot)")
        parser.add_argument("--secure-boot", action="store_true",
                            help="start from the Secure Boot VARS (snakeoil PK, KEK and db enrolled)")
        return parser.parse_args(argv)


def load_or_generate_key(path):
        if path is None:
                return os.urandom(len(record.DEVELOPMENT_KEY)), "a new random key"
        try:
                key = record.load_key(path)
        except record.KeyFileError as error:
                raise ProvisionError(str(error)) from None
        if key == record.DEVELOPMENT_KEY:
                raise ProvisionError("%s: the development key is public: a device needs a key of its own" % path)
        return key, path


def provision(args):
        """Makes the device folder; returns the lines that say what was created."""
        folder = os.path.abspath(args.device)
        if os.path.lexists(folder):
                raise ProvisionError("%s exists: a device is provisioned once, into a new folder" % folder)
        key, origin = load_or_generate_key(args.key)
        device = record.device_id(key).hex()
        parent = os.path.dirname(folder)
        os.makedirs(parent, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".aether-provision-", dir=parent)
        try:
                template = machine.OVMF_VARS_SECURE_BOOT_TEMPLATE if args.secure_boot else machine.OVMF_VARS_TEMPLATE
                shutil.copyfile(template, os.path.join(staging, DEVICE_VARS))
                manifest = {"device_id": device, "key_source": args.key_source, "secure_boot": args.secure_boot}
                created = ["%s: a copy of %s" % (DEVICE_VARS, template)]
                descriptor = os.open(os.path.join(staging, DEVICE_KEY), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "w") as handle:
                        handle.write("# Aether device %s: its key (%s). Secret: the ground station's only.\n%s\n"
                                     % (device, origin, key.hex()))
                with open(os.path.join(staging, DEVICE_KEYRING), "w") as handle:
                        handle.write("%s %s\n" % (device, key.hex()))
                with open(os.path.join(staging, DEVICE_MANIFEST), "w") as handle:
                        json.dump(manifest, handle, indent=2)
                        handle.write("\n")
                # Last: the tpm source boots the folder as a device (aether-run --device).
                created += KEY_SOURCES[args.key_source](staging, key, manifest, args)
                os.rename(staging, folder)
        except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        created += ["%s: the device key (%s), mode 0600" % (DEVICE_KEY, origin),
                    "%s: the keyring line for aether-verify --keyring" % DEVICE_KEYRING,
                    "%s: key source %s, Secure Boot %s" % (DEVICE_MANIFEST, args.key_source,
                                                           "enrolled" if args.secure_boot else "not enrolled")]
        return folder, device, created


def load_device(folder):
        """The manifest of a provisioned device folder (aether-run --device)."""
        path = os.path.join(folder, DEVICE_MANIFEST)
        try:
                with open(path) as handle:
                        manifest = json.load(handle)
        except (OSError, ValueError) as error:
                raise ProvisionError("%s: not a provisioned device (%s)" % (folder, error)) from None
        return manifest


def main(argv=None):
        args = parse_args(sys.argv[1:] if argv is None else argv)
        try:
                folder, device, created = provision(args)
        except (ProvisionError, ovmf_vars.VarsError, OSError) as error:
                sys.stderr.write("aether-provision: error: %s\n" % error)
                return 1
        print("aether-provision: device %s in %s (key source %s)" % (device, folder, args.key_source))
        for line in created:
                print("  " + line)
        return 0
