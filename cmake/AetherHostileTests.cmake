# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherHostileTests.cmake: hostile guests, residue, soak, host CPU exceptions and the host-call fuzzer.
#
# Every payload in test/hostile/ is built into its own image through
# -DAETHER_PAYLOAD_WASM, once per memory-check mode (build.hostile_NAME with
# guard pages, build.hostile_NAME_bounds with bounds checks), and each image is
# booted once with a few wakes (boot.hostile_NAME, boot.hostile_NAME_bounds): a
# healthy wake, the hostile one, the healthy one again with the same input (same
# status), and the hostile one again (same fault).
# After every wake, while the enclave is dormant, the harness checks from
# outside that no residue spray is left in guest RAM or in the registers and
# that the whole linear memory region reads zero.

# ---- the host-call bridge under libFuzzer -------------------------------------------

aether_fuzzer(hostcall ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_hostcall.c aether_pure)

# ---- hostile payloads ----------------------------------------------------------------

# aether_hostile_test(NAME WAKES spec... EXPECT outcome... [STACK_FULL n...] [SPRAY_TELEMETRY] [WAT file]):
# assembles test/hostile/NAME.wat (or WAT, e.g. one generated in the build
# tree), builds its image and boots it through
# test/hostile/hostile_case.py with the residue checks on. STACK_FULL lists the
# wakes (1-based) that must have used the whole cycle stack; SPRAY_TELEMETRY
# requires every healthy wake to show, in its telemetry, the spray it wrote.
function(aether_hostile_test name)
  cmake_parse_arguments(ARG "SPRAY_TELEMETRY" "WAT" "WAKES;EXPECT;STACK_FULL" ${ARGN})
  if(NOT ARG_WAT)
    set(ARG_WAT ${PROJECT_SOURCE_DIR}/test/hostile/${name}.wat)
  endif()
  set(wasm ${AETHER_TEST_WASM}/hostile/${name}.wasm)
  aether_wat_payload(${wasm} ${ARG_WAT})
  add_custom_target(hostile_${name}_wasm ALL DEPENDS ${wasm})
  set(driver_args "")
  foreach(wake ${ARG_STACK_FULL})
    list(APPEND driver_args --stack-full ${wake})
  endforeach()
  if(ARG_SPRAY_TELEMETRY)
    list(APPEND driver_args --spray-telemetry)
  endif()
  # The same payload, the same wakes and the same outcomes in both memory-check
  # modes: guard pages (the default) and explicit bounds checks.
  foreach(mode guard bounds)
    set(image hostile_${name})
    if(mode STREQUAL "bounds")
      set(image hostile_${name}_bounds)
    endif()
    aether_payload_image(${image} WASM ${wasm} CONFIGURE_ARGS -DAETHER_MEMCHECK=${mode})
    aether_boot_test(${image} IMAGE ${CMAKE_BINARY_DIR}/payload-images/${image}/BOOTX64.EFI
      FIXTURES image.${image} LABELS hostile
      DRIVER ${PROJECT_SOURCE_DIR}/test/hostile/hostile_case.py DRIVER_ARGS ${driver_args}
      WAKES ${ARG_WAKES} EXPECT ${ARG_EXPECT})
  endforeach()
endfunction()

# Healthy status is dose * 2 + 1 unless the payload says otherwise.
aether_hostile_test(oob
  WAKES 0x20:pressure=1.0,dose=5 0x20:pressure=1.0,dose=-1 0x21:pressure=1.0,dose=5
        0x21:pressure=1.0,dose=-1 0x20:pressure=1.0,dose=-2 0x21:pressure=1.0,dose=-3
        0x20:pressure=1.0,dose=5
  EXPECT 11 oob 11 oob oob oob 11)

# INT_MIN / -1 and trunc_s(3e9); status = INT_MIN / dose + trunc_s(pressure * 1000).
aether_hostile_test(int_overflow
  WAKES 0x20:pressure=0.5,dose=5 0x20:pressure=0.5,dose=-1 0x21:pressure=0.5,dose=5
        0x21:pressure=3000000,dose=5 0x20:pressure=0.5,dose=-1 0x20:pressure=0.5,dose=5
  EXPECT -429496229 int_overflow -429496229 int_overflow int_overflow -429496229)

