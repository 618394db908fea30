"""The query planner both backends compile: a free-text query becomes weighted clauses, ranked, never filtered.

    plan = plan_query(q, lexicon=lexicon, vocabulary=vocabulary, departments=departments)
    plan.clauses            # one per word the user typed (jieba words, Latin/digit runs kept whole)
    plan.minimum_should_match

A document matches when at least `minimum_should_match` of the plan's *required* clauses match (OR semantics:
any one of them; documents with more of the words rank first); generic catalogue words (目录, 清单, 信息 …) and
question words only add to the score. Inside a clause any term matches, each with its weight: the word typed
(1.0), the catalogue term one character away (typo), a synonym from the general government vocabulary, a
department stem's current name, the registry's own department (provider field only, and only when the word is
that department's whole name, short name, former name or alias). Synonyms and department names never cut the
query into other words: segmentation is jieba's alone, and an expansion replaces nothing.

Ranking (both backends, same weights): per clause the best term's field-weighted match, times the clause
weight; a phrase boost when the whole query appears in a name; proximity only adds. A known term kept whole also
matches where its parts stand in order a few characters apart (企业设立登记 for 企业登记), at the correction weight.
In a compound of two words typed as one run (水质监测), the second names the kind of thing and weighs less alone. The embedded backend ranks
with `score_document` (over the BM25 top window); Elasticsearch compiles the same terms and weights into one
bool query (`catalog.search.elastic_query`).

相近的资源 (`nearby`): a first page with some hits but fewer than its size also lists, apart from the hits, the best
entries of a `relaxed` plan (each typed word's characters as generic-weight clauses): partial matches a user may
want. The hits, their count and facets stay the plan's own; both backends run the relaxed plan with the same
visibility and filters.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable

from catalog.search.analysis import (
    Lexicon, Vocabulary, cut_words, has_cjk, normalise, search_words, within_one_edit,
)

if TYPE_CHECKING:
    from catalog.search.base import Hit, SearchQuery, SearchResult

FIELD_WEIGHTS: dict[str, float] = {"name": 10.0, "keywords": 6.0, "item_names": 5.0, "abstract": 2.0, "provider": 1.5}
TYPED, CORRECTION, SYNONYM, DEPARTMENT, STEM, BACKOFF = "typed", "correction", "synonym", "department", "stem", "backoff"
NEAR = "near"  # a known term's parts, in order, a few characters apart (企业登记 -> 企业设立登记)
TERM_WEIGHTS = {TYPED: 1.0, STEM: 0.9, CORRECTION: 0.8, SYNONYM: 0.6, DEPARTMENT: 0.8, BACKOFF: 0.6, NEAR: 0.8}
NEAR_GAP = 2  # characters allowed between two parts of a near term
_FIELD_WEIGHT_ITEMS = tuple(FIELD_WEIGHTS.items())
_NAME_WEIGHT, _PROVIDER_WEIGHT = FIELD_WEIGHTS["name"], FIELD_WEIGHTS["provider"]
GENERIC_WEIGHT = 0.15
HEAD_WEIGHT = 0.8  # the last of a two-word compound typed as one run (the kind of thing: 监测 in 水质监测), as a correction
PHRASE_BOOST = 8.0  # the whole query (two or more clauses) as one phrase in the name

# Words of catalogue titles that say nothing about the topic: kept (they still rank) but never required.
GENERIC = frozenset("""
目录 清单 一览表 一览 信息 数据 资料 基本 名单 名录 列表 台账 统计 统计表 报表 表 明细 汇总 情况 基本情况 基本信息 信息表 数据表
数据集 记录 查询 公示 公开 有关 相关 最新 全部 所有 详细 各县 各市 各区 各地 全省 全市 全县 全州 全区 本级
""".split())
# Words of a question typed as a sentence: dropped when anything else is left.
STOP = frozenset("""
我 我想 想 想要 要 查 查一下 查查 一下 看 看看 看一下 找 找一下 请问 请 帮 帮我 哪些 哪里 哪儿 哪个 什么 怎么 怎么样 怎样 如何
多少 几 是 有 有没有 没有 都 的 了 吗 呢 吧 啊 和 与 及 或 在 可以 能 能否 用 给 把 被 关于 一些 这个 那个 每 各 各个
""".split()) | frozenset("的和与及或之在了等年月")
DEPARTMENT_SUFFIXES = ("委员会", "局", "委", "厅", "办", "署", "中心")
_LATIN = re.compile(r"[a-z0-9]+(?:[&.+_-][a-z0-9]+)*")
_SPLIT = re.compile(r"[\s,，、;；。:：/\\|()（）\[\]【】<>《》\"'“”‘’!！?？*=^~`{}]+")
_RUN = re.compile(r"[a-z0-9]+(?:[&.+_-][a-z0-9]+)*|[^a-z0-9]+")
_PINYIN = re.compile(r"^[a-z]{2,40}$")
MAX_MERGE = 4  # jieba words joined back when together they are a known term
_ASKING = re.compile(r"^(?:请问|麻烦|帮我|我想|我要|想要|我需要)+(?:查询|查一下|查查|查|找一下|找|看一下|看看|看|知道|了解)?(?:一下)?")


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    weight: float
    kind: str = TYPED
    provider_only: bool = False  # a registry department's name: matches the provider field only
    department: bool = False  # a department's name (typed 国土局 -> 自然资源): the provider field weighs as a name
    parts: tuple[str, ...] = ()  # a near term: these words in this order, at most NEAR_GAP characters apart

    def found_in(self, text: str) -> bool:
        """Does the term occur in `text` (a near term: its parts in order, close together, on one line)?"""
        if not self.parts:
            return self.text in text
        return self.parts[0] in text and near_pattern(self.parts).search(text) is not None


@dataclass(slots=True)
class Clause:
    typed: str
    terms: list[Term] = field(default_factory=list)
    generic: bool = False
    pinyin: str | None = None  # a Latin word also matches the pinyin of names, keywords, items
    run: int = 0  # which run of Chinese (or Latin) the word was typed in
    head: bool = False  # the second of two specific words typed as one run: the kind of thing, the first the topic
    relaxed: bool = False  # a character of a word typed (`relaxed`): matches on its own, weighs as a generic word

    @property
    def weight(self) -> float:
        return GENERIC_WEIGHT if self.generic or self.relaxed else HEAD_WEIGHT if self.head else 1.0

    def texts(self) -> list[str]:
        return [t.text for t in self.terms if not t.parts]


@dataclass(slots=True)
class QueryPlan:
    q: str
    clauses: list[Clause] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)  # name phrase boosts: the whole query, each word split in parts

    @property
    def empty(self) -> bool:
        return not self.clauses

    @property
    def required(self) -> list[Clause]:
        """The clauses that decide matching: all but the generic ones (all of them when every one is generic)."""
        specific = [c for c in self.clauses if not c.generic]
        return specific or self.clauses

    @property
    def optional(self) -> list[Clause]:
        required = self.required
        return [c for c in self.clauses if c not in required]

    @property
    def minimum_should_match(self) -> int:
        """Any one required clause: the plan never cuts recall, ranking puts documents with more of the words first.
        (Two of three or more cut relevant entries of long questions: 最近的空气质量怎么样 lost 空气城市日数据.)"""
        return 1

    def interpreted(self) -> list[list[str]]:
        return [c.texts() for c in self.clauses]

    def highlight_terms(self) -> list[str]:
        return [t.text for c in self.clauses for t in c.terms if not t.provider_only and not t.parts and not _single_backoff(t)]


# -- understanding ---------------------------------------------------------------------------------------------
def _departments_by_name(departments: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Every whole name a registry department is known by -> its current name."""
    out: dict[str, str] = {}
    for dept in departments:
        current = str(dept.get("name") or "")
        if not current:
            continue
        for n in [current, dept.get("short_name") or "", *(dept.get("former_names") or []), *(dept.get("aliases") or [])]:
            if n:
                out.setdefault(normalise(str(n)), current)
    return out


