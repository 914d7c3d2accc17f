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
 *					[ crypto { parallel | inline } ]
 *
 *  - the generic netlink family LINKCRYPT_GENL_NAME, for peers, keys,
 *    counters and notifications.  Every command needs
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
 * enum linkcrypt_crypto_mode - where a device's AEAD operations run
 * @LINKCRYPT_CRYPTO_PARALLEL: in crypto workers, one per CPU: a peer's
 *	operations are spread over the online CPUs and completed in the
 *	order they started, per peer and direction, on the peer's home CPU:
 *	one flow's crypto uses every CPU.  Most throughput; a frame waits
 *	for a worker, and for the home CPU's worker when it ran elsewhere.
 *	Datagrams of at most 256 bytes, and the next operation of a peer
 *	with 1024 under way in one direction, run inline, still in order.
 *	The default.
 * @LINKCRYPT_CRYPTO_INLINE: in the context that sends or receives the
 *	frame: one flow's crypto uses one CPU at a time.  Least latency.
 *
 * With one CPU online both run inline.
 */
enum linkcrypt_crypto_mode {
	LINKCRYPT_CRYPTO_UNSPEC,
	LINKCRYPT_CRYPTO_PARALLEL,
	LINKCRYPT_CRYPTO_INLINE,

	__LINKCRYPT_CRYPTO_MAX,
	LINKCRYPT_CRYPTO_MAX = __LINKCRYPT_CRYPTO_MAX - 1
};

/**
 * enum linkcrypt_link_attrs - IFLA_INFO_DATA attributes of a linkcrypt device
 * @IFLA_LINKCRYPT_PORT: u16, UDP port the device listens on, in the network
 *	namespace it was created in.  1..65535; default LINKCRYPT_DEFAULT_PORT.
 *	Datagrams go to the peer's port from a source port derived from the
 *	inner flow's hash, so that receivers spread flows over their queues.
 *	Two devices created in one network namespace cannot share a port.  May
 *	be changed only while the device is down.
 * @IFLA_LINKCRYPT_CIPHER: u16, enum linkcrypt_cipher; default
 *	LINKCRYPT_CIPHER_AES_256_GCM.
 * @IFLA_LINKCRYPT_CRYPTO: u8, enum linkcrypt_crypto_mode; default
 *	LINKCRYPT_CRYPTO_PARALLEL.  May be changed at any time; frames under
 *	way when it changes finish as they started, so a few may overtake
 *	others, which the receivers' replay windows allow.
 */
enum linkcrypt_link_attrs {
	IFLA_LINKCRYPT_UNSPEC,
	IFLA_LINKCRYPT_PORT,
	IFLA_LINKCRYPT_CIPHER,
	IFLA_LINKCRYPT_CRYPTO,

	__IFLA_LINKCRYPT_MAX,
	IFLA_LINKCRYPT_MAX = __IFLA_LINKCRYPT_MAX - 1
};

/*
 * Generic netlink.
 *
 * Every request names a device by LINKCRYPT_A_DEV_IFINDEX or
 * LINKCRYPT_A_DEV_IFNAME (both: they must agree).  Peer and key commands
 * carry one LINKCRYPT_A_DEV_PEER nest naming the peer by LINKCRYPT_A_PEER_ID;
 * key commands carry one LINKCRYPT_A_PEER_KEY nest inside it.
 *
 * Keys.  Each peer has two key slots per direction, primary and secondary,
 * so that a new key can be installed before it is used and an old one kept
 * until the last frame under it has arrived:
 *  - TX: frames are sent under the primary key; the secondary waits for
 *    LINKCRYPT_CMD_KEY_SWAP.
 *  - RX: a frame is decrypted by whichever slot holds its header's key id;
 *    the two RX slots never hold the same id.
 * Key material (LINKCRYPT_A_KEY_MATERIAL: the cipher's 32-byte key followed
 * by the 4-byte salt) is write-only: no reply ever carries it, and the
 * kernel wipes it when the key is deleted.
 *
 * Lifetimes.  A key may have soft and hard limits in packets, bytes and
 * seconds (0: none).  Crossing a soft limit sends LINKCRYPT_EVENT_SOFT_LIMIT
 * once; past a hard limit the key is no longer used (frames are dropped and
 * counted) and LINKCRYPT_EVENT_HARD_LIMIT is sent once.  A TX key also
 * stops before its counter could wrap.  Ages are whole seconds on the
 * boot-time clock (CLOCK_BOOTTIME): time spent suspended counts.
 *
 * Notifications go to the multicast group LINKCRYPT_MCGRP_EVENTS as
 * LINKCRYPT_CMD_EVENT messages, in the device's network namespace.
 */
