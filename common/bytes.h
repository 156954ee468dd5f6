/* bytes.h: a fast hash of bytes (not a fingerprint: SHA-256 is), and the
 * certificate bytes the dissector and the judge share.
 *
 * A der_blob is one certificate's DER, counted: a busy server sends the
 * same chain on every connection, and every handshake holding a copy would
 * cost a few KiB a connection for nothing.  der_blob_new() makes one with
 * one reference; der_blob_unref() frees it with the last.  One thread only.
 */
#ifndef CERTSCOPE_BYTES_H
#define CERTSCOPE_BYTES_H

#include <stddef.h>
#include <stdint.h>

uint64_t der_hash(const uint8_t *p, size_t len);

struct der_blob {
	unsigned refs;
	uint64_t hash; /* der_hash() of der */
	size_t len;
	uint8_t der[];
};

struct der_blob *der_blob_new(const uint8_t *der, size_t len);
struct der_blob *der_blob_ref(struct der_blob *b);
void der_blob_unref(struct der_blob *b);

#endif
