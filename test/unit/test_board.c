/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_board.c: unit tests of the board description parser and its checks. */
#include "board.h"
#include "check.h"
#include "config.h"

#include "board_escapes.h" /* generated from AETHER_ESCAPES_BOARD by aether-board-check */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t read_file(const char *path, char *buf, size_t size) {
        FILE *f = fopen(path, "rb");
        if (!f) {
                fprintf(stderr, "FAIL: cannot open %s\n", path);
                exit(1);
        }
        size_t len = fread(buf, 1, size, f);
        fclose(f);
        if (len == size) {
                fprintf(stderr, "FAIL: %s is larger than the test expects\n", path);
                exit(1);
        }
        return len;
}

static int parse_string(const char *text, struct aether_board *board, struct aether_board_error *err) {
        return aether_board_parse(text, strlen(text), board, err);
}

static void test_qemu_q35(void) {
        char text[8192];
        size_t len = read_file(AETHER_BOARDS_DIR "/qemu-q35.board", text, sizeof text);
        struct aether_board b;
        struct aether_board_error err;
        CHECK(aether_board_parse(text, len, &b, &err) == 0);
        CHECK(strcmp(b.name, "qemu-q35") == 0);
        CHECK(b.has_lapic && b.lapic_base == 0xfee00000);
        CHECK(b.has_ioapic && b.ioapic_base == 0xfec00000);
        CHECK(b.ioapic_pins == 24);
        CHECK(b.lapic_timer_hz == 0); /* measured at boot */
        CHECK(b.log.kind == AETHER_BOARD_LOG_DEBUGCON && b.log.port == 0x402);
        CHECK(b.has_exit && b.exit_port == 0xf4);
        CHECK(b.has_fw_cfg && b.fw_cfg_port == 0x510);
        CHECK(b.uplink.kind == AETHER_BOARD_UPLINK_PCI);
        CHECK(b.uplink.pci_vendor == 0x1af4 && b.uplink.pci_device == 0x1110);
        CHECK(b.uplink.pci_bar == 2 && b.uplink.pci_min_size == 0x1000);
        CHECK(!b.has_sensors);
        CHECK(b.wake_count == 2);
        CHECK(b.wakes[0].vector == 0x20 && b.wakes[0].source == AETHER_BOARD_WAKE_UART);
        CHECK(b.wakes[0].uart_port == 0x3f8 && b.wakes[0].input == AETHER_BOARD_INPUT_ISA_IRQ && b.wakes[0].irq == 4);
        CHECK(!b.wakes[0].level_triggered && !b.wakes[0].active_low);
        CHECK(b.wakes[1].vector == 0x21 && b.wakes[1].source == AETHER_BOARD_WAKE_UART);
        CHECK(b.wakes[1].uart_port == 0x2f8 && b.wakes[1].input == AETHER_BOARD_INPUT_ISA_IRQ && b.wakes[1].irq == 3);
        CHECK(b.watchdog_us == 200000);
        CHECK(b.max_wakes == 0);
        CHECK(b.wake_queue == AETHER_CFG_WAKE_QUEUE);
        CHECK(b.key_source == AETHER_BOARD_KEY_DEVELOPMENT);
}

static void test_example_line(void) {
        char text[8192];
        size_t len = read_file(AETHER_BOARDS_DIR "/example-line.board", text, sizeof text);
        struct aether_board b;
        struct aether_board_error err;
        CHECK(aether_board_parse(text, len, &b, &err) == 0);
        CHECK(strcmp(b.name, "example-line") == 0);
        CHECK(b.lapic_timer_hz == 25000000);
        CHECK(b.log.kind == AETHER_BOARD_LOG_UART && b.log.port == 0x3f8);
        CHECK(!b.has_exit && !b.has_fw_cfg);
        CHECK(b.uplink.kind == AETHER_BOARD_UPLINK_MMIO);
        CHECK(b.uplink.mmio_base == 0xfd000000 && b.uplink.mmio_size == 0x10000);
        CHECK(b.has_sensors);
        CHECK(b.sensor_pressure_addr == 0xfd010000 && b.sensor_dose_addr == 0xfd010004);
        CHECK(b.wake_count == 2);
        CHECK(b.wakes[0].vector == 0x20 && b.wakes[0].source == AETHER_BOARD_WAKE_LINE);
        CHECK(b.wakes[0].gsi == 16 && b.wakes[0].level_triggered && b.wakes[0].active_low);
        CHECK(b.wakes[1].vector == 0x21 && b.wakes[1].source == AETHER_BOARD_WAKE_LINE);
        CHECK(b.wakes[1].gsi == 17 && !b.wakes[1].level_triggered && !b.wakes[1].active_low);
        CHECK(b.watchdog_us == 100000);
        CHECK(b.max_wakes == 1000000);
        CHECK(b.key_source == AETHER_BOARD_KEY_TPM);
}

