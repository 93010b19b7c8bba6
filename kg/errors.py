"""The few errors newskg raises on purpose. Each names the value that caused it."""

from __future__ import annotations


class KGError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""


class InputError(KGError):
    """A document source that cannot be read (missing file, unknown suffix)."""


class RecordError(KGError):
    """One bad record in an input file; the other records are still ingested."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message

    def __reduce__(self):  # it travels back from worker processes
        return type(self), (self.path, self.line, self.message)

    @classmethod
    def at(cls, source: str, message: str) -> RecordError:
        """The error for a record whose source is `path` or `path:line` (as `Article.source` names it)."""
        path, _, line = source.rpartition(":")
        return cls(path, int(line), message) if path and line.isdigit() else cls(source, None, message)


class OutputError(KGError):
    """A file newskg was asked to write and cannot (no such directory, no format for its extension)."""


class ModelError(KGError):
    """No usable spaCy pipeline."""


class StoreError(KGError):
    """The store cannot be opened or written (for example, another process holds it)."""


class ServeError(KGError):
    """`kg serve` cannot listen where it was asked to (the port is taken, the address is not ours)."""


class QueryNotFound(KGError):
    """A canned query name that has no file in queries/."""


class LoadError(KGError):
    """An RDF file that does not parse; nothing of the load was stored."""

    def __init__(self, path: object, error: SyntaxError) -> None:
        reason = error.msg.split(": ", 1)[-1]  # Oxigraph's message repeats the position before ": "
        super().__init__(
            f"{path}: line {error.lineno} column {error.offset}: {reason}. "
            "Nothing was loaded: the store keeps what it had."
        )
        self.path = str(path)
        self.line = error.lineno
        self.column = error.offset
