// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the JSON writer (json.c). */
#include <stdint.h>

#include "kselftest_harness.h"

#include "helpers.h"
#include "json.h"

/* @s written as a JSON string. */
static char *escaped(const char *s)
{
	struct mem m;

	json_write_string(mem_open(&m), s);
	return mem_close(&m);
}

#define EXPECT_ESCAPED(expected, input)			\
	do {						\
		char *out_ = escaped(input);		\
		EXPECT_STREQ(expected, out_);		\
		free(out_);				\
	} while (0)

TEST(escape_plain)
{
	EXPECT_ESCAPED("\"\"", "");
	EXPECT_ESCAPED("\"lc0\"", "lc0");
	EXPECT_ESCAPED("\"a b/c'd\"", "a b/c'd");
}

TEST(escape_quotes_and_backslashes)
{
	EXPECT_ESCAPED("\"\\\"\"", "\"");
	EXPECT_ESCAPED("\"\\\\\"", "\\");
	EXPECT_ESCAPED("\"say \\\"hi\\\" \\\\o/\"", "say \"hi\" \\o/");
	EXPECT_ESCAPED("\"\\\\\\\"\"", "\\\"");
}

TEST(escape_control_characters)
{
	EXPECT_ESCAPED("\"\\n\\r\\t\\b\\f\"", "\n\r\t\b\f");
	EXPECT_ESCAPED("\"\\u0001\\u001f\\u007f\"", "\x01\x1f\x7f");
	EXPECT_ESCAPED("\"a\\u001bb\"", "a\x1b" "b");
	EXPECT_ESCAPED("\" ~\"", "\x20\x7e");
}

