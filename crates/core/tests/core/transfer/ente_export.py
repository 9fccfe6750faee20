#!/usr/bin/env python3
"""Writes an Ente Auth encrypted export of standard input with libsodium (PyNaCl), the library
Ente itself uses: Argon2id (crypto_pwhash) and crypto_secretstream_xchacha20poly1305.

    python3 ente_export.py PASSWORD MEMLIMIT_BYTES OPSLIMIT [TAG] < plain.txt > export.json

TAG is `message` (what Ente's own exports carry: the one message tagged MESSAGE) or `final`
(the default).
"""
import base64
import json
import sys

import nacl.bindings as b
import nacl.utils

password, mem, ops = sys.argv[1].encode(), int(sys.argv[2]), int(sys.argv[3])
tag = {
    "message": b.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
    "final": b.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
}[sys.argv[4] if len(sys.argv) > 4 else "final"]
text = sys.stdin.buffer.read()
salt = nacl.utils.random(b.crypto_pwhash_SALTBYTES)
key = b.crypto_pwhash_alg(32, password, salt, ops, mem, b.crypto_pwhash_ALG_ARGON2ID13)
state = b.crypto_secretstream_xchacha20poly1305_state()
header = b.crypto_secretstream_xchacha20poly1305_init_push(state, key)
sealed = b.crypto_secretstream_xchacha20poly1305_push(
    state, text, None, tag)
print(json.dumps({
    "version": 1,
    "kdfParams": {"memLimit": mem, "opsLimit": ops, "salt": base64.b64encode(salt).decode()},
    "encryptedData": base64.b64encode(sealed).decode(),
    "encryptionNonce": base64.b64encode(header).decode(),
}))
