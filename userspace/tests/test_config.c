// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the configuration file (config.c) and of "lcctl config
 * check" (config_cmd.c): a full file, defaults, the syntax, and one
 * refused file per rule with its exact "FILE:LINE: message".
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include <linux/linkcrypt.h>

#include "kselftest_harness.h"

#include "cli.h"
#include "config.h"
#include "config_cmd.h"
#include "config_diff.h"
#include "genkey.h"
#include "helpers.h"
#include "lcctl.h"
#include "pki.h"

#define FPR_A	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define FPR_B	"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

/* Lines 1-3. */
#define IFACE	"[Interface]\nPrivateKey = a.key\nCertificate = a.crt\n"
/* Lines 4-7 after IFACE. */
#define PEER2	"[Peer]\nFingerprint = " FPR_A "\nEndpoint = 192.0.2.2:7788\nId = 2\n"

static int parse(const char *text, struct lc_conf *c, struct lc_err *err)
{
	return lc_conf_parse("t.conf", text, strlen(text), c, err);
}

/* @text is refused with exactly @msg, and leaves nothing allocated. */
#define BAD(text_, want_) do {						\
		struct lc_conf c_;					\
		struct lc_err e_ = { "" };				\
		EXPECT_EQ(-1, parse(text_, &c_, &e_));			\
		EXPECT_STREQ(want_, e_.msg);				\
		EXPECT_EQ(NULL, c_.path);				\
		EXPECT_EQ(0u, c_.n_peers);				\
		lc_conf_free(&c_);					\
	} while (0)

#define GOOD(text_, c_) do {						\
		struct lc_err e_ = { "" };				\
		ASSERT_EQ(0, parse(text_, c_, &e_)) {			\
			TH_LOG("%s", e_.msg);				\
		}							\
	} while (0)

static const char full[] =
	"# alpha: the first server\n"				/* 1 */
	"; an INI comment\n"					/* 2 */
	"\n"							/* 3 */
	"  [ interface ]  \n"					/* 4 */
	"device=lc0\n"						/* 5 */
	"PRIVATEKEY   =   alpha.key   # relative: next to the file\n"	/* 6 */
	"\tCertificate\t=\t/etc/ssl/alpha.crt\t\n"		/* 7 */
	"CA = ca.pem\n"						/* 8 */
	"ListenPort = 7789\n"					/* 9 */
	"Cipher = ChaCha20-Poly1305\n"				/* 10 */
	"RekeyAfter = 1h\n"					/* 11 */
	"KeyLifetime = 90m\r\n"					/* 12 */
	"Address = 198.51.100.1/24, 2001:db8:100::1/64\n"	/* 13 */
	"Address = 203.0.113.7\n"				/* 14 */
	"\n"							/* 15 */
	"[Peer]\n"						/* 16 */
	"Name = beta.example\n"					/* 17 */
	"Endpoint = 192.0.2.2:7788\n"				/* 18 */
	"Id = 2\n"						/* 19 */
	"MAC = 02:00:00:00:00:02\n"				/* 20 */
	"mac = 02:00:00:00:01:02 , 0A:00:00:00:02:02\n"		/* 21 */
	"\n"							/* 22 */
	"[PEER]\n"						/* 23 */
	"Fingerprint = " FPR_B "\n"				/* 24 */
	"Endpoint = [2001:db8::3]:7790\n"			/* 25 */
	"ID = 4294967295"; /* no newline at the end */		/* 26 */

