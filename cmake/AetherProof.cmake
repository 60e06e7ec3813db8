# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherProof.cmake: SipHash, SHA-256, the proof record and the aether-verify ground-station tool.

# The verifier's logic, pure (ground.h): the tool, its unit test and its fuzzer link it.
set(AETHER_GROUND_SOURCES ground_verify.c ground_fleet.c ground_json.c ground_output.c)
list(TRANSFORM AETHER_GROUND_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/enclave/tools/)
aether_host_library(aether_ground ${AETHER_GROUND_SOURCES})
target_include_directories(aether_ground PUBLIC ${PROJECT_SOURCE_DIR}/enclave/tools)
target_include_directories(aether_ground_fuzz PUBLIC ${PROJECT_SOURCE_DIR}/enclave/tools)
aether_host_executable(aether-verify SOURCES ${PROJECT_SOURCE_DIR}/enclave/tools/aether_verify.c LIBS aether_ground)

aether_unit_test(siphash SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_siphash.c)
aether_unit_test(proof SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_proof.c)
target_compile_definitions(test_proof PRIVATE
  AETHER_DEV_KEY_FILE="${PROJECT_SOURCE_DIR}/enclave/keys/development.key")
aether_fuzzer(proof_decode ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_proof_decode.c aether_pure)
aether_unit_test(ground SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_ground.c LIBS aether_ground)
aether_fuzzer(ground ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_ground.c aether_ground)

# CLI tests: verify_fixtures writes keys, keyrings, reports, dumps and streams
# (good and damaged) with the development key and four test keys;
# verify_cli.cmake runs aether-verify on them, checks its exit status and
# output, and runs the Python verifier (scripts/aether_harness/ground.py,
# written from ARCHITECTURE.md alone) on the same files: it must agree.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
aether_host_executable(verify_fixtures SOURCES ${PROJECT_SOURCE_DIR}/test/unit/verify_fixtures.c)
set(AETHER_VERIFY_FIXTURES ${CMAKE_CURRENT_BINARY_DIR}/verify-fixtures)
set(AETHER_DEV_KEY ${PROJECT_SOURCE_DIR}/enclave/keys/development.key)
add_test(NAME cli.verify.fixtures
         COMMAND verify_fixtures ${AETHER_DEV_KEY} ${AETHER_VERIFY_FIXTURES})
set_tests_properties(cli.verify.fixtures PROPERTIES FIXTURES_SETUP verify_fixtures LABELS cli)

# aether_verify_test(NAME RC [ARGS...] [EXPECT regex...] [FORBID regex...] [STDIN file]
#                    [FILE file FILE_EXPECT regex...]): aether-verify ARGS, run in the
# fixture directory, must exit with RC and print output matching every EXPECT
# and no FORBID; FILE is left matching every FILE_EXPECT.
function(aether_verify_test name rc)
  cmake_parse_arguments(ARG "" "STDIN;FILE" "ARGS;EXPECT;FORBID;FILE_EXPECT" ${ARGN})
  set(defines -DVERIFY=$<TARGET_FILE:aether-verify> -DDIR=${AETHER_VERIFY_FIXTURES} -DRC=${rc}
              -DPYTHON=${Python3_EXECUTABLE} -DSCRIPTS=${PROJECT_SOURCE_DIR}/scripts)
  foreach(list ARGS EXPECT FORBID FILE_EXPECT)
    string(REPLACE ";" "\\;" value "${ARG_${list}}")
    list(APPEND defines "-D${list}=${value}")
  endforeach()
  foreach(one STDIN FILE)
    if(ARG_${one})
      list(APPEND defines -D${one}=${ARG_${one}})
    endif()
  endforeach()
  add_test(NAME cli.verify.${name}
           COMMAND ${CMAKE_COMMAND} ${defines} -P ${PROJECT_SOURCE_DIR}/test/unit/verify_cli.cmake)
  set_tests_properties(cli.verify.${name} PROPERTIES FIXTURES_REQUIRED verify_fixtures LABELS cli)
endfunction()

set(dev_id 4fe0f94cd4c6d74097657433fe3813bd)
set(a_id 5e7fa9f5bc2c8bb4e2532ab73d446169)
set(b_id 98f1e4ee402155a54330ea3416d42ecd)
set(c_id 73c27ca92d27c08b22506ab73afb1a59)
set(valid "valid device=${dev_id} epoch=1")
set(key --key ${AETHER_DEV_KEY})

