// SPDX-License-Identifier: GPL-2.0
/* lcctl config check FILE [ dev DEV ] */
#include <string.h>

#include <openssl/x509.h>

#include "cipher.h"
#include "cli.h"
#include "config_cmd.h"
#include "json.h"
#include "lcctl.h"

void config_usage(FILE *f, bool full)
{
	fputs("Usage: " LCCTL_PROG " [ -j ] config check FILE [ dev DEV ]\n", f);
	if (!full) {
		fputs("Try \"" LCCTL_PROG " config help\" for more.\n", f);
		return;
	}
	fputs("\n"
	      "Check the configuration file FILE of \"" LCCTL_PROG " up\": its syntax and\n"
	      "values, then the identity it names (the private key's permissions and\n"
	      "size, the certificate's key and dates, that they belong together) and\n"
	      "the CA file, and print a summary.  With \"dev DEV\", Device (if given)\n"
	      "must be DEV.  Nothing is changed and no kernel is asked.\n"
	      "\n"
	      "The file (INI; section and key names case-insensitive; # and ;\n"
	      "comments; relative paths from the file's directory):\n"
	      "  [Interface]  PrivateKey, Certificate (required); Device, CA,\n"
	      "               ListenPort, Cipher, RekeyAfter, KeyLifetime,\n"
	      "               Address (repeatable)\n"
	      "  [Peer]...    Endpoint, Id and one of Fingerprint or Name (required);\n"
	      "               MAC (repeatable)\n"
	      "\n"
	      "Errors are printed as FILE:LINE: message.  Exit status: 0 valid,\n"
	      "1 a file cannot be read or an identity or CA check failed, 2 the\n"
	      "file's contents (or the command line) are wrong.\n",
	      f);
}

int config_parse_args(int argc, char **argv, struct config_args *a)
{
	memset(a, 0, sizeof(*a));
	if (argc == 0)
		return cli_error("\"config\" needs a sub-command: check.");
	if (cli_is_help(*argv))
		return CLI_HELP;
	if (strcmp(*argv, "check"))
		return cli_error("unknown sub-command \"config %s\"; use check.",
				 *argv);
	argc--;
	argv++;
	if (argc > 0 && cli_is_help(*argv))
		return CLI_HELP;
	if (argc == 0)
		return cli_error("\"config check\" needs a file.");
	a->file = *argv;
	argc--;
	argv++;
	for (; argc > 0; argc--, argv++) {
		if (cli_is_help(*argv))
			return CLI_HELP;
		if ((*argv)[0] == '-')
			return cli_error("unknown argument \"%s\"; options go before the command (\"%s -j config check FILE\").",
					 *argv, LCCTL_PROG);
		if (strcmp(*argv, "dev"))
			return cli_error("unknown argument \"%s\" of \"config check\".",
					 *argv);
		NEXT_ARG();
		if (a->dev)
			return cli_error("\"dev\" given twice.");
		if (!cli_ifname_valid(*argv))
			return cli_error("\"%s\" is not a valid interface name.",
					 *argv);
		a->dev = *argv;
	}
	return CLI_OK;
}

/* "FILE:LINE: " before a message of the identity code. */
static void at_line(struct lc_err *err, const struct lc_conf *conf,
		    unsigned int line)
{
	char msg[LC_ERR_LEN];

	memcpy(msg, err->msg, sizeof(msg));
	lc_err_set(err, "%s:%u: %s", conf->path, line, msg);
}

int config_check(const struct config_args *args, time_t now,
		 struct config_check *out, struct lc_err *err)
{
	struct lc_conf *conf = &out->conf;
	X509_STORE *store;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = lc_conf_load(args->file, conf, err);
	if (ret == LC_CONF_EIO)
		return LC_EXIT_FAIL;
	if (ret)
		return LC_EXIT_USAGE;
	if (args->dev || conf->device) {
		out->device = lc_conf_device(conf, args->dev, err);
		if (!out->device) {
			ret = LC_EXIT_USAGE;
			goto fail;
		}
	}
	ret = lc_identity_load(&out->id, conf->private_key, conf->certificate,
			       now, err);
	if (ret) {
		at_line(err, conf, ret == LC_ID_EKEY ? conf->line_private_key :
						      conf->line_certificate);
		ret = LC_EXIT_FAIL;
		goto fail;
	}
	if (conf->ca) {
		store = lc_ca_load(conf->ca, &out->ca_certs, err);
		if (!store) {
			at_line(err, conf, conf->line_ca);
			ret = LC_EXIT_FAIL;
			goto fail;
		}
		X509_STORE_free(store);
	}
	return LC_EXIT_OK;
fail:
	config_check_free(out);
	return ret;
}

