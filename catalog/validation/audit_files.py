"""`audit_files`: the audit of record files on every core. Worker processes read, parse and validate the
files (each its own share, in chunks); the parent merges their reports in file order and applies the
cross-record rules, so the result is the one `audit` gives for the same records read one by one."""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from catalog.errors import InvalidInput, InvalidRecord
from catalog.findings import Finding, Report
from catalog.records import parse_record_text, read_record_bytes
from catalog.standards import Standards, load_standards
from catalog.validation.audit import CROSS_FIELDS, AuditReport, assemble
from catalog.validation.engine import validate_record
from catalog.validation.text import clean_source

POOL_FROM = 200  # fewer files than this are audited in this process: starting workers would cost more
CHUNKS_PER_WORKER = 24  # small enough that no worker idles long at the end, big enough that messages stay few

# (source, the record's CROSS_FIELDS, its report) for a readable file; (source, None, message) otherwise.
Checked = tuple[str, "dict[str, Any] | None", "Report | str"]
_standards: Standards | None = None  # each worker's, set once by _start_worker


def audit_files(
    files: Sequence[str | Path],
    *,
    standards: Standards,
    known_codes: frozenset[str] = frozenset(),
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[AuditReport, list[tuple[str, str]]]:
    """The audit of `files` and the (file, message) of each file that could not be read, both in file order.
    `workers`: processes to use (default: one per core); `on_progress(n)` is told of each n files done."""
    workers = max(1, workers or os.cpu_count() or 1)
    checked: list[tuple[str, Any, Report]] = []
    problems: list[tuple[str, str]] = []
    for source, record, outcome in _checked(files, standards=standards, workers=workers, on_progress=on_progress):
        if isinstance(outcome, str):
            problems.append((source, outcome))
        else:
            checked.append((source, record, outcome))
    return assemble(checked, standards=standards, known_codes=known_codes), problems


def _checked(files: Sequence[str | Path], *, standards: Standards, workers: int,
             on_progress: Callable[[int], None] | None) -> Iterator[Checked]:
    names = [str(f) for f in files]
    if workers == 1 or len(names) < POOL_FROM:
        for name in names:
            yield _check_file(name, standards)
            if on_progress:
                on_progress(1)
        return
    size = max(1, -(-len(names) // (workers * CHUNKS_PER_WORKER)))
    chunks = [names[i:i + size] for i in range(0, len(names), size)]
    # fork where the platform has it: the workers inherit the loaded standards and start at once
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    gc.freeze()  # what the workers inherit stays untouched by their collector: no copy-on-write of it
    try:
        with context.Pool(min(workers, len(chunks)), initializer=_start_worker,
                          initargs=(standards.directory,)) as pool:
            for done in pool.imap(_check_chunk, chunks):  # in order: the result does not depend on timing
                yield from map(_unpacked, done)
                if on_progress:
                    on_progress(len(done))
    finally:
        gc.unfreeze()


def _start_worker(directory: Path) -> None:
    global _standards
    _standards = load_standards(directory)  # already loaded in a forked worker: a cache hit


def _check_chunk(names: list[str]) -> list[Packed]:
    assert _standards is not None
    return [_packed(_check_file(name, _standards)) for name in names]


# What a worker sends back: a report as plain tuples of its findings' fields, which pickle in a third of the
# time of the dataclasses (the parent unpickles 10,000 of them while both workers need the cores).
Packed = tuple[str, "dict[str, Any] | None", "str | list[tuple[Any, ...]]"]


def _packed(checked: Checked) -> Packed:
    name, record, outcome = checked
    if isinstance(outcome, str):
        return name, record, outcome
    return name, record, [(f.rule, f.severity, f.path, f.message, f.suggestion, f.source) for f in outcome.findings]


def _unpacked(packed: Packed) -> Checked:
    name, record, outcome = packed
    if isinstance(outcome, str):
        return name, record, outcome
    return name, record, Report(findings=[Finding(*fields) for fields in outcome], source=name)


def _check_file(name: str, standards: Standards) -> Checked:
    try:
        data = read_record_bytes(name)
        record = parse_record_text(data, source=name, suffix=os.path.splitext(name)[1])
    except (InvalidInput, InvalidRecord) as exc:  # InvalidRecord: a value past the shape guard's bounds
        return name, None, exc.message
    report = validate_record(record, standards=standards, source=name, text_clean=clean_source(data))
    return name, {k: record[k] for k in CROSS_FIELDS if k in record}, report
