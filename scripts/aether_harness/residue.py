# SPDX-License-Identifier: AGPL-3.0-or-later
# residue.py: looking for guest values left behind: spray patterns in the RAM file and in registers, zeroed memory.

import mmap

MASK32 = 0xFFFFFFFF

# The spray a residue test payload writes (test/hostile/residue.wat): four
# words derived at run time from the dose, so no image holds them as constants.
SPRAY_MULTIPLIER = 0x9E3779B1
SPRAY_XOR = 0x5BD1E995
SPRAY_SECOND_XOR = 0x12345678


def spray_words(dose):
        """The four 32-bit words a payload derives from the dose it read."""
        w = ((dose * SPRAY_MULTIPLIER) & MASK32) ^ SPRAY_XOR
        rotl7 = ((w << 7) | (w >> 25)) & MASK32
        return (w, ~w & MASK32, w ^ SPRAY_SECOND_XOR, rotl7)


def spray_needles(dose):
        """The two 8-byte sequences scanned for: (w, ~w) and (w ^ 0x12345678, rotl(w, 7)),
        little-endian. A random 8-byte match in 512 MiB has odds of about 2^-35."""
        words = spray_words(dose)
        return (words[0].to_bytes(4, "little") + words[1].to_bytes(4, "little"),
                words[2].to_bytes(4, "little") + words[3].to_bytes(4, "little"))


def scan_file(path, needles, limit=16):
        """Offsets (at any alignment) where any needle occurs in the file, at most `limit`."""
        hits = []
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
                for needle in needles:
                        offset = view.find(needle)
                        while offset >= 0 and len(hits) < limit:
                                hits.append(offset)
                                offset = view.find(needle, offset + 1)
        return sorted(hits)


def first_nonzero(path, base, length, chunk=1 << 20):
        """The offset of the first non-zero byte in [base, base + length) of the file, or None.
        A range that runs past the end of the file is an error (ValueError)."""
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
                if base < 0 or length < 0 or base + length > len(view):
                        raise ValueError("range 0x%x+0x%x outside the %d-byte RAM file" % (base, length, len(view)))
                for start in range(base, base + length, chunk):
                        end = min(start + chunk, base + length)
                        block = view[start:end]
                        if block.count(0) != len(block):
                                return start + next(i for i, byte in enumerate(block) if byte)
        return None


def register_hits(registers, dose_list):
        """Names of registers holding a spray word in any 32-bit lane (or a needle in a 64-bit
        lane) for any of the doses: 96 lanes against 8 words per dose, about 2^-22 by chance."""
        words = set()
        for dose in dose_list:
                words.update(spray_words(dose))
        hits = []
        for name, value in sorted(registers.items()):
                lanes = 4 if name.startswith("XMM") else 2
                if any((value >> (32 * lane)) & MASK32 in words for lane in range(lanes)):
                        hits.append(name)
        return hits
