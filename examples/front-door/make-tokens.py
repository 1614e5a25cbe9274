#!/usr/bin/env python3
"""Writes the Cognito fixtures: jwks.json (a fresh RSA key's public half, as a user pool's
/.well-known/jwks.json gives it) and tokens signed with it (RS256): ana.jwt (valid until 2100),
expired.jwt (expired in 2020). Needs the `cryptography` package. The private key is not kept.
"""
import base64
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HERE = os.path.dirname(os.path.abspath(__file__))
POOL = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
KID = "example-key-1"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(n: int) -> str:
    return b64(n.to_bytes((n.bit_length() + 7) // 8, "big"))


key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
pub = key.public_key().public_numbers()
jwks = {"keys": [{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": KID,
                  "n": uint(pub.n), "e": uint(pub.e)}]}


def token(claims: dict) -> str:
    head = b64(json.dumps({"kid": KID, "alg": "RS256"}).encode())
    body = b64(json.dumps(claims).encode())
    sig = key.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{head}.{body}.{b64(sig)}"


base = {"sub": "7d8ca528-4931-4254-9273-ea5ee853f271", "email": "ana@example.com",
        "cognito:groups": ["admins", "readers"], "iss": POOL, "token_use": "id",
        "aud": "example-client", "iat": 1577836800}
outputs = {
    "jwks.json": json.dumps(jwks, indent=1) + "\n",
    "ana.jwt": token({**base, "exp": 4102444800}) + "\n",
    "expired.jwt": token({**base, "exp": 1577840400}) + "\n",
}
for name, text in outputs.items():
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote", name)