TEST(escape_utf8)
{
	/* Well-formed UTF-8 passes through: é, €, U+1F600, U+10FFFF. */
	EXPECT_ESCAPED("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"",
		       "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
	/* A lone continuation byte, an invalid lead byte. */
	EXPECT_ESCAPED("\"a\\ufffdb\\ufffd\"", "a\x80" "b\xff");
	/* Overlong forms. */
	EXPECT_ESCAPED("\"\\ufffd\\ufffd\"", "\xc0\xaf");
	EXPECT_ESCAPED("\"\\ufffd\\ufffd\\ufffd\"", "\xe0\x80\xaf");
	EXPECT_ESCAPED("\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "\xf0\x80\x80\xaf");
	/* A surrogate, and a code point above U+10FFFF. */
	EXPECT_ESCAPED("\"\\ufffd\\ufffd\\ufffd\"", "\xed\xa0\x80");
	EXPECT_ESCAPED("\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "\xf4\x90\x80\x80");
	/* A sequence cut short by the end of the string or by ASCII. */
	EXPECT_ESCAPED("\"\\ufffd\\ufffd\"", "\xe2\x82");
	EXPECT_ESCAPED("\"\\ufffdx\"", "\xe2x");
}

TEST(empty_containers)
{
	struct json j;
	struct mem m;
	char *out;

	json_init(&j, mem_open(&m), false);
	json_open_array(&j);
	json_close_array(&j);
	ASSERT_EQ(0, json_finish(&j));
	out = mem_close(&m);
	EXPECT_STREQ("[]\n", out);
	free(out);

	json_init(&j, mem_open(&m), true);
	json_open_object(&j);
	json_close_object(&j);
	ASSERT_EQ(0, json_finish(&j));
	out = mem_close(&m);
	EXPECT_STREQ("{}\n", out);
	free(out);
}

static void write_sample(struct json *j)
{
	json_open_object(j);
	json_kv_string(j, "name", "x\"y");
	json_kv_uint(j, "big", UINT64_MAX);
	json_kv_int(j, "neg", INT64_MIN);
	json_kv_bool(j, "yes", true);
	json_key(j, "none");
	json_null(j);
	json_key(j, "list");
	json_open_array(j);
	json_uint(j, 1);
	json_open_object(j);
	json_close_object(j);
	json_open_array(j);
	json_bool(j, false);
	json_close_array(j);
	json_close_array(j);
	json_key(j, "empty");
	json_open_array(j);
	json_close_array(j);
	json_close_object(j);
}

TEST(nesting_compact)
{
	struct json j;
	struct mem m;
	char *out;

	json_init(&j, mem_open(&m), false);
	write_sample(&j);
	ASSERT_EQ(0, json_finish(&j));
	out = mem_close(&m);
	EXPECT_STREQ("{\"name\":\"x\\\"y\",\"big\":18446744073709551615,"
		     "\"neg\":-9223372036854775808,\"yes\":true,\"none\":null,"
		     "\"list\":[1,{},[false]],\"empty\":[]}\n", out);
	free(out);
}

TEST(nesting_pretty)
{
	struct json j;
	struct mem m;
	char *out;

	json_init(&j, mem_open(&m), true);
	write_sample(&j);
	ASSERT_EQ(0, json_finish(&j));
	out = mem_close(&m);
	EXPECT_STREQ("{\n"
		     "  \"name\": \"x\\\"y\",\n"
		     "  \"big\": 18446744073709551615,\n"
		     "  \"neg\": -9223372036854775808,\n"
		     "  \"yes\": true,\n"
		     "  \"none\": null,\n"
		     "  \"list\": [\n"
		     "    1,\n"
		     "    {},\n"
		     "    [\n"
		     "      false\n"
		     "    ]\n"
		     "  ],\n"
		     "  \"empty\": []\n"
		     "}\n", out);
	free(out);
}

TEST(scalar_top_level)
{
	struct json j;
	struct mem m;
	char *out;

	json_init(&j, mem_open(&m), false);
	json_string(&j, "\t");
	ASSERT_EQ(0, json_finish(&j));
	out = mem_close(&m);
	EXPECT_STREQ("\"\\t\"\n", out);
	free(out);
}

/* Each misuse must make json_finish() fail. */
TEST(misuse)
{
	struct json j;
	struct mem m;
	int i;

	/* Nothing written. */
	json_init(&j, mem_open(&m), false);
	EXPECT_EQ(-1, json_finish(&j));
	free(mem_close(&m));

	/* A value in an object without a key. */
	json_init(&j, mem_open(&m), false);
	json_open_object(&j);
	json_uint(&j, 1);
	json_close_object(&j);
	EXPECT_EQ(-1, json_finish(&j));
	free(mem_close(&m));

	/* A key in an array. */
	json_init(&j, mem_open(&m), false);
	json_open_array(&j);
	json_key(&j, "k");
	json_close_array(&j);
	EXPECT_EQ(-1, json_finish(&j));
	free(mem_close(&m));

	/* Two keys in a row, and a key without a value at the end. */
	json_init(&j, mem_open(&m), false);
	json_open_object(&j);
	json_key(&j, "a");
	json_key(&j, "b");
	EXPECT_EQ(-1, json_finish(&j));
	free(mem_close(&m));

	json_init(&j, mem_open(&m), false);
	json_open_object(&j);
	json_key(&j, "a");
	json_close_object(&j);
	EXPECT_EQ(-1, json_finish(&j));
	free(mem_close(&m));

	/* Mismatched close. */
	json_init(&j, mem_open(&m), false);
	json_open_array(&j);
	json_close_object(&j);
	EXPECT_EQ(-1, json_finish(&j));
	free(mem_close(&m));

	/* Close with nothing open. */
	json_init(&j, mem_open(&m), false);
	json_close_array(&j);
	EXPECT_EQ(-1, json_finish(&j));
	free(mem_close(&m));

	/* Unclosed. */
	json_init(&j, mem_open(&m), false);
	json_open_array(&j);
	EXPECT_EQ(-1, json_finish(&j));
	free(mem_close(&m));

	/* Two top-level values. */
	json_init(&j, mem_open(&m), false);
	json_open_array(&j);
	json_close_array(&j);
	json_uint(&j, 1);
	EXPECT_EQ(-1, json_finish(&j));
	free(mem_close(&m));

	/* Too deep. */
	json_init(&j, mem_open(&m), false);
	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		json_open_array(&j);
	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		json_close_array(&j);
	EXPECT_EQ(-1, json_finish(&j));
	free(mem_close(&m));
}

TEST(max_depth_ok)
{
	struct json j;
	struct mem m;
	char *out;
	int i;

	json_init(&j, mem_open(&m), false);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_open_array(&j);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_close_array(&j);
	EXPECT_EQ(0, json_finish(&j));
	out = mem_close(&m);
	EXPECT_EQ(2 * JSON_MAX_DEPTH + 1, (int)strlen(out));
	free(out);
}

TEST_HARNESS_MAIN
