/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "key" command: argument parsing, key material from the command line
 * or a file, and request building, apart from the netlink exchange so that
 * the unit tests reach them without a kernel.
 *
 * Key material is wiped (explicit_bzero()) from every buffer lcctl puts it
 * in, and never printed, not even in part.
 */
#ifndef LCCTL_KEY_CMD_H
#define LCCTL_KEY_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/linkcrypt.h>

#include "key.h"

struct lc_conn;
struct nlmsghdr;

/* The hex of a key: two digits per byte of key and salt. */
#define LC_KEY_HEX_LEN	(2 * LINKCRYPT_MATERIAL_LEN)
/* The largest key file read (whitespace included). */
#define LC_KEY_FILE_MAX	4096

enum key_op {
	KEY_OP_NONE,		/* not known yet: no or a bad sub-command */
	KEY_OP_ADD,
	KEY_OP_SWAP,
	KEY_OP_DEL,
};

struct key_args {
	enum key_op op;
	const char *ifname;
	uint32_t peer;		/* 0: not given */
	int dir;		/* enum linkcrypt_key_dir; 0: not given */
	int slot;		/* enum linkcrypt_key_slot; -1: not given */
	int id;			/* 0..255; -1: not given */
	char *key_arg;		/* the argument holding HEX, to wipe; or NULL */
	const char *key_file;	/* "key-file FILE", or NULL */
	bool has_material;	/* material[] holds the key */
	uint8_t material[LINKCRYPT_MATERIAL_LEN];
	uint32_t limits_given;	/* bit i: lc_key_limits[i] given */
	uint64_t limits[LC_KEY_N_LIMITS];
};

/*
 * Parse the arguments after "key"; enum cli_result.  "key HEX" is decoded
 * into material[]; "key-file FILE" is only noted (key_load_file() reads
 * it).  Call key_args_wipe() afterwards in every case.
 */
int key_parse_args(int argc, char **argv, struct key_args *args);

/* Wipe the material and the "key HEX" argument (argv is writable). */
void key_args_wipe(struct key_args *args);

/* Results of key_hex_decode(). */
enum {
	KEY_HEX_OK = 0,
	KEY_HEX_BAD_CHAR = -1,	/* *@info: offset of the first bad character */
	KEY_HEX_BAD_LEN = -2,	/* *@info: how many hex digits there are */
};

/*
 * Decode the @len characters at @s, which must be exactly LC_KEY_HEX_LEN
 * hex digits (either case), into @out (LINKCRYPT_MATERIAL_LEN bytes).
 * With @skip_space, whitespace anywhere is ignored.  On failure @out is
 * zeroed.
 */
int key_hex_decode(const char *s, size_t len, bool skip_space, uint8_t *out,
		   size_t *info);

/*
 * Read the key in hex from @path ("-": standard input) into @out.  The
 * file must not be accessible by group or others.  0, or -1 after
 * printing why to stderr.
 */
int key_load_file(const char *path, uint8_t *out);

/*
 * The request for @args->op in @c's send buffer: LINKCRYPT_A_DEV_IFNAME,
 * then LINKCRYPT_A_DEV_PEER { PEER_ID, LINKCRYPT_A_PEER_KEY { ... } }.
 * For KEY_OP_ADD the buffer then holds key material: wipe it after use.
 */
struct nlmsghdr *key_build_req(struct lc_conn *c, const struct key_args *args);

/*
 * The grammar of @op (KEY_OP_NONE: of every sub-command), the first line
 * after @lead ("Usage: ", or 7 spaces), the others indented to match.
 */
void key_usage_op(FILE *f, enum key_op op, const char *lead);

#endif /* LCCTL_KEY_CMD_H */