void config_check_free(struct config_check *c)
{
	lc_identity_free(&c->id);
	lc_conf_free(&c->conf);
	memset(c, 0, sizeof(*c));
}

static const char *cert_name(X509 *cert, char *buf, int len)
{
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert),
				      NID_commonName, buf, len) < 0)
		snprintf(buf, (size_t)len, "(no CN)");
	return buf;
}

void config_print_text(FILE *f, const struct config_check *c)
{
	const struct lc_conf *conf = &c->conf;
	char hex[LC_FPR_HEX_LEN + 1], name[LC_NAME_MAX + 1];
	char when[LC_TIME_STRLEN], a[16], b[16], cipher[LC_CIPHER_STRLEN];
	char addr[LC_CONF_ADDR_STRLEN], ep[LC_ENDPOINT_STRLEN];
	char mac[LC_MAC_STRLEN];
	size_t i, k;

	fprintf(f, "%s: OK\n", conf->path);
	fprintf(f, "device %s listen-port %u cipher %s rekey-after %s key-lifetime %s\n",
		c->device ? c->device : "(given by lcctl up)",
		conf->listen_port,
		lc_cipher_str((unsigned int)conf->cipher, cipher,
			      sizeof(cipher)),
		lc_duration_str(conf->rekey_after, a, sizeof(a)),
		lc_duration_str(conf->key_lifetime, b, sizeof(b)));
	fprintf(f, "identity %s fingerprint %s\n",
		cert_name(c->id.cert, name, sizeof(name)),
		lc_fpr_hex(&c->id.fpr, hex, sizeof(hex)));
	fprintf(f, "  private-key %s\n", conf->private_key);
	fprintf(f, "  certificate %s: RSA %d, valid until %s\n",
		conf->certificate, EVP_PKEY_get_bits(c->id.key),
		lc_asn1_time_str(X509_get0_notAfter(c->id.cert), when,
				 sizeof(when)));
	if (conf->ca)
		fprintf(f, "  ca %s: %d certificate%s\n", conf->ca, c->ca_certs,
			c->ca_certs == 1 ? "" : "s");
	for (i = 0; i < conf->n_addrs; i++)
		fprintf(f, "address %s\n",
			lc_conf_addr_str(&conf->addrs[i], addr, sizeof(addr)));
	for (i = 0; i < conf->n_peers; i++) {
		const struct lc_conf_peer *p = &conf->peers[i];

		fprintf(f, "peer %u: endpoint %s", p->id,
			lc_endpoint_str(&p->endpoint, ep, sizeof(ep)));
		if (p->name)
			fprintf(f, " name %s", p->name);
		else
			fprintf(f, " fingerprint %s",
				lc_fpr_hex(&p->fpr, hex, sizeof(hex)));
		if (p->n_macs)
			fputs(" macs", f);
		for (k = 0; k < p->n_macs; k++)
			fprintf(f, " %s", lc_mac_str(&p->macs[k], mac, sizeof(mac)));
		fputc('\n', f);
	}
	if (!conf->n_peers)
		fputs("no peers\n", f);
}

static void json_opt_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	if (s)
		json_string(j, s);
	else
		json_null(j);
}