class Planner:
    """Plans queries against one lexicon (general vocabulary), one vocabulary (the index's terms) and the registry's
    departments. Plans are memoised per query string for one vocabulary object."""

    def __init__(self, *, lexicon: Lexicon, departments: Iterable[dict[str, Any]] = (), memo: int = 4096) -> None:
        self.lexicon = lexicon
        self.departments = _departments_by_name(departments)
        self._size = memo
        self._memo: dict[str, QueryPlan] = {}
        self._vocabulary: Vocabulary | None = None

    def plan(self, q: str, *, vocabulary: Vocabulary) -> QueryPlan:
        if vocabulary is not self._vocabulary:
            self._memo, self._vocabulary = {}, vocabulary
        found = self._memo.get(q)
        if found is None:
            found = plan_query(q, lexicon=self.lexicon, vocabulary=vocabulary, departments=self.departments)
            if len(self._memo) >= self._size:
                self._memo.pop(next(iter(self._memo)), None)
            self._memo[q] = found
        return found


def plan_query(q: str, *, lexicon: Lexicon, vocabulary: Vocabulary | None = None,
               departments: dict[str, str] | None = None) -> QueryPlan:
    """The plan of a free-text query (see the module docstring)."""
    vocab = vocabulary or Vocabulary(())
    depts = departments or {}
    clauses: list[Clause] = []
    runs = 0
    for token in (t for t in _SPLIT.split(normalise(q)) if t):
        for run in _RUN.findall(token):
            run = run.strip("-_&.+ ")
            if not run:
                continue
            runs += 1
            if not has_cjk(run):
                if _LATIN.fullmatch(run) or run.isascii():
                    clauses.append(_latin_clause(run, lexicon))
                    clauses[-1].run = runs
                continue
            run = _ASKING.sub("", run) or run
            for c in _cjk_clauses(run, lexicon=lexicon, vocab=vocab, depts=depts):
                c.run = runs
                clauses.append(c)
    phrases: list[str] = []
    split: list[Clause] = []
    corrected = False
    for c in _dedupe(clauses):
        fixes = [t.text for t in c.terms if t.kind == CORRECTION]
        word = fixes[0] if fixes and c.typed not in vocab else c.typed  # a typo: the parts of its correction
        corrected = corrected or word != c.typed
        parts = [] if c.generic else _parts(word, lexicon=lexicon, depts=depts)
        if parts:
            phrases.append(word)
            for p in parts:
                split.append(_word_clause(p, lexicon=lexicon, vocab=vocab, depts=depts))
                split[-1].run = c.run
        else:
            split.append(c)
    clauses = _dedupe(split)
    meaningful = [c for c in clauses if c.typed not in STOP]
    clauses = meaningful or clauses
    _mark_heads(clauses)
    clauses += [b for c in clauses for b in _backoff(c, lexicon=lexicon, vocab=vocab, depts=depts)]
    clauses = _dedupe(clauses)
    whole = normalise(q).replace(" ", "")
    if len(clauses) > 1 and has_cjk(q) and whole not in phrases and not corrected:
        phrases.insert(0, whole)
    return QueryPlan(q=q, clauses=clauses, phrases=phrases)