# 1000000 / dose + dose % (dose - 7): dose 5 -> 200000 + 1.
aether_hostile_test(div_by_zero
  WAKES 0x20:pressure=1.0,dose=5 0x20:pressure=1.0,dose=0 0x21:pressure=1.0,dose=5
        0x21:pressure=1.0,dose=7 0x20:pressure=1.0,dose=0
  EXPECT 200001 div_by_zero 200001 div_by_zero div_by_zero)

# trunc_s(pressure * 100) of a NaN pressure, through f32 -> i32 and f64 -> i64.
aether_hostile_test(invalid_conversion
  WAKES 0x20:pressure=0.5,dose=1 0x20:pressure=nan,dose=1 0x21:pressure=0.5,dose=1
        0x21:pressure=nan,dose=-1 0x20:pressure=nan,dose=1 0x20:pressure=0.5,dose=-1
  EXPECT 50 invalid_conversion 50 invalid_conversion invalid_conversion 50)

aether_hostile_test(unreachable
  WAKES 0x20:pressure=1.0,dose=21 0x21:pressure=1.0,dose=-4 0x20:pressure=1.0,dose=21
        0x21:pressure=1.0,dose=-4
  EXPECT 43 unreachable 43 unreachable)

# Table slots: 0 adds 1, 1 null, 2 other signature, 3 doubles; 4 and -1 outside.
aether_hostile_test(call_indirect
  WAKES 0x20:pressure=1.0,dose=0 0x20:pressure=1.0,dose=1 0x21:pressure=1.0,dose=3
        0x21:pressure=1.0,dose=2 0x20:pressure=1.0,dose=0 0x20:pressure=1.0,dose=4
        0x21:pressure=1.0,dose=-1 0x21:pressure=1.0,dose=1 0x20:pressure=1.0,dose=3
  EXPECT 1001 call_indirect 2000 call_indirect 1001 call_indirect call_indirect call_indirect 2000)

# The 500-call bound: 499 nested calls under evaluate_limits fit, 600 do not.
aether_hostile_test(exhaustion_depth
  WAKES 0x20:pressure=1.0,dose=400 0x20:pressure=1.0,dose=600 0x21:pressure=1.0,dose=400
        0x21:pressure=1.0,dose=100000
  EXPECT 400 exhaustion 400 exhaustion)

# Fat frames: 450 calls (under the 500 bound) overrun the 64 KiB cycle stack.
aether_hostile_test(exhaustion_guard
  WAKES 0x20:pressure=1.0,dose=40 0x20:pressure=1.0,dose=450 0x21:pressure=1.0,dose=40
        0x21:pressure=1.0,dose=450
  EXPECT 40 exhaustion 40 exhaustion
  STACK_FULL 2 4)

aether_hostile_test(watchdog
  WAKES 0x20:pressure=1.0,dose=9 0x20:pressure=1.0,dose=-1 0x21:pressure=1.0,dose=9
        0x21:pressure=1.0,dose=-2 0x20:pressure=1.0,dose=9
  EXPECT 19 watchdog 19 watchdog 19)

aether_hostile_test(host_call
  WAKES 0x20:pressure=1.0,dose=3 0x20:pressure=1.0,dose=-1 0x21:pressure=1.0,dose=3
        0x21:pressure=1.0,dose=-2 0x20:pressure=1.0,dose=-3 0x21:pressure=1.0,dose=-4
        0x20:pressure=1.0,dose=-5 0x21:pressure=1.0,dose=-6 0x20:pressure=1.0,dose=-7
        0x21:pressure=1.0,dose=3
  EXPECT 7 host_call 7 host_call host_call host_call host_call host_call host_call 7)

