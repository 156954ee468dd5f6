/* test_cursor.c: every getter of common/cursor.h, on enough bytes and on too
 * few (a getter that fails must return false and leave both the cursor and
 * its output untouched). */
#include "common/cursor.h"

#include "check.h"

enum op {
	OP_SKIP,
	OP_U8,
	OP_U16,
	OP_U24,
	OP_U32,
	OP_U32LE,
	OP_BYTES,
	OP_COPY,
	OP_U8P,
	OP_U16P,
	OP_U24P,
	OP_PEEK,
	OP_EMPTY,
};

struct ccase {
	const char *name;
	enum op op;
	const char *in; /* bytes, as a string literal with escapes */
	size_t len;
	size_t arg;                  /* n for skip/bytes/copy, offset for peek */
	bool ok;                     /* what the getter returns */
	uint32_t value;              /* integer read, for the integer getters and peek */
	size_t consumed;             /* how far the cursor moves when ok */
	size_t child_off, child_len; /* the child cursor, for bytes/copy/prefixed */
};

#define IN(s) s, sizeof(s) - 1

static const struct ccase cases[] = {
    /* skip inside the buffer moves by n */
    {"skip_within", OP_SKIP, IN("\x01\x02\x03"), 2, true, 0, 2, 0, 0},
    /* skip of exactly the remaining length empties the cursor */
    {"skip_all", OP_SKIP, IN("\x01\x02\x03"), 3, true, 0, 3, 0, 0},
    /* skip of zero bytes always succeeds, even on an empty cursor */
    {"skip_zero_empty", OP_SKIP, IN(""), 0, true, 0, 0, 0, 0},
    /* skip one past the end fails */
    {"skip_short", OP_SKIP, IN("\x01\x02\x03"), 4, false, 0, 0, 0, 0},
    /* a huge n must not wrap a pointer sum */
    {"skip_huge", OP_SKIP, IN("\x01\x02\x03"), (size_t)-1, false, 0, 0, 0, 0},

    /* u8 reads one byte */
    {"u8", OP_U8, IN("\xfe\x01"), 0, true, 0xfe, 1, 0, 0},
    /* u8 on an empty cursor fails */
    {"u8_empty", OP_U8, IN(""), 0, false, 0, 0, 0, 0},

    /* u16 is big-endian */
    {"u16", OP_U16, IN("\x12\x34\x56"), 0, true, 0x1234, 2, 0, 0},
    /* u16 with the top bit set is not sign-extended */
    {"u16_high", OP_U16, IN("\xff\xfe"), 0, true, 0xfffe, 2, 0, 0},
    /* u16 with one byte left fails */
    {"u16_short", OP_U16, IN("\x12"), 0, false, 0, 0, 0, 0},

    /* u24 is big-endian over three bytes */
    {"u24", OP_U24, IN("\x01\x02\x03\x04"), 0, true, 0x010203, 3, 0, 0},
    /* u24 all ones */
    {"u24_max", OP_U24, IN("\xff\xff\xff"), 0, true, 0xffffff, 3, 0, 0},
    /* u24 with two bytes left fails */
    {"u24_short", OP_U24, IN("\x01\x02"), 0, false, 0, 0, 0, 0},

    /* u32 is big-endian */
    {"u32", OP_U32, IN("\xde\xad\xbe\xef\x00"), 0, true, 0xdeadbeef, 4, 0, 0},
    /* u32 with three bytes left fails */
    {"u32_short", OP_U32, IN("\xde\xad\xbe"), 0, false, 0, 0, 0, 0},

    /* u32le is little-endian (BSD loopback family) */
    {"u32le", OP_U32LE, IN("\x02\x00\x00\x00"), 0, true, 2, 4, 0, 0},
    /* u32le byte order on distinct bytes */
    {"u32le_order", OP_U32LE, IN("\x01\x02\x03\x04"), 0, true, 0x04030201, 4, 0, 0},
    /* u32le with three bytes left fails */
    {"u32le_short", OP_U32LE, IN("\x01\x02\x03"), 0, false, 0, 0, 0, 0},

    /* bytes splits the next n bytes off as a child */
    {"bytes", OP_BYTES, IN("abcdef"), 4, true, 0, 4, 0, 4},
    /* bytes of zero gives an empty child and does not move */
    {"bytes_zero", OP_BYTES, IN("abc"), 0, true, 0, 0, 0, 0},
    /* bytes past the end fails */
    {"bytes_short", OP_BYTES, IN("abc"), 4, false, 0, 0, 0, 0},

    /* copy copies n bytes out */
    {"copy", OP_COPY, IN("abcdef"), 3, true, 0, 3, 0, 3},
    /* copy past the end fails and writes nothing */
    {"copy_short", OP_COPY, IN("abc"), 5, false, 0, 0, 0, 0},

    /* u8-prefixed vector: length byte then that many bytes */
    {"u8_prefixed", OP_U8P, IN("\x03xyzW"), 0, true, 0, 4, 1, 3},
    /* u8-prefixed empty vector */
    {"u8_prefixed_empty", OP_U8P, IN("\x00W"), 0, true, 0, 1, 1, 0},
    /* u8-prefixed vector whose length runs past the end: the length byte is
     * given back too */
    {"u8_prefixed_short", OP_U8P, IN("\x04xyz"), 0, false, 0, 0, 0, 0},
    /* u8-prefixed with not even the length byte */
    {"u8_prefixed_nolen", OP_U8P, IN(""), 0, false, 0, 0, 0, 0},

    /* u16-prefixed vector */
    {"u16_prefixed", OP_U16P, IN("\x00\x02hiX"), 0, true, 0, 4, 2, 2},
    /* u16-prefixed whose length is 256 (the high byte counts) with 2 bytes */
    {"u16_prefixed_high_len", OP_U16P, IN("\x01\x00hi"), 0, false, 0, 0, 0, 0},
    /* u16-prefixed with half a length field */
    {"u16_prefixed_half_len", OP_U16P, IN("\x00"), 0, false, 0, 0, 0, 0},

    /* u24-prefixed vector */
    {"u24_prefixed", OP_U24P,
     IN("\x00\x00\x03"
        "abc"),
     0, true, 0, 6, 3, 3},
    /* u24-prefixed whose length (65539) is far past the end */
    {"u24_prefixed_short", OP_U24P,
     IN("\x01\x00\x03"
        "abc"),
     0, false, 0, 0, 0, 0},
    /* u24-prefixed with two bytes of length */
    {"u24_prefixed_half_len", OP_U24P, IN("\x00\x00"), 0, false, 0, 0, 0, 0},

    /* peek reads at an offset without consuming */
    {"peek_first", OP_PEEK, IN("\x10\x20\x30"), 0, true, 0x10, 0, 0, 0},
    /* peek at the last byte */
    {"peek_last", OP_PEEK, IN("\x10\x20\x30"), 2, true, 0x30, 0, 0, 0},
    /* peek at the length is one past the end */
    {"peek_past", OP_PEEK, IN("\x10\x20\x30"), 3, false, 0, 0, 0, 0},
    /* peek on an empty cursor */
    {"peek_empty", OP_PEEK, IN(""), 0, false, 0, 0, 0, 0},

    /* empty on an empty cursor */
    {"empty_true", OP_EMPTY, IN(""), 0, true, 0, 0, 0, 0},
    /* empty on one byte */
    {"empty_false", OP_EMPTY, IN("\x00"), 0, false, 0, 0, 0, 0},
};

