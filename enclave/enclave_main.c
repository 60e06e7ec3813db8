/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* enclave_main.c: after ExitBootServices: own tables, uplink, wake lines, then dormancy and the wake cycle. */
#include <stdbool.h>
#include <string.h>

#include "apic.h"
#include "config.h"
#include "cpu.h"
#include "cycle.h"
#include "fwcfg.h"
#include "halt.h"
#include "handoff.h"
#include "hw.h"
#include "interrupts.h"
#include "layout.h"
#include "log.h"
#include "paging.h"
#include "payload_iface.h"
#include "platform.h"
#include "text.h"
#include "unwind.h"
#include "uplink.h"
#include "user_layout.h"
#include "usermode.h"
#include "wake.h"

/* The stock bench wake (from the seed): an O2 / pressure drop. */
#define BENCH_VECTOR VECTOR_WAKE_PRESSURE
#define BENCH_PRESSURE_BITS 0x3df5c28fu /* 0.12f */
#define BENCH_DOSE 1250

#define FWCFG_MODE_FILE "opt/org.aether/mode"

static const struct aether_board *board;
static const struct aether_platform *platform;
static uint64_t arena;
static uint64_t boot_epoch;
static const struct aether_handoff *device; /* its key, device ID and boot flags */
static volatile uint8_t *uplink;
static uint64_t wake_seq;
static struct aether_cycle_result result;

static void mark_uplink_halted(void) {
        aether_uplink_set_state(uplink, UPLINK_STATE_HALTED);
}

/* The live loss counts in the uplink (DROPPED_WAKES, REJECTED_FRAMES). */
static void publish_losses(void) {
        aether_uplink_publish_losses(uplink, wake_dropped_count(), wake_frame_error_count());
}

_Noreturn static void end_run(const char *reason) {
        publish_losses();
        log_line("end: %s after %llu wakes (%llu dropped, %llu bad frames)", reason, (unsigned long long)wake_seq,
                 (unsigned long long)wake_dropped_count(), (unsigned long long)wake_frame_error_count());
        halt(AETHER_EXIT_SUCCESS, "run complete");
}

/* Installs our page tables (which must map the uplink region efi_main found)
 * and the guest's pages, and writes the region's header for this boot. */
static int map_uplink(uint64_t base, uint64_t size) {
        if (paging_init(arena, platform, board, base, size) < 0 || usermode_init(arena) < 0)
                return -1;
        uplink = (volatile uint8_t *)(uintptr_t)base;
        aether_uplink_init(uplink, boot_epoch, device->device_id);
        aether_uplink_write64(uplink, UPLINK_LINEAR_MEMORY_BASE, arena + ARENA_LINEAR_MEMORY);
        aether_uplink_write64(uplink, UPLINK_LINEAR_MEMORY_CAP, AETHER_MEMORY_CAP_BYTES);
        aether_uplink_write64(uplink, UPLINK_CYCLE_STACK_BASE, arena + ARENA_USER_STACK);
        aether_uplink_write64(uplink, UPLINK_CYCLE_STACK_BYTES, AETHER_CFG_CYCLE_STACK_BYTES);
        aether_uplink_write64(uplink, UPLINK_USER_VA_BASE, USER_VA_BASE);
        aether_uplink_write64(uplink, UPLINK_USER_VA_LIMIT, USER_VA_LIMIT);
        halt_set_uplink_hook(mark_uplink_halted);
        return 0;
}

/* The LAPIC timer and the TSC measured against the platform's reference
 * clock, in the log and the uplink; the watchdog's rate is set. */
static void calibrate_timer(void) {
        struct apic_rates rates;
        if (apic_calibrate(&rates) < 0)
                halt(AETHER_EXIT_BOOT_FAILURE, "the LAPIC timer could not be calibrated");
        aether_uplink_write64(uplink, UPLINK_LAPIC_TIMER_HZ, rates.lapic_timer_hz);
        aether_uplink_write64(uplink, UPLINK_LAPIC_TIMER_MEASURED_HZ, rates.measured_hz);
        aether_uplink_write64(uplink, UPLINK_TSC_HZ, rates.tsc_hz);
        aether_uplink_write64(uplink, UPLINK_TIMER_REFERENCE, rates.reference);
        if (rates.reference != AETHER_TIMER_REFERENCE_NONE)
                log_line("timer: LAPIC timer %llu Hz, TSC %llu Hz, measured over %u ms against the %s (%llu Hz)",
                         (unsigned long long)rates.measured_hz, (unsigned long long)rates.tsc_hz, APIC_CALIBRATION_MS,
                         aether_timer_reference_name(rates.reference), (unsigned long long)rates.reference_hz);
        log_line("timer: the watchdog counts at %llu Hz (%s)", (unsigned long long)rates.lapic_timer_hz,
                 platform->lapic_timer_hz ? "the board's lapic-timer-hz" : "measured");
}