int config_print_json(FILE *f, bool pretty, const struct config_check *c)
{
	const struct lc_conf *conf = &c->conf;
	char hex[LC_FPR_HEX_LEN + 1], name[LC_NAME_MAX + 1];
	char when[LC_TIME_STRLEN], cipher[LC_CIPHER_STRLEN];
	char addr[LC_CONF_ADDR_STRLEN], mac[LC_MAC_STRLEN];
	struct json j;
	size_t i, k;

	json_init(&j, f, pretty);
	json_open_object(&j);
	json_kv_string(&j, "file", conf->path);
	json_opt_string(&j, "device", c->device);
	json_kv_uint(&j, "listen_port", conf->listen_port);
	json_kv_string(&j, "cipher", lc_cipher_str((unsigned int)conf->cipher,
						     cipher, sizeof(cipher)));
	json_kv_uint(&j, "rekey_after", conf->rekey_after);
	json_kv_uint(&j, "key_lifetime", conf->key_lifetime);

	json_key(&j, "identity");
	json_open_object(&j);
	json_kv_string(&j, "name", cert_name(c->id.cert, name, sizeof(name)));
	json_kv_string(&j, "fingerprint",
		       lc_fpr_hex(&c->id.fpr, hex, sizeof(hex)));
	json_kv_string(&j, "private_key", conf->private_key);
	json_kv_string(&j, "certificate", conf->certificate);
	json_kv_uint(&j, "bits", (uint64_t)EVP_PKEY_get_bits(c->id.key));
	json_kv_string(&j, "not_before",
		       lc_asn1_time_str(X509_get0_notBefore(c->id.cert), when,
					sizeof(when)));
	json_kv_string(&j, "not_after",
		       lc_asn1_time_str(X509_get0_notAfter(c->id.cert), when,
					sizeof(when)));
	json_close_object(&j);

	json_key(&j, "ca");
	if (conf->ca) {
		json_open_object(&j);
		json_kv_string(&j, "file", conf->ca);
		json_kv_uint(&j, "certificates", (uint64_t)c->ca_certs);
		json_close_object(&j);
	} else {
		json_null(&j);
	}

	json_key(&j, "addresses");
	json_open_array(&j);
	for (i = 0; i < conf->n_addrs; i++)
		json_string(&j, lc_conf_addr_str(&conf->addrs[i], addr,
						 sizeof(addr)));
	json_close_array(&j);

	json_key(&j, "peers");
	json_open_array(&j);
	for (i = 0; i < conf->n_peers; i++) {
		const struct lc_conf_peer *p = &conf->peers[i];

		json_open_object(&j);
		json_kv_uint(&j, "id", p->id);
		json_key(&j, "endpoint");
		json_open_object(&j);
		json_kv_string(&j, "address",
			       lc_endpoint_addr_str(&p->endpoint, addr,
						    sizeof(addr)));
		json_kv_uint(&j, "port", p->endpoint.port);
		json_close_object(&j);
		json_opt_string(&j, "name", p->name);
		json_opt_string(&j, "fingerprint", p->has_fpr ?
				lc_fpr_hex(&p->fpr, hex, sizeof(hex)) : NULL);
		json_key(&j, "macs");
		json_open_array(&j);
		for (k = 0; k < p->n_macs; k++)
			json_string(&j, lc_mac_str(&p->macs[k], mac,
						    sizeof(mac)));
		json_close_array(&j);
		json_close_object(&j);
	}
	json_close_array(&j);
	json_close_object(&j);
	return json_finish(&j);
}

int cmd_config(const struct lcctl_opts *opts, int argc, char **argv)
{
	struct config_args args;
	struct config_check c;
	struct lc_err err;
	int ret;

	switch (config_parse_args(argc, argv, &args)) {
	case CLI_OK:
		break;
	case CLI_HELP:
		config_usage(stdout, true);
		return LC_EXIT_OK;
	default:
		config_usage(stderr, false);
		return LC_EXIT_USAGE;
	}
	ret = config_check(&args, time(NULL), &c, &err);
	if (ret != LC_EXIT_OK) {
		/* "FILE:LINE: message" or "FILE: message", as compilers do. */
		fprintf(stderr, "%s\n", err.msg);
		return ret;
	}
	if (lc_conf_warning(&c.conf, err.msg, sizeof(err.msg)))
		fprintf(stderr, "warning: %s\n", err.msg);
	if (opts->json)
		ret = config_print_json(stdout, opts->pretty, &c) ?
			LC_EXIT_FAIL : LC_EXIT_OK;
	else
		config_print_text(stdout, &c);
	config_check_free(&c);
	return ret;
}
