/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* wake.c: per-line frame parsing in the ISR and a bounded queue of latched wakes. */
#include "wake.h"

#include "apic.h"
#include "config.h"
#include "frame.h"
#include "hw.h"
#include "log.h"
#include "uart.h"

struct wake_line {
        struct aether_board_wake config;
        struct aether_frame_parser parser;
        bool injected;                 /* bench: the next service takes `injected_wake` */
        struct aether_wake injected_wake;
};

static struct wake_line lines[AETHER_BOARD_MAX_WAKES];
static uint32_t line_count;
static uint64_t sensor_pressure_addr, sensor_dose_addr;

static struct aether_wake queue[AETHER_CFG_WAKE_QUEUE];
static uint32_t queue_head, queue_tail; /* head - tail = queued */
static uint32_t queue_capacity;         /* the board's wake-queue, <= AETHER_CFG_WAKE_QUEUE */
static uint64_t dropped, frame_errors;
static bool shutdown_requested;

int wake_init(const struct aether_board *board) {
        line_count = board->wake_count;
        queue_capacity = board->wake_queue;
        sensor_pressure_addr = board->sensor_pressure_addr;
        sensor_dose_addr = board->sensor_dose_addr;
        for (uint32_t i = 0; i < line_count; i++) {
                struct wake_line *line = &lines[i];
                line->config = board->wakes[i];
                aether_frame_parser_reset(&line->parser);
                if (line->config.source == AETHER_BOARD_WAKE_UART && !uart_init_receiver(line->config.uart_port))
                        return log_error(-1, "wake line 0x%x: no 16550 answers at port 0x%x", line->config.vector,
                                         line->config.uart_port);
                ioapic_route(line->config.gsi, line->config.vector, line->config.level_triggered,
                             line->config.active_low);
                log_line("wake line: vector 0x%x <- %s port 0x%x gsi %u", line->config.vector,
                         line->config.source == AETHER_BOARD_WAKE_UART ? "uart" : "line",
                         line->config.uart_port, line->config.gsi);
        }
        return 0;
}

static void enqueue(const struct aether_wake *wake) {
        if (queue_head - queue_tail == queue_capacity) {
                dropped++;
                return;
        }
        queue[queue_head++ % AETHER_CFG_WAKE_QUEUE] = *wake;
}

static void drain_uart(struct wake_line *line, uint64_t entry_tsc) {
        uint8_t byte;
        for (unsigned i = 0; i < UART_DRAIN_MAX && uart_receive(line->config.uart_port, &byte); i++) {
                struct aether_frame frame;
                switch (aether_frame_feed(&line->parser, byte, &frame)) {
                case AETHER_FRAME_EVENT_NONE:
                        break;
                case AETHER_FRAME_EVENT_WAKE:
                        enqueue(&(struct aether_wake){line->config.vector, frame.pressure_bits, frame.dose,
                                                      entry_tsc});
                        break;
                case AETHER_FRAME_EVENT_SHUTDOWN:
                        shutdown_requested = true;
                        break;
                case AETHER_FRAME_EVENT_ERROR:
                        frame_errors++;
                        log_line("frame rejected on vector 0x%x: %s", line->config.vector,
                                 aether_frame_error_name(frame.error));
                        break;
                }
        }
}

void wake_service(uint8_t vector, uint64_t entry_tsc) {
        for (uint32_t i = 0; i < line_count; i++) {
                struct wake_line *line = &lines[i];
                if (line->config.vector != vector)
                        continue;
                if (line->injected) {
                        line->injected = false;
                        line->injected_wake.latched_tsc = entry_tsc;
                        enqueue(&line->injected_wake);
                } else if (line->config.source == AETHER_BOARD_WAKE_UART) {
                        drain_uart(line, entry_tsc);
                } else {
                        enqueue(&(struct aether_wake){vector, mmio_read32(sensor_pressure_addr),
                                                      (int32_t)mmio_read32(sensor_dose_addr), entry_tsc});
                }
        }
}

void wake_inject(uint8_t vector, uint32_t pressure_bits, int32_t dose) {
        for (uint32_t i = 0; i < line_count; i++) {
                if (lines[i].config.vector != vector)
                        continue;
                lines[i].injected_wake = (struct aether_wake){vector, pressure_bits, dose, 0};
                lines[i].injected = true;
                lapic_self_interrupt(vector);
                return;
        }
        log_line("bench: no wake line on vector 0x%x to inject into", vector);
}

bool wake_take(struct aether_wake *out) {
        if (queue_head == queue_tail)
                return false;
        *out = queue[queue_tail++ % AETHER_CFG_WAKE_QUEUE];
        return true;
}

bool wake_shutdown_requested(void) {
        return shutdown_requested;
}

uint64_t wake_dropped_count(void) {
        return dropped;
}

uint64_t wake_frame_error_count(void) {
        return frame_errors;
}
