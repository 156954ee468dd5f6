/* derpool.h: the certificates a dissector has seen lately, by their DER, so
 * a chain sent on every connection is held once while those connections
 * are open, not once a connection.  A direct-mapped table of fixed size: a
 * slot that is taken is overwritten, and a hostile capture of huge or
 * ever-new certificates only misses it.  One dissector, one thread.
 */
#ifndef CERTSCOPE_DERPOOL_H
#define CERTSCOPE_DERPOOL_H

#include "../common/bytes.h"

struct der_pool;

struct der_pool *der_pool_new(void);
void der_pool_free(struct der_pool *p);
/* A reference to a blob holding these bytes (der_blob_unref() drops it), or
 * NULL when out of memory.  p may be NULL: a new blob each time. */
struct der_blob *der_pool_get(struct der_pool *p, const uint8_t *der, size_t len);

#endif
