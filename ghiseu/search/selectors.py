"""Searching: one call for the whole institution's documents, filtered by what the person may read.

The access rule is part of the Tantivy query (a required clause), so documents a person may
not read are neither shown nor counted, and pages of results are always full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import tantivy
from django.utils.safestring import SafeString

from ghiseu.search import engine, query
from ghiseu.search.documents import ACCESS_CLASSES, ALL_DEPARTMENTS, CONFIDENTIAL, INTERNAL, PERSONAL, PUBLIC

MAX_LIMIT = 100
MAX_OFFSET = 10_000

# Roles that read every department's internal documents (they work the whole register);
# the same roles as the registry's READ_ALL. Confidential and personal documents stay with
# the departments named on them.
WIDE_READER_ROLES = frozenset({"clerk", "secretary", "mayor", "archivist", "admin"})


@dataclass(frozen=True)
class SearchAccess:
    """What a person may read.

    `classes`: access classes readable whatever the departments on the document.
    `departments`: department codes the person belongs to ("*" included for every staff
    member); a document listing one of them is readable in any of `department_classes`.
    """

    classes: frozenset[str] = frozenset({PUBLIC})
    departments: frozenset[str] = frozenset()
    department_classes: frozenset[str] = frozenset({INTERNAL, CONFIDENTIAL, PERSONAL})

    @classmethod
    def public(cls) -> SearchAccess:
        return cls()

    @classmethod
    def staff(cls, *departments: str, classes: Sequence[str] = (PUBLIC,)) -> SearchAccess:
        return cls(
            classes=frozenset(classes) | {PUBLIC},
            departments=frozenset(d for d in departments if d) | {ALL_DEPARTMENTS},
        )

    @classmethod
    def everything(cls) -> SearchAccess:
        return cls(classes=frozenset(ACCESS_CLASSES))

    @property
    def reads_everything(self) -> bool:
        """Every access class is readable whatever the departments: no document is hidden."""
        return self.classes >= set(ACCESS_CLASSES)


def role_principal(role: str) -> str:
    """An entry of a document's `departments` that lets everyone with `role` read it."""
    return f"role:{role}"


def department_role_principal(department: str, role: str) -> str:
    """An entry of a document's `departments` for one role within one department (e.g. URB:head)."""
    return f"{department}:{role}"