#define LINKCRYPT_MCGRP_EVENTS	"events"

/**
 * enum linkcrypt_cmd - generic netlink commands
 * @LINKCRYPT_CMD_DEV_GET: read devices.  As a request, one device; as a
 *	dump (NLM_F_DUMP), every linkcrypt device of the caller's namespace.
 *	Replies carry the LINKCRYPT_A_DEV_* attributes and LINKCRYPT_A_DEV_STATS.
 * @LINKCRYPT_CMD_PEER_NEW: add a peer: LINKCRYPT_A_PEER_ID (new, unique in
 *	the device), LINKCRYPT_A_PEER_REMOTE_ID and an endpoint (address and
 *	port) are required; static MACs optional.
 * @LINKCRYPT_CMD_PEER_SET: change a peer's remote id, endpoint or static
 *	MACs (the given list replaces the old one; an empty nest clears it).
 * @LINKCRYPT_CMD_PEER_DEL: delete a peer, its keys and its MAC entries.
 * @LINKCRYPT_CMD_PEER_GET: read one peer (LINKCRYPT_A_PEER_ID given) or,
 *	as a dump, every peer of the device.  Replies: one message per peer with
 *	the device attributes and one LINKCRYPT_A_DEV_PEER nest holding the
 *	peer's attributes, LINKCRYPT_A_PEER_STATS and one LINKCRYPT_A_PEER_KEY
 *	nest per installed key (metadata and counters, never material).
 * @LINKCRYPT_CMD_KEY_NEW: install a key into an empty slot: KEY_DIR,
 *	KEY_SLOT (default primary), KEY_ID, KEY_MATERIAL, optional limits.
 * @LINKCRYPT_CMD_KEY_SWAP: exchange the primary and secondary keys of one
 *	direction (KEY_DIR); the secondary slot must hold a key.
 * @LINKCRYPT_CMD_KEY_DEL: delete the key in one slot (KEY_DIR, KEY_SLOT).
 * @LINKCRYPT_CMD_EVENT: notification only (see enum linkcrypt_event):
 *	device attributes, LINKCRYPT_A_DEV_EVENT and a LINKCRYPT_A_DEV_PEER nest
 *	with the peer id and, for key events, one LINKCRYPT_A_PEER_KEY nest.
 */
enum linkcrypt_cmd {
	LINKCRYPT_CMD_UNSPEC,
	LINKCRYPT_CMD_DEV_GET,
	LINKCRYPT_CMD_PEER_NEW,
	LINKCRYPT_CMD_PEER_SET,
	LINKCRYPT_CMD_PEER_DEL,
	LINKCRYPT_CMD_PEER_GET,
	LINKCRYPT_CMD_KEY_NEW,
	LINKCRYPT_CMD_KEY_SWAP,
	LINKCRYPT_CMD_KEY_DEL,
	LINKCRYPT_CMD_EVENT,

	__LINKCRYPT_CMD_MAX,
	LINKCRYPT_CMD_MAX = __LINKCRYPT_CMD_MAX - 1
};

