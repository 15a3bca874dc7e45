/* Reading a password for kt user add/passwd: from the terminal without echo, or from stdin. */
#ifndef KT_CLI_PASSWORD_H
#define KT_CLI_PASSWORD_H

#include <stddef.h>

#define CLI_PASSWORD_MAX 1100

/* Reads a new password into out: one line of stdin when from_stdin, else typed twice on the
 * terminal with echo off. Returns 0, or the exit code after printing why. */
int cli_read_password(int from_stdin, char out[CLI_PASSWORD_MAX]);
/* Wipes a password buffer so no copy outlives its use. */
void cli_password_wipe(char *buf, size_t size);

#endif
