// SPDX-License-Identifier: GPL-2.0
/*
 * lcctl key add DEV peer ID dir { tx | rx } [ slot { primary | secondary } ]
 *		 id KEYID { key HEX | key-file FILE } [ LIMIT N ]...
 * lcctl key swap DEV peer ID dir { tx | rx }
 * lcctl key del DEV peer ID dir { tx | rx } slot { primary | secondary }
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "family.h"
#include "key_cmd.h"
#include "lcctl.h"

static const char *const op_names[] = {
	[KEY_OP_ADD]	= "add",
	[KEY_OP_SWAP]	= "swap",
	[KEY_OP_DEL]	= "del",
};

/* Each after a 7-character lead, "Usage: " or spaces. */
static const char *const grammar[] = {
	[KEY_OP_ADD] =
	LCCTL_PROG " key add DEV peer ID dir { tx | rx } [ slot { primary | secondary } ]\n"
	"                     id KEYID { key HEX | key-file FILE } [ LIMIT ]...\n",
	[KEY_OP_SWAP] =
	LCCTL_PROG " key swap DEV peer ID dir { tx | rx }\n",
	[KEY_OP_DEL] =
	LCCTL_PROG " key del DEV peer ID dir { tx | rx } slot { primary | secondary }\n",
};

static const char where_id[] =
	"where  ID    := 1..4294967295\n";
static const char where_add[] =
	"       KEYID := 0..255\n"
	"       HEX   := 72 hex digits: the 32-byte key, then the 4-byte salt\n"
	"       FILE  := a file holding HEX (whitespace ignored), not accessible\n"
	"                by group or others; \"-\": standard input\n"
	"       LIMIT := { soft-packets | hard-packets } N[k|M|G|T]   (x1000)\n"
	"              | { soft-bytes | hard-bytes } N[k|M|G|T]       (x1024)\n"
	"              | { soft-time | hard-time } SECS[s|m|h|d]\n";

void key_usage_op(FILE *f, enum key_op op, const char *lead)
{
	unsigned int i;

	for (i = KEY_OP_ADD; i <= KEY_OP_DEL; i++) {
		if (op != KEY_OP_NONE && op != i)
			continue;
		fputs(lead, f);
		fputs(grammar[i], f);
		lead = "       ";
	}
	fputs(where_id, f);
	if (op == KEY_OP_NONE || op == KEY_OP_ADD)
		fputs(where_add, f);
}

void key_usage(FILE *f, bool full)
{
	key_usage_op(f, KEY_OP_NONE, "Usage: ");
	if (!full) {
		fputs("Try \"" LCCTL_PROG " key help\" for more.\n", f);
		return;
	}
	fputs("\n"
	      "Keys of peer ID of the linkcrypt device DEV.  Each peer has two slots\n"
	      "per direction, primary and secondary.  Frames are sent under the\n"
	      "primary TX key; a received frame is decrypted by the RX key whose id\n"
	      "its header carries.\n"
	      "\n"
	      "  add    install a key into an empty slot (default: primary)\n"
	      "  swap   exchange the primary and secondary keys of one direction\n"
	      "  del    delete the key of one slot (\"delete\" works too)\n"
	      "\n"
	      "Limits: past a soft limit the kernel sends a soft-limit event\n"
	      "(" LCCTL_PROG " monitor); past a hard limit the key is no longer used.\n"
	      "0, the default, is no limit.  Suffixes scale packets by 1000 and\n"
	      "bytes by 1024 (\"1G\" bytes = 1073741824); times are in seconds\n"
	      "unless suffixed with m, h or d.\n"
	      "\n"
	      "A key on the command line can be seen by other users while " LCCTL_PROG "\n"
	      "runs; prefer \"key-file FILE\" or \"key-file -\" (standard input).\n"
	      "Key material is never printed, and the kernel never gives it back.\n"
	      "\n"
	      "Use \"dev DEV\" for a device whose name is a keyword.\n",
	      f);
}