def access_for_user(user: Any) -> SearchAccess:
    """The default reading rights of a user of `accounts.User` (duck-typed: no import).

    Anonymous people and citizens: public documents. Staff: public documents, and the others
    whose `departments` name every department ("*"), the user's department ("URB"), the
    user's role ("role:archivist") or the role within the department ("URB:head").
    Registry-wide roles also read all internal documents; a superuser reads everything.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return SearchAccess.public()
    if getattr(user, "is_superuser", False):
        return SearchAccess.everything()
    if not getattr(user, "is_staff_member", False):
        return SearchAccess.public()
    department = getattr(user, "department", None)
    code = str(getattr(department, "code", "") or "")
    role = str(getattr(user, "role", "") or "")
    principals = [code, role_principal(role) if role else ""]
    if code and role:
        principals.append(department_role_principal(code, role))
    classes = (PUBLIC, INTERNAL) if role in WIDE_READER_ROLES else (PUBLIC,)
    return SearchAccess.staff(*principals, classes=classes)


def access_clause(schema: tantivy.Schema, access: SearchAccess) -> tantivy.Query:
    """A required, score-neutral clause: readable by class, or by department and class."""
    Q, Occur = tantivy.Query, tantivy.Occur
    options: list[tuple[tantivy.Occur, tantivy.Query]] = []
    classes = sorted(access.classes & set(ACCESS_CLASSES))
    if classes:
        options.append((Occur.Should, Q.term_set_query(schema, engine.ACCESS, classes)))
    dept_classes = sorted(access.department_classes & set(ACCESS_CLASSES))
    if access.departments and dept_classes:
        by_department = Q.term_set_query(schema, engine.ALLOWED, sorted(access.departments))
        if not access.classes | access.department_classes >= set(ACCESS_CLASSES):
            by_department = Q.boolean_query(
                [(Occur.Must, by_department), (Occur.Must, Q.term_set_query(schema, engine.ACCESS, dept_classes))]
            )
        # else a document of a listed department is readable whatever its class (the classes
        # not readable by department are readable by everyone here): one intersection less,
        # a third of a staff member's query on a common word at 500,000 documents (bench/search)
        options.append((Occur.Should, by_department))
    if not options:
        return Q.empty_query()
    return Q.const_score_query(Q.boolean_query(options), 0.0)


@dataclass(frozen=True)
class SearchHit:
    kind: str
    object_id: str
    page: int | None
    title: str
    title_html: SafeString  # the title, HTML-escaped, matched words in <mark>
    snippet: SafeString  # a passage of the text, HTML-escaped, matched words in <mark>
    url: str
    year: int | None
    department: str
    file_code: str
    access: str
    score: float

    @property
    def id(self) -> str:
        return self.object_id


@dataclass(frozen=True)
class SearchResults:
    count: int
    hits: list[SearchHit] = field(default_factory=list)


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value if str(v)]


def build_query(
    schema: tantivy.Schema,
    *,
    user_access: SearchAccess,
    q: str,
    kinds: Sequence[str] | None = None,
    year: int | None = None,
    department: str | None = None,
    file_code: str | None = None,
    access: str | Sequence[str] | None = None,
) -> tuple[tantivy.Query | None, tantivy.Query | None]:
    """(the query, the highlight query); the query is None when nothing was asked for."""
    parsed = query.parse_query(q)
    text = query.text_query(schema, parsed)
    filters: list[tantivy.Query] = []
    kind_list = _as_list(kinds)
    if kind_list:
        filters.append(query.filter_clause(schema, engine.KIND, kind_list))
    if year is not None:
        filters.append(query.filter_clause(schema, engine.YEAR, [int(year)]))
    if department:
        filters.append(query.filter_clause(schema, engine.DEPARTMENT, [str(department)]))
    if file_code:
        filters.append(query.filter_clause(schema, engine.FILE_CODE, [str(file_code)]))
    access_list = _as_list(access)
    if access_list:
        filters.append(query.filter_clause(schema, engine.ACCESS, access_list))
    if text is None and not filters:
        return None, None
    Occur = tantivy.Occur
    clauses = [(Occur.Must, text if text is not None else tantivy.Query.all_query())]
    clauses += [(Occur.Must, f) for f in filters]
    if not user_access.reads_everything:  # every document has one of the classes: nothing to filter
        # (the clause would cost a visit of every matching document: 5.6 ms for a common word
        # at 500,000 documents, bench/search)
        clauses.append((Occur.Must, access_clause(schema, user_access)))
    return tantivy.Query.boolean_query(clauses), query.highlight_query(schema, parsed)


def search_query(
    *,
    user_access: SearchAccess,
    q: str,
    kinds: Sequence[str] | None = None,
    year: int | None = None,
    department: str | None = None,
    file_code: str | None = None,
    access: str | Sequence[str] | None = None,
    limit: int = 20,
    offset: int = 0,
    snippets: bool = True,
) -> SearchResults:
    """The documents matching `q` and the filters that `user_access` may read, best first.

    Never raises on what a person typed. Words match in any inflection and with or without
    diacritics; "quoted words" match as a phrase; 1234/2026, a CNP or a cadastral number match
    exactly; -word excludes. With no text, the filters alone list documents; with neither,
    nothing is returned. `snippets=False` skips the passages (most of the cost of a query):
    `snippet` then holds the start of the text.
    """
    try:
        year = int(year) if year is not None and year != "" else None
    except (TypeError, ValueError):
        return SearchResults(count=0)
    if year is not None and not 0 <= year <= 9999:
        return SearchResults(count=0)
    search_index = engine.get_index()
    full_query, highlight = build_query(
        search_index.schema,
        user_access=user_access,
        q=q or "",
        kinds=kinds,
        year=year,
        department=department,
        file_code=file_code,
        access=access,
    )
    if full_query is None:
        return SearchResults(count=0)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    found = engine.search(search_index, full_query, highlight=highlight, limit=limit, offset=offset, snippets=snippets)
    return SearchResults(
        count=found.count,
        hits=[
            SearchHit(
                kind=h.kind,
                object_id=h.object_id,
                page=h.page,
                title=h.title,
                title_html=h.title_html,
                snippet=h.snippet,
                url=h.url,
                year=h.year,
                department=h.department,
                file_code=h.file_code,
                access=h.access,
                score=h.score,
            )
            for h in found.hits
        ],
    )


# Kinds whose documents carry no URL of their own: the page that shows them, by URL name (the
# search app reverses a name, it imports no app). A hit on a page opens the document at it.
FALLBACK_URL_NAMES = {"archive_page": "archive:document"}
PAGE_PARAM = "pagina"


def hit_url(hit: SearchHit) -> str:
    """Where a hit opens: its own URL, or its kind's page; at the hit's page when it has one."""
    from django.urls import NoReverseMatch, reverse

    url = hit.url
    if not url:
        name = FALLBACK_URL_NAMES.get(hit.kind)
        if name is None:
            return ""
        try:
            url = reverse(name, args=[hit.object_id])
        except NoReverseMatch:
            return ""
    if hit.page is not None and PAGE_PARAM + "=" not in url:
        url += ("&" if "?" in url else "?") + f"{PAGE_PARAM}={hit.page}"
    return url
