"""Query understanding shared by both backends: synonyms, old department names, one wrong character, pinyin.

    groups = understand(q, lexicon=lexicon_for(standards), vocabulary=backend_vocabulary)

A query becomes a list of `Group`s: every group must match (AND; backends relax to OR when nothing
matches); inside a group any alternative may match (the words typed, their synonyms from
`standards/synonyms.yaml`, a department's current name for an old name or alias, the catalogue term
one character away). A group typed in Latin letters also matches the pinyin (initials or full) of
names, keywords and information items (`tyshxydm` -> 统一社会信用代码).
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{CJK}]+|[A-Za-z0-9]+")
_SPLIT = re.compile(r"[\s,，、;；。:：/\\|()（）\[\]【】<>《》\"'“”‘’!！?？*+\-=&^~`{{}}]+")
_CJK_RE = re.compile(rf"[{CJK}]")
_PINYIN_QUERY = re.compile(r"^[a-z]{2,40}$")
STOP_CHARS = frozenset("的和与及或之在了等")
MAX_TERM = 24


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lower()


def bigram_tokens(text: str) -> list[str]:
    """CJK runs as overlapping bigrams (a lone character as itself), other runs as lowercase words.

    The embedded backend stores and queries this form, which makes any substring of two or more
    characters an exact phrase match (like the `cjk_bigram` filter of Elasticsearch).
    """
    return list(_bigrams(text))


@lru_cache(maxsize=65_536)  # item names, keywords and providers repeat across the catalogue
def _bigrams(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for run in _RUNS.findall(normalise(text)):
        if has_cjk(run[0]):
            out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
        else:
            out.append(run)
    return tuple(out)


_CJK_RUNS = re.compile(rf"[{CJK}]+")


@lru_cache(maxsize=262_144)
def _run_pinyin(run: str) -> tuple[str, str]:
    """(initials, full pinyin) of one run of Chinese characters (pypinyin segments phrases within a run)."""
    from pypinyin import Style, lazy_pinyin

    initials = "".join(p[0] for p in lazy_pinyin(run, style=Style.FIRST_LETTER, errors="ignore") if p)
    full = "".join(lazy_pinyin(run, errors="ignore"))
    return re.sub(r"[^a-z0-9]", "", initials.lower()), re.sub(r"[^a-z0-9]", "", full.lower())


@lru_cache(maxsize=65_536)
def pinyin_forms(term: str) -> tuple[str, ...]:
    """(initials, full pinyin) of a Chinese term, lowercase ASCII; () when it has no Chinese.

    Computed per run of Chinese characters and cached per run (pypinyin ignores everything else), so a
    catalogue of names that share their parts (企业登记基本信息（市场主体）第123批) costs little to index.
    """
    runs = _CJK_RUNS.findall(term)
    if not runs:
        return ()
    parts = [_run_pinyin(r) for r in runs]
    initials = "".join(p[0] for p in parts)
    full = "".join(p[1] for p in parts)
    return tuple(dict.fromkeys(x for x in (initials, full) if len(x) >= 2))


def pinyin_tokens(terms: Iterable[str]) -> list[str]:
    """Every pinyin form of the given terms (for the per-document pinyin field)."""
    return list(dict.fromkeys(p for t in terms if t for p in pinyin_forms(t[:MAX_TERM])))


_jieba_lock = threading.Lock()
_jieba: Any = None


def cut_words(text: str) -> list[str]:
    """jieba words of `text` (initialised once, lazily and quietly; ~1 s the first time)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return [w for w in _jieba.lcut(text) if w.strip()]


def within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        return sum(x != y for x, y in zip(a, b)) == 1
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _deletes(term: str) -> set[str]:
    return {term} | {term[:i] + term[i + 1 :] for i in range(len(term))}


class Vocabulary:
    """Catalogue terms (item names, keywords, standard terms) and a deletion index for one-edit fixes."""

    MIN_FUZZY = 4  # a wrong character in a 2- or 3-character word changes its meaning too often

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = {t for t in (normalise(x) for x in terms) if 2 <= len(t) <= MAX_TERM}
        self._deletes: dict[str, set[str]] = {}
        for term in self.terms:
            if len(term) >= self.MIN_FUZZY and has_cjk(term):
                for key in _deletes(term):
                    self._deletes.setdefault(key, set()).add(term)

    def __contains__(self, term: str) -> bool:
        return term in self.terms

    def corrections(self, word: str, *, limit: int = 3) -> list[str]:
        """Catalogue terms one edit (substitution, missing or extra character) away from `word`."""
        if len(word) < self.MIN_FUZZY or word in self.terms or not has_cjk(word):
            return []
        found = {t for key in _deletes(word) for t in self._deletes.get(key, ())}
        return sorted((t for t in found if within_one_edit(word, t)), key=lambda t: (abs(len(t) - len(word)), t))[
            :limit
        ]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Synonym groups from the standards: everyday synonyms plus departments' names, old names, aliases."""

    alternatives: dict[str, tuple[str, ...]]

    @classmethod
    def from_groups(cls, groups: Iterable[Iterable[str]]) -> "Lexicon":
        merged: dict[str, set[str]] = {}
        for group in groups:
            members = {normalise(t) for t in group if normalise(t)}
            for term in members:
                merged.setdefault(term, set()).update(members)
        return cls({t: tuple(sorted(alts, key=lambda a: (a != t, -len(a), a))) for t, alts in merged.items()})

    def expand(self, term: str) -> list[str]:
        return list(self.alternatives.get(term, (term,)))

    def __contains__(self, term: str) -> bool:
        return term in self.alternatives


