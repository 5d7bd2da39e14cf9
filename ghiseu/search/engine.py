"""The one Tantivy index: schema, Romanian analyzer, the (single) writer, searching, snippets.

Nothing here knows about Django models; `indexing.py` keeps the ledger of indexed documents
and `selectors.py` turns a user's text into a query. Only the outbox task (queue "search"),
`search_rebuild` and the benchmark open a writer; Tantivy's lock file makes sure that there is
never more than one at a time, and `open_writer` waits for it (docs/adr/0004-search-outbox.md).
"""

from __future__ import annotations

import html
import os
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import tantivy
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from ghiseu.search.documents import SearchDocument

ANALYZER = "ro_stem"
IDS_TOKENIZER = "whitespace"  # Tantivy built-in: splits on white space only, keeps case (we lower-case)
RAW = "raw"

# Field names.
KEY = "key"  # kind:id[:page], unique per document; deletes go by this term
PARENT = "parent"  # kind:id, shared by the pages of one object; removal goes by this term
KIND = "kind"
OBJECT_ID = "object_id"
PAGE = "page"
TITLE = "title"
BODY = "body"
IDS = "ids"
YEAR = "year"
DEPARTMENT = "department"
FILE_CODE = "file_code"
ACCESS = "access"
ALLOWED = "allowed"  # department codes allowed to read (non-public) documents; "*" = every department
URL = "url"
SHA256 = "sha256"

SNIPPET_CHARS = 220
TITLE_SNIPPET_CHARS = 1_000


class SearchIndexError(RuntimeError):
    """The index cannot be opened or written (schema changed, lock held too long)."""


@lru_cache(maxsize=1)
def romanian_analyzer() -> tantivy.TextAnalyzer:
    """simple tokenizer → lowercase → ASCII folding → Romanian stemmer, in this order.

    Folding makes ș ş ț ţ ă â î equal to s t a i, so `registratură` and `registratura`,
    cedilla and comma-below forms all give the same terms; the stemmer then joins
    inflected forms (dosar, dosarului, dosarele → dosar).
    """
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("romanian"))
        .build()
    )


def analyze(text: str) -> list[str]:
    return romanian_analyzer().analyze(text)


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field(KEY, stored=True, tokenizer_name=RAW, index_option="basic")
    sb.add_text_field(PARENT, tokenizer_name=RAW, index_option="basic")
    sb.add_text_field(KIND, stored=True, fast=True, tokenizer_name=RAW, index_option="basic")
    sb.add_text_field(OBJECT_ID, stored=True, tokenizer_name=RAW, index_option="basic")
    sb.add_integer_field(PAGE, stored=True, indexed=True)
    sb.add_text_field(TITLE, stored=True, tokenizer_name=ANALYZER)
    sb.add_text_field(BODY, stored=True, tokenizer_name=ANALYZER)
    sb.add_text_field(IDS, tokenizer_name=IDS_TOKENIZER, index_option="basic")
    sb.add_integer_field(YEAR, stored=True, indexed=True, fast=True)
    sb.add_text_field(DEPARTMENT, stored=True, tokenizer_name=RAW, index_option="basic")
    sb.add_text_field(FILE_CODE, stored=True, tokenizer_name=RAW, index_option="basic")
    sb.add_text_field(ACCESS, stored=True, tokenizer_name=RAW, index_option="basic")
    sb.add_text_field(ALLOWED, tokenizer_name=RAW, index_option="basic")
    sb.add_text_field(URL, stored=True, tokenizer_name=RAW, index_option="basic")
    sb.add_text_field(SHA256, stored=True, tokenizer_name=RAW, index_option="basic")
    return sb.build()


def to_tantivy(doc: SearchDocument, content_hash: str | None = None) -> tantivy.Document:
    out = tantivy.Document()
    out.add_text(KEY, doc.key)
    out.add_text(PARENT, doc.parent_key)
    out.add_text(KIND, doc.kind)
    out.add_text(OBJECT_ID, doc.object_id)
    if doc.page is not None:
        out.add_integer(PAGE, doc.page)
    out.add_text(TITLE, doc.title)
    out.add_text(BODY, doc.text)
    if doc.identifiers:
        out.add_text(IDS, " ".join(doc.identifiers))
    if doc.year is not None:
        out.add_integer(YEAR, doc.year)
    if doc.department:
        out.add_text(DEPARTMENT, doc.department)
    if doc.file_code:
        out.add_text(FILE_CODE, doc.file_code)
    out.add_text(ACCESS, doc.access)
    for dept in doc.departments:
        out.add_text(ALLOWED, dept)
    if doc.url:
        out.add_text(URL, doc.url)
    out.add_text(SHA256, content_hash or doc.content_hash)
    return out


# --- Settings -----------------------------------------------------------------------------


def index_dir() -> Path:
    return Path(settings.GHISEU_SEARCH_INDEX_DIR)


