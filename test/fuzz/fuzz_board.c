/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fuzz_board.c: libFuzzer harness parsing arbitrary board text and checking what it accepts. */
#include "board.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "require.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_power_of_two_region(uint64_t size) {
        return size >= 0x1000 && (size & (size - 1)) == 0;
}

static int overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) {
        return a <= b + (b_size - 1) && b <= a + (a_size - 1);
}

/* What an accepted board must satisfy, checked without the parser's code. */
static void check_accepted(const struct aether_board *b) {
        size_t name_len = strnlen(b->name, sizeof b->name);
        REQUIRE(name_len >= 1 && name_len <= AETHER_BOARD_NAME_MAX);
        REQUIRE(strspn(b->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == name_len);
        REQUIRE(b->has_lapic ? b->lapic_base % 0x1000 == 0 : b->lapic_base == 0);
        REQUIRE(b->has_ioapic ? b->ioapic_base % 0x100 == 0 && b->ioapic_pins >= 1 && b->ioapic_pins <= 240
                              : b->ioapic_base == 0 && b->ioapic_pins == 0);
        REQUIRE(b->watchdog_us >= 1 && b->watchdog_us <= 10000000);
        if (b->log.kind == AETHER_BOARD_LOG_UART)
                REQUIRE(b->log.port % 8 == 0);
        else
                REQUIRE(b->log.kind == AETHER_BOARD_LOG_DEBUGCON);
        if (b->has_fw_cfg)
                REQUIRE(b->fw_cfg_port < 0xffff);

        uint64_t regions[5][2];
        size_t count = 0;
        if (b->has_lapic) {
                regions[count][0] = b->lapic_base;
                regions[count++][1] = 0x1000;
        }
        if (b->has_ioapic) {
                regions[count][0] = b->ioapic_base;
                regions[count++][1] = 0x20;
        }
        if (b->uplink.kind == AETHER_BOARD_UPLINK_PCI) {
                REQUIRE(b->uplink.pci_bar <= 5);
                REQUIRE(is_power_of_two_region(b->uplink.pci_min_size));
        } else {
                REQUIRE(b->uplink.kind == AETHER_BOARD_UPLINK_MMIO);
                REQUIRE(b->uplink.mmio_base % 0x1000 == 0);
                REQUIRE(is_power_of_two_region(b->uplink.mmio_size));
                REQUIRE(b->uplink.mmio_base + (b->uplink.mmio_size - 1) >= b->uplink.mmio_base);
                regions[count][0] = b->uplink.mmio_base;
                regions[count++][1] = b->uplink.mmio_size;
        }
        if (b->has_sensors) {
                REQUIRE(b->sensor_pressure_addr % 4 == 0 && b->sensor_dose_addr % 4 == 0);
                regions[count][0] = b->sensor_pressure_addr;
                regions[count++][1] = 4;
                regions[count][0] = b->sensor_dose_addr;
                regions[count++][1] = 4;
        }
        for (size_t i = 0; i < count; i++)
                for (size_t j = i + 1; j < count; j++)
                        REQUIRE(!overlaps(regions[i][0], regions[i][1], regions[j][0], regions[j][1]));

        uint64_t ports[5][2] = { { b->log.port, b->log.kind == AETHER_BOARD_LOG_UART ? 8 : 1 } };
        size_t port_count = 1;
        if (b->has_exit) {
                ports[port_count][0] = b->exit_port;
                ports[port_count++][1] = 1;
        }
        if (b->has_fw_cfg) {
                ports[port_count][0] = b->fw_cfg_port;
                ports[port_count++][1] = 2;
        }
        REQUIRE(b->wake_count >= 1 && b->wake_count <= AETHER_BOARD_MAX_WAKES);
        for (uint32_t i = 0; i < b->wake_count; i++) {
                const struct aether_board_wake *w = &b->wakes[i];
                REQUIRE(w->vector == 0x20 || w->vector == 0x21);
                if (w->input == AETHER_BOARD_INPUT_GSI) {
                        REQUIRE(w->irq == 0 && (!b->has_ioapic || w->gsi < b->ioapic_pins));
                } else {
                        /* trigger, polarity and GSI come from ACPI at boot */
                        REQUIRE(w->input == AETHER_BOARD_INPUT_ISA_IRQ && w->irq < AETHER_BOARD_ISA_IRQS);
                        REQUIRE(w->gsi == 0 && !w->level_triggered && !w->active_low);
                }
                for (uint32_t j = 0; j < i; j++) {
                        const struct aether_board_wake *v = &b->wakes[j];
                        REQUIRE(w->vector != v->vector);
                        REQUIRE(w->input != v->input || (w->input == AETHER_BOARD_INPUT_GSI ? w->gsi != v->gsi
                                                                                           : w->irq != v->irq));
                }
                if (w->source == AETHER_BOARD_WAKE_UART) {
                        REQUIRE(w->uart_port % 8 == 0);
                        REQUIRE(!w->level_triggered && !w->active_low);
                        ports[port_count][0] = w->uart_port;
                        ports[port_count++][1] = 8;
                } else {
                        REQUIRE(w->source == AETHER_BOARD_WAKE_LINE);
                        REQUIRE(b->has_sensors);
                }
        }
        for (size_t i = 0; i < port_count; i++) {
                REQUIRE(ports[i][0] + ports[i][1] - 1 <= 0xffff);
                for (size_t j = i + 1; j < port_count; j++)
                        REQUIRE(!overlaps(ports[i][0], ports[i][1], ports[j][0], ports[j][1]));
        }
}

/* Writes the board back as canonical text. */
static size_t write_board(const struct aether_board *b, char *buf, size_t size) {
        size_t len = 0;
#define EMIT(...) len += (size_t)snprintf(buf + len, len < size ? size - len : 0, __VA_ARGS__)
        EMIT("aether-board 1\nname %s\n", b->name);
        if (b->has_lapic)
                EMIT("lapic 0x%" PRIx64 "\n", b->lapic_base);
        if (b->has_ioapic)
                EMIT("ioapic 0x%" PRIx64 " %" PRIu32 "\n", b->ioapic_base, b->ioapic_pins);
        if (b->lapic_timer_hz)
                EMIT("lapic-timer-hz %" PRIu32 "\n", b->lapic_timer_hz);
        EMIT("log %s %u\n", b->log.kind == AETHER_BOARD_LOG_UART ? "uart" : "debugcon", b->log.port);
        if (b->has_exit)
                EMIT("exit isa-debug-exit %u\n", b->exit_port);
        if (b->has_fw_cfg)
                EMIT("fw-cfg %u\n", b->fw_cfg_port);
        if (b->uplink.kind == AETHER_BOARD_UPLINK_PCI)
                EMIT("uplink pci %u %u bar %u min-size %" PRIu64 "\n", b->uplink.pci_vendor, b->uplink.pci_device,
                     b->uplink.pci_bar, b->uplink.pci_min_size);
        else
                EMIT("uplink mmio %" PRIu64 " 0x%" PRIx64 "\n", b->uplink.mmio_base, b->uplink.mmio_size);
        if (b->has_sensors)
                EMIT("sensor pressure mmio %" PRIu64 "\nsensor dose mmio %" PRIu64 "\n", b->sensor_pressure_addr,
                     b->sensor_dose_addr);
        for (uint32_t i = 0; i < b->wake_count; i++) {
                const struct aether_board_wake *w = &b->wakes[i];
                if (w->source == AETHER_BOARD_WAKE_UART)
                        EMIT("wake %u uart %u ", w->vector, w->uart_port);
                else
                        EMIT("wake %u line ", w->vector);
                if (w->input == AETHER_BOARD_INPUT_ISA_IRQ)
                        EMIT("irq %u\n", w->irq);
                else if (w->source == AETHER_BOARD_WAKE_UART)
                        EMIT("gsi %" PRIu32 "\n", w->gsi);
                else
                        EMIT("gsi %" PRIu32 " %s %s\n", w->gsi, w->level_triggered ? "level" : "edge",
                             w->active_low ? "low" : "high");
        }
        EMIT("watchdog-us %" PRIu32 "\nmax-wakes %" PRIu32 "\n", b->watchdog_us, b->max_wakes);
#undef EMIT
        REQUIRE(len < size);
        return len;
}

static int boards_equal(const struct aether_board *a, const struct aether_board *b) {
        int same = strcmp(a->name, b->name) == 0 && a->has_lapic == b->has_lapic && a->lapic_base == b->lapic_base &&
                   a->has_ioapic == b->has_ioapic && a->ioapic_base == b->ioapic_base &&
                   a->ioapic_pins == b->ioapic_pins &&
                   a->lapic_timer_hz == b->lapic_timer_hz && a->log.kind == b->log.kind &&
                   a->log.port == b->log.port && a->has_exit == b->has_exit && a->exit_port == b->exit_port &&
                   a->has_fw_cfg == b->has_fw_cfg && a->fw_cfg_port == b->fw_cfg_port &&
                   a->uplink.kind == b->uplink.kind && a->uplink.pci_vendor == b->uplink.pci_vendor &&
                   a->uplink.pci_device == b->uplink.pci_device && a->uplink.pci_bar == b->uplink.pci_bar &&
                   a->uplink.pci_min_size == b->uplink.pci_min_size && a->uplink.mmio_base == b->uplink.mmio_base &&
                   a->uplink.mmio_size == b->uplink.mmio_size && a->has_sensors == b->has_sensors &&
                   a->sensor_pressure_addr == b->sensor_pressure_addr &&
                   a->sensor_dose_addr == b->sensor_dose_addr && a->wake_count == b->wake_count &&
                   a->watchdog_us == b->watchdog_us && a->max_wakes == b->max_wakes;
        for (uint32_t i = 0; same && i < a->wake_count; i++) {
                const struct aether_board_wake *x = &a->wakes[i], *y = &b->wakes[i];
                same = x->vector == y->vector && x->source == y->source && x->uart_port == y->uart_port &&
                       x->input == y->input && x->irq == y->irq &&
                       x->gsi == y->gsi && x->level_triggered == y->level_triggered &&
                       x->active_low == y->active_low;
        }
        return same;
}

static void check_rejected(const struct aether_board_error *err, const uint8_t *data, size_t size) {
        size_t lines = 1;
        for (size_t i = 0; i < size; i++)
                lines += data[i] == '\n';
        REQUIRE(err->line >= 1 && err->line <= lines);
        REQUIRE(aether_board_error_message(err->kind) != NULL);
        REQUIRE(memchr(err->token, '\0', sizeof err->token) != NULL);
        char full[256], cut[8];
        size_t need = aether_board_error_format(err, full, sizeof full);
        REQUIRE(need < sizeof full && strlen(full) == need);
        REQUIRE(aether_board_error_format(err, cut, sizeof cut) == need);
        REQUIRE(strlen(cut) == sizeof cut - 1 && memcmp(cut, full, sizeof cut - 1) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct aether_board board;
        struct aether_board_error err;
        if (aether_board_parse((const char *)data, size, &board, &err) != 0) {
                check_rejected(&err, data, size);
                return 0;
        }
        check_accepted(&board);

        /* The canonical text of an accepted board parses to the same board. */
        char text[2048];
        size_t len = write_board(&board, text, sizeof text);
        struct aether_board again;
        if (aether_board_parse(text, len, &again, &err) != 0) {
                char message[256];
                aether_board_error_format(&err, message, sizeof message);
                fprintf(stderr, "canonical text rejected: %s\n%s", message, text);
                abort();
        }
        REQUIRE(boards_equal(&board, &again));
        return 0;
}
