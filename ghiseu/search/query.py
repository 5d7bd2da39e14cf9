"""A person's search text turned into a Tantivy query, by hand: never raises on odd input.

The text is never given to Tantivy's query parser. Quoted parts ("…", „…”, “…”) become phrase
queries, words become analyzer terms that must appear in the title or the text (the title
counts double), identifiers such as 1234/2026 or a CNP become exact terms, and a leading
minus excludes a word. Anything else (operators, brackets, emoji, control characters) is
dropped by the tokenizer. Input is cut to a sane length first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tantivy

from ghiseu.core.text import fold, normalize_romanian
from ghiseu.search import engine
from ghiseu.search.documents import is_identifier

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 24
MAX_TOKEN_CHARS = 80
TITLE_BOOST = 2.0

_QUOTES = str.maketrans({"„": '"', "”": '"', "“": '"', "«": '"', "»": '"', "‟": '"', "″": '"'})
_PHRASE_RE = re.compile(r'"([^"]*)"')
_EDGE_PUNCT = "()[]{}<>.,;:!?'\"+*~^|&\\`=#@$%"
_OPERATORS = {"AND", "OR", "NOT", "&&", "||"}

# Function words that do not have to appear: "certificat de urbanism" still finds
# "certificatul urbanism" (they help ranking when present).
_FUNCTION_WORDS = [
    "a",
    "al",
    "ale",
    "ai",
    "alor",
    "au",
    "ca",
    "că",
    "ce",
    "cu",
    "cum",
    "de",
    "din",
    "după",
    "el",
    "ea",
    "este",
    "fi",
    "fost",
    "în",
    "între",
    "la",
    "le",
    "lui",
    "mai",
    "nu",
    "o",
    "ori",
    "pe",
    "pentru",
    "prin",
    "privind",
    "sa",
    "să",
    "se",
    "sau",
    "si",
    "și",
    "spre",
    "sub",
    "un",
    "una",
    "unei",
    "unui",
    "iar",
    "ci",
    "cel",
    "cea",
    "cei",
    "cele",
    "care",
    "către",
    "dar",
    "deci",
    "fără",
    "nr",
]
STOP_WORDS = frozenset(fold(w) for w in _FUNCTION_WORDS)


@dataclass
class ParsedQuery:
    """What a search text asks for; empty when nothing searchable remained."""

    words: list[str] = field(default_factory=list)  # analyzer terms, each required
    optional: list[str] = field(default_factory=list)  # stop-word terms, ranking only
    phrases: list[list[str]] = field(default_factory=list)  # analyzer terms in order
    identifiers: list[str] = field(default_factory=list)  # exact tokens (lower-cased)
    excluded_words: list[str] = field(default_factory=list)
    excluded_phrases: list[list[str]] = field(default_factory=list)
    excluded_identifiers: list[str] = field(default_factory=list)

    @property
    def positive(self) -> bool:
        return bool(self.words or self.optional or self.phrases or self.identifiers)

    @property
    def empty(self) -> bool:
        return not (self.positive or self.excluded_words or self.excluded_phrases or self.excluded_identifiers)

    def clause_count(self) -> int:
        return sum(
            len(x)
            for x in (
                self.words,
                self.optional,
                self.phrases,
                self.identifiers,
                self.excluded_words,
                self.excluded_phrases,
                self.excluded_identifiers,
            )
        )


def _clean(text: str) -> str:
    text = normalize_romanian(text or "")[:MAX_QUERY_CHARS]
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text.translate(_QUOTES)


def parse_query(text: str) -> ParsedQuery:
    parsed = ParsedQuery()
    text = _clean(text)

    def full() -> bool:
        return parsed.clause_count() >= MAX_CLAUSES

    # Quoted phrases first; an unbalanced quote is just dropped.
    rest: list[str] = []
    pos = 0
    for match in _PHRASE_RE.finditer(text):
        rest.append(text[pos : match.start()])
        pos = match.end()
        negated = match.start() > 0 and text[match.start() - 1] == "-"
        if negated:
            rest[-1] = rest[-1][:-1]
        terms = engine.analyze(match.group(1))[:MAX_CLAUSES]
        if not terms or full():
            continue
        target_phrases = parsed.excluded_phrases if negated else parsed.phrases
        target_words = parsed.excluded_words if negated else parsed.words
        if len(terms) == 1:
            target_words.append(terms[0])
        else:
            target_phrases.append(terms)
    rest.append(text[pos:])

    for chunk in " ".join(rest).replace('"', " ").split():
        if full():
            break
        negated = chunk.startswith("-") and len(chunk) > 1
        core = chunk.lstrip("-+").strip(_EDGE_PUNCT)
        if not core or core in _OPERATORS or len(core) > MAX_TOKEN_CHARS:
            continue
        if is_identifier(core):
            (parsed.excluded_identifiers if negated else parsed.identifiers).append(core.lower())
            continue
        terms = engine.analyze(core)
        if not terms:
            continue
        if len(terms) > 1:  # e-mail, Nr.123, urbanism/amenajare: the pieces in order
            (parsed.excluded_phrases if negated else parsed.phrases).append(terms[:MAX_CLAUSES])
        elif negated:
            parsed.excluded_words.append(terms[0])
        elif fold(core) in STOP_WORDS:
            parsed.optional.append(terms[0])
        else:
            parsed.words.append(terms[0])

    if parsed.optional and not (parsed.words or parsed.phrases or parsed.identifiers):
        parsed.words, parsed.optional = parsed.optional, []  # only function words: require them
    parsed.words = list(dict.fromkeys(parsed.words))
    parsed.optional = [w for w in dict.fromkeys(parsed.optional) if w not in parsed.words]
    return parsed


# --- Tantivy queries ------------------------------------------------------------------------

Occur = tantivy.Occur
Q = tantivy.Query


def _word(schema: tantivy.Schema, term: str) -> tantivy.Query:
    return Q.boolean_query(
        [
            (Occur.Should, Q.boost_query(Q.term_query(schema, engine.TITLE, term), TITLE_BOOST)),
            (Occur.Should, Q.term_query(schema, engine.BODY, term)),
        ]
    )


def _phrase(schema: tantivy.Schema, terms: list[str]) -> tantivy.Query:
    return Q.boolean_query(
        [
            (Occur.Should, Q.boost_query(Q.phrase_query(schema, engine.TITLE, list(terms)), TITLE_BOOST)),
            (Occur.Should, Q.phrase_query(schema, engine.BODY, list(terms))),
        ]
    )


def _identifier(schema: tantivy.Schema, token: str) -> tantivy.Query:
    return Q.term_query(schema, engine.IDS, token)


def text_query(schema: tantivy.Schema, parsed: ParsedQuery) -> tantivy.Query | None:
    """The scored part; None when the text asked for nothing."""
    if parsed.empty:
        return None
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    clauses += [(Occur.Must, _word(schema, t)) for t in parsed.words]
    clauses += [(Occur.Should, _word(schema, t)) for t in parsed.optional]
    clauses += [(Occur.Must, _phrase(schema, p)) for p in parsed.phrases]
    clauses += [(Occur.Must, _identifier(schema, i)) for i in parsed.identifiers]
    clauses += [(Occur.MustNot, _word(schema, t)) for t in parsed.excluded_words]
    clauses += [(Occur.MustNot, _phrase(schema, p)) for p in parsed.excluded_phrases]
    clauses += [(Occur.MustNot, _identifier(schema, i)) for i in parsed.excluded_identifiers]
    if not parsed.positive:  # only exclusions: everything else
        clauses.append((Occur.Must, Q.all_query()))
    return Q.boolean_query(clauses)


def highlight_query(schema: tantivy.Schema, parsed: ParsedQuery) -> tantivy.Query | None:
    """What to mark in snippets: the words and phrases, and identifiers as their text pieces."""
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for term in parsed.words + parsed.optional:
        clauses.append((Occur.Should, _word(schema, term)))
    for terms in parsed.phrases:
        clauses.append((Occur.Should, _phrase(schema, terms)))
    for ident in parsed.identifiers:
        terms = engine.analyze(ident)
        if len(terms) == 1:
            clauses.append((Occur.Should, _word(schema, terms[0])))
        elif terms:
            clauses.append((Occur.Should, _phrase(schema, terms)))
    return Q.boolean_query(clauses) if clauses else None


def filter_clause(schema: tantivy.Schema, field_name: str, values: list[str] | list[int]) -> tantivy.Query:
    """A yes/no condition that adds nothing to the score."""
    inner = (
        Q.term_query(schema, field_name, values[0])
        if len(values) == 1
        else Q.term_set_query(schema, field_name, list(values))
    )
    return Q.const_score_query(inner, 0.0)