# Every input kind, its copies checked, one device.
aether_verify_test(all_formats 0
  ARGS ${key} report.json uplink.bin stream.aepr
  EXPECT "report.json#0: ${valid} seq=1 vector=0x20 outcome=ok status=3 dropped=0 rejected=0 flags=development-key payload=93a44bbb96c7 proof=0x[0-9a-f]+\n"
         "report.json#1: ${valid} seq=2 vector=0x21 " "report.json#2: ${valid} seq=3 "
         "uplink.bin#0: ${valid} seq=4 " "stream.aepr#1: ${valid} seq=6 "
         "stream.aepr#2: valid device=${dev_id} epoch=2 seq=1 "
         "aether-verify: 7 valid, 0 invalid, 0 missing, 0 missing boots\n$")
aether_verify_test(tampered 1
  ARGS ${key} tampered.json
  EXPECT "tampered.json#0: valid" "tampered.json#1: INVALID [(]bad tag[)]\n" "tampered.json#2: ${valid} seq=3 "
         "\nmissing: epoch 1 seq 2 [(]device ${dev_id}[)]\naether-verify: 2 valid, 1 invalid, 1 missing, 0 missing boots")
aether_verify_test(edited_copies 1
  ARGS ${key} edited.json
  EXPECT "#0: INVALID [(]telemetry does not match the record[)]" "#1: INVALID [(]device_id does not match"
         "#2: INVALID [(]epoch does not" "#3: INVALID [(]seq does not" "#4: INVALID [(]vector does not"
         "#5: INVALID [(]outcome does not" "#6: INVALID [(]status does not" "#7: INVALID [(]pressure_bits does not"
         "#8: INVALID [(]pressure does not" "#9: INVALID [(]dose does not" "#10: INVALID [(]uplink_lo does not"
         "#11: INVALID [(]uplink_hi does not" "#12: INVALID [(]payload_sha256 does not"
         "#13: INVALID [(]dropped_wakes does not" "#14: INVALID [(]rejected_frames does not"
         "#15: INVALID [(]boot_flags does not match the record[)]" "#16: ${valid} seq=17 "
         "1 valid, 16 invalid, 0 missing")
aether_verify_test(copy_forms 1
  ARGS ${key} forms.json
  EXPECT "#0: ${valid} seq=1 " "#2: ${valid} seq=3 " "#4: ${valid} seq=5 " "#5: ${valid} seq=6 " "#6: ${valid} seq=7 "
         "#7: INVALID [(]pressure does not" "#8: INVALID [(]pressure does not"
         "#9: INVALID [(]malformed wake: \"dose\" given twice[)]" "#11: INVALID [(]dose does not"
         "#12: INVALID [(]dose does not" "#13: ${valid} seq=14 [^\n]* status=-5 " "#14: ${valid} seq=15 "
         "10 valid, 5 invalid, 5 missing")
aether_verify_test(report_epoch 1
  ARGS ${key} report.json report-epoch.json tampered.json
  FORBID "report-epoch.json#"
  EXPECT "tampered.json#0: INVALID [(]replay[)]")
aether_verify_test(odd_wakes 1
  ARGS ${key} odd-wakes.json
  EXPECT "#0: INVALID [(]malformed wake: not an object[)]" "#1: INVALID [(]malformed record[)]"
         "#2: INVALID [(]malformed record: \"record\" is not hexadecimal[)]"
         "#3: INVALID [(]malformed wake: needs exactly one \"record\" and one \"proof\"[)]"
         "#4: INVALID [(]malformed wake: \"seq\" given twice[)]" "#5: INVALID [(]malformed record: \"record\" is not"
         "#6: INVALID [(]malformed proof: \"proof\" is not 0x and 16 hexadecimal digits[)]" "0 valid, 7 invalid")

# Uplink dumps: before the first commit, during one, and every copy.
aether_verify_test(dump_no_commit 1
  ARGS ${key} uplink-empty.bin
  EXPECT "uplink-empty.bin#0: no commit yet\n" "0 valid, 0 invalid" "no records read")
