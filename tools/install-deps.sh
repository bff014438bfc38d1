#!/bin/sh
# Installs what the workshop needs and the machine lacks: the libzmq
# development package (always) and Chromium (with the argument "browser",
# for the site's browser test). It changes nothing when all is there.
# The workshop needs libzmq 4.3 or later (chapter 0 says why); an older one
# is an error, named with its version, not something to upgrade silently.
set -eu

# check_zmq_version fails, saying why, when pkg-config finds a libzmq older
# than 4.3.
check_zmq_version() {
	if ! pkg-config --atleast-version=4.3.0 libzmq; then
		echo "install-deps: libzmq $(pkg-config --modversion libzmq) is too old: the workshop needs libzmq 4.3 or later; install a newer libzmq development package (or build libzmq from https://github.com/zeromq/libzmq/releases), then run make again" >&2
		exit 1
	fi
}

need_zmq=
if ! pkg-config --exists libzmq 2>/dev/null; then
	need_zmq=1
fi
need_browser=
if [ "${1:-}" = browser ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
	need_browser=1
fi
[ -z "$need_zmq" ] && check_zmq_version
[ -z "$need_zmq$need_browser" ] && exit 0

sudo=
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo=sudo
	fi
fi

if command -v apt-get >/dev/null 2>&1; then
	pkgs=
	[ -n "$need_zmq" ] && pkgs="libzmq3-dev pkg-config"
	[ -n "$need_browser" ] && pkgs="$pkgs chromium"
	echo "install-deps: installing $pkgs with apt-get"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $pkgs >/dev/null
elif command -v brew >/dev/null 2>&1; then
	if [ -n "$need_zmq" ]; then
		echo "install-deps: installing zeromq and pkg-config with brew"
		brew install zeromq pkg-config
	fi
	if [ -n "$need_browser" ]; then
		echo "install-deps: installing chromium with brew"
		brew install --cask chromium
	fi
else
	[ -n "$need_zmq" ] && echo "install-deps: libzmq is missing: install the libzmq development package (libzmq3-dev on Debian and Ubuntu, zeromq-devel on Fedora, zeromq on Homebrew and Arch) and pkg-config, then run make again" >&2
	[ -n "$need_browser" ] && echo "install-deps: Chromium is missing: install it (the site's browser test needs it), then run make again" >&2
	exit 1
fi

if ! pkg-config --exists libzmq; then
	echo "install-deps: libzmq is still not found by pkg-config; install the libzmq development package and pkg-config by hand" >&2
	exit 1
fi
check_zmq_version
