# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherProof.cmake: SipHash, SHA-256, the proof record and the aether-verify ground-station tool.

aether_host_executable(aether-verify SOURCES ${PROJECT_SOURCE_DIR}/enclave/tools/aether_verify.c)

aether_unit_test(siphash SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_siphash.c)
aether_unit_test(proof SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_proof.c)
target_compile_definitions(test_proof PRIVATE
  AETHER_DEV_KEY_FILE="${PROJECT_SOURCE_DIR}/enclave/keys/development.key")
aether_fuzzer(proof_decode ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_proof_decode.c aether_pure)

# CLI tests: verify_fixtures writes signed reports, dumps and streams (and
# damaged ones) with the development key; verify_cli.cmake runs aether-verify
# on them and checks its exit status and output.
aether_host_executable(verify_fixtures SOURCES ${PROJECT_SOURCE_DIR}/test/unit/verify_fixtures.c)
set(AETHER_VERIFY_FIXTURES ${CMAKE_CURRENT_BINARY_DIR}/verify-fixtures)
set(AETHER_DEV_KEY ${PROJECT_SOURCE_DIR}/enclave/keys/development.key)
add_test(NAME cli.verify.fixtures
         COMMAND verify_fixtures ${AETHER_DEV_KEY} ${AETHER_VERIFY_FIXTURES})
set_tests_properties(cli.verify.fixtures PROPERTIES FIXTURES_SETUP verify_fixtures LABELS cli)

# aether_verify_test(NAME RC ARGS... EXPECT regex...): aether-verify ARGS,
# run in the fixture directory, must exit with RC and print output matching
# every regex.
function(aether_verify_test name rc)
  cmake_parse_arguments(ARG "" "" "ARGS;EXPECT" ${ARGN})
  string(REPLACE ";" "\\;" args "${ARG_ARGS}")
  string(REPLACE ";" "\\;" expect "${ARG_EXPECT}")
  add_test(NAME cli.verify.${name}
           COMMAND ${CMAKE_COMMAND}
                   -DVERIFY=$<TARGET_FILE:aether-verify> -DDIR=${AETHER_VERIFY_FIXTURES}
                   -DRC=${rc} -DARGS=${args} -DEXPECT=${expect}
                   -P ${PROJECT_SOURCE_DIR}/test/unit/verify_cli.cmake)
  set_tests_properties(cli.verify.${name} PROPERTIES FIXTURES_REQUIRED verify_fixtures LABELS cli)
endfunction()

set(valid_line "valid epoch=1 seq=1 vector=0x20 outcome=ok status=3 proof=0x[0-9a-f]+\n")
aether_verify_test(all_formats 0
  ARGS --key ${AETHER_DEV_KEY} report.json uplink.bin stream.aepr
  EXPECT "report.json#0: ${valid_line}"
         "report.json#1: valid epoch=1 seq=2 vector=0x21 "
         "report.json#2: valid epoch=1 seq=3 "
         "uplink.bin#0: valid epoch=1 seq=4 "
         "stream.aepr#1: valid epoch=1 seq=6 "
         "stream.aepr#2: valid epoch=2 seq=1 "
         "aether-verify: 7 valid, 0 invalid")
aether_verify_test(tampered 1
  ARGS --key ${AETHER_DEV_KEY} tampered.json
  EXPECT "tampered.json#0: valid" "tampered.json#1: INVALID [(]bad tag[)]\n"
         "tampered.json#2: INVALID [(]sequence gap [(]expected 2, got 3[)][)]" "1 valid, 2 invalid")
aether_verify_test(wrong_key 1
  ARGS --key other.key report.json
  EXPECT "report.json#0: INVALID [(]bad tag[)]" "0 valid, 3 invalid")
aether_verify_test(replay_across_inputs 1
  ARGS --key ${AETHER_DEV_KEY} report.json report.json
  EXPECT "report.json#0: valid" "report.json#0: INVALID [(]replay[)]" "3 valid, 3 invalid")
