// SPDX-License-Identifier: GPL-2.0
/*
 * lcctl genkey [ bits { 2048 | 3072 | 4096 } ] [ days DAYS ] [ name NAME ]
 *		key KEYFILE cert CERTFILE
 * lcctl fingerprint CERTFILE
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "identity_cmd.h"
#include "json.h"
#include "lcctl.h"

void genkey_usage(FILE *f, bool full)
{
	fputs("Usage: " LCCTL_PROG " genkey [ bits { 2048 | 3072 | 4096 } ] [ days DAYS ] [ name NAME ]\n"
	      "                    key KEYFILE cert CERTFILE\n"
	      "where  DAYS := 1..36500 (default 825)\n"
	      "       NAME := a DNS name (default: the host name)\n",
	      f);
	if (!full) {
		fputs("Try \"" LCCTL_PROG " genkey help\" for more.\n", f);
		return;
	}
	fputs("\n"
	      "Make a new RSA key (default 2048 bits) and a self-signed certificate\n"
	      "for it, and print the certificate's fingerprint, which the peers pin\n"
	      "(\"Fingerprint =\" in their [Peer] section for this server).\n"
	      "\n"
	      "KEYFILE gets the private key (PEM, PKCS#8, unencrypted), mode 0600;\n"
	      "CERTFILE the certificate (PEM).  Neither may exist: nothing is\n"
	      "overwritten.  The certificate: X.509v3, CN and subjectAltName\n"
	      "DNS:NAME, valid from an hour ago for DAYS days, CA:FALSE,\n"
	      "digitalSignature, serverAuth and clientAuth, a random serial,\n"
	      "signed with SHA-256.  RSA keys below 2048 bits are refused.\n",
	      f);
}

void fingerprint_usage(FILE *f, bool full)
{
	fputs("Usage: " LCCTL_PROG " fingerprint CERTFILE\n", f);
	if (!full) {
		fputs("Try \"" LCCTL_PROG " fingerprint help\" for more.\n", f);
		return;
	}
	fputs("\n"
	      "Print the fingerprint of the certificate in CERTFILE (PEM): the\n"
	      "SHA-256 of its SubjectPublicKeyInfo (DER), as 64 lowercase hex\n"
	      "digits.  It identifies the key, not the certificate: a renewed\n"
	      "certificate for the same key keeps it.  The same as\n"
	      "  openssl x509 -in CERTFILE -pubkey -noout |\n"
	      "    openssl pkey -pubin -outform DER | sha256sum\n",
	      f);
}

int genkey_parse_args(int argc, char **argv, struct genkey_args *a)
{
	bool bits = false, days = false;
	uint64_t v;

	memset(a, 0, sizeof(*a));
	a->bits = LC_GENKEY_DEFAULT_BITS;
	a->days = LC_GENKEY_DEFAULT_DAYS;
	for (; argc > 0; argc--, argv++) {
		const char *kw = *argv;

		if (cli_is_help(kw))
			return CLI_HELP;
		if (strcmp(kw, "bits") && strcmp(kw, "days") &&
		    strcmp(kw, "name") && strcmp(kw, "key") &&
		    strcmp(kw, "cert"))
			return cli_error("unknown argument \"%s\" of \"genkey\".",
					 kw);
		NEXT_ARG();
		if (!strcmp(kw, "bits")) {
			if (bits)
				return cli_error("\"bits\" given twice.");
			bits = true;
			if (cli_parse_uint(*argv, INT_MAX, &v))
				return cli_error("\"%s\" is not a number of bits.",
						 *argv);
			if (v < LC_RSA_MIN_BITS)
				return cli_error("RSA keys below %d bits are refused.",
						 LC_RSA_MIN_BITS);
			if (v != 2048 && v != 3072 && v != 4096)
				return cli_error("\"bits\" must be 2048, 3072 or 4096, not %s.",
						 *argv);
			a->bits = (int)v;
		} else if (!strcmp(kw, "days")) {
			if (days)
				return cli_error("\"days\" given twice.");
			days = true;
			if (cli_parse_uint(*argv, LC_GENKEY_MAX_DAYS, &v) || !v)
				return cli_error("\"%s\" is not a number of days (1..%d).",
						 *argv, LC_GENKEY_MAX_DAYS);
			a->days = (int)v;
		} else if (!strcmp(kw, "name")) {
			if (a->name)
				return cli_error("\"name\" given twice.");
			if (!lc_dns_name_valid(*argv))
				return cli_error("\"%s\" is not a DNS name (letters, digits, hyphens and dots; at most %d characters).",
						 *argv, LC_NAME_MAX);
			a->name = *argv;
		} else if (!strcmp(kw, "key")) {
			if (a->key)
				return cli_error("\"key\" given twice.");
			a->key = *argv;
		} else {
			if (a->cert)
				return cli_error("\"cert\" given twice.");
			a->cert = *argv;
		}
	}
	if (!a->key)
		return cli_error("\"genkey\" needs \"key KEYFILE\".");
	if (!a->cert)
		return cli_error("\"genkey\" needs \"cert CERTFILE\".");
	if (!strcmp(a->key, a->cert))
		return cli_error("the key and the certificate need two different files.");
	return CLI_OK;
}

int cmd_genkey(const struct lcctl_opts *opts, int argc, char **argv)
{
	char host[HOST_NAME_MAX + 1], hex[LC_FPR_HEX_LEN + 1];
	struct lc_genkey_params p;
	struct genkey_args args;
	struct lc_err err;
	struct lc_fpr fpr;
	struct json j;

	switch (genkey_parse_args(argc, argv, &args)) {
	case CLI_OK:
		break;
	case CLI_HELP:
		genkey_usage(stdout, true);
		return LC_EXIT_OK;
	default:
		genkey_usage(stderr, false);
		return LC_EXIT_USAGE;
	}
	if (!args.name) {
		if (gethostname(host, sizeof(host)) < 0)
			host[0] = '\0';
		host[sizeof(host) - 1] = '\0';
		if (!lc_dns_name_valid(host)) {
			cli_error("the host name \"%s\" is not a DNS name; give one with \"name NAME\".",
				  host);
			return LC_EXIT_USAGE;
		}
		args.name = host;
	}
	p = (struct lc_genkey_params){
		.bits = args.bits, .days = args.days, .name = args.name,
		.key_path = args.key, .cert_path = args.cert,
	};
	if (lc_genkey(&p, &fpr, &err)) {
		fprintf(stderr, "%s: %s\n", LCCTL_PROG, err.msg);
		return LC_EXIT_FAIL;
	}
	lc_fpr_hex(&fpr, hex, sizeof(hex));
	if (!opts->json) {
		printf("%s\n", hex);
		return LC_EXIT_OK;
	}
	json_init(&j, stdout, opts->pretty);
	json_open_object(&j);
	json_kv_string(&j, "key", args.key);
	json_kv_string(&j, "certificate", args.cert);
	json_kv_string(&j, "name", args.name);
	json_kv_uint(&j, "bits", (uint64_t)args.bits);
	json_kv_uint(&j, "days", (uint64_t)args.days);
	json_kv_string(&j, "fingerprint", hex);
	json_close_object(&j);
	return json_finish(&j) ? LC_EXIT_FAIL : LC_EXIT_OK;
}

int fingerprint_parse_args(int argc, char **argv, const char **cert)
{
	*cert = NULL;
	if (argc > 0 && cli_is_help(argv[0]))
		return CLI_HELP;
	if (argc == 0)
		return cli_error("\"fingerprint\" needs a certificate file.");
	if (argc > 1)
		return cli_error("too many arguments to \"fingerprint\": \"%s\".",
				 argv[1]);
	*cert = argv[0];
	return CLI_OK;
}

int cmd_fingerprint(const struct lcctl_opts *opts, int argc, char **argv)
{
	char hex[LC_FPR_HEX_LEN + 1];
	const char *path;
	struct lc_err err;
	struct lc_fpr fpr;
	struct json j;
	X509 *cert;
	int ret;

	switch (fingerprint_parse_args(argc, argv, &path)) {
	case CLI_OK:
		break;
	case CLI_HELP:
		fingerprint_usage(stdout, true);
		return LC_EXIT_OK;
	default:
		fingerprint_usage(stderr, false);
		return LC_EXIT_USAGE;
	}
	cert = lc_cert_load(path, &err);
	ret = cert ? lc_fpr_of_cert(cert, &fpr, &err) : -1;
	X509_free(cert);
	if (ret) {
		fprintf(stderr, "%s: %s\n", LCCTL_PROG, err.msg);
		return LC_EXIT_FAIL;
	}
	lc_fpr_hex(&fpr, hex, sizeof(hex));
	if (!opts->json) {
		printf("%s\n", hex);
		return LC_EXIT_OK;
	}
	json_init(&j, stdout, opts->pretty);
	json_open_object(&j);
	json_kv_string(&j, "certificate", path);
	json_kv_string(&j, "fingerprint", hex);
	json_close_object(&j);
	return json_finish(&j) ? LC_EXIT_FAIL : LC_EXIT_OK;
}