aether_verify_test(dump_no_commit_then_record 0
  ARGS ${key} uplink-empty.bin uplink.bin
  EXPECT "uplink-empty.bin#0: no commit yet\n" "uplink.bin#0: ${valid} seq=4 " "1 valid, 0 invalid")
aether_verify_test(dump_torn 1
  ARGS ${key} uplink-torn.bin
  EXPECT "uplink-torn.bin#0: INVALID [(]torn dump: taken during a commit[)]")
aether_verify_test(dump_running 0
  ARGS ${key} uplink-running.bin
  EXPECT "uplink-running.bin#0: ${valid} seq=4 ")
aether_verify_test(dump_damage 1
  ARGS ${key} uplink-telemetry.bin uplink-telemetry-tail.bin uplink-device-id.bin uplink-epoch.bin uplink-count.bin
       uplink-record-len.bin uplink-layout-1.bin uplink-layout-3.bin uplink-short.bin uplink-bad-tag.bin
  EXPECT "uplink-telemetry.bin#0: INVALID [(]telemetry does not match the record[)]"
         "uplink-telemetry-tail.bin#0: INVALID [(]telemetry does not match the record[)]"
         "uplink-device-id.bin#0: INVALID [(]DEVICE_ID does not match the record[)]"
         "uplink-epoch.bin#0: INVALID [(]BOOT_EPOCH does not match the record[)]"
         "uplink-count.bin#0: INVALID [(]COMMIT_COUNT does not match the record[)]"
         "uplink-record-len.bin#0: INVALID [(]malformed dump: RECORD_LEN 112[)]"
         "uplink-layout-1.bin#0: INVALID [(]obsolete uplink layout 1[)]"
         "uplink-layout-3.bin#0: INVALID [(]unknown uplink layout 3[)]"
         "uplink-short.bin#0: INVALID [(]malformed dump: truncated[)]"
         "uplink-bad-tag.bin#0: INVALID [(]bad tag[)]" "0 valid, 10 invalid")

# Streams: every record rule, then framing.
aether_verify_test(rules 1
  ARGS ${key} rules.aepr
  EXPECT "rules.aepr#0: ${valid} seq=1 " "rules.aepr#1: INVALID [(]replay[)]\n"
         "rules.aepr#2: INVALID [(]obsolete version 1[)]\n" "rules.aepr#3: ${valid} seq=3 "
         "rules.aepr#4: valid device=${dev_id} epoch=2 seq=5 [^\n]*\nmissing: epoch 1 seq 2 [(]device ${dev_id}[)]\n"
         "rules.aepr#5: INVALID [(]epoch went back[)]\n" "rules.aepr#6: valid device=${dev_id} epoch=2 seq=2 "
         "rules.aepr#7: INVALID [(]malformed record: vector[)]\n"
         "rules.aepr#8: INVALID [(]unknown device 100c14438acf8b5bae793500f53e0839[)]\n"
         "rules.aepr#9: INVALID [(]bad tag[)]\n" "rules.aepr#10: INVALID [(]unknown version 7, rest of stream skipped[)]\n"
         "missing: epoch 2 seq 1 [(]device ${dev_id}[)]\nmissing: epoch 2 seq 3..4 [(]device ${dev_id}[)]\n"
         "aether-verify: 4 valid, 7 invalid, 4 missing, 0 missing boots")
aether_verify_test(stream_framing 1
  ARGS ${key} bad-magic.aepr truncated.aepr short-tail.aepr
  EXPECT "bad-magic.aepr#1: INVALID [(]malformed stream: no record at byte 160[)]"
         "truncated.aepr#0: INVALID [(]replay[)]" "truncated.aepr#1: INVALID [(]malformed stream: truncated entry[)]"
         "short-tail.aepr#1: INVALID [(]malformed stream: truncated entry[)]" "1 valid, 5 invalid")

# The window: losses, a lost first record, lost boots, reordering, duplicates.
aether_verify_test(loss_1 0 ARGS ${key} loss1.aepr
  EXPECT "loss1.aepr#8: [^\n]*\nmissing: epoch 1 seq 5 [(]device ${dev_id}[)]\naether-verify: 9 valid, 0 invalid, 1 missing, 0 missing boots")