TEST(full_file)
{
	struct lc_conf c;
	struct lc_err err;
	char buf[64];
	struct lc_fpr fpr;

	ASSERT_EQ(0, lc_conf_parse("/etc/linkcrypt/alpha.conf", full,
				   strlen(full), &c, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("/etc/linkcrypt/alpha.conf", c.path);
	EXPECT_STREQ("lc0", c.device);
	EXPECT_STREQ("/etc/linkcrypt/alpha.key", c.private_key);
	EXPECT_STREQ("/etc/ssl/alpha.crt", c.certificate);
	EXPECT_STREQ("/etc/linkcrypt/ca.pem", c.ca);
	EXPECT_EQ(7789, c.listen_port);
	EXPECT_EQ(LINKCRYPT_CIPHER_CHACHA20_POLY1305, c.cipher);
	EXPECT_EQ(3600u, c.rekey_after);
	EXPECT_EQ(5400u, c.key_lifetime);
	EXPECT_EQ(4u, c.line_interface);
	EXPECT_EQ(6u, c.line_private_key);
	EXPECT_EQ(7u, c.line_certificate);

	ASSERT_EQ(3u, c.n_addrs);
	EXPECT_STREQ("198.51.100.1/24", lc_conf_addr_str(&c.addrs[0], buf, sizeof(buf)));
	EXPECT_STREQ("2001:db8:100::1/64", lc_conf_addr_str(&c.addrs[1], buf, sizeof(buf)));
	EXPECT_STREQ("203.0.113.7/32", lc_conf_addr_str(&c.addrs[2], buf, sizeof(buf)));
	EXPECT_EQ(14u, c.addrs[2].line);

	ASSERT_EQ(2u, c.n_peers);
	EXPECT_EQ(16u, c.peers[0].line);
	EXPECT_STREQ("beta.example", c.peers[0].name);
	EXPECT_FALSE(c.peers[0].has_fpr);
	EXPECT_EQ(2u, c.peers[0].id);
	EXPECT_EQ(AF_INET, c.peers[0].endpoint.family);
	EXPECT_EQ(htonl(0xc0000202), c.peers[0].endpoint.addr.v4.s_addr);
	EXPECT_EQ(7788, c.peers[0].endpoint.port);
	ASSERT_EQ(3u, c.peers[0].n_macs);
	EXPECT_STREQ("02:00:00:00:00:02", lc_mac_str(&c.peers[0].macs[0], buf, sizeof(buf)));
	EXPECT_STREQ("02:00:00:00:01:02", lc_mac_str(&c.peers[0].macs[1], buf, sizeof(buf)));
	EXPECT_STREQ("0a:00:00:00:02:02", lc_mac_str(&c.peers[0].macs[2], buf, sizeof(buf)));

	EXPECT_EQ(23u, c.peers[1].line);
	EXPECT_EQ(NULL, c.peers[1].name);
	ASSERT_TRUE(c.peers[1].has_fpr);
	ASSERT_EQ(0, lc_fpr_parse(FPR_B, &fpr));
	EXPECT_TRUE(lc_fpr_equal(&fpr, &c.peers[1].fpr));
	EXPECT_EQ(4294967295u, c.peers[1].id);
	EXPECT_EQ(AF_INET6, c.peers[1].endpoint.family);
	EXPECT_STREQ("[2001:db8::3]:7790",
		     lc_endpoint_str(&c.peers[1].endpoint, buf, sizeof(buf)));
	EXPECT_EQ(0u, c.peers[1].n_macs);
	lc_conf_free(&c);
	EXPECT_EQ(NULL, c.path);
}

TEST(defaults)
{
	static const char rekey10[] = IFACE "RekeyAfter = 10\n";
	struct lc_conf c;

	GOOD(IFACE, &c);
	EXPECT_EQ(NULL, c.device);
	EXPECT_EQ(NULL, c.ca);
	/* A file named without a directory: paths as they are. */
	EXPECT_STREQ("a.key", c.private_key);
	EXPECT_EQ(LINKCRYPT_DEFAULT_PORT, c.listen_port);
	EXPECT_EQ(LINKCRYPT_CIPHER_AES_256_GCM, c.cipher);
	EXPECT_EQ(120u, c.rekey_after);
	EXPECT_EQ(360u, c.key_lifetime);
	EXPECT_EQ(0u, c.n_addrs);
	EXPECT_EQ(0u, c.n_peers);
	lc_conf_free(&c);

	/* KeyLifetime follows RekeyAfter unless given; relative directory. */
	ASSERT_EQ(0, lc_conf_parse("conf/t.conf", rekey10, strlen(rekey10), &c,
				   &(struct lc_err){ "" }));
	EXPECT_STREQ("conf/a.key", c.private_key);
	EXPECT_EQ(10u, c.rekey_after);
	EXPECT_EQ(30u, c.key_lifetime);
	lc_conf_free(&c);

	GOOD(IFACE "RekeyAfter = 1d\nKeyLifetime = 7d\n", &c);
	EXPECT_EQ(86400u, c.rekey_after);
	EXPECT_EQ(7u * 86400, c.key_lifetime);
	lc_conf_free(&c);

	/* Sections in any order; an empty file but for [Interface]. */
	GOOD(PEER2 "[Interface]\nPrivateKey = k\nCertificate = c\n", &c);
	EXPECT_EQ(5u, c.line_interface);
	EXPECT_EQ(1u, c.n_peers);
	lc_conf_free(&c);
}

TEST(comments_and_blanks)
{
	struct lc_conf c;

	/* # and ; start a comment at the line's start or after a blank only. */
	GOOD("[Interface] # ours\n"
	     "PrivateKey = /k#1.key ;key\n"
	     "Certificate = /c;1.crt\t# cert\n"
	     "   \t\n"
	     "  ; indented comment\n", &c);
	EXPECT_STREQ("/k#1.key", c.private_key);
	EXPECT_STREQ("/c;1.crt", c.certificate);
	lc_conf_free(&c);
}

TEST(syntax_errors)
{
	BAD("PrivateKey = a.key\n[Interface]\n",
	    "t.conf:1: PrivateKey is outside any section; the file starts with [Interface]");
	BAD(IFACE "[Interfaces]\n",
	    "t.conf:4: unknown section [Interfaces]; use [Interface] or [Peer]");
	BAD(IFACE "[Peer\n",
	    "t.conf:4: \"[Peer\" is not a section header ([Interface] or [Peer])");
	BAD(IFACE "[Peer] x\n",
	    "t.conf:4: \"[Peer] x\" is not a section header ([Interface] or [Peer])");
	BAD(IFACE "[Interface]\n",
	    "t.conf:4: duplicate [Interface] section (first at line 1)");
	BAD(IFACE "ListenPort 7788\n",
	    "t.conf:4: expected \"Key = Value\" or a [Section], not \"ListenPort 7788\"");
	BAD(IFACE " = 7788\n", "t.conf:4: a key is missing before \"=\"");
	BAD(IFACE "ListenPort =\n", "t.conf:4: ListenPort needs a value");
	BAD(IFACE "ListenPort = # none\n", "t.conf:4: ListenPort needs a value");
	BAD(IFACE "Port = 7788\n", "t.conf:4: unknown key \"Port\" in [Interface]");
	BAD(IFACE PEER2 "Colour = blue\n", "t.conf:8: unknown key \"Colour\" in [Peer]");
	BAD(IFACE "Endpoint = 192.0.2.2:7788\n",
	    "t.conf:4: Endpoint belongs in a [Peer] section, not in [Interface]");
	BAD(IFACE PEER2 "ListenPort = 1\n",
	    "t.conf:8: ListenPort belongs in the [Interface] section, not in [Peer]");
	BAD(IFACE "Id = 1\n",
	    "t.conf:4: Id belongs in a [Peer] section: it is our index for that peer");
	BAD(IFACE "Cipher = aes-256-gcm\ncipher = aes-256-gcm\n",
	    "t.conf:5: duplicate Cipher (first given at line 4)");
	BAD(IFACE PEER2 "ID = 3\n",
	    "t.conf:8: duplicate Id (first given at line 7)");
	BAD("", "t.conf: no [Interface] section");
	BAD("# only a comment\n" PEER2, "t.conf: no [Interface] section");
}

TEST(nul_and_long_lines)
{
	static const char nul[] = IFACE "Device = lc0\0x\n";
	char *text = malloc(LC_CONF_LINE_MAX + 64);
	struct lc_conf c;
	struct lc_err err;
	int n;

	EXPECT_EQ(-1, lc_conf_parse("t.conf", nul, sizeof(nul) - 1, &c, &err));
	EXPECT_STREQ("t.conf:4: a NUL byte; this is not a text file", err.msg);

	ASSERT_NE(NULL, text);
	n = snprintf(text, 64, IFACE "# ");
	memset(text + n, 'x', LC_CONF_LINE_MAX - 2);
	strcpy(text + n + LC_CONF_LINE_MAX - 2, "\n");
	GOOD(text, &c);		/* exactly LC_CONF_LINE_MAX bytes */
	lc_conf_free(&c);
	strcpy(text + n + LC_CONF_LINE_MAX - 2, "x\n");
	BAD(text, "t.conf:4: line longer than 4096 bytes");
	free(text);
}

TEST(required_keys)
{
	BAD("[Interface]\nCertificate = a.crt\n",
	    "t.conf:1: [Interface] needs PrivateKey");
	BAD("\n[Interface]\nPrivateKey = a.key\n",
	    "t.conf:2: [Interface] needs Certificate");
	BAD(IFACE "[Peer]\nEndpoint = 192.0.2.2:7788\nId = 2\n",
	    "t.conf:4: [Peer] needs Fingerprint, or Name with a CA");
	BAD(IFACE "[Peer]\nFingerprint = " FPR_A "\nId = 2\n",
	    "t.conf:4: [Peer] needs Endpoint");
	BAD(IFACE "[Peer]\nFingerprint = " FPR_A "\nEndpoint = 192.0.2.2:7788\n",
	    "t.conf:4: [Peer] needs Id");
	BAD(IFACE "[Peer]\nName = beta.example\nEndpoint = 192.0.2.2:7788\nId = 2\n",
	    "t.conf:5: Name needs CA in [Interface], the CA that signs the peer's certificate");
	BAD(IFACE "[Peer]\nName = beta.example\nFingerprint = " FPR_A "\n",
	    "t.conf:6: give either Name or Fingerprint, not both (Name is at line 5)");
	BAD(IFACE "[Peer]\nFingerprint = " FPR_A "\nName = beta.example\n",
	    "t.conf:6: give either Name or Fingerprint, not both (Fingerprint is at line 5)");
	/* The first incomplete section is reported, in file order. */
	BAD(IFACE PEER2 "[Peer]\nId = 3\n" "[Peer]\nId = 4\n",
	    "t.conf:8: [Peer] needs Fingerprint, or Name with a CA");
}

TEST(interface_values)
{
	BAD(IFACE "Device = a/b\n",
	    "t.conf:4: Device: \"a/b\" is not a valid interface name");
	BAD(IFACE "Device = abcdefghijklmnop\n",
	    "t.conf:4: Device: \"abcdefghijklmnop\" is not a valid interface name");
	BAD(IFACE "ListenPort = 0\n",
	    "t.conf:4: ListenPort: \"0\" is not a valid port (1..65535)");
	BAD(IFACE "ListenPort = 65536\n",
	    "t.conf:4: ListenPort: \"65536\" is not a valid port (1..65535)");
	BAD(IFACE "ListenPort = +7788\n",
	    "t.conf:4: ListenPort: \"+7788\" is not a valid port (1..65535)");
	BAD(IFACE "Cipher = aes-128-gcm\n",
	    "t.conf:4: Cipher: \"aes-128-gcm\" is not a cipher; use aes-256-gcm | chacha20-poly1305");
	BAD(IFACE "RekeyAfter = 2 m\n",
	    "t.conf:4: RekeyAfter: \"2 m\" is not a duration (seconds, optionally followed by s, m, h or d)");
	BAD(IFACE "RekeyAfter = 2w\n",
	    "t.conf:4: RekeyAfter: \"2w\" is not a duration (seconds, optionally followed by s, m, h or d)");
	BAD(IFACE "RekeyAfter = 1s\n",
	    "t.conf:4: RekeyAfter must be between 2s and 1d, not 1s");
	BAD(IFACE "RekeyAfter = 25h\n",
	    "t.conf:4: RekeyAfter must be between 2s and 1d, not 25h");
	BAD(IFACE "KeyLifetime = 8d\n",
	    "t.conf:4: KeyLifetime must be between 1s and 7d, not 8d");
	BAD(IFACE "KeyLifetime = 2m\n",
	    "t.conf:4: KeyLifetime (2m) must be longer than RekeyAfter (2m)");
	BAD(IFACE "KeyLifetime = 1h\nRekeyAfter = 2h\n",
	    "t.conf:4: KeyLifetime (1h) must be longer than RekeyAfter (2h)");
	BAD(IFACE "Address = 198.51.100.1/33\n",
	    "t.conf:4: Address: \"33\" is not a prefix length of \"198.51.100.1/33\" (0..32)");
	BAD(IFACE "Address = 2001:db8::1/129\n",
	    "t.conf:4: Address: \"129\" is not a prefix length of \"2001:db8::1/129\" (0..128)");
	BAD(IFACE "Address = 198.51.100/24\n",
	    "t.conf:4: Address: \"198.51.100/24\" is not an IP address with an optional prefix length (198.51.100.1/24, 2001:db8::1/64)");
	BAD(IFACE "Address = 198.51.100.1/24,\n",
	    "t.conf:4: Address: empty item in \"198.51.100.1/24,\"");
	BAD(IFACE "Address = 198.51.100.1/24\nAddress = 198.51.100.1/25\n",
	    "t.conf:5: Address 198.51.100.1/25 is given twice (first at line 4)");
}

TEST(peer_values)
{
	BAD(IFACE "[Peer]\nName = beta_example\n",
	    "t.conf:5: Name: \"beta_example\" is not a DNS name (letters, digits, hyphens and dots; at most 64 characters)");
	BAD(IFACE "[Peer]\nFingerprint = " FPR_A "0\n",
	    "t.conf:5: Fingerprint: \"" FPR_A "0\" is not a fingerprint (64 hex digits, as \"lcctl fingerprint\" prints)");
	BAD(IFACE "[Peer]\nFingerprint = sha256:abc\n",
	    "t.conf:5: Fingerprint: \"sha256:abc\" is not a fingerprint (64 hex digits, as \"lcctl fingerprint\" prints)");
	BAD(IFACE "[Peer]\nId = 0\n",
	    "t.conf:5: Id: \"0\" is not a valid peer id (1..4294967295)");
	BAD(IFACE "[Peer]\nId = 4294967296\n",
	    "t.conf:5: Id: \"4294967296\" is not a valid peer id (1..4294967295)");
	BAD(IFACE "[Peer]\nEndpoint = 192.0.2.2\n",
	    "t.conf:5: Endpoint: \"192.0.2.2\" has no port (A.B.C.D:PORT or [IPV6]:PORT)");
	BAD(IFACE "[Peer]\nEndpoint = 192.0.2.2:0\n",
	    "t.conf:5: Endpoint: \"0\" in \"192.0.2.2:0\" is not a valid port (1..65535)");
	BAD(IFACE "[Peer]\nEndpoint = 192.0.2.2:\n",
	    "t.conf:5: Endpoint: \"192.0.2.2:\" has no port (A.B.C.D:PORT or [IPV6]:PORT)");
	BAD(IFACE "[Peer]\nEndpoint = beta.example:7788\n",
	    "t.conf:5: Endpoint: \"beta.example:7788\" is not an IPv4 address and port (A.B.C.D:PORT; names are not resolved)");
	BAD(IFACE "[Peer]\nEndpoint = 2001:db8::2:7788\n",
	    "t.conf:5: Endpoint: \"2001:db8::2:7788\": an IPv6 address goes in brackets, as in [2001:db8::2]:7788");
	BAD(IFACE "[Peer]\nEndpoint = [2001:db8::2]\n",
	    "t.conf:5: Endpoint: \"[2001:db8::2]\" has no port (A.B.C.D:PORT or [IPV6]:PORT)");
	BAD(IFACE "[Peer]\nEndpoint = [192.0.2.2]:7788\n",
	    "t.conf:5: Endpoint: \"[192.0.2.2]:7788\" is not an IPv6 address and port ([IPV6]:PORT)");
	BAD(IFACE "[Peer]\nMAC = 02:00:00:00:00\n",
	    "t.conf:5: MAC: \"02:00:00:00:00\" is not a MAC address (aa:bb:cc:dd:ee:ff)");
	BAD(IFACE "[Peer]\nMAC = 02-00-00-00-00-02\n",
	    "t.conf:5: MAC: \"02-00-00-00-00-02\" is not a MAC address (aa:bb:cc:dd:ee:ff)");
	BAD(IFACE "[Peer]\nMAC = 01:00:5e:00:00:01\n",
	    "t.conf:5: MAC: 01:00:5e:00:00:01 is a multicast address; static MACs must be unicast");
	BAD(IFACE "[Peer]\nMAC = 00:00:00:00:00:00\n",
	    "t.conf:5: MAC: 00:00:00:00:00:00 is all zero");
	BAD(IFACE "[Peer]\nMAC = 02:00:00:00:00:02, 02:00:00:00:00:02\n",
	    "t.conf:5: MAC 02:00:00:00:00:02 is given twice for this peer");
	BAD(IFACE "[Peer]\nMAC = 02:00:00:00:00:02,,02:00:00:00:00:03\n",
	    "t.conf:5: MAC: empty item in \"02:00:00:00:00:02,,02:00:00:00:00:03\"");
}

TEST(peers_unique)
{
	/* Peer 2 is at lines 4-7; the second [Peer] starts at line 8. */
	BAD(IFACE PEER2 "[Peer]\nId = 2\n",
	    "t.conf:9: Id 2 is already used by the peer at line 4");
	BAD(IFACE PEER2 "[Peer]\nEndpoint = 192.0.2.2:7788\n",
	    "t.conf:9: Endpoint 192.0.2.2:7788 is already used by the peer at line 4");
	BAD(IFACE PEER2 "[Peer]\nFingerprint = " FPR_A "\n",
	    "t.conf:9: this Fingerprint is already used by the peer at line 4");
	BAD(IFACE PEER2 "[Peer]\nFingerprint = 0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\n",
	    "t.conf:9: this Fingerprint is already used by the peer at line 4");
	BAD(IFACE "CA = ca.pem\n[Peer]\nName = beta.example\n[Peer]\nName = BETA.example\n",
	    "t.conf:8: Name BETA.example is already used by the peer at line 5");
	BAD(IFACE PEER2 "MAC = 02:00:00:00:00:02\n[Peer]\nMAC = 02:00:00:00:00:02\n",
	    "t.conf:10: MAC 02:00:00:00:00:02 already belongs to the peer at line 4");
	/* The same address on another port is another endpoint. */
	{
		struct lc_conf c;

		GOOD(IFACE PEER2 "[Peer]\nFingerprint = " FPR_B
		     "\nEndpoint = 192.0.2.2:7789\nId = 3\n", &c);
		EXPECT_EQ(2u, c.n_peers);
		lc_conf_free(&c);
	}
}

TEST(device)
{
	struct lc_conf c;
	struct lc_err err;

	GOOD(IFACE "Device = lc0\n", &c);
	EXPECT_STREQ("lc0", lc_conf_device(&c, NULL, &err));
	EXPECT_STREQ("lc0", lc_conf_device(&c, "lc0", &err));
	EXPECT_EQ(NULL, lc_conf_device(&c, "lc1", &err));
	EXPECT_STREQ("t.conf:4: Device is lc0, but the command line names lc1",
		     err.msg);
	lc_conf_free(&c);

	GOOD(IFACE, &c);
	EXPECT_STREQ("lc1", lc_conf_device(&c, "lc1", &err));
	EXPECT_EQ(NULL, lc_conf_device(&c, NULL, &err));
	EXPECT_STREQ("t.conf: no Device, and no device on the command line",
		     err.msg);
	lc_conf_free(&c);
}

/* RekeyAfter down to 2s, for tests, with a warning below a minute. */
TEST(short_rekey)
{
	struct lc_conf c;
	char buf[LC_ERR_LEN];

	GOOD(IFACE "RekeyAfter = 2s\n", &c);
	EXPECT_EQ(2u, c.rekey_after);
	EXPECT_EQ(6u, c.key_lifetime);
	EXPECT_STREQ("t.conf:4: RekeyAfter 2s is below 1m: meant for tests; every rekey is a TLS handshake with RSA signatures, per peer",
		     lc_conf_warning(&c, buf, sizeof(buf)));
	lc_conf_free(&c);
	GOOD(IFACE "RekeyAfter = 3\nKeyLifetime = 4s\n", &c);
	EXPECT_EQ(4u, c.key_lifetime);
	lc_conf_free(&c);
	BAD(IFACE "RekeyAfter = 3\nKeyLifetime = 3s\n",
	    "t.conf:5: KeyLifetime (3s) must be longer than RekeyAfter (3s)");
	GOOD(IFACE "RekeyAfter = 1m\n", &c);
	EXPECT_EQ(NULL, lc_conf_warning(&c, buf, sizeof(buf)));
	lc_conf_free(&c);
	GOOD(IFACE, &c);
	EXPECT_EQ(NULL, lc_conf_warning(&c, buf, sizeof(buf)));
	lc_conf_free(&c);
}

TEST(durations)
{
	char buf[16];

	EXPECT_STREQ("0s", lc_duration_str(0, buf, sizeof(buf)));
	EXPECT_STREQ("59s", lc_duration_str(59, buf, sizeof(buf)));
	EXPECT_STREQ("2m", lc_duration_str(120, buf, sizeof(buf)));
	EXPECT_STREQ("90m", lc_duration_str(5400, buf, sizeof(buf)));
	EXPECT_STREQ("1h", lc_duration_str(3600, buf, sizeof(buf)));
	EXPECT_STREQ("25h", lc_duration_str(90000, buf, sizeof(buf)));
	EXPECT_STREQ("7d", lc_duration_str(604800, buf, sizeof(buf)));
}

/* ---- lcctl config check: files, identity, CA ---- */

FIXTURE(check) {
	struct scratch s;
	char conf[128];
	char fpr_b[LC_FPR_HEX_LEN + 1];
};

FIXTURE_SETUP(check)
{
	struct lc_genkey_params p = {
		.bits = 2048, .days = 30, .name = "alpha.example",
		.key_path = "", .cert_path = "",
	};
	struct lc_fpr fpr;
	struct lc_err err;

	scratch_init(&self->s);
	p.key_path = scratch_path(&self->s, "alpha.key");
	p.cert_path = scratch_path(&self->s, "alpha.crt");
	ASSERT_EQ(0, lc_genkey(&p, NULL, &err)) TH_LOG("%s", err.msg);
	p.name = "beta.example";
	p.key_path = scratch_path(&self->s, "beta.key");
	p.cert_path = scratch_path(&self->s, "beta.crt");
	ASSERT_EQ(0, lc_genkey(&p, &fpr, &err)) TH_LOG("%s", err.msg);
	lc_fpr_hex(&fpr, self->fpr_b, sizeof(self->fpr_b));
	snprintf(self->conf, sizeof(self->conf), "%s",
		 scratch_path(&self->s, "alpha.conf"));
}

FIXTURE_TEARDOWN(check)
{
	scratch_cleanup(&self->s);
}

/* Write the configuration: [Interface] with @iface lines, then @rest. */
static void write_conf(const char *path, const char *iface, const char *rest)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "[Interface]\n"				/* 1 */
		 "PrivateKey = alpha.key\n"			/* 2 */
		 "Certificate = alpha.crt\n"			/* 3 */
		 "%s%s", iface, rest);
	pki_write_text(path, text, 0644);
}

