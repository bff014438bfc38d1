// zmqtrace is loaded into a scene's process with LD_PRELOAD when the
// scene says trace or delay (see the chapters package). It stands between
// the program and libzmq: each call that makes, connects or ends a socket
// or a context is passed on to libzmq and reported as one line on the file
// descriptor named by WORKSHOP_ZMQ_TRACE_FD, and the sends, binds and
// connects named in WORKSHOP_ZMQ_DELAY are held for a while, before libzmq
// does them or after.
//
// Both kinds of program see it: a compiled one calls libzmq through zmq4's
// cgo wrappers, an interpreted one through the runner's own zmq4, and both
// resolve zmq_socket and the rest through the dynamic linker, which finds
// this library's first.
//
// The lines (the runner parses them; keep them in step with
// runner/scene/trace.go):
//
//	context N                   zmq_ctx_new made context N (1 is zmq4's default)
//	socket TYPE in context N    zmq_socket made a socket
//	bind TYPE ENDPOINT          zmq_bind; "... failed: REASON" when it fails
//	connect TYPE ENDPOINT       zmq_connect; likewise
//	unbind TYPE ENDPOINT        zmq_unbind
//	disconnect TYPE ENDPOINT    zmq_disconnect
//	set TYPE OPTION VALUE       zmq_setsockopt of LINGER, SNDHWM, RCVHWM,
//	                            SNDTIMEO or RCVTIMEO; "... failed: REASON"
//	close TYPE                  zmq_close (written before libzmq closes it)
//	close TYPE failed: REASON   ... and it did not
//	term context N              zmq_ctx_term was called (once per context)
//	context N terminated        zmq_ctx_term returned 0
//	send K held D               the K-th zmq_send waits D before it sends
//	send K sent, then held D    the K-th zmq_send returned; its caller waits D
//	bind K held D               likewise for the K-th zmq_bind ...
//	bind K bound, then held D
//	connect K held D            ... and the K-th zmq_connect
//	connect K connected, then held D
//
// Every line is written with one write(2) of less than PIPE_BUF bytes, so
// the lines of concurrent threads never mix.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define MAX_TRACKED 4096
#define MAX_DELAYS 16
#define MAX_ENDPOINT 200

