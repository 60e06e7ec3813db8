/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* board.h: the board description, parsed at build time and again at boot. */
#ifndef AETHER_BOARD_H
#define AETHER_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The format is described in ARCHITECTURE.md, "Board description", and by
 * the commented enclave/boards/qemu-q35.board. */
#define AETHER_BOARD_FORMAT_VERSION 1
#define AETHER_BOARD_NAME_MAX 31
#define AETHER_BOARD_MAX_WAKES 2
#define AETHER_BOARD_WAKE_VECTOR_FIRST 0x20
#define AETHER_BOARD_WAKE_VECTOR_LAST 0x21
#define AETHER_BOARD_IOAPIC_MAX_PINS 240
#define AETHER_BOARD_ISA_IRQS 16
#define AETHER_BOARD_WATCHDOG_US_DEFAULT 200000
#define AETHER_BOARD_WATCHDOG_US_MAX 10000000

/* The MMIO and I/O port footprints the consistency checks use. */
#define AETHER_BOARD_LAPIC_SIZE 0x1000
#define AETHER_BOARD_IOAPIC_SIZE 0x20
#define AETHER_BOARD_SENSOR_SIZE 4
#define AETHER_BOARD_UART_PORTS 8    /* a 16550 decodes port .. port+7 */
#define AETHER_BOARD_FW_CFG_PORTS 2  /* selector at port, data at port+1 */

enum aether_board_log_kind {
        AETHER_BOARD_LOG_DEBUGCON, /* write-only byte port (QEMU -debugcon) */
        AETHER_BOARD_LOG_UART,     /* 16550 transmitter */
};

enum aether_board_uplink_kind {
        AETHER_BOARD_UPLINK_PCI,  /* a BAR of the PCI function with these IDs */
        AETHER_BOARD_UPLINK_MMIO, /* a fixed MMIO window */
};

enum aether_board_wake_source {
        AETHER_BOARD_WAKE_UART, /* sensor frames arrive on a 16550 */
        AETHER_BOARD_WAKE_LINE, /* a plain line; values come from the sensor registers */
};

/* Where the image takes the device key from (ARCHITECTURE.md, "Key sources"). */
enum aether_board_key_source {
        AETHER_BOARD_KEY_DEVELOPMENT,   /* `key-source development`: the public development key (the default) */
        AETHER_BOARD_KEY_UEFI_VARIABLE, /* `key-source uefi-variable`: the provisioned AetherDeviceKey variable */
        AETHER_BOARD_KEY_TPM,           /* `key-source tpm`: sealed by the TPM to PCR 7 */
};

/* How a wake names its interrupt line. */
enum aether_board_wake_input {
        AETHER_BOARD_INPUT_GSI,     /* `gsi N`: a global system interrupt; trigger and polarity from the board */
        AETHER_BOARD_INPUT_ISA_IRQ, /* `irq N`: an ISA IRQ, translated at boot through ACPI's overrides */
};

/* The GSI, trigger and polarity of an `irq` wake are filled in at boot
 * (aether_platform_resolve); the parser leaves them 0. */
struct aether_board_wake {
        uint8_t vector;                       /* 0x20 or 0x21 */
        enum aether_board_wake_source source;
        uint16_t uart_port;                   /* source UART only */
        enum aether_board_wake_input input;
        uint8_t irq;                          /* ISA IRQ input only, 0..15 */
        uint32_t gsi;                         /* the IOAPIC input (global system interrupt) */
        bool level_triggered;                 /* GSI input: UART false (ISA edge), line from the board */
        bool active_low;                      /* GSI input: UART false (ISA active high), line from the board */
};

struct aether_board {
        char name[AETHER_BOARD_NAME_MAX + 1]; /* NUL-terminated */
        bool has_lapic;      /* `lapic` given: ACPI must agree; else ACPI's */
        uint64_t lapic_base;
        bool has_ioapic;     /* `ioapic` given: ACPI's IOAPIC at GSI base 0 must agree; else ACPI's */
        uint64_t ioapic_base;
        uint32_t ioapic_pins;
        uint32_t lapic_timer_hz; /* 0: not given, the rate is measured at boot */
        struct {
                enum aether_board_log_kind kind;
                uint16_t port;
        } log;
        bool has_exit;       /* QEMU isa-debug-exit; otherwise the end is cli; hlt */
        uint16_t exit_port;
        bool has_fw_cfg;     /* QEMU fw_cfg; only then are boot-time options read */
        uint16_t fw_cfg_port;
        struct {
                enum aether_board_uplink_kind kind;
                uint16_t pci_vendor;   /* PCI only */
                uint16_t pci_device;   /* PCI only */
                uint8_t pci_bar;       /* PCI only, 0..5 */
                uint64_t pci_min_size; /* PCI only, power of two >= 0x1000 */
                uint64_t mmio_base;    /* MMIO only, 4 KiB aligned */
                uint64_t mmio_size;    /* MMIO only, power of two >= 0x1000 */
        } uplink;
        bool has_sensors;    /* both sensor registers given */
        uint64_t sensor_pressure_addr;
        uint64_t sensor_dose_addr;
        struct aether_board_wake wakes[AETHER_BOARD_MAX_WAKES];
        uint32_t wake_count; /* 1 or 2 */
        uint32_t watchdog_us;
        uint32_t max_wakes;  /* 0: unlimited */
        uint32_t wake_queue; /* wakes that may wait, 1..AETHER_CFG_WAKE_QUEUE; one more is dropped */
        enum aether_board_key_source key_source; /* AETHER_BOARD_KEY_DEVELOPMENT when not given */
};