/* Boot-time modes, chosen by the harness through fw_cfg (boards without
 * fw_cfg, such as real hardware, always run normally). */
enum boot_mode {
        BOOT_MODE_NORMAL,   /* sleep and serve wakes */
        BOOT_MODE_BENCH,    /* "bench": the stock bench wake, then the end */
        BOOT_MODE_FAULT_DE, /* "host-fault-de" .. "host-fault-pf": a CPU exception in */
        BOOT_MODE_FAULT_UD, /* host code once dormant, to test that each one halts */
        BOOT_MODE_FAULT_GP, /* with its own exit code */
        BOOT_MODE_FAULT_PF,
};

static const char *const boot_mode_names[] = {
        [BOOT_MODE_NORMAL] = "normal",        [BOOT_MODE_BENCH] = "bench",
        [BOOT_MODE_FAULT_DE] = "host-fault-de", [BOOT_MODE_FAULT_UD] = "host-fault-ud",
        [BOOT_MODE_FAULT_GP] = "host-fault-gp", [BOOT_MODE_FAULT_PF] = "host-fault-pf",
};

static enum boot_mode read_boot_mode(void) {
        if (!board->has_fw_cfg)
                return BOOT_MODE_NORMAL;
        char mode[32];
        if (fwcfg_read_file(board->fw_cfg_port, FWCFG_MODE_FILE, mode, sizeof(mode)) < 0)
                return BOOT_MODE_NORMAL;
        for (unsigned m = 0; m < sizeof(boot_mode_names) / sizeof(boot_mode_names[0]); m++)
                if (text_equal(mode, boot_mode_names[m], sizeof(mode)))
                        return (enum boot_mode)m;
        log_error(-1, "fw_cfg %s is \"%s\", not a known mode (bench, host-fault-de/ud/gp/pf)", FWCFG_MODE_FILE,
                  mode);
        halt(AETHER_EXIT_BOOT_FAILURE, "bad boot-time option");
}

/* A deliberate CPU exception in host code: the handler must report it and
 * halt with the exception's own exit code. */
static void raise_host_fault(enum boot_mode mode) {
        uint32_t quotient = 1, remainder = 0, divisor = 0;
        switch (mode) {
        case BOOT_MODE_NORMAL:
        case BOOT_MODE_BENCH:
                return;
        case BOOT_MODE_FAULT_DE:
                /* In asm: clang turns a C `1 / x` into a compare and never divides. */
                __asm__ volatile("divl %2" : "+a"(quotient), "+d"(remainder) : "r"(divisor));
                return;
        case BOOT_MODE_FAULT_UD:
                __asm__ volatile("ud2");
                return;
        case BOOT_MODE_FAULT_GP:
                (void)*(volatile uint64_t *)0x8000000000000000ull; /* non-canonical */
                return;
        case BOOT_MODE_FAULT_PF:
                (void)*(volatile uint64_t *)(uintptr_t)(arena + ARENA_HOST_STACK_GUARD);
                return;
        }
}

static void run_wake(const struct aether_wake *wake) {
        wake_seq++;
        aether_uplink_set_state(uplink, UPLINK_STATE_RUNNING);
        aether_cycle_begin(wake);

        /* The guest runs in ring 3 with interrupts on so the watchdog can
         * preempt it; the task priority keeps the wake lines waiting until
         * the scrub. The host itself never runs with interrupts on here. */
        lapic_block_wakes(true);
        lapic_watchdog_arm(board->watchdog_us);
        aether_cycle_guest();
        lapic_watchdog_arm(0);
        lapic_block_wakes(false);

        /* The record carries every event lost before it. No ISR runs between
         * here and the commit. */
        result.dropped_wakes = wake_dropped_count();
        result.rejected_frames = wake_frame_error_count();
        result.boot_flags = device->boot_flags;
        aether_cycle_seal(boot_epoch, wake_seq, device->device_key, device->device_id, &result);
        aether_uplink_commit(uplink, result.record, result.tag, result.telemetry, result.telemetry_len, wake_seq);
        aether_uplink_write64(uplink, UPLINK_TSC_WAKE_TO_COMMIT, read_tsc() - wake->latched_tsc);
        log_line("wake seq=%llu vector=0x%x outcome=%s status=%d proof=0x%016llx", (unsigned long long)wake_seq,
                 wake->vector, aether_fault_name(result.fields.outcome), result.fields.status,
                 (unsigned long long)result.tag);
}