aether_verify_test(loss_2 0 ARGS ${key} loss2.aepr
  EXPECT "\nmissing: epoch 1 seq 5..6 [(]device ${dev_id}[)]\naether-verify: 8 valid, 0 invalid, 2 missing,")
aether_verify_test(loss_100 0 ARGS ${key} loss100.aepr
  EXPECT "loss100.aepr#49: ${valid} seq=150 " "loss100.aepr#112: ${valid} seq=213 [^\n]*\nmissing: epoch 1 seq 50..149 [(]"
         "200 valid, 0 invalid, 100 missing, 0 missing boots")
aether_verify_test(loss_100_small_window 0 ARGS ${key} --window 8 loss2.aepr
  EXPECT "loss2.aepr#7: ${valid} seq=10 [^\n]*\n" "8 valid, 0 invalid, 2 missing")
aether_verify_test(first_record_lost 0 ARGS ${key} seq1-lost.aepr
  EXPECT "seq1-lost.aepr#3: valid device=${dev_id} epoch=2 seq=2 " "\nmissing: epoch 2 seq 1 [(]device ${dev_id}[)]\n"
         "5 valid, 0 invalid, 1 missing")
aether_verify_test(first_record_late 0 ARGS ${key} seq1-late.aepr
  EXPECT "seq1-late.aepr#5: valid device=${dev_id} epoch=2 seq=1 " "6 valid, 0 invalid, 0 missing")
aether_verify_test(missing_boots 0 ARGS ${key} missing-boots.aepr
  EXPECT "#2: valid device=${dev_id} epoch=5 seq=1 [^\n]*\nmissing: epoch 3..4 [(]device ${dev_id}[)]\n"
         "#4: valid device=${dev_id} epoch=8 seq=1 [^\n]*\nmissing: epoch 7 [(]device ${dev_id}[)]\n"
         "5 valid, 0 invalid, 0 missing, 3 missing boots")
aether_verify_test(reorder_inside 0 ARGS ${key} reorder-inside.aepr
  EXPECT "#3: ${valid} seq=3 " "5 valid, 0 invalid, 0 missing")
aether_verify_test(reorder_outside 1 ARGS ${key} reorder-outside.aepr
  EXPECT "#68: ${valid} seq=70 [^\n]*\nmissing: epoch 1 seq 6 [(]device ${dev_id}[)]\n"
         "#69: INVALID [(]replay[)]" "#70: INVALID [(]replay[)]" "69 valid, 2 invalid, 1 missing")
aether_verify_test(duplicate_after_gap 1 ARGS ${key} duplicate-after-gap.aepr
  EXPECT "#2: ${valid} seq=5 " "#3: INVALID [(]replay[)]" "#4: ${valid} seq=3 " "#5: INVALID [(]replay[)]"
         "#6: ${valid} seq=4 " "5 valid, 2 invalid, 0 missing")
aether_verify_test(replay_across_inputs 1
  ARGS ${key} report.json report.json
  EXPECT "report.json#0: valid" "report.json#0: INVALID [(]replay[)]" "3 valid, 3 invalid")

# A fleet: a keyring, three devices interleaved, losses, a stranger.
aether_verify_test(fleet 1
  ARGS --keyring fleet.keyring fleet.aepr
  EXPECT "fleet.aepr#0: valid device=${a_id} epoch=1 seq=1 [^\n]* flags=none "
         "fleet.aepr#1: valid device=${b_id} epoch=3 seq=1 [^\n]* flags=secure-boot-known "
         "fleet.aepr#2: valid device=${c_id} epoch=1 seq=1 [^\n]* flags=secure-boot-known,secure-boot-on "
         "fleet.aepr#7: INVALID [(]unknown device 100c14438acf8b5bae793500f53e0839[)]"
         "fleet.aepr#14: valid device=${b_id} epoch=5 seq=1 [^\n]*\nmissing: epoch 3 seq 2..3 [(]device ${b_id}[)]\nmissing: epoch 4 [(]device ${b_id}[)]\n"
         "\nmissing: epoch 1 seq 4 [(]device ${a_id}[)]\nmissing: epoch 2 seq 1 [(]device ${c_id}[)]\n"
         "aether-verify: 15 valid, 1 invalid, 4 missing, 1 missing boots")