def _mark_heads(clauses: list[Clause]) -> None:
    """A compound of two specific words typed as one run (水质监测, 研发投入, 审批项目, 公交线路): the first names the
    topic, the last the kind of thing, so a document holding only the last one matches less (HEAD_WEIGHT). Longer
    runs are phrases or sentences (药店可以用医保卡买药), whose last word need not be the head: left as they are."""
    by_run: dict[int, list[Clause]] = {}
    for c in clauses:
        if not c.generic and has_cjk(c.typed):
            by_run.setdefault(c.run, []).append(c)
    for words in by_run.values():
        if len(words) == 2:
            words[-1].head = True


def relaxed(plan: QueryPlan) -> QueryPlan | None:
    """The plan, plus each required Chinese word's characters as clauses of their own that match (a unigram index's
    recall) but weigh as generic words, so they rank after the words themselves; None when there is none to add."""
    words = {c.typed for c in plan.clauses if not c.generic}
    chars: dict[str, Clause] = {}
    for c in plan.required:
        if c.generic or len(c.typed) < 2 or not has_cjk(c.typed):
            continue
        for ch in c.typed:
            if has_cjk(ch) and ch not in words and ch not in STOP and ch not in chars:
                chars[ch] = Clause(ch, [Term(ch, TERM_WEIGHTS[TYPED], BACKOFF)], run=c.run, relaxed=True)
    if not chars:
        return None
    kept = [c for c in plan.clauses if c.typed not in chars]  # a character already there as an optional back-off
    return QueryPlan(q=plan.q, clauses=[*kept, *chars.values()], phrases=plan.phrases)