static int check(const char *path, const char *dev, struct config_check *out,
		 struct lc_err *err)
{
	struct config_args args = { .file = path, .dev = dev };

	return config_check(&args, time(NULL), out, err);
}

TEST_F(check, good)
{
	char rest[512], want[256];
	struct config_check out;
	struct lc_err err;
	struct mem m;
	char *text;

	snprintf(rest, sizeof(rest),
		 "[Peer]\nFingerprint = %s\nEndpoint = 192.0.2.2:7788\nId = 2\n",
		 self->fpr_b);
	write_conf(self->conf, "Device = lc0\nAddress = 198.51.100.1/24\n", rest);
	ASSERT_EQ(LC_EXIT_OK, check(self->conf, "lc0", &out, &err))
		TH_LOG("%s", err.msg);
	EXPECT_STREQ("lc0", out.device);
	EXPECT_EQ(0, out.ca_certs);

	config_print_text(mem_open(&m), &out);
	text = mem_close(&m);
	snprintf(want, sizeof(want), "%s: OK\n", self->conf);
	EXPECT_EQ(0, strncmp(want, text, strlen(want))) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\ndevice lc0 listen-port 7788 cipher aes-256-gcm rekey-after 2m key-lifetime 6m\n"));
	EXPECT_NE(NULL, strstr(text, "\nidentity alpha.example fingerprint "));
	EXPECT_NE(NULL, strstr(text, "\naddress 198.51.100.1/24\n"));
	snprintf(want, sizeof(want),
		 "\npeer 2: endpoint 192.0.2.2:7788 fingerprint %s\n", self->fpr_b);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("%s", text);
	free(text);

	config_print_json(mem_open(&m), false, &out);
	text = mem_close(&m);
	EXPECT_NE(NULL, strstr(text, "\"device\":\"lc0\",\"listen_port\":7788,\"cipher\":\"aes-256-gcm\",\"rekey_after\":120,\"key_lifetime\":360,"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"name\":\"alpha.example\""));
	EXPECT_NE(NULL, strstr(text, "\"ca\":null,\"addresses\":[\"198.51.100.1/24\"]"));
	snprintf(want, sizeof(want),
		 "\"peers\":[{\"id\":2,\"endpoint\":{\"address\":\"192.0.2.2\",\"port\":7788},\"name\":null,\"fingerprint\":\"%s\",\"macs\":[]}]}\n",
		 self->fpr_b);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("%s", text);
	free(text);
	config_check_free(&out);

	/* Device disagrees with the command line: the file is wrong. */
	EXPECT_EQ(LC_EXIT_USAGE, check(self->conf, "lc1", &out, &err));
	snprintf(want, sizeof(want),
		 "%s:4: Device is lc0, but the command line names lc1", self->conf);
	EXPECT_STREQ(want, err.msg);
}