struct tracked {
	void *p;   // the socket or context
	int type;  // a socket's type
	int id;    // a context's number
	int terming;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct tracked sockets[MAX_TRACKED], contexts[MAX_TRACKED];
static int ncontexts;
// The calls a scene may hold, and how many of each were made.
enum { SEND, BIND, CONNECT, NCALLS };
static const char *call_names[NCALLS] = {"send", "bind", "connect"};
static const char *call_done[NCALLS] = {"sent", "bound", "connected"};
static long ncalls[NCALLS];

struct delay {
	int call;    // SEND, BIND or CONNECT
	long nth;    // which call of its kind, from 1
	int after;   // hold after the call instead of before
	long micros;
};

static struct delay delays[MAX_DELAYS];
static int ndelays;
static int trace_fd = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

// WORKSHOP_ZMQ_DELAY is a list of CALL:N:before|after:MICROSECONDS,
// comma separated, where CALL is send, bind or connect.
static void setup(void) {
	const char *fd = getenv("WORKSHOP_ZMQ_TRACE_FD");
	if (fd != NULL)
		trace_fd = atoi(fd);
	const char *d = getenv("WORKSHOP_ZMQ_DELAY");
	while (d != NULL && *d != '\0' && ndelays < MAX_DELAYS) {
		char call[8] = "", when[8] = "";
		long nth, micros;
		int n = 0;
		if (sscanf(d, "%7[a-z]:%ld:%7[a-z]:%ld%n", call, &nth, when, &micros, &n) != 4)
			break;
		int c = 0;
		while (c < NCALLS && strcmp(call, call_names[c]) != 0)
			c++;
		if (c == NCALLS)
			break;
		delays[ndelays++] = (struct delay){c, nth, strcmp(when, "after") == 0, micros};
		d += n;
		if (*d == ',')
			d++;
	}
}

static void *real(const char *name) {
	void *f = dlsym(RTLD_NEXT, name);
	if (f == NULL) {
		fprintf(stderr, "zmqtrace: libzmq has no %s\n", name);
		abort();
	}
	return f;
}

// emit writes one line; errno is kept, since the caller's caller reads it.
static void emit(const char *format, ...) {
	pthread_once(&once, setup);
	if (trace_fd < 0)
		return;
	int saved = errno;
	char line[512];
	va_list ap;
	va_start(ap, format);
	int n = vsnprintf(line, sizeof line - 1, format, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	ssize_t w = write(trace_fd, line, n);
	(void)w;
	errno = saved;
}

static const char *type_name(int type) {
	static const char *names[] = {"PAIR", "PUB", "SUB", "REQ", "REP", "DEALER",
	                              "ROUTER", "PULL", "PUSH", "XPUB", "XSUB", "STREAM"};
	if (type >= 0 && type < (int)(sizeof names / sizeof names[0]))
		return names[type];
	return "socket";
}

// endpoint copies what a program passed as an endpoint, cut short and with
// anything unprintable replaced, so that a line stays one short line.
static void endpoint(char *dst, const char *src) {
	int i = 0;
	for (; src != NULL && src[i] != '\0' && i < MAX_ENDPOINT; i++)
		dst[i] = (src[i] >= ' ' && src[i] < 127) ? src[i] : '?';
	dst[i] = '\0';
	if (src != NULL && src[i] != '\0')
		strcpy(dst + i, "...");
}

static struct tracked *find(struct tracked *t, void *p) {
	for (int i = 0; i < MAX_TRACKED; i++)
		if (t[i].p == p)
			return &t[i];
	return NULL;
}

static int socket_type(void *s) {
	pthread_mutex_lock(&mu);
	struct tracked *t = find(sockets, s);
	int type = t != NULL ? t->type : -1;
	pthread_mutex_unlock(&mu);
	return type;
}

static int context_id(void *c) {
	pthread_mutex_lock(&mu);
	struct tracked *t = find(contexts, c);
	int id = t != NULL ? t->id : 0;
	pthread_mutex_unlock(&mu);
	return id;
}

void *zmq_ctx_new(void) {
	static void *(*next)(void);
	if (next == NULL)
		next = real("zmq_ctx_new");
	void *c = next();
	if (c == NULL)
		return c;
	pthread_mutex_lock(&mu);
	int id = ++ncontexts;
	struct tracked *t = find(contexts, NULL);
	if (t != NULL)
		*t = (struct tracked){.p = c, .id = id};
	pthread_mutex_unlock(&mu);
	emit("context %d", id);
	return c;
}

int zmq_ctx_term(void *c) {
	static int (*next)(void *);
	if (next == NULL)
		next = real("zmq_ctx_term");
	pthread_mutex_lock(&mu);
	struct tracked *t = find(contexts, c);
	int id = t != NULL ? t->id : 0, first = t != NULL && !t->terming;
	if (t != NULL)
		t->terming = 1;
	pthread_mutex_unlock(&mu);
	if (first)
		emit("term context %d", id);
	int rc = next(c);
	if (rc == 0) {
		pthread_mutex_lock(&mu);
		if ((t = find(contexts, c)) != NULL)
			t->p = NULL;
		pthread_mutex_unlock(&mu);
		emit("context %d terminated", id);
	}
	return rc;
}

void *zmq_socket(void *c, int type) {
	static void *(*next)(void *, int);
	if (next == NULL)
		next = real("zmq_socket");
	void *s = next(c, type);
	int id = context_id(c);
	if (s == NULL) {
		emit("socket %s in context %d failed: %s", type_name(type), id, zmq_strerror(errno));
		return s;
	}
	pthread_mutex_lock(&mu);
	struct tracked *t = find(sockets, NULL);
	if (t != NULL)
		*t = (struct tracked){.p = s, .type = type};
	pthread_mutex_unlock(&mu);
	emit("socket %s in context %d", type_name(type), id);
	return s;
}

int zmq_close(void *s) {
	static int (*next)(void *);
	if (next == NULL)
		next = real("zmq_close");
	int type = socket_type(s);
	// The line goes first: once the socket is closed, a Term waiting in
	// another thread may return and the program exit before this thread
	// could write it.
	emit("close %s", type_name(type));
	int rc = next(s);
	if (rc == 0) {
		pthread_mutex_lock(&mu);
		struct tracked *t = find(sockets, s);
		if (t != NULL)
			t->p = NULL;
		pthread_mutex_unlock(&mu);
	} else {
		emit("close %s failed: %s", type_name(type), zmq_strerror(errno));
	}
	return rc;
}

static void hold_calls(int call, long k, int after);

// endpoint_call passes one of the four endpoint calls on and reports it;
// call is BIND or CONNECT for the calls a scene may hold, or -1.
static int endpoint_call(const char *verb, int call, int (*next)(void *, const char *), void *s, const char *ep) {
	long k = 0;
	if (call >= 0) {
		pthread_once(&once, setup);
		k = __atomic_add_fetch(&ncalls[call], 1, __ATOMIC_SEQ_CST);
		hold_calls(call, k, 0);
	}
	int rc = next(s, ep);
	int saved = errno;
	char e[MAX_ENDPOINT + 4];
	endpoint(e, ep);
	if (rc == 0)
		emit("%s %s %s", verb, type_name(socket_type(s)), e);
	else
		emit("%s %s %s failed: %s", verb, type_name(socket_type(s)), e, zmq_strerror(saved));
	if (call >= 0)
		hold_calls(call, k, 1);
	errno = saved;
	return rc;
}

int zmq_bind(void *s, const char *ep) {
	static int (*next)(void *, const char *);
	if (next == NULL)
		next = real("zmq_bind");
	return endpoint_call("bind", BIND, next, s, ep);
}

int zmq_connect(void *s, const char *ep) {
	static int (*next)(void *, const char *);
	if (next == NULL)
		next = real("zmq_connect");
	return endpoint_call("connect", CONNECT, next, s, ep);
}

int zmq_unbind(void *s, const char *ep) {
	static int (*next)(void *, const char *);
	if (next == NULL)
		next = real("zmq_unbind");
	return endpoint_call("unbind", -1, next, s, ep);
}

int zmq_disconnect(void *s, const char *ep) {
	static int (*next)(void *, const char *);
	if (next == NULL)
		next = real("zmq_disconnect");
	return endpoint_call("disconnect", -1, next, s, ep);
}

// The options whose settings are traced: those the chapters teach.
static const struct {
	int option;
	const char *name;
} traced_options[] = {
    {ZMQ_LINGER, "LINGER"},     {ZMQ_SNDHWM, "SNDHWM"},     {ZMQ_RCVHWM, "RCVHWM"},
    {ZMQ_SNDTIMEO, "SNDTIMEO"}, {ZMQ_RCVTIMEO, "RCVTIMEO"},
};

int zmq_setsockopt(void *s, int option, const void *value, size_t len) {
	static int (*next)(void *, int, const void *, size_t);
	if (next == NULL)
		next = real("zmq_setsockopt");
	int rc = next(s, option, value, len);
	int saved = errno;
	for (size_t i = 0; i < sizeof traced_options / sizeof traced_options[0]; i++) {
		if (traced_options[i].option != option || len != sizeof(int) || value == NULL)
			continue;
		int v;
		memcpy(&v, value, sizeof v);
		if (rc == 0)
			emit("set %s %s %d", type_name(socket_type(s)), traced_options[i].name, v);
		else
			emit("set %s %s %d failed: %s", type_name(socket_type(s)), traced_options[i].name, v, zmq_strerror(saved));
	}
	errno = saved;
	return rc;
}

static void hold(long micros) {
	struct timespec ts = {micros / 1000000, (micros % 1000000) * 1000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

static void format_micros(char *dst, size_t n, long micros) {
	if (micros % 1000000 == 0)
		snprintf(dst, n, "%lds", micros / 1000000);
	else if (micros % 1000 == 0)
		snprintf(dst, n, "%ldms", micros / 1000);
	else
		snprintf(dst, n, "%ldµs", micros);
}

// hold_calls holds the calling thread as the delays for the k-th call of
// its kind say, before the call or after it.
static void hold_calls(int call, long k, int after) {
	char d[32];
	for (int i = 0; i < ndelays; i++) {
		if (delays[i].call != call || delays[i].nth != k || delays[i].after != after)
			continue;
		format_micros(d, sizeof d, delays[i].micros);
		if (after)
			emit("%s %ld %s, then held %s", call_names[call], k, call_done[call], d);
		else
			emit("%s %ld held %s", call_names[call], k, d);
		hold(delays[i].micros);
	}
}

int zmq_send(void *s, const void *buf, size_t len, int flags) {
	static int (*next)(void *, const void *, size_t, int);
	if (next == NULL)
		next = real("zmq_send");
	pthread_once(&once, setup);
	long k = __atomic_add_fetch(&ncalls[SEND], 1, __ATOMIC_SEQ_CST);
	hold_calls(SEND, k, 0);
	int rc = next(s, buf, len, flags);
	int saved = errno;
	hold_calls(SEND, k, 1);
	errno = saved;
	return rc;
}