# Results' low bytes: grow 15 -> 1, grow 1 -> -1, grow 0 -> 16, grow 2^32-1 -> -1
# (0xff10ff01); grow 16 or 2^32-1 -> -1, then 1, 2, -1 (0xff0201ff).
aether_hostile_test(memory_grow
  WAKES 0x20:pressure=1.0,dose=15 0x21:pressure=1.0,dose=16 0x20:pressure=1.0,dose=15
        0x21:pressure=1.0,dose=-1 0x20:pressure=1.0,dose=65536
  EXPECT -15663359 -16645633 -15663359 -16645633 -16645633)

# Odd doses trap after spraying; even ones return 1000 (their memory read zero).
aether_hostile_test(residue
  WAKES 0x20:pressure=1.0,dose=1001 0x21:pressure=1.0,dose=2000 0x20:pressure=1.0,dose=1001
        0x21:pressure=1.0,dose=4242 0x20:pressure=1.0,dose=77 0x21:pressure=1.0,dose=2000
  EXPECT unreachable 1000 unreachable 1000 unreachable 1000
  SPRAY_TELEMETRY)

# ---- soak: one boot, many wakes ------------------------------------------------------

set(AETHER_SOAK_WAKES 1000 CACHE STRING "Wakes in the boot.soak test")
aether_wat_payload(${AETHER_TEST_WASM}/hostile/soak.wasm ${PROJECT_SOURCE_DIR}/test/hostile/soak.wat)
add_custom_target(hostile_soak_wasm ALL DEPENDS ${AETHER_TEST_WASM}/hostile/soak.wasm)
aether_payload_image(soak WASM ${AETHER_TEST_WASM}/hostile/soak.wasm)
add_test(NAME boot.soak
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/hostile/soak_case.py
          --image ${CMAKE_BINARY_DIR}/payload-images/soak/BOOTX64.EFI --wakes ${AETHER_SOAK_WAKES}
          --report ${AETHER_REPORTS}/soak.json --verify $<TARGET_FILE:aether-verify> --key ${AETHER_DEVELOPMENT_KEY})
set_tests_properties(boot.soak PROPERTIES LABELS boot TIMEOUT 600 FIXTURES_REQUIRED image.soak)

# ---- host CPU exceptions: reported, then a halt with the exception's own exit code ----

foreach(fault de:65 ud:77 gp:91 pf:93)
  string(REPLACE ":" ";" fault ${fault})
  list(GET fault 0 kind)
  list(GET fault 1 code)
  add_test(NAME boot.host_fault_${kind}
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/aether-run --image ${AETHER_EFI}
            --fw-mode host-fault-${kind} --expect-exit ${code} --timeout 60
            --report ${AETHER_REPORTS}/host_fault_${kind}.json)
  set_tests_properties(boot.host_fault_${kind} PROPERTIES LABELS boot TIMEOUT 120)
endforeach()

# ---- stack overruns: C frames far larger than a guard page -------------------------

# A wasm function can have a C frame, in wasm2c's output, far larger than a guard
# page: many live locals spill, or a call passes and receives many funcrefs (24
# bytes each) through the caller's frame. test/hostile/overrun_gen.py writes such
# payloads at build time (they are too big for the tree); its docstring has the
# details. The dose chooses: below 1000 healthy, status dose * 2 + 1; 1000 + 100
# * IMP + S scenario S, every fat frame calling the imports IMP (0 none, 1 the
# dose, 2 commit_uplink, 3 both) while it is live, until the 64 KiB user stack
# is exhausted: S = 1 evaluate_limits recurses into itself, S = 2, 3, ... the
# callees in the order given to the generator, each recursing into itself.
# Frame sizes below are clang 14's (objdump of the guest objects).
set(AETHER_OVERRUN_GEN ${PROJECT_SOURCE_DIR}/test/hostile/overrun_gen.py)
set(AETHER_OVERRUN_HEALTHY 0x20:pressure=1.0,dose=7)  # status 15 where it fits

