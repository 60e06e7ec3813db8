/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* hw.h: x86-64 hardware layouts (GDT, TSS, IDT, page tables, LAPIC, IOAPIC, HPET, 16550, PCI) and their accessors. */
#ifndef AETHER_HW_H
#define AETHER_HW_H

#include <stdint.h>

/* ---- port and MMIO accessors --------------------------------------------- */

static inline void outb(uint16_t port, uint8_t value) {
        __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}
static inline uint8_t inb(uint16_t port) {
        uint8_t value;
        __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
        return value;
}
static inline void outw(uint16_t port, uint16_t value) {
        __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t value) {
        __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}
static inline uint32_t inl(uint16_t port) {
        uint32_t value;
        __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
        return value;
}
static inline uint32_t mmio_read32(uint64_t address) {
        return *(volatile uint32_t *)(uintptr_t)address;
}
static inline void mmio_write32(uint64_t address, uint32_t value) {
        *(volatile uint32_t *)(uintptr_t)address = value;
}
static inline void mmio_write64(uint64_t address, uint64_t value) {
        *(volatile uint64_t *)(uintptr_t)address = value;
}
static inline uint64_t mmio_read64(uint64_t address) {
        return *(volatile uint64_t *)(uintptr_t)address;
}

/* ---- segments -------------------------------------------------------------- */

/* The user selectors follow the order SYSRET would need (data, then code),
 * though the enclave enters ring 3 with iretq. usermode.S repeats the two
 * user values. */
enum gdt_selector {
        GDT_SELECTOR_NULL = 0x00,
        GDT_SELECTOR_CODE64 = 0x08,
        GDT_SELECTOR_DATA = 0x10,
        GDT_SELECTOR_USER_DATA = 0x18, /* used with RPL 3: 0x1b */
        GDT_SELECTOR_USER_CODE = 0x20, /* used with RPL 3: 0x23 */
        GDT_SELECTOR_TSS = 0x28,       /* a 16-byte system descriptor: slots 5 and 6 */
};
#define GDT_ENTRIES 7
#define SELECTOR_RPL_USER 3

#define GDT_CODE64_DESCRIPTOR 0x00209a0000000000ull      /* present, DPL0, code, L=1 */
#define GDT_DATA_DESCRIPTOR 0x0000920000000000ull        /* present, DPL0, data, writable */
#define GDT_USER_CODE64_DESCRIPTOR 0x0020fa0000000000ull /* present, DPL3, code, L=1 */
#define GDT_USER_DATA_DESCRIPTOR 0x0000f20000000000ull   /* present, DPL3, data, writable */

struct __attribute__((packed)) descriptor_pointer {
        uint16_t limit;
        uint64_t base;
};
_Static_assert(sizeof(struct descriptor_pointer) == 10, "lgdt/lidt operand is 10 bytes");

/* The 64-bit task-state segment: only the interrupt stack table is used. */
struct __attribute__((packed)) tss64 {
        uint32_t reserved0;
        uint64_t rsp[3];
        uint64_t reserved1;
        uint64_t ist[7]; /* ist[0] is IST1 */
        uint64_t reserved2;
        uint16_t reserved3;
        uint16_t iopb_offset;
};
_Static_assert(sizeof(struct tss64) == 104, "TSS64 is 104 bytes (SDM 8.7)");

/* ---- interrupt descriptor table -------------------------------------------- */

