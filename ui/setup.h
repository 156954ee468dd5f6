/* setup.h: inputs loaded before the capture is read (setup.c). */
#ifndef CERTSCOPE_SETUP_H
#define CERTSCOPE_SETUP_H

#include "../common/config.h"
#include "../dissect/keylog.h"
#include "../judge/truststore.h"

/* Secrets: --keylog, and the Decryption Secrets Blocks of pcapng files.
 * NULL with *rc set (2) when the key log cannot be read. */
struct keylog *load_keylog(const struct config *cfg, int *rc);
/* --ca-pool into *out (NULL without); -1 when a path holds no
 * certificate. */
int load_pool(const struct config *cfg, struct trust_store **out);

#endif
