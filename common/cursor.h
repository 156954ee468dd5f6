/* cursor.h: the one way certscope reads bytes that came off the wire.
 *
 * A cursor is a borrowed view (pointer, remaining length).  Every getter
 * checks the remaining length before it reads and returns false, leaving the
 * cursor unchanged, when the bytes are not there.  Nothing else in certscope
 * does arithmetic on packet pointers.
 */
#ifndef CERTSCOPE_CURSOR_H
#define CERTSCOPE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t *p;
	size_t len;
};

static inline struct cursor cur_make(const uint8_t *p, size_t len)
{
	struct cursor c = {p, p ? len : 0};
	return c;
}

static inline bool cur_empty(const struct cursor *c)
{
	return c->len == 0;
}

static inline bool cur_skip(struct cursor *c, size_t n)
{
	if (c->len < n)
		return false;
	c->p += n;
	c->len -= n;
	return true;
}

static inline bool cur_get_u8(struct cursor *c, uint8_t *v)
{
	if (c->len < 1)
		return false;
	*v = c->p[0];
	return cur_skip(c, 1);
}

static inline bool cur_get_u16(struct cursor *c, uint16_t *v)
{
	if (c->len < 2)
		return false;
	*v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	return cur_skip(c, 2);
}

static inline bool cur_get_u24(struct cursor *c, uint32_t *v)
{
	if (c->len < 3)
		return false;
	*v = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
	return cur_skip(c, 3);
}

static inline bool cur_get_u32(struct cursor *c, uint32_t *v)
{
	if (c->len < 4)
		return false;
	*v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 | (uint32_t)c->p[2] << 8 |
	     c->p[3];
	return cur_skip(c, 4);
}

/* Little-endian 32 bits, for the BSD loopback header. */
static inline bool cur_get_u32le(struct cursor *c, uint32_t *v)
{
	if (c->len < 4)
		return false;
	*v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 | (uint32_t)c->p[1] << 8 |
	     c->p[0];
	return cur_skip(c, 4);
}

/* Split the next n bytes off as a child cursor. */
static inline bool cur_get_bytes(struct cursor *c, size_t n, struct cursor *out)
{
	if (c->len < n)
		return false;
	*out = cur_make(c->p, n);
	return cur_skip(c, n);
}

static inline bool cur_copy(struct cursor *c, void *dst, size_t n)
{
	if (c->len < n)
		return false;
	memcpy(dst, c->p, n);
	return cur_skip(c, n);
}

static inline bool cur_get_u8_prefixed(struct cursor *c, struct cursor *out)
{
	struct cursor save = *c;
	uint8_t n;
	if (!cur_get_u8(c, &n) || !cur_get_bytes(c, n, out)) {
		*c = save;
		return false;
	}
	return true;
}

static inline bool cur_get_u16_prefixed(struct cursor *c, struct cursor *out)
{
	struct cursor save = *c;
	uint16_t n;
	if (!cur_get_u16(c, &n) || !cur_get_bytes(c, n, out)) {
		*c = save;
		return false;
	}
	return true;
}

static inline bool cur_get_u24_prefixed(struct cursor *c, struct cursor *out)
{
	struct cursor save = *c;
	uint32_t n;
	if (!cur_get_u24(c, &n) || !cur_get_bytes(c, n, out)) {
		*c = save;
		return false;
	}
	return true;
}

/* Peek without consuming. */
static inline bool cur_peek_u8(const struct cursor *c, size_t off, uint8_t *v)
{
	if (c->len <= off)
		return false;
	*v = c->p[off];
	return true;
}

/* The offset of the first n bytes equal to needle in c, or c->len when
 * there is none (memmem's answer lies inside c's bytes: the one place an
 * offset comes from a pointer). */
static inline size_t cur_find(const struct cursor *c, const void *needle, size_t n)
{
	const uint8_t *at =
	    c->len && n ? (const uint8_t *)memmem(c->p, c->len, needle, n) : NULL;
	return at ? (size_t)(at - c->p) : c->len;
}

/* Big-endian 16 and 24 bits at offset off, without consuming. */
static inline bool cur_peek_u16(const struct cursor *c, size_t off, uint16_t *v)
{
	if (c->len < 2 || c->len - 2 < off)
		return false;
	*v = (uint16_t)(c->p[off] << 8 | c->p[off + 1]);
	return true;
}

static inline bool cur_peek_u24(const struct cursor *c, size_t off, uint32_t *v)
{
	if (c->len < 3 || c->len - 3 < off)
		return false;
	*v = (uint32_t)c->p[off] << 16 | (uint32_t)c->p[off + 1] << 8 | c->p[off + 2];
	return true;
}

#endif
