/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_CIPHER_H
#define _LC_CIPHER_H

#include <linux/netlink.h>
#include <linux/types.h>

/**
 * struct lc_cipher - an AEAD a device can be configured with
 * @name: name shown to users (ip -d link, lcctl)
 * @alg: crypto API algorithm; both are the "ESP" constructions that take
 *	a 4-byte salt appended to the key and an 8-byte explicit IV, which
 *	is exactly our salt || counter nonce
 * @key_len: key length in bytes, without the salt
 */
struct lc_cipher {
	const char *name;
	const char *alg;
	unsigned int key_len;
};

const struct lc_cipher *lc_cipher_get(u16 id);
int lc_cipher_check(u16 id, const struct nlattr *attr,
		    struct netlink_ext_ack *extack);

#endif /* _LC_CIPHER_H */