# aether_overrun_test(NAME GEN arg... HOSTILE dose... [HEALTHY_STATUS s] [LAST_HEALTHY dose...]):
# the payload overrun_gen.py writes from the GEN arguments, booted with the
# healthy wake, then each hostile dose (vectors alternating) followed by the
# healthy wake again, then each LAST_HEALTHY dose (status dose * 2 + 1). Each
# hostile wake must be `exhaustion` with the whole stack used, each healthy one
# HEALTHY_STATUS (default 15; `exhaustion` for a frame that cannot fit at all,
# whole stack used too).
function(aether_overrun_test name)
  cmake_parse_arguments(ARG "" "HEALTHY_STATUS" "GEN;HOSTILE;LAST_HEALTHY" ${ARGN})
  if(NOT ARG_HEALTHY_STATUS)
    set(ARG_HEALTHY_STATUS 15)
  endif()
  set(wat ${AETHER_TEST_WASM}/hostile/${name}.wat)
  add_custom_command(
    OUTPUT ${wat}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${AETHER_TEST_WASM}/hostile
    COMMAND ${Python3_EXECUTABLE} ${AETHER_OVERRUN_GEN} ${ARG_GEN} -o ${wat}
    DEPENDS ${AETHER_OVERRUN_GEN}
    COMMENT "overrun_gen.py: ${name}.wat"
    VERBATIM)
  set(wakes ${AETHER_OVERRUN_HEALTHY})
  set(expect ${ARG_HEALTHY_STATUS})
  set(full "")
  if(ARG_HEALTHY_STATUS STREQUAL "exhaustion")
    set(full 1)
  endif()
  set(vector 0x21)
  foreach(dose ${ARG_HOSTILE})
    list(APPEND wakes ${vector}:pressure=1.0,dose=${dose} ${AETHER_OVERRUN_HEALTHY})
    list(APPEND expect exhaustion ${ARG_HEALTHY_STATUS})
    list(LENGTH wakes count)
    math(EXPR hostile "${count} - 1")
    list(APPEND full ${hostile})
    if(ARG_HEALTHY_STATUS STREQUAL "exhaustion")
      list(APPEND full ${count})
    endif()
    if(vector STREQUAL "0x21")
      set(vector 0x20)
    else()
      set(vector 0x21)
    endif()
  endforeach()
  foreach(dose ${ARG_LAST_HEALTHY})
    math(EXPR status "${dose} * 2 + 1")
    list(APPEND wakes 0x21:pressure=1.0,dose=${dose})
    list(APPEND expect ${status})
  endforeach()
  aether_hostile_test(${name} WAT ${wat} WAKES ${wakes} EXPECT ${expect} STACK_FULL ${full})
endfunction()

# evaluate_limits: 1024 live i64, an 8 KiB frame. Callees: S = 2 and 3, 1024
# and 2048 live i64 (8 and 16 KiB); S = 4, a call with 820 funcrefs each way
# (64 KiB); S = 5, 256 live i64 (2 KiB: deep recursion, about 30 frames); S = 6
# a recursion cycling through the 8, 16 and 2 KiB frames. Healthy dose 507
# (last, when TCG has translated them all): the 8 KiB callee two frames deep,
# the 16 KiB one one, the 2 KiB one ten, the cycle four. The image also serves
# boot.hostile_overrun_watchdog (below).
aether_overrun_test(overrun_callees
  GEN --eval spill:8192 --callee spill:8192 --callee spill:16384 --callee call:820 --callee spill:2048 --spin
  HOSTILE 1001 1202 1103 1304 1205 1306 1301 1002 1203 1004 1105 1006
  LAST_HEALTHY 507)

# evaluate_limits: 2048 live i64, 16 KiB. S = 2: a callee whose call passes
# 1000 funcrefs each way, 78 KiB: the largest frame a payload can have without
# compiling for minutes (a signature has at most 1000 parameters and 1000
# results; 128 KiB of spilled locals would take clang minutes and gigabytes).
aether_overrun_test(overrun_eval16k
  GEN --eval spill:16384 --callee call:1000
  HOSTILE 1001 1202 1301 1102)