struct __attribute__((packed)) idt_gate {
        uint16_t offset_low;
        uint16_t selector;
        uint8_t ist;        /* bits 0-2: IST index, 0 = current stack */
        uint8_t type_attr;  /* IDT_GATE_INTERRUPT */
        uint16_t offset_mid;
        uint32_t offset_high;
        uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gates are 16 bytes");

#define IDT_GATE_INTERRUPT 0x8e      /* present, DPL0, 64-bit interrupt gate (clears IF) */
#define IDT_GATE_INTERRUPT_USER 0xee /* the same with DPL3: `int` from ring 3 may use it */
#define IDT_VECTORS 256

/* The vectors the enclave uses. Exceptions are 0-31. */
enum interrupt_vector {
        VECTOR_DIVIDE_ERROR = 0,
        VECTOR_NMI = 2,
        VECTOR_INVALID_OPCODE = 6,
        VECTOR_DEBUG = 1,
        VECTOR_DOUBLE_FAULT = 8,
        VECTOR_GENERAL_PROTECTION = 13,
        VECTOR_PAGE_FAULT = 14,
        VECTOR_MACHINE_CHECK = 18,
        VECTOR_WAKE_PRESSURE = 0x20,  /* atmospheric pressure threshold */
        VECTOR_WAKE_KINETIC = 0x21,   /* kinetic joint */
        VECTOR_WATCHDOG = 0x40,       /* LAPIC timer one-shot, above the wake class */
        VECTOR_GATE = 0x80,           /* the guest's one way into ring 0 (guest/gate.h) */
        VECTOR_SPURIOUS = 0xff,
};

/* IST slots (TSS ist[n-1]): faults that can happen on a broken stack. */
enum ist_slot {
        IST_NONE = 0,
        IST_FAULT = 1,       /* #PF, #GP, #DE, ...: from ring 3 as from ring 0 */
        IST_DOUBLE_FAULT = 2,
        IST_NMI = 3,
};

/* ---- page tables (4-level, 4 KiB tables) ------------------------------------ */

enum page_flag {
        PAGE_PRESENT = 1ull << 0,
        PAGE_WRITABLE = 1ull << 1,
        PAGE_USER = 1ull << 2,        /* ring 3 may use it (if every level says so) */
        PAGE_WRITE_THROUGH = 1ull << 3,
        PAGE_CACHE_DISABLE = 1ull << 4,
        PAGE_ACCESSED = 1ull << 5,
        PAGE_DIRTY = 1ull << 6, /* set by the CPU on the first write through a 4 KiB entry */
        PAGE_LARGE = 1ull << 7, /* 2 MiB page in a page directory */
        PAGE_NO_EXECUTE = 1ull << 63, /* with EFER.NXE */
};
#define PAGE_TABLE_ENTRIES 512
#define PAGE_SIZE_4K 0x1000ull
#define PAGE_SIZE_2M 0x200000ull
#define PAGE_ADDRESS_MASK 0x000ffffffffff000ull

/* ---- local APIC (xAPIC MMIO) ------------------------------------------------ */

enum lapic_register {
        LAPIC_ID = 0x020,
        LAPIC_TPR = 0x080,
        LAPIC_EOI = 0x0b0,
        LAPIC_SVR = 0x0f0,
        LAPIC_ICR_LOW = 0x300,
        LAPIC_ICR_HIGH = 0x310,
        LAPIC_LVT_TIMER = 0x320,
        LAPIC_LVT_LINT0 = 0x350,
        LAPIC_LVT_LINT1 = 0x360,
        LAPIC_LVT_ERROR = 0x370,
        LAPIC_TIMER_INITIAL = 0x380,
        LAPIC_TIMER_CURRENT = 0x390,
        LAPIC_TIMER_DIVIDE = 0x3e0,
};
#define LAPIC_SVR_ENABLE (1u << 8)
#define LAPIC_LVT_MASKED (1u << 16)
#define LAPIC_ICR_SELF (1u << 18)         /* destination shorthand: self */
#define LAPIC_ICR_PENDING (1u << 12)
/* TPR priority class 2 blocks vectors 0x00-0x2f: the wakes wait while a cycle runs. */
#define LAPIC_TPR_BLOCK_WAKES 0x20u

/* ---- IOAPIC ------------------------------------------------------------------- */

enum ioapic_register {
        IOAPIC_REGSEL = 0x00,
        IOAPIC_WINDOW = 0x10,
};
#define IOAPIC_REDIRECTION(pin) (0x10u + 2u * (pin))
#define IOAPIC_VERSION_REGISTER 0x01u       /* bits 23:16: the highest redirection entry (pins - 1) */
#define IOAPIC_MAX_REDIRECTION_SHIFT 16

enum ioapic_redirection_flag {
        IOAPIC_ACTIVE_LOW = 1ull << 13,
        IOAPIC_LEVEL = 1ull << 15,
        IOAPIC_MASKED = 1ull << 16,
};
#define IOAPIC_DESTINATION_SHIFT 56

/* ---- HPET (IA-PC HPET 1.0a, 2.3) ------------------------------------------------------ */

enum hpet_register {
        HPET_CAPABILITIES = 0x000, /* bits 63:32: the counter period in femtoseconds; bit 13: a 64-bit counter */
        HPET_CONFIGURATION = 0x010,
        HPET_MAIN_COUNTER = 0x0f0,
};
#define HPET_REGION_SIZE 0x400
#define HPET_PERIOD_SHIFT 32
#define HPET_COUNTER_64BIT (1ull << 13)
#define HPET_ENABLE 1ull /* in HPET_CONFIGURATION: the main counter runs */
#define HPET_PERIOD_MAX_FS 100000000ull /* the spec's bound: 100 ns */

/* ---- 16550 UART ---------------------------------------------------------------- */

enum uart_register {
        UART_DATA = 0,          /* RBR/THR; DLL with DLAB */
        UART_IER = 1,           /* DLM with DLAB */
        UART_FCR = 2,           /* IIR on read */
        UART_LCR = 3,
        UART_MCR = 4,
        UART_LSR = 5,
        UART_SCRATCH = 7,
};
#define UART_IER_RX_AVAILABLE 0x01
#define UART_FCR_ENABLE_CLEAR 0x07 /* FIFO on, both cleared, trigger at 1 byte */
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
#define UART_MCR_DTR_RTS_OUT2 0x0b /* OUT2 gates the IRQ line on PC UARTs */
#define UART_MCR_DTR_RTS 0x03      /* a transmitter: no IRQ line */
#define UART_LSR_DATA_READY 0x01
#define UART_LSR_THR_EMPTY 0x20

/* ---- PCI configuration mechanism #1 ------------------------------------------------ */

enum pci_port {
        PCI_CONFIG_ADDRESS = 0xcf8,
        PCI_CONFIG_DATA = 0xcfc,
};
enum pci_config_offset {
        PCI_VENDOR_DEVICE = 0x00,
        PCI_COMMAND = 0x04,
        PCI_HEADER_TYPE = 0x0c, /* byte 2 of this dword */
        PCI_BAR0 = 0x10,
        /* type 1 (PCI-to-PCI bridge) headers */
        PCI_BRIDGE_BUSES = 0x18,            /* primary, secondary, subordinate bus numbers */
        PCI_BRIDGE_MEMORY = 0x20,           /* memory window: base and limit, bits 31:20 */
        PCI_BRIDGE_PREFETCH = 0x24,         /* prefetchable window: base and limit, bits 31:20 */
        PCI_BRIDGE_PREFETCH_BASE_HI = 0x28, /* bits 63:32 of its base */
        PCI_BRIDGE_PREFETCH_LIMIT_HI = 0x2c,
};
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_HEADER_TYPE_MASK 0x7f
#define PCI_HEADER_BRIDGE 0x01
#define PCI_HEADER_MULTIFUNCTION 0x80
#define PCI_VENDOR_NONE 0xffff
#define PCI_WINDOW_64BIT 0x1  /* in the prefetchable window's base: upper 32 bits present */
#define PCI_ECAM_BUS_SHIFT 20 /* ECAM: bus << 20 | slot << 15 | function << 12 | offset */
#define PCI_ECAM_SLOT_SHIFT 15
#define PCI_ECAM_FUNCTION_SHIFT 12
#define PCI_BAR_IO 0x1
#define PCI_BAR_TYPE_64 0x4

/* ---- CPU registers ---------------------------------------------------------------------- */

static inline uint64_t read_cr2(void) {
        uint64_t value;
        __asm__ volatile("mov %%cr2, %0" : "=r"(value));
        return value;
}
static inline uint64_t read_cr3(void) {
        uint64_t value;
        __asm__ volatile("mov %%cr3, %0" : "=r"(value));
        return value;
}
static inline void write_cr3(uint64_t value) {
        __asm__ volatile("mov %0, %%cr3" : : "r"(value) : "memory");
}
static inline uint64_t read_cr0(void) {
        uint64_t value;
        __asm__ volatile("mov %%cr0, %0" : "=r"(value));
        return value;
}
static inline void write_cr0(uint64_t value) {
        __asm__ volatile("mov %0, %%cr0" : : "r"(value) : "memory");
}
static inline uint64_t read_cr4(void) {
        uint64_t value;
        __asm__ volatile("mov %%cr4, %0" : "=r"(value));
        return value;
}
static inline void write_cr4(uint64_t value) {
        __asm__ volatile("mov %0, %%cr4" : : "r"(value) : "memory");
}
static inline uint64_t read_msr(uint32_t msr) {
        uint32_t low, high;
        __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
        return ((uint64_t)high << 32) | low;
}
static inline void write_msr(uint32_t msr, uint64_t value) {
        __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)) : "memory");
}
static inline void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]) {
        __asm__ volatile("cpuid" : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3]) : "a"(leaf), "c"(subleaf));
}

