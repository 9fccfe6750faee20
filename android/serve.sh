#!/bin/sh
# `dx serve --platform android` with the development manifest (INTERNET, which hot reload's
# socket to the dev server needs). dx reads Dioxus.toml from the crate, so this swaps the
# manifest line for the run and puts it back afterwards, whatever happens. Release builds
# (`dx bundle`) use android/AndroidManifest.xml, which has no INTERNET.
set -eu
cd "$(dirname "$0")/.."
cp Dioxus.toml Dioxus.toml.release
trap 'mv Dioxus.toml.release Dioxus.toml' EXIT INT TERM
sed 's#^android_manifest = "android/AndroidManifest.xml"#android_manifest = "android/AndroidManifest.dev.xml"#' \
    Dioxus.toml.release > Dioxus.toml
grep -q 'AndroidManifest.dev.xml' Dioxus.toml || { echo "serve.sh: Dioxus.toml has no android_manifest line to swap" >&2; exit 1; }
dx serve --platform android --no-default-features --features mobile "$@"
