# SPDX-License-Identifier: AGPL-3.0-or-later
# cpu_state.py: parsing QEMU's HMP 'info registers' text: general, XMM and control registers.

import re

_GPR = re.compile(r"\b(RAX|RBX|RCX|RDX|RSI|RDI|RBP|RSP|R8|R9|R10|R11|R12|R13|R14|R15) ?=([0-9a-fA-F]{16})\b")
_XMM = re.compile(r"\b(XMM\d\d)=([0-9a-fA-F]{16})[ _]?([0-9a-fA-F]{16})\b")
# QEMU 7.2 in long mode: "CR0=80010033 CR2=<16 hex> CR3=<16 hex> CR4=00000668" and "EFER=<16 hex>".
_CONTROL = re.compile(r"\b(CR0|CR2|CR3|CR4|EFER)=([0-9a-fA-F]{8}|[0-9a-fA-F]{16})\b")


def parse_registers(text):
        """General-purpose (64-bit) and XMM (128-bit) registers."""
        registers = {name: int(value, 16) for name, value in _GPR.findall(text)}
        for name, high, low in _XMM.findall(text):
                registers[name] = int(high + low, 16)
        return registers


def parse_control_registers(text):
        """CR0, CR2, CR3, CR4 and EFER."""
        return {name: int(value, 16) for name, value in _CONTROL.findall(text)}
