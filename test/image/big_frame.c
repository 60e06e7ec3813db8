/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* big_frame.c: a 64 KiB stack frame, compiled without stack probes, that image.stack_probes must reject. */
void big_frame_consume(char *buffer);
void big_frame(void);

void big_frame(void) {
        char buffer[65536];
        big_frame_consume(buffer);
}
