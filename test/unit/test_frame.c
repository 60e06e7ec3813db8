/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_frame.c: unit tests of the sensor frame parser, encoders and CRC-8. */
#include "frame.h"
#include "check.h"

#include <stdio.h>
#include <string.h>

/* CRC-8/SMBUS computed bit by bit, independent of the table in frame.c. */
static uint8_t crc8_bitwise(const uint8_t *bytes, size_t len) {
        uint8_t crc = 0;
        for (size_t i = 0; i < len; i++) {
                crc ^= bytes[i];
                for (int bit = 0; bit < 8; bit++)
                        crc = (uint8_t)(crc & 0x80 ? (crc << 1) ^ 0x07 : crc << 1);
        }
        return crc;
}

/* Feeds bytes, recording each event that is not NONE and the last frame. */
struct feed_result {
        enum aether_frame_event events[64];
        size_t positions[64]; /* index of the byte that raised the event */
        size_t count;
        struct aether_frame frames[64];
};

static void feed(struct aether_frame_parser *parser, const uint8_t *bytes, size_t len,
                 struct feed_result *result) {
        for (size_t i = 0; i < len; i++) {
                struct aether_frame frame;
                enum aether_frame_event event = aether_frame_feed(parser, bytes[i], &frame);
                if (event == AETHER_FRAME_EVENT_NONE || result->count == 64)
                        continue;
                result->events[result->count] = event;
                result->positions[result->count] = i;
                result->frames[result->count] = frame;
                result->count++;
        }
}

static void test_crc(void) {
        for (unsigned b = 0; b < 256; b++) {
                uint8_t byte = (uint8_t)b;
                CHECK(aether_crc8(&byte, 1) == crc8_bitwise(&byte, 1));
        }
        /* The catalogue check value of CRC-8/SMBUS. */
        const uint8_t check[] = "123456789";
        CHECK(aether_crc8(check, 9) == 0xf4);
        CHECK(crc8_bitwise(check, 9) == 0xf4);
        CHECK(aether_crc8(check, 0) == 0);
        uint8_t longer[300];
        for (size_t i = 0; i < sizeof longer; i++)
                longer[i] = (uint8_t)(i * 37 + 11);
        CHECK(aether_crc8(longer, sizeof longer) == crc8_bitwise(longer, sizeof longer));
}

static void test_spec_example(void) {
        float pressure = 0.12f;
        uint32_t bits;
        memcpy(&bits, &pressure, sizeof bits);
        CHECK(bits == 0x3df5c28f);

        uint8_t expected[12] = { 0xA5, 0x57, 0x08, 0x8F, 0xC2, 0xF5, 0x3D, 0xE2, 0x04, 0x00, 0x00 };
        expected[11] = crc8_bitwise(expected + 1, 10);
        CHECK(expected[11] == 0xd1); /* worked out by hand once; pins the example down */

        uint8_t encoded[AETHER_FRAME_WAKE_SIZE];
        CHECK(aether_frame_encode_wake(bits, 1250, encoded) == 12);
        CHECK(memcmp(encoded, expected, 12) == 0);

        struct aether_frame_parser parser;
        aether_frame_parser_reset(&parser);
        struct feed_result result = { 0 };
        feed(&parser, expected, 12, &result);
        CHECK(result.count == 1);
        CHECK(result.events[0] == AETHER_FRAME_EVENT_WAKE);
        CHECK(result.positions[0] == 11);
        CHECK(result.frames[0].type == 'W');
        CHECK(result.frames[0].pressure_bits == 0x3df5c28f);
        CHECK(result.frames[0].dose == 1250);
        CHECK(parser.stats.frames == 1);
        CHECK(parser.stats.noise_bytes == 0);
}

static void test_shutdown(void) {
        uint8_t encoded[AETHER_FRAME_SHUTDOWN_SIZE];
        const uint8_t covered[2] = { 0x51, 0x00 };
        CHECK(aether_frame_encode_shutdown(encoded) == 4);
        CHECK(encoded[0] == 0xA5 && encoded[1] == 0x51 && encoded[2] == 0x00);
        CHECK(encoded[3] == crc8_bitwise(covered, 2));

        struct aether_frame_parser parser;
        aether_frame_parser_reset(&parser);
        struct feed_result result = { 0 };
        feed(&parser, encoded, 4, &result);
        CHECK(result.count == 1);
        CHECK(result.events[0] == AETHER_FRAME_EVENT_SHUTDOWN);
        CHECK(result.frames[0].type == 'Q');
        CHECK(parser.stats.frames == 1);
}

