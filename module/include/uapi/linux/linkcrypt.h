/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * linkcrypt: transparent link encryption between servers.
 *
 * A linkcrypt device is a virtual Ethernet device.  Every frame it transmits
 * is encrypted whole with an AEAD and carried to a peer in one UDP datagram;
 * the wire format is described in docs/protocol.md.
 *
 * Configuration has two halves:
 *
 *  - rtnetlink, for the device itself (IFLA_INFO_KIND "linkcrypt", attributes
 *    IFLA_LINKCRYPT_* nested in IFLA_INFO_DATA):
 *
 *	ip link add lc0 type linkcrypt [ port PORT ] [ cipher CIPHER ]
 *
 *  - the generic netlink family LINKCRYPT_GENL_NAME, for reading devices back
 *    (and, as the data path lands, for peers and keys).  Every command needs
 *    CAP_NET_ADMIN in the user namespace owning the network namespace of the
 *    socket, and acts on devices of that network namespace only.
 *
 * All integers are in host byte order unless the attribute says otherwise.
 */
#ifndef _UAPI_LINUX_LINKCRYPT_H
#define _UAPI_LINUX_LINKCRYPT_H

#include <linux/types.h>

#define LINKCRYPT_GENL_NAME	"linkcrypt"
#define LINKCRYPT_GENL_VERSION	1

/* UDP port a device uses when IFLA_LINKCRYPT_PORT is not given. */
#define LINKCRYPT_DEFAULT_PORT	7788

/**
 * enum linkcrypt_cipher - AEAD protecting the frames of a device
 * @LINKCRYPT_CIPHER_AES_256_GCM: AES-256-GCM, 96-bit nonce, 128-bit tag
 *	(the default)
 * @LINKCRYPT_CIPHER_CHACHA20_POLY1305: ChaCha20-Poly1305 (RFC 8439),
 *	96-bit nonce, 128-bit tag
 *
 * Both take a 32-byte key and a 4-byte salt per key and direction; the
 * 96-bit nonce is the salt followed by the 64-bit packet counter.
 */
enum linkcrypt_cipher {
	LINKCRYPT_CIPHER_UNSPEC,
	LINKCRYPT_CIPHER_AES_256_GCM,
	LINKCRYPT_CIPHER_CHACHA20_POLY1305,

	__LINKCRYPT_CIPHER_MAX,
	LINKCRYPT_CIPHER_MAX = __LINKCRYPT_CIPHER_MAX - 1
};

/*
 * Wire format.  Every frame is carried in one UDP datagram:
 *
 *	struct linkcrypt_hdr | ciphertext of the Ethernet frame | 16-byte tag
 *
 * The header travels in clear and is authenticated as associated data.
 * See docs/protocol.md for the nonce construction and the MTU it implies.
 */
#define LINKCRYPT_MSG_DATA	1

/**
 * struct linkcrypt_hdr - header of every linkcrypt datagram
 * @type: LINKCRYPT_MSG_*
 * @key_id: identifies which of the receiver's keys for this peer decrypts
 * @reserved: zero on send; a datagram with non-zero bits here is dropped
 * @receiver_index: the receiver's own index for the sending peer, so the
 *	receiver finds the peer and its keys without a search
 * @counter: per-key packet counter, never repeated under one key
 */
struct linkcrypt_hdr {
	__u8	type;
	__u8	key_id;
	__be16	reserved;
	__be32	receiver_index;
	__be64	counter;
};

#define LINKCRYPT_HDR_LEN	16
#define LINKCRYPT_TAG_LEN	16

/**
 * enum linkcrypt_link_attrs - IFLA_INFO_DATA attributes of a linkcrypt device
 * @IFLA_LINKCRYPT_PORT: u16, UDP port the device sends from and listens on,
 *	in the network namespace it was created in.  1..65535; default
 *	LINKCRYPT_DEFAULT_PORT.  Two devices created in one network namespace
 *	cannot share a port.  May be changed only while the device is down.
 * @IFLA_LINKCRYPT_CIPHER: u16, enum linkcrypt_cipher; default
 *	LINKCRYPT_CIPHER_AES_256_GCM.
 */
enum linkcrypt_link_attrs {
	IFLA_LINKCRYPT_UNSPEC,
	IFLA_LINKCRYPT_PORT,
	IFLA_LINKCRYPT_CIPHER,

	__IFLA_LINKCRYPT_MAX,
	IFLA_LINKCRYPT_MAX = __IFLA_LINKCRYPT_MAX - 1
};

/**
 * enum linkcrypt_cmd - generic netlink commands
 * @LINKCRYPT_CMD_DEV_GET: read devices.  As a request, selects one device by
 *	LINKCRYPT_A_DEV_IFINDEX or LINKCRYPT_A_DEV_IFNAME and answers with one
 *	LINKCRYPT_CMD_DEV_GET message; as a dump (NLM_F_DUMP), lists every
 *	linkcrypt device of the caller's network namespace.
 */
enum linkcrypt_cmd {
	LINKCRYPT_CMD_UNSPEC,
	LINKCRYPT_CMD_DEV_GET,

	__LINKCRYPT_CMD_MAX,
	LINKCRYPT_CMD_MAX = __LINKCRYPT_CMD_MAX - 1
};

/**
 * enum linkcrypt_dev_attrs - attributes of a device in generic netlink
 * @LINKCRYPT_A_DEV_IFINDEX: u32, interface index
 * @LINKCRYPT_A_DEV_IFNAME: string, interface name (at most IFNAMSIZ - 1 bytes)
 * @LINKCRYPT_A_DEV_PORT: u16, as IFLA_LINKCRYPT_PORT (read-only here)
 * @LINKCRYPT_A_DEV_CIPHER: u16, as IFLA_LINKCRYPT_CIPHER (read-only here)
 * @LINKCRYPT_A_DEV_MTU: u32, current MTU of the device (read-only)
 */
enum linkcrypt_dev_attrs {
	LINKCRYPT_A_DEV_UNSPEC,
	LINKCRYPT_A_DEV_IFINDEX,
	LINKCRYPT_A_DEV_IFNAME,
	LINKCRYPT_A_DEV_PORT,
	LINKCRYPT_A_DEV_CIPHER,
	LINKCRYPT_A_DEV_MTU,

	__LINKCRYPT_A_DEV_MAX,
	LINKCRYPT_A_DEV_MAX = __LINKCRYPT_A_DEV_MAX - 1
};

#endif /* _UAPI_LINUX_LINKCRYPT_H */