/**
 * enum linkcrypt_dev_attrs - top-level attributes
 * @LINKCRYPT_A_DEV_IFINDEX: u32, interface index
 * @LINKCRYPT_A_DEV_IFNAME: string, interface name (at most IFNAMSIZ - 1 bytes)
 * @LINKCRYPT_A_DEV_PORT: u16, as IFLA_LINKCRYPT_PORT (read-only here)
 * @LINKCRYPT_A_DEV_CIPHER: u16, as IFLA_LINKCRYPT_CIPHER (read-only here)
 * @LINKCRYPT_A_DEV_MTU: u32, current MTU of the device (read-only)
 * @LINKCRYPT_A_DEV_PEER: nest, enum linkcrypt_peer_attrs
 * @LINKCRYPT_A_DEV_STATS: nest, enum linkcrypt_stats_attrs: the device's
 *	drops that belong to no peer (read-only)
 * @LINKCRYPT_A_DEV_EVENT: u32, enum linkcrypt_event (notifications only)
 * @LINKCRYPT_A_DEV_PEERS: u32, number of peers (read-only)
 * @LINKCRYPT_A_DEV_CRYPTO: u8, enum linkcrypt_crypto_mode, as
 *	IFLA_LINKCRYPT_CRYPTO (read-only here)
 */
enum linkcrypt_dev_attrs {
	LINKCRYPT_A_DEV_UNSPEC,
	LINKCRYPT_A_DEV_IFINDEX,
	LINKCRYPT_A_DEV_IFNAME,
	LINKCRYPT_A_DEV_PORT,
	LINKCRYPT_A_DEV_CIPHER,
	LINKCRYPT_A_DEV_MTU,
	LINKCRYPT_A_DEV_PEER,
	LINKCRYPT_A_DEV_STATS,
	LINKCRYPT_A_DEV_EVENT,
	LINKCRYPT_A_DEV_PEERS,
	LINKCRYPT_A_DEV_CRYPTO,

	__LINKCRYPT_A_DEV_MAX,
	LINKCRYPT_A_DEV_MAX = __LINKCRYPT_A_DEV_MAX - 1
};

/**
 * enum linkcrypt_peer_attrs - attributes of a peer (in LINKCRYPT_A_DEV_PEER)
 * @LINKCRYPT_A_PEER_ID: u32, non-zero: our index for the peer, unique in
 *	the device; the peer puts it in the receiver_index of what it sends us
 * @LINKCRYPT_A_PEER_REMOTE_ID: u32, non-zero: the peer's index for us, which
 *	we put in the receiver_index of what we send it
 * @LINKCRYPT_A_PEER_ENDPOINT_IP4: be32 (4 bytes), the peer's IPv4 address
 * @LINKCRYPT_A_PEER_ENDPOINT_IP6: 16 bytes, the peer's IPv6 address (one of
 *	the two addresses is required by PEER_NEW, never both)
 * @LINKCRYPT_A_PEER_ENDPOINT_PORT: u16, the peer's UDP port (non-zero)
 * @LINKCRYPT_A_PEER_MACS: nest of LINKCRYPT_A_MAC_ADDR: static MAC addresses
 *	behind this peer (unicast); frames to them go to this peer only, and no
 *	other peer may claim them
 * @LINKCRYPT_A_PEER_KEY: nest, enum linkcrypt_key_attrs
 * @LINKCRYPT_A_PEER_STATS: nest, enum linkcrypt_stats_attrs (read-only)
 * @LINKCRYPT_A_PEER_LAST_RX_MSECS: u64, milliseconds since the last frame
 *	authenticated from this peer; absent if none yet (read-only)
 */
enum linkcrypt_peer_attrs {
	LINKCRYPT_A_PEER_UNSPEC,
	LINKCRYPT_A_PEER_ID,
	LINKCRYPT_A_PEER_REMOTE_ID,
	LINKCRYPT_A_PEER_ENDPOINT_IP4,
	LINKCRYPT_A_PEER_ENDPOINT_IP6,
	LINKCRYPT_A_PEER_ENDPOINT_PORT,
	LINKCRYPT_A_PEER_MACS,
	LINKCRYPT_A_PEER_KEY,
	LINKCRYPT_A_PEER_STATS,
	LINKCRYPT_A_PEER_LAST_RX_MSECS,
	LINKCRYPT_A_PEER_PAD,

	__LINKCRYPT_A_PEER_MAX,
	LINKCRYPT_A_PEER_MAX = __LINKCRYPT_A_PEER_MAX - 1
};

