"""A reference-counted background thread: started by the first app lifespan that
needs it, stopped by the last (tests open several clients on one app)."""

from __future__ import annotations

import threading
from collections.abc import Callable


class SharedThread:
    def __init__(self, name: str, target: Callable[[threading.Event], None]) -> None:
        self._name = name
        self._target = target
        self._users = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            self._users += 1
            if self._thread is None:
                self._stop = threading.Event()
                self._thread = threading.Thread(
                    target=self._target, args=(self._stop,), name=self._name, daemon=True
                )
                self._thread.start()

    def stop(self, wake: Callable[[], None] | None = None) -> None:
        with self._lock:
            self._users = max(0, self._users - 1)
            if self._users or self._thread is None:
                return
            self._stop.set()
            if wake is not None:
                wake()
            self._thread.join(timeout=10)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None
