/*
 * zmqperf: the C baseline of tools/bench, what libzmq itself does.
 *
 *   zmqperf thr ENDPOINT SIZE COUNT   PUSH->PULL throughput
 *   zmqperf lat ENDPOINT SIZE COUNT   REQ-REP round-trip latency
 *
 * Both ends live in one process, one thread each, on one context, so that
 * inproc works and every transport is measured the same way. ENDPOINT may be
 * tcp://127.0.0.1:* : the receiving end binds it and the other end connects to
 * the port libzmq chose (ZMQ_LAST_ENDPOINT). The first COUNT/10 messages (at
 * least 100) are a warm-up and are not timed. The result is one line of
 * key=value pairs, the same line tools/bench/perf prints; cpu_ns is the CPU
 * time of the whole process (all threads, libzmq's included) per message or
 * round trip, a figure that other load on the machine disturbs less than the
 * rates.
 *
 * Build: cc -O2 -o zmqperf zmqperf.c $(pkg-config --cflags --libs libzmq) -lpthread
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <zmq.h>

struct peer {
	void *ctx;
	char endpoint[256];
	size_t size;
	long total; /* warm-up plus timed messages */
	void *sock; /* the pusher's or the replier's socket */
};

static void die(const char *what)
{
	fprintf(stderr, "zmqperf: %s: %s\n", what, zmq_strerror(zmq_errno()));
	exit(1);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* cpu returns the CPU time used so far by all threads of the process. */
static double cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static long warmup(long count)
{
	long w = count / 10;
	return w < 100 ? 100 : w;
}

static void *open_socket(void *ctx, int type)
{
	void *s = zmq_socket(ctx, type);
	if (s == NULL)
		die("zmq_socket");
	return s;
}

/* bind binds s to endpoint and stores the endpoint to connect to in p. */
static void bind_to(void *s, const char *endpoint, struct peer *p)
{
	size_t n = sizeof p->endpoint;
	if (zmq_bind(s, endpoint) != 0)
		die("zmq_bind");
	if (zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, p->endpoint, &n) != 0)
		die("zmq_getsockopt");
}

/*
 * pusher sends the messages and returns its socket open: closing it while
 * messages are still in flight loses some of them over ipc (libzmq 4.3.4), so
 * the receiving thread closes it once it has them all.
 */
static void *pusher(void *arg)
{
	struct peer *p = arg;
	char *buf = calloc(p->size ? p->size : 1, 1);
	p->sock = open_socket(p->ctx, ZMQ_PUSH);
	if (zmq_connect(p->sock, p->endpoint) != 0)
		die("zmq_connect");
	for (long i = 0; i < p->total; i++)
		if (zmq_send(p->sock, buf, p->size, 0) != (int)p->size)
			die("zmq_send");
	free(buf);
	return NULL;
}

static void *replier(void *arg)
{
	struct peer *p = arg;
	char *buf = malloc(p->size + 1);
	for (long i = 0; i < p->total; i++) {
		if (zmq_recv(p->sock, buf, p->size + 1, 0) != (int)p->size)
			die("zmq_recv");
		if (zmq_send(p->sock, buf, p->size, 0) != (int)p->size)
			die("zmq_send");
	}
	zmq_close(p->sock);
	free(buf);
	return NULL;
}

static void thr(struct peer *p, const char *endpoint, long count)
{
	long w = warmup(count);
	char *buf = malloc(p->size + 1);
	void *s = open_socket(p->ctx, ZMQ_PULL);
	pthread_t t;

	bind_to(s, endpoint, p);
	p->total = w + count;
	if (pthread_create(&t, NULL, pusher, p) != 0)
		die("pthread_create");
	double t0 = 0, c0 = 0;
	for (long i = 0; i < p->total; i++) {
		if (i == w) {
			t0 = now();
			c0 = cpu();
		}
		if (zmq_recv(s, buf, p->size + 1, 0) != (int)p->size)
			die("zmq_recv");
	}
	double secs = now() - t0, cpus = cpu() - c0;
	pthread_join(t, NULL);
	zmq_close(p->sock);
	zmq_close(s);
	free(buf);
	printf("thr endpoint=%s size=%zu count=%ld warmup=%ld seconds=%.6f msg_per_sec=%.0f mbit_per_sec=%.3f cpu_ns=%.0f\n",
	       endpoint, p->size, count, w, secs, count / secs,
	       (double)count * p->size * 8 / secs / 1e6, cpus / count * 1e9);
}

static void lat(struct peer *p, const char *endpoint, long count)
{
	long w = warmup(count);
	char *buf = calloc(p->size + 1, 1);
	pthread_t t;

	p->sock = open_socket(p->ctx, ZMQ_REP);
	bind_to(p->sock, endpoint, p);
	p->total = w + count;
	if (pthread_create(&t, NULL, replier, p) != 0)
		die("pthread_create");
	void *s = open_socket(p->ctx, ZMQ_REQ);
	if (zmq_connect(s, p->endpoint) != 0)
		die("zmq_connect");
	double t0 = 0, c0 = 0;
	for (long i = 0; i < w + count; i++) {
		if (i == w) {
			t0 = now();
			c0 = cpu();
		}
		if (zmq_send(s, buf, p->size, 0) != (int)p->size)
			die("zmq_send");
		if (zmq_recv(s, buf, p->size + 1, 0) != (int)p->size)
			die("zmq_recv");
	}
	double secs = now() - t0, cpus = cpu() - c0;
	pthread_join(t, NULL);
	zmq_close(s);
	free(buf);
	printf("lat endpoint=%s size=%zu count=%ld warmup=%ld seconds=%.6f roundtrip_us=%.3f cpu_ns=%.0f\n",
	       endpoint, p->size, count, w, secs, secs / count * 1e6, cpus / count * 1e9);
}

int main(int argc, char **argv)
{
	struct peer p;

	if (argc != 5) {
		fprintf(stderr, "usage: zmqperf thr|lat ENDPOINT SIZE COUNT\n");
		return 2;
	}
	long size = atol(argv[3]), count = atol(argv[4]);
	if (size < 0 || size > 65536 || count < 1) {
		fprintf(stderr, "zmqperf: bad SIZE or COUNT\n");
		return 2;
	}
	memset(&p, 0, sizeof p);
	p.size = size;
	p.ctx = zmq_ctx_new();
	if (p.ctx == NULL)
		die("zmq_ctx_new");
	if (strcmp(argv[1], "thr") == 0) {
		thr(&p, argv[2], count);
	} else if (strcmp(argv[1], "lat") == 0) {
		lat(&p, argv[2], count);
	} else {
		fprintf(stderr, "usage: zmqperf thr|lat ENDPOINT SIZE COUNT\n");
		return 2;
	}
	zmq_ctx_term(p.ctx);
	return 0;
}
