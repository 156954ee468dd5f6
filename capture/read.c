/* read.c: a reader thread that copies packets out of libpcap into batches,
 * decoded on the caller's thread as they fill (read.h).
 *
 * Reading a file, libpcap spends a system call and a copy on every few
 * packets: as much time as certscope spends on them.  Live, a packet left
 * in the kernel's ring while a handshake is judged takes room a burst may
 * need.  So a reader thread runs libpcap and copies each packet into one of
 * a few fixed batches, and the caller's thread decodes and reassembles
 * them in order, as they are handed over: the two costs overlap instead of
 * adding up.  Memory is the batches only; the output is the same, packet
 * for packet. */
#include "read.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_BYTES (1u << 19) /* twice the largest snaplen */
#define BATCHES     4

struct batch_rec { /* then caplen bytes, then padding to 8 */
	struct timeval ts;
	uint32_t caplen, len;
};

struct reader {
	pthread_mutex_t mu;
	pthread_cond_t cv; /* on CLOCK_MONOTONIC */
	uint8_t *data[BATCHES];
	size_t used[BATCHES];
	size_t head, count; /* filled batches: head .. head + count - 1 */
	size_t fill;        /* the batch the reader writes, never one counted */
	bool done;          /* the reader has published its last batch */
	int n;              /* what body returned */
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	int (*body)(pcap_t *p, struct reader *rd, void *arg);
	void *arg;
};

/* Hands the reader's batch over and waits for a free one. */
static void reader_publish(struct reader *rd, bool last)
{
	pthread_mutex_lock(&rd->mu);
	if (rd->used[rd->fill])
		rd->count++;
	if (last)
		rd->done = true;
	pthread_cond_broadcast(&rd->cv);
	if (!last) {
		while (rd->count == BATCHES)
			pthread_cond_wait(&rd->cv, &rd->mu);
		/* the last batch published may fill the ring: only a next batch
		 * to write may be taken, and it is free now */
		rd->fill = (rd->head + rd->count) % BATCHES;
		rd->used[rd->fill] = 0;
	}
	pthread_mutex_unlock(&rd->mu);
}

void reader_hand_over(struct reader *rd)
{
	if (rd->used[rd->fill])
		reader_publish(rd, false);
}

void reader_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct reader *rd = (struct reader *)user;
	/* a packet no batch could hold keeps what fits: it reads as cut by
	 * the snaplen, and is counted so */
	size_t cap = h->caplen;
	if (cap > BATCH_BYTES - sizeof(struct batch_rec))
		cap = BATCH_BYTES - sizeof(struct batch_rec);
	size_t need = (sizeof(struct batch_rec) + cap + 7) & ~(size_t)7;
	if (rd->used[rd->fill] + need > BATCH_BYTES)
		reader_publish(rd, false);
	uint8_t *at = rd->data[rd->fill] + rd->used[rd->fill];
	struct batch_rec rec = {h->ts, (uint32_t)cap, h->len};
	memcpy(at, &rec, sizeof(rec));
	memcpy(at + sizeof(rec), bytes, cap);
	rd->used[rd->fill] += need;
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	rd->n = rd->body(rd->p, rd, rd->arg);
	if (rd->n == PCAP_ERROR)
		snprintf(rd->err, sizeof(rd->err), "%s", pcap_geterr(rd->p));
	reader_publish(rd, true);
	return NULL;
}

/* Waits for a batch: at most until *until when given.  With rd->mu held;
 * true when there is one. */
static bool reader_wait(struct reader *rd, const struct timespec *until)
{
	while (rd->count == 0 && !rd->done)
		if (!until)
			pthread_cond_wait(&rd->cv, &rd->mu);
		else if (pthread_cond_timedwait(&rd->cv, &rd->mu, until) != 0)
			break;
	return rd->count > 0;
}

static void decode_batch(struct loop_ctx *lc, const uint8_t *d, size_t used)
{
	for (size_t off = 0; off < used;) {
		struct batch_rec rec;
		memcpy(&rec, d + off, sizeof(rec));
		struct pcap_pkthdr h = {rec.ts, rec.caplen, rec.len};
		loop_packet((u_char *)lc, &h, d + off + sizeof(rec));
		off += (sizeof(rec) + rec.caplen + 7) & ~(size_t)7;
	}
}

/* The caller's side: decodes the batches as they are handed over, and
 * ticks. */
static void decode_all(struct reader *rd, struct loop_ctx *lc,
                       void (*tick)(struct loop_ctx *lc, void *arg), void *arg)
{
	struct timespec last, now, until;
	clock_gettime(CLOCK_MONOTONIC, &last);
	bool owed = false; /* packets were decoded since the last tick */
	for (;;) {
		pthread_mutex_lock(&rd->mu);
		if (tick) {
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_nsec += LIVE_TICK_MS / 4 * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
		}
		bool have = reader_wait(rd, tick ? &until : NULL);
		if (!have && rd->done) {
			pthread_mutex_unlock(&rd->mu);
			break;
		}
		size_t b = rd->head, used = rd->used[b];
		pthread_mutex_unlock(&rd->mu);
		bool caught_up = !have;
		if (have) {
			decode_batch(lc, rd->data[b], used);
			owed = true;
			pthread_mutex_lock(&rd->mu);
			rd->head = (rd->head + 1) % BATCHES;
			rd->count--;
			caught_up = rd->count == 0;
			pthread_cond_broadcast(&rd->cv);
			pthread_mutex_unlock(&rd->mu);
		}
		if (!tick)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((owed && caught_up) || ms_between(&last, &now) >= LIVE_TICK_MS) {
			tick(lc, arg);
			last = now;
			owed = false;
		}
	}
}

int read_threaded(pcap_t *p, struct loop_ctx *lc,
                  int (*body)(pcap_t *p, struct reader *rd, void *arg),
                  void (*tick)(struct loop_ctx *lc, void *arg), void *arg, char *perr,
                  size_t perrlen)
{
	struct reader *rd = calloc(1, sizeof(*rd));
	int n = NO_READER;
	if (!rd)
		return n;
	rd->p = p;
	rd->body = body;
	rd->arg = arg;
	for (int i = 0; i < BATCHES; i++)
		if (!(rd->data[i] = malloc(BATCH_BYTES)))
			goto out;
	pthread_t t;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&rd->mu, NULL);
	pthread_cond_init(&rd->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&t, NULL, reader_main, rd) != 0)
		goto out_sync;
	decode_all(rd, lc, tick, arg);
	pthread_join(t, NULL);
	n = rd->n;
	snprintf(perr, perrlen, "%s", rd->err);
out_sync:
	pthread_cond_destroy(&rd->cv);
	pthread_mutex_destroy(&rd->mu);
out:
	for (int i = 0; i < BATCHES; i++)
		free(rd->data[i]);
	free(rd);
	return n;
}
