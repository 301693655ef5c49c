"""Progress of long work (imports), reported from deep inside it without passing a callback.

The code doing the work calls `report(read=…, checked=…, written=…)` (and `phase(…)`); whoever
runs it (the import job in the worker, the CLI on a terminal) installs a sink with
`reporting(sink)`. Without a sink, `report` costs one context-variable lookup.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Sink = Callable[..., None]
_sink: ContextVar[Sink | None] = ContextVar("progress_sink", default=None)


def report(**counts: int) -> None:
    """Counts so far: read (rows parsed), checked (rows validated), written (rows saved)."""
    if (sink := _sink.get()) is not None:
        sink(**counts)


def phase(name: str) -> None:
    """The step now running: "reading", "checking" or "writing"."""
    if (sink := _sink.get()) is not None:
        sink(phase=name)


@contextmanager
def reporting(sink: Sink) -> Iterator[None]:
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)


class TerminalSink:
    """Prints `reading · read 5,000 · checked 0 · written 0` over itself on a terminal."""

    def __init__(self, stream):
        self.stream, self.state = stream, {"phase": "", "read": 0, "checked": 0, "written": 0}

    def __call__(self, phase: str | None = None, **counts: int):
        if phase:
            self.state["phase"] = phase
        self.state.update(counts)
        s = self.state
        self.stream.write(f"\r{s['phase']:8} · read {s['read']:,} · checked {s['checked']:,} · "
                          f"written {s['written']:,}   ")
        self.stream.flush()

    def close(self):
        self.stream.write("\n")
        self.stream.flush()


@contextmanager
def on_terminal(stream) -> Iterator[None]:
    """Progress on `stream` if it is a terminal; nothing otherwise (logs, pipes)."""
    if not getattr(stream, "isatty", lambda: False)():
        yield
        return
    sink = TerminalSink(stream)
    with reporting(sink):
        try:
            yield
        finally:
            sink.close()