#define SENTINEL 0xa5u

static bool run(const struct ccase *t)
{
	const uint8_t *in = (const uint8_t *)t->in;
	struct cursor c = cur_make(in, t->len);
	const struct cursor before = c;
	struct cursor child = {(const uint8_t *)"sentinel", 8};
	const struct cursor child_before = child;
	uint8_t v8 = SENTINEL, buf[16];
	uint16_t v16 = SENTINEL;
	uint32_t v32 = SENTINEL;
	uint32_t value = 0;
	bool ok = false, has_child = false, is_copy = false;
	memset(buf, SENTINEL, sizeof(buf));

	switch (t->op) {
	case OP_SKIP:
		ok = cur_skip(&c, t->arg);
		break;
	case OP_U8:
		ok = cur_get_u8(&c, &v8);
		value = v8;
		break;
	case OP_U16:
		ok = cur_get_u16(&c, &v16);
		value = v16;
		break;
	case OP_U24:
		ok = cur_get_u24(&c, &v32);
		value = v32;
		break;
	case OP_U32:
		ok = cur_get_u32(&c, &v32);
		value = v32;
		break;
	case OP_U32LE:
		ok = cur_get_u32le(&c, &v32);
		value = v32;
		break;
	case OP_BYTES:
		ok = cur_get_bytes(&c, t->arg, &child);
		has_child = true;
		break;
	case OP_COPY:
		CHECK(t->arg <= sizeof(buf));
		ok = cur_copy(&c, buf, t->arg);
		is_copy = true;
		break;
	case OP_U8P:
		ok = cur_get_u8_prefixed(&c, &child);
		has_child = true;
		break;
	case OP_U16P:
		ok = cur_get_u16_prefixed(&c, &child);
		has_child = true;
		break;
	case OP_U24P:
		ok = cur_get_u24_prefixed(&c, &child);
		has_child = true;
		break;
	case OP_PEEK:
		ok = cur_peek_u8(&c, t->arg, &v8);
		value = v8;
		break;
	case OP_EMPTY:
		ok = cur_empty(&c);
		break;
	}

	CHECK_EQ(ok, t->ok);
	if (!ok || t->op == OP_PEEK || t->op == OP_EMPTY) {
		/* nothing moved */
		CHECK(c.p == before.p);
		CHECK_EQ(c.len, before.len);
	}
	if (!ok) {
		/* nothing written either */
		CHECK_EQ(v8, SENTINEL);
		CHECK_EQ(v16, SENTINEL);
		CHECK_EQ(v32, SENTINEL);
		CHECK(child.p == child_before.p && child.len == child_before.len);
		for (size_t i = 0; i < sizeof(buf); i++)
			CHECK_EQ(buf[i], SENTINEL);
		return true;
	}
	if (t->op == OP_EMPTY)
		return true;
	if (t->op != OP_SKIP && t->op != OP_BYTES && t->op != OP_COPY && !has_child)
		CHECK_EQ(value, t->value);
	CHECK(c.p == in + t->consumed);
	CHECK_EQ(c.len, t->len - t->consumed);
	if (has_child) {
		/* a child is a view into the same bytes, not a copy */
		CHECK(child.p == in + t->child_off);
		CHECK_EQ(child.len, t->child_len);
	}
	if (is_copy) {
		CHECK_MEM(buf, t->arg, in + t->child_off, t->child_len);
		/* and not one byte more */
		if (t->arg < sizeof(buf))
			CHECK_EQ(buf[t->arg], SENTINEL);
	}
	return true;
}