aether_verify_test(unknown_device 1
  ARGS --key other.key report.json
  EXPECT "report.json#0: INVALID [(]unknown device ${dev_id}[)]" "0 valid, 3 invalid")
aether_verify_test(keyring_one 0 ARGS --keyring dev.keyring report.json)
aether_verify_test(device_id 0 ARGS --device-id ${AETHER_DEV_KEY} EXPECT "^${dev_id}\n$")
aether_verify_test(device_id_fleet 0 ARGS --device-id fleet-b.key EXPECT "^${b_id}\n$")

# Payload pinning, by SHA-256, by module and by build description.
aether_verify_test(payload_sha256 1 ARGS ${key} --payload 93A44BBB96C751218E4C00D479E4C14358122A389ACCA16205B1E4D0DC5F9476
  payloads.aepr EXPECT "#0: ${valid} seq=1 " "#1: INVALID [(]unexpected payload 7ef1a7f1e562[)]" "#2: ${valid} seq=3 ")
aether_verify_test(payload_wasm 1 ARGS ${key} --payload payload.wasm payloads.aepr
  EXPECT "#1: INVALID [(]unexpected payload 7ef1a7f1e562[)]" "2 valid, 1 invalid")
aether_verify_test(payload_build_info 1 ARGS ${key} --payload aether-build.json payloads.aepr
  EXPECT "#1: INVALID [(]unexpected payload 7ef1a7f1e562[)]")
aether_verify_test(payload_either 0 ARGS ${key} --payload aether-build.json --payload
  7ef1a7f1e562f2c670e5887e310ab81b976ae97de13a433637650eb028aec17a payloads.aepr
  EXPECT "3 valid, 0 invalid" FORBID "INVALID")
aether_verify_test(payload_not_one 2 ARGS ${key} --payload notes.txt payloads.aepr
  EXPECT "--payload notes.txt: neither a SHA-256, a .wasm module nor an aether-build.json")

# Output and input forms.
aether_verify_test(json 1 ARGS ${key} --json tampered.json
  EXPECT "^{\"input\":\"tampered.json\",\"index\":0,\"verdict\":\"valid\",\"reason\":null,\"device\":\"${dev_id}\",\"epoch\":1,\"seq\":1,\"vector\":\"0x20\",\"outcome\":\"ok\",\"status\":3,\"pressure_bits\":\"0x447d5000\",\"dose\":42,\"uplink_lo\":4277009102,\"uplink_hi\":7,\"telemetry_len\":17,\"telemetry_sha256\":\"[0-9a-f]+\",\"dropped_wakes\":0,\"rejected_frames\":0,\"boot_flags\":1,\"payload\":\"93a44bbb[0-9a-f]+\",\"proof\":\"0x[0-9a-f]+\",\"missing\":[[][]]}\n"
         "{\"input\":\"tampered.json\",\"index\":1,\"verdict\":\"invalid\",\"reason\":\"bad tag\",\"device\":null,"
         "\n{\"summary\":{\"valid\":2,\"invalid\":1,\"missing\":1,\"missing_boots\":0},\"missing\":[[]{\"device\":\"${dev_id}\",\"epoch\":1,\"first_seq\":2,\"last_seq\":2}[]]}\n$")
aether_verify_test(json_missing_boots 0 ARGS ${key} --json missing-boots.aepr
  EXPECT "\"epoch\":5,[^\n]*\"missing\":[[]{\"device\":\"${dev_id}\",\"first_epoch\":3,\"last_epoch\":4}[]]}\n")
aether_verify_test(stdin 0 ARGS ${key} - STDIN stream.aepr
  EXPECT "^-#0: valid device=${dev_id} epoch=1 seq=5 " "-#2: valid device=${dev_id} epoch=2 seq=1 " "3 valid, 0 invalid")
aether_verify_test(stdin_twice 2 ARGS ${key} - - STDIN stream.aepr EXPECT "- [(]standard input[)] given twice")
aether_verify_test(deep_64 1 ARGS ${key} deep-64.json EXPECT "0 valid, 0 invalid" "no records read")
aether_verify_test(deep_65 2 ARGS ${key} deep-65.json EXPECT "deep-65.json: not valid JSON")
aether_verify_test(no_records 1 ARGS ${key} empty.json EXPECT "0 valid, 0 invalid" "no records read")
aether_verify_test(broken_json 2 ARGS ${key} report.json broken.json
  EXPECT "report.json#2: valid" "broken.json: not valid JSON" FORBID "aether-verify: [0-9]+ valid")