static enum key_op find_op(const char *s)
{
	unsigned int i;

	if (!strcmp(s, "delete"))
		return KEY_OP_DEL;
	for (i = KEY_OP_ADD; i <= KEY_OP_DEL; i++) {
		if (!strcmp(s, op_names[i]))
			return (enum key_op)i;
	}
	return KEY_OP_NONE;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

int key_hex_decode(const char *s, size_t len, bool skip_space, uint8_t *out,
		   size_t *info)
{
	size_t i, digits = 0;
	int v;

	for (i = 0; i < len; i++) {
		if (skip_space && is_space(s[i]))
			continue;
		v = hexval(s[i]);
		if (v < 0) {
			explicit_bzero(out, LINKCRYPT_MATERIAL_LEN);
			*info = i;
			return KEY_HEX_BAD_CHAR;
		}
		if (digits < LC_KEY_HEX_LEN) {
			if (digits % 2 == 0)
				out[digits / 2] = (uint8_t)(v << 4);
			else
				out[digits / 2] |= (uint8_t)v;
		}
		digits++;
	}
	if (digits != LC_KEY_HEX_LEN) {
		explicit_bzero(out, LINKCRYPT_MATERIAL_LEN);
		*info = digits;
		return KEY_HEX_BAD_LEN;
	}
	return KEY_HEX_OK;
}

int key_load_file(const char *path, uint8_t *out)
{
	char buf[LC_KEY_FILE_MAX + 1];
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "standard input" : path;
	size_t len = 0, info;
	struct stat st;
	int ret = -1;
	ssize_t n;
	int fd;

	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open key file %s: %s\n", LCCTL_PROG,
			path, strerror(errno));
		return -1;
	}
	/* The file opened, not the name: no race with a chmod or rename. */
	if (!is_stdin) {
		if (fstat(fd, &st) < 0) {
			fprintf(stderr, "%s: cannot stat key file %s: %s\n",
				LCCTL_PROG, path, strerror(errno));
			goto out;
		}
		if (st.st_mode & (S_IRWXG | S_IRWXO)) {
			fprintf(stderr, "%s: permissions %04o for key file %s are too open: group and others must have no access; chmod 600 %s\n",
				LCCTL_PROG, (unsigned int)(st.st_mode & 07777),
				path, path);
			goto out;
		}
	}
	for (;;) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "%s: cannot read key file %s: %s\n",
				LCCTL_PROG, name, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf)) {
			fprintf(stderr, "%s: key file %s is larger than %d bytes; it should hold %d hex digits\n",
				LCCTL_PROG, name, LC_KEY_FILE_MAX, LC_KEY_HEX_LEN);
			goto out;
		}
	}
	switch (key_hex_decode(buf, len, true, out, &info)) {
	case KEY_HEX_OK:
		ret = 0;
		break;
	case KEY_HEX_BAD_CHAR:
		fprintf(stderr, "%s: key file %s: byte %zu is neither a hex digit nor whitespace\n",
			LCCTL_PROG, name, info + 1);
		break;
	default:
		fprintf(stderr, "%s: key file %s holds %zu hex digits; a key is %d (a %d-byte key, then a %d-byte salt)\n",
			LCCTL_PROG, name, info, LC_KEY_HEX_LEN, LINKCRYPT_KEY_LEN,
			LINKCRYPT_SALT_LEN);
		break;
	}
out:
	explicit_bzero(buf, sizeof(buf));
	if (!is_stdin)
		close(fd);
	return ret;
}

void key_args_wipe(struct key_args *a)
{
	explicit_bzero(a->material, sizeof(a->material));
	a->has_material = false;
	if (a->key_arg) {
		explicit_bzero(a->key_arg, strlen(a->key_arg));
		a->key_arg = NULL;
	}
}