def nearby(query: SearchQuery, plan: QueryPlan, result: SearchResult,
           run: Callable[[QueryPlan, SearchQuery], SearchResult]) -> list[Hit]:
    """相近的资源: when the first page ranked by relevance holds some hits but fewer than the page size, up to
    (size - hits) entries of the `relaxed` plan that are not hits, in its order (the plan never cuts recall, and
    the hits, count and facets stay the plan's own). `run` is the backend's search of one plan: the same
    visibility and filters apply. Nothing found stays nothing: "did you mean" answers it."""
    room = query.size - len(result.hits)
    if query.sort != "relevance" or query.page != 1 or room <= 0 or not result.hits:
        return []
    wider = relaxed(plan)
    if wider is None:
        return []
    seen = {h.code for h in result.hits}  # `size` relaxed matches hold at most len(hits) of them: room is filled
    more = run(wider, replace(query, facets=False, highlight=False))
    return [h for h in more.hits if h.code not in seen][:room]


def _backoff(c: Clause, *, lexicon: Lexicon, vocab: Vocabulary, depts: dict[str, str]) -> list[Clause]:
    """A Chinese word the catalogue does not know (a wrong character in a short word, a form no entry uses) backs
    off to what it is made of: the known words inside it join its clause (低保户 -> 低保), and its single characters
    become optional clauses that only add to the score (急症 -> 急, 症: 急诊挂号 ranks above 挂号明细), as a unigram
    index would. Nothing happens without a vocabulary, or for a word the vocabulary, the lexicon or the registry
    knows, or one that already has a synonym or a department stem."""
    word = c.typed
    if (not vocab.terms or c.generic or not has_cjk(word) or word in vocab or word in lexicon or word in depts
            or any(t.kind in (SYNONYM, STEM, DEPARTMENT) for t in c.terms)):
        return []
    if len(word) > 3 and any(t.kind == CORRECTION for t in c.terms):
        return []  # one character off in four or more: the correction is the word meant, its parts are not
    inside = sorted({w for w in search_words(word) if 2 <= len(w) < len(word) and w in vocab}, key=len, reverse=True)
    c.terms = _unique([*c.terms, *(Term(w, TERM_WEIGHTS[BACKOFF], BACKOFF) for w in inside)])
    if len(word) > 3 or any(t.text in vocab for t in c.terms):
        return []
    return [Clause(ch, [Term(ch, TERM_WEIGHTS[TYPED], BACKOFF)], generic=True) for ch in word if has_cjk(ch)]


def _parts(word: str, *, lexicon: Lexicon, depts: dict[str, str]) -> list[str]:
    """A long word the general vocabulary does not know, as the shorter words that tile it (公交线路 -> 公交 线路):
    matching the parts keeps 公交车线路 in reach; the whole word stays as a phrase boost."""
    if word in lexicon or word in depts:
        return []
    return _tiling(word)


def _tiling(word: str) -> list[str]:
    """The fewest of jieba's search-mode words (two or more characters) that tile a word of four or more, else []."""
    if len(word) < 4 or not has_cjk(word):
        return []
    pieces = {w for w in search_words(word) if 2 <= len(w) < len(word)}
    best: dict[int, list[str]] = {0: []}
    for i in range(len(word)):
        if i not in best:
            continue
        for p in pieces:
            if word.startswith(p, i) and (i + len(p) not in best or len(best[i]) + 1 < len(best[i + len(p)])):
                best[i + len(p)] = [*best[i], p]
    return best.get(len(word), [])


def _latin_clause(run: str, lexicon: Lexicon) -> Clause:
    terms = [Term(run, TERM_WEIGHTS[TYPED])]
    terms += [Term(a, TERM_WEIGHTS[SYNONYM], SYNONYM) for a in lexicon.expand(run) if a != run]
    return Clause(run, terms, pinyin=run if _PINYIN.match(run) else None)


