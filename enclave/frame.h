/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* frame.h: the sensor frame that arrives on a wake UART, parsed a byte at a time. */
#ifndef AETHER_FRAME_H
#define AETHER_FRAME_H

#include <stddef.h>
#include <stdint.h>

/* Wire format (ARCHITECTURE.md, "Sensor frame"):
 *   SYNC 0xA5 | TYPE | LEN | payload[LEN] | CRC-8/SMBUS over TYPE, LEN, payload
 * A wake frame ('W') carries the u32 LE bits of the f32 pressure in atm and
 * the i32 LE dose; a shutdown frame ('Q') carries nothing. */
#define AETHER_FRAME_SYNC 0xA5
#define AETHER_FRAME_TYPE_WAKE 0x57     /* 'W' */
#define AETHER_FRAME_TYPE_SHUTDOWN 0x51 /* 'Q' */
#define AETHER_FRAME_WAKE_PAYLOAD 8
#define AETHER_FRAME_WAKE_SIZE 12     /* SYNC, TYPE, LEN, 8 payload bytes, CRC */
#define AETHER_FRAME_SHUTDOWN_SIZE 4  /* SYNC, TYPE, LEN, CRC */

/* Why a frame was abandoned. The values index aether_frame_stats.errors. */
enum aether_frame_error {
        AETHER_FRAME_ERROR_BAD_TYPE = 0,   /* TYPE is neither 'W' nor 'Q' */
        AETHER_FRAME_ERROR_BAD_LENGTH = 1, /* LEN is not 8 for 'W' or not 0 for 'Q' */
        AETHER_FRAME_ERROR_BAD_CRC = 2,    /* the CRC byte does not match */
};
#define AETHER_FRAME_ERROR_COUNT 3

/* What one fed byte completed. */
enum aether_frame_event {
        AETHER_FRAME_EVENT_NONE,     /* nothing yet: noise or the middle of a frame */
        AETHER_FRAME_EVENT_WAKE,     /* a valid wake frame; values in the out frame */
        AETHER_FRAME_EVENT_SHUTDOWN, /* a valid shutdown frame */
        AETHER_FRAME_EVENT_ERROR,    /* a frame was abandoned; reason in out->error */
};

/* A completed frame. Written on every event other than NONE: type is the
 * frame type ('W' or 'Q') of a valid frame and 0 on ERROR; pressure_bits and
 * dose are 0 unless the event is WAKE; error is meaningful only on ERROR. */
struct aether_frame {
        uint8_t type;
        uint32_t pressure_bits; /* raw IEEE-754 binary32 bits, pressure in atm */
        int32_t dose;
        enum aether_frame_error error;
};

/* Counters since the last reset. */
struct aether_frame_stats {
        uint64_t frames;                            /* valid frames, wake or shutdown */
        uint64_t noise_bytes;                       /* bytes skipped while hunting for SYNC;
                                                     * the byte that broke a frame belongs
                                                     * to that frame, never to the noise */
        uint64_t errors[AETHER_FRAME_ERROR_COUNT];  /* abandoned frames by reason */
};

/* Where the parser is inside a frame. */
enum aether_frame_state {
        AETHER_FRAME_STATE_HUNT,    /* skipping bytes until SYNC */
        AETHER_FRAME_STATE_TYPE,    /* SYNC seen, TYPE next */
        AETHER_FRAME_STATE_LENGTH,  /* LEN next */
        AETHER_FRAME_STATE_PAYLOAD, /* payload bytes next */
        AETHER_FRAME_STATE_CRC,     /* CRC byte next */
};

/* The parser: plain data owned by the caller (one per UART), no allocation. */
struct aether_frame_parser {
        enum aether_frame_state state;
        uint8_t type;
        uint8_t length;
        uint8_t received;                              /* payload bytes so far */
        uint8_t crc;                                   /* running CRC over TYPE, LEN, payload */
        uint8_t payload[AETHER_FRAME_WAKE_PAYLOAD];
        struct aether_frame_stats stats;
};

/* Puts the parser in its hunting state and clears its counters. */
void aether_frame_parser_reset(struct aether_frame_parser *parser);

/* Feeds one received byte. On an event other than NONE, *out is written.
 * A bad TYPE, LEN or CRC abandons the frame; the byte that broke it is then
 * re-examined as a possible SYNC, the other bytes of the bad frame are not. */
enum aether_frame_event aether_frame_feed(struct aether_frame_parser *parser, uint8_t byte,
                                          struct aether_frame *out);

/* The report name of an error reason ("bad_type", ...); NULL outside the enum. */
const char *aether_frame_error_name(enum aether_frame_error error);

/* CRC-8/SMBUS (poly 0x07, init 0, no reflection, no xorout) of len bytes. */
uint8_t aether_crc8(const uint8_t *bytes, size_t len);

/* Writes the 12-byte wake frame for these values; returns AETHER_FRAME_WAKE_SIZE. */
size_t aether_frame_encode_wake(uint32_t pressure_bits, int32_t dose,
                                uint8_t out[AETHER_FRAME_WAKE_SIZE]);

/* Writes the 4-byte shutdown frame; returns AETHER_FRAME_SHUTDOWN_SIZE. */
size_t aether_frame_encode_shutdown(uint8_t out[AETHER_FRAME_SHUTDOWN_SIZE]);

#endif
