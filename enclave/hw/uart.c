/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* uart.c: 16550 setup as a wake line's receiver or as the log's transmitter, and draining. */
#include "uart.h"

#include "hw.h"

/* A 16550 answers at port (its scratch register holds what is written), and
 * then runs at 115200 8N1 with the FIFO on, every interrupt off. */
static bool uart_setup(uint16_t port) {
        for (unsigned probe = 0x5a; probe <= 0xa5; probe += 0x4b) {
                outb(port + UART_SCRATCH, (uint8_t)probe);
                if (inb(port + UART_SCRATCH) != probe)
                        return false;
        }
        outb(port + UART_IER, 0);
        outb(port + UART_LCR, UART_LCR_DLAB);
        outb(port + UART_DATA, 1); /* divisor 1: 115200 baud */
        outb(port + UART_IER, 0);
        outb(port + UART_LCR, UART_LCR_8N1);
        outb(port + UART_FCR, UART_FCR_ENABLE_CLEAR);
        return true;
}

bool uart_init_receiver(uint16_t port) {
        if (!uart_setup(port))
                return false;
        outb(port + UART_MCR, UART_MCR_DTR_RTS_OUT2);
        uint8_t stale;
        for (unsigned i = 0; i < UART_DRAIN_MAX && uart_receive(port, &stale); i++)
                ;
        outb(port + UART_IER, UART_IER_RX_AVAILABLE);
        return true;
}

bool uart_init_transmitter(uint16_t port) {
        if (!uart_setup(port))
                return false;
        outb(port + UART_MCR, UART_MCR_DTR_RTS);
        return true;
}

bool uart_receive(uint16_t port, uint8_t *byte) {
        if (!(inb(port + UART_LSR) & UART_LSR_DATA_READY))
                return false;
        *byte = inb(port + UART_DATA);
        return true;
}
