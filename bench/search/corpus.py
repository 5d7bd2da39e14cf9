"""A synthetic but realistic Romanian corpus for the search benchmark.

Words come from Debian's hunspell-ro dictionary (/usr/share/hunspell/ro_RO.dic: base and
inflected forms; the affix flags after '/' are stripped), ranked behind a head of common
administrative and function words and drawn with a Zipf distribution, so a few words are
everywhere and most are rare, as in real text. About 10% of the documents are written with
cedilla ş ţ (as OCR and old systems write them). Documents carry registration numbers,
some CNP-like and cadastral numbers, years, departments, file codes and access classes.
Everything is deterministic for a given seed.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HUNSPELL_DIC = Path("/usr/share/hunspell/ro_RO.dic")


def _words(text: str) -> list[str]:
    return text.split()


# The head of the distribution: what city-hall text is made of.
COMMON = _words(
    "de și la în a cu pentru privind din pe nr al care să se prin este sunt privind conform "
    "cererea cerere dosarul dosar primăria primăriei municipiului consiliul local hotărârea hotărârii "
    "registratură documentul documentele taxa taxe impozit impozitul teren terenul construcție "
    "autorizație autorizația certificat certificatul urbanism stradă strada numărul anul data "
    "solicitantul petentul domiciliat județul comunicare răspuns adresa termen zile lucrătoare "
    "serviciul direcția compartimentul bugetul buget proiect proiectul contract contractul plata "
    "chitanța proprietar proprietarul imobil imobilul cadastral extras carte funciară legea articolul"
)

DEPARTMENTS = ("URB", "TAX", "REG", "JUR", "SOC", "ACH", "RU", "FIN", "ARH", "STC", "PMP", "CAD")
FILE_CODES = tuple(f"{roman}/{letter}/{n}" for roman in ("I", "II", "III", "IV") for letter in "ABC" for n in (1, 2, 4))
# kind, share of the documents, typical length in words
KINDS = ("archive_page", "registry_entry", "petition", "request")
KIND_SHARES = (0.60, 0.25, 0.10, 0.05)
KIND_WORDS = {"archive_page": 420, "registry_entry": 60, "petition": 220, "request": 140}
CEDILLA = str.maketrans({"ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ"})
FALLBACK = _words(
    "administrativ adeverință anexă aviz beneficiar cadastru cetățean comisie concesiune consilier "
    "declarație decizie dispoziție document evidență funcționar garanție informații inspecție "
    "locuință mediu notificare obiectiv ordin parcelă patrimoniu persoană plan regulament salariu "
    "secretar semnătură situație sprijin subvenție transport unitate utilități verificare vânzare"
)


def load_vocabulary(path: Path = HUNSPELL_DIC, seed: int = 7) -> list[str]:
    """The words, most frequent first: the common head, then the dictionary shuffled."""
    words: list[str] = []
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            next(fh, None)  # the first line is the word count
            for line in fh:
                word = line.split("/", 1)[0].strip()
                if 2 <= len(word) <= 20 and word.isalpha() and word[0].islower():
                    words.append(word)
    else:
        words = list(FALLBACK)
    rest = sorted(set(words) - set(COMMON))
    random.Random(seed).shuffle(rest)
    return list(dict.fromkeys(COMMON)) + rest


class Zipf:
    """Draws words with probability proportional to 1 / rank^s."""

    def __init__(self, vocabulary: list[str], s: float = 1.05) -> None:
        self.words = vocabulary
        self.cum = list(itertools.accumulate(1.0 / (rank**s) for rank in range(1, len(vocabulary) + 1)))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)


@dataclass(frozen=True)
class Corpus:
    documents: list[dict[str, Any]]
    vocabulary: list[str]

    @property
    def text_bytes(self) -> int:
        return sum(len(d["title"].encode()) + len(d["text"].encode()) for d in self.documents)


def _sentence_case(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _body(rng: random.Random, zipf: Zipf, n_words: int, year: int) -> str:
    words = zipf.draw(rng, n_words)
    # identifiers a clerk would search for
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words) + 1), f"nr. {rng.randint(1, 9999)}/{year}")
    if rng.random() < 0.05:
        cnp = f"{rng.choice('1256')}{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        words.insert(rng.randrange(len(words) + 1), f"CNP {cnp}{rng.randint(0, 999999):06d}")
    if rng.random() < 0.05:
        words.insert(rng.randrange(len(words) + 1), f"nr. cadastral {rng.randint(60000, 69999)}")
    sentences = []
    pos = 0
    while pos < len(words):
        size = rng.randint(6, 18)
        sentences.append(_sentence_case(words[pos : pos + size]) + ".")
        pos += size
    return " ".join(sentences)


def iter_documents(n: int, *, seed: int = 1, vocabulary: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """`n` keyword dicts for `make_document`/`search_index_document`."""
    vocabulary = vocabulary or load_vocabulary()
    zipf = Zipf(vocabulary)
    rng = random.Random(seed)
    for i in range(n):
        kind = rng.choices(KINDS, weights=KIND_SHARES)[0]
        year = rng.randint(1990, 2026)
        dept = rng.choice(DEPARTMENTS)
        n_words = max(8, int(rng.lognormvariate(0, 0.5) * KIND_WORDS[kind]))
        title = _sentence_case(zipf.draw(rng, rng.randint(4, 10)))
        text = _body(rng, zipf, n_words, year)
        if rng.random() < 0.10:
            title, text = title.translate(CEDILLA), text.translate(CEDILLA)
        roll = rng.random()
        if roll < 0.30:
            access, allowed = "public", ["*"]
        elif roll < 0.80:
            access, allowed = "internal", ["*"] if rng.random() < 0.7 else [dept]
        elif roll < 0.95:
            access, allowed = "confidential", [dept]
        else:
            access, allowed = "personal", [dept, "REG"]
        yield {
            "kind": kind,
            "object_id": i,
            "page": rng.randint(1, 40) if kind == "archive_page" else None,
            "title": title,
            "text": text,
            "year": year,
            "department": dept,
            "file_code": rng.choice(FILE_CODES),
            "access": access,
            "departments": allowed,
            "url": f"/{kind}/{i}/",
        }


def build(n: int, *, seed: int = 1) -> Corpus:
    vocabulary = load_vocabulary()
    return Corpus(documents=list(iter_documents(n, seed=seed, vocabulary=vocabulary)), vocabulary=vocabulary)