def _writer_heap_bytes() -> int:
    return int(getattr(settings, "GHISEU_SEARCH_WRITER_HEAP_MB", 64)) * 1024 * 1024


def _lock_timeout() -> float:
    return float(getattr(settings, "GHISEU_SEARCH_LOCK_TIMEOUT", 600))


# --- The index ----------------------------------------------------------------------------


class SearchIndex:
    """One opened index directory: the schema, the analyzer registered, a reader kept fresh."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = build_schema()
        path.mkdir(parents=True, exist_ok=True)
        try:
            self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        except ValueError as exc:
            raise SearchIndexError(
                f"The search index at {path} cannot be opened ({exc}). After a schema change, stop the "
                "search worker and run `manage.py search_rebuild --recreate`."
            ) from exc
        self.index.register_tokenizer(ANALYZER, romanian_analyzer())
        # No watcher thread per process: `searcher()` reloads when meta.json has changed.
        self.index.config_reader(reload_policy="manual")
        self._stamp = self._meta_stamp()

    def _meta_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path / "meta.json")
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def searcher(self) -> tantivy.Searcher:
        """A searcher on the latest commit (of this process or of the worker's)."""
        stamp = self._meta_stamp()
        if stamp != self._stamp:
            self.index.reload()
            self._stamp = stamp
        return self.index.searcher()

    def refresh(self) -> None:
        self.index.reload()
        self._stamp = self._meta_stamp()

    @contextmanager
    def open_writer(
        self, *, heap_bytes: int | None = None, threads: int = 1, timeout: float | None = None
    ) -> Iterator[IndexWriter]:
        """The writer, held for the block only: waits for Tantivy's lock, rolls back on error,
        lets pending merges finish and releases the lock on the way out."""
        deadline = time.monotonic() + (_lock_timeout() if timeout is None else timeout)
        heap = heap_bytes or _writer_heap_bytes()
        while True:
            try:
                raw = self.index.writer(heap_size=heap, num_threads=threads)
                break
            except ValueError as exc:
                if "LockBusy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise SearchIndexError(
                        f"The search index at {self.path} is locked by another writer. Only the worker of "
                        "the 'search' queue writes it; see docs/adr/0004-search-outbox.md."
                    ) from exc
                time.sleep(0.1)
        writer = IndexWriter(self, raw)
        try:
            yield writer
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.close()


class IndexWriter:
    """The one writer; its deletes and adds become visible together at `commit`."""

    def __init__(self, search_index: SearchIndex, raw: tantivy.IndexWriter) -> None:
        self.search_index = search_index
        self._raw = raw
        self._dirty = False
        self._closed = False

    def add(self, doc: SearchDocument, *, content_hash: str | None = None, replace: bool = True) -> None:
        """Index `doc`; with `replace` (the default) any older version with the same key goes."""
        if replace:
            self._raw.delete_documents_by_term(KEY, doc.key)
        self._raw.add_document(to_tantivy(doc, content_hash))
        self._dirty = True

    def delete_key(self, key: str) -> None:
        self._raw.delete_documents_by_term(KEY, key)
        self._dirty = True

    def delete_object(self, kind: str, object_id: str) -> None:
        """Every document of the object: the object itself and all of its pages."""
        self._raw.delete_documents_by_term(PARENT, f"{kind}:{object_id}")
        self._dirty = True

    def delete_kind(self, kind: str) -> None:
        self._raw.delete_documents_by_term(KIND, kind)
        self._dirty = True

    def delete_all(self) -> None:
        self._raw.delete_all_documents()
        self._dirty = True

    def commit(self) -> None:
        if self._dirty:
            self._raw.commit()
            self._dirty = False
            self.search_index.refresh()

    def rollback(self) -> None:
        if not self._closed and self._dirty:
            self._raw.rollback()
            self._dirty = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._raw.wait_merging_threads()  # consumes the writer: merges done, lock released


_lock = threading.Lock()
_indexes: dict[str, SearchIndex] = {}


def get_index(path: Path | None = None) -> SearchIndex:
    """The process's `SearchIndex` for the configured directory (opened, or created, once)."""
    target = path or index_dir()
    key = str(target)
    with _lock:
        found = _indexes.get(key)
        if found is None:
            found = _indexes[key] = SearchIndex(target)
        return found


def forget_indexes() -> None:
    """Drop the opened indexes (tests, and after `search_rebuild --recreate`)."""
    with _lock:
        _indexes.clear()


def recreate_index(path: Path | None = None) -> SearchIndex:
    """Wipe the directory and create an empty index with the current schema."""
    target = path or index_dir()
    forget_indexes()
    if target.exists():
        shutil.rmtree(target)
    return get_index(target)


# --- Searching ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EngineHit:
    score: float
    key: str
    kind: str
    object_id: str
    page: int | None
    title: str
    body: str
    year: int | None
    department: str
    file_code: str
    access: str
    url: str
    sha256: str
    snippet: SafeString
    title_html: SafeString


