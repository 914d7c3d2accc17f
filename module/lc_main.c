// SPDX-License-Identifier: GPL-2.0
/*
 * linkcrypt: transparent link encryption between servers.
 *
 * The module registers the "linkcrypt" link kind and its generic netlink
 * family.  See include/uapi/linux/linkcrypt.h and docs/protocol.md.
 */
#include <net/genetlink.h>
#include <linux/module.h>
#include <net/rtnetlink.h>

#include "lc_consts.h"
#include "lc_crypto.h"
#include "lc_device.h"
#include "lc_key.h"
#include "lc_netlink.h"

static int __init lc_mod_init(void)
{
	int err;

	err = lc_key_init();
	if (err)
		return err;
	err = lc_crypto_init();
	if (err)
		goto err_key;
	err = lc_device_init();
	if (err)
		goto err_crypto;
	err = lc_genl_init();
	if (err)
		goto err_device;

	pr_info("linkcrypt " LC_VERSION " loaded\n");
	return 0;

err_device:
	lc_device_uninit();
err_crypto:
	lc_crypto_uninit();
err_key:
	lc_key_uninit();
	return err;
}

static void __exit lc_mod_exit(void)
{
	/* No new requests, then delete the devices that remain. */
	lc_genl_uninit();
	lc_device_uninit();
	/* Frames still being encrypted or decrypted hold peers and keys. */
	lc_crypto_uninit();
	/*
	 * Peers and keys are freed by RCU callbacks and work of this module;
	 * they must all have run before its code goes.
	 */
	lc_key_uninit();
}

module_init(lc_mod_init);
module_exit(lc_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("linkcrypt: Ethernet over UDP encrypted with an AEAD");
MODULE_AUTHOR("The linkcrypt developers");
MODULE_VERSION(LC_VERSION);
MODULE_ALIAS_RTNL_LINK("linkcrypt");
MODULE_ALIAS_GENL_FAMILY(LINKCRYPT_GENL_NAME);
