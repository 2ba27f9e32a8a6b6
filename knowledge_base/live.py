"""Keeps every process's index current after an edit anywhere.

The writer bumps the revision row in the same transaction as the edit. Each process polls that
one row (cheap) and syncs when it moved; when Redis is configured the writer also publishes on
``CHANNEL`` and subscribers sync at once instead of at the next poll. Either way the work done
is the same ``KnowledgeBase.sync``, which touches only the changed FAQs.
"""

import logging
import threading

from knowledge_base.search import KnowledgeBase

log = logging.getLogger(__name__)
CHANNEL = "hotline:kb:changed"
POLL_SECONDS = 1.0
FULL_CHECK_SECONDS = 60.0  # validity windows open and close without an edit


class IndexWatcher:
    def __init__(
        self, kb: KnowledgeBase, redis_url: str | None = None, poll_seconds: float = POLL_SECONDS
    ) -> None:
        self._kb = kb
        self._redis_url = redis_url
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url, socket_timeout=5)

    def publish(self) -> None:
        """Tell the other processes (called after a local commit); a lost message costs a poll."""
        self._wake.set()
        if self._redis is not None:
            try:
                self._redis.publish(CHANNEL, str(self._kb.revision))
            except Exception as exc:  # noqa: BLE001 - the poll still picks the change up
                log.warning("could not publish the FAQ change on Redis: %s", exc)

    def start(self) -> None:
        self._threads.append(threading.Thread(target=self._poll, name="kb-poll", daemon=True))
        if self._redis is not None:
            self._threads.append(
                threading.Thread(target=self._listen, name="kb-redis", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._redis is not None:
            self._redis.close()

    def _poll(self) -> None:
        since_full = 0.0
        while not self._stop.is_set():
            woke = self._wake.wait(self._poll_seconds)
            self._wake.clear()
            if self._stop.is_set():
                return
            since_full += self._poll_seconds
            try:
                if woke or since_full >= FULL_CHECK_SECONDS:
                    since_full = 0.0
                    self._kb.sync()
                elif self._kb.store_revision() != self._kb.revision:
                    self._kb.sync()
            except Exception:  # noqa: BLE001 - keep watching; the next round retries
                log.exception("knowledge base sync failed")

    def _listen(self) -> None:
        assert self._redis is not None
        while not self._stop.is_set():
            try:
                pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(CHANNEL)
                while not self._stop.is_set():
                    if pubsub.get_message(timeout=1.0) is not None:
                        self._wake.set()
                pubsub.close()
            except Exception as exc:  # noqa: BLE001 - Redis down: polling carries on alone
                log.warning("Redis subscription lost (%s); polling only", exc)
                self._stop.wait(5)
