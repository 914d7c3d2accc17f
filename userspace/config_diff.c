// SPDX-License-Identifier: GPL-2.0
/* What changed between two configurations; see config_diff.h. */
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "config_diff.h"

static bool same_endpoint(const struct lc_endpoint *a,
			  const struct lc_endpoint *b)
{
	return a->family == b->family && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, a->family == AF_INET ? 4 : 16);
}

static bool has_mac(const struct lc_conf_peer *p, const struct lc_mac *m)
{
	size_t i;

	for (i = 0; i < p->n_macs; i++)
		if (!memcmp(&p->macs[i], m, sizeof(*m)))
			return true;
	return false;
}

/* MACs are unique within a peer: equal counts and inclusion make a set. */
static bool same_macs(const struct lc_conf_peer *a, const struct lc_conf_peer *b)
{
	size_t i;

	if (a->n_macs != b->n_macs)
		return false;
	for (i = 0; i < a->n_macs; i++)
		if (!has_mac(b, &a->macs[i]))
			return false;
	return true;
}

static bool same_trust(const struct lc_conf_peer *a,
		       const struct lc_conf_peer *b)
{
	if (a->has_fpr != b->has_fpr)
		return false;
	if (a->has_fpr)
		return lc_fpr_equal(&a->fpr, &b->fpr);
	/* DNS names compare without case, as X509_check_host() does. */
	return a->name && b->name && !strcasecmp(a->name, b->name);
}

unsigned int lc_conf_peer_diff(const struct lc_conf_peer *a,
			       const struct lc_conf_peer *b)
{
	unsigned int d = 0;

	if (!same_endpoint(&a->endpoint, &b->endpoint))
		d |= LC_DIFF_ENDPOINT;
	if (!same_macs(a, b))
		d |= LC_DIFF_MACS;
	if (!same_trust(a, b))
		d |= LC_DIFF_TRUST;
	return d;
}

static bool same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

bool lc_conf_has_addr(const struct lc_conf *conf, const struct lc_conf_addr *a)
{
	size_t i;

	for (i = 0; i < conf->n_addrs; i++) {
		const struct lc_conf_addr *b = &conf->addrs[i];

		if (a->family == b->family && a->prefix == b->prefix &&
		    !memcmp(&a->addr, &b->addr, a->family == AF_INET ? 4 : 16))
			return true;
	}
	return false;
}

static bool same_addrs(const struct lc_conf *a, const struct lc_conf *b)
{
	size_t i;

	if (a->n_addrs != b->n_addrs)
		return false;
	for (i = 0; i < a->n_addrs; i++)
		if (!lc_conf_has_addr(b, &a->addrs[i]))
			return false;
	return true;
}

unsigned int lc_conf_iface_diff(const struct lc_conf *a,
				const struct lc_conf *b)
{
	unsigned int d = 0;

	if (!same_str(a->device, b->device))
		d |= LC_DIFF_DEVICE;
	if (a->listen_port != b->listen_port)
		d |= LC_DIFF_LISTEN_PORT;
	if (a->cipher != b->cipher)
		d |= LC_DIFF_CIPHER;
	if (!same_str(a->private_key, b->private_key))
		d |= LC_DIFF_PRIVATE_KEY;
	if (!same_str(a->certificate, b->certificate))
		d |= LC_DIFF_CERTIFICATE;
	if (!same_str(a->ca, b->ca))
		d |= LC_DIFF_CA;
	if (a->rekey_after != b->rekey_after ||
	    a->key_lifetime != b->key_lifetime)
		d |= LC_DIFF_REKEY;
	if (!same_addrs(a, b))
		d |= LC_DIFF_ADDRESSES;
	return d;
}

const struct lc_conf_peer *lc_conf_find_peer(const struct lc_conf *conf,
					     uint32_t id)
{
	size_t i;

	for (i = 0; i < conf->n_peers; i++)
		if (conf->peers[i].id == id)
			return &conf->peers[i];
	return NULL;
}
