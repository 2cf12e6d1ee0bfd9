"""The security tests' centre in the middle of its day (tests/security/conftest.py): one of everything a
dataset can hold, personal data in every field the registry names."""
from tests.security.conftest import media, shared_world, world  # noqa: F401 (fixtures)
