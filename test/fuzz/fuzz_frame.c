/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fuzz_frame.c: libFuzzer harness feeding arbitrary UART bytes to the frame parser. */
#include "frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "require.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct aether_frame_parser parser;
        aether_frame_parser_reset(&parser);
        uint64_t frames = 0, errors[AETHER_FRAME_ERROR_COUNT] = { 0 };
        for (size_t i = 0; i < size; i++) {
                struct aether_frame frame;
                uint8_t encoded[AETHER_FRAME_WAKE_SIZE];
                switch (aether_frame_feed(&parser, data[i], &frame)) {
                case AETHER_FRAME_EVENT_NONE:
                        break;
                case AETHER_FRAME_EVENT_WAKE:
                        /* A wake re-encodes to exactly the 12 bytes just fed. */
                        REQUIRE(i + 1 >= AETHER_FRAME_WAKE_SIZE);
                        REQUIRE(frame.type == AETHER_FRAME_TYPE_WAKE);
                        REQUIRE(aether_frame_encode_wake(frame.pressure_bits, frame.dose, encoded) ==
                                AETHER_FRAME_WAKE_SIZE);
                        REQUIRE(memcmp(encoded, data + i + 1 - AETHER_FRAME_WAKE_SIZE, AETHER_FRAME_WAKE_SIZE) == 0);
                        frames++;
                        break;
                case AETHER_FRAME_EVENT_SHUTDOWN:
                        REQUIRE(i + 1 >= AETHER_FRAME_SHUTDOWN_SIZE);
                        REQUIRE(frame.type == AETHER_FRAME_TYPE_SHUTDOWN);
                        REQUIRE(aether_frame_encode_shutdown(encoded) == AETHER_FRAME_SHUTDOWN_SIZE);
                        REQUIRE(memcmp(encoded, data + i + 1 - AETHER_FRAME_SHUTDOWN_SIZE,
                                       AETHER_FRAME_SHUTDOWN_SIZE) == 0);
                        frames++;
                        break;
                case AETHER_FRAME_EVENT_ERROR:
                        REQUIRE((unsigned)frame.error < AETHER_FRAME_ERROR_COUNT);
                        REQUIRE(aether_frame_error_name(frame.error) != NULL);
                        errors[frame.error]++;
                        break;
                }
                REQUIRE(parser.received <= sizeof parser.payload);
        }
        REQUIRE(parser.stats.frames == frames);
        REQUIRE(memcmp(parser.stats.errors, errors, sizeof errors) == 0);
        REQUIRE(parser.stats.noise_bytes <= size);
        return 0;
}