/* Every way a board description can be wrong. Each has its own message. */
enum aether_board_error_kind {
        AETHER_BOARD_ERROR_CONTROL_CHARACTER,
        AETHER_BOARD_ERROR_MISSING_HEADER,
        AETHER_BOARD_ERROR_UNSUPPORTED_VERSION,
        AETHER_BOARD_ERROR_UNKNOWN_DIRECTIVE,
        AETHER_BOARD_ERROR_DUPLICATE_DIRECTIVE,
        AETHER_BOARD_ERROR_MISSING_DIRECTIVE,
        AETHER_BOARD_ERROR_MISSING_ARGUMENT,
        AETHER_BOARD_ERROR_TRAILING_TOKENS,
        AETHER_BOARD_ERROR_EXPECTED_KEYWORD,
        AETHER_BOARD_ERROR_BAD_NUMBER,
        AETHER_BOARD_ERROR_NUMBER_OVERFLOW,
        AETHER_BOARD_ERROR_BAD_NAME,
        AETHER_BOARD_ERROR_BAD_LOG_KIND,
        AETHER_BOARD_ERROR_BAD_UPLINK_KIND,
        AETHER_BOARD_ERROR_BAD_SENSOR_KIND,
        AETHER_BOARD_ERROR_BAD_WAKE_SOURCE,
        AETHER_BOARD_ERROR_BAD_TRIGGER,
        AETHER_BOARD_ERROR_BAD_POLARITY,
        AETHER_BOARD_ERROR_PORT_RANGE,
        AETHER_BOARD_ERROR_PCI_ID_RANGE,
        AETHER_BOARD_ERROR_BAR_RANGE,
        AETHER_BOARD_ERROR_IOAPIC_PINS_RANGE,
        AETHER_BOARD_ERROR_TIMER_HZ_RANGE,
        AETHER_BOARD_ERROR_WATCHDOG_RANGE,
        AETHER_BOARD_ERROR_MAX_WAKES_RANGE,
        AETHER_BOARD_ERROR_MISALIGNED_PAGE,
        AETHER_BOARD_ERROR_MISALIGNED_IOAPIC,
        AETHER_BOARD_ERROR_MISALIGNED_REGISTER,
        AETHER_BOARD_ERROR_MISALIGNED_UART,
        AETHER_BOARD_ERROR_BAD_REGION_SIZE,
        AETHER_BOARD_ERROR_REGION_WRAPS,
        AETHER_BOARD_ERROR_REGION_OVERLAP,
        AETHER_BOARD_ERROR_PORT_OVERLAP,
        AETHER_BOARD_ERROR_BAD_VECTOR,
        AETHER_BOARD_ERROR_DUPLICATE_VECTOR,
        AETHER_BOARD_ERROR_TOO_MANY_WAKES,
        AETHER_BOARD_ERROR_GSI_RANGE,
        AETHER_BOARD_ERROR_DUPLICATE_GSI,
        AETHER_BOARD_ERROR_SENSORS_MISSING,
        AETHER_BOARD_ERROR_SENSOR_UNPAIRED,
        AETHER_BOARD_ERROR_IRQ_RANGE,
        AETHER_BOARD_ERROR_DUPLICATE_IRQ,
        AETHER_BOARD_ERROR_WAKE_QUEUE_RANGE,
        AETHER_BOARD_ERROR_BAD_KEY_SOURCE,
};
#define AETHER_BOARD_ERROR_KIND_COUNT 44

/* Longest token kept in an error; longer ones are cut and marked. */
#define AETHER_BOARD_TOKEN_MAX 32

struct aether_board_error {
        enum aether_board_error_kind kind;
        uint32_t line;                          /* 1-based line of the offending directive */
        char token[AETHER_BOARD_TOKEN_MAX + 1]; /* offending word, "" if none; NUL-terminated */
        bool token_truncated;
};

/* Parses and checks len bytes of board text (not necessarily NUL-terminated).
 * Returns 0 and fills *out, or returns -1 and fills *err; *out is then
 * unspecified. */
int aether_board_parse(const char *text, size_t len, struct aether_board *out,
                       struct aether_board_error *err);

/* The fixed message of an error kind; NULL outside the enum. */
const char *aether_board_error_message(enum aether_board_error_kind kind);

/* Writes "<message> ('<token>')" (no token part when the token is empty)
 * into buf, cut to fit and always NUL-terminated when len > 0; bytes of the
 * token outside printable ASCII show as '?'. Returns the length the whole
 * text needs, without the NUL. */
size_t aether_board_error_describe(const struct aether_board_error *err, char *buf, size_t len);

/* The same, prefixed with "line N: ". */
size_t aether_board_error_format(const struct aether_board_error *err, char *buf, size_t len);

#endif
