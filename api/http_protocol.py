"""The HTTP/1.1 protocol `mulu serve` runs: uvicorn's h11 protocol, accepting what curl sends.

`curl "http://host/api/v1/search?q=统一社会信用代码"` puts raw UTF-8 bytes in the request line. RFC 9112
wants them percent-encoded, and both of uvicorn's parsers (h11, and httptools since its llhttp became
strict) answer `400 Invalid HTTP request received.` Browsers and HTTP libraries encode them; curl and
shell scripts often do not. So before a new request reaches the parser, the bytes >= 0x80 of its
request line are percent-encoded (`统` → `%E7%BB%9F`), exactly what a browser would have sent. Only the
request line is touched, and only at the start of a request; headers and bodies are passed on as they are.
"""
from __future__ import annotations

import re

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_REQUEST_LINE = re.compile(rb"\A([A-Z]{1,16}) (\S+) (HTTP/1\.[01]\r?\n)")
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def encode_request_line(data: bytes) -> bytes:
    """`data` with the non-ASCII bytes of its leading request line percent-encoded (else unchanged)."""
    match = _REQUEST_LINE.match(data)
    if match is None or not _NON_ASCII.search(match.group(2)):
        return data
    target = _NON_ASCII.sub(lambda m: b"%%%02X" % m.group()[0], match.group(2))
    return b"%s %s %s%s" % (match.group(1), target, match.group(3), data[match.end():])


class CurlFriendlyH11Protocol(H11Protocol):
    """uvicorn's h11 protocol; a request line with raw UTF-8 is percent-encoded first (see the module)."""

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE and not self.conn.trailing_data[0]:
            data = encode_request_line(data)
        super().data_received(data)