def is_generic(word: str) -> bool:
    """A generic catalogue word, or one made only of them (统计数据 = 统计 + 数据)."""
    if word in GENERIC:
        return True
    ends = {0}
    for i in range(len(word)):
        if i in ends:
            ends |= {i + len(g) for g in GENERIC if word.startswith(g, i)}
    return len(word) in ends


def _cjk_clauses(run: str, *, lexicon: Lexicon, vocab: Vocabulary, depts: dict[str, str]) -> list[Clause]:
    """jieba's words of one run of Chinese, neighbours joined back where together they are a known term (or one
    edit from one: a typo splits a word into single characters); never cut at a synonym's boundary."""
    words = cut_words(run)
    odd = any(len(w) == 1 or w not in vocab for w in words)  # a typo leaves single characters or unknown words
    if len(words) == 1 or run in lexicon or run in depts or (
            odd and run not in vocab and len(run) <= 6 and vocab.corrections(run)):
        return [_word_clause(run, lexicon=lexicon, vocab=vocab, depts=depts)]
    out: list[Clause] = []
    i = 0
    while i < len(words):
        step = 1
        for j in range(min(len(words), i + MAX_MERGE), i + 1, -1):
            parts = words[i:j]
            if any(w in STOP for w in parts):  # a function word is a boundary, never part of a term
                continue
            piece = "".join(parts)
            if piece in lexicon or piece in depts or (
                    any(len(w) == 1 or w not in vocab for w in parts) and vocab.corrections(piece)):
                step = j - i
                break
        out.append(_word_clause("".join(words[i:i + step]), lexicon=lexicon, vocab=vocab, depts=depts))
        i += step
    return out


def _word_clause(word: str, *, lexicon: Lexicon, vocab: Vocabulary, depts: dict[str, str]) -> Clause:
    stem = _department_stem(word, lexicon)
    dept = bool(stem) or word in depts
    terms = [Term(word, TERM_WEIGHTS[TYPED], department=dept)]
    if word in depts:
        terms.append(Term(depts[word], TERM_WEIGHTS[DEPARTMENT], DEPARTMENT, provider_only=True))
    if stem:
        terms.append(Term(stem, TERM_WEIGHTS[STEM], STEM, department=True))
    for alt in lexicon.expand(stem or word):
        if alt != word and alt != stem:
            terms.append(Term(alt, TERM_WEIGHTS[SYNONYM], SYNONYM, department=dept))
    if len(terms) == 1 and word not in vocab:
        terms += [Term(fix, TERM_WEIGHTS[CORRECTION], CORRECTION) for fix in vocab.corrections(word)]
    parts = _tiling(word) if word in lexicon else []
    if len(parts) > 1:  # a known term kept whole: its parts with a few characters between still say it (企业设立登记)
        terms.append(Term(word, TERM_WEIGHTS[NEAR], NEAR, department=dept, parts=tuple(parts)))
    return Clause(word, _unique(terms), generic=is_generic(word))


@lru_cache(maxsize=4096)
def near_pattern(parts: tuple[str, ...]) -> re.Pattern[str]:
    """The parts in order, at most NEAR_GAP characters (not a line break: one value of a field) between two."""
    return re.compile(f"[^\n]{{0,{NEAR_GAP}}}".join(re.escape(p) for p in parts))


def _single_backoff(t: Term) -> bool:
    return t.kind == BACKOFF and len(t.text) == 1


def _department_stem(word: str, lexicon: Lexicon) -> str | None:
    """环保局 -> 环保, 卫计委 -> 卫计: a department word whose stem the general vocabulary knows."""
    for suffix in DEPARTMENT_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2 and stem in lexicon:
            return stem
    return None


def _unique(terms: list[Term]) -> list[Term]:
    seen: set[str] = set()
    out = []
    for t in terms:
        key = t.text + ("\0p" if t.provider_only else "") + ("\0n" if t.parts else "")
        if t.text and key not in seen:
            seen.add(key)
            out.append(t)
    return out


def _dedupe(clauses: list[Clause]) -> list[Clause]:
    seen: set[str] = set()
    out = []
    for c in clauses:
        if c.typed not in seen:
            seen.add(c.typed)
            out.append(c)
    return out