# "About 64 KiB": evaluate_limits' call passes 720 funcrefs each way, a 56 KiB
# frame, as large as fits in the 64 KiB stack with the guest's frames above it;
# the second frame of its recursion overruns by 48 KiB.
aether_overrun_test(overrun_eval56k
  GEN --eval call:720
  HOSTILE 1001 1201 1301)

# evaluate_limits' call passes 1000 funcrefs each way: a 78 KiB frame, larger
# than the whole stack, so no wake fits, the healthy dose included, and every
# wake after one is still served.
aether_overrun_test(overrun_eval78k
  GEN --eval call:1000
  HOSTILE 1001 1301
  HEALTHY_STATUS exhaustion)

# The watchdog fires while the stack is nearly full (overrun_gen.py --spin, in
# the overrun_callees image): a calibration boot finds K, the deepest level of a
# chain of 64-byte frames below 48 KiB of evaluate_limits frames that fits with
# a commit_uplink call; then `dose=spin-1` spins, calling nothing, at level K - 1
# (less than two frames and a commit_uplink call free) and `spin-2` at K - 2
# (three) until the watchdog (board watchdog-us, 200 ms) ends the wake.
# Expected: `watchdog`, and the next wake heard and served. (Level K itself is
# left out: aether-sim's frames take one level more, and sim.equiv replays
# these wakes.)
foreach(image hostile_overrun_callees hostile_overrun_callees_bounds)
  string(REPLACE "hostile_overrun_callees" "hostile_overrun_watchdog" test ${image})
  aether_boot_test(${test} IMAGE ${CMAKE_BINARY_DIR}/payload-images/${image}/BOOTX64.EFI
    FIXTURES image.${image} LABELS hostile
    DRIVER ${PROJECT_SOURCE_DIR}/test/hostile/overrun_watchdog_case.py
    DRIVER_ARGS --calibrate 0x20:pressure=1.0,dose=2000 --calibrate 0x21:pressure=1.0,dose=2000
    WAKES ${AETHER_OVERRUN_HEALTHY} 0x21:pressure=1.0,dose=spin-1 ${AETHER_OVERRUN_HEALTHY}
          0x20:pressure=1.0,dose=spin-2 ${AETHER_OVERRUN_HEALTHY} 0x21:pressure=1.0,dose=spin-1
          ${AETHER_OVERRUN_HEALTHY}
    EXPECT 15 watchdog 15 watchdog 15 watchdog 15)
endforeach()

# ---- the gate's services against every operation and argument ---------------------------

# cycle.c for host tests of the gate (test/unit/gate_platform.c is its
# platform); it names the payload's identity, so it gets an aether_embedded.h
# of its own.
set(AETHER_GATE_TEST_GEN ${CMAKE_BINARY_DIR}/gate-test)
add_custom_command(
  OUTPUT ${AETHER_GATE_TEST_GEN}/aether_embedded.h
  COMMAND ${CMAKE_COMMAND} -E make_directory ${AETHER_GATE_TEST_GEN}
  COMMAND aether-embed ${PAYLOAD_WASM} ${AETHER_GATE_TEST_GEN}/aether_embedded.h
  DEPENDS aether-embed ${PAYLOAD_WASM}
  COMMENT "Embedding the payload identity for the gate's tests"
  VERBATIM)
aether_host_library(aether_gate ${PROJECT_SOURCE_DIR}/enclave/cycle.c ${PROJECT_SOURCE_DIR}/test/unit/gate_platform.c
  ${AETHER_GATE_TEST_GEN}/aether_embedded.h)
foreach(library aether_gate aether_gate_fuzz)
  target_include_directories(${library} PUBLIC ${PROJECT_SOURCE_DIR}/guest ${PROJECT_SOURCE_DIR}/test/unit
    ${AETHER_GATE_TEST_GEN})
endforeach()
aether_unit_test(gate SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_gate.c LIBS aether_gate)
aether_fuzzer(gate ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_gate.c aether_gate)
