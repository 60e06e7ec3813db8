/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ring.c: the image's ring boundary in a process: the guest's stack and its guard, the gate on a stack of its own, the watchdog and the guest's CPU faults as signals. */
#define _GNU_SOURCE /* REG_RIP */

#include "ring.h"

#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#include "config.h"
#include "cycle.h"
#include "gate.h"
#include "options.h"

/*
 * In the image the guest runs in ring 3 and enters ring 0 only through the
 * gate, with interrupts off, on the gate stack: the watchdog preempts guest
 * code, never the host's. Here the guest is linked into the runner and its
 * two crossings are wrapped at link time (ld --wrap, see
 * cmake/AetherSim.cmake; ring_entry.S): aether_guest_main, where the guest
 * starts (the image's iretq to guest/start.S), which calls the guest from the
 * top of its stack as start.S does; and aether_gate_service, the gate
 * (int $0x80), which moves to a stack of its own before it touches memory.
 * So the guest's frames lie on its stack as in the image, and a guest whose
 * stack is full can still call the gate. The rules are the image's: the
 * watchdog (SIGALRM) ends the wake only while guest code runs; one that
 * fires during a gate call is taken as the call returns to the guest. A CPU
 * fault (SIGSEGV and the rest, on the signal stack) in guest code ends the
 * wake: in the stack's guard it is `exhaustion`, anywhere else `isolation`,
 * as the image classifies them. Every exit is aether_platform_leave_guest,
 * the image's path.
 */

#define GUARD_BYTES ((size_t)16 << 20) /* the image's user-stack guard */
/* The guest's stack: the image's, and the 16 bytes a host call takes here
 * but not in the image (the import's alignment and the call's return
 * address, where the image's int $0x80 pushes nothing on the user stack), so
 * that a host call at the guest's deepest point fits exactly as in the image. */
#define GATE_CALL_BYTES 16
#define GUEST_STACK_BYTES (AETHER_CFG_CYCLE_STACK_BYTES + GATE_CALL_BYTES)
#define PAGE_BYTES ((size_t)4096)
#define GATE_STACK_BYTES ((size_t)64 << 10)
#define SIGNAL_STACK_BYTES ((size_t)64 << 10)

/* The crossings (ring_entry.S) call into these, and read these stack tops. */
void sim_guest_starts(void);
uint64_t sim_gate_call(uint64_t op, uint64_t a, uint64_t b);
uint64_t __real_aether_gate_service(uint64_t op, uint64_t a, uint64_t b);
uint8_t *sim_guest_stack_top, *sim_gate_stack_top;

static uint32_t budget_us;
static uintptr_t guard_low, guard_high;
static volatile sig_atomic_t in_guest, in_gate, watchdog_pending;
static struct sim_site site;

static void set_watchdog(uint32_t us) {
        struct itimerval timer = {.it_value = {.tv_sec = us / 1000000, .tv_usec = us % 1000000}};
        setitimer(ITIMER_REAL, &timer, NULL);
}

_Noreturn static void leave_guest(aether_fault_t fault) {
        in_guest = 0;
        aether_platform_leave_guest(fault);
}