aether_verify_test(leading_zero 2 ARGS ${key} leading-zero.json EXPECT "leading-zero.json: not valid JSON")
aether_verify_test(no_wakes 2 ARGS ${key} nowakes.json
  EXPECT "nowakes.json: a harness report is an object with one \"wakes\" array and at most one \"epoch\"")
aether_verify_test(wakes_object 2 ARGS ${key} wakes-object.json EXPECT "a harness report is an object with one")
aether_verify_test(two_epochs 2 ARGS ${key} two-epochs.json EXPECT "a harness report is an object with one")
aether_verify_test(unknown_input 2 ARGS ${key} notes.txt
  EXPECT "notes.txt: neither a harness report, an uplink dump nor a proof stream")
aether_verify_test(empty_input 2 ARGS ${key} empty-input.bin EXPECT "empty-input.bin: empty input")
aether_verify_test(missing_input 2 ARGS ${key} missing.json EXPECT "missing.json: No such file")

# Keys, keyrings, options.
aether_verify_test(bad_key_file 2 ARGS --key bad.key report.json
  EXPECT "bad.key: malformed key file: line 2, column 5: not a hexadecimal digit")
aether_verify_test(short_key_file 2 ARGS --key short.key report.json
  EXPECT "short.key: malformed key file: line 1: fewer than 32 hexadecimal digits")
aether_verify_test(keyring_bad_id 2 ARGS --keyring keyring-bad-id.keyring report.json
  EXPECT "keyring-bad-id.keyring: malformed keyring: line 2: expected a device ID of 32 hexadecimal digits")
aether_verify_test(keyring_no_key 2 ARGS --keyring keyring-no-key.keyring report.json
  EXPECT "line 2: expected a key of 32 hexadecimal digits after the device ID")
aether_verify_test(keyring_trailing 2 ARGS --keyring keyring-trailing.keyring report.json
  EXPECT "line 1: unexpected text after the key")
aether_verify_test(keyring_mismatch 2 ARGS --keyring keyring-mismatch.keyring report.json
  EXPECT "line 1: the device ID is not the one derived from the key")
aether_verify_test(keyring_twice 2 ARGS --keyring keyring-twice.keyring report.json
  EXPECT "line 4: device listed twice [(]first on line 1[)]")
aether_verify_test(keyring_empty 2 ARGS --keyring keyring-empty.keyring report.json EXPECT "no device in the keyring")
aether_verify_test(key_and_keyring 2 ARGS ${key} --keyring fleet.keyring report.json
  EXPECT "--key and --keyring exclude each other" "usage: aether-verify")
aether_verify_test(no_key 2 ARGS report.json EXPECT "--key KEYFILE or --keyring FILE is required" "usage: aether-verify")
aether_verify_test(no_arguments 2 EXPECT "usage: aether-verify")
aether_verify_test(window_zero 2 ARGS ${key} --window 0 report.json
  EXPECT "--window 0: expected a number of records from 1 to 65536")
aether_verify_test(window_big 2 ARGS ${key} --window 65537 report.json EXPECT "--window 65537: expected")
aether_verify_test(device_id_alone 2 ARGS --device-id other.key report.json EXPECT "--device-id KEYFILE goes alone")
aether_verify_test(option_twice 2 ARGS ${key} --state a --state b report.json EXPECT "--state given twice")

# --state: the windows of every device, carried across runs.
aether_verify_test(bad_state_file 2 ARGS ${key} --state bad-state.txt report.json
  EXPECT "bad-state.txt: malformed state file: line 2: expected a device ID of 32 lowercase hexadecimal digits")
aether_verify_test(state_v1 2 ARGS ${key} --state state-v1.txt report.json
  EXPECT "state-v1.txt: malformed state file: line 1: a version 1 state file [(]\"epoch seq\"[)] names no device: start a new state file")
aether_verify_test(state_first 0 ARGS ${key} --state state.txt report.json
  EXPECT "3 valid, 0 invalid" FILE state.txt FILE_EXPECT "^aether-verify state 2\n${dev_id} 1 3\n$")
