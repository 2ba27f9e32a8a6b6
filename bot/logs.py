"""Readable logs with the request id of the turn on every line."""

import logging
import re
import secrets
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def new_request_id() -> str:
    return secrets.token_hex(6)


class _RequestContext(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        # Phones never reach a log in full (138****5678).
        if isinstance(record.msg, str):
            record.msg = _PHONE.sub(r"\1****\2", record.msg)
        if record.args:
            record.args = tuple(
                _PHONE.sub(r"\1****\2", a) if isinstance(a, str) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-7s [%(request_id)s] %(name)s: %(message)s")
    )
    handler.addFilter(_RequestContext())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "jieba", "rasa_sdk"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
