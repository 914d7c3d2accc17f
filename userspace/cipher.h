/* SPDX-License-Identifier: GPL-2.0 */
/* Names of enum linkcrypt_cipher values. */
#ifndef LCCTL_CIPHER_H
#define LCCTL_CIPHER_H

#include <stddef.h>

/* Room for any string lc_cipher_str() makes, NUL included. */
#define LC_CIPHER_STRLEN 24

/* Name of @cipher ("aes-256-gcm"), or NULL if lcctl does not know it. */
const char *lc_cipher_name(unsigned int cipher);

/*
 * Name of @cipher, or "unknown(N)" for a value lcctl does not know (one a
 * newer kernel may report).  Returns @buf, which must hold
 * LC_CIPHER_STRLEN bytes.
 */
const char *lc_cipher_str(unsigned int cipher, char *buf, size_t len);

/* enum linkcrypt_cipher value of @name (case-insensitive), or -1. */
int lc_cipher_from_name(const char *name);

/* The known names, separated by " | ", for usage text. */
const char *lc_cipher_names(void);

#endif /* LCCTL_CIPHER_H */