static void test_round_trip(void) {
        static const uint32_t pressures[] = { 0, 0x3df5c28f, 0x7fc00000, 0xff800000, 0xa5a5a5a5, 0xffffffff };
        static const int32_t doses[] = { 0, 1, -1, 1250, INT32_MIN, INT32_MAX, (int32_t)0xa5a5a5a5 };
        struct aether_frame_parser parser;
        aether_frame_parser_reset(&parser);
        size_t frames = 0;
        for (size_t i = 0; i < sizeof pressures / sizeof pressures[0]; i++)
                for (size_t j = 0; j < sizeof doses / sizeof doses[0]; j++) {
                        uint8_t encoded[AETHER_FRAME_WAKE_SIZE];
                        aether_frame_encode_wake(pressures[i], doses[j], encoded);
                        CHECK(encoded[11] == crc8_bitwise(encoded + 1, 10));
                        struct feed_result result = { 0 };
                        feed(&parser, encoded, sizeof encoded, &result);
                        CHECK(result.count == 1);
                        CHECK(result.events[0] == AETHER_FRAME_EVENT_WAKE);
                        CHECK(result.frames[0].pressure_bits == pressures[i]);
                        CHECK(result.frames[0].dose == doses[j]);
                        frames++;
                }
        CHECK(parser.stats.frames == frames);
        CHECK(parser.stats.noise_bytes == 0);
}

static void test_noise_before_sync(void) {
        /* What OVMF leaves on a COM port before the harness speaks. */
        const char noise[] = "\x1b[2J BdsDxe: starting Boot0001\r\n";
        uint8_t bytes[64];
        size_t noise_len = sizeof noise - 1;
        memcpy(bytes, noise, noise_len);
        aether_frame_encode_wake(0x3f800000, 7, bytes + noise_len);

        struct aether_frame_parser parser;
        aether_frame_parser_reset(&parser);
        struct feed_result result = { 0 };
        feed(&parser, bytes, noise_len + 12, &result);
        CHECK(result.count == 1);
        CHECK(result.events[0] == AETHER_FRAME_EVENT_WAKE);
        CHECK(result.frames[0].pressure_bits == 0x3f800000);
        CHECK(result.frames[0].dose == 7);
        CHECK(parser.stats.noise_bytes == noise_len);
}

/* Feeds bytes to a fresh parser and expects exactly one ERROR of this kind,
 * raised by the byte at position. */
static void expect_error(const uint8_t *bytes, size_t len, enum aether_frame_error error, size_t position) {
        struct aether_frame_parser parser;
        aether_frame_parser_reset(&parser);
        struct feed_result result = { 0 };
        feed(&parser, bytes, len, &result);
        CHECK(result.count == 1);
        CHECK(result.events[0] == AETHER_FRAME_EVENT_ERROR);
        CHECK(result.frames[0].error == error);
        CHECK(result.positions[0] == position);
        CHECK(parser.stats.errors[error] == 1);
        CHECK(parser.stats.frames == 0);
        CHECK(parser.state == AETHER_FRAME_STATE_HUNT);
}

static void test_errors(void) {
        const uint8_t bad_type[] = { 0xA5, 0x58, 0x08 };
        expect_error(bad_type, sizeof bad_type, AETHER_FRAME_ERROR_BAD_TYPE, 1);
        const uint8_t wake_short[] = { 0xA5, 0x57, 0x07 };
        expect_error(wake_short, sizeof wake_short, AETHER_FRAME_ERROR_BAD_LENGTH, 2);
        const uint8_t shutdown_long[] = { 0xA5, 0x51, 0x01 };
        expect_error(shutdown_long, sizeof shutdown_long, AETHER_FRAME_ERROR_BAD_LENGTH, 2);
        uint8_t corrupt[AETHER_FRAME_WAKE_SIZE];
        aether_frame_encode_wake(0x3df5c28f, 1250, corrupt);
        corrupt[5] ^= 0x10; /* a payload bit flips on the line */
        expect_error(corrupt, sizeof corrupt, AETHER_FRAME_ERROR_BAD_CRC, 11);
        uint8_t shutdown[AETHER_FRAME_SHUTDOWN_SIZE];
        aether_frame_encode_shutdown(shutdown);
        shutdown[3] ^= 0x01;
        expect_error(shutdown, sizeof shutdown, AETHER_FRAME_ERROR_BAD_CRC, 3);

        CHECK(strcmp(aether_frame_error_name(AETHER_FRAME_ERROR_BAD_TYPE), "bad_type") == 0);
        CHECK(strcmp(aether_frame_error_name(AETHER_FRAME_ERROR_BAD_LENGTH), "bad_length") == 0);
        CHECK(strcmp(aether_frame_error_name(AETHER_FRAME_ERROR_BAD_CRC), "bad_crc") == 0);
        CHECK(aether_frame_error_name((enum aether_frame_error)AETHER_FRAME_ERROR_COUNT) == NULL);
}

