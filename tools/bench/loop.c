/* loop.c: the floor for certscope's offline throughput: a bare libpcap read
 * loop over a capture whose callback touches nothing but the length.
 * usage: loop [--buffer BYTES] FILE; prints "packets=N bytes=N".
 * With --buffer the file is opened here and given to libpcap with a stdio
 * buffer of that size (as certscope does), else libpcap opens it with
 * stdio's default buffer. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	uint64_t *t = (uint64_t *)user;
	(void)bytes;
	t[0]++;
	t[1] += h->len;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	uint64_t t[2] = {0, 0};
	size_t buffer = 0;
	if (argc == 4 && strcmp(argv[1], "--buffer") == 0) {
		buffer = strtoul(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fputs("usage: loop [--buffer BYTES] FILE\n", stderr);
		return 2;
	}
	pcap_t *p;
	char *iobuf = NULL;
	if (buffer) {
		FILE *f = fopen(argv[1], "rb");
		iobuf = malloc(buffer);
		if (!f || !iobuf) {
			perror(argv[1]);
			return 2;
		}
		setvbuf(f, iobuf, _IOFBF, buffer);
		p = pcap_fopen_offline(f, err);
	} else {
		p = pcap_open_offline(argv[1], err);
	}
	if (!p) {
		fprintf(stderr, "loop: %s\n", err);
		return 2;
	}
	if (pcap_loop(p, -1, on_packet, (u_char *)t) == PCAP_ERROR) {
		fprintf(stderr, "loop: %s\n", pcap_geterr(p));
		return 2;
	}
	pcap_close(p);
	free(iobuf);
	printf("packets=%llu bytes=%llu\n", (unsigned long long)t[0],
	       (unsigned long long)t[1]);
	return 0;
}
