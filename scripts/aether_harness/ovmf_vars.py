# SPDX-License-Identifier: AGPL-3.0-or-later
"""ovmf_vars: reads, adds and replaces UEFI variables in an OVMF VARS file, offline (ARCHITECTURE.md, "Provisioning").

The file is EDK II's non-volatile variable firmware volume (MdeModulePkg/Include/Guid/VariableFormat.h):
an EFI_FIRMWARE_VOLUME_HEADER ("_FVH" at offset 40, HeaderLength at 48), then at HeaderLength the
VARIABLE_STORE_HEADER (signature gEfiAuthenticatedVariableGuid, Size counting the store header, Format 0x5a,
State 0xfe), then the records, each at a 4-byte aligned offset: an AUTHENTICATED_VARIABLE_HEADER (60 bytes,
packed: StartId 0x55aa, State, Reserved, Attributes, MonotonicCount, TimeStamp, PubKeyIndex, NameSize,
DataSize, VendorGuid), the name (UTF-16LE with its NUL) and the data, unpadded (x64's ALIGNMENT is 1). The
records end where StartId is not 0x55aa (erased flash: 0xffff). A record is live in State VAR_ADDED (0x3f)
or VAR_ADDED & VAR_IN_DELETED_TRANSITION (0x3e). Replacing a variable marks its record deleted
(State &= VAR_DELETED, 0xfd) and appends the new one, as the firmware does; nothing is compacted.
"""

import struct
import uuid

AUTHENTICATED_VARIABLE_GUID = uuid.UUID("aaf32c78-947b-439a-a180-2e144ec37792")
FV_SIGNATURE = b"_FVH"
STORE_FORMATTED = 0x5A
STORE_HEALTHY = 0xFE
STORE_HEADER = struct.Struct("<16sIBBHI")                 # VARIABLE_STORE_HEADER, 28 bytes
RECORD_HEADER = struct.Struct("<HBBIQ16sIII16s")          # AUTHENTICATED_VARIABLE_HEADER, 60 bytes
START_ID = 0x55AA
VAR_ADDED = 0x3F
VAR_IN_DELETED_TRANSITION = 0xFE
VAR_DELETED = 0xFD
LIVE_STATES = (VAR_ADDED, VAR_ADDED & VAR_IN_DELETED_TRANSITION)
HEADER_ALIGNMENT = 4

NON_VOLATILE = 0x1
BOOTSERVICE_ACCESS = 0x2
RUNTIME_ACCESS = 0x4
AUTHENTICATED_ATTRIBUTES = 0x10 | 0x20                   # authenticated write access, time-based: not written here

# The image's variables (uefi/vendor_guid.h, uefi/device_key.h).
AETHER_VENDOR_GUID = uuid.UUID("7c1e5b4a-0f2d-4c3e-9a61-ae7e1c0d5e01")
DEVICE_KEY_NAME = "AetherDeviceKey"
DEVICE_KEY_ATTRIBUTES = NON_VOLATILE | BOOTSERVICE_ACCESS
BOOT_EPOCH_NAME = "AetherBootEpoch"


class VarsError(Exception):
        """The file is not an OVMF variable store this module understands, or the variable does not fit."""


def _align(offset):
        return (offset + HEADER_ALIGNMENT - 1) & ~(HEADER_ALIGNMENT - 1)


class Record:
        """One record of the store: where it is, its header fields, name and data."""

        def __init__(self, offset, state, attributes, guid, name, data, end):
                self.offset, self.state, self.attributes, self.guid = offset, state, attributes, guid
                self.name, self.data, self.end = name, data, end

        @property
        def live(self):
                return self.state in LIVE_STATES


