"""The hostile-input corpus: one table of cases, each a payload, the door it is thrown at, and what must come back.

Payloads are built here (bombs and 10 MB bodies would be silly to keep in git); `python -m
tests.hostile.corpus DIR` writes every payload to DIR as a file for manual use (curl, `mulu validate`).

Doors: create / validate / bulk / import / search / list / read / update (the API, as a steward of
330782101), get (a raw path and query, as an admin; HTML pages too), upload (the web upload form, signed
in as the steward) and cli-validate / cli-audit / cli-import (`mulu ...` on a file named `filename`).
share (POST /share-requests as the steward).
`extra`: "max_findings" bounds the findings of a 200 answer, "count" the rows of a listing.
`expect`: HTTP statuses or CLI exit codes accepted; `says`: a regex the message (or findings) must match.
"""
from __future__ import annotations

import copy
import json
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from api.examples import RECORD

MB = 1024 * 1024
DEEP = 100_000  # nesting levels of the deep documents


@dataclass(frozen=True)
class Case:
    id: str
    door: str
    payload: Any  # bytes (a body / file) or str (a query / path)
    expect: tuple[int, ...]
    says: str = ""
    content_type: str = "application/json"
    filename: str = "record.yaml"
    extra: dict[str, Any] = field(default_factory=dict)


def record(**changes: Any) -> dict[str, Any]:
    r = copy.deepcopy(RECORD)
    r.update(changes)
    return r


def js(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def yml(value: Any) -> bytes:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True).encode("utf-8")


BILLION_LAUGHS = b"""a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
name: *i
"""
# Few aliases, each expanding a lot: the node count guard, not the alias count guard.
QUADRATIC_BLOWUP = b"a: &a [" + b",".join([b'"' + b"x" * 50 + b'"'] * 5000) + b"]\nb: [" + b",".join([b"*a"] * 90) + b"]\n"


@cache
def deep_json() -> bytes:
    return b'{"name":' + b"[" * DEEP + b"]" * DEEP + b"}"


@cache
def deep_yaml_flow() -> bytes:
    return b"name: " + b"[" * DEEP + b"]" * DEEP + b"\n"


@cache
def deep_yaml_block() -> bytes:
    return b"- " * DEEP + b"x\n"