/* The emitted header carries the file byte for byte, escapes and all. */
static void test_emitted_header(void) {
        char text[8192];
        size_t len = read_file(AETHER_ESCAPES_BOARD, text, sizeof text);
        CHECK(sizeof aether_board_text - 1 == len);
        CHECK(memcmp(aether_board_text, text, len) == 0);
        struct aether_board b;
        struct aether_board_error err;
        CHECK(aether_board_parse(aether_board_text, sizeof aether_board_text - 1, &b, &err) == 0);
        CHECK(strcmp(b.name, AETHER_BOARD_NAME) == 0);
        CHECK(strcmp(AETHER_BOARD_NAME, "escapes_0-9") == 0);
        CHECK(b.lapic_base == 0xfee00000 && b.ioapic_pins == 24); /* tab and CRLF lines */
        CHECK(b.watchdog_us == AETHER_BOARD_WATCHDOG_US_DEFAULT && b.max_wakes == 0);
        CHECK(!b.has_exit && !b.has_fw_cfg && b.wake_count == 1);
}

/* The base for the error cases, one directive a line (line numbers below). */
static const char *const base_lines[] = {
        "aether-board 1",                                   /* 1 */
        "name qemu-q35",                                    /* 2 */
        "lapic 0xfee00000",                                 /* 3 */
        "ioapic 0xfec00000 24",                             /* 4 */
        "lapic-timer-hz 1000000000",                        /* 5 */
        "log debugcon 0x402",                               /* 6 */
        "exit isa-debug-exit 0xf4",                         /* 7 */
        "fw-cfg 0x510",                                     /* 8 */
        "uplink pci 0x1af4 0x1110 bar 2 min-size 0x1000",   /* 9 */
        "wake 0x20 uart 0x3f8 gsi 4",                       /* 10 */
        "wake 0x21 uart 0x2f8 gsi 3",                       /* 11 */
        "watchdog-us 200000",                               /* 12 */
};
#define BASE_LINE_COUNT (sizeof base_lines / sizeof base_lines[0])

#define SENSORS "sensor pressure mmio 0xfd010000\nsensor dose mmio 0xfd010004\n"

/* Base with line `target` (1-based; 0 appends) replaced by `replacement`,
 * which is zero or more lines each ending in '\n'. */
static void build(char *buf, size_t size, size_t target, const char *replacement) {
        size_t len = 0;
        for (size_t i = 1; i <= BASE_LINE_COUNT; i++) {
                if (i == target)
                        len += (size_t)snprintf(buf + len, size - len, "%s", replacement);
                else
                        len += (size_t)snprintf(buf + len, size - len, "%s\n", base_lines[i - 1]);
        }
        if (target == 0)
                snprintf(buf + len, size - len, "%s", replacement);
}