class VarsFile:
        """An OVMF VARS image in memory: parse(), then get(), set() and bytes()."""

        def __init__(self, data, path="VARS"):
                self.data = bytearray(data)
                self.path = path
                self._parse()

        def _fail(self, problem):
                raise VarsError("%s: %s" % (self.path, problem))

        def _parse(self):
                d = self.data
                if len(d) < 56 or d[40:44] != FV_SIGNATURE:
                        self._fail("not a firmware volume (no _FVH signature at offset 40)")
                header_length = struct.unpack_from("<H", d, 48)[0]
                if header_length + STORE_HEADER.size > len(d):
                        self._fail("firmware volume header length %d runs past the file" % header_length)
                signature, size, fmt, state, _, _ = STORE_HEADER.unpack_from(d, header_length)
                if uuid.UUID(bytes_le=signature) != AUTHENTICATED_VARIABLE_GUID:
                        self._fail("variable store signature %s, not gEfiAuthenticatedVariableGuid %s"
                                   % (uuid.UUID(bytes_le=signature), AUTHENTICATED_VARIABLE_GUID))
                if fmt != STORE_FORMATTED or state != STORE_HEALTHY:
                        self._fail("variable store format 0x%02x state 0x%02x, not formatted (0x5a) and healthy (0xfe)"
                                   % (fmt, state))
                self.store_end = header_length + size
                if self.store_end > len(d):
                        self._fail("variable store of %d bytes runs past the file" % size)
                self.records = []
                offset = _align(header_length + STORE_HEADER.size)
                while offset + RECORD_HEADER.size <= self.store_end:
                        (start, state, _, attributes, _, _, _, name_size, data_size,
                         guid) = RECORD_HEADER.unpack_from(d, offset)
                        if start != START_ID:
                                break
                        name_at = offset + RECORD_HEADER.size
                        end = name_at + name_size + data_size
                        if end > self.store_end or name_size < 2 or name_size % 2:
                                self._fail("variable record at 0x%x is malformed (name %d bytes, data %d bytes)"
                                           % (offset, name_size, data_size))
                        name = d[name_at:name_at + name_size - 2].decode("utf-16-le", errors="replace")
                        data = bytes(d[name_at + name_size:end])
                        self.records.append(Record(offset, state, attributes, uuid.UUID(bytes_le=bytes(guid)),
                                                   name, data, end))
                        offset = _align(end)
                self.free_at = offset

        def find(self, name, guid=AETHER_VENDOR_GUID):
                """The live record of the variable, or None."""
                for rec in self.records:
                        if rec.live and rec.name == name and rec.guid == guid:
                                return rec
                return None

        def get(self, name, guid=AETHER_VENDOR_GUID):
                """(attributes, data) of the variable, or None when it is absent."""
                rec = self.find(name, guid)
                return None if rec is None else (rec.attributes, rec.data)

        def set(self, name, data, attributes, guid=AETHER_VENDOR_GUID):
                """Adds the variable, or replaces it (the old record deleted, the new one appended)."""
                if attributes & AUTHENTICATED_ATTRIBUTES:
                        raise VarsError("%s: %s: authenticated variables (attributes 0x%x) are not written here"
                                        % (self.path, name, attributes))
                if not data:
                        raise VarsError("%s: %s: a variable needs data (an empty one is a deletion)" % (self.path, name))
                encoded = (name + "\0").encode("utf-16-le")
                record = RECORD_HEADER.pack(START_ID, VAR_ADDED, 0, attributes, 0, bytes(16), 0, len(encoded),
                                            len(data), guid.bytes_le) + encoded + bytes(data)
                if self.free_at + len(record) > self.store_end:
                        raise VarsError("%s: the variable store is full: %s needs %d bytes, %d are free"
                                        % (self.path, name, len(record), max(0, self.store_end - self.free_at)))
                old = self.find(name, guid)
                if old is not None:
                        self.data[old.offset + 2] = old.state & VAR_DELETED
                self.data[self.free_at:self.free_at + len(record)] = record
                self._parse()

        def bytes(self):
                return bytes(self.data)


def load(path):
        with open(path, "rb") as handle:
                return VarsFile(handle.read(), path)


def save(vars_file, path):
        with open(path, "wb") as handle:
                handle.write(vars_file.bytes())


def read_variable(path, name, guid=AETHER_VENDOR_GUID):
        """(attributes, data) of a variable in the VARS file at path, or None."""
        return load(path).get(name, guid)


def write_variable(path, name, data, attributes, guid=AETHER_VENDOR_GUID):
        """Adds or replaces a variable in the VARS file at path, in place."""
        vars_file = load(path)
        vars_file.set(name, data, attributes, guid)
        save(vars_file, path)


def read_boot_epoch(path):
        """The AetherBootEpoch the last boot persisted in the VARS file at path, or None."""
        found = read_variable(path, BOOT_EPOCH_NAME)
        return None if found is None else struct.unpack("<Q", found[1])[0]
