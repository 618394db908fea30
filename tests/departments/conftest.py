"""Department tests reuse the API fixtures: the real app on a temporary SQLite file, tokens per role."""
from tests.api.conftest import auth, client  # noqa: F401
