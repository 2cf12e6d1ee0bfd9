"""Secrets handed to a person once (an API key, an invitation link's token) are stored only as this digest:
a database or backup that leaks gives out no working key. One function, so every kind is looked up alike."""
import hashlib


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