def pinyin_prefix(prefix: str) -> str | None:
    """The pinyin a typed-ahead prefix stands for (Latin letters, spaces ignored), else None (suggest by name)."""
    compact = prefix.strip().lower().replace(" ", "")
    return compact if compact.isascii() and compact.isalpha() else None


# -- ranking (the embedded backend; Elasticsearch compiles the same weights) ----------------------------------
def document_fields(doc: dict[str, Any]) -> dict[str, str]:
    """The text fields of a stored document, normalised as queries are; a field's values joined by a line break
    (no term holds one), so a term is looked up with one `in` per field."""
    items = [*(doc.get("item_names") or []), *(doc.get("item_identifiers") or [])]
    return {
        "name": normalise(doc.get("name") or ""),
        "keywords": normalise("\n".join(doc.get("keywords") or [])),
        "item_names": normalise("\n".join(items)),
        "abstract": normalise(doc.get("abstract") or ""),
        "provider": normalise(doc.get("provider") or ""),
    }


def clause_score(clause: Clause, fields: dict[str, str]) -> float:
    """The best term's weight times the weights of the fields it appears in."""
    best = 0.0
    provider = fields["provider"]
    for term in clause.terms:
        text = term.text
        if term.provider_only:
            s = _PROVIDER_WEIGHT * 2 if text in provider else 0.0
        elif term.parts:
            s = 0.0
            for f, w in _FIELD_WEIGHT_ITEMS:
                if term.found_in(fields[f]):
                    s += w
            if term.department and term.found_in(provider):
                s += _NAME_WEIGHT
        else:
            s = 0.0
            for f, w in _FIELD_WEIGHT_ITEMS:  # a loop, not sum() over a generator: this runs per term per document
                if text in fields[f]:
                    s += w
            if term.department and text in provider:
                s += _NAME_WEIGHT
        best = max(best, s * term.weight)
    return best * clause.weight


def score_document(plan: QueryPlan, fields: dict[str, str], *, bm25: float = 0.0) -> float:
    """Field-weighted clause matches + the name phrase boost; a short name that is mostly the query ranks first;
    BM25 (from the engine, smaller is better in FTS5, passed as a positive number) breaks ties."""
    score = sum(clause_score(c, fields) for c in plan.clauses)
    name = fields["name"]
    score += sum(PHRASE_BOOST for p in plan.phrases if p in name)
    if score and name:
        covered = sum(len(c.typed) for c in plan.clauses if not c.generic and c.typed in name)
        score += 2.0 * covered / max(len(name), 1)  # a name that is mostly the query
    return score + min(bm25, 50.0) / 50.0


# -- empty results ------------------------------------------------------------------------------------------------
def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def did_you_mean(plan: QueryPlan, vocabulary: Vocabulary, *, limit: int = 5) -> list[str]:
    """Catalogue terms close to the words typed (one edit, else the most shared character pairs)."""
    out: list[str] = []
    for clause in plan.required:
        word = clause.typed
        if not has_cjk(word):
            continue
        close = [t for t in vocabulary.terms if abs(len(t) - len(word)) <= 1 and within_one_edit(word, t)]
        if not close:
            grams = _bigrams(word)
            scored = sorted(((len(grams & _bigrams(t)) / math.sqrt(len(_bigrams(t))), t) for t in vocabulary.terms
                             if grams & _bigrams(t)), reverse=True)
            close = [t for s, t in scored[:limit] if s > 0]
        out += close
    return list(dict.fromkeys(out))[:limit]


def related_terms(plan: QueryPlan, *, limit: int = 8) -> list[str]:
    """The synonyms and department names the plan knows for the words typed (offered on an empty result)."""
    return list(dict.fromkeys(t.text for c in plan.clauses for t in c.terms
                              if t.kind not in (TYPED, NEAR) and not _single_backoff(t)))[:limit]


def explain(result: SearchResult, plan: QueryPlan, vocabulary: Vocabulary) -> SearchResult:
    """What both backends add to a result: the plan's clauses, and on an empty result "did you mean" + related terms."""
    result.interpreted = plan.interpreted()
    if result.count == 0 and not plan.empty:
        result.did_you_mean = did_you_mean(plan, vocabulary)
        result.related = related_terms(plan)
    return result