static int parse_key_hex(struct key_args *a, char *arg)
{
	size_t info;

	if (a->key_arg || a->key_file)
		return cli_error("give the key once, with either \"key\" or \"key-file\".");
	a->key_arg = arg;
	switch (key_hex_decode(arg, strlen(arg), false, a->material, &info)) {
	case KEY_HEX_OK:
		a->has_material = true;
		return CLI_OK;
	case KEY_HEX_BAD_CHAR:
		return cli_error("the key has a character that is not a hex digit, at position %zu.",
				 info + 1);
	default:
		return cli_error("the key must be %d hex digits (a %d-byte key, then a %d-byte salt), not %zu.",
				 LC_KEY_HEX_LEN, LINKCRYPT_KEY_LEN,
				 LINKCRYPT_SALT_LEN, info);
	}
}

static int parse_limit(struct key_args *a, unsigned int i, const char *s)
{
	const struct lc_key_limit *l = &lc_key_limits[i];
	uint32_t secs;
	int err;

	if (a->limits_given & (1u << i))
		return cli_error("\"%s\" given twice.", l->keyword);
	if (l->seconds) {
		err = cli_parse_seconds(s, &secs);
		a->limits[i] = secs;
	} else {
		err = cli_parse_scaled(s, l->bytes ? 1024 : 1000, &a->limits[i]);
	}
	if (err)
		return cli_error(l->seconds ?
				 "\"%s\" is not a valid %s: seconds (at most 4294967295), optionally with s, m, h or d." :
				 "\"%s\" is not a valid %s: a number, optionally with k, M, G or T.",
				 s, l->keyword);
	a->limits_given |= 1u << i;
	return CLI_OK;
}

static int find_limit(const char *kw)
{
	unsigned int i;

	for (i = 0; i < LC_KEY_N_LIMITS; i++) {
		if (!strcmp(kw, lc_key_limits[i].keyword))
			return (int)i;
	}
	return -1;
}

/* Whether @kw is an argument of @op. */
static bool allowed(enum key_op op, const char *kw)
{
	if (!strcmp(kw, "peer") || !strcmp(kw, "dir"))
		return true;
	if (!strcmp(kw, "slot"))
		return op != KEY_OP_SWAP;
	return op == KEY_OP_ADD;
}

static int check_complete(const struct key_args *a)
{
	const char *op = op_names[a->op];
	unsigned int i;

	if (!a->peer)
		return cli_error("\"key %s\" needs \"peer\".", op);
	if (!a->dir)
		return cli_error("\"key %s\" needs \"dir\".", op);
	if (a->op == KEY_OP_DEL && a->slot < 0)
		return cli_error("\"key del\" needs \"slot\".");
	if (a->op != KEY_OP_ADD)
		return CLI_OK;
	if (a->id < 0)
		return cli_error("\"key add\" needs the key's \"id\".");
	if (!a->key_arg && !a->key_file)
		return cli_error("\"key add\" needs \"key HEX\" or \"key-file FILE\".");
	/* Pairs soft, hard: the soft limit comes first, if both are set. */
	for (i = 0; i + 1 < LC_KEY_N_LIMITS; i += 2) {
		if (a->limits[i] && a->limits[i + 1] &&
		    a->limits[i] > a->limits[i + 1])
			return cli_error("%s %" PRIu64 " is above %s %" PRIu64 ".",
					 lc_key_limits[i].keyword, a->limits[i],
					 lc_key_limits[i + 1].keyword,
					 a->limits[i + 1]);
	}
	return CLI_OK;
}