static void record_interrupted(void *context, int signal, void *address) {
        const ucontext_t *uc = context;
        site = (struct sim_site){.count = 1, .exact = true, .signal = signal, .fault_address = address};
        site.pcs[0] = (void *)(uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
}

static void on_watchdog(int signal, siginfo_t *info, void *context) {
        (void)signal, (void)info;
        if (!in_guest)
                return; /* the guest has left: ignored */
        if (in_gate) {
                watchdog_pending = 1; /* the host is never preempted: taken on the way back */
                return;
        }
        record_interrupted(context, 0, NULL);
        leave_guest(AETHER_FAULT_WATCHDOG);
}

static void on_cpu_fault(int signal, siginfo_t *info, void *context) {
        if (in_guest && !in_gate) {
                uintptr_t address = (uintptr_t)info->si_addr;
                bool guard = signal == SIGSEGV && address >= guard_low && address < guard_high;
                record_interrupted(context, guard ? 0 : signal, info->si_addr);
                leave_guest(guard ? AETHER_FAULT_EXHAUSTION : AETHER_FAULT_ISOLATION);
        }
        /* In the simulator's own code: a bug. Say so, then take the default
         * action (a core dump) as the instruction faults again. */
        static const char message[] = SIM_PROGRAM ": fatal: CPU fault in the simulator's host code\n";
        (void)!write(STDERR_FILENO, message, sizeof(message) - 1); /* nothing to do if it fails */
        struct sigaction fallback = {.sa_handler = SIG_DFL};
        sigaction(signal, &fallback, NULL);
}

void sim_guest_starts(void) {
        site = (struct sim_site){0};
        watchdog_pending = 0;
        in_gate = 0;
        in_guest = 1;
        set_watchdog(budget_us);
}

/* On the gate stack. Only a call that may end the wake is recorded:
 * backtrace() reads the guest's frames through ring_entry.S. */
uint64_t sim_gate_call(uint64_t op, uint64_t a, uint64_t b) {
        in_gate = 1;
        if (op == AETHER_GATE_TRAP || op == AETHER_GATE_COMMIT_TELEMETRY || op >= AETHER_GATE_OP_COUNT) {
                site = (struct sim_site){0};
                site.count = backtrace(site.pcs, SIM_SITE_FRAMES);
        }
        uint64_t result = __real_aether_gate_service(op, a, b);
        site.count = 0; /* it returned: the wake did not end here */
        in_gate = 0;
        if (watchdog_pending)
                leave_guest(AETHER_FAULT_WATCHDOG); /* held during the call, taken on the way back */
        return result;
}

void sim_ring_end_wake(struct sim_site *out) {
        in_guest = 0;
        set_watchdog(0);
        in_gate = 0;
        watchdog_pending = 0;
        *out = site;
}

static void *map(size_t bytes, int protection) {
        void *p = mmap(NULL, bytes, protection, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        return p == MAP_FAILED ? NULL : p;
}

int sim_ring_init(uint32_t watchdog_us, uint8_t **stack, size_t *stack_bytes) {
        budget_us = watchdog_us;
        /* The guard's end is a page boundary: the stack takes a page more above it. */
        size_t writable = AETHER_CFG_CYCLE_STACK_BYTES + PAGE_BYTES;
        uint8_t *region = map(GUARD_BYTES + writable, PROT_NONE);
        uint8_t *gate_stack = map(GATE_STACK_BYTES, PROT_READ | PROT_WRITE);
        stack_t signal_stack = {.ss_sp = map(SIGNAL_STACK_BYTES, PROT_READ | PROT_WRITE), .ss_size = SIGNAL_STACK_BYTES};
        if (!region || !gate_stack || !signal_stack.ss_sp ||
            mprotect(region + GUARD_BYTES, writable, PROT_READ | PROT_WRITE) != 0 ||
            sigaltstack(&signal_stack, NULL) != 0) {
                fprintf(stderr, SIM_PROGRAM ": cannot map the guest's stacks: %s\n", strerror(errno));
                return -1;
        }
        guard_low = (uintptr_t)region;
        guard_high = guard_low + GUARD_BYTES;
        sim_gate_stack_top = gate_stack + GATE_STACK_BYTES;
        sim_guest_stack_top = region + GUARD_BYTES + GUEST_STACK_BYTES;
        *stack = region + GUARD_BYTES;
        *stack_bytes = GUEST_STACK_BYTES;

        /* On the signal stack (the guest's may be full), and not blocked
         * while handled: each handler leaves with a longjmp. */
        struct sigaction action = {.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER};
        sigemptyset(&action.sa_mask);
        action.sa_sigaction = on_watchdog;
        sigaction(SIGALRM, &action, NULL);
        action.sa_sigaction = on_cpu_fault;
        static const int faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
        for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
                sigaction(faults[i], &action, NULL);

        void *warm_up[1];
        backtrace(warm_up, 1); /* loads the unwinder now, not inside a wake */
        return 0;
}