aether_verify_test(state_replay 1 ARGS ${key} --state state.txt report.json uplink.bin
  EXPECT "report.json#0: INVALID [(]replay[)]" "uplink.bin#0: ${valid} seq=4 " "1 valid, 3 invalid"
  FILE state.txt FILE_EXPECT "^aether-verify state 2\n${dev_id} 1 4\n$")
aether_verify_test(state_continued 0 ARGS ${key} --state state.txt stream.aepr
  EXPECT "stream.aepr#0: ${valid} seq=5 " "3 valid, 0 invalid"
  FILE state.txt FILE_EXPECT "^aether-verify state 2\n${dev_id} 2 1\n$")
set_tests_properties(cli.verify.state_first PROPERTIES FIXTURES_SETUP verify_state_1)
set_tests_properties(cli.verify.state_replay PROPERTIES
  FIXTURES_REQUIRED "verify_fixtures;verify_state_1" FIXTURES_SETUP verify_state_2)
set_tests_properties(cli.verify.state_continued PROPERTIES FIXTURES_REQUIRED "verify_fixtures;verify_state_2")

# A gap stays open in the state file between runs: a late record fills it in
# the next run; a new boot then reports what never came. Several devices.
aether_verify_test(state_gap_open 1 ARGS --keyring fleet.keyring --state gap-state.txt fleet.aepr
  EXPECT "15 valid, 1 invalid, 2 missing, 1 missing boots"
  FILE gap-state.txt FILE_EXPECT "^aether-verify state 2\n${a_id} 1 6 4\n${c_id} 2 3 1\n${b_id} 5 1\n$")
aether_verify_test(state_gap_filled 0 ARGS --keyring dev.keyring --state gap-state.txt gap-a.aepr
  EXPECT "3 valid, 0 invalid, 0 missing"
  FILE gap-state.txt FILE_EXPECT "^aether-verify state 2\n${dev_id} 1 4 3\n${a_id} 1 6 4\n${c_id} 2 3 1\n${b_id} 5 1\n$")
aether_verify_test(state_gap_late 0 ARGS --keyring dev.keyring --state gap-state.txt gap-b.aepr
  EXPECT "gap-b.aepr#0: ${valid} seq=3 " "2 valid, 0 invalid, 0 missing"
  FILE gap-state.txt FILE_EXPECT "\n${dev_id} 1 80 5..79\n")
aether_verify_test(state_gap_closed 0 ARGS --keyring dev.keyring --state gap-state.txt gap-c.aepr
  EXPECT "gap-c.aepr#0: valid device=${dev_id} epoch=2 seq=1 [^\n]*\nmissing: epoch 1 seq 5..79 [(]device ${dev_id}[)]\n"
         "1 valid, 0 invalid, 75 missing"
  FILE gap-state.txt FILE_EXPECT "\n${dev_id} 2 1\n")
aether_verify_test(state_gap_epoch_back 1 ARGS --keyring dev.keyring --state gap-state.txt gap-a.aepr
  EXPECT "gap-a.aepr#0: INVALID [(]epoch went back[)]" "0 valid, 3 invalid"
  FILE gap-state.txt FILE_EXPECT "\n${dev_id} 2 1\n")
aether_verify_test(state_gap_shrunk 1 ARGS --keyring fleet.keyring --state gap-state.txt --window 1 gap-c.aepr
  EXPECT "gap-c.aepr#0: INVALID [(]unknown device ${dev_id}[)]\nmissing: epoch 1 seq 4 [(]device ${a_id}[)]\nmissing: epoch 2 seq 1 [(]device ${c_id}[)]\naether-verify: 0 valid, 1 invalid, 2 missing, 0 missing boots\n$"
  FILE gap-state.txt FILE_EXPECT "^aether-verify state 2\n${dev_id} 2 1\n${a_id} 1 6\n${c_id} 2 3\n${b_id} 5 1\n$")
set(previous verify_fixtures)
foreach(step open filled late closed epoch_back shrunk)
  set_tests_properties(cli.verify.state_gap_${step} PROPERTIES
    FIXTURES_REQUIRED "verify_fixtures;${previous}" FIXTURES_SETUP verify_gap_${step})
  set(previous verify_gap_${step})
endforeach()
