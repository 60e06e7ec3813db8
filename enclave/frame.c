/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* frame.c: the sensor frame state machine, fed from the UART interrupt handler. */
#include "frame.h"

/* CRC-8/SMBUS of every single byte value: crc = table[crc ^ byte]. The unit
 * test checks each entry against a bit-by-bit computation. */
static const uint8_t crc8_table[256] = {
        0x00, 0x07, 0x0e, 0x09, 0x1c, 0x1b, 0x12, 0x15,
        0x38, 0x3f, 0x36, 0x31, 0x24, 0x23, 0x2a, 0x2d,
        0x70, 0x77, 0x7e, 0x79, 0x6c, 0x6b, 0x62, 0x65,
        0x48, 0x4f, 0x46, 0x41, 0x54, 0x53, 0x5a, 0x5d,
        0xe0, 0xe7, 0xee, 0xe9, 0xfc, 0xfb, 0xf2, 0xf5,
        0xd8, 0xdf, 0xd6, 0xd1, 0xc4, 0xc3, 0xca, 0xcd,
        0x90, 0x97, 0x9e, 0x99, 0x8c, 0x8b, 0x82, 0x85,
        0xa8, 0xaf, 0xa6, 0xa1, 0xb4, 0xb3, 0xba, 0xbd,
        0xc7, 0xc0, 0xc9, 0xce, 0xdb, 0xdc, 0xd5, 0xd2,
        0xff, 0xf8, 0xf1, 0xf6, 0xe3, 0xe4, 0xed, 0xea,
        0xb7, 0xb0, 0xb9, 0xbe, 0xab, 0xac, 0xa5, 0xa2,
        0x8f, 0x88, 0x81, 0x86, 0x93, 0x94, 0x9d, 0x9a,
        0x27, 0x20, 0x29, 0x2e, 0x3b, 0x3c, 0x35, 0x32,
        0x1f, 0x18, 0x11, 0x16, 0x03, 0x04, 0x0d, 0x0a,
        0x57, 0x50, 0x59, 0x5e, 0x4b, 0x4c, 0x45, 0x42,
        0x6f, 0x68, 0x61, 0x66, 0x73, 0x74, 0x7d, 0x7a,
        0x89, 0x8e, 0x87, 0x80, 0x95, 0x92, 0x9b, 0x9c,
        0xb1, 0xb6, 0xbf, 0xb8, 0xad, 0xaa, 0xa3, 0xa4,
        0xf9, 0xfe, 0xf7, 0xf0, 0xe5, 0xe2, 0xeb, 0xec,
        0xc1, 0xc6, 0xcf, 0xc8, 0xdd, 0xda, 0xd3, 0xd4,
        0x69, 0x6e, 0x67, 0x60, 0x75, 0x72, 0x7b, 0x7c,
        0x51, 0x56, 0x5f, 0x58, 0x4d, 0x4a, 0x43, 0x44,
        0x19, 0x1e, 0x17, 0x10, 0x05, 0x02, 0x0b, 0x0c,
        0x21, 0x26, 0x2f, 0x28, 0x3d, 0x3a, 0x33, 0x34,
        0x4e, 0x49, 0x40, 0x47, 0x52, 0x55, 0x5c, 0x5b,
        0x76, 0x71, 0x78, 0x7f, 0x6a, 0x6d, 0x64, 0x63,
        0x3e, 0x39, 0x30, 0x37, 0x22, 0x25, 0x2c, 0x2b,
        0x06, 0x01, 0x08, 0x0f, 0x1a, 0x1d, 0x14, 0x13,
        0xae, 0xa9, 0xa0, 0xa7, 0xb2, 0xb5, 0xbc, 0xbb,
        0x96, 0x91, 0x98, 0x9f, 0x8a, 0x8d, 0x84, 0x83,
        0xde, 0xd9, 0xd0, 0xd7, 0xc2, 0xc5, 0xcc, 0xcb,
        0xe6, 0xe1, 0xe8, 0xef, 0xfa, 0xfd, 0xf4, 0xf3,
};

static uint8_t crc8_step(uint8_t crc, uint8_t byte) {
        return crc8_table[crc ^ byte];
}

uint8_t aether_crc8(const uint8_t *bytes, size_t len) {
        uint8_t crc = 0;
        for (size_t i = 0; i < len; i++)
                crc = crc8_step(crc, bytes[i]);
        return crc;
}