TEST_F(check, with_ca)
{
	const char *ca = scratch_path(&self->s, "ca.pem");
	EVP_PKEY *k = pki_rsa(2048);
	X509 *cert = pki_cert(k, "Test CA", T_2020, T_2100, true);
	struct config_check out;
	struct lc_err err;
	char want[512];

	write_conf(self->conf, "CA = ca.pem\n",
		   "[Peer]\nName = beta.example\nEndpoint = [2001:db8::2]:7788\nId = 2\n");
	/* The CA file is missing. */
	EXPECT_EQ(LC_EXIT_FAIL, check(self->conf, NULL, &out, &err));
	snprintf(want, sizeof(want),
		 "%s:4: cannot open CA file '%s': No such file or directory",
		 self->conf, ca);
	EXPECT_STREQ(want, err.msg);

	pki_write_cert(ca, cert, false);
	ASSERT_EQ(LC_EXIT_OK, check(self->conf, NULL, &out, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(1, out.ca_certs);
	EXPECT_EQ(NULL, out.device);
	config_check_free(&out);
	X509_free(cert);
	EVP_PKEY_free(k);
}

TEST_F(check, identity_errors)
{
	const char *key = scratch_path(&self->s, "alpha.key");
	const char *old_key = scratch_path(&self->s, "old.key");
	const char *old_crt = scratch_path(&self->s, "old.crt");
	EVP_PKEY *k = pki_rsa(2048);
	X509 *old = pki_cert(k, "old.example", T_2020, T_2021, false);
	struct config_check out;
	struct lc_err err;
	char want[768];

	write_conf(self->conf, "", "");
	chmod(key, 0640);
	EXPECT_EQ(LC_EXIT_FAIL, check(self->conf, NULL, &out, &err));
	snprintf(want, sizeof(want),
		 "%s:2: permissions 0640 for '%s' are too open; it must not be accessible by group or others (chmod 600 %s)",
		 self->conf, key, key);
	EXPECT_STREQ(want, err.msg);
	chmod(key, 0600);

	/* Somebody else's certificate: reported at the Certificate line. */
	pki_write_text(self->conf,
		       "[Interface]\nPrivateKey = alpha.key\n\nCertificate = beta.crt\n",
		       0644);
	EXPECT_EQ(LC_EXIT_FAIL, check(self->conf, NULL, &out, &err));
	snprintf(want, sizeof(want),
		 "%s:4: private key '%s' does not belong to certificate '%s'",
		 self->conf, key, scratch_path(&self->s, "beta.crt"));
	EXPECT_STREQ(want, err.msg);

	/* An expired certificate. */
	pki_write_key(old_key, k, 0600, NULL);
	pki_write_cert(old_crt, old, false);
	pki_write_text(self->conf,
		       "[Interface]\nPrivateKey = old.key\nCertificate = old.crt\n",
		       0644);
	EXPECT_EQ(LC_EXIT_FAIL, check(self->conf, NULL, &out, &err));
	snprintf(want, sizeof(want),
		 "%s:3: certificate '%s' expired on 2021-01-01 00:00:00 UTC",
		 self->conf, old_crt);
	EXPECT_STREQ(want, err.msg);

	/* A syntax error comes first, before any file is opened. */
	write_conf(self->conf, "Cipher = rot13\n", "");
	EXPECT_EQ(LC_EXIT_USAGE, check(self->conf, NULL, &out, &err));
	snprintf(want, sizeof(want),
		 "%s:4: Cipher: \"rot13\" is not a cipher; use aes-256-gcm | chacha20-poly1305",
		 self->conf);
	EXPECT_STREQ(want, err.msg);

	/* No such file. */
	EXPECT_EQ(LC_EXIT_FAIL, check(scratch_path(&self->s, "none.conf"), NULL,
				      &out, &err));
	EXPECT_NE(NULL, strstr(err.msg, "none.conf: cannot open: No such file or directory"));
	X509_free(old);
	EVP_PKEY_free(k);
}

/* What a reload compares: peers by Id, [Interface] key by key. */
TEST(diff)
{
	static const char base[] =
		IFACE "Address = 198.51.100.1/24, 2001:db8::1/64\n"
		"[Peer]\nFingerprint = " FPR_A "\nEndpoint = 192.0.2.2:7788\nId = 2\n"
		"MAC = 02:00:00:00:00:02, 02:00:00:00:00:03\n"
		"[Peer]\nFingerprint = " FPR_B "\nEndpoint = 192.0.2.3:7788\nId = 3\n";
	/* Peer 2: MACs reordered; peer 3: new endpoint; peer 4: new. */
	static const char moved[] =
		IFACE "Address = 2001:db8::1/64, 198.51.100.1/24\nCA = ca.pem\n"
		"[Peer]\nFingerprint = " FPR_A "\nEndpoint = 192.0.2.2:7788\nId = 2\n"
		"MAC = 02:00:00:00:00:03, 02:00:00:00:00:02\n"
		"[Peer]\nFingerprint = " FPR_B "\nEndpoint = [2001:db8::3]:7788\nId = 3\n"
		"[Peer]\nName = d.example\nEndpoint = 192.0.2.4:7788\nId = 4\n";
	static const char other[] =
		"[Interface]\nPrivateKey = b.key\nCertificate = a.crt\n"
		"Device = lc1\nListenPort = 7789\nCipher = chacha20-poly1305\n"
		"RekeyAfter = 1m\nCA = ca.pem\nAddress = 198.51.100.1/25\n"
		"[Peer]\nName = two.example\nEndpoint = 192.0.2.2:7788\nId = 2\n"
		"MAC = 02:00:00:00:00:02\n"
		"[Peer]\nFingerprint = " FPR_A "\nEndpoint = 192.0.2.3:7788\nId = 3\n";
	struct lc_conf a, b, c;

	GOOD(base, &a);
	GOOD(moved, &b);
	GOOD(other, &c);

	EXPECT_EQ(0u, lc_conf_iface_diff(&a, &a));
	/* Addresses are a set; a CA appeared. */
	EXPECT_EQ((unsigned int)LC_DIFF_CA, lc_conf_iface_diff(&a, &b));
	EXPECT_EQ((unsigned int)(LC_DIFF_DEVICE | LC_DIFF_LISTEN_PORT |
				 LC_DIFF_CIPHER | LC_DIFF_PRIVATE_KEY |
				 LC_DIFF_CA | LC_DIFF_REKEY | LC_DIFF_ADDRESSES),
		  lc_conf_iface_diff(&a, &c));
	EXPECT_TRUE(lc_conf_has_addr(&b, &a.addrs[0]));
	EXPECT_FALSE(lc_conf_has_addr(&c, &a.addrs[0]));	/* other prefix */

	ASSERT_NE(NULL, lc_conf_find_peer(&b, 4));
	EXPECT_EQ(NULL, lc_conf_find_peer(&a, 4));
	EXPECT_EQ(NULL, lc_conf_find_peer(&a, 0));
	EXPECT_EQ(&a.peers[1], lc_conf_find_peer(&a, 3));

	EXPECT_EQ(0u, lc_conf_peer_diff(&a.peers[0], lc_conf_find_peer(&b, 2)));
	EXPECT_EQ((unsigned int)LC_DIFF_ENDPOINT,
		  lc_conf_peer_diff(&a.peers[1], lc_conf_find_peer(&b, 3)));
	/* Pin to name; two MACs to one. */
	EXPECT_EQ((unsigned int)(LC_DIFF_TRUST | LC_DIFF_MACS),
		  lc_conf_peer_diff(&a.peers[0], lc_conf_find_peer(&c, 2)));
	/* Another pin. */
	EXPECT_EQ((unsigned int)LC_DIFF_TRUST,
		  lc_conf_peer_diff(&a.peers[1], lc_conf_find_peer(&c, 3)));
	/* Names compare without case; another name differs. */
	free(c.peers[0].name);
	c.peers[0].name = strdup("D.Example");
	ASSERT_NE(NULL, c.peers[0].name);
	c.peers[0].endpoint = b.peers[2].endpoint;
	c.peers[0].n_macs = 0;
	EXPECT_EQ(0u, lc_conf_peer_diff(&b.peers[2], &c.peers[0]));
	c.peers[0].name[0] = 'e';
	EXPECT_EQ((unsigned int)LC_DIFF_TRUST,
		  lc_conf_peer_diff(&b.peers[2], &c.peers[0]));
	lc_conf_free(&a);
	lc_conf_free(&b);
	lc_conf_free(&c);
}

TEST(parse_args)
{
	struct config_args a;
	struct capture cap;

	EXPECT_EQ(CLI_OK, config_parse_args(2, (char *[]){ "check", "f.conf", NULL }, &a));
	EXPECT_STREQ("f.conf", a.file);
	EXPECT_EQ(NULL, a.dev);
	EXPECT_EQ(CLI_OK, config_parse_args(4, (char *[]){ "check", "f.conf", "dev", "lc0", NULL }, &a));
	EXPECT_STREQ("lc0", a.dev);
	EXPECT_EQ(CLI_HELP, config_parse_args(1, (char *[]){ "help", NULL }, &a));
	capture_begin(&cap);
	EXPECT_EQ(CLI_USAGE, config_parse_args(0, (char *[]){ NULL }, &a));
	EXPECT_EQ(CLI_USAGE, config_parse_args(1, (char *[]){ "check", NULL }, &a));
	EXPECT_EQ(CLI_USAGE, config_parse_args(2, (char *[]){ "lint", "f", NULL }, &a));
	EXPECT_EQ(CLI_USAGE, config_parse_args(3, (char *[]){ "check", "f", "dev", NULL }, &a));
	EXPECT_EQ(CLI_USAGE, config_parse_args(4, (char *[]){ "check", "f", "dev", "a/b", NULL }, &a));
	EXPECT_EQ(CLI_USAGE, config_parse_args(3, (char *[]){ "check", "f", "-j", NULL }, &a));
	capture_end(&cap);
	EXPECT_NE(NULL, strstr(cap.err, "Error: \"config\" needs a sub-command: check.\n"));
	EXPECT_NE(NULL, strstr(cap.err, "Error: \"config check\" needs a file.\n"));
	EXPECT_NE(NULL, strstr(cap.err, "Error: unknown sub-command \"config lint\"; use check.\n"));
	EXPECT_NE(NULL, strstr(cap.err, "Error: \"dev\" requires an argument.\n"));
	EXPECT_NE(NULL, strstr(cap.err, "Error: \"a/b\" is not a valid interface name.\n"));
	EXPECT_NE(NULL, strstr(cap.err, "Error: unknown argument \"-j\"; options go before the command (\"lcctl -j config check FILE\").\n"));
	capture_free(&cap);
}

TEST_HARNESS_MAIN