static const struct error_case {
        size_t target;
        const char *replacement;
        enum aether_board_error_kind kind;
        uint32_t line;
        const char *token;
} error_cases[] = {
        { 2, "name qemu\001q35\n", AETHER_BOARD_ERROR_CONTROL_CHARACTER, 2, "" },
        { 1, "", AETHER_BOARD_ERROR_MISSING_HEADER, 1, "name" },
        { 1, "# comment first is fine\n\nname qemu-q35\n", AETHER_BOARD_ERROR_MISSING_HEADER, 3, "name" },
        { 1, "aether-board 2\n", AETHER_BOARD_ERROR_UNSUPPORTED_VERSION, 1, "2" },
        { 0, "hpet 0xfed00000\n", AETHER_BOARD_ERROR_UNKNOWN_DIRECTIVE, 13, "hpet" },
        { 0, "Lapic 0xfee00000\n", AETHER_BOARD_ERROR_UNKNOWN_DIRECTIVE, 13, "Lapic" },
        { 0, "lapic 0xfee00000\n", AETHER_BOARD_ERROR_DUPLICATE_DIRECTIVE, 13, "lapic" },
        { 0, "aether-board 1\n", AETHER_BOARD_ERROR_DUPLICATE_DIRECTIVE, 13, "aether-board" },
        { 0, SENSORS "sensor dose mmio 0xfd010008\n", AETHER_BOARD_ERROR_DUPLICATE_DIRECTIVE, 15, "sensor dose" },
        { 9, "", AETHER_BOARD_ERROR_MISSING_DIRECTIVE, 11, "uplink" },
        { 2, "", AETHER_BOARD_ERROR_MISSING_DIRECTIVE, 11, "name" },
        { 3, "lapic\n", AETHER_BOARD_ERROR_MISSING_ARGUMENT, 3, "lapic" },
        { 9, "uplink pci 0x1af4 0x1110 bar 2 min-size\n", AETHER_BOARD_ERROR_MISSING_ARGUMENT, 9, "uplink" },
        { 8, "fw-cfg 0x510 0x511\n", AETHER_BOARD_ERROR_TRAILING_TOKENS, 8, "0x511" },
        { 11, "wake 0x21 uart 0x2f8 gsi 3 edge\n", AETHER_BOARD_ERROR_TRAILING_TOKENS, 11, "edge" },
        { 9, "uplink pci 0x1af4 0x1110 bar 2 min-size 0x1000 a b c d e f\n",
          AETHER_BOARD_ERROR_TRAILING_TOKENS, 9, "a" },
        { 9, "uplink pci 0x1af4 0x1110 bars 2 min-size 0x1000\n", AETHER_BOARD_ERROR_EXPECTED_KEYWORD, 9, "bar" },
        { 7, "exit debug-exit 0xf4\n", AETHER_BOARD_ERROR_EXPECTED_KEYWORD, 7, "isa-debug-exit" },
        { 3, "lapic 0xfee0000z\n", AETHER_BOARD_ERROR_BAD_NUMBER, 3, "0xfee0000z" },
        { 3, "lapic 0x\n", AETHER_BOARD_ERROR_BAD_NUMBER, 3, "0x" },
        { 4, "ioapic 0xfec00000 -24\n", AETHER_BOARD_ERROR_BAD_NUMBER, 4, "-24" },
        { 3, "lapic 18446744073709551616\n", AETHER_BOARD_ERROR_NUMBER_OVERFLOW, 3, "18446744073709551616" },
        { 3, "lapic 0x10000000000000000\n", AETHER_BOARD_ERROR_NUMBER_OVERFLOW, 3, "0x10000000000000000" },
        { 2, "name qemu.q35\n", AETHER_BOARD_ERROR_BAD_NAME, 2, "qemu.q35" },
        { 2, "name abcdefghijklmnopqrstuvwxyz012345\n", AETHER_BOARD_ERROR_BAD_NAME, 2,
          "abcdefghijklmnopqrstuvwxyz012345" },
        { 6, "log serial 0x3f8\n", AETHER_BOARD_ERROR_BAD_LOG_KIND, 6, "serial" },
        { 9, "uplink usb 1 2\n", AETHER_BOARD_ERROR_BAD_UPLINK_KIND, 9, "usb" },
        { 0, "sensor temperature mmio 0xfd010000\n", AETHER_BOARD_ERROR_BAD_SENSOR_KIND, 13, "temperature" },
        { 11, "wake 0x21 gpio 3\n", AETHER_BOARD_ERROR_BAD_WAKE_SOURCE, 11, "gpio" },
        { 11, SENSORS "wake 0x21 line gsi 16 rising high\n", AETHER_BOARD_ERROR_BAD_TRIGGER, 13, "rising" },
        { 11, SENSORS "wake 0x21 line gsi 16 edge up\n", AETHER_BOARD_ERROR_BAD_POLARITY, 13, "up" },
        { 6, "log debugcon 0x10000\n", AETHER_BOARD_ERROR_PORT_RANGE, 6, "0x10000" },
        { 8, "fw-cfg 0xffff\n", AETHER_BOARD_ERROR_PORT_RANGE, 8, "0xffff" },
        { 9, "uplink pci 0x11af4 0x1110 bar 2 min-size 0x1000\n", AETHER_BOARD_ERROR_PCI_ID_RANGE, 9, "0x11af4" },
        { 9, "uplink pci 0x1af4 0x1110 bar 6 min-size 0x1000\n", AETHER_BOARD_ERROR_BAR_RANGE, 9, "6" },
        { 4, "ioapic 0xfec00000 241\n", AETHER_BOARD_ERROR_IOAPIC_PINS_RANGE, 4, "241" },
        { 4, "ioapic 0xfec00000 0\n", AETHER_BOARD_ERROR_IOAPIC_PINS_RANGE, 4, "0" },
        { 5, "lapic-timer-hz 0\n", AETHER_BOARD_ERROR_TIMER_HZ_RANGE, 5, "0" },
        { 5, "lapic-timer-hz 0x100000000\n", AETHER_BOARD_ERROR_TIMER_HZ_RANGE, 5, "0x100000000" },
        { 12, "watchdog-us 10000001\n", AETHER_BOARD_ERROR_WATCHDOG_RANGE, 12, "10000001" },
        { 12, "watchdog-us 0\n", AETHER_BOARD_ERROR_WATCHDOG_RANGE, 12, "0" },
        { 0, "max-wakes 4294967296\n", AETHER_BOARD_ERROR_MAX_WAKES_RANGE, 13, "4294967296" },
        { 0, "wake-queue 0\n", AETHER_BOARD_ERROR_WAKE_QUEUE_RANGE, 13, "0" },
        { 0, "wake-queue 9\n", AETHER_BOARD_ERROR_WAKE_QUEUE_RANGE, 13, "9" },
        { 0, "wake-queue 1\nwake-queue 2\n", AETHER_BOARD_ERROR_DUPLICATE_DIRECTIVE, 14, "wake-queue" },
        { 0, "key-source flash\n", AETHER_BOARD_ERROR_BAD_KEY_SOURCE, 13, "flash" },
        { 0, "key-source\n", AETHER_BOARD_ERROR_MISSING_ARGUMENT, 13, "key-source" },
        { 0, "key-source tpm\nkey-source development\n", AETHER_BOARD_ERROR_DUPLICATE_DIRECTIVE, 14, "key-source" },
        { 0, "key-source uefi-variable tpm\n", AETHER_BOARD_ERROR_TRAILING_TOKENS, 13, "tpm" },
        { 3, "lapic 0xfee00800\n", AETHER_BOARD_ERROR_MISALIGNED_PAGE, 3, "0xfee00800" },
        { 9, "uplink mmio 0xfd000100 0x1000\n", AETHER_BOARD_ERROR_MISALIGNED_PAGE, 9, "0xfd000100" },
        { 4, "ioapic 0xfec00010 24\n", AETHER_BOARD_ERROR_MISALIGNED_IOAPIC, 4, "0xfec00010" },
        { 0, "sensor dose mmio 0xfd010006\n", AETHER_BOARD_ERROR_MISALIGNED_REGISTER, 13, "0xfd010006" },
        { 11, "wake 0x21 uart 0x2f9 gsi 3\n", AETHER_BOARD_ERROR_MISALIGNED_UART, 11, "0x2f9" },
        { 6, "log uart 0x3fc\n", AETHER_BOARD_ERROR_MISALIGNED_UART, 6, "0x3fc" },
        { 9, "uplink pci 0x1af4 0x1110 bar 2 min-size 0x800\n", AETHER_BOARD_ERROR_BAD_REGION_SIZE, 9, "0x800" },
        { 9, "uplink mmio 0xfd000000 0x3000\n", AETHER_BOARD_ERROR_BAD_REGION_SIZE, 9, "0x3000" },
        { 9, "uplink mmio 0xfffffffffffff000 0x2000\n", AETHER_BOARD_ERROR_REGION_WRAPS, 9, "uplink" },
        { 9, "uplink mmio 0xfee00000 0x100000\n", AETHER_BOARD_ERROR_REGION_OVERLAP, 9, "lapic" },
        { 9, "uplink mmio 0xfec00000 0x1000\n", AETHER_BOARD_ERROR_REGION_OVERLAP, 9, "ioapic" },
        { 0, "sensor pressure mmio 0xfd010000\nsensor dose mmio 0xfd010000\n", AETHER_BOARD_ERROR_REGION_OVERLAP, 14,
          "sensor pressure" },
        { 1, "aether-board 1\nsensor pressure mmio 0xfee00ffc\nsensor dose mmio 0xfd010000\n",
          AETHER_BOARD_ERROR_REGION_OVERLAP, 5, "sensor pressure" }, /* the later line is lapic's */
        { 8, "fw-cfg 0x3f8\n", AETHER_BOARD_ERROR_PORT_OVERLAP, 10, "fw-cfg" },
        { 6, "log debugcon 0x2fc\n", AETHER_BOARD_ERROR_PORT_OVERLAP, 11, "log" },
        { 7, "exit isa-debug-exit 0x402\n", AETHER_BOARD_ERROR_PORT_OVERLAP, 7, "log" },
        { 11, "wake 0x22 uart 0x2f8 gsi 3\n", AETHER_BOARD_ERROR_BAD_VECTOR, 11, "0x22" },
        { 10, "wake 0x1f uart 0x3f8 gsi 4\n", AETHER_BOARD_ERROR_BAD_VECTOR, 10, "0x1f" },
        { 11, "wake 0x20 uart 0x2f8 gsi 3\n", AETHER_BOARD_ERROR_DUPLICATE_VECTOR, 11, "0x20" },
        { 11, "wake 32 uart 0x2f8 gsi 3\n", AETHER_BOARD_ERROR_DUPLICATE_VECTOR, 11, "32" },
        { 0, "wake 0x21 uart 0x2e8 gsi 5\n", AETHER_BOARD_ERROR_TOO_MANY_WAKES, 13, "wake" },
        { 11, "wake 0x21 uart 0x2f8 gsi 24\n", AETHER_BOARD_ERROR_GSI_RANGE, 11, "24" },
        { 11, "wake 0x21 uart 0x2f8 gsi 240\n", AETHER_BOARD_ERROR_GSI_RANGE, 11, "240" },
        { 11, "wake 0x21 uart 0x2f8 gsi 4\n", AETHER_BOARD_ERROR_DUPLICATE_GSI, 11, "4" },
        { 11, "wake 0x21 uart 0x2f8 irq 16\n", AETHER_BOARD_ERROR_IRQ_RANGE, 11, "16" },
        { 10, "wake 0x20 uart 0x3f8 irq 4\nwake 0x21 uart 0x2f8 irq 4\n", AETHER_BOARD_ERROR_DUPLICATE_IRQ, 11, "4" },
        { 11, "wake 0x21 uart 0x2f8 pin 3\n", AETHER_BOARD_ERROR_EXPECTED_KEYWORD, 11, "gsi|irq" },
        { 11, SENSORS "wake 0x21 line irq 9 level low\n", AETHER_BOARD_ERROR_TRAILING_TOKENS, 13, "level" },
        { 11, "wake 0x21 line gsi 16 level low\n", AETHER_BOARD_ERROR_SENSORS_MISSING, 11, "line" },
        { 0, "sensor dose mmio 0xfd010004\n", AETHER_BOARD_ERROR_SENSOR_UNPAIRED, 13, "sensor pressure" },
        { 0, "sensor pressure mmio 0xfd010000\n", AETHER_BOARD_ERROR_SENSOR_UNPAIRED, 13, "sensor dose" },
};