static uint64_t stack_pointer(void) {
        uint64_t rsp;
        __asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
        return rsp;
}

/* The scrub after the commit: linear memory, the host's wake state and copy
 * of the result, the guest's data and stack, the gate and IST stacks, the
 * dead host stack, then the registers. */
static void scrub_after_wake(uint32_t *stack_bytes) {
        aether_cycle_scrub();
        memset(&result, 0, sizeof(result));
        *stack_bytes = (uint32_t)usermode_scrub();
        /* The host stack below this frame is dead but still holds what the
         * commit computed there (spilled status, the log line's text). Whole
         * dirty pages at least one page below the stack pointer go page-wise
         * (the callee's own frame stays out of reach); the rest up to the
         * stack pointer is zeroed by code that uses no stack. */
        uint64_t host_base = arena + ARENA_HOST_STACK;
        uint64_t near = (stack_pointer() & ~(PAGE_SIZE_4K - 1)) - PAGE_SIZE_4K;
        if (near > host_base && paging_zero_dirty(host_base, near - host_base))
                paging_flush();
        aether_zero_stack_below((void *)(uintptr_t)near);
        aether_scrub_registers();
}

void enclave_main(const struct aether_handoff *handoff) {
        board = handoff->board;
        platform = handoff->platform;
        arena = handoff->arena;
        boot_epoch = handoff->boot_epoch;
        device = handoff;

        cpu_install_descriptor_tables(arena);
        cpu_harden();
        if (map_uplink(handoff->uplink_base, handoff->uplink_size) < 0)
                halt(AETHER_EXIT_BOOT_FAILURE, "no usable uplink region");
        apic_init();
        calibrate_timer();
        aether_cycle_init(AETHER_PAYLOAD_MEMORY_MIN_PAGES, AETHER_PAYLOAD_MEMORY_MAX_PAGES);
        if (wake_init(board) < 0)
                halt(AETHER_EXIT_BOOT_FAILURE, "a wake line has no device");

        enum boot_mode mode = read_boot_mode();
        bool bench = mode == BOOT_MODE_BENCH;
        log_line("enclave up: board=%s epoch=%llu memory cap=%u pages user stack=%u bytes watchdog=%u us mode=%s",
                 board->name, (unsigned long long)boot_epoch, AETHER_CFG_MEMORY_CAP_PAGES,
                 AETHER_CFG_CYCLE_STACK_BYTES, board->watchdog_us, boot_mode_names[mode]);
        if (bench)
                wake_inject(BENCH_VECTOR, BENCH_PRESSURE_BITS, BENCH_DOSE);

        uint32_t stack_bytes = 0;
        aether_uplink_write64(uplink, UPLINK_TSC_BOOT_TO_DORMANT, read_tsc() - handoff->entry_tsc);
        publish_losses();
        aether_uplink_enter_dormancy(uplink, 0, 0);
        log_line("dormant");
        raise_host_fault(mode);
        for (;;) {
                struct aether_wake wake;
                if (wake_take(&wake)) {
                        run_wake(&wake);
                        if (bench)
                                log_line("cycle %s — guest=%d proof=0x%016llx vector=0x%x — self-annihilation",
                                         result.fields.outcome == AETHER_FAULT_NONE ? "success" : "fault",
                                         result.fields.status, (unsigned long long)result.tag, wake.vector);
                        scrub_after_wake(&stack_bytes);
                        aether_uplink_write64(uplink, UPLINK_TSC_WAKE_TO_SCRUBBED, read_tsc() - wake.latched_tsc);
                        publish_losses();
                        aether_uplink_enter_dormancy(uplink, stack_bytes, aether_cycle_last_memory_bytes());
                        if (bench)
                                end_run("bench wake done");
                        if (board->max_wakes && wake_seq >= board->max_wakes)
                                end_run("configured wake count reached");
                        continue;
                }
                if (wake_shutdown_requested())
                        end_run("shutdown requested");
                publish_losses(); /* what the last interrupts rejected or dropped */
                cpu_sleep_until_interrupt();
        }
}
