/* Reading passwords: a terminal with echo off, or one line of stdin for scripts. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "password.h"

void cli_password_wipe(char *buf, size_t size)
{
    volatile char *p = buf;
    while (size--)
        *p++ = 0;
}

/* One line from fd, without its end; 0 on success, -1 at end of input or when too long. */
static int read_line(int fd, char *out, size_t size)
{
    size_t n = 0;
    char c;
    ssize_t r;
    while ((r = read(fd, &c, 1)) == 1 && c != '\n') {
        if (n + 1 >= size) return -1;
        out[n++] = c;
    }
    if (r < 0 || (r == 0 && n == 0)) return -1;
    if (n > 0 && out[n - 1] == '\r') n--;
    out[n] = '\0';
    return 0;
}

static int prompt(int tty, const char *text, char *out, size_t size)
{
    struct termios old, quiet;
    if (tcgetattr(tty, &old) != 0) return -1;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    if (write(tty, text, strlen(text)) < 0 || tcsetattr(tty, TCSAFLUSH, &quiet) != 0) return -1;
    int rc = read_line(tty, out, size);
    tcsetattr(tty, TCSAFLUSH, &old);
    return rc;
}

int cli_read_password(int from_stdin, char out[CLI_PASSWORD_MAX])
{
    if (from_stdin) {
        if (read_line(0, out, CLI_PASSWORD_MAX) == 0) return 0;
        fprintf(stderr, "kt: no password on stdin (one line, at most %d bytes)\n",
                CLI_PASSWORD_MAX - 2);
        return EX_DATAERR_;
    }
    int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (tty < 0) {
        fprintf(stderr, "kt: no terminal to ask for the password: use --password-stdin\n");
        return EX_USAGE_;
    }
    char again[CLI_PASSWORD_MAX];
    int rc = 0;
    if (prompt(tty, "Password: ", out, CLI_PASSWORD_MAX) != 0 ||
        prompt(tty, "Password again: ", again, sizeof again) != 0) {
        fprintf(stderr, "kt: could not read the password\n");
        rc = EX_IOERR_;
    } else if (strcmp(out, again) != 0) {
        fprintf(stderr, "kt: the two passwords differ; nothing changed\n");
        rc = EX_DATAERR_;
    }
    cli_password_wipe(again, sizeof again);
    close(tty);
    if (rc) cli_password_wipe(out, CLI_PASSWORD_MAX);
    return rc;
}