/* The byte that breaks a frame is re-examined as SYNC; the rest is not. */
static void test_breaking_byte_is_sync(void) {
        uint8_t wake[AETHER_FRAME_WAKE_SIZE];
        aether_frame_encode_wake(0x40490fdb, -3, wake);
        CHECK(wake[11] != 0xA5); /* the CRC case below needs a CRC that is not SYNC */

        static const struct {
                uint8_t prefix[12];
                size_t len;
                enum aether_frame_error error;
        } cases[] = {
                { { 0xA5 }, 1, AETHER_FRAME_ERROR_BAD_TYPE },             /* A5 A5: TYPE is SYNC */
                { { 0xA5, 0x57 }, 2, AETHER_FRAME_ERROR_BAD_LENGTH },     /* LEN is SYNC */
                { { 0xA5, 0x51 }, 2, AETHER_FRAME_ERROR_BAD_LENGTH },
                { { 0xA5, 0x51, 0x00 }, 3, AETHER_FRAME_ERROR_BAD_CRC },  /* CRC is SYNC */
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                uint8_t bytes[32];
                memcpy(bytes, cases[i].prefix, cases[i].len);
                memcpy(bytes + cases[i].len, wake, sizeof wake);
                struct aether_frame_parser parser;
                aether_frame_parser_reset(&parser);
                struct feed_result result = { 0 };
                feed(&parser, bytes, cases[i].len + sizeof wake, &result);
                CHECK(result.count == 2);
                CHECK(result.events[0] == AETHER_FRAME_EVENT_ERROR);
                CHECK(result.frames[0].error == cases[i].error);
                CHECK(result.positions[0] == cases[i].len);
                CHECK(result.events[1] == AETHER_FRAME_EVENT_WAKE);
                CHECK(result.frames[1].pressure_bits == 0x40490fdb && result.frames[1].dose == -3);
                CHECK(parser.stats.noise_bytes == 0);
        }

        /* A bad CRC whose byte is not SYNC: the next A5 is hunted for, and
         * the bytes between are noise. */
        uint8_t bytes[40];
        memcpy(bytes, wake, sizeof wake);
        bytes[11] ^= 0xff;
        bytes[12] = 0x57; /* looks like TYPE but no SYNC came first */
        bytes[13] = 0x08;
        memcpy(bytes + 14, wake, sizeof wake);
        struct aether_frame_parser parser;
        aether_frame_parser_reset(&parser);
        struct feed_result result = { 0 };
        feed(&parser, bytes, 14 + sizeof wake, &result);
        CHECK(result.count == 2);
        CHECK(result.events[0] == AETHER_FRAME_EVENT_ERROR && result.frames[0].error == AETHER_FRAME_ERROR_BAD_CRC);
        CHECK(result.events[1] == AETHER_FRAME_EVENT_WAKE);
        CHECK(parser.stats.noise_bytes == 2);
}

static void test_split_across_feeds(void) {
        uint8_t first[AETHER_FRAME_WAKE_SIZE], second[AETHER_FRAME_WAKE_SIZE];
        aether_frame_encode_wake(0x11223344, 1000, first);
        aether_frame_encode_wake(0x55667788, -1000, second);
        /* Two UARTs, two parsers, bytes arriving interleaved in chunks. */
        struct aether_frame_parser com1, com2;
        aether_frame_parser_reset(&com1);
        aether_frame_parser_reset(&com2);
        struct feed_result r1 = { 0 }, r2 = { 0 };
        size_t cuts[] = { 0, 1, 3, 4, 9, 11, 12 };
        for (size_t c = 0; c + 1 < sizeof cuts / sizeof cuts[0]; c++) {
                feed(&com1, first + cuts[c], cuts[c + 1] - cuts[c], &r1);
                feed(&com2, second + cuts[c], cuts[c + 1] - cuts[c], &r2);
                CHECK(r1.count == (c + 2 == sizeof cuts / sizeof cuts[0]));
        }
        CHECK(r1.count == 1 && r1.events[0] == AETHER_FRAME_EVENT_WAKE);
        CHECK(r1.frames[0].pressure_bits == 0x11223344 && r1.frames[0].dose == 1000);
        CHECK(r2.count == 1 && r2.events[0] == AETHER_FRAME_EVENT_WAKE);
        CHECK(r2.frames[0].pressure_bits == 0x55667788 && r2.frames[0].dose == -1000);
}