static void test_error_cases(void) {
        bool covered[AETHER_BOARD_ERROR_KIND_COUNT] = { false };
        for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
                const struct error_case *c = &error_cases[i];
                char text[4096];
                build(text, sizeof text, c->target, c->replacement);
                struct aether_board b;
                struct aether_board_error err;
                memset(&err, 0, sizeof err);
                int result = parse_string(text, &b, &err);
                bool ok = result == -1 && err.kind == c->kind && err.line == c->line &&
                          strcmp(err.token, c->token) == 0 && !err.token_truncated;
                if (!ok) {
                        char got[256];
                        aether_board_error_format(&err, got, sizeof got);
                        fprintf(stderr, "FAIL: case %zu (%s): result %d, got \"%s\", want kind %d line %u token '%s'\n",
                                i, c->replacement, result, got, (int)c->kind, (unsigned)c->line, c->token);
                        check_failures++;
                }
                covered[c->kind] = true;
        }
        for (int kind = 0; kind < AETHER_BOARD_ERROR_KIND_COUNT; kind++)
                if (!covered[kind]) {
                        fprintf(stderr, "FAIL: no test case for error kind %d\n", kind);
                        check_failures++;
                }
}

static void test_whole_texts(void) {
        struct aether_board b;
        struct aether_board_error err;
        CHECK(aether_board_parse("", 0, &b, &err) == -1);
        CHECK(err.kind == AETHER_BOARD_ERROR_MISSING_HEADER && err.line == 1 && err.token[0] == '\0');
        CHECK(parse_string("# only\n# comments\n\n", &b, &err) == -1);
        CHECK(err.kind == AETHER_BOARD_ERROR_MISSING_HEADER && err.line == 3);
        CHECK(parse_string("aether-board 1\n", &b, &err) == -1);
        CHECK(err.kind == AETHER_BOARD_ERROR_MISSING_DIRECTIVE && err.line == 1 && strcmp(err.token, "name") == 0);

        /* No wake line at all. */
        char text[4096];
        build(text, sizeof text, 11, "");
        char *wake = strstr(text, "wake");
        memmove(wake, strchr(wake, '\n') + 1, strlen(strchr(wake, '\n') + 1) + 1);
        CHECK(parse_string(text, &b, &err) == -1);
        CHECK(err.kind == AETHER_BOARD_ERROR_MISSING_DIRECTIVE && err.line == 10 && strcmp(err.token, "wake") == 0);

        /* A NUL byte is a control character, in a comment too. */
        static const char with_nul[] = "aether-board 1\n# a NUL \0 here\n";
        CHECK(aether_board_parse(with_nul, sizeof with_nul - 1, &b, &err) == -1);
        CHECK(err.kind == AETHER_BOARD_ERROR_CONTROL_CHARACTER && err.line == 2);

        /* Only len bytes count: the text is cut inside the watchdog number. */
        build(text, sizeof text, 0, "");
        size_t len = strlen(text) - strlen("00\n");
        CHECK(aether_board_parse(text, len, &b, &err) == 0);
        CHECK(b.watchdog_us == 2000);

        /* Comments after directives, blanks and tabs, CRLF, numbers in any case. */
        build(text, sizeof text, 3, "\t lapic \t 0XFEE00000   # the local APIC\r\n");
        CHECK(parse_string(text, &b, &err) == 0);
        CHECK(b.lapic_base == 0xfee00000);
        build(text, sizeof text, 0, "wake-queue 1\n");
        CHECK(parse_string(text, &b, &err) == 0);
        CHECK(b.wake_queue == 1);

        /* Each key source by name; without the directive, the development key. */
        build(text, sizeof text, 0, "");
        CHECK(parse_string(text, &b, &err) == 0 && b.key_source == AETHER_BOARD_KEY_DEVELOPMENT);
        static const struct {
                const char *line;
                enum aether_board_key_source source;
        } sources[] = {
                { "key-source development\n", AETHER_BOARD_KEY_DEVELOPMENT },
                { "key-source uefi-variable\n", AETHER_BOARD_KEY_UEFI_VARIABLE },
                { "key-source tpm   # sealed to PCR 7\n", AETHER_BOARD_KEY_TPM },
        };
        for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
                build(text, sizeof text, 0, sources[i].line);
                CHECK(parse_string(text, &b, &err) == 0 && b.key_source == sources[i].source);
        }
        build(text, sizeof text, 3, "lapic 18446744073709547520\n"); /* 2^64 - 4096 */
        CHECK(parse_string(text, &b, &err) == 0);
        CHECK(b.lapic_base == 0xfffffffffffff000);

        /* lapic, ioapic and lapic-timer-hz are optional (ACPI and the boot's
         * measure give them); without ioapic a GSI is checked at boot. An
         * `irq` and a `gsi` wake may share a number: only ACPI tells. */
        build(text, sizeof text, 3, "");
        CHECK(parse_string(text, &b, &err) == 0);
        CHECK(!b.has_lapic && b.has_ioapic);
        build(text, sizeof text, 4, "");
        char *gsi = strstr(text, "gsi 3\n") + 5; /* gsi 3 -> gsi 300 */
        memmove(gsi + 2, gsi, strlen(gsi) + 1);
        memcpy(gsi, "00", 2);
        CHECK(parse_string(text, &b, &err) == 0);
        CHECK(!b.has_ioapic && b.wakes[1].gsi == 300 && b.wakes[1].input == AETHER_BOARD_INPUT_GSI);
        build(text, sizeof text, 5, "");
        CHECK(parse_string(text, &b, &err) == 0);
        CHECK(b.lapic_timer_hz == 0);
        build(text, sizeof text, 11, "wake 0x21 uart 0x2f8 irq 4\n");
        CHECK(parse_string(text, &b, &err) == 0);
        CHECK(b.wakes[0].gsi == 4 && b.wakes[1].irq == 4 && b.wakes[1].gsi == 0);
        build(text, sizeof text, 11, SENSORS "wake 0x21 line irq 9\n");
        CHECK(parse_string(text, &b, &err) == 0);
        CHECK(b.wakes[1].source == AETHER_BOARD_WAKE_LINE && b.wakes[1].irq == 9 && !b.wakes[1].level_triggered);

        /* A long token is cut in the error and marked. */
        build(text, sizeof text, 0, "this-directive-name-is-much-longer-than-thirty-two-bytes 1\n");
        CHECK(parse_string(text, &b, &err) == -1);
        CHECK(err.kind == AETHER_BOARD_ERROR_UNKNOWN_DIRECTIVE && err.token_truncated);
        CHECK(strlen(err.token) == AETHER_BOARD_TOKEN_MAX);
}