int key_parse_args(int argc, char **argv, struct key_args *a)
{
	uint64_t v;
	int err;

	memset(a, 0, sizeof(*a));
	a->slot = -1;
	a->id = -1;
	if (argc == 0)
		return cli_error("\"key\" needs a sub-command: add, swap or del.");
	if (cli_is_help(*argv))
		return CLI_HELP;
	a->op = find_op(*argv);
	if (a->op == KEY_OP_NONE)
		return cli_error("unknown sub-command \"key %s\"; use add, swap or del.",
				 *argv);
	argc--;
	argv++;

	err = cli_parse_dev(&argc, &argv, "key", op_names[a->op], &a->ifname);
	if (err != CLI_OK)
		return err;

	for (; argc > 0; argc--, argv++) {
		const char *kw = *argv;
		int limit = find_limit(kw);

		if (cli_is_help(kw))
			return CLI_HELP;
		if (limit < 0 && strcmp(kw, "peer") && strcmp(kw, "dir") &&
		    strcmp(kw, "slot") && strcmp(kw, "id") && strcmp(kw, "key") &&
		    strcmp(kw, "key-file"))
			return cli_error("unknown argument \"%s\" of \"key %s\".",
					 kw, op_names[a->op]);
		if (!allowed(a->op, kw))
			return cli_error("\"%s\" is not an argument of \"key %s\".",
					 kw, op_names[a->op]);
		NEXT_ARG();
		err = CLI_OK;
		if (limit >= 0) {
			err = parse_limit(a, (unsigned int)limit, *argv);
		} else if (!strcmp(kw, "peer")) {
			if (a->peer)
				return cli_error("\"peer\" given twice.");
			if (cli_parse_u32(*argv, &a->peer) || !a->peer) {
				a->peer = 0;
				return cli_error("\"%s\" is not a valid peer id (1..4294967295).",
						 *argv);
			}
		} else if (!strcmp(kw, "dir")) {
			if (a->dir)
				return cli_error("\"dir\" given twice.");
			a->dir = lc_key_dir_from_name(*argv);
			if (a->dir < 0) {
				a->dir = 0;
				return cli_error("\"%s\" is not a direction: use tx or rx.",
						 *argv);
			}
		} else if (!strcmp(kw, "slot")) {
			if (a->slot >= 0)
				return cli_error("\"slot\" given twice.");
			a->slot = lc_key_slot_from_name(*argv);
			if (a->slot < 0)
				return cli_error("\"%s\" is not a slot: use primary or secondary.",
						 *argv);
		} else if (!strcmp(kw, "id")) {
			if (a->id >= 0)
				return cli_error("\"id\" given twice.");
			if (cli_parse_uint(*argv, 255, &v))
				return cli_error("\"%s\" is not a valid key id (0..255).",
						 *argv);
			a->id = (int)v;
		} else if (!strcmp(kw, "key")) {
			err = parse_key_hex(a, *argv);
		} else {
			if (a->key_arg || a->key_file)
				return cli_error("give the key once, with either \"key\" or \"key-file\".");
			a->key_file = *argv;
		}
		if (err)
			return err;
	}
	return check_complete(a);
}

struct nlmsghdr *key_build_req(struct lc_conn *c, const struct key_args *a)
{
	static const uint8_t cmds[] = {
		[KEY_OP_ADD]	= LINKCRYPT_CMD_KEY_NEW,
		[KEY_OP_SWAP]	= LINKCRYPT_CMD_KEY_SWAP,
		[KEY_OP_DEL]	= LINKCRYPT_CMD_KEY_DEL,
	};
	struct nlattr *peer, *key;
	struct nlmsghdr *req;
	unsigned int i;