/* Inside LINKCRYPT_A_PEER_MACS. */
enum linkcrypt_mac_attrs {
	LINKCRYPT_A_MAC_UNSPEC,
	LINKCRYPT_A_MAC_ADDR,		/* 6 bytes, repeated */

	__LINKCRYPT_A_MAC_MAX,
	LINKCRYPT_A_MAC_MAX = __LINKCRYPT_A_MAC_MAX - 1
};

enum linkcrypt_key_dir {
	LINKCRYPT_KEY_DIR_TX = 1,
	LINKCRYPT_KEY_DIR_RX = 2,
};

enum linkcrypt_key_slot {
	LINKCRYPT_KEY_SLOT_PRIMARY = 0,
	LINKCRYPT_KEY_SLOT_SECONDARY = 1,
};

/* Key material: the cipher's key followed by the salt of the nonce. */
#define LINKCRYPT_KEY_LEN	32
#define LINKCRYPT_SALT_LEN	4
#define LINKCRYPT_MATERIAL_LEN	(LINKCRYPT_KEY_LEN + LINKCRYPT_SALT_LEN)

/**
 * enum linkcrypt_key_attrs - attributes of a key (in LINKCRYPT_A_PEER_KEY)
 * @LINKCRYPT_A_KEY_DIR: u8, enum linkcrypt_key_dir
 * @LINKCRYPT_A_KEY_SLOT: u8, enum linkcrypt_key_slot
 * @LINKCRYPT_A_KEY_ID: u8, the key id carried in the header of every frame
 *	under this key
 * @LINKCRYPT_A_KEY_MATERIAL: LINKCRYPT_MATERIAL_LEN bytes (write-only)
 * @LINKCRYPT_A_KEY_SOFT_PACKETS: u64, 0 = none
 * @LINKCRYPT_A_KEY_HARD_PACKETS: u64, 0 = none
 * @LINKCRYPT_A_KEY_SOFT_BYTES: u64, 0 = none (bytes of inner frames)
 * @LINKCRYPT_A_KEY_HARD_BYTES: u64, 0 = none
 * @LINKCRYPT_A_KEY_SOFT_SECONDS: u32, 0 = none (age since installation)
 * @LINKCRYPT_A_KEY_HARD_SECONDS: u32, 0 = none
 * @LINKCRYPT_A_KEY_PACKETS: u64, frames sent or accepted under the key
 *	(read-only)
 * @LINKCRYPT_A_KEY_BYTES: u64, their inner bytes (read-only)
 * @LINKCRYPT_A_KEY_AUTH_FAILURES: u64, RX: frames whose tag did not verify
 *	(read-only)
 * @LINKCRYPT_A_KEY_REPLAYS: u64, RX: replayed or too old frames (read-only)
 * @LINKCRYPT_A_KEY_AGE_SECONDS: u32, seconds since installation (read-only)
 * @LINKCRYPT_A_KEY_FLAGS: u32, LINKCRYPT_KEY_F_* (read-only)
 */
enum linkcrypt_key_attrs {
	LINKCRYPT_A_KEY_UNSPEC,
	LINKCRYPT_A_KEY_DIR,
	LINKCRYPT_A_KEY_SLOT,
	LINKCRYPT_A_KEY_ID,
	LINKCRYPT_A_KEY_MATERIAL,
	LINKCRYPT_A_KEY_SOFT_PACKETS,
	LINKCRYPT_A_KEY_HARD_PACKETS,
	LINKCRYPT_A_KEY_SOFT_BYTES,
	LINKCRYPT_A_KEY_HARD_BYTES,
	LINKCRYPT_A_KEY_SOFT_SECONDS,
	LINKCRYPT_A_KEY_HARD_SECONDS,
	LINKCRYPT_A_KEY_PACKETS,
	LINKCRYPT_A_KEY_BYTES,
	LINKCRYPT_A_KEY_AUTH_FAILURES,
	LINKCRYPT_A_KEY_REPLAYS,
	LINKCRYPT_A_KEY_AGE_SECONDS,
	LINKCRYPT_A_KEY_FLAGS,
	LINKCRYPT_A_KEY_PAD,