static void test_messages(void) {
        for (int i = 0; i < AETHER_BOARD_ERROR_KIND_COUNT; i++) {
                const char *message = aether_board_error_message((enum aether_board_error_kind)i);
                CHECK(message != NULL);
                for (int j = 0; message && j < i; j++)
                        CHECK(strcmp(message, aether_board_error_message((enum aether_board_error_kind)j)) != 0);
        }
        CHECK(aether_board_error_message((enum aether_board_error_kind)AETHER_BOARD_ERROR_KIND_COUNT) == NULL);
}

static void test_format(void) {
        struct aether_board_error err = { .kind = AETHER_BOARD_ERROR_REGION_OVERLAP, .line = 12, .token = "ioapic" };
        const char *want = "line 12: MMIO region overlaps an earlier one ('ioapic')";
        char buf[128];
        CHECK(aether_board_error_format(&err, buf, sizeof buf) == strlen(want));
        CHECK(strcmp(buf, want) == 0);
        CHECK(aether_board_error_describe(&err, buf, sizeof buf) == strlen(want) - strlen("line 12: "));
        CHECK(strcmp(buf, want + strlen("line 12: ")) == 0);

        /* Cut to fit, always terminated, nothing written past len. */
        char small[12];
        memset(small, 'x', sizeof small);
        CHECK(aether_board_error_format(&err, small, 10) == strlen(want));
        CHECK(memcmp(small, want, 9) == 0 && small[9] == '\0' && small[10] == 'x');
        memset(small, 'x', sizeof small);
        CHECK(aether_board_error_format(&err, small, 0) == strlen(want));
        CHECK(small[0] == 'x');

        struct aether_board_error plain = { .kind = AETHER_BOARD_ERROR_CONTROL_CHARACTER, .line = 4000000000u };
        CHECK(aether_board_error_format(&plain, buf, sizeof buf) > 0);
        CHECK(strcmp(buf, "line 4000000000: control character in board text") == 0);

        struct aether_board_error cut = { .kind = AETHER_BOARD_ERROR_UNKNOWN_DIRECTIVE, .line = 1,
                                          .token = "h\xc3\xa9", .token_truncated = true };
        aether_board_error_format(&cut, buf, sizeof buf);
        CHECK(strcmp(buf, "line 1: unknown directive ('h??...')") == 0);
}

int main(void) {
        test_qemu_q35();
        test_example_line();
        test_emitted_header();
        test_error_cases();
        test_whole_texts();
        test_messages();
        test_format();
        return check_summary("test_board");
}