enum cr0_bit {
        CR0_WP = 1ull << 16, /* supervisor writes honour read-only pages */
};
enum cr4_bit {
        CR4_TSD = 1ull << 2,         /* rdtsc is privileged */
        CR4_OSXMMEXCPT = 1ull << 10, /* SIMD float exceptions are #XM */
        CR4_UMIP = 1ull << 11,       /* sgdt, sidt, sldt, smsw, str are privileged */
        CR4_FSGSBASE = 1ull << 16,   /* rd/wr{fs,gs}base in ring 3: kept off */
        CR4_OSXSAVE = 1ull << 18,
        CR4_SMEP = 1ull << 20,       /* ring 0 never executes a user page */
        CR4_SMAP = 1ull << 21,       /* ring 0 reads and writes user pages only under stac */
        CR4_PKE = 1ull << 22,        /* protection keys: kept off */
};
enum msr_index {
        MSR_SYSENTER_CS = 0x174,
        MSR_EFER = 0xc0000080,
        MSR_FS_BASE = 0xc0000100,
        MSR_GS_BASE = 0xc0000101,
        MSR_KERNEL_GS_BASE = 0xc0000102,
};
enum efer_bit {
        EFER_SCE = 1ull << 0,  /* syscall/sysret: kept off, so syscall in ring 3 is #UD */
        EFER_NXE = 1ull << 11, /* the no-execute page bit */
};
#define RFLAGS_AC (1ull << 18)

static inline uint64_t read_tsc(void) {
        uint32_t low, high;
        __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
        return ((uint64_t)high << 32) | low;
}
static inline void cpu_disable_interrupts(void) {
        __asm__ volatile("cli" : : : "memory");
}
static inline void cpu_enable_interrupts(void) {
        __asm__ volatile("sti" : : : "memory");
}
/* sti's one-instruction shadow makes "sti; hlt" race-free: a wake that became
 * pending while interrupts were off is taken after hlt starts waiting. */
static inline void cpu_sleep_until_interrupt(void) {
        __asm__ volatile("sti; hlt; cli" : : : "memory");
}

#endif
