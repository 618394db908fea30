"""Secrets never reach the access log: `?access_token=…` (refused by the API, but still logged by uvicorn)
and any other credential-looking query parameter are replaced by [已隐去] before a record is written."""
from __future__ import annotations

import logging
import re

SECRET_PARAM = re.compile(r"(?<![A-Za-z0-9_])((?:access_token|token|api_key|apikey|password|code|id_token)=)[^&\s\"]*", re.IGNORECASE)
ACCESS_LOGGERS = ("uvicorn.access", "uvicorn.error", "mulu.api")


def redact(text: str) -> str:
    return SECRET_PARAM.sub(r"\1[已隐去]", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    """Attach the filter to the access loggers (idempotent)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