	__LINKCRYPT_A_KEY_MAX,
	LINKCRYPT_A_KEY_MAX = __LINKCRYPT_A_KEY_MAX - 1
};

/* A key past a soft limit, or past a hard one (it is then never used
 * again).  Time limits count whether or not the key has been used since.
 */
#define LINKCRYPT_KEY_F_SOFT_EXPIRED	0x1
#define LINKCRYPT_KEY_F_HARD_EXPIRED	0x2

/**
 * enum linkcrypt_stats_attrs - counters (u64 each), in LINKCRYPT_A_*_STATS
 * @LINKCRYPT_A_STATS_TX_PACKETS: frames sent to the peer
 * @LINKCRYPT_A_STATS_TX_BYTES: their inner bytes
 * @LINKCRYPT_A_STATS_RX_PACKETS: frames authenticated from the peer
 * @LINKCRYPT_A_STATS_RX_BYTES: their inner bytes
 * @LINKCRYPT_A_STATS_DROP_NO_KEY: TX: no usable key (none installed)
 * @LINKCRYPT_A_STATS_DROP_KEY_EXPIRED: TX or RX: key past a hard limit
 * @LINKCRYPT_A_STATS_DROP_AUTH: RX: tag did not verify, or no key with
 *	the header's key id
 * @LINKCRYPT_A_STATS_DROP_REPLAY: RX: counter replayed or behind the window
 * @LINKCRYPT_A_STATS_DROP_MALFORMED: RX: too short, unknown type, reserved
 *	bits set (device only: such datagrams name no peer reliably)
 * @LINKCRYPT_A_STATS_DROP_NO_PEER: RX: unknown receiver index (device only)
 * @LINKCRYPT_A_STATS_DROP_TX_ERROR: TX: no route, no memory, crypto error
 * @LINKCRYPT_A_STATS_DROP_NO_PEER_TX: TX: no peer to send to (device only)
 */
enum linkcrypt_stats_attrs {
	LINKCRYPT_A_STATS_UNSPEC,
	LINKCRYPT_A_STATS_TX_PACKETS,
	LINKCRYPT_A_STATS_TX_BYTES,
	LINKCRYPT_A_STATS_RX_PACKETS,
	LINKCRYPT_A_STATS_RX_BYTES,
	LINKCRYPT_A_STATS_DROP_NO_KEY,
	LINKCRYPT_A_STATS_DROP_KEY_EXPIRED,
	LINKCRYPT_A_STATS_DROP_AUTH,
	LINKCRYPT_A_STATS_DROP_REPLAY,
	LINKCRYPT_A_STATS_DROP_MALFORMED,
	LINKCRYPT_A_STATS_DROP_NO_PEER,
	LINKCRYPT_A_STATS_DROP_TX_ERROR,
	LINKCRYPT_A_STATS_DROP_NO_PEER_TX,
	LINKCRYPT_A_STATS_PAD,

	__LINKCRYPT_A_STATS_MAX,
	LINKCRYPT_A_STATS_MAX = __LINKCRYPT_A_STATS_MAX - 1
};

/**
 * enum linkcrypt_event - LINKCRYPT_A_DEV_EVENT values
 * @LINKCRYPT_EVENT_SOFT_LIMIT: a key crossed a soft limit: rekey soon
 * @LINKCRYPT_EVENT_HARD_LIMIT: a key passed a hard limit and is no longer used
 * @LINKCRYPT_EVENT_NO_KEY: a frame for the peer found no usable TX key
 *	(rate limited to one a second per peer)
 */
enum linkcrypt_event {
	LINKCRYPT_EVENT_UNSPEC,
	LINKCRYPT_EVENT_SOFT_LIMIT,
	LINKCRYPT_EVENT_HARD_LIMIT,
	LINKCRYPT_EVENT_NO_KEY,
};

#endif /* _UAPI_LINUX_LINKCRYPT_H */
