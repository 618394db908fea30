"""Text analysis shared by both backends: normalising, CJK bigrams, jieba words, pinyin, the general
vocabulary (synonyms: `standards/synonyms.yaml` plus `catalog/search/vocabulary.yaml`) and the index
vocabulary typos are corrected against. `catalog.search.plan` turns a query into a plan with these.
"""
from __future__ import annotations

import copy
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Collection, Iterable, Mapping, cast

import yaml

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{CJK}]+|[A-Za-z0-9]+")
_CJK_RE = re.compile(rf"[{CJK}]")
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


def search_words(text: str) -> list[str]:
    """jieba's search-mode words of `text` (the shorter words inside longer ones too)."""
    cut_words("")
    return [w for w in _jieba.cut_for_search(text) if w.strip()]


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

    MIN_FUZZY = 3  # a wrong character in a 2-character word changes its meaning too often

    def __init__(self, terms: Iterable[str], *, df: dict[str, int] | None = None) -> None:
        self.terms = {t for t in (normalise(x) for x in terms) if 2 <= len(t) <= MAX_TERM}
        self.df = {normalise(k): v for k, v in (df or {}).items()}
        self._deletes: dict[str, set[str]] = {}
        for term in self.terms:
            if len(term) >= self.MIN_FUZZY and has_cjk(term):
                for key in _deletes(term):
                    self._deletes.setdefault(key, set()).add(term)

    def __contains__(self, term: str) -> bool:
        return term in self.terms

    def changed(self, changes: Iterable[tuple[str, int]], *, fixed: Collection[str] = ()) -> "Vocabulary":
        """This vocabulary after document-frequency changes (term, delta), applied in order as the index applies
        them: a term whose frequency falls to 0 leaves, unless it is one of the `fixed` (standards') terms. Equal to
        the vocabulary built from the changed frequencies, at a cost of the number of changes.

        A new object, because plans are memoised per vocabulary object. `terms` is a new set, because did-you-mean
        iterates it while other threads search. `df` and the deletion index are shared with this object and changed
        entry by entry (a deletion-index entry is replaced, never changed): searches only look them up."""
        new = copy.copy(self)
        terms = set(self.terms)
        for raw, delta in changes:
            term = normalise(raw)
            n = self.df.get(term, 0) + delta
            if n > 0:
                self.df[term] = n
                if term not in terms and 2 <= len(term) <= MAX_TERM:
                    terms.add(term)
                    self._index(term, add=True)
            else:
                self.df.pop(term, None)
                if term in terms and term not in fixed:
                    terms.discard(term)
                    self._index(term, add=False)
        new.terms = terms
        return new

    def _index(self, term: str, *, add: bool) -> None:
        """Add `term` to (or take it out of) the deletion index, replacing each entry it is in."""
        if len(term) < self.MIN_FUZZY or not has_cjk(term):
            return
        for key in _deletes(term):
            entry = self._deletes.get(key, set())
            entry = entry | {term} if add else entry - {term}
            if entry:
                self._deletes[key] = entry
            else:
                self._deletes.pop(key, None)

    def corrections(self, word: str, *, limit: int = 3) -> list[str]:
        """Catalogue terms one edit (substitution, missing or extra character) away from `word`."""
        if len(word) < self.MIN_FUZZY or word in self.terms or not has_cjk(word):
            return []
        found = {t for key in _deletes(word) for t in self._deletes.get(key, ())}
        close = (t for t in found if within_one_edit(word, t))
        return sorted(close, key=lambda t: (abs(len(t) - len(word)), -self.df.get(t, 0), t))[:limit]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Synonym groups from the standards: everyday synonyms plus departments' names, old names, aliases."""

    alternatives: dict[str, tuple[str, ...]]

    @classmethod
    def from_groups(cls, groups: Iterable[Iterable[str]], *, directed: Mapping[str, Iterable[str]] | None = None) -> "Lexicon":
        """Symmetric `groups` (every member stands for the others) plus `directed` everyday words -> official terms."""
        merged: dict[str, set[str]] = {}
        for group in groups:
            members = {normalise(t) for t in group if normalise(t)}
            for term in members:
                merged.setdefault(term, set()).update(members)
        for word, targets in (directed or {}).items():
            key = normalise(word)
            merged.setdefault(key, {key}).update(normalise(t) for t in targets if normalise(t))
        return cls({t: tuple(sorted(alts, key=lambda a: (a != t, -len(a), a))) for t, alts in merged.items()})

    def expand(self, term: str) -> list[str]:
        return list(self.alternatives.get(term, (term,)))

    def __contains__(self, term: str) -> bool:
        return term in self.alternatives


VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")


@lru_cache(maxsize=1)
def general_vocabulary() -> tuple[tuple[tuple[str, ...], ...], dict[str, tuple[str, ...]]]:
    """(groups, everyday) of `vocabulary.yaml`: the general government vocabulary of any region."""
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    groups = tuple(tuple(str(t) for t in g) for g in data.get("groups") or [])
    everyday = {str(k): tuple(str(t) for t in v) for k, v in (data.get("everyday") or {}).items()}
    return groups, everyday


def lexicon_for(standards: Any) -> Lexicon:
    """The synonyms of a loaded `Standards` plus the general vocabulary (built once per standards object).
    Department names, old names and aliases are not synonyms: the planner matches them as whole names only."""
    memo = standards.cache("search")
    if "lexicon" not in memo:
        groups, everyday = general_vocabulary()
        memo["lexicon"] = Lexicon.from_groups([*(list(g) for g in standards.synonyms), *groups], directed=everyday)
    return cast(Lexicon, memo["lexicon"])


def standard_terms(standards: Any) -> list[str]:
    """Terms the standards know (data elements and their aliases): always part of the vocabulary."""
    memo = standards.cache("search")
    if "terms" not in memo:
        terms = [e["name"] for e in standards.elements.values()]
        terms += [a for e in standards.elements.values() for a in e.get("aliases") or []]
        memo["terms"] = terms
    return cast("list[str]", memo["terms"])


def minimal_alternatives(alternatives: list[str]) -> list[str]:
    """The alternatives no other alternative is a substring of: a document matching any alternative matches one
    of these, so matching needs only them (统一社会信用代码, 社会信用代码, 信用代码 -> 信用代码)."""
    return [a for a in alternatives if not any(b != a and b in a for b in alternatives)]


@lru_cache(maxsize=262_144)
def name_words(name: str) -> tuple[str, ...]:
    """The words of a title (jieba), 2..24 characters with Chinese: the index vocabulary typos are corrected to."""
    return tuple(w for w in cut_words(normalise(name)) if 2 <= len(w) <= MAX_TERM and has_cjk(w))