/* ---- cases that are more than one call ---------------------------------- */

/* cur_make of a NULL pointer is an empty cursor whatever the length says. */
static bool make_null(void)
{
	struct cursor c = cur_make(NULL, 5);
	uint8_t v;
	CHECK_EQ(c.len, 0);
	CHECK(cur_empty(&c));
	CHECK(!cur_get_u8(&c, &v));
	CHECK(!cur_peek_u8(&c, 0, &v));
	CHECK(cur_skip(&c, 0));
	return true;
}

/* A TLS-like extension list walked with child cursors: each child ends
 * empty, and the parent is empty afterwards. */
static bool walk_vectors(void)
{
	static const uint8_t in[] = {
	    0x00, 0x0b,             /* extensions<> */
	    0x00, 0x10, 0x00, 0x03, /* type 16, 3 bytes */
	    0x02, 'h',  '2',        /*   <h2> */
	    0x00, 0x2b, 0x00, 0x00, /* type 43, empty */
	};
	struct cursor c = cur_make(in, sizeof(in)), exts, ext, proto;
	uint16_t type;
	CHECK(cur_get_u16_prefixed(&c, &exts));
	CHECK(cur_empty(&c));
	CHECK(cur_get_u16(&exts, &type));
	CHECK_EQ(type, 16);
	CHECK(cur_get_u16_prefixed(&exts, &ext));
	CHECK(cur_get_u8_prefixed(&ext, &proto));
	CHECK_MEM(proto.p, proto.len, "h2", 2);
	CHECK(cur_empty(&ext));
	CHECK(cur_get_u16(&exts, &type));
	CHECK_EQ(type, 43);
	CHECK(cur_get_u16_prefixed(&exts, &ext));
	CHECK_EQ(ext.len, 0);
	CHECK(cur_empty(&exts));
	return true;
}

/* Reading a child never reads past the child even if the parent has more:
 * the child is bounded by its own length. */
static bool child_bounded(void)
{
	static const uint8_t in[] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd};
	struct cursor c = cur_make(in, sizeof(in)), child;
	uint16_t v16;
	uint32_t v24;
	CHECK(cur_get_u8_prefixed(&c, &child));
	CHECK(!cur_get_u24(&child, &v24));
	CHECK(cur_get_u16(&child, &v16));
	CHECK_EQ(v16, 0xaabb);
	CHECK(cur_empty(&child));
	CHECK_EQ(c.len, 2);
	return true;
}

/* A failed getter in the middle of a sequence leaves the cursor where the
 * last good one put it, so the caller can report the offset. */
static bool fail_midway(void)
{
	static const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05};
	struct cursor c = cur_make(in, sizeof(in));
	uint32_t v;
	uint16_t w;
	CHECK(cur_get_u24(&c, &v));
	CHECK_EQ(v, 0x010203);
	CHECK(!cur_get_u24(&c, &v));
	CHECK_EQ(v, 0x010203);
	CHECK(c.p == in + 3);
	CHECK(cur_get_u16(&c, &w));
	CHECK_EQ(w, 0x0405);
	CHECK(cur_empty(&c));
	return true;
}

static const struct {
	const char *name;
	bool (*fn)(void);
} seqs[] = {
    {"make_null", make_null},
    {"walk_vectors", walk_vectors},
    {"child_bounded", child_bounded},
    {"fail_midway", fail_midway},
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(cases[i].name, run(&cases[i]));
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		check_case(seqs[i].name, seqs[i].fn());
	return check_summary();
}