static void test_back_to_back(void) {
        uint8_t bytes[64];
        size_t len = 0;
        len += aether_frame_encode_wake(1, 10, bytes + len);
        len += aether_frame_encode_wake(2, 20, bytes + len);
        len += aether_frame_encode_shutdown(bytes + len);
        len += aether_frame_encode_wake(3, 30, bytes + len);
        struct aether_frame_parser parser;
        aether_frame_parser_reset(&parser);
        struct feed_result result = { 0 };
        feed(&parser, bytes, len, &result);
        CHECK(result.count == 4);
        CHECK(result.events[0] == AETHER_FRAME_EVENT_WAKE && result.frames[0].pressure_bits == 1);
        CHECK(result.events[1] == AETHER_FRAME_EVENT_WAKE && result.frames[1].dose == 20);
        CHECK(result.events[2] == AETHER_FRAME_EVENT_SHUTDOWN);
        CHECK(result.events[3] == AETHER_FRAME_EVENT_WAKE && result.frames[3].pressure_bits == 3);
        CHECK(result.positions[3] == len - 1);
        CHECK(parser.stats.frames == 4);
        CHECK(parser.stats.noise_bytes == 0);
}

static void test_resync_after_garbage(void) {
        /* Garbage that ends between frames, full of SYNC bytes. */
        static const struct {
                uint8_t bytes[16];
                size_t len;
                uint64_t bad_type, bad_length, bad_crc;
        } garbage[] = {
                { { 0xA5, 0x00 }, 2, 1, 0, 0 },
                { { 0x00, 0xA5, 0xA5, 0xA5, 0x41 }, 5, 3, 0, 0 },
                { { 0xA5, 0x57, 0x09, 0xA5, 0x51, 0x05 }, 6, 0, 2, 0 },
                { { 0xA5, 0x57, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x00 }, 12, 0, 0, 1 },
                { { 0xA5, 0x57 }, 2, 0, 1, 0 }, /* the frame's own SYNC breaks it */
        };
        for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
                uint8_t bytes[32];
                memcpy(bytes, garbage[i].bytes, garbage[i].len);
                aether_frame_encode_wake(0xdeadbeef, 42, bytes + garbage[i].len);
                struct aether_frame_parser parser;
                aether_frame_parser_reset(&parser);
                struct feed_result result = { 0 };
                feed(&parser, bytes, garbage[i].len + AETHER_FRAME_WAKE_SIZE, &result);
                CHECK(result.count >= 1);
                CHECK(result.events[result.count - 1] == AETHER_FRAME_EVENT_WAKE);
                CHECK(result.frames[result.count - 1].pressure_bits == 0xdeadbeef);
                CHECK(parser.stats.frames == 1);
                CHECK(parser.stats.errors[AETHER_FRAME_ERROR_BAD_TYPE] == garbage[i].bad_type);
                CHECK(parser.stats.errors[AETHER_FRAME_ERROR_BAD_LENGTH] == garbage[i].bad_length);
                CHECK(parser.stats.errors[AETHER_FRAME_ERROR_BAD_CRC] == garbage[i].bad_crc);
        }
}

static void test_reset(void) {
        struct aether_frame_parser parser;
        aether_frame_parser_reset(&parser);
        const uint8_t partial[] = { 'x', 0xA5, 0x57, 0x08, 1, 2 };
        struct feed_result result = { 0 };
        feed(&parser, partial, sizeof partial, &result);
        CHECK(parser.stats.noise_bytes == 1);
        aether_frame_parser_reset(&parser);
        CHECK(parser.state == AETHER_FRAME_STATE_HUNT);
        CHECK(parser.stats.noise_bytes == 0);
        uint8_t wake[AETHER_FRAME_WAKE_SIZE];
        aether_frame_encode_wake(5, 6, wake);
        feed(&parser, wake, sizeof wake, &result);
        CHECK(result.count == 1 && result.events[0] == AETHER_FRAME_EVENT_WAKE);
}

int main(void) {
        test_crc();
        test_spec_example();
        test_shutdown();
        test_round_trip();
        test_noise_before_sync();
        test_errors();
        test_breaking_byte_is_sync();
        test_split_across_feeds();
        test_back_to_back();
        test_resync_after_garbage();
        test_reset();
        return check_summary("test_frame");
}