@cache
def ten_mb_json() -> bytes:
    return js(record(abstract="长" * (10 * MB // 3)))


@cache
def ten_mb_yaml() -> bytes:
    return yml(record(name="名" * (10 * MB // 3)))


@cache
def gbk_yaml() -> bytes:
    return yml(record()).decode("utf-8").encode("gbk")


@cache
def invalid_utf8() -> bytes:
    return js(record())[:40] + b"\xff\xfe\xc3\x28" + js(record())[40:]


@cache
def nul_raw() -> bytes:
    return js(record()).replace("企业登记基本信息".encode(), "企业\x00登记".encode(), 1)


@cache
def dcat(**dataset: Any) -> bytes:
    return js({"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": [dataset]})


def nested_dataset_json() -> bytes:
    return b'{"dataset":[' + b"[" * DEEP + b"]" * DEEP + b"]}"


def _wrong_types() -> list[Case]:
    """Every field with a value of the wrong type: 422 naming the field's JSON pointer."""
    out = []
    for field_name, value, ptr in [
        ("name", ["企业", "登记"], "/name"), ("name", 42, "/name"), ("classification", 102001, "/classification"),
        ("provider_code", 330782101, "/provider_code"), ("abstract", {"text": "x"}, "/abstract"),
        ("keywords", "企业登记", "/keywords"), ("format", "数据库", "/format"), ("items", "统一社会信用代码", "/items"),
        ("share", 1, "/share"), ("open", [], "/open"), ("update_cycle", True, "/update_cycle"),
        ("published_on", 20240301, "/published_on"), ("related", "101001/000001", "/related"),
        ("interface", "https://x", "/interface"),
    ]:
        out.append(Case(f"wrong-type-{field_name}-{type(value).__name__}", "create", js(record(**{field_name: value})),
                        (422,), says=ptr))
    out.append(Case("wrong-type-item-length-string", "create",
                    js(record(items=[{**RECORD["items"][0], "length": "十八"}])), (422,), says="/items/0/length"))
    out.append(Case("wrong-type-share-method-number", "create",
                    js(record(share={"type": "无条件共享", "method": 7})), (422,), says="/share/method"))
    return out


HUGE = "9223372036854775808"  # 2**63: one past the largest database integer


def _security_cases() -> list[Case]:
    """The requests of issue 12 (security and integrity): each hung, froze, leaked or 500ed before."""
    from tests.security import payloads

    lists = ["/api/v1/resources", "/api/v1/audit-log", "/api/v1/share-requests", "/api/v1/grants",
             "/api/v1/feedback"]
    return [
        Case("yaml-self-reference", "create", payloads.SELF_REFERENCE_YAML, (400,), "锚点", "application/yaml"),
        Case("validate-self-reference", "validate", payloads.SELF_REFERENCE_YAML, (400,), "锚点", "application/yaml"),
        Case("update-self-reference", "update", payloads.SELF_REFERENCE_YAML, (400,), "锚点", "application/yaml"),
        Case("upload-self-reference", "upload", payloads.SELF_REFERENCE_YAML, (200,), "锚点"),  # the form again
        Case("validate-1.9mb-yaml-one-anchor", "validate", payloads.big_yaml_one_anchor(), (400,), "锚点",
             "application/yaml"),
        Case("validate-3000-unknown-keys", "validate", payloads.unknown_keys_json(), (200,), "另有 2950 处",
             extra={"max_findings": 60}),
        Case("create-12000-keys", "create", js(record(**{f"k{i}": 1 for i in range(12_000)})), (400,), "键"),
        Case("create-200k-char-abstract", "create", js(record(abstract="长" * 200_000)), (422,), "/abstract"),
        Case("create-bidi-override-name", "create", js(record(name="企业登记‮息信本基")), (422,), "/name.*双向"),
        Case("bulk-squat-999999", "bulk", js([record(name="抢注顺序号", code="102001/999999")]), (200,), "/code"),
        Case("import-xlsx-40mb-cell", "import", payloads.xlsx_huge_cell(40), (400,), "过大", filename="big.xlsx"),
        Case("import-xlsx-1mb-cell", "import", payloads.xlsx_huge_cell(1), (400,), "过长", filename="cell.xlsx"),
        *[Case(f"get-huge-offset{path.replace('/', '-')}", "get", f"{path}?offset={HUGE}", (422,), "/query/offset")
          for path in lists],
        Case("get-diff-huge-from", "get", f"/api/v1/resources/102001/000001/diff?from={HUGE}&to=1", (422,),
             "/query/from"),
        Case("get-diff-huge-to", "get", f"/api/v1/resources/102001/000001/diff?from=1&to={HUGE}", (422,),
             "/query/to"),
        *[Case(f"share-request-{name}", "share", js({"resource_code": code, "purpose": "核验", "basis": "法定职责", "period_days": 30}),
               (404,), "不存在") for name, code in (("nul-code", "102001\u0000/000001"),
                                                   ("missing-code", "102001/999999"))],
        Case("get-web-diff-huge", "get", f"/r/102001/000001?diff=1..{HUGE}", (422,), "diff"),
        *[Case(f"get-classification-{name}", "get", f"{path}?classification={pattern}", (200,), "",
               extra={"count": 0})
          for name, pattern in (("percent", "%25"), ("underscore", "_"))
          for path in ("/api/v1/resources", "/api/v1/search")],
    ]


def cases() -> list[Case]:
    api = [*_security_cases(),
        Case("yaml-billion-laughs", "create", BILLION_LAUGHS, (400,), "别名|alias", "application/yaml"),
        Case("yaml-quadratic-blowup", "create", QUADRATIC_BLOWUP, (400,), "别名|alias", "application/yaml"),
        Case("yaml-deep-flow-100k", "create", deep_yaml_flow(), (400,), "嵌套|nesting", "application/yaml"),
        Case("yaml-deep-block-100k", "create", deep_yaml_block(), (400,), "嵌套|nesting", "application/yaml"),
        Case("json-deep-100k", "create", deep_json(), (400,), "嵌套|nesting"),
        Case("json-10mb", "create", ten_mb_json(), (413,), "上限|too large"),
        Case("yaml-10mb-name", "create", ten_mb_yaml(), (413,), "上限|too large", "application/yaml"),
        Case("yaml-gbk", "create", gbk_yaml(), (400,), "UTF-8", "application/yaml"),
        Case("json-invalid-utf8", "create", invalid_utf8(), (400,), "UTF-8"),
        Case("json-raw-nul-byte", "create", nul_raw(), (400,), "JSON"),
        Case("json-escaped-nul-in-name", "create", js(record(name="企业\u0000登记")), (422,), "/name.*控制字符|控制字符"),
        Case("json-nul-in-key", "create", js(record(**{"x\u0000": 1})), (422,), "控制字符"),
        Case("json-lone-surrogate", "create", js(record()).replace("企业登记基本信息".encode(), b"\\ud800", 1),
             (422,), "控制字符|无效字符"),
        Case("json-1.9mb-name", "create", js(record(name="名" * 600_000)), (422,), "/name|过长"),
        Case("json-array-not-record", "create", b"[1,2,3]", (400,), "mapping|映射"),
        Case("json-string-not-record", "create", b'"record"', (400,), "mapping|映射"),
        Case("json-null", "create", b"null", (400,), "空|empty"),
        Case("empty-body", "create", b"   ", (400,), "空|empty"),
        Case("yaml-python-tag", "create", b"name: !!python/object/apply:os.system ['touch /tmp/mulu-pwned']\n",
             (400,), "YAML", "application/yaml"),
        Case("create-with-traversal-code", "create", js(record(code="../../x")), (422,), "/code"),
        *_wrong_types(),
        Case("validate-billion-laughs", "validate", BILLION_LAUGHS, (400,), "别名|alias", "application/yaml"),
        Case("validate-deep-json", "validate", deep_json(), (400,), "嵌套|nesting"),
        Case("validate-gbk", "validate", gbk_yaml(), (400,), "UTF-8", "application/yaml"),
        Case("validate-10mb", "validate", ten_mb_json(), (413,), "上限|too large"),
        Case("bulk-deep-json", "bulk", b"[" + deep_json() + b"]", (400,), "嵌套|nesting"),
        Case("bulk-not-an-array", "bulk", b'{"name": "x"}', (400,), "数组|array"),
        Case("bulk-too-many-records", "bulk", b"[" + b",".join([b"{}"] * 300_000) + b"]", (400,), "最多|too many"),
        Case("bulk-10mb", "bulk", b"[" + ten_mb_json() + b"]", (413,), "上限|too large"),
        Case("bulk-wrong-types", "bulk", js([1, "x", None, [], record(items="x")]), (200,), "类型|mapping|/items"),
        Case("bulk-invalid-utf8", "bulk", b"[" + invalid_utf8() + b"]", (400,), "JSON"),
        Case("import-traversal-name", "import", dcat(title="x"), (400,), "格式|format", filename="../../etc/passwd"),
        Case("import-traversal-json", "import", dcat(title="x"), (200,), "", filename="../../../tmp/mulu-evil.json"),
        Case("import-deep-json", "import", nested_dataset_json(), (400,), "嵌套|nesting", filename="data.json"),
        Case("import-gbk-json", "import", dcat(title="企业登记").decode().encode("gbk"), (400,), "UTF-8",
             filename="data.json"),
        Case("import-not-xlsx", "import", b"PK\x03\x04" + b"\x00" * 2000, (400,), "xlsx|Excel|读取",
             filename="catalogue.xlsx"),
        Case("import-10mb", "import", b"{" + b" " * (10 * MB) + b"}", (413,), "上限|too large", filename="data.json"),
        Case("import-wrong-type-dataset", "import", js({"dataset": "x"}), (400,), "/dataset", filename="data.json"),
    ]
    queries = [
        ("es-wildcard", "name:* OR *"), ("es-query-dsl", '{"query":{"match_all":{}}}'), ("es-backslash", "\\"),
        ("es-regex", "/.*/"), ("es-range", "published_on:[* TO *]"), ("es-boost", "企业^100 AND state:draft"),
        ("fts5-syntax", 'NEAR(企业 登记) OR "'), ("fts5-column", "record: * state: draft"),
        ("sql-or", "' OR 1=1 --"), ("sql-drop", '"; DROP TABLE resources; --'), ("sql-union", "x' UNION SELECT token_hash FROM tokens --"),
        ("like-wildcards", "%_%"), ("nul-in-query", "企业\x00登记"), ("long-query", "企" * 201),
    ]
    search = [Case(f"search-{name}", "search", q, (422,) if len(q) > 200 else (200,), "") for name, q in queries]
    listing = [Case(f"list-{name}", "list", q, (422,) if len(q) > 200 else (200,), "") for name, q in queries[8:12]]
    reads = [Case(f"read-{name}", "read", path, (404,), "不存在|not found|没有")
             for name, path in [("traversal", "../../etc/passwd"), ("encoded-traversal", "..%2F..%2Fetc%2Fpasswd"),
                                ("sql", "102001/000001' OR '1'='1"), ("nul", "102001%00/000001")]]
    cli = [
        Case("cli-validate-billion-laughs", "cli-validate", BILLION_LAUGHS, (2,), "别名|alias", filename="bomb.yaml"),
        Case("cli-validate-quadratic", "cli-validate", QUADRATIC_BLOWUP, (2,), "别名|alias", filename="q.yaml"),
        Case("cli-validate-deep-yaml", "cli-validate", deep_yaml_flow(), (2,), "嵌套|nesting", filename="deep.yaml"),
        Case("cli-validate-deep-block", "cli-validate", deep_yaml_block(), (2,), "嵌套|nesting", filename="deep2.yaml"),
        Case("cli-validate-deep-json", "cli-validate", deep_json(), (2,), "嵌套|nesting", filename="deep.json"),
        Case("cli-validate-10mb", "cli-validate", ten_mb_yaml(), (2,), "过大|too large", filename="big.yaml"),
        Case("cli-validate-gbk", "cli-validate", gbk_yaml(), (2,), "UTF-8", filename="gbk.yaml"),
        Case("cli-validate-invalid-utf8", "cli-validate", invalid_utf8(), (2,), "UTF-8", filename="bad.json"),
        Case("cli-validate-raw-nul", "cli-validate", b"name: a\x00b\n", (2,), "YAML", filename="nul.yaml"),
        Case("cli-validate-escaped-nul", "cli-validate", yml(record(name="a\x00b")), (1,), "控制字符", filename="nul2.yaml"),
        Case("cli-validate-wrong-types", "cli-validate", yml(record(name=["a"], items="x", share=3)), (1,),
             "/name", filename="types.yaml"),
        Case("cli-validate-not-a-mapping", "cli-validate", b"- a\n- b\n", (2,), "mapping|映射", filename="list.yaml"),
        Case("cli-validate-python-tag", "cli-validate", b"!!python/object/apply:os.system ['true']\n", (2,), "YAML",
             filename="tag.yaml"),
        Case("cli-audit-bombs", "cli-audit", BILLION_LAUGHS, (2,), "别名|alias", filename="330782101/bomb.yaml"),
        Case("cli-audit-gbk", "cli-audit", gbk_yaml(), (2,), "UTF-8", filename="330782101/gbk.yaml"),
        Case("cli-audit-wrong-types", "cli-audit", yml(record(name=7)), (1,), "/name", filename="330782101/t.yaml"),
        Case("cli-import-traversal-name", "cli-import", dcat(title="x"), (2,), "格式|format",
             filename="etc-passwd-no-suffix"),
        Case("cli-import-deep-json", "cli-import", nested_dataset_json(), (2,), "嵌套|nesting", filename="data.json"),
        Case("cli-import-gbk", "cli-import", dcat(title="企业").decode().encode("gbk"), (2,), "UTF-8",
             filename="data.json"),
        Case("cli-import-not-xlsx", "cli-import", b"not a zip at all", (2,), "xlsx|Excel|读取", filename="c.xlsx"),
        Case("cli-import-bomb-yaml-tree", "cli-import", BILLION_LAUGHS, (1,), "别名|alias", filename="tree/bomb.yaml",
             extra={"target": "tree"}),
    ]
    return api + search + listing + reads + cli


def write_all(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    n = 0
    for case in cases():
        data = case.payload if isinstance(case.payload, bytes) else case.payload.encode("utf-8", "surrogatepass")
        (directory / case.id).write_bytes(data)
        n += 1
    return n


if __name__ == "__main__":
    print(write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")), "files written")