	req = lc_req(c, cmds[a->op], 0);
	lc_put_dev(req, a->ifname, 0);
	peer = mnl_attr_nest_start(req, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(req, LINKCRYPT_A_PEER_ID, a->peer);
	key = mnl_attr_nest_start(req, LINKCRYPT_A_PEER_KEY);
	mnl_attr_put_u8(req, LINKCRYPT_A_KEY_DIR, (uint8_t)a->dir);
	/* Without "slot", "key add" leaves the default (primary) to the kernel. */
	if (a->slot >= 0 && a->op != KEY_OP_SWAP)
		mnl_attr_put_u8(req, LINKCRYPT_A_KEY_SLOT, (uint8_t)a->slot);
	if (a->op == KEY_OP_ADD) {
		mnl_attr_put_u8(req, LINKCRYPT_A_KEY_ID, (uint8_t)a->id);
		mnl_attr_put(req, LINKCRYPT_A_KEY_MATERIAL, LINKCRYPT_MATERIAL_LEN,
			     a->material);
		for (i = 0; i < LC_KEY_N_LIMITS; i++) {
			const struct lc_key_limit *l = &lc_key_limits[i];

			if (!(a->limits_given & (1u << i)))
				continue;
			if (l->seconds)
				mnl_attr_put_u32(req, l->attr, (uint32_t)a->limits[i]);
			else
				mnl_attr_put_u64(req, l->attr, a->limits[i]);
		}
	}
	mnl_attr_nest_end(req, key);
	mnl_attr_nest_end(req, peer);
	return req;
}

static void report(const struct lc_conn *c, int err, const struct key_args *a)
{
	const char *dir = lc_key_dir_name((uint64_t)a->dir);
	const char *slot = a->slot >= 0 ? lc_key_slot_name((uint64_t)a->slot) :
					  "primary";

	if (!c->nl.ext.msg[0] && err == -ENOENT) {
		if (a->op == KEY_OP_ADD)
			fprintf(stderr, "%s: peer %u does not exist on %s\n",
				LCCTL_PROG, a->peer, a->ifname);
		else if (a->op == KEY_OP_SWAP)
			fprintf(stderr, "%s: peer %u does not exist on %s, or has no secondary %s key to swap in\n",
				LCCTL_PROG, a->peer, a->ifname, dir);
		else
			fprintf(stderr, "%s: peer %u does not exist on %s, or has no %s %s key\n",
				LCCTL_PROG, a->peer, a->ifname, dir, slot);
		return;
	}
	if (a->op == KEY_OP_ADD)
		lc_report_req(c, err, a->ifname,
			      "cannot add the %s %s key of peer %u on %s", dir, slot,
			      a->peer, a->ifname);
	else if (a->op == KEY_OP_SWAP)
		lc_report_req(c, err, a->ifname,
			      "cannot swap the %s keys of peer %u on %s", dir,
			      a->peer, a->ifname);
	else
		lc_report_req(c, err, a->ifname,
			      "cannot delete the %s %s key of peer %u on %s", dir,
			      slot, a->peer, a->ifname);
}

int cmd_key(const struct lcctl_opts *opts, int argc, char **argv)
{
	struct key_args args;
	struct lc_conn c;
	int ret = LC_EXIT_FAIL;
	int err;

	(void)opts;
	/* No core dump, no ptrace by other processes of the user: keys. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	err = key_parse_args(argc, argv, &args);
	/* The material is decoded: the argument is no longer needed. */
	if (args.key_arg) {
		explicit_bzero(args.key_arg, strlen(args.key_arg));
		args.key_arg = NULL;
	}
	switch (err) {
	case CLI_OK:
		break;
	case CLI_HELP:
		key_args_wipe(&args);
		key_usage(stdout, true);
		return LC_EXIT_OK;
	default:
		key_args_wipe(&args);
		key_usage_op(stderr, args.op, "Usage: ");
		fputs("Try \"" LCCTL_PROG " key help\" for more.\n", stderr);
		return LC_EXIT_USAGE;
	}

	if (args.key_file) {
		if (key_load_file(args.key_file, args.material))
			goto out;
		args.has_material = true;
	}
	if (lc_connect(&c))
		goto out;
	err = lc_nl_talk(&c.nl, key_build_req(&c, &args), NULL, NULL);
	/* The request, and any echo of it, held the key. */
	lc_nl_wipe(&c.nl);
	if (err)
		report(&c, err, &args);
	else
		ret = LC_EXIT_OK;
	lc_disconnect(&c);
out:
	key_args_wipe(&args);
	return ret;
}