def lexicon_for(standards: Any) -> Lexicon:
    """The lexicon of a loaded `Standards` (built once per standards object)."""
    memo = standards.cache("search")
    if "lexicon" not in memo:
        groups: list[list[str]] = [list(g) for g in standards.synonyms]
        for dept in standards.departments.values():
            names = [dept["name"], dept.get("short_name") or ""]
            groups.append(names + list(dept.get("former_names") or []) + list(dept.get("aliases") or []))
        memo["lexicon"] = Lexicon.from_groups(groups)
    return memo["lexicon"]


def standard_terms(standards: Any) -> list[str]:
    """Terms the standards know (data elements and their aliases): always part of the vocabulary."""
    memo = standards.cache("search")
    if "terms" not in memo:
        terms = [e["name"] for e in standards.elements.values()]
        terms += [a for e in standards.elements.values() for a in e.get("aliases") or []]
        memo["terms"] = terms
    return memo["terms"]


@dataclass(slots=True)
class Group:
    """One part of the query: any alternative may match; `pinyin` also matches the pinyin field."""

    typed: str
    alternatives: list[str] = field(default_factory=list)
    pinyin: str | None = None


def _segments(token: str, known: Any) -> list[tuple[str, bool]]:
    """Greedy longest match of known terms; unknown stretches come back whole (flag False)."""
    out: list[tuple[str, bool]] = []
    pending = ""
    i = 0
    while i < len(token):
        for size in range(min(MAX_TERM, len(token) - i), 1, -1):
            piece = token[i : i + size]
            if known(piece):
                if pending:
                    out.append((pending, False))
                    pending = ""
                out.append((piece, True))
                i += size
                break
        else:
            pending += token[i]
            i += 1
    if pending:
        out.append((pending, False))
    return out


def understand(q: str, *, lexicon: Lexicon, vocabulary: Vocabulary | None = None) -> list[Group]:
    """The groups of a free-text query (see the module docstring)."""
    vocab = vocabulary or Vocabulary(())
    groups: list[Group] = []
    for token in (t for t in _SPLIT.split(normalise(q)) if t):
        if not has_cjk(token):
            pinyin = token if _PINYIN_QUERY.match(token) else None
            groups.append(Group(token, [token], pinyin))
            continue
        whole = [token] if token in lexicon or token in vocab else None
        segments = [(token, True)] if whole else _segments(token, lambda s: s in lexicon or s in vocab)
        for piece, known in segments:
            if known:
                groups.append(Group(piece, lexicon.expand(piece)))
                continue
            fixes = vocab.corrections(piece)
            if fixes or len(piece) < 4 or not has_cjk(piece):
                if len(piece) == 1 and piece in STOP_CHARS and len(segments) > 1:
                    continue
                groups.append(Group(piece, [piece, *fixes]))
                continue
            for word in cut_words(piece):
                if len(word) == 1 and word in STOP_CHARS:
                    continue
                groups.append(Group(word, lexicon.expand(word) if word in lexicon else [word, *vocab.corrections(word)]))
    return _dedupe(groups)


def _dedupe(groups: list[Group]) -> list[Group]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for g in groups:
        key = tuple(g.alternatives)
        if key not in seen:
            seen.add(key)
            g.alternatives = list(dict.fromkeys(a for a in g.alternatives if a))
            out.append(g)
    return out


def minimal_alternatives(alternatives: list[str]) -> list[str]:
    """The alternatives no other alternative is a substring of: a document matching any alternative matches one
    of these, so matching needs only them (统一社会信用代码, 社会信用代码, 信用代码 -> 信用代码)."""
    return [a for a in alternatives if not any(b != a and b in a for b in alternatives)]


class QueryCache:
    """Understood queries by query string (jieba, synonyms, corrections and pinyin computed once per string),
    valid for one vocabulary: cleared when the backend's vocabulary object changes. Groups are read-only."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._vocabulary: Vocabulary | None = None
        self._memo: dict[str, list[Group]] = {}

    def groups(self, q: str, *, lexicon: Lexicon, vocabulary: Vocabulary) -> list[Group]:
        if not q.strip():
            return []
        if vocabulary is not self._vocabulary:
            self._memo = {}
            self._vocabulary = vocabulary
        memo = self._memo
        found = memo.get(q)
        if found is None:
            found = understand(q, lexicon=lexicon, vocabulary=vocabulary)
            if len(memo) >= self.size:
                memo.pop(next(iter(memo)), None)
            memo[q] = found
        return found