static uint32_t load_le32(const uint8_t *bytes) {
        return (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 |
               (uint32_t)bytes[3] << 24;
}

static void store_le32(uint8_t *bytes, uint32_t value) {
        bytes[0] = (uint8_t)value;
        bytes[1] = (uint8_t)(value >> 8);
        bytes[2] = (uint8_t)(value >> 16);
        bytes[3] = (uint8_t)(value >> 24);
}

void aether_frame_parser_reset(struct aether_frame_parser *parser) {
        *parser = (struct aether_frame_parser){ .state = AETHER_FRAME_STATE_HUNT };
}

const char *aether_frame_error_name(enum aether_frame_error error) {
        /* No default: the compiler flags a reason without a name. */
        switch (error) {
        case AETHER_FRAME_ERROR_BAD_TYPE:
                return "bad_type";
        case AETHER_FRAME_ERROR_BAD_LENGTH:
                return "bad_length";
        case AETHER_FRAME_ERROR_BAD_CRC:
                return "bad_crc";
        }
        return NULL;
}

/* Abandons the current frame. The byte that broke it may itself be the SYNC
 * of the next frame. */
static enum aether_frame_event abandon(struct aether_frame_parser *parser, uint8_t byte,
                                       enum aether_frame_error error, struct aether_frame *out) {
        parser->stats.errors[error]++;
        parser->state = byte == AETHER_FRAME_SYNC ? AETHER_FRAME_STATE_TYPE : AETHER_FRAME_STATE_HUNT;
        *out = (struct aether_frame){ .error = error };
        return AETHER_FRAME_EVENT_ERROR;
}

static enum aether_frame_event complete(struct aether_frame_parser *parser, struct aether_frame *out) {
        parser->stats.frames++;
        parser->state = AETHER_FRAME_STATE_HUNT;
        if (parser->type == AETHER_FRAME_TYPE_SHUTDOWN) {
                *out = (struct aether_frame){ .type = AETHER_FRAME_TYPE_SHUTDOWN };
                return AETHER_FRAME_EVENT_SHUTDOWN;
        }
        *out = (struct aether_frame){
                .type = AETHER_FRAME_TYPE_WAKE,
                .pressure_bits = load_le32(parser->payload),
                .dose = (int32_t)load_le32(parser->payload + 4),
        };
        return AETHER_FRAME_EVENT_WAKE;
}

static int expected_length(uint8_t type) {
        return type == AETHER_FRAME_TYPE_WAKE ? AETHER_FRAME_WAKE_PAYLOAD : 0;
}

enum aether_frame_event aether_frame_feed(struct aether_frame_parser *parser, uint8_t byte,
                                          struct aether_frame *out) {
        switch (parser->state) {
        case AETHER_FRAME_STATE_HUNT:
                if (byte == AETHER_FRAME_SYNC)
                        parser->state = AETHER_FRAME_STATE_TYPE;
                else
                        parser->stats.noise_bytes++;
                return AETHER_FRAME_EVENT_NONE;
        case AETHER_FRAME_STATE_TYPE:
                if (byte != AETHER_FRAME_TYPE_WAKE && byte != AETHER_FRAME_TYPE_SHUTDOWN)
                        return abandon(parser, byte, AETHER_FRAME_ERROR_BAD_TYPE, out);
                parser->type = byte;
                parser->crc = crc8_step(0, byte);
                parser->state = AETHER_FRAME_STATE_LENGTH;
                return AETHER_FRAME_EVENT_NONE;
        case AETHER_FRAME_STATE_LENGTH:
                if (byte != expected_length(parser->type))
                        return abandon(parser, byte, AETHER_FRAME_ERROR_BAD_LENGTH, out);
                parser->length = byte;
                parser->received = 0;
                parser->crc = crc8_step(parser->crc, byte);
                parser->state = byte ? AETHER_FRAME_STATE_PAYLOAD : AETHER_FRAME_STATE_CRC;
                return AETHER_FRAME_EVENT_NONE;
        case AETHER_FRAME_STATE_PAYLOAD:
                /* received < length <= sizeof payload: LEN was checked above. */
                parser->payload[parser->received++] = byte;
                parser->crc = crc8_step(parser->crc, byte);
                if (parser->received == parser->length)
                        parser->state = AETHER_FRAME_STATE_CRC;
                return AETHER_FRAME_EVENT_NONE;
        case AETHER_FRAME_STATE_CRC:
                if (byte != parser->crc)
                        return abandon(parser, byte, AETHER_FRAME_ERROR_BAD_CRC, out);
                return complete(parser, out);
        }
        /* Only a corrupted state gets here: start over. */
        parser->state = AETHER_FRAME_STATE_HUNT;
        return AETHER_FRAME_EVENT_NONE;
}

size_t aether_frame_encode_wake(uint32_t pressure_bits, int32_t dose,
                                uint8_t out[AETHER_FRAME_WAKE_SIZE]) {
        out[0] = AETHER_FRAME_SYNC;
        out[1] = AETHER_FRAME_TYPE_WAKE;
        out[2] = AETHER_FRAME_WAKE_PAYLOAD;
        store_le32(out + 3, pressure_bits);
        store_le32(out + 7, (uint32_t)dose);
        out[11] = aether_crc8(out + 1, AETHER_FRAME_WAKE_SIZE - 2);
        return AETHER_FRAME_WAKE_SIZE;
}

size_t aether_frame_encode_shutdown(uint8_t out[AETHER_FRAME_SHUTDOWN_SIZE]) {
        out[0] = AETHER_FRAME_SYNC;
        out[1] = AETHER_FRAME_TYPE_SHUTDOWN;
        out[2] = 0;
        out[3] = aether_crc8(out + 1, AETHER_FRAME_SHUTDOWN_SIZE - 2);
        return AETHER_FRAME_SHUTDOWN_SIZE;
}