@dataclass(frozen=True)
class EngineResult:
    count: int
    hits: list[EngineHit]


def search(
    search_index: SearchIndex,
    query: tantivy.Query,
    *,
    highlight: tantivy.Query | None = None,
    limit: int = 20,
    offset: int = 0,
    snippets: bool = True,
) -> EngineResult:
    """Top `limit` documents after `offset`, best first, with highlighted snippets."""
    searcher = search_index.searcher()
    result = searcher.search(query, max(1, limit), count=True, offset=max(0, offset))
    count = int(cast(Any, result).count)
    if limit <= 0:
        return EngineResult(count=count, hits=[])
    body_gen = title_gen = None
    if snippets and highlight is not None:
        body_gen = tantivy.SnippetGenerator.create(searcher, highlight, search_index.schema, BODY)
        body_gen.set_max_num_chars(SNIPPET_CHARS)
        title_gen = tantivy.SnippetGenerator.create(searcher, highlight, search_index.schema, TITLE)
        title_gen.set_max_num_chars(TITLE_SNIPPET_CHARS)
    hits = []
    for score, address in result.hits:
        doc = searcher.doc(address)
        title = _first(doc, TITLE)
        body = _first(doc, BODY)
        snippet = _snippet_html(body_gen.snippet_from_doc(doc), body) if body_gen else ""
        if not snippet:
            snippet = html.escape(_lead(body))
        title_html = _snippet_html(title_gen.snippet_from_doc(doc), title, whole=True) if title_gen else ""
        if not title_html:
            title_html = html.escape(title)
        page = doc.get_first(PAGE)
        year = doc.get_first(YEAR)
        hits.append(
            EngineHit(
                score=float(score),
                key=_first(doc, KEY),
                kind=_first(doc, KIND),
                object_id=_first(doc, OBJECT_ID),
                page=int(page) if page is not None else None,
                title=title,
                body=body,
                year=int(year) if year is not None else None,
                department=_first(doc, DEPARTMENT),
                file_code=_first(doc, FILE_CODE),
                access=_first(doc, ACCESS),
                url=_first(doc, URL),
                sha256=_first(doc, SHA256),
                snippet=mark_safe(snippet),  # noqa: S308 - built from html.escape'd pieces and <mark>
                title_html=mark_safe(title_html),  # noqa: S308 - same
            )
        )
    return EngineResult(count=count, hits=hits)


def _first(doc: tantivy.Document, field: str) -> str:
    value = doc.get_first(field)
    return "" if value is None else str(value)


def _lead(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


def _snippet_html(snippet: tantivy.Snippet, source: str, *, whole: bool = False) -> str:
    """The best passage of `source` (or all of it, `whole`) HTML-escaped, the matched words in
    <mark>, "…" where the text goes on. Tantivy counts UTF-8 bytes, ranges from the fragment."""
    marks = snippet.highlighted()
    if not marks:
        return ""
    where = snippet.fragment_range()
    if whole:
        raw, offset = source.encode("utf-8"), where.start
    else:
        raw, offset = snippet.fragment().encode("utf-8"), 0
    out: list[str] = []
    pos = 0
    for rng in sorted(marks, key=lambda r: r.start):
        start, end = max(offset + rng.start, pos), min(offset + rng.end, len(raw))
        if end <= start:
            continue
        out.append(html.escape(raw[pos:start].decode("utf-8", "replace")))
        out.append("<mark>" + html.escape(raw[start:end].decode("utf-8", "replace")) + "</mark>")
        pos = end
    out.append(html.escape(raw[pos:].decode("utf-8", "replace")))
    text = " ".join("".join(out).split())
    if not whole:
        if where.start > 0:
            text = "… " + text
        # bytes >= characters: only when the fragment reaches that far is an exact count needed
        if where.end < len(source) or where.end < len(source.encode("utf-8")):
            text += " …"
    return text


def kind_counts(search_index: SearchIndex) -> dict[str, int]:
    """Live documents per kind, from the `kind` fast field."""
    searcher = search_index.searcher()
    if searcher.num_docs == 0:
        return {}
    agg = searcher.aggregate(tantivy.Query.all_query(), {"kinds": {"terms": {"field": KIND, "size": 10_000}}})
    return {str(b["key"]): int(b["doc_count"]) for b in agg["kinds"]["buckets"]}


def lookup_keys(search_index: SearchIndex, keys: Sequence[str]) -> dict[str, list[str]]:
    """For each key, the content hashes stored in the index (more than one = a duplicate)."""
    searcher = search_index.searcher()
    found: dict[str, list[str]] = {}
    for key in keys:
        q = tantivy.Query.term_query(search_index.schema, KEY, key)
        res = searcher.search(q, 5, count=False)
        found[key] = [_first(searcher.doc(addr), SHA256) for _score, addr in res.hits]
    return found
