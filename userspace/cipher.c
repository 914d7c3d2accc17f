// SPDX-License-Identifier: GPL-2.0
/* Names of enum linkcrypt_cipher values; see cipher.h. */
#include <stdio.h>
#include <strings.h>

#include <linux/linkcrypt.h>

#include "cipher.h"

static const char *const cipher_names[] = {
	[LINKCRYPT_CIPHER_AES_256_GCM]		= "aes-256-gcm",
	[LINKCRYPT_CIPHER_CHACHA20_POLY1305]	= "chacha20-poly1305",
};

#define N_CIPHERS (sizeof(cipher_names) / sizeof(cipher_names[0]))

/* A cipher added to the uapi header needs its name here. */
_Static_assert(N_CIPHERS == LINKCRYPT_CIPHER_MAX + 1,
	       "cipher_names[] does not cover enum linkcrypt_cipher");

const char *lc_cipher_name(unsigned int cipher)
{
	return cipher < N_CIPHERS ? cipher_names[cipher] : NULL;
}

const char *lc_cipher_str(unsigned int cipher, char *buf, size_t len)
{
	const char *name = lc_cipher_name(cipher);

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "unknown(%u)", cipher);
	return buf;
}

int lc_cipher_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < N_CIPHERS; i++) {
		if (cipher_names[i] && !strcasecmp(name, cipher_names[i]))
			return (int)i;
	}
	return -1;
}

const char *lc_cipher_names(void)
{
	static char list[128];
	size_t off = 0;
	unsigned int i;

	if (list[0])
		return list;
	for (i = 0; i < N_CIPHERS; i++) {
		if (!cipher_names[i])
			continue;
		off += snprintf(list + off, sizeof(list) - off, "%s%s",
				off ? " | " : "", cipher_names[i]);
		if (off >= sizeof(list))
			break;	/* truncated; cannot happen with these names */
	}
	return list;
}