aether_verify_test(rules 1
  ARGS --key ${AETHER_DEV_KEY} rules.aepr
  EXPECT "rules.aepr#0: ${valid_line}"
         "rules.aepr#1: INVALID [(]replay[)]\n"
         "rules.aepr#2: INVALID [(]sequence gap [(]expected 2, got 3[)][)]\n"
         "rules.aepr#3: INVALID [(]sequence gap [(]expected 1, got 5[)][)]\n"
         "rules.aepr#4: valid epoch=2 seq=1 "
         "rules.aepr#5: INVALID [(]epoch went back[)]\n"
         "rules.aepr#6: valid epoch=2 seq=2 "
         "rules.aepr#7: INVALID [(]unknown version 2[)]\n"
         "rules.aepr#8: INVALID [(]malformed record: vector[)]\n"
         "rules.aepr#9: INVALID [(]malformed record: truncated proof stream entry[)]\n"
         "aether-verify: 3 valid, 7 invalid")
aether_verify_test(uplink_record_length 1
  ARGS --key ${AETHER_DEV_KEY} uplink-badlen.bin
  EXPECT "uplink-badlen.bin#0: INVALID [(]malformed record: uplink record length 96[)]")
aether_verify_test(odd_wakes 1
  ARGS --key ${AETHER_DEV_KEY} odd-wakes.json
  EXPECT "odd-wakes.json#0: INVALID [(]malformed wake: not an object[)]"
         "odd-wakes.json#1: INVALID [(]malformed record: \"record\" is not 224 hexadecimal digits[)]"
         "odd-wakes.json#2: INVALID [(]malformed record" "0 valid, 3 invalid")
aether_verify_test(no_records 1
  ARGS --key ${AETHER_DEV_KEY} empty.json
  EXPECT "0 valid, 0 invalid" "no records read")
aether_verify_test(broken_json 2
  ARGS --key ${AETHER_DEV_KEY} broken.json
  EXPECT "broken.json: not valid JSON")
aether_verify_test(no_wakes 2
  ARGS --key ${AETHER_DEV_KEY} nowakes.json
  EXPECT "nowakes.json: a harness report is an object with one \"wakes\" array")
aether_verify_test(unknown_input 2
  ARGS --key ${AETHER_DEV_KEY} notes.txt
  EXPECT "notes.txt: neither a harness report")
aether_verify_test(missing_input 2
  ARGS --key ${AETHER_DEV_KEY} missing.json
  EXPECT "missing.json: No such file")
aether_verify_test(bad_key_file 2
  ARGS --key bad.key report.json
  EXPECT "bad.key: malformed key file: line 2, column 5: not a hexadecimal digit")
aether_verify_test(short_key_file 2
  ARGS --key short.key report.json
  EXPECT "short.key: malformed key file: line 1: fewer than 32 hexadecimal digits")
aether_verify_test(bad_state_file 2
  ARGS --key ${AETHER_DEV_KEY} --state bad-state.txt report.json
  EXPECT "bad-state.txt: malformed state file")
aether_verify_test(no_key 2
  ARGS report.json
  EXPECT "--key KEYFILE is required" "usage: aether-verify")
aether_verify_test(no_arguments 2
  EXPECT "usage: aether-verify")

# --state carries the last accepted record across runs: the second run of
# the same report is a replay.
aether_verify_test(state_first 0
  ARGS --key ${AETHER_DEV_KEY} --state state.txt report.json
  EXPECT "3 valid, 0 invalid")
aether_verify_test(state_replay 1
  ARGS --key ${AETHER_DEV_KEY} --state state.txt report.json uplink.bin
  EXPECT "report.json#0: INVALID [(]replay[)]" "uplink.bin#0: valid epoch=1 seq=4 " "1 valid, 3 invalid")
aether_verify_test(state_continued 0
  ARGS --key ${AETHER_DEV_KEY} --state state.txt stream.aepr
  EXPECT "stream.aepr#0: valid epoch=1 seq=5 " "3 valid, 0 invalid")
set_tests_properties(cli.verify.state_first PROPERTIES FIXTURES_SETUP verify_state_1)
set_tests_properties(cli.verify.state_replay PROPERTIES
  FIXTURES_REQUIRED "verify_fixtures;verify_state_1" FIXTURES_SETUP verify_state_2)
set_tests_properties(cli.verify.state_continued PROPERTIES FIXTURES_REQUIRED "verify_fixtures;verify_state_2")
