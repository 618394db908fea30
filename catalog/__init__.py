"""mulu's domain: standards, validation, registry, sharing, search and interop.

Nothing in this package knows about HTTP or the terminal; `api/` and `cli/` are thin doors onto it.
"""
