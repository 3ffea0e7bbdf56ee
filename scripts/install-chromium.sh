#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for the HTML report's browser tests.
#
# Idempotent and quiet: does nothing when chromium is already on PATH. Never fails the
# build: where apt is missing or we are not root, it says why and exits 0, and the
# browser tests then skip with that reason instead of erroring.
set -u

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: apt-get not available; browser tests will be skipped" >&2
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-chromium: not root, cannot apt-get install chromium; browser tests will be skipped" >&2
    exit 0
fi

echo "install-chromium: installing Debian's chromium with apt-get, for the HTML report's" \
     "browser tests (a few minutes, once)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq >/dev/null \
    || ! apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    echo "install-chromium: apt-get install chromium failed; browser tests will be skipped" >&2
    exit 0
fi
command -v chromium >/dev/null 2>&1 \
    || echo "install-chromium: chromium still not on PATH after install" >&2
exit 0
